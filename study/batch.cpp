#include "study/batch.hpp"

#include "core/base/errors.hpp"
#include "core/world/world.hpp"
#include "io/batch_index.hpp"
#include "io/durable_file.hpp"
#include "io/hdf5_writer.hpp"
#include "study/interrupt.hpp"
#include "study/run.hpp"

#include <tbb/global_control.h>
#include <tbb/info.h>
#include <tbb/task_arena.h>

#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <mutex>
#include <ostream>
#include <set>
#include <sstream>
#include <sys/types.h>
#include <thread>
#include <unistd.h>

namespace bridges::study {

using namespace io; // the file formats this study code reads and writes

namespace {

double now_seconds() {
    return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

/// "I/N", or the Slurm array task of an array job (SLURM_ARRAY_TASK_ID minus SLURM_ARRAY_TASK_MIN).
void choose_shard(const BatchOptions& o, BatchPlan& plan) {
    auto bad = [](const std::string& where, const std::string& msg) {
        throw ScenarioError({{where, 0, 0, msg}});
    };
    auto number = [](const char* s, long& out) {
        if (!s || !*s) return false;
        char* end = nullptr;
        out = std::strtol(s, &end, 10);
        return *end == '\0';
    };
    long i = 0, n = 1;
    if (!o.shard.empty()) {
        const auto slash = o.shard.find('/');
        if (slash == std::string::npos || !number(o.shard.substr(0, slash).c_str(), i) ||
            !number(o.shard.substr(slash + 1).c_str(), n) || n < 1 || n > 1000000 || i < 0 || i >= n)
            bad("--shard " + o.shard, "expected I/N with 0 <= I < N, e.g. --shard 0/4");
    } else if (std::getenv("SLURM_ARRAY_TASK_ID") && std::getenv("SLURM_ARRAY_TASK_COUNT")) {
        long id = 0, min = 0;
        if (!number(std::getenv("SLURM_ARRAY_TASK_ID"), id) ||
            !number(std::getenv("SLURM_ARRAY_TASK_COUNT"), n) ||
            (std::getenv("SLURM_ARRAY_TASK_MIN") && !number(std::getenv("SLURM_ARRAY_TASK_MIN"), min)))
            bad("SLURM_ARRAY_TASK_ID", "SLURM_ARRAY_TASK_ID, _COUNT and _MIN must be integers");
        i = id - min;
        if (n < 1 || i < 0 || i >= n)
            bad("SLURM_ARRAY_TASK_ID", "array task " + std::to_string(id) + " is not within the " +
                                           std::to_string(n) + " tasks of the array (from " +
                                           std::to_string(min) + "); use a contiguous --array=0-N");
    }
    plan.shard_index = static_cast<int>(i);
    plan.shard_count = static_cast<int>(n);
}

std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

/// Removes the partial files of run `id` left on this host by processes that are gone (killed):
/// a process still alive may be writing its own.
void remove_stale_partials(const std::string& dir, const std::string& id) {
    char host[256] = "";
    ::gethostname(host, sizeof host - 1);
    const std::string prefix = id + ".h5.partial." + host + ".";
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator(dir + "/runs", ec)) {
        const std::string name = entry.path().filename().string();
        if (name.rfind(prefix, 0) != 0) continue;
        char* end = nullptr;
        const long pid = std::strtol(name.c_str() + prefix.size(), &end, 10);
        if (*end != '\0' || pid <= 0) continue;
        if (::kill(static_cast<pid_t>(pid), 0) != 0 && errno == ESRCH)
            std::filesystem::remove(entry.path(), ec);
    }
}

} // namespace

std::string checkpoint_dir(const std::string& dir, const std::string& id) {
    return dir + "/checkpoints/" + id;
}

/// Moves the run files, error files and checkpoints of runs that are no longer in the design (an
/// arm, a sweep value or replicates removed) from DIR/runs and DIR/checkpoints to
/// DIR/superseded, so that runs/ holds only runs of the manifest. Returns the runs moved.
std::size_t move_superseded(const std::string& dir, const std::vector<RunSpec>& runs) {
    namespace fs = std::filesystem;
    std::set<std::string> ids;
    for (const auto& r : runs)
        ids.insert(r.id);
    std::set<std::string> moved;
    auto move_aside = [&](const fs::path& from, const std::string& id, const std::string& sub) {
        const fs::path to = fs::path(dir) / "superseded" / sub;
        std::error_code ec;
        fs::create_directories(to, ec);
        if (!ec) fs::rename(from, to / from.filename(), ec);
        if (ec) throw IoError("cannot move " + from.string() + " to " + to.string() + ": " + ec.message());
        moved.insert(id);
    };
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(fs::path(dir) / "runs", ec)) {
        const std::string name = entry.path().filename().string();
        for (const char* ext : {".h5", ".error"}) {
            const std::string e(ext);
            if (name.size() > e.size() && name.compare(name.size() - e.size(), e.size(), e) == 0 &&
                !ids.count(name.substr(0, name.size() - e.size())))
                move_aside(entry.path(), name.substr(0, name.size() - e.size()), "runs");
        }
    }
    for (const auto& entry : fs::directory_iterator(fs::path(dir) / "checkpoints", ec))
        if (entry.is_directory() && !ids.count(entry.path().filename().string()))
            move_aside(entry.path(), entry.path().filename().string(), "checkpoints");
    return moved.size();
}

