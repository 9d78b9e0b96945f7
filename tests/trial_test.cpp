// Trials: statements replayed on a model and undone (schema/journaled_map.h,
// SchemaModel::Trial). The rollback check and the down files' lint run on the
// set's model this way, so a trial must leave the model exactly as it was.
#include <gtest/gtest.h>

#include <map>
#include <optional>
#include <stdexcept>
#include <string>

#include "schema/journaled_map.h"
#include "schema_test_support.h"

using namespace pgw;
using namespace pgw::schema;
using namespace pgw::test;

namespace {

// Every part of a model a replay can change, compared.
void expect_same(const SchemaModel& a, const SchemaModel& b) {
    EXPECT_TRUE(a.relations.map() == b.relations.map());
    EXPECT_TRUE(a.types.map() == b.types.map());
    EXPECT_TRUE(a.routines.map() == b.routines.map());
    EXPECT_TRUE(a.triggers.map() == b.triggers.map());
    EXPECT_TRUE(a.policies.map() == b.policies.map());
    EXPECT_TRUE(a.schemas.map() == b.schemas.map());
    EXPECT_TRUE(a.extensions.map() == b.extensions.map());
    ASSERT_EQ(a.created_names.size(), b.created_names.size());
    for (auto i = a.created_names.begin(), j = b.created_names.begin(); i != a.created_names.end();
         ++i, ++j) {
        EXPECT_EQ(i->first, j->first);
        EXPECT_EQ(i->second.kind, j->second.kind);
        EXPECT_EQ(i->second.creator, j->second.creator);
    }
    EXPECT_EQ(a.dropped_unknown, b.dropped_unknown);
    EXPECT_EQ(a.truncated, b.truncated);
    EXPECT_EQ(a.search_path, b.search_path);
    EXPECT_EQ(a.unknown_effects(), b.unknown_effects());
    EXPECT_EQ(a.unknown_reasons(), b.unknown_reasons());
    EXPECT_EQ(a.current(), b.current());
    for (std::int32_t n = 0; n < 4; ++n) EXPECT_EQ(a.by_change(n), b.by_change(n)) << n;
}

const char* const kHistory =
    "CREATE SCHEMA app;\n"
    "CREATE TYPE mood AS ENUM ('a', 'b');\n"
    "CREATE DOMAIN posint AS int CHECK (VALUE > 0);\n"
    "CREATE TABLE users (id serial PRIMARY KEY, m mood DEFAULT 'a', n posint, email text);\n"
    "CREATE UNIQUE INDEX users_email ON users (lower(email)) WHERE email IS NOT NULL;\n"
    "CREATE TABLE orders (id int, user_id int REFERENCES users (id)) PARTITION BY RANGE (id);\n"
    "CREATE TABLE orders_1 PARTITION OF orders FOR VALUES FROM (0) TO (10);\n"
    "CREATE INDEX orders_user_idx ON orders (user_id);\n"
    "CREATE VIEW user_orders AS SELECT u.id, u.email FROM users u JOIN orders o ON o.user_id = "
    "u.id;\n"
    "CREATE TABLE app.things (id int, m mood);\n"
    "CREATE SEQUENCE tickets;\n"
    "CREATE TABLE queue (id bigint DEFAULT nextval('tickets'));\n"
    "CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;\n"
    "CREATE TRIGGER users_touch BEFORE UPDATE ON users FOR EACH ROW EXECUTE FUNCTION touch();\n"
    "CREATE POLICY own ON users USING (true);\n"
    "CREATE EXTENSION IF NOT EXISTS pgcrypto;\n"
    "DROP TABLE IF EXISTS never_seen;\n";

// What the set replay and the tests do in trials: every kind of change the
// model follows, cascades and renames that reach objects never named.
const char* const kTrials[] = {
    "DROP TABLE users CASCADE;",
    "DROP TYPE mood CASCADE;\nDROP DOMAIN posint CASCADE;",
    "DROP SCHEMA app CASCADE;",
    "ALTER SCHEMA app RENAME TO app2;",
    "ALTER TABLE users RENAME TO people;\nALTER TABLE people RENAME COLUMN email TO mail;",
    "ALTER TABLE users DROP COLUMN email;\nALTER TABLE users ADD COLUMN age int NOT NULL;",
    "ALTER TABLE users RENAME CONSTRAINT users_pkey TO users_pk;",
    "ALTER TABLE orders DETACH PARTITION orders_1;\nDROP TABLE orders_1;",
    "ALTER TYPE mood RENAME TO feeling;\nALTER TYPE feeling ADD VALUE 'c';",
    "ALTER TYPE mood RENAME VALUE 'a' TO 'z';",
    "DROP SEQUENCE tickets CASCADE;",
    "ALTER SEQUENCE tickets RENAME TO tickets2;",
    "ALTER TABLE app.things SET SCHEMA public;",
    "DROP TRIGGER users_touch ON users;\nDROP FUNCTION touch();\nDROP POLICY own ON users;",
    "ALTER TRIGGER users_touch ON users RENAME TO t2;\nALTER FUNCTION touch() RENAME TO t3;",
    "CREATE OR REPLACE FUNCTION touch() RETURNS trigger LANGUAGE sql AS $$ SELECT 1 $$;",
    "DROP EXTENSION pgcrypto;\nCREATE EXTENSION hstore;",
    "SET search_path TO app, public;\nCREATE TABLE things2 (id int);",
    "CREATE TEMP TABLE scratch (id int);\nTRUNCATE users;",
    "DROP TABLE IF EXISTS ghost;\nDROP INDEX IF EXISTS ghost_idx;",
    "DO $$ BEGIN EXECUTE 'DROP TABLE ' || 'users'; END $$;",
    "DROP OWNED BY someone;",
    "CREATE TABLE users (id int);",  // fails in PostgreSQL; the model replaces it
};

TEST(SchemaTrial, LeavesTheModelAsItWas) {
    for (const char* sql : kTrials) {
        SCOPED_TRACE(sql);
        SchemaModel model = replay(kHistory);
        model.begin_migration(1, true);
        SchemaModel before = model;
        auto m = parse(sql);
        {
            SchemaModel::Trial trial(model);
            EXPECT_TRUE(model.in_trial());
            EXPECT_EQ(model.unknown_effects(), 0u);  // as in a fresh copy
            EXPECT_TRUE(model.dropped_unknown.empty());
            model.settle(1);
            model.begin_migration(2, true);
            model.replay(*m);
        }
        EXPECT_FALSE(model.in_trial());
        expect_same(model, before);
    }
}

// In a trial, the changed objects before and after diff as the whole model
// before and after would.
TEST(SchemaTrial, ItsChangesDiffLikeTheWholeModel) {
    for (const char* sql : kTrials) {
        SCOPED_TRACE(sql);
        SchemaModel model = replay(kHistory);
        SchemaModel before = model;
        auto m = parse(sql);
        SchemaModel::Trial trial(model);
        model.replay(*m);
        SchemaModel changed_before, changed_after;
        model.trial_changes(changed_before, changed_after);
        SchemaModel whole_after = model;  // a copy, with the trial's unknown drops
        before.dropped_unknown.clear();
        EXPECT_EQ(diff(changed_before, changed_after), diff(before, whole_after));
    }
}

// A rollback check leaves the set's model as it found it, and the next check
// sees nothing of the last one.
TEST(SchemaTrial, RollbackChecksLeaveNoTrace) {
    SchemaModel model = replay(kHistory);
    SchemaModel before = model;
    auto r = check_rollback(model, *parse("DROP TABLE users CASCADE;"), *parse(""));
    EXPECT_FALSE(r.differences.empty());
    expect_same(model, before);
    auto again =
        check_rollback(model, *parse("CREATE INDEX i ON users (id);"), *parse("DROP INDEX i;"));
    EXPECT_TRUE(again.differences.empty()) << ::testing::PrintToString(again.differences);
    expect_same(model, before);
}

// A second trial would take over the first's journals: refused.
TEST(SchemaTrial, DoesNotNest) {
    SchemaModel model = replay(kHistory);
    SchemaModel before = model;
    {
        SchemaModel::Trial trial(model);
        EXPECT_THROW(SchemaModel::Trial again(model), std::logic_error);
        model.replay(*parse("DROP TABLE users CASCADE;"));
    }
    expect_same(model, before);
}

// The set replay records an up file's lint and then checks its down file
// alone (check_rollback_after): for every up and down, the same answer as
// one trial of both (check_rollback), and the model the up leaves is the
// one it leaves without a recording.
TEST(SchemaRecording, RollbackAfterTheUpAnswersAsOneTrialOfBoth) {
    std::vector<std::string> downs(std::begin(kTrials), std::end(kTrials));
    downs.push_back("");
    downs.push_back("CREATE TABLE ghost (id int);");  // may come back: the up dropped it unseen
    downs.push_back(
        "CREATE TABLE users (id serial PRIMARY KEY, m mood DEFAULT 'a', n posint, "
        "email text);");
    std::size_t differing = 0, uncertain = 0;  // the cases reach both outcomes
    for (const char* up_sql : kTrials) {
        const SchemaModel history = replay(kHistory);
        auto up = parse(up_sql);
        SchemaModel plain = history;
        plain.replay(*up);
        for (const std::string& down_sql : downs) {
            SCOPED_TRACE(std::string(up_sql) + "\n-- down:\n" + down_sql);
            auto down = parse(down_sql);
            SchemaModel one_trial = history;
            RollbackCheck expected = check_rollback(one_trial, *up, *down);
            SchemaModel model = history;
            SchemaModel::Recording recording(model);
            model.replay(*up);
            recording.finish();
            expect_same(model, plain);
            RollbackCheck r = check_rollback_after(model, recording, *down);
            EXPECT_EQ(r.uncertain, expected.uncertain);
            EXPECT_EQ(r.reasons, expected.reasons);
            EXPECT_EQ(r.differences, expected.differences);
            expect_same(model, plain);  // the down's trial is undone
            differing += !expected.differences.empty();
            uncertain += expected.uncertain;
        }
    }
    EXPECT_GT(differing, 100u);
    EXPECT_GT(uncertain, 10u);
}

// A change that replaces a whole map (edit_all: no key noted) while recording
// or in the trial after it still diffs as the whole model does.
TEST(SchemaRecording, WholeMapChangesDiffLikeTheWholeModel) {
    const SchemaModel other = replay("CREATE TABLE other (id int);\nCREATE TYPE t AS (a int);");
    for (bool in_recording : {true, false}) {
        SCOPED_TRACE(in_recording ? "recording" : "trial");
        SchemaModel model = replay(kHistory);
        SchemaModel before = model;
        SchemaModel::Recording recording(model);
        model.replay(*parse("CREATE INDEX users_id_idx ON users (id);"));
        if (in_recording) model.relations = other.relations;
        recording.finish();
        SchemaModel::Trial trial(model);
        model.replay(*parse("DROP TYPE mood CASCADE;"));
        if (!in_recording) model.types = other.types;
        SchemaModel changed_before, changed_after;
        model.changes_since(recording, changed_before, changed_after);
        SchemaModel whole_after = model;
        whole_after.dropped_unknown = changed_after.dropped_unknown;
        before.dropped_unknown.clear();
        EXPECT_EQ(diff(changed_before, changed_after), diff(before, whole_after));
        EXPECT_FALSE(diff(before, whole_after).empty());
    }
}

// What only diffs read is held aside while recording and put back merged;
// trials and recordings never overlap.
TEST(SchemaRecording, KeepsTheModelsOwnStateAndRefusesOverlaps) {
    SchemaModel model = replay(kHistory);  // its history dropped never_seen unseen
    ASSERT_EQ(model.dropped_unknown.size(), 1u);
    {
        SchemaModel::Recording recording(model);
        EXPECT_THROW(SchemaModel::Trial trial(model), std::logic_error);
        EXPECT_THROW(SchemaModel::Recording again(model), std::logic_error);
        model.replay(*parse("DROP TABLE IF EXISTS ghost;\nDROP OWNED BY someone;"));
        recording.finish();
        EXPECT_EQ(recording.unknown_effects(), 1u);
        SchemaModel::Trial trial(model);  // allowed once finished
        EXPECT_THROW(SchemaModel::Recording during(model), std::logic_error);
    }
    EXPECT_EQ(model.dropped_unknown, (NameSet{"relation:ghost", "relation:never_seen"}));
    EXPECT_EQ(model.unknown_effects(), 1u);
    EXPECT_EQ(model.unknown_reasons().size(), 1u);
}

TEST(JournaledMap, RestoresWhatEachKindOfChangeDid) {
    using Map = JournaledMap<std::map<std::string, int, std::less<>>>;
    Map m;
    m["a"] = 1;
    m["b"] = 2;
    m["c"] = 3;
    const std::map<std::string, int, std::less<>> start = m.map();
    Map::Saved saved;
    m.begin_trial(&saved);
    m["a"] = 10;
    m["a"] = 11;  // the first value before the trial is what comes back
    m["new"] = 4;
    m.erase("b");
    *m.edit("c") = 30;
    EXPECT_EQ(m.edit("absent"), nullptr);
    EXPECT_EQ(*m.take("c"), 30);
    m.append({"zz", 5});
    m.erase_if_key([](const std::string& k) { return k == "new"; });
    m.restore();
    EXPECT_TRUE(m.map() == start);

    // After edit_all() a change need not say which key it touches.
    saved.clear();
    m.begin_trial(&saved);
    m.edit_all()["added"] = 7;
    m.edit_all().erase("a");
    m = Map();  // assignment replaces everything
    m.restore();
    EXPECT_TRUE(m.map() == start);

    // Outside a trial nothing is saved.
    m["d"] = 4;
    EXPECT_EQ(m.map().size(), 4u);
    EXPECT_EQ(m.saved(), nullptr);

    // keep() ends the journal with the changes in place and the saved
    // entries as they were.
    saved.clear();
    m.begin_trial(&saved);
    m["a"] = 100;
    m.erase("d");
    EXPECT_FALSE(m.keep());
    EXPECT_EQ(m.saved(), nullptr);
    EXPECT_EQ(m.map().at("a"), 100);
    EXPECT_EQ(m.map().count("d"), 0u);
    ASSERT_EQ(saved.size(), 2u);
    EXPECT_EQ(saved.at("a"), std::optional<int>(1));
    EXPECT_EQ(saved.at("d"), std::optional<int>(4));
    saved.clear();
    m.begin_trial(&saved);
    m.edit_all()["e"] = 5;
    EXPECT_TRUE(m.keep());
}

}  // namespace
