#pragma once
// Lever `diaspora_institution` (engage): a ministry or office for the diaspora slows the erosion
// of attachment and raises the level trust settles to (docs/model.md 7.1, 7.11). Cost: its fixed
// monthly cost only.

#include "core/model/param.hpp"
#include "core/policy/kind_traits.hpp"

#include <algorithm>

namespace bridges::core::levers {

struct DiasporaInstitution {
    static constexpr const char* name = "diaspora_institution";
    static constexpr DefaultReach reach_default = DefaultReach::own_diaspora;
    static constexpr std::uint8_t skills_default = kEverySkill;
    static constexpr bool applied_by_origin = true;

    double erosion_reduction = 0.3;
    double trust_gain = 0.05;

    template <class V> void fields(V& v) {
        v.number({"erosion_reduction", "share", 0, 1,
                  "assumption: a lever's default size; no evaluation of such programmes with this quantity "
                  "found, so a scenario sets it from the programme it represents",
                  "share of attachment erosion avoided"},
                 erosion_reduction);
        v.number({"trust_gain", "0-1", 0, 1,
                  "assumption: a lever's default size; no evaluation of such programmes with this quantity "
                  "found, so a scenario sets it from the programme it represents",
                  "rise of the trust target"},
                 trust_gain);
    }

    /// Less erosion of attachment, a higher trust target for the state's diaspora.
    template <class Effect> void apply(Effect& e) const {
        auto& o = e.origin();
        o.erosion_factor *= 1.0 - std::min(1.0, erosion_reduction * e.strength);
        o.trust_target += trust_gain * e.strength;
    }
};

} // namespace bridges::core::levers
