#pragma once
// The reference of every output variable (Markdown), generated from the catalogue
// (core/engine/outputs.def): the "Variables" section of docs/output.md, printed by
// `bridges params --outputs`.

#include <string>

namespace bridges::io {

std::string output_reference();

} // namespace bridges::io
