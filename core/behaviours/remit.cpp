// Phase 4: individual remittances. Each member decides whether to send (logistic in attachment,
// household need, employment and cost), how much (a share of income shaped by years abroad, plus an
// insurance top-up when the household's income has fallen) and through which channel (logistic
// in the cost gap, access and trust; informal channels may be disrupted). The household gathers
// what its members' transfers deliver. Reads: members, household income, conditions. Writes:
// member savings, household receipts; posts both sides of every transfer to the ledger.

#include "core/behaviours/remit.hpp"

#include "core/behaviours/phases.hpp"

#include <algorithm>
#include <cmath>

namespace bridges::core {

double years_multiplier(const RemitSpec& p, double years) {
    const double x = years / p.years_peak;
    return p.years_floor + p.years_amplitude * x * std::exp(1.0 - x);
}

double income_response(const RemitSpec& p, double ratio) {
    return ratio > 0 ? std::pow(ratio, p.income_elasticity) : 0.0;
}

std::vector<double> amount_factors(const Scenario& s, const World& w) {
    const RemitSpec& p = s.behaviour.remit;
    std::vector<double> f(w.corridors.size(), 1.0);
    for (std::size_t k = 0; k < f.size(); ++k) {
        f[k] = s.corridors[k].propensity;
        if (p.host_income_elasticity != 1.0) {
            const double gdp = w.countries.gdp_per_capita_usd[w.corridors.host[k]];
            f[k] *= std::pow(std::max(gdp, 1.0) / p.reference_income_usd, p.host_income_elasticity - 1.0);
        }
    }
    return f;
}

namespace phases {

namespace {

/// income_response for every corridor, skill and employment state (index (k*3+skill)*2+employed):
/// members of one group differ in earnings but not in the ratio of current to usual earnings.
std::vector<double> response_table(const StepContext& ctx) {
    const auto& w = ctx.world;
    std::vector<double> table(w.corridors.size() * kSkills * 2);
    const auto unemployed = static_cast<float>(ctx.behaviour.labour.unemployed_income_share);
    for (std::size_t k = 0; k < w.corridors.size(); ++k) {
        const double growth = ctx.scratch.growth_index[w.corridors.host[k]];
        for (int s = 0; s < kSkills; ++s) {
            const double ratio = ctx.cond.group[k * kSkills + s].earnings_factor / growth;
            table[(k * kSkills + s) * 2 + 1] = income_response(ctx.behaviour.remit, ratio);
            table[(k * kSkills + s) * 2 + 0] = income_response(ctx.behaviour.remit, ratio * unemployed);
        }
    }
    return table;
}

} // namespace

void remit(StepContext& ctx) {
    const RemitSpec& p = ctx.behaviour.remit;
    const std::vector<double> response = response_table(ctx);
    const std::vector<double>& by_month = ctx.constants.years_factor; // the inverted U by months abroad
    tally_communities(ctx, [&](std::size_t c, Tally& t) {
        World& w = ctx.world;
        auto& mm = w.members;
        auto& hh = w.households;
        std::int64_t year_members[kYearBins] = {}, year_sent[kYearBins] = {};
        const std::uint16_t o = w.communities.origin[c];
        const OriginConditions& oc = ctx.cond.origin[o];
        const double poverty_line = poverty_line_usd(ctx, o);
        // Senders think partly in what a transfer buys at home: the dollars they send follow the
        // dollar price of the origin's goods (exchange rates, prices, currency shocks).
        const double price_response =
            std::pow(ctx.scratch.price_index[o] * oc.price_shock, p.price_elasticity);
        for (auto h = w.communities.first_household[c]; h < w.communities.first_household[c + 1]; ++h) {
            const std::uint16_t k = hh.corridor[h];
            hh.receipts_cents[h] = 0;
            if (k == kNoCorridor) continue;
            const CorridorConditions& cc = ctx.cond.corridor[k];
            const auto first = hh.first_member[h], last = hh.first_member[h + 1];
            std::uint32_t here = 0; // its migrants abroad this month
            for (auto m = first; m < last; ++m)
                here += mm.present[m];
            if (here == 0) continue;
            const double usual = usual_income(ctx, c, h);
            RemitterView v;
            v.need = std::max(0.0, 1.0 - hh.income[h] / poverty_line);
            // This month's fall of income, as far as it is not answered already (labour phase).
            const double fall = std::max(0.0, usual - income_at_home(ctx, o, hh.income[h]));
            const double to_answer = std::min<double>(fall, hh.unanswered_usd[h]);
            v.household_loss_share = to_answer / here;
            v.household_loss_fraction = usual > 0 ? fall / usual : 0.0;
            v.cost_formal = cc.cost_formal;
            v.cost_informal = cc.cost_informal;
            v.informal_loss = cc.informal_loss;
            v.informal_disruption = cc.informal_disruption;
            v.inclusion = cc.inclusion;
            v.formal_shift = cc.formal_shift;
            v.price_response = price_response;
            v.amount_factor = ctx.constants.amount_factor[k];
            v.means = ctx.scenario.corridors[k].propensity;
            const double host_growth = ctx.scratch.growth_index[w.corridors.host[k]];
            std::int64_t delivered[kChannels] = {0, 0};
            LedgerEntry booked[kChannels];
            std::int64_t senders = 0, subsidy = 0, answered = 0;
            for (auto m = first; m < last; ++m) {
                if (!mm.present[m]) continue;
                v.attachment = mm.attachment[m];
                v.trust = mm.trust[m];
                v.employed = mm.employed[m] != 0;
                v.income = mm.income[m];
                v.usual_income = mm.earnings[m] * host_growth;
                v.income_response = response[(k * kSkills + mm.skill[m]) * 2 + mm.employed[m]];
                v.savings = mm.savings[m];
                v.channel = mm.channel[m];
                const unsigned months = mm.months_abroad[m];
                v.years = months * (1.0 / 12.0);
                v.years_factor = months < by_month.size() ? by_month[months] : -1.0;
                const Draws2 main = ctx.rng.pair(Purpose::remit, m, ctx.month);
                Draws d{{main[0], main[1], 1.0, 1.0}};
                if (cc.informal_disruption > 0) { // the second pair only where channels are disrupted
                    // The member's informal route (courier, agent, travelling relative) is closed
                    // or open for the whole disruption: one draw per member, not one per month,
                    // so a disruption of 0.7 blocks the same 70% month after month. Whether a
                    // blocked sender switches is drawn every month.
                    d.u[2] = ctx.rng.pair(Purpose::informal_route, m, 0)[0];
                    d.u[3] = ctx.rng.pair(Purpose::remit_disruption, m, ctx.month)[1];
                }
                const Transfer tr = decide_remittance(p, v, d);
                mm.channel[m] = tr.channel == Channel::formal ? 0 : 1;
                const int bin = std::min<int>(kYearBins - 1, static_cast<int>(months / 12));
                year_members[bin] += 1;
                if (tr.paid == 0) continue;
                const double usd = static_cast<double>(tr.paid) / 100.0;
                const double from_savings = std::max(0.0, usd - p.paid_from_income * v.income * v.means);
                mm.savings[m] = static_cast<float>(std::max(0.0, v.savings - from_savings));
                LedgerEntry& e = booked[static_cast<int>(tr.channel)];
                e.paid += tr.paid;
                e.fees += tr.fees;
                e.losses += tr.losses;
                delivered[static_cast<int>(tr.channel)] += tr.received;
                answered += tr.top_up_received();
                ++senders;
                year_sent[bin] += tr.paid;
                if (tr.channel == Channel::formal && cc.cap_subsidy > 0)
                    subsidy += to_cents(usd * cc.cap_subsidy);
            }
            for (const Channel ch : {Channel::formal, Channel::informal}) {
                const LedgerEntry& e = booked[static_cast<int>(ch)];
                t.ledger.debit(k, Flow::family, ch, e.paid, e.fees, e.losses);
            }
            t.senders[k] += senders;
            if (answered > 0) {
                hh.unanswered_usd[h] =
                    static_cast<float>(std::max(0.0, hh.unanswered_usd[h] - answered / 100.0));
                t.answered_top_up_cents[o] += answered;
            }
            if (subsidy > 0 && cc.cap_policy >= 0) t.policy_cost_cents[cc.cap_policy] += subsidy;
            t.ledger.credit(k, Flow::family, Channel::formal, delivered[0]);
            t.ledger.credit(k, Flow::family, Channel::informal, delivered[1]);
            // 32 bits keep the household columns small (measured: 64 bits cost 10% of a month);
            // beyond 21 million USD a month the excess shows as a ledger imbalance, never silently.
            hh.receipts_cents[h] =
                static_cast<std::int32_t>(std::min<std::int64_t>(delivered[0] + delivered[1], INT32_MAX));
        }
        for (int b = 0; b < kYearBins; ++b) {
            t.years_members[b] += year_members[b];
            t.years_sent_cents[b] += year_sent[b];
        }
    });
}

} // namespace phases
} // namespace bridges::core
