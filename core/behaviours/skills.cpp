// Phase 7: skills and knowledge. While an origin runs a knowledge-transfer programme, eligible
// skilled members volunteer (logistic in awareness and attachment); places are limited, so
// volunteers are counted first and then accepted with chance min(1, capacity / volunteers).
// Each person-month raises the human-capital index of the member's home community, which
// otherwise returns slowly to its base. Reads: skill, awareness, attachment. Writes: community
// human capital.

#include "core/behaviours/phases.hpp"

#include <algorithm>

namespace bridges::core::phases {

namespace {

bool volunteers(const StepContext& ctx, std::uint16_t k, std::uint32_t m, double u) {
    const SkillsSpec& p = ctx.behaviour.skills;
    const auto& mm = ctx.world.members;
    if (!mm.present[m] || !ctx.cond.of(k, mm.skill[m]).knowledge_eligible) return false;
    return u < logistic(p.intercept + p.awareness * mm.awareness[m] + p.attachment * mm.attachment[m]);
}

template <class Fn> void for_volunteers(StepContext& ctx, Fn&& fn) {
    tally_communities(ctx, [&](std::size_t c, Tally& t) {
        const World& w = ctx.world;
        const std::uint16_t o = w.communities.origin[c];
        if (ctx.cond.origin[o].knowledge_capacity <= 0) return;
        for_migrant_households(w, c, [&](std::uint32_t h, std::uint16_t k) {
            for (auto m = w.households.first_member[h]; m < w.households.first_member[h + 1]; ++m) {
                const Draws2 d = ctx.rng.pair(Purpose::skills, m, ctx.month);
                if (volunteers(ctx, k, m, d[0])) fn(t, c, o, d[1]);
            }
        });
    });
}

} // namespace

void skills(StepContext& ctx) {
    const SkillsSpec& p = ctx.behaviour.skills;
    auto& hc = ctx.world.communities.human_capital;
    for (double& x : hc)
        x += p.human_capital_decay * (p.human_capital_base - x);
    bool open = false;
    for (const auto& oc : ctx.cond.origin)
        open = open || oc.knowledge_capacity > 0;
    if (!open) return;
    for_volunteers(ctx,
                   [](Tally& t, std::size_t, std::uint16_t o, double) { t.knowledge_candidates[o] += 1; });
    std::vector<double> accept(ctx.cond.origin.size(), 0.0);
    for (std::size_t o = 0; o < accept.size(); ++o)
        if (ctx.tally.knowledge_candidates[o] > 0)
            accept[o] = std::min(1.0, ctx.cond.origin[o].knowledge_capacity /
                                          static_cast<double>(ctx.tally.knowledge_candidates[o]));
    const auto& first = ctx.world.communities.first_household;
    for_volunteers(ctx, [&](Tally& t, std::size_t c, std::uint16_t o, double u) {
        if (u >= accept[o]) return;
        t.knowledge_pm[o] += 1;
        t.policy_cost_cents[ctx.cond.origin[o].knowledge_policy] += ctx.cond.origin[o].knowledge_pm_cents;
        const double households = static_cast<double>(first[c + 1] - first[c]);
        hc[c] = std::min(1.0, hc[c] + p.human_capital_gain * 100.0 / households * (1.0 - hc[c]));
    });
}

} // namespace bridges::core::phases
