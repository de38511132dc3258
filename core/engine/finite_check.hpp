#pragma once
// The end-of-month guard against non-finite state: a NaN or an infinity in any column of the
// world, in the engine's country-level state or in the month's record stops the run with the
// entity, the column and the month named, before the month is written.

#include "core/engine/metrics.hpp"
#include "core/engine/step_context.hpp"

#include <optional>
#include <string>

namespace bridges::core {

/// Where a non-finite value was found: entity kind ("member", "household", "community",
/// "country", "policy", "output"), its index, the column and the value.
struct NonFinite {
    std::string entity;
    std::size_t index = 0;
    std::string column;
    double value = 0;
    [[nodiscard]] std::string describe(const World& w) const;
};

/// The first non-finite value in a fixed order (members, households, communities, engine state,
/// then the record; lowest index first), so that the report is the same for any thread count.
std::optional<NonFinite> find_non_finite(const World& w, const EngineState& s, const MonthScratch& scratch,
                                         const MonthRecord& r, Execution exec);

} // namespace bridges::core