BatchPlan prepare_batch(const BatchOptions& o, bool write) {
    BatchPlan plan;
    plan.experiment = load_experiment(o.experiment_path, o.sets);
    if (o.warnings) report_warnings(plan.experiment.warnings, o.strict, std::cerr);
    plan.runs = plan_runs(plan.experiment, [&](const core::Scenario& s) {
        plan.run_bytes =
            std::max(plan.run_bytes, core::estimate_world_bytes(s) + io::estimate_output_bytes(s));
    });
    for (const auto& r : plan.runs)
        plan.lines.push_back(manifest_line(plan.experiment, r));
    choose_shard(o, plan);
    const int cores = std::max(1, tbb::info::default_concurrency());
    plan.jobs = std::max(1, o.jobs);
    plan.checkpoint_every = o.checkpoint_every;
    plan.threads = o.threads > 0 ? o.threads : std::max(1, cores / plan.jobs);
    if (o.dry_run) return plan;

    const std::string manifest = manifest_text(plan.experiment, plan.runs);
    const std::string manifest_path = o.dir + "/manifest";
    const bool had_manifest = std::filesystem::exists(manifest_path);
    if (had_manifest && !o.resume && read_file(manifest_path) != manifest)
        throw ScenarioError({{o.dir, 0, 0,
                              "this directory holds another batch (its manifest differs); add --resume to "
                              "bring it up to date with " +
                                  o.experiment_path + ", or choose another directory"}});
    for (std::size_t i = 0; i < plan.runs.size(); ++i) {
        if (static_cast<int>(i % static_cast<std::size_t>(plan.shard_count)) != plan.shard_index) continue;
        ManifestRun m;
        m.id = plan.runs[i].id;
        m.line = plan.lines[i];
        const RunState st = run_state(o.dir, m);
        if (st.status == RunStatus::complete && !o.resume)
            throw ScenarioError({{o.dir, 0, 0,
                                  "run " + m.id +
                                      " is already complete in this directory; add --resume to go on "
                                      "with the runs not yet done, or choose another directory"}});
        if (st.status == RunStatus::complete) {
            ++plan.kept;
            // Killed between finishing its file and removing its checkpoint: the checkpoint is
            // of no more use.
            std::error_code ec;
            if (write) std::filesystem::remove_all(checkpoint_dir(o.dir, m.id), ec); // none: no-op
            continue;
        }
        plan.todo.push_back(i);
        if (has_checkpoint(checkpoint_dir(o.dir, m.id))) ++plan.continued;
    }
    const std::size_t have = available_memory();
    const std::size_t at_once = std::min(static_cast<std::size_t>(plan.jobs), plan.todo.size());
    if (have > 0 && plan.run_bytes * at_once > have) {
        std::ostringstream msg;
        msg << at_once << " run(s) at once need about " << plan.run_bytes * at_once / (1 << 20)
            << " MiB but only " << have / (1 << 20) << " MiB are available; lower --jobs or raise 'scale'";
        throw ScenarioError({{o.experiment_path, 0, 0, msg.str()}});
    }

    if (write) {
        std::error_code ec;
        std::filesystem::create_directories(o.dir + "/runs", ec);
        if (ec) throw IoError("cannot create " + o.dir + "/runs: " + ec.message());
        write_file_atomically(manifest_path, manifest);
        if (had_manifest) plan.superseded = move_superseded(o.dir, plan.runs);
    }
    return plan;
}

