// Phase 1: the environment. Compiles the month's conditions from the growth path or the observed
// paths (world.history), the active shocks and the active levers; what each kind does lives in
// its own file (core/policy/levers/, core/policy/shocks/). Country-level only: no member or
// household is touched.

#include "core/behaviours/phases.hpp"
#include "core/model/drivers.hpp"
#include "core/policy/effects.hpp"

#include <algorithm>
#include <cmath>

namespace bridges::core::phases {

namespace {

/// A country's levels at time t relative to the start t0 (1 where it has no observed path): its
/// income per head in dollars (else its growth path), the dollar price of its goods, and the odds
/// of its workers being without a job.
struct Levels {
    double income = 1, price = 1, unemployment_odds = 1;
};

Levels levels_at(const CountrySpec& c, double t, double t0, double years) {
    const CountryDrivers& d = c.drivers;
    Levels l;
    const auto ratio = [&](const std::vector<double>& v, bool geometric) {
        return annual_at(v, d.from, t, geometric, 1.0) / annual_at(v, d.from, t0, geometric, 1.0);
    };
    l.income =
        d.gdp_per_capita_usd.empty() ? std::pow(1.0 + c.growth, years) : ratio(d.gdp_per_capita_usd, true);
    if (!d.price_index.empty() && !d.fx_lcu_per_usd.empty())
        l.price = ratio(d.price_index, true) / ratio(d.fx_lcu_per_usd, true);
    if (!d.unemployment_rate.empty()) {
        const auto odds = [&](double when) {
            const double u = std::clamp(annual_at(d.unemployment_rate, d.from, when, false, 0.05), 1e-3, 0.9);
            return u / (1.0 - u);
        };
        l.unemployment_odds = odds(t) / odds(t0);
    }
    return l;
}

/// The chances, this month, that a present member of corridor k leaves and that an empty place
/// fills, so that the corridor's count is expected to equal its stock (where the stock changes).
void follow_stock(const StepContext& ctx, std::size_t k, double t, CorridorConditions& cc) {
    const CorridorSpec& spec = ctx.scenario.corridors[k];
    if (spec.drivers.stock.empty()) return;
    const double target = stock_at(spec, t) / ctx.world.scale;
    const auto present = static_cast<double>(ctx.state.present[k]);
    const double empty = static_cast<double>(ctx.world.corridors.members[k]) - present;
    if (present > target)
        cc.leave = (present - target) / present;
    else if (empty > 0)
        cc.arrive = std::min(1.0, (target - present) / empty);
}

void reset(StepContext& ctx) {
    const World& w = ctx.world;
    auto& c = ctx.cond;
    const std::size_t nk = w.corridors.size(), nc = w.countries.size();
    // The burn-in is at start prices.
    const double years = ctx.burn_in ? 0.0 : ctx.month / 12.0;
    const double t0 = month_time(ctx.scenario.start);
    const double t = ctx.burn_in ? t0 : month_time(ctx.scenario.start.plus(static_cast<int>(ctx.month)));
    // The host's odds of unemployment move its migrants' job losses and job finding: a share
    // separation_share of the change through losses, the rest through finding.
    const double a = ctx.behaviour.labour.separation_share;
    std::vector<float> separation(nc, 1.0F), finding(nc, 1.0F);
    for (std::size_t i = 0; i < nc; ++i) {
        const Levels l = levels_at(ctx.scenario.countries[i], t, t0, years);
        ctx.scratch.growth_index[i] = l.income;
        ctx.scratch.price_index[i] = l.price;
        separation[i] = static_cast<float>(std::pow(l.unemployment_odds, a));
        finding[i] = static_cast<float>(std::pow(l.unemployment_odds, a - 1.0));
    }
    c.group.assign(nk * kSkills, GroupConditions{});
    c.corridor.assign(nk, CorridorConditions{});
    c.origin.assign(nc, OriginConditions{});
    for (std::size_t k = 0; k < nk; ++k) {
        const auto o = w.corridors.origin[k], h = w.corridors.host[k];
        const CorridorSpec& spec = ctx.scenario.corridors[k];
        const CountryDrivers& od = ctx.scenario.countries[o].drivers;
        auto& cc = c.corridor[k];
        cc.cost_formal = spec.drivers.cost_formal.empty()
                             ? w.corridors.cost_formal[k]
                             : annual_at(spec.drivers.cost_formal, spec.drivers.cost_from, t, false, 0.0);
        cc.cost_informal = w.corridors.cost_informal[k];
        cc.informal_loss = w.corridors.informal_loss[k];
        cc.inclusion =
            annual_at(od.financial_inclusion, od.from, t, false, w.countries.financial_inclusion[o]);
        follow_stock(ctx, k, t, cc);
        for (int s = 0; s < kSkills; ++s) {
            auto& g = c.group[k * kSkills + s];
            g.earnings_factor = static_cast<float>(ctx.scratch.growth_index[h]);
            g.separation_factor = separation[h];
            g.finding_factor = finding[h];
        }
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
