#pragma once
// Describes one scalar of a scenario: its key, unit, allowed range and source. The same
// description drives the reader (validation), the resolved-scenario writer and the docs.

#include <limits>

namespace bridges::core {

inline constexpr double kInf = std::numeric_limits<double>::infinity();

struct Param {
    const char* key;
    const char* unit;
    double lo = -kInf; // inclusive
    double hi = kInf;  // inclusive
    const char* source = "assumption";
    const char* doc = "";
    bool required = false;
};

} // namespace bridges::core
