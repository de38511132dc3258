#pragma once
// Reads a scenario file (YAML, docs/scenarios.md and docs/experiments.md) into a validated core::Scenario.

#include "core/model/scenario.hpp"
#include "io/yaml_walk.hpp"

#include <string>
#include <vector>

namespace bridges::io {

struct LoadedScenario {
    core::Scenario scenario;
    std::string path;
    std::string text; // the file verbatim
    /// Valid input that is most likely not what was meant: a lever or shock whose months all lie
    /// outside the run's. Printed by validate, run and batch; errors under --strict.
    std::vector<Diagnostic> warnings;
};

/// Reads and validates `path` with `--set PATH=VALUE` overrides applied. Throws ScenarioError
/// listing every problem found, each with file:line:col (or the --set argument).
LoadedScenario load_scenario(const std::string& path, const std::vector<std::string>& overrides = {});

/// Same, from text already in memory (`name` is used in messages).
LoadedScenario parse_scenario(const std::string& text, const std::string& name,
                              const std::vector<std::string>& overrides = {});

/// Reads the scenario held in a YAML tree (after any overrides were placed in it), with the files
/// its `include:` names merged in (its own values win); errors are reported against `sources`.
/// `text` is kept as the scenario's verbatim text.
LoadedScenario read_scenario_tree(const YAML::Node& root, const Sources& sources, const std::string& text);

/// Puts `value` at the dotted `path` of `root` (list items by index, missing sections created),
/// or with `append` adds it to the end of the list at `path`. On success sets `placed` to the
/// dotted path of the value and returns ""; otherwise returns the reason.
std::string place_override(YAML::Node& root, const std::string& path, const YAML::Node& value, bool append,
                           std::string& placed);

/// Parses YAML text; malformed text is a ScenarioError at its line and column.
YAML::Node load_yaml(const std::string& text, const std::string& name);

/// A user's input file, whole; a missing or oversized file is a ScenarioError.
std::string read_input_file(const std::string& path, const char* what);

} // namespace bridges::io
