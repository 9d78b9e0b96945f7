// verify's comparison of the static schema model with PostgreSQL's catalog
// (verify/model_check.h), on snapshots written as the catalog queries return
// them (format_type spelling, quote_ident'ed names). verify_test.py runs the
// same check against a real server.
#include "verify/model_check.h"

#include <gtest/gtest.h>

#include "schema_test_support.h"

using namespace pgw;

namespace {

SchemaObject table(const std::string& name) {
    return {"table", name, "", {}, ""};
}

SchemaObject column(const std::string& table, const std::string& name, const std::string& type,
                    bool not_null) {
    return {"column",
            table + "." + name,
            table,
            {{"type", type}, {"not null", not_null ? "yes" : "no"}},
            ""};
}

std::vector<std::string> kinds(const ModelAgreement& a) {
    std::vector<std::string> out;
    for (const auto& d : a.disagreements) out.push_back(d.kind + ": " + d.object);
    return out;
}

}  // namespace

TEST(ModelCheck, TypeNamesAsFormatTypePrintsThem) {
    EXPECT_EQ(catalog_type_name("varchar(20)"), "character varying(20)");
    EXPECT_EQ(catalog_type_name("varchar"), "character varying");
    EXPECT_EQ(catalog_type_name("timestamptz"), "timestamp with time zone");
    EXPECT_EQ(catalog_type_name("timestamp(3)"), "timestamp(3) without time zone");
    EXPECT_EQ(catalog_type_name("char"), "character(1)");
    EXPECT_EQ(catalog_type_name("char(4)[]"), "character(4)[]");
    EXPECT_EQ(catalog_type_name("bigserial"), "bigint");
    EXPECT_EQ(catalog_type_name("timetz"), "time with time zone");
    EXPECT_EQ(catalog_type_name("public.mood[]"), "mood[]");
    EXPECT_EQ(catalog_type_name("numeric(10,2)"), "numeric(10,2)");
    EXPECT_EQ(catalog_type_name("integer"), "integer");
    EXPECT_EQ(catalog_type_name("t%TYPE"), "");  // not compared
}

TEST(ModelCheck, AgreesWithTheCatalogItDescribes) {
    schema::SchemaModel m = test::replay(
        "CREATE TABLE users (id serial PRIMARY KEY, email varchar(20) NOT NULL, at timestamptz);\n"
        "CREATE INDEX users_at ON users (at);\n");
    Snapshot s;
    s.objects = {table("public.users"),
                 column("public.users", "id", "integer", true),
                 column("public.users", "email", "character varying(20)", true),
                 column("public.users", "at", "timestamp with time zone", false),
                 {"index", "public.users_at", "public.users", {}, ""}};
    ModelAgreement a = compare_model(m, s);
    EXPECT_EQ(kinds(a), std::vector<std::string>{});
    EXPECT_EQ(a.compared, 5u);  // the table, three columns, the index
}

TEST(ModelCheck, NamesEachDisagreement) {
    schema::SchemaModel m = test::replay(
        "CREATE TABLE users (id bigint PRIMARY KEY, email varchar(20), name text);\n"
        "CREATE TABLE gone (id int);\n"
        "CREATE INDEX users_email ON users (email);\n");
    Snapshot s;
    s.objects = {table("public.users"),
                 table("audit.\"Log\""),
                 column("public.users", "id", "bigint", true),
                 column("public.users", "email", "character varying(30)", true),
                 column("public.users", "\"Extra\"", "text", false),
                 {"index", "public.users_other", "public.users", {}, ""}};
    std::vector<std::string> got = kinds(compare_model(m, s));
    std::sort(got.begin(), got.end());
    EXPECT_EQ(got, (std::vector<std::string>{
                       "column missing: public.users.name",
                       "column nullability: public.users.email",
                       "column type: public.users.email",
                       "column unknown to the model: public.users.Extra",
                       "index missing: public.users_email",
                       "index unknown to the model: public.users_other",
                       "table missing: public.gone",
                       "table unknown to the model: audit.Log",
                   }));
}

TEST(ModelCheck, WhatTheModelDoesNotClaimIsNotCompared) {
    // Dynamic SQL: the model says it may have missed objects, so what it
    // lacks is no disagreement; a table from a query has columns it does not list.
    schema::SchemaModel m = test::replay(
        "CREATE TABLE t AS SELECT 1 AS a;\n"
        "DO $$ BEGIN EXECUTE format('CREATE TABLE %I (id int)', 'hid' || 'den'); END $$;\n");
    Snapshot s;
    s.objects = {table("public.t"), column("public.t", "a", "integer", false),
                 table("public.hidden")};
    EXPECT_EQ(kinds(compare_model(m, s)), std::vector<std::string>{});
}
