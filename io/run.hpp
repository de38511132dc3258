#pragma once
// One simulation from a scenario file to an output file: what `bridges run` does.

#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

namespace bridges::io {

struct RunOptions {
    std::string scenario_path;
    std::string output_path; // default out/<name>.h5
    int threads = 0;         // 0: all cores
    std::optional<std::int64_t> seed;
    std::optional<std::int64_t> months;
    std::vector<std::string> overrides; // PATH=VALUE
    bool quiet = false;
    bool progress = true; // a bar on stderr when it is a terminal
};

struct RunResult {
    std::string output_path;
    double setup_seconds = 0, step_seconds = 0, write_seconds = 0, total_seconds = 0;
    std::int64_t members = 0, months = 0;
    double max_imbalance_usd = 0;
};

/// Runs a scenario. Throws ScenarioError (invalid input, nothing written) or IoError/Error
/// (failure while running or writing; no file is left under the final name).
RunResult run_scenario(const RunOptions& options, std::ostream& summary);

/// The --set list with --seed and --months turned into overrides too.
std::vector<std::string> all_overrides(const RunOptions& options);

} // namespace bridges::io
