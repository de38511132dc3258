#pragma once
// A batch directory (docs/output.md): its manifest, the state of each run, the series
// a run file holds, and DIR/index.h5 (external links to every run and a summary table).

#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

namespace bridges::io {

struct ManifestRun {
    std::size_t index = 0;
    std::string id, arm;
    std::int64_t point = 0;
    std::string point_label; // "" without a sweep
    std::int64_t replicate = 0;
    std::uint32_t seed = 0;
    std::string line; // verbatim
};

struct Manifest {
    std::string experiment, baseline;
    std::vector<ManifestRun> runs;
};

/// Reads DIR/manifest. Throws DataError naming the file and line if it is missing or malformed.
Manifest read_manifest(const std::string& dir);

std::string run_path(const std::string& dir, const std::string& id);   // DIR/runs/<id>.h5
std::string error_path(const std::string& dir, const std::string& id); // DIR/runs/<id>.error

enum class RunStatus { pending, complete, failed };
const char* status_name(RunStatus s);

struct RunState {
    RunStatus status = RunStatus::pending;
    std::string error;         // for a failed run
    double wall_seconds = 0.0; // for a complete run
};

/// A run is complete when its file exists under the final name, says `status = complete` and
/// was made for a manifest line with this line's run_key; failed when its error file names such
/// a line.
RunState run_state(const std::string& dir, const ManifestRun& run);

/// What identifies a run in its manifest line, whatever its place in the manifest: every field
/// but the line's index and the sweep point's index (id, arm, point label, replicate, seed,
/// resolved scenario, overrides). A run file or error file written for a line with the same key
/// is that run's, so growing the design (replicates, sweep values) keeps it.
std::string run_key(const std::string& manifest_line);

/// A metric of a run file, month by month: NAME is a /global variable, NAME@ISO3 the /countries
/// variable of that country.
struct MetricSeries {
    std::vector<double> values;
    std::vector<double> days; // the time axis: days since `start`
    std::string units, long_name, start;
};
MetricSeries read_metric(const std::string& file, const std::string& metric);

/// The swept values of a sweep point's label ("path=value, path=value", as in the manifest), in
/// order: (path, value as written). Empty for "" (no sweep).
std::vector<std::pair<std::string, std::string>> sweep_values(const std::string& point_label);

/// A swept value as a number, if it is one (all of it, finite).
std::optional<double> sweep_number(const std::string& value);

/// The swept paths of a manifest's runs, in order of first appearance.
std::vector<std::string> swept_paths(const Manifest& m);

/// The /global variables with one value per month: the metrics of the index's summary table.
std::vector<std::string> summary_metrics();

/// Writes DIR/index.h5 from the manifest and the run files (atomically, through a temporary
/// file). Returns the number of complete, failed and pending runs.
struct IndexCounts {
    std::size_t complete = 0, failed = 0, pending = 0;
};
IndexCounts write_index(const std::string& dir);

} // namespace bridges::io
