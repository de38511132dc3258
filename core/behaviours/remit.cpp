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

Transfer decide_remittance(const RemitSpec& p, const RemitterView& v, const Draws& d) {
    Transfer t;
    const double z = p.intercept + p.attachment * (v.attachment - 0.5) + p.need * v.need +
                     (v.employed ? 0.0 : p.unemployed) + p.cost * v.cost_formal;
    const double usual = v.usual_income > 0 ? v.usual_income : v.income;
    const double earnings_term = usual > 0 ? usual * std::pow(v.income / usual, p.income_elasticity) : 0.0;
    const double regular = d[0] < logistic(z)
                               ? p.amount_share * earnings_term * years_multiplier(p, v.years) *
                                     std::max(0.0, 1.0 + p.fx_response * v.depreciation)
                               : 0.0;
    const double top_up = p.insurance_replacement * v.household_loss_share;
    double amount = std::min(regular + top_up, 0.5 * v.income + 0.25 * v.savings);
    if (amount <= 0) return t;
    const double informal_total = v.cost_informal + v.informal_loss;
    const double zf = p.formal_intercept + p.formal_cost * (v.cost_formal - informal_total) +
                      p.formal_access * (v.inclusion - 0.5) + p.formal_trust * (v.trust - 0.5) -
                      v.formal_shift;
    bool formal = d[1] < logistic(zf);
    if (!formal && d[2] < v.informal_disruption) {
        if (d[3] < p.disruption_switch)
            formal = true;
        else
            amount = 0;
    }
    if (amount <= 0) return t;
    t.channel = formal ? Channel::formal : Channel::informal;
    t.paid = to_cents(amount);
    if (formal) {
        t.fees = to_cents(amount * v.cost_formal);
    } else {
        t.fees = to_cents(amount * v.cost_informal);
        t.losses = to_cents(amount * v.informal_loss);
    }
    t.received = t.paid - t.fees - t.losses;
    return t;
}

namespace phases {

void remit(StepContext& ctx) {
    const RemitSpec& p = ctx.behaviour.remit;
    tally_communities(ctx, [&](std::size_t c, Tally& t) {
        World& w = ctx.world;
        auto& mm = w.members;
        auto& hh = w.households;
        const std::uint16_t o = w.communities.origin[c];
        const OriginConditions& oc = ctx.cond.origin[o];
        const double poverty_line = w.countries.poverty_line_usd_month[o] * ctx.state.growth_index[o];
        for (auto h = w.communities.first_household[c]; h < w.communities.first_household[c + 1]; ++h) {
            const std::uint16_t k = hh.corridor[h];
            hh.receipts_cents[h] = 0;
            if (k == kNoCorridor) continue;
            const CorridorConditions& cc = ctx.cond.corridor[k];
            const auto first = hh.first_member[h], last = hh.first_member[h + 1];
            const double usual = hh.base_income[h] * ctx.state.growth_index[o];
            RemitterView v;
            v.need = std::max(0.0, 1.0 - hh.income[h] / poverty_line);
            v.household_loss_share = std::max(0.0, usual - hh.income[h]) / (last - first);
            v.cost_formal = cc.cost_formal;
            v.cost_informal = cc.cost_informal;
            v.informal_loss = cc.informal_loss;
            v.informal_disruption = cc.informal_disruption;
            v.inclusion = cc.inclusion;
            v.formal_shift = cc.formal_shift;
            v.depreciation = oc.depreciation;
            const double host_growth = ctx.state.growth_index[w.corridors.host[k]];
            std::int64_t delivered[kChannels] = {0, 0};
            for (auto m = first; m < last; ++m) {
                v.attachment = mm.attachment[m];
                v.trust = mm.trust[m];
                v.employed = mm.employed[m] != 0;
                v.income = mm.income[m];
                v.usual_income = mm.earnings[m] * host_growth;
                v.savings = mm.savings[m];
                v.years = mm.months_abroad[m] / 12.0;
                const Transfer tr = decide_remittance(p, v, ctx.rng.draw(Purpose::remit, m, ctx.month));
                const int bin = std::min(kYearBins - 1, static_cast<int>(v.years));
                t.years_members[bin] += 1;
                if (tr.paid == 0) continue;
                const double usd = static_cast<double>(tr.paid) / 100.0;
                const double from_savings = std::max(0.0, usd - 0.3 * v.income);
                mm.savings[m] = static_cast<float>(std::max(0.0, v.savings - from_savings));
                t.ledger.debit(k, Flow::family, tr.channel, tr.paid, tr.fees, tr.losses);
                delivered[static_cast<int>(tr.channel)] += tr.received;
                t.senders[k] += 1;
                t.years_sent_cents[bin] += tr.paid;
                if (tr.channel == Channel::formal && cc.cap_subsidy > 0)
                    t.policy_units[cc.cap_policy] += to_cents(usd * cc.cap_subsidy);
            }
            t.ledger.credit(k, Flow::family, Channel::formal, delivered[0]);
            t.ledger.credit(k, Flow::family, Channel::informal, delivered[1]);
            hh.receipts_cents[h] = static_cast<std::int32_t>(
                std::min<std::int64_t>(delivered[0] + delivered[1], INT32_MAX));
        }
    });
}

} // namespace phases
} // namespace bridges::core
