// Phase 11: slow state. Members spend another month abroad and save part of their income until
// their savings reach a buffer of population.member_savings_months of usual earnings (buffer-stock
// saving: beyond it they spend their income where they live); attachment erodes (less under engagement
// levers); trust moves towards the origin's governance plus what programmes deliver. Also sums the diaspora's
// attitudes for the record. Reads: conditions, income. Writes: months abroad, savings, attachment, trust.

#include "core/behaviours/phases.hpp"

namespace bridges::core::phases {

void slow_state(StepContext& ctx) {
    const SlowSpec& p = ctx.behaviour.slow;
    const double saving = ctx.behaviour.invest.saving_share;
    const double buffer_months = ctx.scenario.population.member_savings_months;
    tally_communities(ctx, [&](std::size_t c, Tally& t) {
        World& w = ctx.world;
        auto& mm = w.members;
        const std::uint16_t o = w.communities.origin[c];
        const OriginConditions& oc = ctx.cond.origin[o];
        const auto erosion = static_cast<float>(1.0 - p.attachment_erosion * oc.erosion_factor);
        const auto target = static_cast<float>(oc.trust_target);
        const auto speed = static_cast<float>(p.trust_adjustment);
        std::int64_t trust = 0, attachment = 0, awareness = 0, members_in_org = 0, diaspora = 0;
        // One pass over the members, household by household (they are every member of the
        // community): the buffer depends on the host.
        for_migrant_households(w, c, [&](std::uint32_t h, std::uint16_t k) {
            const double buffer = buffer_months * ctx.scratch.growth_index[w.corridors.host[k]];
            for_present_members(w, h, [&](std::uint32_t m) {
                const double saved = mm.savings[m] + saving * mm.income[m];
                mm.savings[m] = static_cast<float>(
                    std::min(saved, std::max<double>(mm.savings[m], buffer * mm.earnings[m])));
                if (mm.months_abroad[m] < 0xFFFF) ++mm.months_abroad[m];
                mm.attachment[m] *= erosion;
                mm.trust[m] += speed * (target - mm.trust[m]);
                trust += to_micro(mm.trust[m]);
                attachment += to_micro(mm.attachment[m]);
                awareness += to_micro(mm.awareness[m]);
                members_in_org += mm.in_org[m];
                ++diaspora;
            });
        });
        t.trust_micro[o] += trust;
        t.attachment_micro[o] += attachment;
        t.awareness_micro[o] += awareness;
        t.org_members[o] += members_in_org;
        t.diaspora[o] += diaspora;
    });
}

} // namespace bridges::core::phases
