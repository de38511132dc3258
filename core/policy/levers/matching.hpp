#pragma once
// Lever `matching` (enable): the origin state matches the contributions of hometown associations
// to approved projects, ratio to one, up to an annual cap (Mexico's 3x1; docs/model.md 7.1, 7.5).
// Cost: the match, booked in cents by the collective phase.

#include "core/model/param.hpp"
#include "core/policy/kind_traits.hpp"

#include <algorithm>

namespace bridges::core::levers {

struct Matching {
    static constexpr const char* name = "matching";
    static constexpr DefaultReach reach_default = DefaultReach::own_diaspora;
    static constexpr std::uint8_t skills_default = kEverySkill;
    static constexpr bool applied_by_origin = true;

    double ratio = 3;
    double annual_cap_usd = 1e9;

    template <class V> void fields(V& v) {
        v.number({"ratio", "USD/USD", 0, 100, "Mexico 3x1: 3", "state dollars per member dollar"}, ratio);
        v.number(
            {"annual_cap_usd", "USD/year", 0, 1e13, "scenario", "most the state matches in a calendar year"},
            annual_cap_usd);
    }

    /// The largest ratio applies; the cap and the accounting follow the last matching lever.
    template <class Effect> void apply(Effect& e) const {
        auto& o = e.origin();
        o.matching_ratio = std::max(o.matching_ratio, ratio);
        o.matching_policy = e.index;
        o.matching_cap_usd = annual_cap_usd;
    }
};

} // namespace bridges::core::levers
