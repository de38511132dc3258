#include "study/run.hpp"

#include "bridges_version.hpp"
#include "core/base/errors.hpp"
#include "core/engine/engine.hpp"
#include "io/batch_index.hpp"
#include "io/clock.hpp"
#include "io/durable_file.hpp"
#include "io/hdf5_writer.hpp"
#include "io/scenario_emitter.hpp"
#include "io/scenario_reader.hpp"
#include "io/sha256.hpp"
#include "study/interrupt.hpp"
#include "study/progress.hpp"

#include <nlohmann/json.hpp>
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
#include <sys/resource.h>
#include <unistd.h>

namespace bridges::study {

using namespace io; // the file formats this study code reads and writes

namespace {

using Clock = std::chrono::steady_clock;
double seconds_since(Clock::time_point t) {
    return std::chrono::duration<double>(Clock::now() - t).count();
}

/// Totals over the run per origin, for the summary table.
struct Summary {
    std::vector<std::string> codes;
    std::vector<core::Var> columns = {
        core::Var::countries_remit_formal_usd, core::Var::countries_remit_informal_usd,
        core::Var::countries_remit_fees_usd,   core::Var::countries_collective_usd,
        core::Var::countries_matching_usd,     core::Var::countries_investment_usd,
        core::Var::countries_bond_usd,         core::Var::countries_crisis_aid_usd};
    std::vector<std::vector<double>> totals; // [column][country]
    std::vector<double> poverty;             // last month
    std::vector<std::uint8_t> is_origin;
    double max_imbalance = 0;

