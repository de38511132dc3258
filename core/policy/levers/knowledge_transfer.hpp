#pragma once
// Lever `knowledge_transfer` (empower): a programme (IOM's MIDA) places skilled members in origin
// institutions, up to a capacity of person-months a month (docs/model.md 7.1, 7.7). Cost: each
// person-month, booked in cents by the skills phase.

#include "core/model/param.hpp"
#include "core/policy/kind_traits.hpp"

#include <cmath>

namespace bridges::core::levers {

struct KnowledgeTransfer {
    static constexpr const char* name = "knowledge_transfer";
    static constexpr DefaultReach reach_default = DefaultReach::own_diaspora;
    static constexpr std::uint8_t skills_default = kMidAndHighSkill;
    static constexpr bool applied_by_origin = true;

    double capacity_pm = 100;
    double cost_per_pm_usd = 3000;

    template <class V> void fields(V& v) {
        v.number({"capacity_pm", "person-months/month", 0, 1e12, "scenario",
                  "places per month, in persons (divided by scale for agents)"},
                 capacity_pm);
        v.number({"cost_per_pm_usd", "USD", 0, 1e9, "IOM MIDA (approx.)", "cost of one person-month"},
                 cost_per_pm_usd);
    }

    /// Capacities add up (in agent places); person-months are paid by the last programme applied,
    /// at its price in whole cents.
    template <class Effect> void apply(Effect& e) const {
        auto& o = e.origin();
        o.knowledge_capacity += capacity_pm * e.strength / e.world.scale;
        o.knowledge_policy = e.index;
        o.knowledge_pm_cents = std::llround(cost_per_pm_usd * 100.0);
        e.each_group([](auto& g) { g.knowledge_eligible = 1; });
    }
};

} // namespace bridges::core::levers
