#include "verify/libpq.h"

#include <dlfcn.h>
#include <libpq-fe.h>

#include <cstdlib>
#include <mutex>
#include <regex>

namespace pgw::pq {

namespace {

// The libpq functions pgwarden calls, resolved with dlsym. The types come
// from libpq-fe.h, so a signature mismatch is a compile error.
struct Api {
    decltype(&PQconnectdb) connectdb;
    decltype(&PQstatus) status;
    decltype(&PQerrorMessage) error_message;
    decltype(&PQfinish) finish;
    decltype(&PQexec) exec;
    decltype(&PQexecParams) exec_params;
    decltype(&PQresultStatus) result_status;
    decltype(&PQresultErrorField) error_field;
    decltype(&PQresultErrorMessage) result_error_message;
    decltype(&PQclear) clear;
    decltype(&PQntuples) ntuples;
    decltype(&PQnfields) nfields;
    decltype(&PQgetvalue) getvalue;
    decltype(&PQgetlength) getlength;
    decltype(&PQgetisnull) getisnull;
    decltype(&PQbackendPID) backend_pid;
    decltype(&PQserverVersion) server_version;
    decltype(&PQtransactionStatus) transaction_status;
    decltype(&PQsendQuery) send_query;
    decltype(&PQconsumeInput) consume_input;
    decltype(&PQisBusy) is_busy;
    decltype(&PQgetResult) get_result;
    decltype(&PQputCopyData) put_copy_data;
    decltype(&PQputCopyEnd) put_copy_end;
    decltype(&PQsetNoticeProcessor) set_notice_processor;
};

Api api;
std::once_flag loaded;
std::string load_error;

template <typename F>
bool resolve(void* lib, const char* name, F& out) {
    out = reinterpret_cast<F>(dlsym(lib, name));
    return out != nullptr;
}

void load() {
    const char* override_path = std::getenv("PGWARDEN_LIBPQ");
    const char* file = override_path && *override_path ? override_path : "libpq.so.5";
    void* lib = dlopen(file, RTLD_NOW | RTLD_LOCAL);
    if (!lib) {
        const char* why = dlerror();
        load_error = std::string("verify needs libpq (") + file +
                     ") and cannot load it: " + (why ? why : "unknown error") +
                     "; install it with `apt-get install libpq5` (Debian, Ubuntu) or your "
                     "system's libpq package";
        return;
    }
    bool ok =
        resolve(lib, "PQconnectdb", api.connectdb) && resolve(lib, "PQstatus", api.status) &&
        resolve(lib, "PQerrorMessage", api.error_message) && resolve(lib, "PQfinish", api.finish) &&
        resolve(lib, "PQexec", api.exec) && resolve(lib, "PQexecParams", api.exec_params) &&
        resolve(lib, "PQresultStatus", api.result_status) &&
        resolve(lib, "PQresultErrorField", api.error_field) &&
        resolve(lib, "PQresultErrorMessage", api.result_error_message) &&
        resolve(lib, "PQclear", api.clear) && resolve(lib, "PQntuples", api.ntuples) &&
        resolve(lib, "PQnfields", api.nfields) && resolve(lib, "PQgetvalue", api.getvalue) &&
        resolve(lib, "PQgetlength", api.getlength) && resolve(lib, "PQgetisnull", api.getisnull) &&
        resolve(lib, "PQbackendPID", api.backend_pid) &&
        resolve(lib, "PQserverVersion", api.server_version) &&
        resolve(lib, "PQtransactionStatus", api.transaction_status) &&
        resolve(lib, "PQsendQuery", api.send_query) &&
        resolve(lib, "PQconsumeInput", api.consume_input) &&
        resolve(lib, "PQisBusy", api.is_busy) && resolve(lib, "PQgetResult", api.get_result) &&
        resolve(lib, "PQputCopyData", api.put_copy_data) &&
        resolve(lib, "PQputCopyEnd", api.put_copy_end) &&
        resolve(lib, "PQsetNoticeProcessor", api.set_notice_processor);
    if (!ok) load_error = std::string(file) + " is not a usable libpq: " + dlerror();
}

std::string trim(std::string s) {
    while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
    return s;
}

// Turns a failed PGresult into a PgError with its SQLSTATE and position.
PgError error_of(const PGresult* r, PGconn* conn) {
    if (!r) return PgError(trim(api.error_message(conn)));
    auto field = [&](int code) {
        const char* v = api.error_field(r, code);
        return std::string(v ? v : "");
    };
    std::string primary = field(PG_DIAG_MESSAGE_PRIMARY);
    PgError e(primary.empty() ? trim(api.result_error_message(r)) : primary,
              field(PG_DIAG_SQLSTATE));
    e.detail = field(PG_DIAG_MESSAGE_DETAIL);
    e.hint = field(PG_DIAG_MESSAGE_HINT);
    std::string pos = field(PG_DIAG_STATEMENT_POSITION);
    if (!pos.empty()) e.position = std::atoi(pos.c_str());
    return e;
}

bool ok_status(ExecStatusType s) {
    return s == PGRES_COMMAND_OK || s == PGRES_TUPLES_OK || s == PGRES_EMPTY_QUERY ||
           s == PGRES_COPY_IN || s == PGRES_COPY_OUT;
}

}  // namespace

void require_libpq() {
    std::call_once(loaded, load);
    if (!load_error.empty()) throw LibPqMissing(load_error);
}

Result& Result::operator=(Result&& o) noexcept {
    if (this != &o) {
        if (res_) api.clear(static_cast<PGresult*>(res_));
        res_ = o.res_;
        o.res_ = nullptr;
    }
    return *this;
}

Result::~Result() {
    if (res_) api.clear(static_cast<PGresult*>(res_));
}

int Result::rows() const {
    return res_ ? api.ntuples(static_cast<PGresult*>(res_)) : 0;
}
int Result::columns() const {
    return res_ ? api.nfields(static_cast<PGresult*>(res_)) : 0;
}
std::string_view Result::get(int row, int column) const {
    auto* r = static_cast<PGresult*>(res_);
    return {api.getvalue(r, row, column), static_cast<std::size_t>(api.getlength(r, row, column))};
}
long long Result::integer(int row, int column) const {
    return is_null(row, column)
               ? 0
               : std::atoll(api.getvalue(static_cast<PGresult*>(res_), row, column));
}
bool Result::is_null(int row, int column) const {
    return api.getisnull(static_cast<PGresult*>(res_), row, column) != 0;
}

Connection::Connection(const std::string& conninfo) {
    require_libpq();
    PGconn* c = api.connectdb(conninfo.c_str());
    conn_ = c;
    if (!c || api.status(c) != CONNECTION_OK) {
        PgError e(c ? trim(api.error_message(c)) : "out of memory");
        if (c) api.finish(c);
        conn_ = nullptr;
        throw e;
    }
    api.set_notice_processor(c, &Connection::on_notice, this);
}

Connection::~Connection() {
    if (conn_) api.finish(static_cast<PGconn*>(conn_));
}

void Connection::on_notice(void*, const char*) {}

Result Connection::exec(const std::string& sql) {
    return exec_with_copy(sql, {});
}

Result Connection::exec_with_copy(const std::string& sql, std::string_view copy_data) {
    auto* c = static_cast<PGconn*>(conn_);
    PGresult* r = api.exec(c, sql.c_str());
    if (r && api.result_status(r) == PGRES_COPY_IN) {
        // COPY ... FROM STDIN: the rows that followed the statement in the file.
        api.clear(r);
        bool sent = copy_data.empty() ||
                    api.put_copy_data(c, copy_data.data(), static_cast<int>(copy_data.size())) == 1;
        api.put_copy_end(c, sent ? nullptr : "pgwarden could not send the COPY data");
        r = nullptr;
        // The final result of the COPY, then nothing.
        for (PGresult* next; (next = api.get_result(c));) {
            if (r) api.clear(r);
            r = next;
        }
    }
    Result res(r);
    if (!r || !ok_status(api.result_status(r))) throw error_of(r, c);
    return res;
}

Result Connection::exec(const std::string& sql,
                        const std::vector<std::optional<std::string>>& params) {
    auto* c = static_cast<PGconn*>(conn_);
    std::vector<const char*> values;
    for (const auto& p : params) values.push_back(p ? p->c_str() : nullptr);
    PGresult* r = api.exec_params(c, sql.c_str(), static_cast<int>(values.size()), nullptr,
                                  values.data(), nullptr, nullptr, 0);
    Result res(r);
    if (!r || !ok_status(api.result_status(r))) throw error_of(r, c);
    return res;
}

std::vector<Result> Connection::exec_all(const std::string& sql) {
    auto* c = static_cast<PGconn*>(conn_);
    if (!api.send_query(c, sql.c_str())) throw PgError(trim(api.error_message(c)));
    std::vector<Result> out;
    std::optional<PgError> failed;
    for (PGresult* next; (next = api.get_result(c));) {
        if (!ok_status(api.result_status(next)) && !failed) failed = error_of(next, c);
        out.emplace_back(next);
    }
    if (failed) throw *failed;
    return out;
}

void Connection::send(const std::string& sql) {
    auto* c = static_cast<PGconn*>(conn_);
    if (!api.send_query(c, sql.c_str())) throw PgError(trim(api.error_message(c)));
}

bool Connection::busy() {
    auto* c = static_cast<PGconn*>(conn_);
    if (!api.consume_input(c)) return false;  // the error surfaces in finish()
    return api.is_busy(c) != 0;
}

Result Connection::finish() {
    auto* c = static_cast<PGconn*>(conn_);
    PGresult* last = nullptr;
    PGresult* failed = nullptr;
    for (PGresult* next; (next = api.get_result(c));) {
        if (!ok_status(api.result_status(next)) && !failed) {
            failed = next;
            continue;
        }
        if (last) api.clear(last);
        last = next;
    }
    if (failed) {
        PgError e = error_of(failed, c);
        api.clear(failed);
        if (last) api.clear(last);
        throw e;
    }
    return Result(last);
}

int Connection::backend_pid() const {
    return api.backend_pid(static_cast<PGconn*>(conn_));
}

int Connection::server_version() const {
    return api.server_version(static_cast<PGconn*>(conn_));
}

TxStatus Connection::transaction_status() const {
    switch (api.transaction_status(static_cast<PGconn*>(conn_))) {
        case PQTRANS_IDLE:
            return TxStatus::idle;
        case PQTRANS_ACTIVE:
            return TxStatus::active;
        case PQTRANS_INTRANS:
            return TxStatus::in_transaction;
        case PQTRANS_INERROR:
            return TxStatus::failed;
        default:
            return TxStatus::unknown;
    }
}

std::string redact(const std::string& conninfo) {
    // URI form: postgresql://user:secret@host/db?password=secret
    static const std::regex uri_password(R"(^(postgres(?:ql)?://[^:/@]*):[^@/]*@)");
    static const std::regex param_password(R"((^|[\s&?])password\s*=\s*('(\\.|[^'])*'|[^\s&]*))");
    std::string out = std::regex_replace(conninfo, uri_password, "$1@");
    return std::regex_replace(out, param_password, "$1password=***");
}

std::string quote_literal(std::string_view s) {
    std::string out = "'";
    bool backslash = false;
    for (char c : s) {
        if (c == '\'') out += '\'';
        if (c == '\\') backslash = true, out += '\\';
        out += c;
    }
    // E'' so backslashes mean the same whatever standard_conforming_strings says.
    return (backslash ? "E" : "") + out + "'";
}

std::string quote_ident(std::string_view s) {
    std::string out = "\"";
    for (char c : s) {
        if (c == '"') out += '"';
        out += c;
    }
    return out + "\"";
}

}  // namespace pgw::pq
