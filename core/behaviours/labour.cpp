// Phase 2: labour. Members lose and find jobs and earn this month's income; a few leave the host
// (return or onward migration) and a newly arrived migrant takes their place, so that the
// diaspora renews itself; where a corridor's stock changes (world.history), more leave or newcomers
// fill empty places so that its count follows the stock; origin households earn their income, and
// a disaster starting this month hits a share of them.
// Reads: conditions, earnings, household base incomes. Writes: employed, income, the attitudes,
// years abroad and savings of newcomers, hit_months, household income and savings.

#include "core/behaviours/phases.hpp"

#include <algorithm>
#include <cmath>

namespace bridges::core::phases {

namespace {

/// Household incomes, disaster hits and the losses they bring: what a household loses (assets
/// destroyed, income below its usual level) adds to the loss that top-ups, relief and
/// reconstruction may answer, each at most once; once its income is back and the origin is neither
/// in crisis nor in reconstruction, what is left unanswered is no longer answered.
void household_incomes(StepContext& ctx, std::size_t c, Tally& t) {
    World& w = ctx.world;
    auto& hh = w.households;
    const std::uint16_t o = w.communities.origin[c];
    const OriginConditions& oc = ctx.cond.origin[o];
    const double loss = ctx.state.disaster_loss[o];
    const double skills = human_capital_factor(ctx, c);
    const auto kept = static_cast<float>(1.0 - ctx.behaviour.invest.depreciation);
    std::int64_t lost = 0;
    for (auto h = w.communities.first_household[c]; h < w.communities.first_household[c + 1]; ++h) {
        hh.invested_usd[h] *= kept;
        double unanswered = hh.unanswered_usd[h];
        if (oc.disaster_onset && ctx.rng.pair(Purpose::disaster, h, ctx.month)[0] < oc.disaster_hit) {
            hh.hit_months[h] = static_cast<std::uint8_t>(std::min(oc.disaster_months, kMaxDisasterMonths));
            const double assets = hh.savings[h] * oc.disaster_asset_loss;
            hh.savings[h] -= static_cast<float>(assets);
            unanswered += assets;
            lost += to_cents(assets);
        }
        const double hit = hh.hit_months[h] > 0 ? 1.0 - loss : 1.0;
        const double development = development_income(ctx, c, h);
        hh.income[h] =
            static_cast<float>(hh.base_income[h] * oc.household_income_factor * hit * skills + development);
        const double usual =
            usual_income(hh.base_income[h], ctx.scratch.growth_index[o], skills, development);
        double shortfall = std::max(0.0, usual - income_at_home(ctx, o, hh.income[h]));
        if (shortfall < 0.005) shortfall = 0; // below half a cent: the rounding of a float income
        unanswered += shortfall;
        lost += to_cents(shortfall);
        if (shortfall == 0 && !oc.crisis && !oc.reconstruction) unanswered = 0;
        hh.unanswered_usd[h] = static_cast<float>(unanswered);
        if (hh.hit_months[h] > 0) --hh.hit_months[h];
    }
    t.loss_cents[o] += lost;
}

} // namespace

/// A newly arrived migrant in place of member m, who left; `u` is uniform in (0, 1).
void arrive(StepContext& ctx, std::uint32_t m, std::uint16_t origin, double u) {
    const PopulationSpec& pop = ctx.scenario.population;
    auto& mm = ctx.world.members;
    mm.months_abroad[m] = 0;
    mm.in_org[m] = 0;
    mm.channel[m] = kNoChannel; // chooses one on its first decision
    mm.savings[m] = static_cast<float>(mm.earnings[m] * pop.member_savings_months * 0.5);
    // A uniform spread with the standard deviation of the initial attachment.
    const double attachment = pop.attachment_mean + pop.attachment_spread * 1.7320508 * (2.0 * u - 1.0);
    mm.attachment[m] = static_cast<float>(std::clamp(attachment, 0.0, 1.0));
    mm.trust[m] = static_cast<float>(ctx.world.countries.governance[origin]);
    mm.awareness[m] = static_cast<float>(pop.awareness_mean);
}

/// Member m leaves: the bonds it holds are redeemed at par by their issuer, its origin.
void depart(StepContext& ctx, std::uint32_t m, std::uint16_t origin, Tally& t) {
    auto& mm = ctx.world.members;
    if (mm.bond_usd[m] > 0) {
        const auto cents = static_cast<std::int64_t>(mm.bond_usd[m] * 100.0);
        t.bond_service_cents[origin] += cents;
        mm.bond_usd[m] = 0.0F;
    }
}

void labour(StepContext& ctx) {
    const LabourSpec& p = ctx.behaviour.labour;
    const double renewal = 1.0 - std::pow(1.0 - p.turnover, 1.0 / 12.0); // per month
    tally_communities(ctx, [&](std::size_t c, Tally& t) {
        household_incomes(ctx, c, t);
        World& w = ctx.world;
        auto& mm = w.members;
        const std::uint16_t origin = w.communities.origin[c];
        for_migrant_households(w, c, [&](std::uint32_t h, std::uint16_t k) {
            const CorridorConditions& cc = ctx.cond.corridor[k];
            const double leave = std::min(cc.leave, 1.0 - renewal);
            std::int64_t members = 0, employed = 0, earnings = 0;
            for (auto m = w.households.first_member[h]; m < w.households.first_member[h + 1]; ++m) {
                const GroupConditions& g = ctx.cond.of(k, mm.skill[m]);
                const Draws2 d = ctx.rng.pair(Purpose::labour, m, ctx.month);
                if (!mm.present[m]) { // an empty place: a newcomer arrives, looking for work
                    if (d[1] >= cc.arrive) continue;
                    arrive(ctx, m, origin, d[1] / cc.arrive);
                    mm.present[m] = 1;
                    mm.employed[m] = 0;
                } else if (d[1] < renewal) { // one leaves and a newcomer takes the place
                    depart(ctx, m, origin, t);
                    arrive(ctx, m, origin, d[1] / renewal);
                } else if (d[1] < renewal + leave) { // one leaves and the place stays empty
                    depart(ctx, m, origin, t);
                    leave_place(mm, m);
                    continue;
                }
                const double u = d[0];
                if (mm.employed[m]) {
                    if (u < p.separation * g.separation_factor + g.extra_job_loss) mm.employed[m] = 0;
                } else {
                    const double finding = p.job_finding * g.finding_factor *
                                           std::max(0.0, 1.0 - p.finding_slowdown * g.extra_job_loss);
                    if (u < finding) mm.employed[m] = 1;
                }
                const double earned = mm.earnings[m] * g.earnings_factor;
                mm.income[m] =
                    static_cast<float>(mm.employed[m] ? earned : earned * p.unemployed_income_share);
                ++members;
                employed += mm.employed[m];
                earnings += to_cents(mm.income[m]);
            }
            t.members[k] += members;
            t.employed[k] += employed;
            t.earnings_cents[k] += earnings;
        });
    });
    for (std::size_t k = 0; k < ctx.state.present.size(); ++k)
        ctx.state.present[k] = ctx.tally.members[k];
}

} // namespace bridges::core::phases
