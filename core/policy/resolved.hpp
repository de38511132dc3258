#pragma once
// Levers and shocks with their targets resolved to indices of the world, once per run.

#include "core/model/scenario.hpp"
#include "core/world/world.hpp"

#include <cstdint>
#include <vector>

namespace bridges::core {

/// The months a lever or shock is active: months since the start, both inclusive.
struct MonthSpan {
    std::int32_t from = 0, to = 0;
    [[nodiscard]] bool active(std::uint32_t month) const {
        const auto m = static_cast<std::int32_t>(month);
        return m >= from && m <= to;
    }
};

/// A lever with its targets resolved.
struct ResolvedPolicy : MonthSpan {
    const PolicySpec* spec = nullptr;
    std::int32_t by = -1;
    std::vector<std::uint8_t> corridor_mask; // per corridor
    std::uint8_t skill_mask = kEverySkill;
};

/// A shock with the countries it hits resolved.
struct ResolvedShock : MonthSpan {
    const ShockSpec* spec = nullptr;
    std::vector<std::uint8_t> country_mask;
    std::int64_t months = 0;
};

/// Resolves targets (each kind's default where the entry names none) and dates; throws
/// std::invalid_argument on an unknown country.
std::vector<ResolvedPolicy> resolve_policies(const Scenario& s, const World& w);
std::vector<ResolvedShock> resolve_shocks(const Scenario& s, const World& w);

} // namespace bridges::core
