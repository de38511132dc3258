#pragma once
// Lever `partnership` (empower): partners (international organisations, the private sector,
// civil society) strengthen the state's other levers (docs/model.md 7.1). No effect of its own on
// the month's conditions. Cost: its fixed monthly cost only.

#include "core/model/param.hpp"
#include "core/policy/kind_traits.hpp"

namespace bridges::core::levers {

struct Partnership {
    static constexpr const char* name = "partnership";
    static constexpr DefaultReach reach_default = DefaultReach::own_diaspora;
    static constexpr std::uint8_t skills_default = kEverySkill;
    static constexpr bool applied_by_origin = false;

    double scale = 0.5;

    template <class V> void fields(V& v) {
        v.number({"scale", "share", 0, 10,
                  "assumption: a lever's default size; no evaluation of such programmes with this quantity "
                  "found, so a scenario sets it from the programme it represents",
                  "relative rise in the strength of the state's other levers"},
                 scale);
    }

    /// Added to the strength (1 + the sum over active partnerships) of every lever of the state.
    [[nodiscard]] double strengthening() const { return scale; }

    template <class Effect> void apply(Effect&) const {}
};

} // namespace bridges::core::levers
