#pragma once
// Writes a scenario back as YAML with every value resolved (defaults and overrides applied), and
// the reference of every parameter as Markdown.

#include "core/model/scenario.hpp"

#include <string>

namespace bridges::io {

/// The resolved scenario as YAML text.
std::string emit_resolved(const core::Scenario& scenario);

/// Markdown tables of every scenario key: default, unit, range, source, meaning.
std::string parameter_reference();

} // namespace bridges::io
