#pragma once
// Lever `representation` (empower): external voting and consultation of the diaspora raise the
// level its trust settles to (docs/model.md 7.1, 7.11). Cost: its fixed monthly cost only.

#include "core/model/param.hpp"
#include "core/policy/kind_traits.hpp"

namespace bridges::core::levers {

struct Representation {
    static constexpr const char* name = "representation";
    static constexpr DefaultReach reach_default = DefaultReach::own_diaspora;
    static constexpr std::uint8_t skills_default = kEverySkill;
    static constexpr bool applied_by_origin = true;

    double trust_gain = 0.05;

    template <class V> void fields(V& v) {
        v.number({"trust_gain", "0-1", 0, 1,
                  "assumption: a lever's default size; no evaluation of such programmes with this quantity "
                  "found, so a scenario sets it from the programme it represents",
                  "rise of the trust target (external voting, consultation)"},
                 trust_gain);
    }

    template <class Effect> void apply(Effect& e) const {
        e.origin().trust_target += trust_gain * e.strength;
    }
};

} // namespace bridges::core::levers
