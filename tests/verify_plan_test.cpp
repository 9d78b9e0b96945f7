// verify's plan of a file (verify/plan.h): the relations each statement names,
// which the concurrent-statement observer locks so that it sees the
// statement's locks while the statement waits for it (verify/observer.cpp).
#include <gtest/gtest.h>

#include "test_support.h"
#include "verify/plan.h"

using namespace pgw;

namespace {

using Strings = std::vector<std::string>;

TEST(VerifyPlan, StatementsNameTheirRelationsWhereverTheTreeHoldsThem) {
    Config config = test::default_config();
    // Fields typed RangeVar* are written without the {"RangeVar": ...}
    // wrapper (VACUUM's, REINDEX's, CREATE INDEX's, ALTER TABLE's relation);
    // a FROM list's are wrapped. Both are names; so are DROP's objects.
    VerifyScript s = script_of("m.sql",
                               "VACUUM FULL bookings;\n"
                               "REINDEX TABLE CONCURRENTLY app.users;\n"
                               "CREATE INDEX CONCURRENTLY i ON orders (id);\n"
                               "ALTER TABLE t ADD COLUMN x int REFERENCES u (id);\n"
                               "SELECT * FROM a JOIN b.c ON true;\n"
                               "DROP TABLE d, e.f;\n"
                               "CLUSTER g USING g_pkey;\n",
                               config);
    ASSERT_EQ(s.statements.size(), 7u);
    EXPECT_EQ(s.statements[0].names, (Strings{"bookings"}));
    EXPECT_EQ(s.statements[1].names, (Strings{"app.users"}));
    EXPECT_EQ(s.statements[2].names, (Strings{"orders"}));
    EXPECT_EQ(s.statements[3].names, (Strings{"t", "u"}));
    EXPECT_EQ(s.statements[4].names, (Strings{"a", "b.c"}));
    EXPECT_EQ(s.statements[5].names, (Strings{"d", "e.f"}));
    EXPECT_EQ(s.statements[6].names, (Strings{"g"}));
}

}  // namespace
