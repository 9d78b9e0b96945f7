// Statement -> schema model: the dispatch, the helpers every replay file
// shares, and search_path.
#include "schema/replay.h"

#include <algorithm>
#include <cctype>

#include "schema/text.h"

namespace pgw::schema {

// Statement kinds that change nothing the model records: data changes,
// privileges, comments, maintenance, session state, and kinds of objects the
// model does not track (roles, casts, operators, publications, ...), whose
// CREATE and DROP are both ignored so they can never show up as differences.
bool no_schema_effect(std::string_view kind) {
    // clang-format off
    static const std::string_view kKinds[] = {
        "InsertStmt", "UpdateStmt", "DeleteStmt", "MergeStmt", "CopyStmt", "TruncateStmt",
        "VariableSetStmt", "VariableShowStmt", "TransactionStmt", "GrantStmt", "GrantRoleStmt",
        "AlterDefaultPrivilegesStmt", "CommentStmt", "SecLabelStmt", "VacuumStmt", "ClusterStmt",
        "ReindexStmt", "LockStmt", "RefreshMatViewStmt", "NotifyStmt", "ListenStmt", "UnlistenStmt",
        "ExplainStmt", "CheckPointStmt", "DiscardStmt", "PrepareStmt", "ExecuteStmt",
        "DeallocateStmt", "CallStmt", "AlterOwnerStmt", "AlterFunctionStmt", "CreateRoleStmt",
        "AlterRoleStmt", "AlterRoleSetStmt", "DropRoleStmt", "CreateCastStmt", "CreateOpClassStmt",
        "CreateOpFamilyStmt", "AlterOpFamilyStmt", "CreateConversionStmt", "CreateTransformStmt",
        "CreateEventTrigStmt", "AlterEventTrigStmt", "RuleStmt", "CreatePLangStmt", "CreateFdwStmt",
        "AlterFdwStmt", "CreateForeignServerStmt", "AlterForeignServerStmt",
        "CreateUserMappingStmt", "AlterUserMappingStmt", "DropUserMappingStmt",
        "CreatePublicationStmt", "AlterPublicationStmt", "CreateSubscriptionStmt",
        "AlterSubscriptionStmt", "DropSubscriptionStmt", "CreateStatsStmt", "AlterStatsStmt",
        "AlterDatabaseStmt", "AlterDatabaseSetStmt", "AlterDatabaseRefreshCollStmt",
        "AlterSystemStmt", "CreatedbStmt", "DropdbStmt", "CreateTableSpaceStmt",
        "DropTableSpaceStmt", "AlterTableSpaceOptionsStmt", "AlterExtensionStmt",
        "AlterExtensionContentsStmt", "AlterCollationStmt", "AlterTSConfigurationStmt",
        "AlterTSDictionaryStmt", "AlterOperatorStmt", "AlterTypeStmt", "AlterPolicyStmt",
        "CreateAmStmt", "ReassignOwnedStmt", "AlterObjectDependsStmt", "ConstraintsSetStmt",
        "LoadStmt", "DeclareCursorStmt", "ClosePortalStmt", "FetchStmt", "ReturnStmt",
        "PLAssignStmt",
    };
    // clang-format on
    return std::find(std::begin(kKinds), std::end(kKinds), kind) != std::end(kKinds);
}

std::string fields_detail(node::Element f, std::initializer_list<std::string_view> keys) {
    std::string out;
    for (std::string_view k : keys) {
        node::Element v;
        if (node::get(f, k, v)) out += std::string(k) + "=" + fingerprint(v) + ";";
    }
    return out;
}

std::string join(const std::vector<std::string>& names) {
    std::string out;
    for (const std::string& n : names) {
        if (!out.empty()) out += ", ";
        out += n;
    }
    return out;
}

std::pair<std::string, std::string> split_names(const std::vector<std::string>& names) {
    if (names.empty()) return {};
    if (names.size() == 1) return {"", names[0]};
    return {names[names.size() - 2], names.back()};
}

std::vector<std::string> object_names(node::Element item) {
    node::Element f;
    if (node::as(item, "List", f)) return string_list(f, "items");
    if (node::as(item, "String", f)) return {std::string(node::str(f, "sval"))};
    if (node::as(item, "TypeName", f)) return string_list(f, "names");
    if (node::as(item, "ObjectWithArgs", f)) return string_list(f, "objname");
    return {};
}

Replay::Replay(SchemaModel& model, const Statement& st)
    : m_(model), st_(st), lenient_(st.guarded) {}

std::string Replay::rel_key(node::Element rv) const {
    return m_.relation_key(node::str(rv, "schemaname"), node::str(rv, "relname"));
}

std::string Replay::new_rel_key(node::Element rv) const {
    if (node::str(rv, "relpersistence") == "t" && node::str(rv, "schemaname").empty())
        return SchemaModel::temp_key(node::str(rv, "relname"));
    return m_.creation_key(node::str(rv, "schemaname"), node::str(rv, "relname"));
}

std::string Replay::expr_of(node::Element e) const {
    return m_.details ? expr_text(e, st_.text) : std::string();
}

Relation* Replay::target(node::Element rv, bool missing_ok, RelKind kind) {
    std::string key = rel_key(rv);
    if (Relation* r = m_.find_relation(key)) {
        touch(*r);
        return r;
    }
    if (missing_ok) return nullptr;
    return &m_.put_placeholder(key, kind);
}

Column* Replay::column(Relation& table, const std::string& name, bool create_placeholder) {
    Column* found = table.find_column(name);
    if (found && !found->dropped) return found;
    // Only CREATE TABLE can list a name twice; a tombstone never has a live twin.
    if (found)
        for (Column& c : table.columns)
            if (c.name == name && !c.dropped) return &c;
    if (!create_placeholder) return nullptr;
    // The column exists (the statement ran) but the model did not know it.
    if (found) {
        std::erase_if(table.columns, [&](const Column& c) { return c.name == name; });
        table.columns_changed();
    }
    Column c;
    c.name = name;
    c.uncertain = true;
    table.columns.push_back(c);
    return &table.columns.back();
}

void Replay::dispatch(std::string_view kind, node::Element f) {
    node::Element base;
    if (kind == "CreateStmt")
        create_table(f, RelKind::table);
    else if (kind == "CreateForeignTableStmt" && node::get(f, "base", base))
        create_table(base, RelKind::foreign_table);
    else if (kind == "CreateTableAsStmt")
        create_table_as(f);
    else if (kind == "SelectStmt")
        select_into(f);
    else if (kind == "ViewStmt")
        create_view(f);
    else if (kind == "IndexStmt")
        create_index(f);
    else if (kind == "CreateSeqStmt")
        create_sequence(f);
    else if (kind == "AlterSeqStmt")
        alter_sequence(f);
    else if (kind == "CreateEnumStmt" || kind == "CompositeTypeStmt" ||
             kind == "CreateDomainStmt" || kind == "CreateRangeStmt")
        create_type(kind, f);
    else if (kind == "DefineStmt" && node::str(f, "kind") == "OBJECT_TYPE")
        create_type(kind, f);
    else if (kind == "DefineStmt" && node::str(f, "kind") == "OBJECT_AGGREGATE")
        create_aggregate(f);
    else if (kind == "DefineStmt")
        return;  // operators, collations, text search: not tracked
    else if (kind == "CreateFunctionStmt")
        create_routine(f);
    else if (kind == "CreateTrigStmt" || kind == "CreatePolicyStmt")
        create_on_table(kind, f);
    else if (kind == "CreateExtensionStmt")
        create_extension(f);
    else if (kind == "CreateSchemaStmt")
        create_schema(f);
    else if (kind == "DropStmt")
        drop(f);
    else if (kind == "RenameStmt")
        rename(f);
    else if (kind == "AlterObjectSchemaStmt")
        set_schema(f);
    else if (kind == "AlterTableStmt")
        alter_table(f);
    else if (kind == "AlterEnumStmt")
        alter_enum(f);
    else if (kind == "AlterDomainStmt")
        alter_domain(f);
    else if (kind == "DoStmt")
        do_block(f);
    else if (kind == "VariableSetStmt" && node::str(f, "name") == "search_path")
        set_search_path(f);
    else if (kind == "TruncateStmt")
        for (node::Element item : node::List(f, "relations")) {
            node::Element rv;
            if (node::as(item, "RangeVar", rv)) m_.truncated.insert(rel_key(rv));
        }
    else if (kind == "InsertStmt" || kind == "MergeStmt" ||
             (kind == "CopyStmt" && node::flag(f, "is_from"))) {
        node::Element rv;
        if (node::get(f, "relation", rv)) m_.truncated.erase(rel_key(rv));
    } else if (kind == "DropOwnedStmt")
        m_.mark_unknown("DROP OWNED drops objects the model cannot attribute to a role");
    else if (!no_schema_effect(kind))
        m_.mark_unknown("statement " + std::string(kind) + " is not modelled");
}

void Replay::set_search_path(node::Element f) {
    std::string_view kind = node::str(f, "kind");
    if (kind == "VAR_SET_DEFAULT" || kind == "VAR_RESET") {
        m_.search_path = {"public"};
        return;
    }
    if (kind != "VAR_SET_VALUE") return;
    std::vector<std::string> path;
    for (node::Element a : node::List(f, "args")) {
        node::Element c, v;
        if (!node::as(a, "A_Const", c) || !node::get(c, "sval", v)) continue;
        std::string_view s = node::str(v, "sval");
        // SET search_path = 'a, b' is one string.
        for (std::size_t i = 0; i <= s.size();) {
            std::size_t comma = std::min(s.find(',', i), s.size());
            std::string part(s.substr(i, comma - i));
            std::erase_if(part, [](char ch) {
                return std::isspace(static_cast<unsigned char>(ch)) || ch == '"';
            });
            if (!part.empty()) path.push_back(part);
            i = comma + 1;
        }
    }
    if (!path.empty()) m_.search_path = path;
}

}  // namespace pgw::schema
