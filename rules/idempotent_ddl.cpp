// idempotent-ddl: DDL that fails when the migration is run a second time (a retried
// deploy, a half-applied file, a runner without bookkeeping).
#include <cctype>

#include "support.h"

namespace pgw {
namespace {

// The drop that makes a following CREATE re-runnable: `DROP VIEW IF EXISTS v; CREATE VIEW v`.
struct DropKey {
    std::string_view remove_type;  // OBJECT_VIEW, ...
    std::string name;              // as normalized() builds it
};

// Objects named within a table: DROP TRIGGER tr ON s.t is the list s.t.tr.
bool table_owned(std::string_view remove_type) {
    return remove_type == "OBJECT_TRIGGER" || remove_type == "OBJECT_RULE" ||
           remove_type == "OBJECT_POLICY";
}

// "schema.name" without a public prefix; "schema.table.name" for table-owned objects.
std::string normalized(std::string_view remove_type, const std::string& dotted) {
    auto dot = dotted.rfind('.');
    if (!table_owned(remove_type) || dot == std::string::npos) return normalize_relation(dotted);
    return normalize_relation(dotted.substr(0, dot)) + "." + dotted.substr(dot + 1);
}

std::string relation_of(node::Element fields, std::string_view key) {
    node::Element rel;
    if (!node::get(fields, key, rel)) return {};
    return normalize_relation(node::str(rel, "schemaname"), node::str(rel, "relname"));
}

// What a statement creates and how it could be written to survive a re-run.
struct Creation {
    bool idempotent = true;
    std::string what;     // "CREATE TABLE users"
    std::string fix;      // "add IF NOT EXISTS"
    std::string problem;  // empty: it fails when the object exists
    DropKey drop;         // the DROP ... IF EXISTS that would also make it safe
};

Creation creation(const Statement& st, const Context& ctx) {
    Creation c;
    const node::Element n = st.node;
    const std::string_view kind = st.kind;
    auto needs = [&](bool ok, std::string what, std::string fix, std::string_view type,
                     std::string name) {
        c.idempotent = ok;
        c.what = std::move(what);
        c.fix = std::move(fix);
        c.drop = {type, normalized(type, name)};
    };
    const std::string if_not_exists = "add IF NOT EXISTS";
    const std::string or_replace = "use CREATE OR REPLACE";
    if (kind == "CreateStmt") {
        node::Element rel;
        // A temporary table lives as long as the session: a re-run starts from scratch.
        if (node::get(n, "relation", rel) && node::str(rel, "relpersistence") == "t") return c;
        std::string name = relation_of(n, "relation");
        needs(node::flag(n, "if_not_exists"), "CREATE TABLE " + quote_name(name), if_not_exists,
              "OBJECT_TABLE", name);
    } else if (kind == "CreateTableAsStmt") {
        node::Element into;
        std::string name = node::get(n, "into", into) ? relation_of(into, "rel") : "";
        bool matview = node::str(n, "objtype") == "OBJECT_MATVIEW";
        needs(node::flag(n, "if_not_exists"),
              std::string(matview ? "CREATE MATERIALIZED VIEW " : "CREATE TABLE ") +
                  quote_name(name) + " AS",
              if_not_exists, matview ? "OBJECT_MATVIEW" : "OBJECT_TABLE", name);
    } else if (kind == "IndexStmt") {
        std::string_view idx = node::str(n, "idxname");
        std::string schema = relation_of(n, "relation");
        auto dot = schema.rfind('.');
        std::string name = dot == std::string::npos ? std::string(idx)
                                                    : schema.substr(0, dot + 1) + std::string(idx);
        if (idx.empty()) {
            // IF NOT EXISTS needs a name; without one every run adds another index.
            needs(false, "CREATE INDEX without a name", "name the index and add IF NOT EXISTS",
                  "OBJECT_INDEX", "");
            c.problem = "adds another copy of the index every time the migration runs";
        } else {
            needs(node::flag(n, "if_not_exists"), "CREATE INDEX " + quote_identifier(idx),
                  if_not_exists, "OBJECT_INDEX", name);
        }
    } else if (kind == "CreateSchemaStmt") {
        std::string name(node::str(n, "schemaname"));
        needs(node::flag(n, "if_not_exists"), "CREATE SCHEMA " + quote_identifier(name),
              if_not_exists, "OBJECT_SCHEMA", name);
    } else if (kind == "CreateSeqStmt") {
        std::string name = relation_of(n, "sequence");
        needs(node::flag(n, "if_not_exists"), "CREATE SEQUENCE " + quote_name(name), if_not_exists,
              "OBJECT_SEQUENCE", name);
    } else if (kind == "CreateExtensionStmt") {
        std::string name(node::str(n, "extname"));
        needs(node::flag(n, "if_not_exists"), "CREATE EXTENSION " + quote_identifier(name),
              if_not_exists, "OBJECT_EXTENSION", name);
    } else if (kind == "CreateFunctionStmt") {
        bool proc = node::flag(n, "is_procedure");
        std::string name = node::dotted_names(n, "funcname");
        needs(node::flag(n, "replace"),
              (proc ? "CREATE PROCEDURE " : "CREATE FUNCTION ") + quote_name(name), or_replace,
              proc ? "OBJECT_PROCEDURE" : "OBJECT_FUNCTION", name);
    } else if (kind == "ViewStmt") {
        std::string name = relation_of(n, "view");
        needs(node::flag(n, "replace"), "CREATE VIEW " + quote_name(name), or_replace,
              "OBJECT_VIEW", name);
    } else if (kind == "CreateTrigStmt") {
        std::string name = relation_of(n, "relation") + "." + std::string(node::str(n, "trigname"));
        // CREATE OR REPLACE TRIGGER only exists from PostgreSQL 14; before that the
        // re-runnable form is DROP TRIGGER IF EXISTS followed by CREATE TRIGGER (a
        // preceding matching DROP ... IF EXISTS makes the CREATE idempotent below).
        std::string trig = "CREATE TRIGGER " + quote_identifier(node::str(n, "trigname"));
        bool replace = node::flag(n, "replace");
        const std::string drop_first = "precede it with DROP TRIGGER IF EXISTS";
        if (ctx.config.pg_version >= 14) {
            needs(replace, trig, "use CREATE OR REPLACE TRIGGER (PostgreSQL 14+)", "OBJECT_TRIGGER",
                  name);
        } else if (replace) {
            needs(false, "CREATE OR REPLACE " + trig.substr(7), drop_first + " and drop OR REPLACE",
                  "OBJECT_TRIGGER", name);
            c.problem = "does not exist before PostgreSQL 14: the migration fails on PostgreSQL " +
                        std::to_string(ctx.config.pg_version);
        } else {
            needs(false, trig, drop_first + " (OR REPLACE needs PostgreSQL 14)", "OBJECT_TRIGGER",
                  name);
        }
    } else if (kind == "RuleStmt") {
        std::string name = relation_of(n, "relation") + "." + std::string(node::str(n, "rulename"));
        needs(node::flag(n, "replace"), "CREATE RULE " + quote_identifier(node::str(n, "rulename")),
              or_replace, "OBJECT_RULE", name);
    } else if (kind == "CreateEnumStmt" || kind == "CompositeTypeStmt") {
        std::string name = kind == "CreateEnumStmt" ? node::dotted_names(n, "typeName")
                                                    : relation_of(n, "typevar");
        needs(false, "CREATE TYPE " + quote_name(name),
              "guard it in a DO block (CREATE TYPE has no IF NOT EXISTS)", "OBJECT_TYPE", name);
    } else if (kind == "CreateDomainStmt") {
        std::string name = node::dotted_names(n, "domainname");
        needs(false, "CREATE DOMAIN " + quote_name(name),
              "guard it in a DO block (CREATE DOMAIN has no IF NOT EXISTS)", "OBJECT_DOMAIN", name);
    }
    return c;
}

bool word_char(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '$' ||
           (static_cast<unsigned char>(c) & 0x80);
}

// Case-insensitive match of `word` at `at`, not followed by more of an identifier.
bool word_at(std::string_view text, std::size_t at, std::string_view word) {
    if (at + word.size() > text.size()) return false;
    for (std::size_t i = 0; i < word.size(); ++i)
        if (std::tolower(static_cast<unsigned char>(text[at + i])) !=
            std::tolower(static_cast<unsigned char>(word[i])))
            return false;
    return at + word.size() == text.size() || !word_char(text[at + word.size()]);
}

std::size_t skip_space(std::string_view text, std::size_t at) {
    while (at < text.size() && std::isspace(static_cast<unsigned char>(text[at]))) ++at;
    return at;
}

// `DROP [COLUMN|CONSTRAINT] name` in an ALTER TABLE: the parse tree has no location
// for the command, and pointing at the ALTER TABLE line would hide which one it is.
Span drop_command_span(const Statement& st, std::string_view noise, std::string_view name) {
    std::string_view text = st.text;
    for (std::size_t at = 0; at < text.size(); ++at) {
        if ((at > 0 && word_char(text[at - 1])) || !word_at(text, at, "drop")) continue;
        std::size_t p = skip_space(text, at + 4);
        if (word_at(text, p, noise)) p = skip_space(text, p + noise.size());
        std::size_t start = p;
        if (p < text.size() && text[p] == '"') ++p;
        if (word_at(text, p, name) || text.compare(p, name.size(), name) == 0) {
            // To the end of the name as written: a quoted one ends at its closing quote.
            Span whole = rules::name_span(st, static_cast<int64_t>(start));
            return Span{st.span_at(static_cast<int64_t>(at)).begin, whole.end};
        }
    }
    return st.span;
}

// OBJECT_FOREIGN_TABLE -> "FOREIGN TABLE", for messages.
std::string drop_keyword(std::string_view remove_type) {
    if (remove_type == "OBJECT_MATVIEW") return "MATERIALIZED VIEW";
    std::string t(remove_type.substr(remove_type.find('_') + 1));
    for (char& ch : t)
        if (ch == '_') ch = ' ';
    return t;
}

// The other DROP statements that have an IF EXISTS form (DROP OWNED has none, and
// succeeds when nothing is owned).
std::string drop_statement_name(std::string_view kind) {
    if (kind == "DropRoleStmt") return "DROP ROLE";
    if (kind == "DropdbStmt") return "DROP DATABASE";
    if (kind == "DropTableSpaceStmt") return "DROP TABLESPACE";
    if (kind == "DropSubscriptionStmt") return "DROP SUBSCRIPTION";
    if (kind == "DropUserMappingStmt") return "DROP USER MAPPING";
    return {};
}

class IdempotentDdl final : public Rule {
  public:
    const RuleInfo& info() const override {
        static const RuleInfo i{
            "idempotent-ddl",
            Category::idempotency,
            Severity::warning,
            Risk::none,
            "DDL that fails when the migration is run again",
            "make every statement re-runnable: CREATE ... IF NOT EXISTS for tables, indexes, "
            "schemas, sequences and extensions; CREATE OR REPLACE for functions, procedures, "
            "views, rules and (PostgreSQL 14+) triggers; DROP ... IF EXISTS; ADD COLUMN IF NOT "
            "EXISTS and DROP COLUMN IF EXISTS; ADD CONSTRAINT after DROP CONSTRAINT IF EXISTS of "
            "the same name. Types and domains have no IF NOT EXISTS: create them in a DO block "
            "under an existence check (IF NOT EXISTS (SELECT 1 FROM pg_type ...)) or an "
            "EXCEPTION WHEN duplicate_object handler. Off by default in sets whose tool records "
            "applied migrations and never runs one twice (goose, dbmate, prisma, flyway "
            "versioned, golang-migrate, sqlx, diesel, drizzle, synapse, liquibase, sqitch, "
            "popx, pop): set it in `rules` to hold them to it; on for plain folders, flyway "
            "R__ scripts and liquibase runOnChange / runAlways changesets",
            "CREATE TABLE tags (id bigint PRIMARY KEY);\n"
            "ALTER TABLE bookings ADD COLUMN tag_id bigint;\n"
            "CREATE TYPE mood AS ENUM ('happy', 'sad');",
            "CREATE TABLE IF NOT EXISTS tags (id bigint PRIMARY KEY);\n"
            "ALTER TABLE bookings ADD COLUMN IF NOT EXISTS tag_id bigint;\n"
            "DO $$ BEGIN\n"
            "  CREATE TYPE mood AS ENUM ('happy', 'sad');\n"
            "EXCEPTION WHEN duplicate_object THEN NULL;\n"
            "END $$;",
            "CREATE OR REPLACE TRIGGER needs PostgreSQL 14+: with --pg-version below 14 the "
            "rule asks for DROP TRIGGER IF EXISTS before CREATE TRIGGER, and flags CREATE OR "
            "REPLACE TRIGGER, which fails there",
            /*only_rerun=*/true};
        return i;
    }

