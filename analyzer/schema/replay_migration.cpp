// What replaying a whole migration means: statements the model cannot read
// (they do not parse, dynamic SQL in DO blocks, template placeholders), and
// the end of the migration's session.
#include <algorithm>
#include <cctype>

#include "schema/replay.h"

namespace pgw::schema {

namespace {

// Statements that only create: with a templated name they create an object
// under a name that is not the real one (marked uncertain), but they cannot
// change an existing object the model knows.
bool creates_only(std::string_view kind) {
    // clang-format off
    static const std::string_view kKinds[] = {
        "CreateStmt", "CreateTableAsStmt", "ViewStmt", "IndexStmt", "CreateSeqStmt",
        "CreateEnumStmt", "CompositeTypeStmt", "CreateDomainStmt", "CreateRangeStmt",
        "CreateFunctionStmt", "CreateTrigStmt", "CreatePolicyStmt", "CreateExtensionStmt",
        "CreateSchemaStmt", "CreateForeignTableStmt", "SelectStmt",
    };
    // clang-format on
    return no_schema_effect(kind) ||
           std::find(std::begin(kKinds), std::end(kKinds), kind) != std::end(kKinds);
}

std::string lower_word(std::string_view text, std::size_t& i) {
    while (i < text.size() && !std::isalpha(static_cast<unsigned char>(text[i]))) ++i;
    std::string w;
    while (i < text.size() && std::isalpha(static_cast<unsigned char>(text[i])))
        w += static_cast<char>(std::tolower(static_cast<unsigned char>(text[i++])));
    return w;
}

// A statement that does not parse but whose first word says it changes no
// schema object (a typo in an INSERT): the model stays certain.
bool harmless_text(std::string_view text) {
    // clang-format off
    static const std::string_view kWords[] = {
        "select", "insert", "update", "delete", "copy", "set", "reset", "show", "begin", "commit",
        "rollback", "start", "end", "savepoint", "release", "grant", "revoke", "comment", "vacuum",
        "analyze", "analyse", "cluster", "reindex", "lock", "refresh", "notify", "listen",
        "explain", "checkpoint", "discard", "values", "truncate", "call",
    };
    // clang-format on
    std::size_t i = 0;
    std::string w = lower_word(text, i);
    return std::find(std::begin(kWords), std::end(kWords), w) != std::end(kWords);
}

// A DO body whose statements parse.cpp could not list still ran them.
bool body_has_ddl(std::string_view body) {
    static const std::string_view kWords[] = {"create", "alter", "drop", "execute", "rename"};
    for (std::size_t i = 0; i < body.size();) {
        std::string w = lower_word(body, i);
        if (std::find(std::begin(kWords), std::end(kWords), w) != std::end(kWords)) return true;
    }
    return false;
}

// EXECUTE with anything but one plain string literal: SQL built at run time
// (format(), ||, variables) that no static replay can know.
bool dynamic_execute(std::string_view body) {
    for (std::size_t i = 0; i < body.size();) {
        std::string w = lower_word(body, i);
        if (w != "execute") continue;
        std::size_t j = i;
        while (j < body.size() && std::isspace(static_cast<unsigned char>(body[j]))) ++j;
        if (j >= body.size() || body[j] != '\'') return true;
        for (++j; j < body.size(); ++j) {
            if (body[j] != '\'') continue;
            if (j + 1 < body.size() && body[j + 1] == '\'')
                ++j;
            else
                break;
        }
        ++j;
        while (j < body.size() && std::isspace(static_cast<unsigned char>(body[j]))) ++j;
        if (j < body.size() && body[j] != ';') return true;
    }
    return false;
}

}  // namespace

void Replay::do_block(node::Element f) {
    for (node::Element arg : node::List(f, "args")) {
        node::Element def, value, s;
        if (!node::as(arg, "DefElem", def) || !node::get(def, "arg", value) ||
            !node::as(value, "String", s))
            continue;
        std::string_view text = node::str(s, "sval");
        if (node::str(def, "defname") == "language" && text != "plpgsql")
            m_.mark_unknown("DO block in language " + std::string(text));
        if (node::str(def, "defname") == "as" && dynamic_execute(text))
            m_.mark_unknown("DO block runs dynamic SQL (EXECUTE of a computed string)");
    }
}

void SchemaModel::apply(const Statement& st, bool templated) {
    if (!st.parsed()) return;  // replay() decides what an unreadable statement means
    statement_uncertain = templated;
    // A templated name may be any object: only a pure CREATE stays local.
    if (templated && !creates_only(st.kind)) mark_unknown("names come from template placeholders");
    Replay(*this, st).run();
    statement_uncertain = false;
}

void SchemaModel::step(const Migration& m, std::size_t i) {
    const auto& all = m.statements;
    const Statement& st = all[i];
    where = m.source.path + ":" + std::to_string(m.source.position_at(st.span.begin).line);
    if (!st.parsed()) {
        if (!harmless_text(st.text)) mark_unknown("statement does not parse: " + st.error);
        where.clear();
        return;
    }
    if (st.kind == "DoStmt") {
        std::size_t inner = 0;
        for (std::size_t j = i + 1; j < all.size() && all[j].do_depth > st.do_depth; ++j)
            inner += all[j].do_depth == st.do_depth + 1;
        // (Dynamic SQL is do_block()'s to report.)
        if (inner == 0 && body_has_ddl(st.text) && !dynamic_execute(st.text))
            mark_unknown("DO block whose statements could not be read");
    }
    bool templated = false;
    for (const Span& p : m.split.placeholders)
        templated = templated || (p.begin < st.span.end && p.end > st.span.begin);
    apply(st, templated);
    where.clear();
}

void SchemaModel::end_migration() {
    end_transaction();
    if (!has_temporary) return;
    has_temporary = false;
    std::vector<std::string> temporary;
    for (const auto& [k, r] : relations)
        if (r.temporary) temporary.push_back(k);
    for (const std::string& k : temporary) drop_relation(k, true);
}

void SchemaModel::replay(const Migration& m, Section section) {
    for (std::size_t i = 0; i < m.statements.size(); ++i)
        if (m.unit_of(m.statements[i]).section == section) step(m, i);
    end_migration();
}

}  // namespace pgw::schema
