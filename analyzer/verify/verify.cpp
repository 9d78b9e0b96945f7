#include "verify/verify.h"

#include <algorithm>
#include <atomic>
#include <iomanip>
#include <memory>
#include <sstream>
#include <thread>

#include "frontend/source.h"
#include "verify/apply.h"
#include "verify/check_set.h"
#include "verify/cluster.h"
#include "verify/drift.h"
#include "verify/libpq.h"

namespace pgw {

namespace {

std::string seconds_text(double s) {
    std::ostringstream out;
    out << std::fixed << std::setprecision(2) << s << " s";
    return out.str();
}

// One database per set, named after it, so sets never see each other's tables.
std::string database_name(const std::string& set, std::size_t index) {
    std::string name = "verify_" + std::to_string(index + 1);
    std::string tail;
    for (char c : set)
        tail +=
            std::isalnum(static_cast<unsigned char>(c)) ? static_cast<char>(std::tolower(c)) : '_';
    while (!tail.empty() && tail.front() == '_') tail.erase(0, 1);
    if (!tail.empty()) name += "_" + tail.substr(tail.size() > 40 ? tail.size() - 40 : 0);
    return name;
}

std::optional<VerifyScript> load_seed(const VerifyOptions& options, const Config& config) {
    if (options.seed_path.empty()) return std::nullopt;
    std::string bytes, error;
    if (!read_file_bytes(options.seed_path, bytes, error))
        throw VerifyError("--seed " + options.seed_path + ": " + error);
    return script_of(options.seed_path, std::move(bytes), config);
}

}  // namespace

RunResult run_verify(const std::vector<VerifySet>& sets, const Config& config,
                     const VerifyOptions& options) {
    try {
        pq::require_libpq();
    } catch (const pq::LibPqMissing& e) {
        throw VerifyError(e.what());
    }
    if (options.drift) return run_drift(sets, config, options);
    if (!options.against.empty()) throw VerifyError("--against needs --drift");
    std::optional<VerifyScript> seed = load_seed(options, config);

    auto observations = std::make_shared<Observations>();
    std::unique_ptr<Cluster> cluster;
    std::vector<std::string> conninfos;
    if (options.database_url.empty()) {
        install_signal_cleanup();
        try {
            cluster = Cluster::start({options.pg_bindir, options.keep});
        } catch (const ClusterError& e) {
            throw VerifyError(e.what());
        }
        observations->server = "PostgreSQL " + cluster->version() + ", private cluster (" +
                               (cluster->warm() ? "warm" : "cold") + " start " +
                               seconds_text(cluster->start_seconds()) + ")";
        try {
            pq::Connection admin(cluster->conninfo());
            for (std::size_t i = 0; i < sets.size(); ++i) {
                std::string db = database_name(sets[i].name, i);
                admin.exec("CREATE DATABASE " + pq::quote_ident(db) + " TEMPLATE template0");
                conninfos.push_back(cluster->conninfo(db));
            }
        } catch (const pq::PgError& e) {
            throw VerifyError(std::string("private cluster: ") + e.what());
        }
    } else {
        // A scratch database given by the user: every set goes into it, in turn.
        try {
            pq::Connection probe(options.database_url);
            std::string v = probe.exec("SHOW server_version").str(0, 0);
            observations->server = "PostgreSQL " + v.substr(0, v.find(' ')) + " at " +
                                   pq::redact(options.database_url);
        } catch (const pq::PgError& e) {
            throw VerifyError("--database-url " + pq::redact(options.database_url) + ": " +
                              e.what());
        }
        conninfos.assign(sets.size(), options.database_url);
    }

    FindingSink sink(config);
    std::vector<std::vector<MigrationTrace>> traces(sets.size());
    std::vector<std::vector<ModelCheck>> model_checks(sets.size());
    std::vector<std::string> failures(sets.size());
    std::atomic<std::size_t> next{0};
    auto worker = [&] {
        for (std::size_t i = next++; i < sets.size(); i = next++) {
            try {
                pq::Connection c(conninfos[i]);
                c.exec("SET client_min_messages = warning");
                SetCheck check{sets[i], sink, c, conninfos[i], seed ? &*seed : nullptr};
                check.pg_version = config.pg_version;
                check.run();
                traces[i] = std::move(check.traces);
                model_checks[i] = std::move(check.model_checks);
            } catch (const pq::PgError& e) {
                failures[i] = sets[i].name + ": " + e.what();
            }
        }
    };
    // Sets share nothing but the server: each runs on its own connection.
    unsigned jobs =
        options.database_url.empty()
            ? std::max(1u, std::min<unsigned>(options.jobs, static_cast<unsigned>(sets.size())))
            : 1u;
    std::vector<std::thread> threads;
    for (unsigned t = 1; t < jobs; ++t) threads.emplace_back(worker);
    worker();
    for (auto& t : threads) t.join();
    for (const auto& f : failures)
        if (!f.empty()) throw VerifyError(f);
    for (auto& t : traces)
        for (auto& m : t) observations->migrations.push_back(std::move(m));
    for (auto& checks : model_checks)
        for (auto& m : checks) observations->model_checks.push_back(std::move(m));

    if (cluster) {
        cluster->stop();
        if (options.keep && options.note) options.note(cluster->kept_message());
    }
    RunResult run;
    run.files = sink.reports();
    run.observations = std::move(observations);
    run.summarize();
    return run;
}

}  // namespace pgw
