// Phase 11: slow state. Members spend another month abroad and save part of their income;
// attachment erodes (less under engagement levers); trust moves towards the origin's governance
// plus what programmes deliver. Also sums the diaspora's attitudes for the record.
// Reads: conditions, income. Writes: months abroad, savings, attachment, trust.

#include "core/behaviours/phases.hpp"

namespace bridges::core::phases {

void slow_state(StepContext& ctx) {
    const SlowSpec& p = ctx.behaviour.slow;
    const double saving = ctx.behaviour.invest.saving_share;
    tally_communities(ctx, [&](std::size_t c, Tally& t) {
        World& w = ctx.world;
        auto& mm = w.members;
        const std::uint16_t o = w.communities.origin[c];
        const OriginConditions& oc = ctx.cond.origin[o];
        const auto erosion = static_cast<float>(1.0 - p.attachment_erosion * oc.erosion_factor);
        const auto target = static_cast<float>(oc.trust_target);
        const auto speed = static_cast<float>(p.trust_adjustment);
        const auto [first, last] = community_members(w, c);
        std::int64_t trust = 0, attachment = 0, awareness = 0, members_in_org = 0;
        for (auto m = first; m < last; ++m) {
            if (mm.months_abroad[m] < 0xFFFF) ++mm.months_abroad[m];
            mm.savings[m] += static_cast<float>(saving * mm.income[m]);
            mm.attachment[m] *= erosion;
            mm.trust[m] += speed * (target - mm.trust[m]);
            trust += to_micro(mm.trust[m]);
            attachment += to_micro(mm.attachment[m]);
            awareness += to_micro(mm.awareness[m]);
            members_in_org += mm.in_org[m];
        }
        t.trust_micro[o] += trust;
        t.attachment_micro[o] += attachment;
        t.awareness_micro[o] += awareness;
        t.org_members[o] += members_in_org;
        t.diaspora[o] += last - first;
    });
}

} // namespace bridges::core::phases
