#include "io/run.hpp"

#include "bridges_version.hpp"
#include "core/engine/engine.hpp"
#include "core/errors.hpp"
#include "io/hdf5_writer.hpp"
#include "io/scenario_emitter.hpp"
#include "io/scenario_reader.hpp"
#include "io/sha256.hpp"

#include <tbb/global_control.h>
#include <tbb/info.h>

#include <chrono>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <ostream>
#include <sstream>
#include <unistd.h>

namespace bridges::io {

namespace {

using Clock = std::chrono::steady_clock;
double seconds_since(Clock::time_point t) {
    return std::chrono::duration<double>(Clock::now() - t).count();
}

std::string utc_now() {
    const std::time_t t = std::time(nullptr);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&t));
    return buf;
}

/// Bytes of memory available now (MemAvailable), or 0 if unknown.
std::size_t available_memory() {
    std::ifstream in("/proc/meminfo");
    std::string key;
    std::size_t kb = 0;
    std::string unit;
    while (in >> key >> kb >> unit)
        if (key == "MemAvailable:") return kb * 1024;
    return 0;
}

class Progress {
  public:
    Progress(bool on, int total) : on_(on && ::isatty(2)), total_(total), start_(Clock::now()) {}
    void update(int done) {
        if (!on_) return;
        const double el = seconds_since(start_);
        const double rate = done / std::max(el, 1e-9);
        const int width = 30, filled = total_ ? width * done / total_ : width;
        std::fprintf(stderr, "\r[%s%s] %d/%d months  %.1f months/s  ETA %.0fs ",
                     std::string(filled, '#').c_str(), std::string(width - filled, '.').c_str(), done, total_,
                     rate, rate > 0 ? (total_ - done) / rate : 0.0);
        if (done == total_) std::fprintf(stderr, "\n");
    }

  private:
    bool on_;
    int total_;
    Clock::time_point start_;
};

/// While alive, SIGINT and SIGTERM only raise a flag, so that the run stops between months and the
/// writer removes its partial file; the previous handlers come back afterwards.
volatile std::sig_atomic_t g_signal = 0;
class InterruptGuard {
  public:
    InterruptGuard() {
        g_signal = 0;
        old_int_ = std::signal(SIGINT, [](int sig) { g_signal = sig; });
        old_term_ = std::signal(SIGTERM, [](int sig) { g_signal = sig; });
    }
    ~InterruptGuard() {
        std::signal(SIGINT, old_int_);
        std::signal(SIGTERM, old_term_);
    }
    InterruptGuard(const InterruptGuard&) = delete;
    InterruptGuard& operator=(const InterruptGuard&) = delete;
    [[nodiscard]] bool requested() const { return g_signal != 0; }
    [[nodiscard]] int signal() const { return static_cast<int>(g_signal); }

  private:
    void (*old_int_)(int) = nullptr;
    void (*old_term_)(int) = nullptr;
};

/// Totals over the run per origin, for the summary table.
struct Summary {
    std::vector<std::string> codes;
    std::vector<std::string> columns = {"remit_formal_usd", "remit_informal_usd", "remit_fees_usd",
                                        "collective_usd",   "matching_usd",       "investment_usd",
                                        "bond_usd",         "crisis_aid_usd"};
    std::vector<std::vector<double>> totals; // [column][country]
    std::vector<double> poverty;             // last month
    std::vector<std::uint8_t> is_origin;
    double max_imbalance = 0;

    void add(const core::MonthRecord& r) {
        if (totals.empty()) totals.assign(columns.size(), std::vector<double>(codes.size(), 0.0));
        for (std::size_t c = 0; c < columns.size(); ++c) {
            const auto& v = r.get("countries", columns[c]);
            for (std::size_t i = 0; i < v.size(); ++i)
                totals[c][i] += v[i];
        }
        poverty = r.get("countries", "poverty_rate");
        max_imbalance = std::max(max_imbalance, std::fabs(r.get("global", "ledger_imbalance_usd")[0]));
    }

    void print(std::ostream& out) const {
        out << "Totals over the run by receiving origin, million USD (poverty: last month)\n";
        out << std::left << std::setw(8) << "origin";
        const char* short_names[] = {"formal",   "informal", "fees",  "collect.",
                                     "matching", "invest.",  "bonds", "crisis"};
        for (const char* n : short_names)
            out << std::right << std::setw(11) << n;
        out << std::setw(10) << "poverty"
            << "\n";
        std::vector<double> world(columns.size(), 0.0);
        for (std::size_t i = 0; i < codes.size(); ++i) {
            if (!is_origin[i]) continue;
            out << std::left << std::setw(8) << codes[i] << std::right << std::fixed << std::setprecision(2);
            for (std::size_t c = 0; c < columns.size(); ++c) {
                out << std::setw(11) << totals[c][i] / 1e6;
                world[c] += totals[c][i];
            }
            out << std::setw(10) << std::setprecision(3) << poverty[i] << "\n";
        }
        out << std::left << std::setw(8) << "world" << std::right << std::setprecision(2);
        for (double x : world)
            out << std::setw(11) << x / 1e6;
        out << "\n" << std::defaultfloat;
        out << "ledger imbalance (largest month): " << max_imbalance << " USD\n";
    }
};

} // namespace