RunOutcome execute_batch_run(const BatchPlan& plan, std::size_t index, const std::string& dir,
                             const std::function<bool()>& stop) {
    const double t0 = now_seconds();
    const RunSpec& r = plan.runs.at(index);
    const Experiment& e = plan.experiment;
    RunOutcome out;
    try {
        remove_stale_partials(dir, r.id);
        const LoadedScenario loaded = resolve_run(e, r.arm, r.point, r.seed);
        RunRequest req;
        req.output_path = run_path(dir, r.id);
        req.partial_path = req.output_path + ".partial." + temporary_suffix();
        req.scenario_path = e.base_path;
        req.overrides = r.overrides;
        req.threads = plan.threads;
        req.stop = stop;
        req.text_attributes = {{"experiment", e.name},
                               {"experiment_path", e.path},
                               {"run_id", r.id},
                               {"arm", e.arms[r.arm].name},
                               {"point_label", e.points[r.point].label},
                               {"manifest_line", plan.lines[index]}};
        req.integer_attributes = {{"point", static_cast<std::int64_t>(r.point)}, {"replicate", r.replicate}};
        // A run killed after a checkpoint continues from it, with or without --checkpoint-every now.
        req.checkpoint_dir = checkpoint_dir(dir, r.id);
        req.checkpoint_every = plan.checkpoint_every;
        req.checkpoint_run = {e.base_path, loaded.text, {}, req.output_path, "", plan.checkpoint_every};
        req.resume = has_checkpoint(req.checkpoint_dir);
        execute_run(loaded, req);
        // The checkpoint has served: its directory goes. DIR/checkpoints itself stays until the
        // batch ends (finish_batch), since other jobs may be creating theirs in it.
        std::error_code ec;
        std::filesystem::remove_all(req.checkpoint_dir, ec);
        std::remove(error_path(dir, r.id).c_str());
        out.ok = true;
    } catch (const std::bad_alloc&) {
        out.error = "out of memory";
    } catch (const std::exception& ex) {
        out.error = ex.what();
        while (!out.error.empty() && out.error.back() == '\n')
            out.error.pop_back();
    }
    out.seconds = now_seconds() - t0;
    if (!out.ok && stop && stop()) {
        out.stopped = true;
        return out;
    }
    if (!out.ok) {
        try {
            write_file_atomically(error_path(dir, r.id), plan.lines[index] + "\n" + out.error + "\n");
        } catch (const std::exception& ex) {
            out.error += " (and its error file could not be written: " + std::string(ex.what()) + ")";
        }
    }
    return out;
}

void run_pool(const BatchPlan& plan, const std::string& dir,
              const std::function<std::optional<std::size_t>()>& next,
              const std::function<void(std::size_t, const RunOutcome&)>& finished,
              const std::function<bool()>& stop) {
    tbb::global_control limit(tbb::global_control::max_allowed_parallelism,
                              static_cast<std::size_t>(plan.jobs) * static_cast<std::size_t>(plan.threads));
    std::vector<std::thread> jobs;
    for (int j = 0; j < plan.jobs; ++j)
        jobs.emplace_back([&] {
            tbb::task_arena arena(plan.threads);
            while (!(stop && stop())) {
                const std::optional<std::size_t> i = next();
                if (!i) break;
                RunOutcome outcome;
                arena.execute([&] { outcome = execute_batch_run(plan, *i, dir, stop); });
                finished(*i, outcome);
            }
        });
    for (auto& t : jobs)
        t.join();
}

