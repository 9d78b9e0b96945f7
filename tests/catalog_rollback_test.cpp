// Schema model diffs and rollback checks (rollback-mismatch's engine).
#include <gtest/gtest.h>

#include "schema_test_support.h"

using namespace pgw;
using namespace pgw::schema;
using namespace pgw::test;

namespace {

TEST(SchemaDiff, DescribesEachDifference) {
    SchemaModel before = replay(
        "CREATE TABLE users (id int, name text, age int);\n"
        "CREATE INDEX users_name_idx ON users (name);");
    SchemaModel after = replay(
        "ALTER TABLE users DROP COLUMN age, ALTER COLUMN name TYPE varchar(20), "
        "ALTER COLUMN id SET NOT NULL, ALTER COLUMN id SET DEFAULT 1;\n"
        "CREATE INDEX users_email_idx ON users (name);\nDROP INDEX users_name_idx;\n"
        "CREATE TYPE mood AS ENUM ('a');",
        before);
    EXPECT_EQ(
        diff(before, after),
        (Strings{"column users.age was removed", "column users.id default changed from none to 1",
                 "column users.id nullability changed from NULL to NOT NULL",
                 "column users.name type changed from text to varchar(20)",
                 "enum mood is left over", "index users_email_idx is left over",
                 "index users_name_idx was removed"}));
    EXPECT_TRUE(diff(before, before).empty());
}

TEST(SchemaRollback, CorrectPairHasNoDifferences) {
    auto r = rollback("CREATE TABLE users (id int PRIMARY KEY, name text);",
                      "ALTER TABLE users ADD COLUMN email text NOT NULL DEFAULT '';\n"
                      "CREATE UNIQUE INDEX users_email_idx ON users (email);\n"
                      "CREATE TABLE posts (id serial PRIMARY KEY, user_id int REFERENCES users);\n"
                      "ALTER TABLE users ALTER COLUMN name TYPE varchar(20);\n"
                      "CREATE TYPE mood AS ENUM ('a');\n"
                      "CREATE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                      "RETURN NEW; END $$;\n"
                      "CREATE TRIGGER t BEFORE INSERT ON users FOR EACH ROW EXECUTE FUNCTION f();",
                      "DROP TRIGGER t ON users;\nDROP FUNCTION f();\nDROP TYPE mood;\n"
                      "ALTER TABLE users ALTER COLUMN name TYPE text;\n"
                      "DROP TABLE posts;\nDROP INDEX users_email_idx;\n"
                      "ALTER TABLE users DROP COLUMN email;");
    EXPECT_FALSE(r.uncertain);
    EXPECT_TRUE(r.differences.empty()) << ::testing::PrintToString(r.differences);
}

TEST(SchemaRollback, ForgottenIndexIsLeftOver) {
    auto r = rollback("CREATE TABLE users (id int, email text);",
                      "ALTER TABLE users ADD COLUMN age int;\n"
                      "CREATE INDEX users_email_idx ON users (email);",
                      "ALTER TABLE users DROP COLUMN age;");
    EXPECT_FALSE(r.uncertain);
    EXPECT_EQ(r.differences, Strings{"index users_email_idx is left over"});
}

TEST(SchemaRollback, DroppingWhatUpDidNotCreateIsReported) {
    auto r = rollback("CREATE TABLE users (id int, age int);\nCREATE TABLE legacy (id int);",
                      "CREATE TABLE tmp (id int);",
                      "DROP TABLE tmp;\nDROP TABLE legacy;\nALTER TABLE users DROP COLUMN age;");
    EXPECT_EQ(r.differences, (Strings{"column users.age was removed", "table legacy was removed"}));
}

TEST(SchemaRollback, UnrestoredColumnTypeIsReported) {
    auto r = rollback("CREATE TABLE users (id int, name text);",
                      "ALTER TABLE users ALTER COLUMN name TYPE varchar(20);", "SELECT 1;");
    EXPECT_EQ(r.differences, Strings{"column users.name type changed from text to varchar(20)"});
}

TEST(SchemaRollback, ImplicitNamesLetDownsDropWhatUpsCreated) {
    auto r = rollback("CREATE TABLE users (id int PRIMARY KEY);",
                      "CREATE TABLE orders (id serial PRIMARY KEY, user_id int);\n"
                      "ALTER TABLE orders ADD FOREIGN KEY (user_id) REFERENCES users;\n"
                      "ALTER TABLE users ADD COLUMN code text UNIQUE;",
                      "ALTER TABLE users DROP CONSTRAINT users_code_key;\n"
                      "ALTER TABLE orders DROP CONSTRAINT orders_user_id_fkey;\n"
                      "DROP TABLE orders;\nALTER TABLE users DROP COLUMN code;");
    EXPECT_TRUE(r.differences.empty()) << ::testing::PrintToString(r.differences);
}

TEST(SchemaRollback, UncertainStepsClaimNothing) {
    auto r = rollback("CREATE TABLE users (id int);",
                      "CREATE INDEX users_id_idx ON users (id);\n"
                      "DO $$ BEGIN EXECUTE 'CREATE TABLE ' || 'x' || ' (id int)'; END $$;",
                      "SELECT 1;");
    EXPECT_TRUE(r.uncertain);
    EXPECT_TRUE(r.differences.empty());
    ASSERT_EQ(r.reasons.size(), 1u);
    EXPECT_EQ(r.reasons[0], "m.sql:2: DO block runs dynamic SQL (EXECUTE of a computed string)");
    // History that was uncertain does not make later checks uncertain.
    SchemaModel before = replay("CREATE TABLE oops (;\nCREATE TABLE users (id int);");
    auto later = check_rollback(before, *parse("CREATE INDEX i ON users (id);"), *parse(""));
    EXPECT_FALSE(later.uncertain);
    EXPECT_EQ(later.differences, Strings{"index i is left over"});
}

TEST(SchemaRollback, PgDumpSpellingsOfTheSameSchemaAreEqual) {
    // Downs are often pg_dump output: casts, parentheses and public. prefixes
    // that the original migration did not write.
    auto r = rollback(
        "CREATE TABLE checks (id serial PRIMARY KEY, status text NOT NULL DEFAULT 'new', "
        "flag boolean DEFAULT NULL, CHECK (status <> '' AND (id > 0 AND id < 10) OR id = 0));\n"
        "CREATE UNIQUE INDEX started ON checks (lower(status)) WHERE status = 'started';",
        "DROP TABLE checks;",
        "CREATE TABLE public.checks (id integer NOT NULL DEFAULT "
        "nextval('public.checks_id_seq'::regclass) CONSTRAINT checks_pkey PRIMARY KEY, "
        "status text NOT NULL DEFAULT 'new'::text, flag boolean, CONSTRAINT checks_check CHECK "
        "((((status <> ''::text) AND ((id > 0) AND (id < 10))) OR (id = 0))));\n"
        "CREATE SEQUENCE public.checks_id_seq OWNED BY public.checks.id;\n"
        "CREATE UNIQUE INDEX started ON public.checks USING btree (lower((status)::text)) "
        "WHERE (status = 'started'::text);");
    EXPECT_TRUE(r.differences.empty()) << ::testing::PrintToString(r.differences);
}

TEST(SchemaRollback, ExpressionsFollowRenames) {
    // Index expressions, enum defaults and sequence defaults are stored by
    // reference in PostgreSQL: renames show through them.
    auto r = rollback(
        "CREATE TYPE mode AS ENUM ('open', 'closed');\n"
        "CREATE TABLE s (id serial, m mode NOT NULL DEFAULT 'open', t timestamptz);\n"
        "CREATE INDEX s_recent ON s (date(t)) WHERE t IS NOT NULL;",
        "ALTER TABLE s RENAME COLUMN t TO t_old;\nALTER TABLE s ADD COLUMN t timestamptz;\n"
        "ALTER TYPE mode RENAME VALUE 'open' TO 'Open';\n"
        "ALTER SEQUENCE s_id_seq RENAME TO s_new_seq;",
        "ALTER TABLE s DROP COLUMN t;\nALTER TABLE s RENAME COLUMN t_old TO t;\n"
        "ALTER TYPE mode RENAME VALUE 'Open' TO 'open';\n"
        "ALTER SEQUENCE s_new_seq RENAME TO s_id_seq;");
    EXPECT_TRUE(r.differences.empty()) << ::testing::PrintToString(r.differences);
    SchemaModel m = replay(
        "CREATE TABLE s (id serial, t int);\nCREATE INDEX i ON s (abs(t));\n"
        "ALTER TABLE s RENAME COLUMN t TO u;\nALTER SEQUENCE s_id_seq RENAME TO q;");
    EXPECT_EQ(m.relation("i")->index_columns, Strings{"abs(u)"});
    EXPECT_EQ(col(m, "s", "id")->default_expr, "nextval('q')");
}

TEST(SchemaRollback, ObjectsDroppedUnseenMayComeBack) {
    // The up drops a table the history never showed (created outside the
    // migrations); the down restores it: that is not "left over".
    auto r = rollback("CREATE TABLE users (id int);",
                      "DROP TABLE IF EXISTS schema_migrations;\nDROP FUNCTION old_fn(int);",
                      "CREATE TABLE schema_migrations (id serial PRIMARY KEY);\n"
                      "CREATE FUNCTION old_fn(int) RETURNS int LANGUAGE sql AS 'select 1';");
    EXPECT_FALSE(r.uncertain);
    EXPECT_TRUE(r.differences.empty()) << ::testing::PrintToString(r.differences);
}

TEST(SchemaRollback, ConstraintChangesAreDescribed) {
    auto r =
        rollback("CREATE TABLE a (id int PRIMARY KEY);\nCREATE TABLE b (a_id int REFERENCES a);",
                 "ALTER TABLE b DROP CONSTRAINT b_a_id_fkey;\nALTER TABLE b ADD CONSTRAINT "
                 "b_a_id_fkey FOREIGN KEY (a_id) REFERENCES a ON DELETE CASCADE;",
                 "SELECT 1;");
    EXPECT_EQ(r.differences,
              Strings{"constraint b_a_id_fkey on b changed from FOREIGN KEY (a_id) REFERENCES a "
                      "(id) to FOREIGN KEY (a_id) REFERENCES a (id) ON DELETE CASCADE"});
}

TEST(SchemaRollback, TemporaryTablesAreNotLeftOver) {
    auto r = rollback("", "CREATE TEMP TABLE scratch (id int);", "");
    EXPECT_TRUE(r.differences.empty()) << ::testing::PrintToString(r.differences);
}

}  // namespace

