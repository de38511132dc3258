#pragma once
// What a lever or shock sees when it changes the month's conditions: the conditions, the world,
// its resolved targets, and the iterations over what it reaches. Each kind's `apply` (in its own
// file under levers/ or shocks/) is written against these.

#include "core/model/scenario.hpp"
#include "core/policy/conditions.hpp"
#include "core/policy/resolved.hpp"
#include "core/world/world.hpp"

#include <cstdint>

namespace bridges::core {

/// One active lever in the environment phase.
struct LeverEffect {
    MonthConditions& cond;
    const World& world;
    const ResolvedPolicy& policy;
    std::int32_t index; // the lever's place in policies[]: what it pays is booked against it
    double strength;    // 1 + the partnerships of the state (docs/model.md 7.1)

    /// The conditions of the state that applies the lever.
    [[nodiscard]] OriginConditions& origin() const { return cond.origin[policy.by]; }
    /// fn(GroupConditions&) for every targeted corridor and skill group.
    template <class Fn> void each_group(Fn&& fn) const {
        for (std::size_t k = 0; k < world.corridors.size(); ++k) {
            if (!policy.corridor_mask[k]) continue;
            for (int s = 0; s < kSkills; ++s)
                if (policy.skill_mask & (1u << s)) fn(cond.group[k * kSkills + s]);
        }
    }
    /// fn(corridor, CorridorConditions&) for every targeted corridor.
    template <class Fn> void each_corridor(Fn&& fn) const {
        for (std::size_t k = 0; k < world.corridors.size(); ++k)
            if (policy.corridor_mask[k]) fn(k, cond.corridor[k]);
    }
};

/// One shock in the environment phase.
struct ShockEffect {
    MonthConditions& cond;
    const World& world;
    const ResolvedShock& shock;
    const BehaviourSpec& behaviour;
    std::int32_t month; // months since the start

    [[nodiscard]] bool hits(std::size_t country) const { return shock.country_mask[country] != 0; }
    /// fn(country, OriginConditions&) for every country the shock hits.
    template <class Fn> void each_country_hit(Fn&& fn) const {
        for (std::size_t o = 0; o < world.countries.size(); ++o)
            if (hits(o)) fn(o, cond.origin[o]);
    }
    /// fn(corridor, CorridorConditions&) for every corridor of the world.
    template <class Fn> void every_corridor(Fn&& fn) const {
        for (std::size_t k = 0; k < world.corridors.size(); ++k)
            fn(k, cond.corridor[k]);
    }
    /// fn(skill, GroupConditions&) for the three skill groups of corridor k.
    template <class Fn> void each_skill_group(std::size_t k, Fn&& fn) const {
        for (int s = 0; s < kSkills; ++s)
            fn(s, cond.group[k * kSkills + s]);
    }
};

/// The lever's kind changes the month's conditions (call while it is active).
void apply_lever(const LeverEffect& e);
/// The shock's kind changes the month's conditions: while it is active, and after it for the
/// kinds that have an aftermath.
void apply_shock(const ShockEffect& e);

} // namespace bridges::core
