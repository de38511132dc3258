// Phase 6: investment and diaspora bonds. Employed members with enough savings invest part of
// them at origin (logistic in trust, in how far earnings are below usual, and the investment
// climate); while a bond window is open, aware members with the minimum ticket subscribe
// (logistic in trust, coupon and awareness). Subscriptions beyond the amount offered are scaled
// back pro rata, so the bond is decided in two passes over the same state.
// Reads: employment, income, earnings, savings, trust, awareness. Writes: savings.

#include "core/behaviours/phases.hpp"

#include <algorithm>
#include <cmath>

namespace bridges::core::phases {

namespace {

void investment(StepContext& ctx) {
    const InvestSpec& p = ctx.behaviour.invest;
    // Employed members of one corridor and skill share the ratio of current to usual earnings.
    const World& cw = ctx.world;
    std::vector<double> shortfall(cw.corridors.size() * kSkills);
    for (std::size_t k = 0; k < cw.corridors.size(); ++k)
        for (int s = 0; s < kSkills; ++s)
            shortfall[k * kSkills + s] =
                std::log(std::max(1e-3, ctx.cond.group[k * kSkills + s].earnings_factor /
                                            ctx.scratch.growth_index[cw.corridors.host[k]]));
    const double boost = ctx.behaviour.crisis.reconstruction_boost;
    tally_communities(ctx, [&](std::size_t c, Tally& t) {
        World& w = ctx.world;
        auto& mm = w.members;
        auto& hh = w.households;
        const std::uint16_t o = w.communities.origin[c];
        const OriginConditions& oc = ctx.cond.origin[o];
        for_migrant_households(w, c, [&](std::uint32_t h, std::uint16_t k) {
            // The threshold is at start prices and grows with the host's earnings.
            const double threshold = p.threshold_usd * ctx.scratch.growth_index[w.corridors.host[k]];
            for (auto m = w.households.first_member[h]; m < w.households.first_member[h + 1]; ++m) {
                if (!mm.employed[m] || mm.savings[m] < threshold) continue;
                // After a disaster, the migrants of a household whose loss is not yet answered
                // are more likely to invest, and invest in rebuilding it, up to that loss.
                const bool rebuild = oc.reconstruction && hh.unanswered_usd[h] > 0;
                const double z = p.intercept + p.trust * (mm.trust[m] - 0.5) +
                                 p.income * shortfall[k * kSkills + mm.skill[m]] + oc.invest_shift +
                                 (rebuild ? boost : 0.0);
                if (ctx.rng.pair(Purpose::invest, m, ctx.month)[0] >= logistic(z)) continue;
                const double wanted = p.share * mm.savings[m];
                const double usd = rebuild ? std::min<double>(wanted, hh.unanswered_usd[h]) : wanted;
                // Rebuilding: whole cents down, never more than the loss.
                const std::int64_t cents = rebuild ? static_cast<std::int64_t>(usd * 100.0) : to_cents(usd);
                mm.savings[m] -= static_cast<float>(cents / 100.0);
                t.ledger.debit(k, Flow::investment, Channel::formal, cents, 0, 0);
                t.ledger.credit(k, Flow::investment, Channel::formal, cents);
                if (rebuild) { // the household's assets rebuilt: its savings
                    hh.savings[h] += static_cast<float>(cents / 100.0);
                    hh.unanswered_usd[h] =
                        static_cast<float>(std::max(0.0, hh.unanswered_usd[h] - cents / 100.0));
                    t.answered_reconstruction_cents[o] += cents;
                    continue;
                }
                // An investment at origin: the household's invested stock, with the state's subsidy
                // (booked as the incentive's cost) added to it.
                const std::int64_t subsidy = oc.invest_policy >= 0 ? to_cents(usd * oc.invest_subsidy) : 0;
                hh.invested_usd[h] += static_cast<float>(static_cast<double>(cents + subsidy) / 100.0);
                if (subsidy > 0) t.policy_cost_cents[oc.invest_policy] += subsidy;
            }
        });
    });
}

/// A member's awareness of the origin's open bond: general awareness `a`, with the share of the
/// gap to 1 that n months of marketing have closed, `1 - (1 - marketing_rate * marketing)^n`, n
/// the months the window has been open (this one included).
double bond_awareness(const StepContext& ctx, const OriginConditions& oc, double a) {
    const auto open =
        static_cast<double>(static_cast<std::int64_t>(ctx.month) - ctx.policies[oc.bond_policy].from + 1);
    const double per_month = std::min(1.0, ctx.behaviour.bond.marketing_rate * oc.bond_marketing);
    return a + (1.0 - std::pow(1.0 - per_month, std::max(1.0, open))) * (1.0 - a);
}

/// The ticket member m asks for this month in USD (0: none). Pure in the member's state.
double bond_ticket(const StepContext& ctx, const OriginConditions& oc, std::uint16_t k, std::uint32_t m) {
    const BondSpec& p = ctx.behaviour.bond;
    const auto& mm = ctx.world.members;
    if (!ctx.cond.of(k, mm.skill[m]).bond_eligible || mm.savings[m] < oc.bond_min_ticket) return 0;
    // Awareness of the bond: of origin programmes in general, raised by the bond's marketing
    // (for this decision only: marketing a bond does not make associations better known).
    const double aware = bond_awareness(ctx, oc, mm.awareness[m]);
    const double z =
        p.intercept + p.trust * (mm.trust[m] - 0.5) + p.coupon * oc.bond_coupon + p.awareness * aware;
    if (ctx.rng.pair(Purpose::bond, m, ctx.month)[0] >= logistic(z) * aware) return 0;
    return std::min<double>(mm.savings[m], std::max(oc.bond_min_ticket, p.ticket_share * mm.savings[m]));
}

/// The proceeds of the bonds sold this month (agent-level USD by origin) fund the origin's public
/// projects: its communities' development stock, in proportion to their households.
void fund_projects(StepContext& ctx, const std::vector<double>& proceeds) {
    auto& cs = ctx.world.communities;
    const auto& households = ctx.constants.origin_households;
    for (std::size_t c = 0; c < cs.size(); ++c) {
        const auto o = cs.origin[c];
        if (proceeds[o] > 0)
            cs.development_usd[c] += proceeds[o] * community_households(ctx.world, c) / households[o];
    }
}

/// The issuing states serve their bonds: every month of a bond's tenor its coupon on what was sold
/// before this month, and in the month after the tenor its principal, paid to the holders in
/// proportion to what they hold (whole cents, rounded down) into their savings; repaid principal
/// leaves their holdings.
void serve_bonds(StepContext& ctx) {
    const std::size_t nc = ctx.world.countries.size();
    std::vector<double> outstanding(nc, 0.0), due(nc, 0.0), repaid(nc, 0.0);
    const auto month = static_cast<std::int32_t>(ctx.month);
    for (std::size_t i = 0; i < ctx.policies.size(); ++i) {
        const auto& r = ctx.policies[i];
        const double sold = ctx.state.bond_sold[i];
        const double coupon = obligation_usd(r.spec->params, month, r.from, sold);
        const double principal = repayment_usd(r.spec->params, month, r.from, sold);
        if (sold <= 0 || (coupon <= 0 && principal <= 0)) continue;
        outstanding[r.by] += sold;
        due[r.by] += coupon + principal;
        repaid[r.by] += principal;
    }
    bool any = false;
    for (std::size_t o = 0; o < nc; ++o)
        any = any || due[o] > 0;
    if (!any) return;
    tally_communities(ctx, [&](std::size_t c, Tally& t) {
        auto& mm = ctx.world.members;
        const auto o = ctx.world.communities.origin[c];
        if (due[o] <= 0) return;
        const double rate = due[o] / outstanding[o], kept = 1.0 - repaid[o] / outstanding[o];
        const auto [first, last] = community_members(ctx.world, c);
        std::int64_t paid = 0;
        for (auto m = first; m < last; ++m) {
            if (mm.bond_usd[m] <= 0) continue;
            const auto cents = static_cast<std::int64_t>(mm.bond_usd[m] * rate * 100.0);
            mm.savings[m] += static_cast<float>(static_cast<double>(cents) / 100.0);
            mm.bond_usd[m] = static_cast<float>(mm.bond_usd[m] * kept);
            paid += cents;
        }
        t.bond_service_cents[o] += paid;
    });
}

template <class Fn> void for_bond_buyers(StepContext& ctx, Fn&& fn) {
    tally_communities(ctx, [&](std::size_t c, Tally& t) {
        const World& w = ctx.world;
        const std::uint16_t o = w.communities.origin[c];
        const OriginConditions& oc = ctx.cond.origin[o];
        if (oc.bond_policy < 0) return;
        for_migrant_households(w, c, [&](std::uint32_t h, std::uint16_t k) {
            for (auto m = w.households.first_member[h]; m < w.households.first_member[h + 1]; ++m) {
                const double ticket = bond_ticket(ctx, oc, k, m);
                if (ticket > 0) fn(t, o, k, m, ticket);
            }
        });
    });
}

void bonds(StepContext& ctx) {
    bool open = false;
    for (const auto& oc : ctx.cond.origin)
        open = open || oc.bond_policy >= 0;
    if (!open) return;
    for_bond_buyers(ctx, [](Tally& t, std::uint16_t o, std::uint16_t, std::uint32_t, double ticket) {
        t.bond_demand_cents[o] += to_cents(ticket);
    });
    std::vector<double> fill(ctx.cond.origin.size(), 0.0), proceeds(ctx.cond.origin.size(), 0.0);
    for (std::size_t o = 0; o < fill.size(); ++o) {
        const auto policy = ctx.cond.origin[o].bond_policy;
        const double demand = ctx.tally.bond_demand_cents[o] / 100.0;
        if (policy < 0 || demand <= 0) continue;
        const double left = ctx.cond.origin[o].bond_size_usd / ctx.world.scale - ctx.state.bond_sold[policy];
        fill[o] = std::clamp(left / demand, 0.0, 1.0);
    }
    for_bond_buyers(ctx, [&](Tally& t, std::uint16_t o, std::uint16_t k, std::uint32_t m, double ticket) {
        const std::int64_t cents = to_cents(ticket * fill[o]);
        ctx.world.members.savings[m] -= static_cast<float>(cents / 100.0);
        ctx.world.members.bond_usd[m] += static_cast<float>(cents / 100.0);
        t.ledger.debit(k, Flow::bond, Channel::formal, cents, 0, 0);
        t.ledger.credit(k, Flow::bond, Channel::formal, cents);
    });
    for (std::size_t o = 0; o < fill.size(); ++o) {
        const auto policy = ctx.cond.origin[o].bond_policy;
        if (policy < 0) continue;
        double sold = 0;
        for (std::size_t k = 0; k < ctx.world.corridors.size(); ++k)
            if (ctx.world.corridors.origin[k] == o)
                sold += ctx.tally.ledger.at(k, Flow::bond, Channel::formal).received / 100.0;
        ctx.state.bond_sold[policy] += sold;
        proceeds[o] = sold;
    }
    fund_projects(ctx, proceeds);
}

} // namespace

void invest(StepContext& ctx) {
    serve_bonds(ctx);
    investment(ctx);
    bonds(ctx);
}

} // namespace bridges::core::phases