    void add(const core::MonthRecord& r) {
        if (totals.empty()) totals.assign(columns.size(), std::vector<double>(codes.size(), 0.0));
        for (std::size_t c = 0; c < columns.size(); ++c) {
            const auto& v = r.get(columns[c]);
            for (std::size_t i = 0; i < v.size(); ++i)
                totals[c][i] += v[i];
        }
        poverty = r.get(core::Var::countries_poverty_rate);
        max_imbalance = std::max(max_imbalance, std::fabs(r.get(core::Var::global_ledger_imbalance_usd)[0]));
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

std::size_t available_memory() {
    std::size_t have = 0;
    {
        std::ifstream in("/proc/meminfo");
        std::string key, unit;
        std::size_t kb = 0;
        while (in >> key >> kb >> unit)
            if (key == "MemAvailable:") have = kb * 1024;
    }
    // Under a cgroup v2 limit (Slurm's --mem, containers) what is left of the limit counts.
    // Page cache is reclaimable: only anonymous memory counts against the limit.
    std::ifstream max_in("/sys/fs/cgroup/memory.max"), stat_in("/sys/fs/cgroup/memory.stat");
    std::string max_text, key;
    std::size_t anon = 0, value = 0;
    while (stat_in >> key >> value)
        if (key == "anon") anon = value;
    if (max_in >> max_text && max_text != "max") {
        const std::size_t limit = std::strtoull(max_text.c_str(), nullptr, 10);
        const std::size_t left = limit > anon ? limit - anon : 0;
        have = have == 0 ? left : std::min(have, left);
    }
    return have;
}

RunResult execute_run(const LoadedScenario& loaded, const RunRequest& request) {
    const auto t0 = Clock::now();
    const core::Scenario& s = loaded.scenario;
    RunResult result;
    result.output_path = request.output_path;
    const std::filesystem::path out_path(result.output_path);
    if (out_path.has_parent_path()) {
        std::error_code ec;
        std::filesystem::create_directories(out_path.parent_path(), ec);
        if (ec)
            throw IoError("cannot create directory " + out_path.parent_path().string() + ": " + ec.message());
    }

    core::Engine engine(s);
    const std::string resolved = emit_resolved(s);
    const std::string resolved_sha = sha256_hex(resolved);
    std::vector<core::MonthRecord> done; // every month's record, kept for the checkpoints
    if (request.resume) done = restore_checkpoint(request.checkpoint_dir, resolved_sha, engine);
    result.resumed_at_month = engine.month();
    result.setup_seconds = seconds_since(t0);
    result.members = static_cast<std::int64_t>(engine.world().members.size());
    result.months = s.months;
    result.households = static_cast<std::int64_t>(engine.world().households.size());
    result.world_bytes = engine.world().bytes();
    result.traffic = core::minimum_traffic(engine.world());

    RunMetadata meta;
    meta.text = {{"format", "bridges-output"},
                 {"engine_version", BRIDGES_VERSION},
                 {"git_commit", BRIDGES_GIT_COMMIT},
                 {"build_type", BRIDGES_BUILD_TYPE},
                 {"created_utc", utc_now()},
                 {"scenario_name", s.name},
                 {"scenario_path", request.scenario_path},
                 {"scenario_sha256", sha256_hex(loaded.text)},
                 {"scenario_resolved_sha256", resolved_sha},
                 {"start", s.start.to_string()},
                 {"overrides", request.overrides}};
    for (const auto& [k, v] : request.text_attributes)
        meta.text[k] = v;
    meta.integers = {{"schema_version", 1},
                     {"seed", s.seed},
                     {"threads", request.threads},
                     {"months", s.months},
                     {"members", result.members}};
    for (const auto& [k, v] : request.integer_attributes)
        meta.integers[k] = v;
    meta.scenario_text = loaded.text;
    meta.scenario_resolved = resolved;

    Hdf5Writer writer(
        result.output_path,
        OutputLayout::of(engine.world(), s.start, s.output.corridors, static_cast<int>(s.output.compression)),
        meta, request.partial_path);
    if (request.on_start) request.on_start(engine.world());
    auto record_month = [&](const core::MonthRecord& r) {
        auto ts = Clock::now();
        writer.append(r);
        result.write_seconds += seconds_since(ts);
        result.max_imbalance_usd =
            std::max(result.max_imbalance_usd, std::fabs(r.get(core::Var::global_ledger_imbalance_usd)[0]));
        if (request.on_month) request.on_month(r);
    };
    for (const auto& r : done) // the months before the checkpoint, as they were
        record_month(r);
    const bool checkpoints = !request.checkpoint_dir.empty() && request.checkpoint_every > 0;
    while (!engine.done()) {
        if (request.stop && request.stop())
            throw Error("stopped after " + std::to_string(engine.month()) + " of " +
                        std::to_string(s.months) + " months; nothing was written");
        auto ts = Clock::now();
        const core::MonthRecord& r = engine.step();
        result.step_seconds += seconds_since(ts);
        record_month(r);
        if (!checkpoints) continue;
        done.push_back(r);
        if (engine.month() % request.checkpoint_every == 0 && !engine.done()) {
            ts = Clock::now();
            write_checkpoint(request.checkpoint_dir,
                             checkpoint_header(engine, resolved_sha, request.checkpoint_run), engine, done);
            result.checkpoint_seconds += seconds_since(ts);
            ++result.checkpoints;
        }
    }
    result.total_seconds = seconds_since(t0);
    auto ts = Clock::now();
    writer.finish({{"wall_seconds", result.total_seconds}});
    result.write_seconds += seconds_since(ts);
    if (!request.checkpoint_dir.empty()) { // the output is whole: the checkpoint has served
        std::error_code ec;
        std::filesystem::remove(checkpoint_path(request.checkpoint_dir), ec);
    }
    result.total_seconds = seconds_since(t0);
    return result;
}

std::vector<std::string> all_overrides(const RunOptions& o) {
    std::vector<std::string> v = o.overrides;
    if (o.seed) v.push_back("seed=" + std::to_string(*o.seed));
    if (o.months) v.push_back("months=" + std::to_string(*o.months));
    return v;
}

namespace {

/// The JSON of `bridges run --report` (docs/cli.md).
std::string run_report_json(const core::Scenario& s, const RunResult& r, int threads) {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    const double steps = static_cast<double>(r.members) * static_cast<double>(r.months);
    const nlohmann::ordered_json report = {
        {"scenario", s.name},
        {"output", r.output_path},
        {"threads", threads},
        {"members", r.members},
        {"households", r.households},
        {"months", r.months},
        {"setup_seconds", r.setup_seconds},
        {"step_seconds", r.step_seconds},
        {"write_seconds", r.write_seconds},
        {"total_seconds", r.total_seconds},
        {"member_steps_per_s", steps / std::max(r.step_seconds, 1e-9)},
        {"world_bytes", r.world_bytes},
        {"peak_rss_bytes", static_cast<std::int64_t>(usage.ru_maxrss) * 1024},
        {"bytes_per_member_step",
         {{"member_read", r.traffic.member_read},
          {"member_written", r.traffic.member_written},
          {"household_read", r.traffic.household_read},
          {"household_written", r.traffic.household_written},
          {"graph", r.traffic.graph},
          {"total", r.traffic.total()}}}};
    return report.dump(2) + "\n";
}

} // namespace

namespace {

/// Runs a loaded scenario (bridges run, or bridges resume with `resume`).
RunResult run_loaded(const LoadedScenario& loaded, const RunOptions& options, bool resume,
                     std::ostream& summary_out) {
    const core::Scenario& s = loaded.scenario;
    const std::size_t need = core::estimate_world_bytes(s) + io::estimate_output_bytes(s),
                      have = available_memory();
    if (have > 0 && need > have) {
        std::ostringstream msg;
        msg << "the scenario needs about " << need / (1 << 20) << " MiB but only " << have / (1 << 20)
            << " MiB are available; raise 'scale' or lower the stocks";
        throw ScenarioError({{options.scenario_path, 0, 0, msg.str()}});
    }
    if (!options.report_path.empty()) { // its folder, as the output's, exists before the run starts
        const std::filesystem::path folder = std::filesystem::path(options.report_path).parent_path();
        std::error_code ec;
        if (!folder.empty()) std::filesystem::create_directories(folder, ec);
        if (ec) throw IoError("--report: cannot create directory " + folder.string() + ": " + ec.message());
    }
    // Installed before anything is written, so that an interrupt never kills a half-written file.
    const InterruptGuard interrupts;
    const int threads = options.threads > 0 ? options.threads : tbb::info::default_concurrency();
    tbb::global_control limit(tbb::global_control::max_allowed_parallelism,
                              static_cast<std::size_t>(threads));

    RunRequest request;
    request.output_path = options.output_path.empty() ? "out/" + s.name + ".h5" : options.output_path;
    request.scenario_path = options.scenario_path;
    for (const auto& o : all_overrides(options))
        request.overrides += (request.overrides.empty() ? "" : " ") + o;
    request.threads = threads;
    request.checkpoint_dir = options.checkpoint_dir;
    request.checkpoint_every = options.checkpoint_every;
    request.checkpoint_run = {options.scenario_path, loaded.text,         all_overrides(options),
                              request.output_path,   options.report_path, options.checkpoint_every};
    request.resume = resume;
    Summary summary;
    ProgressBar progress(options.progress && !options.quiet, static_cast<std::size_t>(s.months), "months",
                         false);
    int month = 0;
    request.stop = [&] { return interrupts.requested(); };
    request.on_start = [&](const core::World& w) {
        summary.codes = w.countries.code;
        summary.is_origin = w.countries.is_origin;
    };
    request.on_month = [&](const core::MonthRecord& r) {
        summary.add(r);
        progress.show(static_cast<std::size_t>(++month));
    };
    RunResult result;
    try {
        result = execute_run(loaded, request);
    } catch (const Error& e) {
        if (interrupts.requested())
            throw Error("interrupted (signal " + std::to_string(interrupts.signal()) + ") after " +
                        std::to_string(month) + " of " + std::to_string(s.months) +
                        " months; nothing was written");
        throw;
    }

    summary_out << "Bridges " << BRIDGES_VERSION << ": " << s.name << ", " << result.members
                << " members (scale " << s.scale << "), " << s.months << " months from "
                << s.start.to_string() << ", seed " << s.seed << ", " << threads << " thread(s)\n";
    summary.print(summary_out);
    summary_out << std::fixed << std::setprecision(2) << "time: set-up " << result.setup_seconds
                << " s, months " << result.step_seconds << " s, output " << result.write_seconds
                << " s, total " << result.total_seconds << " s (" << std::setprecision(1)
                << result.members * static_cast<double>(s.months) / std::max(result.step_seconds, 1e-9) / 1e6
                << " M member-steps/s)\n"
                << std::defaultfloat;
    if (result.resumed_at_month > 0)
        summary_out << "resumed from the checkpoint after month " << result.resumed_at_month << "\n";
    if (result.checkpoints > 0)
        summary_out << std::fixed << std::setprecision(2) << "checkpoints: " << result.checkpoints << " in "
                    << result.checkpoint_seconds << " s, into " << options.checkpoint_dir << "\n"
                    << std::defaultfloat;
    summary_out << "memory: agent columns and social graph " << result.world_bytes / (1 << 20) << " MiB\n"
                << "wrote " << result.output_path << "\n";
    if (!options.report_path.empty()) {
        write_file_atomically(options.report_path, run_report_json(s, result, threads));
        summary_out << "wrote " << options.report_path << "\n";
    }
    return result;
}

} // namespace

void report_warnings(const std::vector<Diagnostic>& warnings, bool strict, std::ostream& err) {
    if (warnings.empty()) return;
    if (strict) {
        std::vector<Diagnostic> errors = warnings;
        for (auto& d : errors) {
            d.warning = false;
            d.message += " (an error under --strict)";
        }
        throw ScenarioError(errors);
    }
    for (const auto& d : warnings)
        err << d.to_string() << "\n";
}

RunResult run_scenario(const RunOptions& options, std::ostream& summary_out) {
    if (!options.checkpoint_dir.empty() && has_checkpoint(options.checkpoint_dir)) {
        const CheckpointHeader h = read_checkpoint_header(options.checkpoint_dir);
        throw ScenarioError({{options.checkpoint_dir, 0, 0,
                              "this directory holds the checkpoint of a run of " + h.run.scenario_path +
                                  " after month " + std::to_string(h.month) + " of " +
                                  std::to_string(h.months) + "; continue it with 'bridges resume " +
                                  options.checkpoint_dir + "', or choose another --checkpoint-dir"}});
    }
    const LoadedScenario loaded = load_scenario(options.scenario_path, all_overrides(options));
    report_warnings(loaded.warnings, options.strict, std::cerr);
    return run_loaded(loaded, options, false, summary_out);
}

RunResult resume_run(const std::string& dir, int threads, bool quiet, bool progress,
                     std::ostream& summary_out) {
    const CheckpointHeader h = read_checkpoint_header(dir);
    RunOptions o;
    o.scenario_path = h.run.scenario_path;
    o.output_path = h.run.output_path;
    o.overrides = h.run.overrides; // --seed and --months are among them
    o.report_path = h.run.report_path;
    o.checkpoint_dir = dir;
    o.checkpoint_every = h.run.every;
    o.threads = threads;
    o.quiet = quiet;
    o.progress = progress;
    LoadedScenario loaded = parse_scenario(h.run.scenario_text, h.run.scenario_path, h.run.overrides);
    return run_loaded(loaded, o, true, summary_out);
}

} // namespace bridges::study
