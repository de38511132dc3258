// Phase 1: the environment. Compiles the month's conditions from the growth path, the active
// shocks and the active levers; what each kind does lives in its own file (core/policy/levers/,
// core/policy/shocks/). Country-level only: no member or household is touched.

#include "core/behaviours/phases.hpp"
#include "core/policy/effects.hpp"

#include <algorithm>
#include <cmath>

namespace bridges::core::phases {

namespace {

void reset(StepContext& ctx) {
    const World& w = ctx.world;
    auto& c = ctx.cond;
    const std::size_t nk = w.corridors.size(), nc = w.countries.size();
    const double years = ctx.burn_in ? 0.0 : ctx.month / 12.0; // the burn-in is at start prices
    for (std::size_t i = 0; i < nc; ++i)
        ctx.scratch.growth_index[i] = std::pow(1.0 + w.countries.growth[i], years);
    c.group.assign(nk * kSkills, GroupConditions{});
    c.corridor.assign(nk, CorridorConditions{});
    c.origin.assign(nc, OriginConditions{});
    for (std::size_t k = 0; k < nk; ++k) {
        const auto o = w.corridors.origin[k], h = w.corridors.host[k];
        auto& cc = c.corridor[k];
        cc.cost_formal = w.corridors.cost_formal[k];
        cc.cost_informal = w.corridors.cost_informal[k];
        cc.informal_loss = w.corridors.informal_loss[k];
        cc.inclusion = w.countries.financial_inclusion[o];
        for (int s = 0; s < kSkills; ++s)
            c.group[k * kSkills + s].earnings_factor = static_cast<float>(ctx.scratch.growth_index[h]);
    }
    for (std::size_t i = 0; i < nc; ++i) {
        c.origin[i].household_income_factor = ctx.scratch.growth_index[i];
        c.origin[i].trust_target = w.countries.governance[i];
    }
}

/// Each state's strength of levers: 1 + the strengthening of its active partnerships.
std::vector<double> strengths(const StepContext& ctx) {
    std::vector<double> mult(ctx.world.countries.size(), 1.0);
    for (const auto& p : ctx.policies)
        if (p.active(ctx.month)) mult[p.by] += strengthening(p.spec->params);
    return mult;
}

} // namespace

void environment(StepContext& ctx) {
    reset(ctx);
    const auto month = static_cast<std::int32_t>(ctx.month);
    for (const auto& r : ctx.shocks)
        apply_shock(ShockEffect{ctx.cond, ctx.world, r, ctx.behaviour, month});
    const auto mult = strengths(ctx);
    for (std::size_t i = 0; i < ctx.policies.size(); ++i) {
        const auto& r = ctx.policies[i];
        if (r.active(ctx.month))
            apply_lever(LeverEffect{ctx.cond, ctx.world, r, static_cast<std::int32_t>(i), mult[r.by]});
    }
    auto& origins = ctx.cond.origin;
    for (std::size_t o = 0; o < origins.size(); ++o) {
        auto& oc = origins[o];
        if (oc.disaster_onset) {
            ctx.state.disaster_loss[o] = oc.disaster_income_loss;
        }
        oc.trust_target = std::clamp(oc.trust_target, 0.0, 1.0);
    }
    // Matching caps are per calendar year.
    const YearMonth date = ctx.scenario.start.plus(static_cast<int>(ctx.month));
    if (date.month == 1) std::fill(ctx.state.matching_spent.begin(), ctx.state.matching_spent.end(), 0.0);
}

} // namespace bridges::core::phases
