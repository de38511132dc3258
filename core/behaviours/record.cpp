// Phase 12: record. Turns the month's tally and the community state into the values of every
// output variable (core/engine/metrics.cpp), weighting agent-level money by the scale.

#include "core/behaviours/phases.hpp"

namespace bridges::core::phases {

namespace {

struct Writer {
    MonthRecord& out;
    void set(Var v, std::vector<double> values) {
        out.values[static_cast<std::size_t>(v)] = std::move(values);
    }
};

double ratio(double a, double b) {
    return b > 0 ? a / b : 0.0;
}

/// What each lever costs this month, in USD (persons): what its kind owes whether or not it is
/// active (a bond's coupons), then, while active, its fixed monthly cost and what the phases spent
/// on it.
std::vector<double> policy_costs(const StepContext& ctx) {
    const double scale = ctx.world.scale;
    std::vector<double> cost(ctx.policies.size(), 0.0);
    for (std::size_t i = 0; i < ctx.policies.size(); ++i) {
        const auto& r = ctx.policies[i];
        const PolicySpec& p = *r.spec;
        double c = 0;
        c += obligation_usd(p.params, static_cast<std::int32_t>(ctx.month), r.from,
                            ctx.state.bond_sold[i] * scale);
        if (r.active(ctx.month)) {
            c += p.cost_usd_per_month;
            c += static_cast<double>(ctx.tally.policy_cost_cents[i]) / 100.0 * scale;
        }
        cost[i] = c;
    }
    return cost;
}

} // namespace

void record(StepContext& ctx, MonthRecord& out) {
    const World& w = ctx.world;
    const Tally& t = ctx.tally;
    const double usd = w.scale / 100.0; // agent cents -> persons-weighted USD
    const std::size_t nc = w.countries.size(), nk = w.corridors.size();
    out.month = static_cast<int>(ctx.month);
    out.date = ctx.scenario.start.plus(out.month);
    out.values.assign(output_variables().size(), {});
    Writer wr{out};

    auto paid = [&](std::size_t k, Flow f, Channel c) {
        return static_cast<double>(t.ledger.at(k, f, c).paid);
    };
    std::vector<double> formal(nc), informal(nc), fees(nc), losses(nc), received(nc), collective(nc),
        investment(nc), bond(nc), crisis(nc), sent(nc);
    std::vector<double> k_formal(nk), k_informal(nk), k_fees(nk), k_sent(nk);
    for (std::size_t k = 0; k < nk; ++k) {
        const auto o = w.corridors.origin[k];
        const auto& ff = t.ledger.at(k, Flow::family, Channel::formal);
        const auto& fi = t.ledger.at(k, Flow::family, Channel::informal);
        k_formal[k] = ff.paid * usd;
        k_informal[k] = fi.paid * usd;
        k_fees[k] = (ff.fees + fi.fees) * usd;
        double all = 0;
        for (int f = 0; f < kFlows; ++f)
            for (int c = 0; c < kChannels; ++c)
                all += paid(k, static_cast<Flow>(f), static_cast<Channel>(c));
        k_sent[k] = all * usd;
        formal[o] += k_formal[k];
        informal[o] += k_informal[k];
        fees[o] += k_fees[k];
        losses[o] += fi.losses * usd;
        received[o] += (ff.received + fi.received) * usd;
        collective[o] += paid(k, Flow::collective, Channel::formal) * usd;
        investment[o] += paid(k, Flow::investment, Channel::formal) * usd;
        bond[o] += paid(k, Flow::bond, Channel::formal) * usd;
        crisis[o] += paid(k, Flow::crisis, Channel::formal) * usd;
        sent[w.corridors.host[k]] += k_sent[k];
    }
    std::vector<double> matching(nc), demand(nc), pm(nc), program(nc), partner(nc);
    for (std::size_t o = 0; o < nc; ++o) {
        matching[o] = t.matching_cents[o] * usd;
        demand[o] = t.bond_demand_cents[o] * usd;
        pm[o] = t.knowledge_pm[o] * w.scale;
    }
    const auto costs = policy_costs(ctx);
    for (std::size_t i = 0; i < costs.size(); ++i) {
        const double share = ctx.policies[i].spec->partner_share;
        program[ctx.policies[i].by] += costs[i] * (1.0 - share);
        partner[ctx.policies[i].by] += costs[i] * share;
    }

    auto total = [](const std::vector<double>& v) {
        double s = 0;
        for (double x : v)
            s += x;
        return std::vector<double>{s};
    };
    // Each flow: its world total in /global and its values by country in /countries.
    const struct {
        Var world, by_country;
        const std::vector<double>* values;
    } flows[] = {{Var::global_remit_formal_usd, Var::countries_remit_formal_usd, &formal},
                 {Var::global_remit_informal_usd, Var::countries_remit_informal_usd, &informal},
                 {Var::global_remit_fees_usd, Var::countries_remit_fees_usd, &fees},
                 {Var::global_remit_losses_usd, Var::countries_remit_losses_usd, &losses},
                 {Var::global_remit_received_usd, Var::countries_remit_received_usd, &received},
                 {Var::global_collective_usd, Var::countries_collective_usd, &collective},
                 {Var::global_matching_usd, Var::countries_matching_usd, &matching},
                 {Var::global_investment_usd, Var::countries_investment_usd, &investment},
                 {Var::global_bond_usd, Var::countries_bond_usd, &bond},
                 {Var::global_bond_demand_usd, Var::countries_bond_demand_usd, &demand},
                 {Var::global_crisis_aid_usd, Var::countries_crisis_aid_usd, &crisis},
                 {Var::global_knowledge_transfer_pm, Var::countries_knowledge_transfer_pm, &pm},
                 {Var::global_program_cost_usd, Var::countries_program_cost_usd, &program},
                 {Var::global_partner_cost_usd, Var::countries_partner_cost_usd, &partner}};
    for (const auto& f : flows) {
        wr.set(f.world, total(*f.values));
        wr.set(f.by_country, *f.values);
    }
    wr.set(Var::global_ledger_imbalance_usd, {static_cast<double>(ctx.scratch.imbalance_cents) * usd});
    double members = 0;
    for (std::size_t k = 0; k < nk; ++k)
        members += static_cast<double>(t.members[k]);
    wr.set(Var::global_members, {members * w.scale});
    std::vector<double> ym(kYearBins), ys(kYearBins);
    for (int b = 0; b < kYearBins; ++b) {
        ym[b] = t.years_members[b] * w.scale;
        ys[b] = t.years_sent_cents[b] * usd;
    }
    wr.set(Var::global_migrants_by_years_abroad, ym);
    wr.set(Var::global_remit_by_years_abroad_usd, ys);

    std::vector<double> poverty(nc), gap(nc), poverty_m(nc), poverty_n(nc), cons(nc), vol(nc), cons_m(nc),
        cons_n(nc), inc_m(nc), inc_n(nc), hh_m(nc), consumed(nc), saved(nc), dev(nc), hc(nc), trust(nc),
        att(nc), aware(nc), org(nc), dias(nc), line(nc);
    std::vector<double> communities(nc), bond_service(nc), loss(nc), by_top_ups(nc), by_relief(nc),
        by_reconstruction(nc);
    for (std::size_t c = 0; c < w.communities.size(); ++c) {
        const auto o = w.communities.origin[c];
        dev[o] += w.communities.development_usd[c] * w.scale;
        hc[o] += w.communities.human_capital[c];
        communities[o] += 1;
    }
    double real_households = 0, real_poor = 0, real_gap = 0; // every origin, weighted
    for (std::size_t o = 0; o < nc; ++o) {
        const double hm = static_cast<double>(t.households_m[o]), hn = static_cast<double>(t.households_n[o]);
        const double wm = w.countries.household_weight_migrant[o],
                     wn = w.countries.household_weight_non_migrant[o];
        const double weighted = hm * wm + hn * wn;
        poverty[o] =
            ratio(static_cast<double>(t.poor_m[o]) * wm + static_cast<double>(t.poor_n[o]) * wn, weighted);
        gap[o] = ratio((t.gap_m_micro[o] * wm + t.gap_n_micro[o] * wn) / 1e6, weighted);
        poverty_m[o] = ratio(static_cast<double>(t.poor_m[o]), hm);
        poverty_n[o] = ratio(static_cast<double>(t.poor_n[o]), hn);
        real_households += weighted;
        real_poor += poverty[o] * weighted;
        real_gap += gap[o] * weighted;
        cons[o] = ratio((t.consumption_m_cents[o] + t.consumption_n_cents[o]) / 100.0, hm + hn);
        vol[o] = ratio(t.volatility_micro[o] / 1e6, hm + hn);
        cons_m[o] = ratio(t.consumption_m_cents[o] / 100.0, hm);
        cons_n[o] = ratio(t.consumption_n_cents[o] / 100.0, hn);
        inc_m[o] = ratio(t.income_m_cents[o] / 100.0, hm);
        inc_n[o] = ratio(t.income_n_cents[o] / 100.0, hn);
        hh_m[o] = hm * w.scale;
        line[o] =
            w.countries.is_origin[o] ? phases::poverty_line_usd(ctx, static_cast<std::uint16_t>(o)) : 0.0;
        loss[o] = t.loss_cents[o] * usd;
        by_top_ups[o] = t.answered_top_up_cents[o] * usd;
        by_relief[o] = t.answered_relief_cents[o] * usd;
        by_reconstruction[o] = t.answered_reconstruction_cents[o] * usd;
        bond_service[o] = t.bond_service_cents[o] * usd;
        consumed[o] = t.remit_consumed_cents[o] * usd;
        saved[o] = t.remit_saved_cents[o] * usd;
        hc[o] = ratio(hc[o], communities[o]);
        const double d = static_cast<double>(t.diaspora[o]);
        trust[o] = ratio(t.trust_micro[o] / 1e6, d);
        att[o] = ratio(t.attachment_micro[o] / 1e6, d);
        aware[o] = ratio(t.awareness_micro[o] / 1e6, d);
        org[o] = ratio(static_cast<double>(t.org_members[o]), d);
        dias[o] = d * w.scale;
    }
    const std::pair<Var, std::vector<double>*> country_vars[] = {
        {Var::countries_sent_usd, &sent},
        {Var::countries_poverty_rate, &poverty},
        {Var::countries_poverty_gap, &gap},
        {Var::countries_poverty_line_hh_usd, &line},
        {Var::countries_poverty_rate_migrant_hh, &poverty_m},
        {Var::countries_poverty_rate_non_migrant_hh, &poverty_n},
        {Var::countries_consumption_mean_usd, &cons},
        {Var::countries_consumption_volatility, &vol},
        {Var::countries_consumption_migrant_hh_usd, &cons_m},
        {Var::countries_consumption_non_migrant_hh_usd, &cons_n},
        {Var::countries_income_migrant_hh_usd, &inc_m},
        {Var::countries_income_non_migrant_hh_usd, &inc_n},
        {Var::countries_households_migrant, &hh_m},
        {Var::countries_loss_usd, &loss},
        {Var::countries_bond_service_usd, &bond_service},
        {Var::countries_loss_answered_by_top_ups_usd, &by_top_ups},
        {Var::countries_loss_answered_by_relief_usd, &by_relief},
        {Var::countries_loss_answered_by_reconstruction_usd, &by_reconstruction},
        {Var::countries_remit_consumed_usd, &consumed},
        {Var::countries_remit_saved_usd, &saved},
        {Var::countries_development_stock_usd, &dev},
        {Var::countries_human_capital_index, &hc},
        {Var::countries_trust_mean, &trust},
        {Var::countries_attachment_mean, &att},
        {Var::countries_awareness_mean, &aware},
        {Var::countries_org_membership_share, &org},
        {Var::countries_diaspora_members, &dias}};
    for (const auto& [id, v] : country_vars)
        wr.set(id, *v);
    // World-wide means, each weighted by what it is a share of: the households the origins stand
    // for (above) for poverty, diaspora members for trust, attachment and awareness.
    std::int64_t diaspora = 0, trust_sum = 0, att_sum = 0, aware_sum = 0;
    for (std::size_t o = 0; o < nc; ++o) {
        diaspora += t.diaspora[o];
        trust_sum += t.trust_micro[o];
        att_sum += t.attachment_micro[o];
        aware_sum += t.awareness_micro[o];
    }
    const double d = static_cast<double>(diaspora);
    wr.set(Var::global_poverty_rate, {ratio(real_poor, real_households)});
    wr.set(Var::global_poverty_gap, {ratio(real_gap, real_households)});
    wr.set(Var::global_trust_mean, {ratio(static_cast<double>(trust_sum) / 1e6, d)});
    wr.set(Var::global_attachment_mean, {ratio(static_cast<double>(att_sum) / 1e6, d)});
    wr.set(Var::global_awareness_mean, {ratio(static_cast<double>(aware_sum) / 1e6, d)});
    wr.set(Var::countries_destination_concentration, ctx.constants.destination_concentration);

    std::vector<double> share(nk), cost(nk), kmem(nk), emp(nk), earn(nk);
    for (std::size_t k = 0; k < nk; ++k) {
        const double n = static_cast<double>(t.members[k]);
        share[k] = ratio(static_cast<double>(t.senders[k]), n);
        cost[k] = ctx.cond.corridor[k].cost_formal;
        kmem[k] = n * w.scale;
        emp[k] = ratio(static_cast<double>(t.employed[k]), n);
        earn[k] = ratio(t.earnings_cents[k] / 100.0, n);
    }
    const std::pair<Var, std::vector<double>*> corridor_vars[] = {
        {Var::corridors_remit_formal_usd, &k_formal},
        {Var::corridors_remit_informal_usd, &k_informal},
        {Var::corridors_remit_fees_usd, &k_fees},
        {Var::corridors_senders_share, &share},
        {Var::corridors_cost_formal, &cost},
        {Var::corridors_members, &kmem},
        {Var::corridors_employment_rate, &emp},
        {Var::corridors_earnings_mean_usd, &earn},
        {Var::corridors_sent_usd, &k_sent}};
    for (const auto& [id, v] : corridor_vars)
        wr.set(id, *v);
}

} // namespace bridges::core::phases
