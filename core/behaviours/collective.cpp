// Phase 5: collective remittances. Members join and leave their community's hometown
// association; members contribute (more when contributions are matched); the state matches
// approved contributions up to its annual cap; contributions and matches become community
// projects (the development stock). Reads: awareness, attachment, savings, conditions.
// Writes: in_org, savings, community development stock.

#include "core/behaviours/phases.hpp"

#include <algorithm>

namespace bridges::core::phases {

namespace {

/// Matching paid per origin this month, as a share of the approved contributions times ratio.
std::vector<double> matching_fill(StepContext& ctx) {
    const auto& origins = ctx.cond.origin;
    std::vector<double> fill(origins.size(), 0.0);
    const double approval = ctx.behaviour.collective.approval_share;
    for (std::size_t o = 0; o < origins.size(); ++o) {
        const auto& oc = origins[o];
        if (oc.matching_policy < 0 || oc.matching_ratio <= 0) continue;
        double contributed = 0;
        for (std::size_t k = 0; k < ctx.world.corridors.size(); ++k)
            if (ctx.world.corridors.origin[k] == o)
                contributed += ctx.tally.ledger.at(k, Flow::collective, Channel::formal).received / 100.0;
        const double wanted = contributed * approval * oc.matching_ratio * ctx.world.scale; // persons
        if (wanted <= 0) continue;
        const double room = std::max(0.0, oc.matching_cap_usd - ctx.state.matching_spent[oc.matching_policy]);
        const double paid = std::min(wanted, room);
        ctx.state.matching_spent[oc.matching_policy] += paid;
        fill[o] = paid / wanted * approval * oc.matching_ratio;
    }
    return fill;
}

} // namespace

void collective(StepContext& ctx) {
    const CollectiveSpec& p = ctx.behaviour.collective;
    tally_communities(ctx, [&](std::size_t c, Tally& t) {
        World& w = ctx.world;
        auto& mm = w.members;
        const std::uint16_t o = w.communities.origin[c];
        const OriginConditions& oc = ctx.cond.origin[o];
        // Contributions answer the match actually on offer: none once this year's cap is spent.
        const bool room =
            oc.matching_policy >= 0 && ctx.state.matching_spent[oc.matching_policy] < oc.matching_cap_usd;
        const double ratio = room ? oc.matching_ratio : 0.0;
        const double p_contribute = std::min(1.0, p.contribute_prob * (1.0 + p.match_response * ratio) *
                                                      (1.0 + oc.contribution_gain));
        const double p_join = std::min(1.0, p.join_rate * (1.0 + oc.join_gain));
        std::int64_t received = 0;
        for_migrant_households(w, c, [&](std::uint32_t h, std::uint16_t k) {
            std::int64_t from_household = 0;
            for_present_members(w, h, [&](std::uint32_t m) {
                const Draws2 d = ctx.rng.pair(Purpose::collective, m, ctx.month);
                if (mm.in_org[m]) {
                    if (d[0] < p.leave_rate) mm.in_org[m] = 0;
                } else if (d[0] < p_join * mm.awareness[m] * mm.attachment[m]) {
                    mm.in_org[m] = 1;
                }
                if (!mm.in_org[m] || d[1] >= p_contribute || mm.savings[m] < p.contribution_usd) return;
                mm.savings[m] -= static_cast<float>(p.contribution_usd);
                const std::int64_t cents = to_cents(p.contribution_usd);
                t.ledger.debit(k, Flow::collective, Channel::formal, cents, 0, 0);
                from_household += cents;
            });
            t.ledger.credit(k, Flow::collective, Channel::formal, from_household);
            received += from_household;
        });
        ctx.scratch.community_contrib_cents[c] = received;
    });
    const auto fill = matching_fill(ctx);
    auto& dev = ctx.world.communities.development_usd;
    const auto& origin = ctx.world.communities.origin;
    for (std::size_t c = 0; c < dev.size(); ++c) {
        const double contributed = ctx.scratch.community_contrib_cents[c] / 100.0;
        const std::int64_t match = to_cents(contributed * fill[origin[c]]);
        ctx.tally.matching_cents[origin[c]] += match;
        const auto policy = ctx.cond.origin[origin[c]].matching_policy;
        if (match > 0) ctx.tally.policy_cost_cents[policy] += match;
        dev[c] = dev[c] * (1.0 - p.depreciation) + contributed + match / 100.0;
    }
}

} // namespace bridges::core::phases