    void check(const Statement& st, const Context& ctx, Emitter& out) const override {
        // `DROP ... IF EXISTS x` makes a later CREATE x of the file re-runnable.
        if (st.kind == "DropStmt" && node::flag(st.node, "missing_ok")) {
            std::string_view type = node::str(st.node, "removeType");
            for (const std::string& target : rules::drop_targets(st))
                ctx.notes->remember(this, std::string(type) + " " + normalized(type, target));
        }
        // An existence check or exception handler around it already makes it re-runnable.
        if (st.guarded) return;
        if (st.kind == "AlterTableStmt") return check_alter(st, ctx, out);
        if (st.kind.starts_with("Drop")) return check_drop(st, out);
        Creation c = creation(st, ctx);
        if (c.idempotent ||
            (!c.drop.name.empty() &&
             ctx.notes->seen(this, std::string(c.drop.remove_type) + " " + c.drop.name)))
            return;
        std::string problem = c.problem.empty()
                                  ? "fails if it already exists when the migration runs again"
                                  : c.problem;
        out.emit(st.span, c.what + " " + problem + ": " + c.fix);
    }

  private:
    static void check_drop(const Statement& st, Emitter& out) {
        if (node::flag(st.node, "missing_ok")) return;
        std::string what;
        if (st.kind == "DropStmt") {
            std::string_view type = node::str(st.node, "removeType");
            std::vector<std::string> names = rules::drop_targets(st);
            for (std::string& name : names) {
                auto dot = name.rfind('.');
                if (table_owned(type) && dot != std::string::npos)
                    name = quote_identifier(name.substr(dot + 1)) + " ON " +
                           quote_name(name.substr(0, dot));
                else if (type != "OBJECT_OPERATOR")  // a symbol: never quoted
                    name = quote_name(name);
            }
            what = "DROP " + drop_keyword(type) + " " + rules::join_list(names);
        } else {
            what = drop_statement_name(st.kind);
            if (what.empty()) return;
            // append(), not `" " + ...`: GCC 12 warns falsely (-Wrestrict) on the latter.
            if (st.kind == "DropdbStmt")
                what.append(" ").append(quote_identifier(node::str(st.node, "dbname")));
            std::vector<std::string> roles;
            for (node::Element role : node::List(st.node, "roles")) {
                node::Element spec;
                if (node::as(role, "RoleSpec", spec))
                    roles.emplace_back(node::str(spec, "rolename"));
            }
            if (!roles.empty()) what.append(" ").append(rules::join_names(roles));
        }
        out.emit(st.span, what +
                              " fails if it is already gone when the migration runs again: "
                              "add IF EXISTS");
    }

