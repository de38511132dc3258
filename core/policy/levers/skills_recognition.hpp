#pragma once
// Lever `skills_recognition` (enable): a host recognises migrants' qualifications, raising the
// earnings of its mid- and high-skill migrants (docs/model.md 7.1, 7.2). It reaches the migrants
// living in the state that applies it. Cost: its fixed monthly cost only.

#include "core/model/param.hpp"
#include "core/policy/kind_traits.hpp"

namespace bridges::core::levers {

struct SkillsRecognition {
    static constexpr const char* name = "skills_recognition";
    static constexpr DefaultReach reach_default = DefaultReach::migrants_in_state;
    static constexpr std::uint8_t skills_default = kMidAndHighSkill;
    static constexpr bool applied_by_origin = false;

    double income_gain = 0.1;

    template <class V> void fields(V& v) {
        v.number({"income_gain", "share", 0, 1,
                  "Brucker, Glitz, Lerche & Romiti (2021, Journal of Labor Economics): full recognition of a "
                  "foreign qualification raised hourly wages 19.8% after three years; with about half the "
                  "targeted members recognised, 0.1",
                  "rise in earnings of mid- and high-skill members"},
                 income_gain);
    }

    template <class Effect> void apply(Effect& e) const {
        e.each_group(
            [&](auto& g) { g.earnings_factor *= static_cast<float>(1.0 + income_gain * e.strength); });
    }
};

} // namespace bridges::core::levers
