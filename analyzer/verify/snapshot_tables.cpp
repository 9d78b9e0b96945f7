// Snapshot queries, part one: schemas, extensions, tables with their columns,
// indexes, constraints, sequences.
#include <map>
#include <vector>

#include "verify/snapshot_reader.h"

namespace pgw::snapshot_detail {

void Reader::schemas() {
    pq::Result r =
        query("SELECT quote_ident(n.nspname), n.xmin::text::bigint FROM pg_namespace n WHERE " +
              std::string(kUserSchema) + not_extension_member("pg_namespace", "n.oid"));
    for (int i = 0; i < r.rows(); ++i)
        add("schema", r.str(i, 0), "", r.integer(i, 1)).definition =
            "CREATE SCHEMA " + r.str(i, 0) + ";";
}

void Reader::extensions() {
    pq::Result r = query(
        "SELECT quote_ident(e.extname), e.extversion, quote_ident(n.nspname), "
        "e.xmin::text::bigint FROM pg_extension e JOIN pg_namespace n ON n.oid = "
        "e.extnamespace");
    for (int i = 0; i < r.rows(); ++i) {
        SchemaObject& o = add("extension", r.str(i, 0), "", r.integer(i, 3));
        o.attributes = {{"version", r.str(i, 1)}, {"schema", r.str(i, 2)}};
        o.definition = "CREATE EXTENSION " + r.str(i, 0) + " WITH SCHEMA " + r.str(i, 2) +
                       " VERSION " + pq::quote_literal(r.str(i, 1)) + ";";
    }
}

// Tables and their columns; the CREATE TABLE shown lists the columns in
// their physical order, but each column is compared on its own.
void Reader::tables() {
    pq::Result t = query(
        "SELECT c.oid::regclass::text, c.relkind, c.relpersistence, "
        "CASE WHEN c.relkind = 'p' THEN pg_get_partkeydef(c.oid) END, "
        "CASE WHEN c.relispartition THEN (SELECT i.inhparent::regclass::text FROM pg_inherits "
        "i WHERE i.inhrelid = c.oid) END, "
        "CASE WHEN c.relispartition THEN pg_get_expr(c.relpartbound, c.oid) END, "
        "(SELECT string_agg(i.inhparent::regclass::text, ', ' ORDER BY i.inhseqno) FROM "
        "pg_inherits i WHERE i.inhrelid = c.oid AND NOT c.relispartition), "
        "array_to_string(c.reloptions, ', '), c.relrowsecurity, c.relforcerowsecurity, "
        // A table's row type is written once, when the table is created: drift
        // attributes the table (and what it finds extra on it) to that migration.
        "(SELECT y.xmin::text::bigint FROM pg_type y WHERE y.oid = c.reltype) "
        "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE c.relkind IN ('r', 'p', 'f') AND " +
        std::string(kUserSchema) + not_extension_member("pg_class", "c.oid") + free("c.oid"));
    std::string generated = version >= 120000 ? "a.attgenerated" : "''";
    pq::Result a = query(
        "SELECT a.attrelid::regclass::text, quote_ident(a.attname), format_type(a.atttypid, "
        "a.atttypmod), a.attnotnull, pg_get_expr(d.adbin, d.adrelid), a.attidentity, " +
        generated +
        ", CASE WHEN a.attcollation <> t.typcollation THEN (SELECT quote_ident(cn.nspname) "
        "|| '.' || quote_ident(co.collname) FROM pg_collation co JOIN pg_namespace cn ON "
        "cn.oid = co.collnamespace WHERE co.oid = a.attcollation) END, "
        "greatest(a.xmin::text::bigint, coalesce(d.xmin::text::bigint, 0)) "
        "FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid "
        "JOIN pg_namespace n ON n.oid = c.relnamespace JOIN pg_type t ON t.oid = a.atttypid "
        "LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum "
        "WHERE a.attnum > 0 AND NOT a.attisdropped AND c.relkind IN ('r', 'p', 'f') AND " +
        std::string(kUserSchema) + not_extension_member("pg_class", "c.oid") + free("c.oid") +
        "ORDER BY a.attrelid, a.attnum");
    std::map<std::string, std::vector<std::string>> column_lines;
    for (int i = 0; i < a.rows(); ++i) {
        std::string table = a.str(i, 0), name = a.str(i, 1), type = a.str(i, 2);
        SchemaObject& o = add("column", table + "." + name, table, a.integer(i, 8));
        o.attributes["type"] = type;
        o.attributes["not null"] = a.get(i, 3) == "t" ? "yes" : "no";
        std::string spec = name + " " + type;
        if (!a.is_null(i, 7))
            o.attributes["collation"] = a.str(i, 7), spec += " COLLATE " + a.str(i, 7);
        std::string identity = a.str(i, 5), gen = a.str(i, 6);
        if (!a.is_null(i, 4)) {
            if (gen == "s") {
                o.attributes["generated"] = a.str(i, 4);
                spec += " GENERATED ALWAYS AS (" + a.str(i, 4) + ") STORED";
            } else {
                o.attributes["default"] = a.str(i, 4);
                spec += " DEFAULT " + a.str(i, 4);
            }
        }
        if (identity == "a" || identity == "d") {
            std::string how = identity == "a" ? "ALWAYS" : "BY DEFAULT";
            o.attributes["identity"] = how;
            spec += " GENERATED " + how + " AS IDENTITY";
        }
        if (o.attributes["not null"] == "yes") spec += " NOT NULL";
        o.definition = "ALTER TABLE " + table + " ADD COLUMN " + spec + ";";
        column_lines[table].push_back(spec);
    }
    for (int i = 0; i < t.rows(); ++i) {
        std::string name = t.str(i, 0), kind = t.str(i, 1);
        SchemaObject& o = add("table", name, "", t.integer(i, 10));
        auto set = [&](const char* key, int col) {
            if (!t.is_null(i, col) && !t.get(i, col).empty()) o.attributes[key] = t.str(i, col);
        };
        o.attributes["kind"] = kind == "p"   ? "partitioned table"
                               : kind == "f" ? "foreign table"
                                             : "table";
        if (t.get(i, 2) == "u") o.attributes["persistence"] = "unlogged";
        set("partition by", 3);
        set("partition of", 4);
        set("partition bound", 5);
        set("inherits", 6);
        set("options", 7);
        if (t.get(i, 8) == "t")
            o.attributes["row level security"] = t.get(i, 9) == "t" ? "forced" : "enabled";
        std::string def = std::string("CREATE ") +
                          (o.attributes.count("persistence") ? "UNLOGGED " : "") +
                          (kind == "f" ? "FOREIGN " : "") + "TABLE " + name;
        if (o.attributes.count("partition of")) {
            def += " PARTITION OF " + o.attributes["partition of"] + "\n    " +
                   o.attributes["partition bound"];
        } else {
            def += " (";
            const auto& lines = column_lines[name];
            for (std::size_t k = 0; k < lines.size(); ++k)
                def += (k ? ",\n    " : "\n    ") + lines[k];
            def += lines.empty() ? ")" : "\n)";
            if (o.attributes.count("inherits"))
                def += " INHERITS (" + o.attributes["inherits"] + ")";
        }
        if (o.attributes.count("partition by"))
            def += " PARTITION BY " + o.attributes["partition by"];
        if (o.attributes.count("options")) def += " WITH (" + o.attributes["options"] + ")";
        o.definition = def + ";";
    }
}

void Reader::indexes() {
    // An index that implements a PRIMARY KEY, UNIQUE or EXCLUDE constraint is
    // compared as that constraint.
    pq::Result r = query(
        "SELECT i.indexrelid::regclass::text, i.indrelid::regclass::text, "
        "pg_get_indexdef(i.indexrelid), i.indisvalid, ci.xmin::text::bigint FROM pg_index i "
        "JOIN pg_class ci ON ci.oid = i.indexrelid JOIN pg_class c ON c.oid = i.indrelid "
        "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE " +
        std::string(kUserSchema) + not_extension_member("pg_class", "c.oid") + free("c.oid") +
        free("i.indexrelid") +
        "AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid AND "
        "k.conrelid = i.indrelid AND k.contype IN ('p', 'u', 'x'))");
    for (int i = 0; i < r.rows(); ++i) {
        SchemaObject& o = add("index", r.str(i, 0), r.str(i, 1), r.integer(i, 4));
        o.attributes["definition"] = r.str(i, 2);
        if (r.get(i, 3) != "t") o.attributes["valid"] = "no (a failed CREATE INDEX CONCURRENTLY)";
        o.definition = r.str(i, 2) + ";";
    }
}

void Reader::constraints() {
    pq::Result r = query(
        "SELECT k.conrelid::regclass::text, quote_ident(k.conname), pg_get_constraintdef(k.oid), "
        "k.xmin::text::bigint FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid "
        "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE k.contype <> 'n' AND " +
        std::string(kUserSchema) + not_extension_member("pg_class", "c.oid") + free("c.oid") +
        free("coalesce(k.confrelid, 0)"));
    for (int i = 0; i < r.rows(); ++i) {
        std::string table = r.str(i, 0), name = r.str(i, 1);
        SchemaObject& o = add("constraint", table + "." + name, table, r.integer(i, 3));
        o.attributes["definition"] = r.str(i, 2);
        o.definition = "ALTER TABLE " + table + " ADD CONSTRAINT " + name + " " + r.str(i, 2) + ";";
    }
}

void Reader::sequences() {
    // Identity columns' sequences belong to the column (deptype 'i').
    pq::Result r = query(
        "SELECT c.oid::regclass::text, format_type(s.seqtypid, NULL), s.seqstart, "
        "s.seqincrement, s.seqmin, s.seqmax, s.seqcycle, s.seqcache, (SELECT "
        "d.refobjid::regclass::text || '.' || quote_ident(a.attname) FROM pg_depend d JOIN "
        "pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid WHERE "
        "d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.refclassid = "
        "'pg_class'::regclass AND d.deptype = 'a' LIMIT 1), c.xmin::text::bigint "
        "FROM pg_sequence s JOIN pg_class c ON c.oid = s.seqrelid JOIN pg_namespace n ON "
        "n.oid = c.relnamespace WHERE " +
        std::string(kUserSchema) + not_extension_member("pg_class", "c.oid") +
        "AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND "
        "d.objid = c.oid AND d.deptype = 'i')");
    for (int i = 0; i < r.rows(); ++i) {
        std::string owner = r.is_null(i, 8) ? "" : r.str(i, 8);
        auto dot = owner.rfind('.');
        SchemaObject& o =
            add("sequence", r.str(i, 0), dot == std::string::npos ? "" : owner.substr(0, dot),
                r.integer(i, 9));
        o.attributes = {{"type", r.str(i, 1)},      {"start", r.str(i, 2)},
                        {"increment", r.str(i, 3)}, {"minimum", r.str(i, 4)},
                        {"maximum", r.str(i, 5)},   {"cycle", r.get(i, 6) == "t" ? "yes" : "no"},
                        {"cache", r.str(i, 7)}};
        if (!owner.empty()) o.attributes["owned by"] = owner;
        o.definition = "CREATE SEQUENCE " + r.str(i, 0) + " AS " + r.str(i, 1) + " INCREMENT BY " +
                       r.str(i, 3) + " MINVALUE " + r.str(i, 4) + " MAXVALUE " + r.str(i, 5) +
                       " START WITH " + r.str(i, 2) + " CACHE " + r.str(i, 7) +
                       (r.get(i, 6) == "t" ? " CYCLE" : "") +
                       (owner.empty() ? "" : " OWNED BY " + owner) + ";";
    }
}

}  // namespace pgw::snapshot_detail
