// Computed risk (SPEC §5), one case per kind of change, and risk-understated.
#include <gtest/gtest.h>

#include "cli/runner.h"
#include "engine/config.h"
#include "engine/rule.h"
#include "test_support.h"

using namespace pgw;

namespace {

Risk risk_of(const std::string& sql) {
    Config c = test::default_config();
    return lint_text("m.sql", sql, c).risk;
}

struct Case {
    const char* sql;
    Risk expected;
};

TEST(Risk, FollowsTheSpecForEachKindOfChange) {
    const Case cases[] = {
        // LOW: additive changes
        {"CREATE TABLE IF NOT EXISTS tags (id bigint);", Risk::low},
        {"ALTER TABLE bookings ADD COLUMN IF NOT EXISTS note text;", Risk::low},
        {"ALTER TABLE bookings ADD COLUMN IF NOT EXISTS n int NOT NULL DEFAULT 0;", Risk::low},
        {"CREATE INDEX CONCURRENTLY IF NOT EXISTS b_i ON bookings (id);", Risk::low},
        {"CREATE OR REPLACE FUNCTION f() RETURNS int LANGUAGE sql AS 'SELECT 1';", Risk::low},
        {"ALTER TYPE mood ADD VALUE IF NOT EXISTS 'ok';", Risk::low},
        {"INSERT INTO settings VALUES (1);", Risk::low},
        // MEDIUM: renames, constraints, type changes, index changes, data with WHERE
        {"ALTER TABLE bookings RENAME COLUMN a TO b;", Risk::medium},
        {"ALTER TABLE bookings ALTER COLUMN a TYPE bigint;", Risk::medium},
        {"ALTER TABLE bookings ADD CONSTRAINT c CHECK (a > 0);", Risk::medium},
        {"ALTER TABLE bookings ALTER COLUMN a SET NOT NULL;", Risk::medium},
        {"ALTER TABLE b ADD CONSTRAINT f FOREIGN KEY (u) REFERENCES users (id);", Risk::medium},
        {"CREATE INDEX IF NOT EXISTS b_i ON bookings (id);", Risk::medium},
        {"UPDATE bookings SET a = 1 WHERE id = 2;", Risk::medium},
        {"DELETE FROM bookings WHERE id = 2;", Risk::medium},
        // HIGH: drops, NOT NULL without default, primary keys, TRUNCATE, no WHERE
        {"DROP TABLE IF EXISTS bookings;", Risk::high},
        {"ALTER TABLE bookings DROP COLUMN IF EXISTS a;", Risk::high},
        {"DROP INDEX CONCURRENTLY IF EXISTS b_i;", Risk::high},
        {"DROP SCHEMA IF EXISTS old;", Risk::high},
        {"ALTER TABLE bookings ADD COLUMN IF NOT EXISTS n int NOT NULL;", Risk::high},
        {"ALTER TABLE bookings ADD PRIMARY KEY (id);", Risk::high},
        {"TRUNCATE bookings;", Risk::high},
        {"UPDATE bookings SET a = 1;", Risk::high},
        {"DELETE FROM bookings;", Risk::high},
    };
    for (const Case& c : cases)
        EXPECT_EQ(to_string(risk_of(c.sql)), to_string(c.expected)) << c.sql;
}

TEST(Risk, AnythingOnAProtectedTableIsHigh) {
    Config c = test::default_config();
    c.protected_tables = {"payments"};
    EXPECT_EQ(lint_text("m.sql", "INSERT INTO payments VALUES (1);", c).risk, Risk::high);
}

TEST(Risk, AcknowledgedOperationsStillCount) {
    EXPECT_EQ(risk_of("-- @override-destructive old\n-- @rollback-plan: restore backup\n"
                      "DROP TABLE IF EXISTS old;"),
              Risk::high);
}

TEST(Risk, EveryRuleStatesTheRiskItImplies) {
    // A rule's metadata says what its findings imply; none of the locking or
    // destructive rules may leave it unset.
    for (const Rule* r : all_rules()) {
        const RuleInfo& i = r->info();
        // A missing session setting or a statement that fails changes no data.
        bool exempt = i.id == "concurrently-in-transaction" || i.id == "require-lock-timeout" ||
                      i.id == "require-statement-timeout";
        if ((is_gated(i.category) || i.category == Category::locking) && !exempt) {
            EXPECT_NE(i.risk, Risk::none) << i.id;
        }
    }
}

TEST(RiskUnderstated, ComparesDeclaredWithComputed) {
    Config c = test::default_config();
    auto has = [&](const std::string& sql) {
        for (const auto& f : lint_text("m.sql", sql, c).findings)
            if (f.rule == "risk-understated") return true;
        return false;
    };
    EXPECT_TRUE(has("-- Risk: LOW\n\nUPDATE t SET a = 1 WHERE id = 1;"));
    EXPECT_TRUE(has("-- risk level: medium\n\nTRUNCATE t;"));
    EXPECT_TRUE(has("-- @risk LOW\nALTER TABLE t RENAME TO u;"));
    EXPECT_FALSE(has("-- Risk: MEDIUM\n\nUPDATE t SET a = 1 WHERE id = 1;"));
    EXPECT_FALSE(has("-- Risk: HIGH\n\nCREATE TABLE IF NOT EXISTS t (id bigint);"));
    EXPECT_FALSE(has("UPDATE t SET a = 1;"));  // nothing declared: nothing understated
}

}  // namespace
