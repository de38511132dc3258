// Phase 3: information. Awareness, trust and attachment move towards the mean of each member's
// social neighbours (DeGroot averaging, read from last month's values, written to a second
// buffer); outreach contacts raise them further; awareness returns towards the background level
// that the origin's ordinary communication sustains (population.awareness_mean).
// Reads: the three attitudes, the social graph, conditions. Writes: the three attitudes.

#include "core/behaviours/phases.hpp"

#include <algorithm>

namespace bridges::core::phases {

void information(StepContext& ctx) {
    const InformationSpec& p = ctx.behaviour.information;
    const float alpha = static_cast<float>(p.diffusion);
    const float beta = static_cast<float>(p.attachment_diffusion);
    const auto decay = static_cast<float>(p.awareness_decay);
    const auto background = static_cast<float>(ctx.scenario.population.awareness_mean);
    const auto floor = static_cast<float>(ctx.behaviour.slow.awareness_floor);
    const bool implicit = ctx.world.social.implicit();
    tally_communities(ctx, [&](std::size_t c, Tally& t) {
        World& w = ctx.world;
        auto& mm = w.members;
        const std::uint16_t o = w.communities.origin[c];
        for_migrant_households(w, c, [&](std::uint32_t h, std::uint16_t k) {
            for (auto m = w.households.first_member[h]; m < w.households.first_member[h + 1]; ++m) {
                float aw = mm.awareness[m], tr = mm.trust[m], at = mm.attachment[m];
                if (!mm.present[m]) { // an empty place keeps the views of the one who left
                    mm.awareness_next[m] = aw;
                    mm.trust_next[m] = tr;
                    mm.attachment_next[m] = at;
                    continue;
                }
                std::uint32_t found[kImplicitMaxNeighbours];
                const std::span<const std::uint32_t> nb =
                    implicit ? std::span<const std::uint32_t>(found, w.social.neighbours(m, o, found))
                             : w.social.neighbours(m);
                if (!nb.empty()) {
                    float saw = 0, str = 0, sat = 0;
                    for (const std::uint32_t v : nb) {
                        saw += mm.awareness[v];
                        str += mm.trust[v];
                        sat += mm.attachment[v];
                    }
                    const float inv = 1.0F / static_cast<float>(nb.size());
                    aw += alpha * (saw * inv - aw);
                    tr += alpha * (str * inv - tr);
                    at += beta * (sat * inv - at);
                }
                aw = std::max(floor, aw + decay * (background - aw));
                const GroupConditions& g = ctx.cond.of(k, mm.skill[m]);
                if (g.outreach_reach > 0 &&
                    ctx.rng.pair(Purpose::outreach, m, ctx.month)[0] < g.outreach_reach) {
                    // Each contact closes a share of the gap to 1: a second campaign adds less.
                    aw += g.outreach_awareness * (1.0F - aw);
                    tr += g.outreach_trust * (1.0F - tr);
                    at += g.outreach_attachment * (1.0F - at);
                    t.policy_cost_cents[g.outreach_policy] += g.outreach_contact_cents;
                }
                mm.awareness_next[m] = std::clamp(aw, 0.0F, 1.0F);
                mm.trust_next[m] = std::clamp(tr, 0.0F, 1.0F);
                mm.attachment_next[m] = std::clamp(at, 0.0F, 1.0F);
            }
        });
    });
    auto& mm = ctx.world.members;
    mm.awareness.swap(mm.awareness_next);
    mm.trust.swap(mm.trust_next);
    mm.attachment.swap(mm.attachment_next);
}

} // namespace bridges::core::phases