std::vector<std::string> all_overrides(const RunOptions& o) {
    std::vector<std::string> v = o.overrides;
    if (o.seed) v.push_back("seed=" + std::to_string(*o.seed));
    if (o.months) v.push_back("months=" + std::to_string(*o.months));
    return v;
}

RunResult run_scenario(const RunOptions& options, std::ostream& summary_out) {
    const auto t0 = Clock::now();
    LoadedScenario loaded = load_scenario(options.scenario_path, all_overrides(options));
    const core::Scenario& s = loaded.scenario;
    RunResult result;
    result.output_path = options.output_path.empty() ? "out/" + s.name + ".h5" : options.output_path;

    const std::size_t need = core::estimate_world_bytes(s), have = available_memory();
    if (have > 0 && need > have) {
        std::ostringstream msg;
        msg << "the scenario needs about " << need / (1 << 20) << " MiB but only " << have / (1 << 20)
            << " MiB are available; raise 'scale' or lower the stocks";
        throw ScenarioError({{options.scenario_path, 0, 0, msg.str()}});
    }
    // Installed before anything is written, so that an interrupt never kills a half-written file.
    const InterruptGuard interrupts;
    const int threads = options.threads > 0 ? options.threads : tbb::info::default_concurrency();
    tbb::global_control limit(tbb::global_control::max_allowed_parallelism,
                              static_cast<std::size_t>(threads));

    const std::filesystem::path out_path(result.output_path);
    if (out_path.has_parent_path()) {
        std::error_code ec;
        std::filesystem::create_directories(out_path.parent_path(), ec);
        if (ec)
            throw IoError("cannot create directory " + out_path.parent_path().string() + ": " + ec.message());
    }

    core::Engine engine(s);
    result.setup_seconds = seconds_since(t0);
    result.members = static_cast<std::int64_t>(engine.world().members.size());
    result.months = s.months;

    RunMetadata meta;
    meta.text = {{"format", "bridges-output"},
                 {"engine_version", BRIDGES_VERSION},
                 {"git_commit", BRIDGES_GIT_COMMIT},
                 {"build_type", BRIDGES_BUILD_TYPE},
                 {"created_utc", utc_now()},
                 {"scenario_name", s.name},
                 {"scenario_path", options.scenario_path},
                 {"scenario_sha256", sha256_hex(loaded.text)},
                 {"start", s.start.to_string()}};
    std::string overrides;
    for (const auto& o : all_overrides(options))
        overrides += (overrides.empty() ? "" : " ") + o;
    meta.text["overrides"] = overrides;
    meta.integers = {{"schema_version", 1},
                     {"seed", s.seed},
                     {"threads", threads},
                     {"months", s.months},
                     {"members", result.members}};
    meta.scenario_text = loaded.text;
    meta.scenario_resolved = emit_resolved(s);

    Hdf5Writer writer(
        result.output_path,
        OutputLayout::of(engine.world(), s.start, s.output.corridors, static_cast<int>(s.output.compression)),
        meta);
    Summary summary;
    summary.codes = engine.world().countries.code;
    summary.is_origin = engine.world().countries.is_origin;
    Progress progress(options.progress && !options.quiet, static_cast<int>(s.months));
    while (!engine.done()) {
        if (interrupts.requested())
            throw Error("interrupted (signal " + std::to_string(interrupts.signal()) + ") after " +
                        std::to_string(engine.month()) + " of " + std::to_string(s.months) +
                        " months; nothing was written");
        auto ts = Clock::now();
        const core::MonthRecord& r = engine.step();
        result.step_seconds += seconds_since(ts);
        ts = Clock::now();
        writer.append(r);
        result.write_seconds += seconds_since(ts);
        summary.add(r);
        progress.update(engine.month());
    }
    auto ts = Clock::now();
    writer.finish();
    result.write_seconds += seconds_since(ts);
    result.total_seconds = seconds_since(t0);
    result.max_imbalance_usd = summary.max_imbalance;

    summary_out << "Bridges " << BRIDGES_VERSION << ": " << s.name << ", " << result.members
                << " members (scale " << s.scale << "), " << s.months << " months from "
                << s.start.to_string() << ", seed " << s.seed << ", " << threads << " thread(s)\n";
    summary.print(summary_out);
    summary_out << std::fixed << std::setprecision(2) << "time: set-up " << result.setup_seconds
                << " s, months " << result.step_seconds << " s, output " << result.write_seconds
                << " s, total " << result.total_seconds << " s (" << std::setprecision(1)
                << result.members * static_cast<double>(s.months) / std::max(result.step_seconds, 1e-9) / 1e6
                << " M member-steps/s)\n"
                << std::defaultfloat << "memory: agent columns and social graph "
                << engine.world().bytes() / (1 << 20) << " MiB\n"
                << "wrote " << result.output_path << "\n";
    return result;
}

} // namespace bridges::io
