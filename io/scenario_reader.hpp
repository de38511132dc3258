#pragma once
// Reads a scenario file (YAML, INTERFACES.md section 2) into a validated core::Scenario.

#include "core/model/scenario.hpp"

#include <string>
#include <vector>

namespace bridges::io {

struct LoadedScenario {
    core::Scenario scenario;
    std::string path;
    std::string text; // the file verbatim
};

/// Reads and validates `path` with `--set PATH=VALUE` overrides applied. Throws ScenarioError
/// listing every problem found, each with file:line:col (or the --set argument).
LoadedScenario load_scenario(const std::string& path, const std::vector<std::string>& overrides = {});

/// Same, from text already in memory (`name` is used in messages).
LoadedScenario parse_scenario(const std::string& text, const std::string& name,
                              const std::vector<std::string>& overrides = {});

} // namespace bridges::io
