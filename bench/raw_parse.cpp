// The baseline pgwarden is measured against: libpg_query's own parse of whole
// files, nothing else. Reads each file named on the command line (or, with
// `-`, one path per line on stdin), parses its bytes and frees the result.
// Prints the number of files, bytes and parse errors to stderr.
//
// --tree says which output of the parse is built, to show what each layer of
// the parse costs against pgwarden's whole run (bench/run.py, "parse trees"):
//   json      pg_query_parse: the grammar, then the tree as JSON text (the
//             default, and the baseline of every ratio)
//   json+dom  the same JSON read into a simdjson DOM: the tree pgwarden's
//             rules and model read today
//   grammar   the grammar alone: pg_query_raw_parse builds PostgreSQL's C
//             nodes in a memory context and nothing reads them. The floor any
//             tree pgwarden could read would add to.
//   protobuf  pg_query_parse_protobuf: the tree serialized as protobuf, the
//             other format libpg_query offers
#include <pg_query.h>
#include <simdjson.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <string>
#include <vector>

// pg_query_raw_parse and the memory context calls are exported by libpg_query
// but declared in pg_query_internal.h, which needs PostgreSQL's server headers
// (postgres.h) that libpg-query-dev does not ship; only pointers cross here.
// https://github.com/pganalyze/libpg_query/blob/15-latest/src/pg_query_internal.h
// https://github.com/pganalyze/libpg_query/blob/15-latest/src/pg_query_parse.c
extern "C" {
struct RawParseResult {
    void* tree;  // List* of RawStmt
    char* stderr_buffer;
    PgQueryError* error;
};
RawParseResult pg_query_raw_parse(const char* input);
void* pg_query_enter_memory_context();
void pg_query_exit_memory_context(void* ctx);
void pg_query_free_error(PgQueryError* error);
}

namespace {

bool read_all(const std::string& path, std::string& out) {
    std::FILE* f = std::fopen(path.c_str(), "rb");
    if (!f) return false;
    out.clear();
    char buf[65536];
    std::size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) out.append(buf, n);
    bool ok = std::ferror(f) == 0;
    std::fclose(f);
    return ok;
}

enum class Tree { Json, JsonDom, Grammar, Protobuf };

// Parses one file's text; returns whether it had a parse error.
bool parse(Tree tree, const std::string& text, simdjson::dom::parser& dom) {
    switch (tree) {
        case Tree::Grammar: {
            void* ctx = pg_query_enter_memory_context();
            RawParseResult r = pg_query_raw_parse(text.c_str());
            bool error = r.error != nullptr;
            if (r.error) pg_query_free_error(r.error);
            std::free(r.stderr_buffer);
            pg_query_exit_memory_context(ctx);
            return error;
        }
        case Tree::Protobuf: {
            PgQueryProtobufParseResult r = pg_query_parse_protobuf(text.c_str());
            bool error = r.error != nullptr;
            pg_query_free_protobuf_parse_result(r);
            return error;
        }
        case Tree::Json:
        case Tree::JsonDom: {
            PgQueryParseResult r = pg_query_parse(text.c_str());
            bool error = r.error != nullptr;
            if (!error && tree == Tree::JsonDom) {
                simdjson::dom::element root;
                if (dom.parse(r.parse_tree, std::strlen(r.parse_tree)).get(root)) {
                    std::cerr << "pgwarden_raw_parse: simdjson rejected libpg_query's JSON\n";
                    std::exit(2);
                }
            }
            pg_query_free_parse_result(r);
            return error;
        }
    }
    return false;
}

}  // namespace

int main(int argc, char** argv) {
    std::vector<std::string> paths;
    Tree tree = Tree::Json;
    for (int i = 1; i < argc; ++i) {
        std::string a = argv[i];
        if (a.rfind("--tree=", 0) == 0) {
            std::string t = a.substr(7);
            if (t == "json")
                tree = Tree::Json;
            else if (t == "json+dom")
                tree = Tree::JsonDom;
            else if (t == "grammar")
                tree = Tree::Grammar;
            else if (t == "protobuf")
                tree = Tree::Protobuf;
            else {
                std::cerr << "pgwarden_raw_parse: unknown --tree " << t
                          << " (json, json+dom, grammar, protobuf)\n";
                return 2;
            }
        } else if (a == "-") {
            for (std::string line; std::getline(std::cin, line);)
                if (!line.empty()) paths.push_back(line);
        } else {
            paths.push_back(a);
        }
    }
    if (paths.empty()) {
        std::cerr << "usage: pgwarden_raw_parse [--tree=json|json+dom|grammar|protobuf] FILE... | -"
                     "   (paths on stdin)\n";
        return 2;
    }
    std::size_t bytes = 0, errors = 0;
    std::string text;
    simdjson::dom::parser dom;
    for (const std::string& p : paths) {
        if (!read_all(p, text)) {
            std::cerr << "pgwarden_raw_parse: cannot read " << p << "\n";
            return 2;
        }
        bytes += text.size();
        if (parse(tree, text, dom)) ++errors;
    }
    std::cerr << paths.size() << " files, " << bytes << " bytes, " << errors
              << " with parse errors\n";
    return 0;
}
