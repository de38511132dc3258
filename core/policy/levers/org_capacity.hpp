#pragma once
// Lever `org_capacity` (empower): support to hometown associations raises members' chances to
// join and to contribute (docs/model.md 7.1, 7.5). Cost: its fixed monthly cost only.

#include "core/model/param.hpp"
#include "core/policy/kind_traits.hpp"

namespace bridges::core::levers {

struct OrgCapacity {
    static constexpr const char* name = "org_capacity";
    static constexpr DefaultReach reach_default = DefaultReach::own_diaspora;
    static constexpr std::uint8_t skills_default = kEverySkill;
    static constexpr bool applied_by_origin = true;

    double contribution_gain = 0.3;
    double join_gain = 0.5;

    template <class V> void fields(V& v) {
        v.number({"contribution_gain", "share", 0, 10,
                  "assumption: a lever's default size; no evaluation of such programmes with this quantity "
                  "found, so a scenario sets it from the programme it represents",
                  "relative rise in the chance to contribute"},
                 contribution_gain);
        v.number({"join_gain", "share", 0, 10,
                  "assumption: a lever's default size; no evaluation of such programmes with this quantity "
                  "found, so a scenario sets it from the programme it represents",
                  "relative rise in the chance to join"},
                 join_gain);
    }

    template <class Effect> void apply(Effect& e) const {
        auto& o = e.origin();
        o.contribution_gain += contribution_gain * e.strength;
        o.join_gain += join_gain * e.strength;
    }
};

} // namespace bridges::core::levers
