// quote_identifier against PostgreSQL itself: every keyword the server knows
// is quoted as its quote_ident() quotes it, and what quote.cpp assumes of
// keywords to skip the scan (lower-case letters and '_', at most 17 bytes)
// holds for the server's list.
#include <gtest/gtest.h>

#include "frontend/quote.h"
#include "verify/cluster.h"
#include "verify/libpq.h"

namespace {

TEST(QuoteIdentifierOnServer, EveryKeywordIsQuotedAsTheServerQuotesIt) {
    std::unique_ptr<pgw::Cluster> cluster = pgw::Cluster::start({});
    pgw::pq::Connection c(cluster->conninfo());
    pgw::pq::Result r = c.exec(
        "SELECT word, quote_ident(word), quote_ident(word || '_x'), quote_ident(word || '1') "
        "FROM pg_get_keywords() ORDER BY word");
    ASSERT_GT(r.rows(), 400);
    for (int i = 0; i < r.rows(); ++i) {
        std::string word = r.str(i, 0);
        EXPECT_LE(word.size(), 17u) << word;
        EXPECT_EQ(word.find_first_not_of("abcdefghijklmnopqrstuvwxyz_"), std::string::npos) << word;
        EXPECT_EQ(pgw::quote_identifier(word), r.str(i, 1)) << word;
        EXPECT_EQ(pgw::quote_identifier(word + "_x"), r.str(i, 2)) << word;
        EXPECT_EQ(pgw::quote_identifier(word + "1"), r.str(i, 3)) << word;
    }
    cluster->stop();
}

}  // namespace