namespace {

// check_rollback replays the pair on the model in a trial and diffs only what
// the trial touched: what reaches further, through cascades, renames and
// types, must come out as a diff of the whole model would say.
TEST(SchemaRollback, ReachableSubsetGivesTheWholeModelsAnswer) {
    const std::string history =
        "CREATE SCHEMA app;\n"
        "CREATE TYPE mood AS ENUM ('a');\n"
        "CREATE TABLE users (id int PRIMARY KEY, m mood);\n"
        "CREATE TABLE orders (id int, user_id int REFERENCES users (id));\n"
        "CREATE INDEX orders_user_idx ON orders (user_id);\n"
        "CREATE VIEW user_orders AS SELECT u.id FROM users u JOIN orders o ON o.user_id = u.id;\n"
        "CREATE TABLE app.things (id int, m mood);\n"
        "CREATE TABLE unrelated (id int, text_col text);\n"
        "CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;\n"
        "CREATE TRIGGER users_touch BEFORE UPDATE ON users FOR EACH ROW EXECUTE FUNCTION "
        "touch();\n";
    const std::pair<const char*, const char*> pairs[] = {
        // CASCADE reaches a foreign key and a view that are not named.
        {"DROP TABLE users CASCADE;", "CREATE TABLE users (id int PRIMARY KEY, m mood);"},
        // A type dropped with CASCADE takes columns of tables never named.
        {"DROP TYPE mood CASCADE;", "CREATE TYPE mood AS ENUM ('a');"},
        // A whole schema.
        {"DROP SCHEMA app CASCADE;", "CREATE SCHEMA app;"},
        // Every pair here is incomplete: the differences are what is compared.
        {"ALTER SCHEMA app RENAME TO app2;", ""},
        // Routines and triggers are reached by their names or their table's.
        {"DROP TRIGGER users_touch ON users;\nDROP FUNCTION touch();", ""},
        {"ALTER TABLE users RENAME TO people;", "ALTER TABLE people RENAME TO users_old;"},
        // A rename the down forgets, and an index left over.
        {"ALTER TABLE orders RENAME TO purchases;\nCREATE INDEX u_idx ON users (m);", ""},
    };
    for (const auto& [up, down] : pairs) {
        SCOPED_TRACE(up);
        schema::SchemaModel before = replay(history);
        schema::SchemaModel whole = before;
        whole.replay(*parse(up));
        whole.replay(*parse(down));
        schema::RollbackCheck r = schema::check_rollback(before, *parse(up), *parse(down));
        ASSERT_FALSE(r.uncertain) << ::testing::PrintToString(r.reasons);
        EXPECT_EQ(r.differences, diff(before, whole));
        EXPECT_FALSE(diff(before, whole).empty());
    }
}

// The filter in front of the hash set shares a slot between names of one
// length with the same first and last byte: it must only ever answer "no".
TEST(SchemaNames, FilterNeverHidesANameOfTheSameSlot) {
    Names names;
    names.add("users");
    names.add("");
    ASSERT_EQ(Names::slot("users"), Names::slot("ulers"));
    EXPECT_TRUE(names.count("users"));
    EXPECT_TRUE(names.count(""));
    EXPECT_FALSE(names.count("ulers"));
    EXPECT_FALSE(names.count("orders"));
    EXPECT_FALSE(Names().count(""));
}

// The part a pair reaches, diffed where it lies in the model, is the diff of
// a copy of that part.
TEST(SchemaDiff, PartInPlaceDiffsLikeItsCopy) {
    SchemaModel before = replay(
        "CREATE TABLE users (id int PRIMARY KEY);\n"
        "CREATE TABLE orders (id int, user_id int REFERENCES users (id));\n"
        "CREATE TABLE other (id int);\nCREATE INDEX other_idx ON other (id);");
    Names names;
    names.add("users");
    ModelPart part = reachable_part(before, names);
    ASSERT_EQ(part.relations.size(), 3u);  // users, its primary key, orders
    SchemaModel after = copy_of(part);
    after.replay(*parse("ALTER TABLE orders DROP COLUMN user_id;\nDROP TABLE users;"));
    EXPECT_EQ(diff(part, after), diff(copy_of(part), after));
    // `other` is outside the part: not "removed".
    EXPECT_EQ(diff(part, after), (std::vector<std::string>{
                                     "column orders.user_id was removed",
                                     "constraint orders_user_id_fkey on orders was removed",
                                     "index users_pkey was removed", "table users was removed"}));
}

// A relation's column index is a cache: a copy starts without one and must
// still find its own columns, not the original's, after either side changes.
// Narrow tables are scanned, wide ones (over 64 columns) indexed: both ways.
TEST(SchemaModelCopy, CopiedRelationsFindTheirOwnColumns) {
    for (int fillers : {0, 100}) {
        SCOPED_TRACE(fillers);
        std::string sql = "CREATE TABLE users (id int, email text";
        for (int i = 0; i < fillers; ++i) sql += ", f" + std::to_string(i) + " int";
        auto m = replay(sql + ");");
        Relation& users = *m.relations.edit("users");
        const std::size_t age = users.columns.size();
        ASSERT_TRUE(users.find_column("email"));  // the original's index is built
        Relation copy = users;
        ASSERT_EQ(copy.find_column("email"), &copy.columns[1]);
        copy.columns.push_back(copy.columns[0]);
        copy.columns.back().name = "age";
        EXPECT_EQ(copy.find_column("age"), &copy.columns[age]);
        EXPECT_EQ(users.find_column("age"), nullptr);
        Relation assigned;
        assigned = copy;
        EXPECT_EQ(assigned.find_column("age"), &assigned.columns[age]);
        EXPECT_EQ(assigned.find_column("id"), &assigned.columns[0]);
        EXPECT_EQ(assigned.find_column("nope"), nullptr);
        // The first of two columns of one name, as PostgreSQL's errors would.
        assigned.columns.push_back(assigned.columns[1]);
        EXPECT_EQ(assigned.find_column("email"), &assigned.columns[1]);
        assigned.columns.erase(assigned.columns.begin() + 1);
        assigned.columns_changed();
        EXPECT_EQ(assigned.find_column("email"), &assigned.columns.back());
        SchemaModel part = copy_of(whole_model(m));
        EXPECT_EQ(part.relations.edit("users")->find_column("email"),
                  &part.relations.at("users").columns[1]);
    }
}

}  // namespace
