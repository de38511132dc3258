// Phase 8: crisis response (IOM IDM 22, chapter V). While an origin is in crisis (disaster,
// conflict or pandemic), members donate to relief through their associations, more the more
// attached they are; relief goes to the community's reconstruction (its development stock).
// Investment for reconstruction after a disaster is raised in phase 6 via the conditions.
// Reads: attachment, savings. Writes: savings, community development stock.

#include "core/behaviours/phases.hpp"

#include <algorithm>

namespace bridges::core::phases {

void crisis(StepContext& ctx) {
    bool any = false;
    for (const auto& oc : ctx.cond.origin)
        any = any || oc.crisis;
    if (!any) return;
    const CrisisSpec& p = ctx.behaviour.crisis;
    tally_communities(ctx, [&](std::size_t c, Tally& t) {
        World& w = ctx.world;
        auto& mm = w.members;
        if (!ctx.cond.origin[w.communities.origin[c]].crisis) return;
        std::int64_t relief = 0;
        for_migrant_households(w, c, [&](std::uint32_t h, std::uint16_t k) {
            std::int64_t from_household = 0;
            for (auto m = w.households.first_member[h]; m < w.households.first_member[h + 1]; ++m) {
                const double chance = std::min(1.0, p.donate_prob * p.attachment_weight * mm.attachment[m]);
                if (mm.savings[m] < p.donation_usd ||
                    ctx.rng.pair(Purpose::crisis, m, ctx.month)[0] >= chance)
                    continue;
                mm.savings[m] -= static_cast<float>(p.donation_usd);
                const std::int64_t cents = to_cents(p.donation_usd);
                t.ledger.debit(k, Flow::crisis, Channel::formal, cents, 0, 0);
                from_household += cents;
            }
            t.ledger.credit(k, Flow::crisis, Channel::formal, from_household);
            relief += from_household;
        });
        w.communities.development_usd[c] += relief / 100.0;
    });
}

} // namespace bridges::core::phases