    void check_alter(const Statement& st, const Context& ctx, Emitter& out) const {
        std::string table = rules::target_relation(st);
        for (node::Element cmd : rules::alter_table_commands(st)) {
            std::string_view sub = node::str(cmd, "subtype");
            bool missing_ok = node::flag(cmd, "missing_ok");
            node::Element def, con;
            if (sub == "AT_DropConstraint" && missing_ok)
                ctx.notes->remember(
                    this, "constraint " + table + "." + std::string(node::str(cmd, "name")));
            if (sub == "AT_AddConstraint" && node::get(cmd, "def", def) &&
                node::as(def, "Constraint", con)) {
                std::string name(node::str(con, "conname"));
                Span span = rules::clause_span(st, node::integer(con, "location"));
                if (name.empty())
                    out.emit(span,
                             "ADD CONSTRAINT without a name adds another constraint each time "
                             "the migration runs again: name it and precede it with DROP "
                             "CONSTRAINT IF EXISTS");
                else if (!ctx.notes->seen(this, "constraint " + table + "." + name))
                    out.emit(span, "ADD CONSTRAINT " + quote_identifier(name) +
                                       " fails if it exists when the migration runs again: "
                                       "precede it with ALTER TABLE ... DROP CONSTRAINT IF "
                                       "EXISTS " +
                                       quote_identifier(name));
                continue;
            }
            if (sub == "AT_AddColumn" && !missing_ok) {
                node::Element def, col;
                std::string name;
                int64_t at = -1;
                if (node::get(cmd, "def", def) && node::as(def, "ColumnDef", col)) {
                    name = std::string(node::str(col, "colname"));
                    at = node::integer(col, "location");
                }
                out.emit(at < 0 ? st.span : rules::name_span(st, at),
                         "ADD COLUMN " + quote_identifier(name) +
                             " fails if the column exists when the migration "
                             "runs again: use ADD COLUMN IF NOT EXISTS");
            } else if ((sub == "AT_DropColumn" || sub == "AT_DropConstraint") && !missing_ok) {
                bool column = sub == "AT_DropColumn";
                std::string name(node::str(cmd, "name"));
                Span span = drop_command_span(st, column ? "column" : "constraint", name);
                out.emit(span, std::string(column ? "DROP COLUMN " : "DROP CONSTRAINT ") +
                                   quote_identifier(name) +
                                   " fails if it is already gone when the migration "
                                   "runs again: add IF EXISTS");
            }
        }
    }
};

PGW_REGISTER_RULE(IdempotentDdl);

}  // namespace
}  // namespace pgw
