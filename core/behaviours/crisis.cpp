// Phase 8: crisis response (IOM IDM 22, chapter V). While an origin is in crisis (disaster,
// conflict or pandemic), members donate to relief through their associations, more the more
// attached they are. Relief is pooled by origin and reaches the households whose loss is not yet
// answered, in proportion to that loss and never beyond it; what the losses do not take goes to
// the reconstruction of the communities that received relief (their development stock), or of
// every community of the origin when no loss is left. Investment for reconstruction after a
// disaster is raised in phase 6.
// Reads: attachment, savings, households' unanswered losses. Writes: member and household
// savings, unanswered losses, community development stock.

#include "core/behaviours/phases.hpp"

#include <algorithm>
#include <cmath>

namespace bridges::core::phases {

namespace {

/// First pass: donations, posted to the ledger, and the losses relief may answer, by origin.
void donate(StepContext& ctx) {
    const CrisisSpec& p = ctx.behaviour.crisis;
    tally_communities(ctx, [&](std::size_t c, Tally& t) {
        World& w = ctx.world;
        auto& mm = w.members;
        const std::uint16_t o = w.communities.origin[c];
        if (!ctx.cond.origin[o].crisis) return;
        std::int64_t wanted = 0;
        for (auto h = w.communities.first_household[c]; h < w.communities.first_household[c + 1]; ++h)
            wanted += static_cast<std::int64_t>(w.households.unanswered_usd[h] * 100.0);
        t.relief_wanted_cents[o] += wanted;
        for_migrant_households(w, c, [&](std::uint32_t h, std::uint16_t k) {
            std::int64_t from_household = 0;
            for_present_members(w, h, [&](std::uint32_t m) {
                const double chance = std::min(1.0, p.donate_prob * p.attachment_weight * mm.attachment[m]);
                if (mm.savings[m] < p.donation_usd ||
                    ctx.rng.pair(Purpose::crisis, m, ctx.month)[0] >= chance)
                    return;
                mm.savings[m] -= static_cast<float>(p.donation_usd);
                const std::int64_t cents = to_cents(p.donation_usd);
                t.ledger.debit(k, Flow::crisis, Channel::formal, cents, 0, 0);
                from_household += cents;
            });
            t.ledger.credit(k, Flow::crisis, Channel::formal, from_household);
            t.relief_pool_cents[o] += from_household;
        });
    });
}

/// Second pass: each household's unanswered loss, in whole cents, times its origin's share of
/// losses the pool covers (at most 1).
void relieve(StepContext& ctx, const std::vector<double>& covered) {
    tally_communities(ctx, [&](std::size_t c, Tally& t) {
        World& w = ctx.world;
        auto& hh = w.households;
        const std::uint16_t o = w.communities.origin[c];
        std::int64_t given = 0;
        if (covered[o] > 0)
            for (auto h = w.communities.first_household[c]; h < w.communities.first_household[c + 1]; ++h) {
                const auto loss = static_cast<std::int64_t>(hh.unanswered_usd[h] * 100.0);
                const auto give = static_cast<std::int64_t>(static_cast<double>(loss) * covered[o]);
                if (give <= 0) continue;
                hh.savings[h] += static_cast<float>(give / 100.0);
                hh.unanswered_usd[h] = static_cast<float>(std::max(0.0, hh.unanswered_usd[h] - give / 100.0));
                given += give;
            }
        t.answered_relief_cents[o] += given;
        ctx.scratch.community_relief_cents[c] = given;
    });
}

} // namespace

void crisis(StepContext& ctx) {
    bool any = false;
    for (const auto& oc : ctx.cond.origin)
        any = any || oc.crisis;
    if (!any) return;
    donate(ctx);
    const Tally& t = ctx.tally;
    const std::size_t nc = ctx.world.countries.size();
    std::vector<double> covered(nc, 0.0);
    for (std::size_t o = 0; o < nc; ++o)
        if (t.relief_wanted_cents[o] > 0)
            covered[o] = std::min(1.0, static_cast<double>(t.relief_pool_cents[o]) /
                                           static_cast<double>(t.relief_wanted_cents[o]));
    std::fill(ctx.scratch.community_relief_cents.begin(), ctx.scratch.community_relief_cents.end(), 0);
    relieve(ctx, covered);
    // What the losses did not take: to the communities in proportion to the relief they received,
    // or, when none did, to every community of the origin in proportion to its households.
    auto& cs = ctx.world.communities;
    std::vector<double> weight(nc, 0.0);
    const auto& households = ctx.constants.origin_households;
    for (std::size_t c = 0; c < cs.size(); ++c) {
        weight[cs.origin[c]] += static_cast<double>(ctx.scratch.community_relief_cents[c]);
    }
    for (std::size_t c = 0; c < cs.size(); ++c) {
        const auto o = cs.origin[c];
        const std::int64_t left = t.relief_pool_cents[o] - t.answered_relief_cents[o];
        if (left <= 0) continue;
        const double share = weight[o] > 0
                                 ? static_cast<double>(ctx.scratch.community_relief_cents[c]) / weight[o]
                                 : community_households(ctx.world, c) / households[o];
        cs.development_usd[c] += static_cast<double>(left) / 100.0 * share;
    }
}

} // namespace bridges::core::phases
