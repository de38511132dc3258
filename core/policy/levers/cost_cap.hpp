#pragma once
// Lever `cost_cap` (enable): regulation caps the total cost of formal transfers on the targeted
// corridors (SDG 10.c: 3%); a subsidised cap has the state pay providers the difference
// (docs/model.md 7.1, 7.4). Cost: the subsidy, booked in cents by the remittance phase.

#include "core/model/param.hpp"
#include "core/policy/kind_traits.hpp"

namespace bridges::core::levers {

struct CostCap {
    static constexpr const char* name = "cost_cap";
    static constexpr DefaultReach reach_default = DefaultReach::own_diaspora;
    static constexpr std::uint8_t skills_default = kEverySkill;
    static constexpr bool applied_by_origin = false;

    double cap = 0.03;
    bool subsidised = false;

    template <class V> void fields(V& v) {
        v.number({"cap", "share", 0, 0.5, "SDG 10.c: 3%", "highest formal cost allowed"}, cap);
        v.flag({"subsidised", "bool", 0, 0, "scenario", "the state pays providers the cost above the cap"},
               subsidised);
    }

    template <class Effect> void apply(Effect& e) const {
        e.each_corridor([&](std::size_t, auto& cc) {
            if (cc.cost_formal <= cap) return;
            if (subsidised) {
                cc.cap_subsidy = cc.cost_formal - cap;
                cc.cap_policy = e.index;
            }
            cc.cost_formal = cap;
        });
    }
};

} // namespace bridges::core::levers
