// The static schema model: replay of every object kind, PostgreSQL's implicit
// names, uncertainty, and the Catalog rules ask. Diffs and rollback checks are
// in catalog_rollback_test.cpp.
#include "schema/catalog.h"

#include <gtest/gtest.h>

#include "schema_test_support.h"

using namespace pgw;
using namespace pgw::schema;
using namespace pgw::test;

namespace {

TEST(SchemaReplay, CreateTableRecordsColumns) {
    auto m = replay(
        "CREATE TABLE public.users (id bigint, name varchar(20) NOT NULL DEFAULT 'x', "
        "age int DEFAULT -1, tags text[], seen timestamptz DEFAULT now());\n"
        "CREATE TABLE audit.users (id int);");
    ASSERT_TRUE(m.relation("users"));
    EXPECT_EQ(m.relation("public.users"), m.relation("users"));
    ASSERT_TRUE(m.relation("audit.users"));
    EXPECT_NE(m.relation("audit.users"), m.relation("users"));
    EXPECT_EQ(col(m, "users", "id")->type, "bigint");
    EXPECT_EQ(col(m, "users", "name")->type, "varchar(20)");
    EXPECT_TRUE(col(m, "users", "name")->not_null);
    EXPECT_EQ(col(m, "users", "name")->default_expr, "'x'");
    EXPECT_EQ(col(m, "users", "age")->default_expr, "-1");
    EXPECT_EQ(col(m, "users", "tags")->type, "text[]");
    EXPECT_EQ(col(m, "users", "seen")->default_expr, "now()");
    EXPECT_FALSE(col(m, "users", "age")->not_null);
    EXPECT_EQ(col(m, "audit.users", "id")->type, "integer");
    EXPECT_EQ(m.unknown_effects(), 0u);
}

TEST(SchemaReplay, ImplicitNamesFollowPostgres) {
    auto m = replay(
        "CREATE TABLE users (id serial PRIMARY KEY, email text UNIQUE, a int, b int, "
        "price int CHECK (price > 0), UNIQUE (a, b), CHECK (a > b));\n"
        "CREATE TABLE orders (id bigint GENERATED ALWAYS AS IDENTITY, user_id int REFERENCES "
        "users, x int, y int, FOREIGN KEY (x, y) REFERENCES users (a, b));\n"
        "CREATE INDEX ON users (lower(email));\n"
        "CREATE INDEX ON users (a, b);\n"
        "CREATE INDEX ON users (a, b);\n"
        "CREATE INDEX ON users ((a + b));");
    EXPECT_EQ(constraint_names(m, "users"),
              (Strings{"users_a_b_key", "users_check", "users_email_key", "users_pkey",
                       "users_price_check"}));
    EXPECT_EQ(constraint_names(m, "orders"), (Strings{"orders_user_id_fkey", "orders_x_y_fkey"}));
    EXPECT_EQ(relations(m, RelKind::index),
              (Strings{"users_a_b_idx", "users_a_b_idx1", "users_a_b_key", "users_email_key",
                       "users_expr_idx", "users_lower_idx", "users_pkey"}));
    EXPECT_EQ(relations(m, RelKind::sequence), (Strings{"orders_id_seq", "users_id_seq"}));
    EXPECT_EQ(col(m, "users", "id")->type, "integer");
    EXPECT_EQ(col(m, "users", "id")->default_expr, "nextval('users_id_seq')");
    EXPECT_TRUE(col(m, "users", "id")->not_null);
    EXPECT_EQ(col(m, "orders", "id")->identity, "always");
    // REFERENCES users: its primary key.
    for (const Constraint& c : m.relation("orders")->constraints) {
        if (c.name == "orders_user_id_fkey") {
            EXPECT_EQ(c.ref_columns, Strings{"id"});
        }
    }
    EXPECT_TRUE(m.relation("users_pkey")->unique);
    EXPECT_EQ(m.relation("users_pkey")->constraint, "users_pkey");
}

TEST(SchemaReplay, LongImplicitNamesAreShortenedLikePostgres) {
    std::string table(40, 'a'), column(40, 'b');
    auto m = replay("CREATE TABLE " + table + " (" + column + " int UNIQUE);");
    std::string expected = std::string(29, 'a') + "_" + std::string(29, 'b') + "_key";
    ASSERT_EQ(expected.size(), 63u);
    EXPECT_TRUE(m.relation(expected));
}

TEST(SchemaReplay, IndexesAndConstraintsInOtherSchemas) {
    auto m = replay(
        "CREATE TABLE audit.log (id int PRIMARY KEY);\n"
        "CREATE UNIQUE INDEX log_idx ON audit.log (id) WHERE id > 0;");
    EXPECT_TRUE(m.relation("audit.log_pkey"));
    ASSERT_TRUE(m.relation("audit.log_idx"));
    EXPECT_EQ(m.relation("audit.log_idx")->table, "audit.log");
    EXPECT_TRUE(m.relation("audit.log_idx")->unique);
    EXPECT_FALSE(m.relation("log_idx"));
}

TEST(SchemaReplay, AlterTableSubcommands) {
    auto m = replay(
        "CREATE TABLE t (a int, b text, c int, d int);\n"
        "ALTER TABLE t ADD COLUMN e int NOT NULL DEFAULT 0, DROP COLUMN b;\n"
        "ALTER TABLE t ALTER COLUMN a TYPE bigint, ALTER COLUMN a SET NOT NULL;\n"
        "ALTER TABLE t ALTER COLUMN e DROP NOT NULL, ALTER COLUMN e DROP DEFAULT;\n"
        "ALTER TABLE t ALTER COLUMN c SET DEFAULT 5;\n"
        "ALTER TABLE t ADD CONSTRAINT c_pos CHECK (c > 0), ADD UNIQUE (d);\n"
        "ALTER TABLE t RENAME COLUMN d TO dd;\n"
        "ALTER TABLE t RENAME CONSTRAINT t_d_key TO t_dd_key;\n"
        "ALTER TABLE t DROP CONSTRAINT c_pos;");
    EXPECT_FALSE(col(m, "t", "b"));
    EXPECT_EQ(col(m, "t", "a")->type, "bigint");
    EXPECT_TRUE(col(m, "t", "a")->not_null);
    EXPECT_FALSE(col(m, "t", "e")->not_null);
    EXPECT_EQ(col(m, "t", "e")->default_expr, "");
    EXPECT_EQ(col(m, "t", "c")->default_expr, "5");
    EXPECT_TRUE(col(m, "t", "dd"));
    EXPECT_EQ(constraint_names(m, "t"), Strings{"t_dd_key"});
    // The constraint's index was renamed with it and follows the column rename.
    ASSERT_TRUE(m.relation("t_dd_key"));
    EXPECT_EQ(m.relation("t_dd_key")->index_columns, Strings{"dd"});
    EXPECT_FALSE(m.relation("t_d_key"));
}

TEST(SchemaReplay, DropColumnTakesItsIndexesAndConstraints) {
    auto m = replay(
        "CREATE TABLE t (id int PRIMARY KEY, a int UNIQUE, b int CHECK (b > a), c int);\n"
        "CREATE INDEX t_c_idx ON t (c);\n"
        "CREATE INDEX t_expr ON t (lower(a::text));\n"
        // A column named only in the predicate or the INCLUDE list counts too
        // (concourse's needs_v6_migration_idx); the access method's name does not.
        "CREATE INDEX t_partial ON t (c) WHERE a > 0;\n"
        "CREATE INDEX t_covering ON t (c) INCLUDE (a);\n"
        "ALTER TABLE t ADD COLUMN gin int;\n"
        "CREATE INDEX t_gin ON t USING gin (c);\n"
        "ALTER TABLE t DROP COLUMN a, DROP COLUMN gin;");
    EXPECT_EQ(constraint_names(m, "t"), Strings{"t_pkey"});
    EXPECT_EQ(relations(m, RelKind::index), (Strings{"t_c_idx", "t_gin", "t_pkey"}));
}

TEST(SchemaReplay, RenameAndSetSchemaMoveDependents) {
    auto m = replay(
        "CREATE TABLE users (id serial PRIMARY KEY, email text);\n"
        "CREATE TABLE orders (user_id int REFERENCES users (id));\n"
        "CREATE INDEX users_email_idx ON users (email);\n"
        "CREATE TRIGGER trg BEFORE INSERT ON users FOR EACH ROW EXECUTE FUNCTION f();\n"
        "ALTER TABLE users RENAME TO people;\n"
        "ALTER INDEX users_email_idx RENAME TO people_email_idx;\n"
        "ALTER TABLE people SET SCHEMA crm;");
    EXPECT_FALSE(m.relation("users"));
    ASSERT_TRUE(m.relation("crm.people"));
    EXPECT_TRUE(m.relation("crm.people_email_idx"));
    EXPECT_EQ(m.relation("crm.people_email_idx")->table, "crm.people");
    EXPECT_TRUE(m.relation("crm.users_pkey"));
    EXPECT_TRUE(m.relation("crm.users_id_seq"));
    EXPECT_EQ(m.relation("orders")->constraints[0].references, "crm.people");
    EXPECT_EQ(m.triggers.count({"crm.people", "trg"}), 1u);
}

TEST(SchemaReplay, DropTableCascades) {
    auto m = replay(
        "CREATE TABLE users (id serial PRIMARY KEY);\n"
        "CREATE TABLE orders (id int, user_id int REFERENCES users);\n"
        "CREATE INDEX orders_user_idx ON orders (user_id);\n"
        "CREATE VIEW active AS SELECT * FROM users;\n"
        "CREATE POLICY p ON users USING (true);\n"
        "DROP TABLE users CASCADE;");
    EXPECT_FALSE(m.relation("users"));
    EXPECT_FALSE(m.relation("users_pkey"));
    EXPECT_FALSE(m.relation("users_id_seq"));
    EXPECT_FALSE(m.relation("active"));
    EXPECT_TRUE(m.policies.empty());
    EXPECT_TRUE(constraint_names(m, "orders").empty());
    EXPECT_TRUE(m.relation("orders_user_idx"));
}

TEST(SchemaReplay, DropSchemaCascadeDropsItsObjects) {
    auto m = replay(
        "CREATE SCHEMA s;\n"
        "CREATE TABLE s.t (id int PRIMARY KEY);\n"
        "CREATE TYPE s.mood AS ENUM ('a');\n"
        "CREATE FUNCTION s.f(int) RETURNS int LANGUAGE sql AS 'select 1';\n"
        "CREATE TABLE keep (id int);\n"
        "DROP SCHEMA s CASCADE;");
    EXPECT_TRUE(m.schemas.empty());
    EXPECT_EQ(m.relations.size(), 1u);
    EXPECT_TRUE(m.relation("keep"));
    EXPECT_TRUE(m.types.empty());
    EXPECT_TRUE(m.routines.empty());
}

TEST(SchemaReplay, IfExistsAndIfNotExists) {
    auto m = replay(
        "CREATE TABLE t (a int);\n"
        "CREATE TABLE IF NOT EXISTS t (b int);\n"
        "CREATE INDEX IF NOT EXISTS t_a_idx ON t (a);\n"
        "CREATE INDEX IF NOT EXISTS t_a_idx ON t (a, a);\n"
        "DROP TABLE IF EXISTS nothing;\n"
        "ALTER TABLE IF EXISTS nothing ADD COLUMN x int;\n"
        "ALTER TABLE t ADD COLUMN IF NOT EXISTS a text, DROP COLUMN IF EXISTS zz;\n"
        "DROP INDEX IF EXISTS nothing_idx;");
    EXPECT_TRUE(col(m, "t", "a"));
    EXPECT_FALSE(col(m, "t", "b"));
    EXPECT_EQ(col(m, "t", "a")->type, "integer");
    EXPECT_EQ(m.relation("t_a_idx")->index_columns, Strings{"a"});
    EXPECT_FALSE(m.relation("nothing"));  // IF EXISTS: no placeholder
    EXPECT_EQ(m.relation("t")->columns.size(), 1u);
    EXPECT_EQ(m.unknown_effects(), 0u);
}

TEST(SchemaReplay, Types) {
    auto m = replay(
        "CREATE TYPE mood AS ENUM ('sad', 'happy');\n"
        "ALTER TYPE mood ADD VALUE 'ok' AFTER 'sad';\n"
        "ALTER TYPE mood ADD VALUE IF NOT EXISTS 'sad';\n"
        "ALTER TYPE mood ADD VALUE 'first' BEFORE 'sad';\n"
        "ALTER TYPE mood RENAME VALUE 'happy' TO 'glad';\n"
        "CREATE TABLE p (m mood, ms mood[]);\n"
        "ALTER TYPE mood RENAME TO feeling;\n"
        "CREATE TYPE pair AS (a int, b text);\n"
        "ALTER TYPE pair ADD ATTRIBUTE c date;\n"
        "CREATE DOMAIN pos AS int NOT NULL CHECK (VALUE > 0);\n"
        "ALTER DOMAIN pos ADD CONSTRAINT small CHECK (VALUE < 10);\n"
        "ALTER DOMAIN pos DROP CONSTRAINT pos_check;");
    ASSERT_TRUE(m.type("feeling"));
    EXPECT_FALSE(m.type("mood"));
    EXPECT_EQ(m.type("feeling")->values, (Strings{"first", "sad", "ok", "glad"}));
    EXPECT_EQ(col(m, "p", "m")->type, "feeling");
    EXPECT_EQ(col(m, "p", "ms")->type, "feeling[]");
    ASSERT_EQ(m.type("pair")->attributes.size(), 3u);
    EXPECT_EQ(m.type("pair")->attributes[2].type, "date");
    EXPECT_EQ(m.type("pos")->checks, Strings{"small"});
    EXPECT_TRUE(m.type("pos")->not_null);

    auto dropped = replay(
        "CREATE TYPE mood AS ENUM ('a');\nCREATE TABLE p (id int, m mood);\n"
        "DROP TYPE mood CASCADE;");
    EXPECT_FALSE(dropped.type("mood"));
    EXPECT_FALSE(col(dropped, "p", "m"));
    EXPECT_TRUE(col(dropped, "p", "id"));
}

TEST(SchemaReplay, ViewsFunctionsTriggersExtensions) {
    auto m = replay(
        "CREATE VIEW v AS SELECT 1;\n"
        "CREATE OR REPLACE VIEW v AS SELECT 2;\n"
        "ALTER VIEW v RENAME TO w;\n"
        "CREATE MATERIALIZED VIEW mv AS SELECT 1;\n"
        "CREATE FUNCTION f(a int, OUT b text) LANGUAGE sql AS 'select 1';\n"
        "CREATE FUNCTION f(text) RETURNS int LANGUAGE sql AS 'select 1';\n"
        "CREATE PROCEDURE p(integer) LANGUAGE sql AS 'select 1';\n"
        "ALTER FUNCTION f(text) RENAME TO g;\n"
        "DROP PROCEDURE p(int);\n"
        "CREATE TABLE t (a int);\n"
        "CREATE TRIGGER trg AFTER INSERT ON t FOR EACH ROW EXECUTE FUNCTION f();\n"
        "ALTER TRIGGER trg ON t RENAME TO trg2;\n"
        "CREATE EXTENSION IF NOT EXISTS pgcrypto;\n"
        "CREATE EXTENSION IF NOT EXISTS pgcrypto;");
    EXPECT_FALSE(m.relation("v"));
    ASSERT_TRUE(m.relation("w"));
    EXPECT_EQ(m.relation("w")->kind, RelKind::view);
    EXPECT_EQ(m.relation("mv")->kind, RelKind::matview);
    EXPECT_EQ(m.routines.count("f(integer)"), 1u);
    EXPECT_EQ(m.routines.count("g(text)"), 1u);
    EXPECT_EQ(m.routines.count("p(integer)"), 0u);
    EXPECT_EQ(m.triggers.count({"t", "trg2"}), 1u);
    EXPECT_EQ(m.extensions.count("pgcrypto"), 1u);

    auto dropped = replay(
        "CREATE FUNCTION f(int) RETURNS int LANGUAGE sql AS 'select 1';\n"
        "DROP FUNCTION f;\nCREATE VIEW v AS SELECT 1;\nDROP VIEW v;");
    EXPECT_TRUE(dropped.routines.empty());
    EXPECT_FALSE(dropped.relation("v"));
}

TEST(SchemaUncertainty, UnreadableStatementsMakeTheModelUncertain) {
    EXPECT_GT(replay("CREATE TABLE t (a int);\nCREATE TABLE oops (;").unknown_effects(), 0u);
    EXPECT_GT(replay("DO $$ BEGIN EXECUTE format('DROP TABLE %I', 't'); END $$;").unknown_effects(),
              0u);
    EXPECT_GT(replay("DROP OWNED BY app;").unknown_effects(), 0u);
    // A broken INSERT cannot change the schema.
    EXPECT_EQ(replay("INSERT INTO t VALUES (;").unknown_effects(), 0u);
    // A literal EXECUTE is replayed like any statement.
    auto m =
        replay("CREATE TABLE t (a int);\nDO $$ BEGIN EXECUTE 'ALTER TABLE t ADD b int'; END $$;");
    EXPECT_EQ(m.unknown_effects(), 0u);
    EXPECT_TRUE(col(m, "t", "b"));
}

TEST(SchemaUncertainty, GuardedStatementsApplyIfTheyCan) {
    auto m = replay(
        "CREATE TABLE t (a int);\n"
        "DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_tables WHERE tablename = 't') THEN "
        "CREATE TABLE t (b int); END IF; "
        "IF NOT EXISTS (SELECT 1 FROM pg_type WHERE typname = 'mood') THEN "
        "CREATE TYPE mood AS ENUM ('a'); END IF; END $$;");
    EXPECT_TRUE(col(m, "t", "a"));
    EXPECT_FALSE(col(m, "t", "b"));
    EXPECT_TRUE(m.type("mood"));
    EXPECT_EQ(m.unknown_effects(), 0u);
}

TEST(SchemaUncertainty, UnknownObjectsBecomeUncertainPlaceholders) {
    auto m = replay("ALTER TABLE legacy ADD COLUMN x int;\nALTER TABLE legacy DROP COLUMN old;");
    ASSERT_TRUE(m.relation("legacy"));
    EXPECT_TRUE(m.relation("legacy")->uncertain);
    EXPECT_FALSE(m.by_change(*m.relation("legacy")));
    // Diffs leave it out: the model cannot say what it held before.
    EXPECT_TRUE(diff(SchemaModel{}, m).empty());
}

TEST(SchemaUncertainty, TemplatedNamesAreNotTrusted) {
    auto m = replay("CREATE TABLE ${schema}.t (a int);\nALTER TABLE ${schema}.u ADD x int;");
    EXPECT_GT(m.unknown_effects(), 0u);
    for (const auto& [k, r] : m.relations) EXPECT_TRUE(r.uncertain) << k;
}

TEST(CatalogModel, NewTablesFollowRenamesAndSchemas) {
    SchemaModel model = replay(
        "CREATE TABLE public.a (id int);\nCREATE TABLE audit.b (id int);\n"
        "ALTER TABLE a RENAME TO a2;\nCREATE INDEX a_idx ON a2 (id);\nCREATE VIEW v AS SELECT 1;\n"
        "ALTER TABLE existing ADD COLUMN x int;");
    Catalog c(model);
    EXPECT_TRUE(c.is_new_table("a2"));
    EXPECT_TRUE(c.is_new_table("public.a2"));
    // A name the change created stays its own: nothing by that name existed before.
    EXPECT_TRUE(c.is_new_table("a"));
    EXPECT_TRUE(c.is_new_table("audit.b"));
    EXPECT_FALSE(c.is_new_table("b"));
    EXPECT_FALSE(c.is_new_table("existing"));
    EXPECT_FALSE(c.is_new_table("v"));
    EXPECT_TRUE(c.is_new_relation("v"));
    EXPECT_TRUE(c.is_new_relation("a_idx"));
    EXPECT_EQ(c.new_tables(), (std::set<std::string, std::less<>>{"a", "a2", "audit.b"}));
}

TEST(CatalogModel, TemporaryAndSystemSchemasResolveFirst) {
    SchemaModel model;
    auto m = parse(
        "CREATE TEMP TABLE scratch (id int);\n"
        "CREATE TABLE t (id int);\nALTER TABLE t SET SCHEMA pg_catalog;\n"
        "SET search_path TO app;\nCREATE TABLE inside (id int);\n"
        "DROP TABLE inside;");
    for (std::size_t i = 0; i < m->statements.size(); ++i) model.step(*m, i);
    Catalog c(model);
    EXPECT_TRUE(c.is_new_table("scratch"));
    EXPECT_TRUE(c.model().relation("pg_temp.scratch"));
    EXPECT_TRUE(c.is_new_table("t"));  // found in pg_catalog, like PostgreSQL does
    EXPECT_TRUE(c.model().relation("pg_catalog.t"));
    // Created in app (first in the search path), and still the change's after its drop.
    EXPECT_TRUE(c.is_new_table("inside"));
    EXPECT_FALSE(c.model().relation("app.inside"));
}

TEST(CatalogModel, SettledMigrationsAreHistory) {
    // Migration 0 of a replay is linted (its tables are new), then settles;
    // migration 1 is the change.
    SchemaModel model;
    model.begin_migration(0, true);
    model.replay(*parse("CREATE TABLE users (id int);\nCREATE TABLE gone (id int);"));
    Catalog c(model);
    EXPECT_TRUE(c.is_new_table("users"));
    model.settle(0);
    EXPECT_FALSE(c.is_new_table("users"));
    EXPECT_FALSE(c.is_new_table("gone"));
    model.begin_migration(1, true);
    model.replay(
        *parse("CREATE TABLE IF NOT EXISTS users (id int);\nCREATE TABLE fresh (id int);\n"
               "ALTER TABLE users RENAME TO people;\nDROP TABLE gone;\n"
               "CREATE TABLE gone (id int);"));
    EXPECT_FALSE(c.is_new_table("users"));
    EXPECT_FALSE(c.is_new_table("people"));  // renamed, still the old table and its rows
    EXPECT_TRUE(c.is_new_table("fresh"));
    EXPECT_TRUE(c.is_new_table("gone"));  // dropped and created again: an empty new table
    EXPECT_TRUE(c.model().relation("people"));
}

TEST(CatalogModel, ChangeSetMigrationsStayNew) {
    SchemaModel model;
    model.begin_migration(0, false);  // at the base
    model.replay(*parse("CREATE TABLE old (id int);"));
    model.begin_migration(1, true);  // new in the change set, not settled
    model.replay(*parse("CREATE TABLE added (id int);"));
    model.begin_migration(2, true);
    Catalog c(model);
    EXPECT_FALSE(c.is_new_table("old"));
    EXPECT_TRUE(c.is_new_table("added"));
}

}  // namespace
