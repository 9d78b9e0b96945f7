// Identifiers in messages are quoted as PostgreSQL's quote_identifier() does,
// so a name copied from a finding can be pasted back into SQL.
#include "frontend/quote.h"

#include <gtest/gtest.h>

using pgw::quote_identifier;
using pgw::quote_name;

TEST(QuoteIdentifier, PlainLowerCaseNamesStayBare) {
    EXPECT_EQ(quote_identifier("users"), "users");
    EXPECT_EQ(quote_identifier("_tmp_2"), "_tmp_2");
    EXPECT_EQ(quote_identifier("user_id"), "user_id");
}

TEST(QuoteIdentifier, UpperCaseSpacesDigitsFirstAndSymbolsAreQuoted) {
    EXPECT_EQ(quote_identifier("User"), "\"User\"");
    EXPECT_EQ(quote_identifier("My Table"), "\"My Table\"");
    EXPECT_EQ(quote_identifier("1st"), "\"1st\"");
    EXPECT_EQ(quote_identifier("uuid-ossp"), "\"uuid-ossp\"");
    EXPECT_EQ(quote_identifier("café"), "\"café\"");
    EXPECT_EQ(quote_identifier(""), "\"\"");
}

TEST(QuoteIdentifier, InnerQuotesAreDoubled) {
    EXPECT_EQ(quote_identifier("a\"b"), "\"a\"\"b\"");
}

// The keyword categories are PostgreSQL 15's (src/include/parser/kwlist.h):
// only unreserved keywords may go bare.
TEST(QuoteIdentifier, KeywordsOtherThanUnreservedAreQuoted) {
    EXPECT_EQ(quote_identifier("select"), "\"select\"");  // reserved
    EXPECT_EQ(quote_identifier("user"), "\"user\"");      // reserved
    EXPECT_EQ(quote_identifier("order"), "\"order\"");    // reserved
    EXPECT_EQ(quote_identifier("int"), "\"int\"");        // column name keyword
    EXPECT_EQ(quote_identifier("time"), "\"time\"");      // column name keyword
    EXPECT_EQ(quote_identifier("left"), "\"left\"");      // type or function name keyword
    EXPECT_EQ(quote_identifier("name"), "name");          // unreserved
    EXPECT_EQ(quote_identifier("data"), "data");          // unreserved
    EXPECT_EQ(quote_identifier("version"), "version");    // unreserved
    EXPECT_EQ(quote_identifier("select"), "\"select\"");  // cached answer is the same
}

TEST(QuoteName, EachPartOfADottedNameIsQuotedOnItsOwn) {
    EXPECT_EQ(quote_name("public.users"), "public.users");
    EXPECT_EQ(quote_name("audit.User"), "audit.\"User\"");
    EXPECT_EQ(quote_name("User"), "\"User\"");
    EXPECT_EQ(quote_name("s.t.Trg"), "s.t.\"Trg\"");
}
