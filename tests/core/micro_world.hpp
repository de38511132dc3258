#pragma once
// Micro-worlds for tests: one origin, one host, a handful of members whose incomes and choices are
// fixed by the parameters so that the expected flows can be written down by hand.

#include "core/engine/engine.hpp"

namespace bridges::test {

/// ORI -> HST, `members` migrants at scale 1, one per household, one household without a migrant
/// each. Host earnings 24000/12 * 0.45 = 900 USD/month exactly; origin household income
/// 2400 * 0.5 * 5 / 12 = 500 USD/month exactly. Everyone is employed, low-skill, newly arrived
/// (amount multiplier 0.5), certain to send, formally, at 5% cost; nobody saves enough to invest,
/// joins an association, or changes job. No growth.
inline core::Scenario micro_world(int members = 10) {
    core::Scenario s;
    s.name = "micro";
    s.months = 12;
    s.seed = 7;
    s.scale = 1;
    core::CountrySpec ori;
    ori.code = "ORI";
    ori.gdp_per_capita_usd = 2400;
    ori.growth = 0;
    ori.household_size = 5;
    ori.governance = 0.5;
    core::CountrySpec hst;
    hst.code = "HST";
    hst.gdp_per_capita_usd = 24000;
    hst.growth = 0;
    s.countries = {ori, hst};
    core::CorridorSpec k;
    k.origin = "ORI";
    k.host = "HST";
    k.stock = members;
    k.cost_formal = 0.05;
    s.corridors = {k};
    auto& p = s.population;
    p.extra_migrants_per_household = 0;
    p.non_migrant_households = 1;
    p.households_per_community = 1000;
    p.skill_low = 1;
    p.skill_mid = 0;
    p.years_abroad_mean = 0;
    p.employment_rate = 1;
    p.org_member_share = 0;
    p.income_sigma = 0;
    p.household_income_share = 0.5;
    p.household_income_sigma = 0;
    p.member_savings_months = 2;
    p.burn_in_months = 0; // the hand-computed flows start from the initial state
    auto& b = s.behaviour;
    b.labour.separation = 0;
    b.remit.intercept = 50;        // certain to send
    b.remit.formal_intercept = 50; // certain to choose the formal channel
    b.collective.join_rate = 0;
    b.collective.leave_rate = 0;
    b.invest.threshold_usd = 1e9;
    s.network.mean_degree = 2;
    return s;
}

inline double country_value(const core::MonthRecord& r, const char* name, int country) {
    return r.get("countries", name)[static_cast<std::size_t>(country)];
}

} // namespace bridges::test
