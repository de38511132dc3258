#pragma once
// One simulation from a scenario file to an output file: what `bridges run` does.

#include "core/world/world.hpp"
#include "io/checkpoint.hpp"
#include "io/scenario_reader.hpp"

#include <cstdint>
#include <functional>
#include <iosfwd>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace bridges::core {
struct MonthRecord;
struct World;
} // namespace bridges::core

namespace bridges::study {

struct RunOptions {
    std::string scenario_path;
    std::string output_path; // default out/<name>.h5
    int threads = 0;         // 0: all cores
    std::optional<std::int64_t> seed;
    std::optional<std::int64_t> months;
    std::vector<std::string> overrides; // PATH=VALUE
    bool quiet = false;
    bool progress = true;       // a bar on stderr when it is a terminal
    std::string report_path;    // "": none; else the run's timings and sizes as JSON (docs/cli: --report)
    std::string checkpoint_dir; // "": no checkpoints
    std::int64_t checkpoint_every = 0; // months between checkpoints
    bool strict = false;               // the scenario's warnings are errors (exit 2)
};

struct RunResult {
    std::string output_path;
    double setup_seconds = 0, step_seconds = 0, write_seconds = 0, total_seconds = 0;
    double checkpoint_seconds = 0;
    int checkpoints = 0;      // written
    int resumed_at_month = 0; // months restored from a checkpoint
    std::int64_t members = 0, households = 0, months = 0;
    std::size_t world_bytes = 0;
    core::Traffic traffic; // the least memory traffic of a member-month
    double max_imbalance_usd = 0;
};

/// What one simulation needs beyond its scenario: where to write, what to record, when to stop.
struct RunRequest {
    std::string output_path;
    std::string partial_path;  // written while the run proceeds; "" for output_path + ".partial"
    std::string scenario_path; // recorded in the file
    std::string overrides;     // recorded in the file
    std::map<std::string, std::string> text_attributes;     // further root attributes
    std::map<std::string, std::int64_t> integer_attributes; // further root attributes
    int threads = 1;                                        // recorded in the file
    std::function<bool()> stop;                             // asked before each month: true abandons the run
    std::function<void(const core::World&)> on_start;       // once the world is built
    std::function<void(const core::MonthRecord&)> on_month;
    // Checkpoints (io/checkpoint.hpp): every `checkpoint_every` months into `checkpoint_dir`,
    // removed once the output is finished; with `resume`, the run starts from the checkpoint.
    std::string checkpoint_dir;
    std::int64_t checkpoint_every = 0;
    io::CheckpointRun checkpoint_run;
    bool resume = false;
};

/// Simulates `loaded` on the calling thread's task arena and writes the output file. Throws
/// Error (stopped, or a failure; the partial file is removed) or IoError.
RunResult execute_run(const io::LoadedScenario& loaded, const RunRequest& request);

/// Bytes of memory available now: MemAvailable, or less if a cgroup limit leaves less; 0 if unknown.
std::size_t available_memory();

/// Prints each warning of an input to `err`; with `strict`, throws them instead as one
/// ScenarioError (exit 2), so that nothing runs.
void report_warnings(const std::vector<Diagnostic>& warnings, bool strict, std::ostream& err);

/// Runs a scenario. Throws ScenarioError (invalid input, nothing written) or IoError/Error
/// (failure while running or writing; no file is left under the final name).
RunResult run_scenario(const RunOptions& options, std::ostream& summary);

/// Continues the run whose checkpoint is in `dir` (bridges resume): the scenario, overrides and
/// output path come from the checkpoint; `threads`, `quiet` and `progress` from the caller.
/// Throws ScenarioError when there is no usable checkpoint, as run_scenario otherwise.
RunResult resume_run(const std::string& dir, int threads, bool quiet, bool progress, std::ostream& summary);

/// The --set list with --seed and --months turned into overrides too.
std::vector<std::string> all_overrides(const RunOptions& options);

} // namespace bridges::study
