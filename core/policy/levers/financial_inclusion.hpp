#pragma once
// Lever `financial_inclusion` (enable): an access drive raises the financial inclusion that the
// choice of the formal channel depends on, on the targeted corridors (docs/model.md 7.1, 7.4).
// Cost: its fixed monthly cost only.

#include "core/model/param.hpp"
#include "core/policy/kind_traits.hpp"

#include <algorithm>

namespace bridges::core::levers {

struct FinancialInclusion {
    static constexpr const char* name = "financial_inclusion";
    static constexpr DefaultReach reach_default = DefaultReach::own_diaspora;
    static constexpr std::uint8_t skills_default = kEverySkill;
    static constexpr bool applied_by_origin = false;

    double access_gain = 0.2;

    template <class V> void fields(V& v) {
        v.number({"access_gain", "share", 0, 1,
                  "assumption: a lever's default size; no evaluation of such programmes with this quantity "
                  "found, so a scenario sets it from the programme it represents",
                  "rise in financial inclusion of targeted corridors"},
                 access_gain);
    }

    template <class Effect> void apply(Effect& e) const {
        e.each_corridor([&](std::size_t, auto& cc) {
            cc.inclusion = std::min(1.0, cc.inclusion + access_gain * e.strength);
        });
    }
};

} // namespace bridges::core::levers
