#pragma once
// Lever `investment_incentive` (enable): the origin state tops up what its diaspora invests at
// home and so raises the chance of investing (docs/model.md 7.1, 7.6). Cost: the top-up, booked in
// cents by the investment phase.

#include "core/model/param.hpp"
#include "core/policy/kind_traits.hpp"

namespace bridges::core::levers {

struct InvestmentIncentive {
    static constexpr const char* name = "investment_incentive";
    static constexpr DefaultReach reach_default = DefaultReach::own_diaspora;
    static constexpr std::uint8_t skills_default = kEverySkill;
    static constexpr bool applied_by_origin = true;

    double subsidy_rate = 0.1;
    double uptake_gain = 1.0;

    template <class V> void fields(V& v) {
        v.number({"subsidy_rate", "share", 0, 1, "scenario", "state top-up per dollar invested (its cost)"},
                 subsidy_rate);
        v.number({"uptake_gain", "logit", 0, 10,
                  "assumption: a lever's default size; no evaluation of such programmes with this quantity "
                  "found, so a scenario sets it from the programme it represents",
                  "rise in the log-odds of investing"},
                 uptake_gain);
    }

    /// Uptake gains add up; the subsidy rate and the accounting follow the last incentive.
    template <class Effect> void apply(Effect& e) const {
        auto& o = e.origin();
        o.invest_shift += uptake_gain * e.strength;
        o.invest_subsidy = subsidy_rate;
        o.invest_policy = e.index;
    }
};

} // namespace bridges::core::levers
