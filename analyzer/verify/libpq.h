// Layer "verify": `pgwarden verify` (SPEC §9): the private cluster, applying
// migrations with tracing, catalog snapshots, drift. May include frontend/,
// schema/, sets/, engine/, git/ and itself.
//
// libpq, loaded at run time. The binary does not link -lpq: a portable build
// must run `check` on machines without libpq, so libpq.so.5 is opened with
// dlopen the first time `verify` needs it, and only libpq-fe.h's declarations
// are used at compile time. A thin RAII layer (Connection, Result) sits on top.
#pragma once

#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace pgw::pq {

// libpq cannot be loaded (exit 2, one line).
struct LibPqMissing : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// An error reported by the server or by libpq.
struct PgError : std::runtime_error {
    std::string sqlstate;  // "42P01"; empty for connection problems
    std::string detail, hint;
    int position = 0;  // 1-based character offset into the statement, 0 if none
    PgError(std::string message, std::string state = {})
        : std::runtime_error(std::move(message)), sqlstate(std::move(state)) {}
};

// Loads libpq (once). Throws LibPqMissing. PGWARDEN_LIBPQ names another file.
void require_libpq();

class Result {
  public:
    Result() = default;
    explicit Result(void* res) : res_(res) {}
    Result(Result&& o) noexcept : res_(o.res_) { o.res_ = nullptr; }
    Result& operator=(Result&& o) noexcept;
    Result(const Result&) = delete;
    Result& operator=(const Result&) = delete;
    ~Result();

    int rows() const;
    int columns() const;
    std::string_view get(int row, int column) const;
    std::string str(int row, int column) const { return std::string(get(row, column)); }
    long long integer(int row, int column) const;
    bool is_null(int row, int column) const;

  private:
    void* res_ = nullptr;  // PGresult*
};

enum class TxStatus { idle, active, in_transaction, failed, unknown };

class Connection {
  public:
    // Throws PgError (connection failures carry no SQLSTATE).
    explicit Connection(const std::string& conninfo);
    Connection(Connection&& o) noexcept : conn_(o.conn_) { o.conn_ = nullptr; }
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;
    ~Connection();

    // One statement (or a semicolon-separated list): throws PgError.
    Result exec(const std::string& sql);
    // Several statements in one round trip: every result, in order.
    std::vector<Result> exec_all(const std::string& sql);
    // `$1`... parameters as text; nullopt is NULL.
    Result exec(const std::string& sql, const std::vector<std::optional<std::string>>& params);
    // A statement that may need COPY FROM STDIN data: `copy_data` is sent when
    // the server asks for it.
    Result exec_with_copy(const std::string& sql, std::string_view copy_data);

    // Asynchronous execution for a statement watched from another session.
    void send(const std::string& sql);
    bool busy();      // reads what arrived; false once the result is complete
    Result finish();  // the result of `send`; throws PgError

    int backend_pid() const;
    int server_version() const;  // 150018
    TxStatus transaction_status() const;

  private:
    void* conn_ = nullptr;  // PGconn*
    // NOTICE and WARNING messages ("already exists, skipping") are not the
    // report's: libpq would print them on stderr.
    static void on_notice(void* self, const char* message);
};

// A connection string with any password removed, for reports and messages.
std::string redact(const std::string& conninfo);

// `s` as an SQL string literal / identifier (no server round trip).
std::string quote_literal(std::string_view s);
std::string quote_ident(std::string_view s);

}  // namespace pgw::pq