BatchProgress::BatchProgress(bool on, std::size_t total) : bar_(on, total, "runs", true) {
    bar_.show(0);
}

void BatchProgress::finished(bool ok) {
    ++done_;
    if (!ok) ++failed_;
    bar_.show(done_, ", " + std::to_string(failed_) + " failed");
}

int finish_batch(const BatchPlan& plan, const BatchOptions& o, std::size_t failed, bool stopped,
                 double seconds, std::ostream& out) {
    std::error_code ec;
    std::filesystem::remove(o.dir + "/checkpoints", ec); // only when no run keeps a checkpoint
    const IndexCounts c = write_index(o.dir);
    out << "batch " << plan.experiment.name << ": " << plan.runs.size() << " runs (" << c.complete
        << " complete, " << c.failed << " failed, " << c.pending << " pending)";
    if (plan.shard_count > 1) out << "; shard " << plan.shard_index << "/" << plan.shard_count;
    out << "\nthis invocation: " << plan.todo.size() << " run(s) to do";
    if (plan.continued > 0) out << " (" << plan.continued << " from their checkpoints)";
    out << ", " << plan.kept << " kept from before, " << failed << " failed, ";
    if (stopped) { // the runs of this invocation left pending: in flight or not started
        std::size_t abandoned = 0;
        for (const std::size_t i : plan.todo) {
            ManifestRun r;
            r.id = plan.runs[i].id;
            r.line = plan.lines[i];
            abandoned += run_state(o.dir, r).status == RunStatus::pending;
        }
        out << abandoned << " abandoned (pending), ";
    }
    out << std::fixed << std::setprecision(1) << seconds << " s with " << plan.jobs << " job(s) x "
        << plan.threads << " thread(s)\n"
        << std::defaultfloat << "wrote " << o.dir << "/index.h5\n";
    if (plan.superseded > 0)
        out << plan.superseded << " run(s) no longer in the experiment's design moved to " << o.dir
            << "/superseded\n";
    if (failed > 0) {
        const Manifest m = read_manifest(o.dir);
        for (const auto& r : m.runs) {
            const RunState st = run_state(o.dir, r);
            if (st.status == RunStatus::failed)
                std::cerr << "run " << r.id << " failed: " << st.error << "\n";
        }
    }
    if (stopped) {
        std::cerr << "error: interrupted; the runs in flight were abandoned (resume with --resume)\n";
        return 1;
    }
    return failed > 0 ? 3 : 0;
}

int run_batch(const BatchOptions& o, std::ostream& out) {
#ifdef BRIDGES_WITH_MPI
    if (!o.dry_run && launched_by_mpirun()) return run_batch_mpi(o, out);
#endif
    BatchPlan plan = prepare_batch(o, !o.dry_run);
    const InterruptGuard interrupts; // from here on an interrupt stops between months
    if (o.dry_run) {
        out << manifest_text(plan.experiment, plan.runs);
        return 0;
    }
    const double t0 = now_seconds();
    std::mutex m;
    std::size_t cursor = 0, failed = 0;
    BatchProgress progress(o.progress && !o.quiet, plan.todo.size());
    const auto stop = [&] { return interrupts.requested(); };
    run_pool(
        plan, o.dir,
        [&]() -> std::optional<std::size_t> {
            const std::lock_guard<std::mutex> lock(m);
            if (cursor == plan.todo.size()) return std::nullopt;
            return plan.todo[cursor++];
        },
        [&](std::size_t, const RunOutcome& r) {
            const std::lock_guard<std::mutex> lock(m);
            if (r.stopped) return;
            if (!r.ok) ++failed;
            progress.finished(r.ok);
        },
        stop);
    return finish_batch(plan, o, failed, interrupts.requested(), now_seconds() - t0, out);
}

int rebuild_index(const std::string& dir, std::ostream& out) {
    const IndexCounts c = write_index(dir);
    out << "wrote " << dir << "/index.h5: " << c.complete << " complete, " << c.failed << " failed, "
        << c.pending << " pending\n";
    return 0;
}

} // namespace bridges::study
