#pragma once
// Experiment files (docs/scenarios.md and docs/experiments.md): a base scenario, named arms of overrides, a
// sweep over scalar paths and replications, expanded into a manifest of runs. Replicate r of every arm and
// sweep point uses the same seed (common random numbers), derived from the master seed.

#include "io/scenario_reader.hpp"

#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace bridges::study {

/// One change to the base scenario: a value put at a dotted path, or appended to a list.
struct Override {
    std::string path;
    bool append = false;
    YAML::Node value;
    YAML::Mark at;          // where the override is written
    std::string text;       // one line: path=value or path+=value
    std::string value_yaml; // the value as YAML, to make fresh nodes from
};

struct Arm {
    std::string name;
    std::vector<Override> overrides;
};

/// One axis of a sweep: the values of one path (grid), or rows of several paths (zip).
struct SweepAxis {
    std::vector<std::vector<Override>> values; // [value index] -> overrides
};

struct SweepPoint {
    std::string label; // "path=value, path=value"; "" when there is no sweep
    std::vector<Override> overrides;
};

struct Experiment {
    std::string path, text; // the experiment file and its text
    std::string name, description;
    std::string base_path, base_text; // the base scenario file (the experiment itself when inline)
    bool base_inline = false;
    YAML::Mark base_at;                // where 'base' names its file
    std::vector<Override> common;      // the experiment's 'set' section
    std::vector<std::string> cli_sets; // PATH=VALUE from the command line, applied after 'set'
    std::vector<Arm> arms;             // in file order
    std::vector<SweepAxis> sweep_axes;
    std::vector<SweepPoint> points; // at least one: the axes' product, the last axis fastest
    std::int64_t replications = 1;
    std::uint32_t master_seed = 1;
    std::string baseline;                 // the reference arm of comparisons
    std::vector<core::Scenario> resolved; // of each arm and point (arm-major), if few enough to keep
    std::vector<Diagnostic> warnings;     // of every arm and point, each naming its arm, each once
};

/// One line of the manifest.
struct RunSpec {
    std::size_t index = 0;
    std::string id; // <arm>-p<point id>-r<replicate, two digits at least>: by content, not position
    std::size_t arm = 0, point = 0;
    std::int64_t replicate = 0;
    std::uint32_t seed = 0;
    std::string resolved_sha256; // of the resolved scenario this run simulates
    std::string overrides;       // every override, "; "-separated
};

/// True if the YAML file at `path` is an experiment (it has a top-level 'base'), false for a
/// scenario. Throws ScenarioError if it cannot be read or parsed.
bool is_experiment_file(const std::string& path);

/// Reads and checks an experiment file and its base scenario (every arm and sweep point is
/// resolved and validated too). Throws ScenarioError with every problem at file:line:col.
Experiment load_experiment(const std::string& path, const std::vector<std::string>& cli_sets = {});

/// The seed of replicate `r`: Philox2x32-10 keyed by the master seed, counter (r, "EXPR"), first word.
std::uint32_t derive_seed(std::uint32_t master_seed, std::int64_t replicate);

/// The scenario run by `arm` at sweep `point` with `seed`. Throws ScenarioError.
io::LoadedScenario resolve_run(const Experiment& e, std::size_t arm, std::size_t point, std::uint32_t seed);

/// The id of each sweep point in run ids: "0" without a sweep, else the first 12 hex digits of
/// the SHA-256 of its label, so that a point keeps its id (and its runs) when values are added to
/// or removed from the sweep. Throws ScenarioError if two points are the same.
std::vector<std::string> sweep_point_ids(const Experiment& e);

/// Which run of an experiment `bridges resolve` prints.
struct ArmChoice {
    std::string arm;            // required
    std::int64_t point = 0;     // sweep point index
    std::int64_t replicate = 0; // sets the seed
};

/// The scenario of one arm at one sweep point and replicate of the experiment at `path`, as a
/// batch would run it. Throws ScenarioError (exit 2) for an unknown arm or a point out of range,
/// naming the arms or the points.
io::LoadedScenario resolve_arm(const std::string& path, const std::vector<std::string>& cli_sets,
                               const ArmChoice& choice);

/// Every run: arms (file order) x sweep points x replicates, in that nesting. `on_point`, if
/// given, sees the scenario of each arm and sweep point once.
std::vector<RunSpec> plan_runs(const Experiment& e,
                               const std::function<void(const core::Scenario&)>& on_point = nullptr);

/// The manifest line of a run (tab-separated: index, id, arm, point, point label, replicate,
/// seed, SHA-256 of the resolved scenario (resolved_sha256), overrides).
std::string manifest_line(const Experiment& e, const RunSpec& r);

/// The whole manifest: a commented header, a column header and one line per run.
std::string manifest_text(const Experiment& e, const std::vector<RunSpec>& runs);

} // namespace bridges::study
