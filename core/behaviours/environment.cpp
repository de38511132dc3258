// Phase 1: the environment. Compiles the month's conditions from the growth path, the active
// shocks and the active levers. Country-level only: no member or household is touched.

#include "core/behaviours/phases.hpp"

#include <algorithm>
#include <cmath>

namespace bridges::core::phases {

namespace {

bool active(std::int32_t from, std::int32_t to, std::uint32_t month) {
    const auto m = static_cast<std::int32_t>(month);
    return m >= from && m <= to;
}

void reset(StepContext& ctx) {
    const World& w = ctx.world;
    auto& c = ctx.cond;
    const std::size_t nk = w.corridors.size(), nc = w.countries.size();
    for (std::size_t i = 0; i < nc; ++i)
        ctx.state.growth_index[i] = std::pow(1.0 + w.countries.growth[i], ctx.month / 12.0);
    c.group.assign(nk * kSkills, GroupConditions{});
    c.corridor.assign(nk, CorridorConditions{});
    c.origin.assign(nc, OriginConditions{});
    for (std::size_t k = 0; k < nk; ++k) {
        const auto o = w.corridors.origin[k], h = w.corridors.host[k];
        auto& cc = c.corridor[k];
        cc.cost_formal = w.corridors.cost_formal[k];
        cc.cost_informal = w.corridors.cost_informal[k];
        cc.informal_loss = w.corridors.informal_loss[k];
        cc.inclusion = w.countries.financial_inclusion[o];
        for (int s = 0; s < kSkills; ++s)
            c.group[k * kSkills + s].earnings_factor = static_cast<float>(ctx.state.growth_index[h]);
    }
    for (std::size_t i = 0; i < nc; ++i) {
        c.origin[i].household_income_factor = ctx.state.growth_index[i];
        c.origin[i].trust_target = w.countries.governance[i];
    }
}

template <class Fn>
void for_groups(StepContext& ctx, const std::vector<std::uint8_t>& corridor_mask, std::uint8_t skill_mask,
                Fn&& fn) {
    for (std::size_t k = 0; k < ctx.world.corridors.size(); ++k) {
        if (!corridor_mask[k]) continue;
        for (int s = 0; s < kSkills; ++s)
            if (skill_mask & (1u << s)) fn(k, s, ctx.cond.group[k * kSkills + s]);
    }
}

void apply_shock(StepContext& ctx, const ResolvedShock& r) {
    const ShockSpec& s = *r.spec;
    const World& w = ctx.world;
    auto& c = ctx.cond;
    const auto m = static_cast<std::int32_t>(ctx.month);
    const std::size_t nc = w.countries.size();
    if (s.kind == "origin_disaster") {
        for (std::size_t o = 0; o < nc; ++o) {
            if (!r.country_mask[o]) continue;
            const auto recon = static_cast<std::int32_t>(ctx.behaviour.crisis.reconstruction_months);
            if (m > r.to && m <= r.to + recon) c.origin[o].reconstruction = true;
            if (!active(r.from, r.to, ctx.month)) continue;
            c.origin[o].crisis = true;
            if (m == r.from) {
                c.origin[o].disaster_onset = true;
                c.origin[o].disaster_hit = s.households_hit;
                c.origin[o].disaster_income_loss = s.income_loss;
                c.origin[o].disaster_asset_loss = s.asset_loss;
                c.origin[o].disaster_months = s.months;
            }
        }
        return;
    }
    if (!active(r.from, r.to, ctx.month)) return;
    const double sens[kSkills] = {s.sensitivity_low, s.sensitivity_mid, s.sensitivity_high};
    if (s.kind == "origin_conflict") {
        for (std::size_t o = 0; o < nc; ++o) {
            if (!r.country_mask[o]) continue;
            c.origin[o].crisis = true;
            c.origin[o].trust_target -= s.trust_drop;
            c.origin[o].household_income_factor *= 1.0 - s.income_loss;
            c.origin[o].invest_shift += ctx.behaviour.invest.conflict;
        }
        for (std::size_t k = 0; k < w.corridors.size(); ++k)
            if (r.country_mask[w.corridors.origin[k]]) c.corridor[k].formal_shift += s.informal_shift;
    } else if (s.kind == "host_recession") {
        for (std::size_t k = 0; k < w.corridors.size(); ++k) {
            if (!r.country_mask[w.corridors.host[k]]) continue;
            for (int sk = 0; sk < kSkills; ++sk) {
                auto& g = c.group[k * kSkills + sk];
                g.earnings_factor *= static_cast<float>(std::max(0.0, 1.0 - s.income_drop * sens[sk]));
                g.extra_job_loss += static_cast<float>(s.job_loss * sens[sk]);
            }
        }
    } else if (s.kind == "fx_shock") {
        for (std::size_t o = 0; o < nc; ++o) {
            if (!r.country_mask[o]) continue;
            c.origin[o].depreciation += s.depreciation;
            c.origin[o].household_income_factor *= 1.0 - s.depreciation;
        }
    } else if (s.kind == "pandemic") {
        for (std::size_t k = 0; k < w.corridors.size(); ++k) {
            const bool host_hit = r.country_mask[w.corridors.host[k]] != 0;
            const bool origin_hit = r.country_mask[w.corridors.origin[k]] != 0;
            if (host_hit)
                for (int sk = 0; sk < kSkills; ++sk) {
                    auto& g = c.group[k * kSkills + sk];
                    g.earnings_factor *= static_cast<float>(1.0 - s.income_drop);
                    g.extra_job_loss += static_cast<float>(s.job_loss);
                }
            if (host_hit || origin_hit)
                c.corridor[k].informal_disruption =
                    std::max(c.corridor[k].informal_disruption, s.informal_disruption);
        }
        for (std::size_t o = 0; o < nc; ++o) {
            if (!r.country_mask[o] || !w.countries.is_origin[o]) continue;
            c.origin[o].crisis = true;
            c.origin[o].household_income_factor *= 1.0 - s.income_loss;
        }
    }
}

/// Partnerships scale the strength of the other levers of the same state.
std::vector<double> partnership_multipliers(const StepContext& ctx) {
    std::vector<double> mult(ctx.world.countries.size(), 1.0);
    for (const auto& p : ctx.policies)
        if (p.spec->kind == "partnership" && active(p.from, p.to, ctx.month)) mult[p.by] += p.spec->scale;
    return mult;
}

void apply_policy(StepContext& ctx, std::int32_t index, double mult) {
    const ResolvedPolicy& r = ctx.policies[index];
    const PolicySpec& p = *r.spec;
    auto& c = ctx.cond;
    auto& o = c.origin[r.by];
    const std::string& k = p.kind;
    if (k == "outreach") {
        for_groups(ctx, r.corridor_mask, r.skill_mask, [&](std::size_t, int, GroupConditions& g) {
            g.outreach_reach = static_cast<float>(std::min(1.0, g.outreach_reach + p.reach * mult));
            g.outreach_awareness = std::max(g.outreach_awareness, static_cast<float>(p.awareness_gain));
            g.outreach_trust = std::max(g.outreach_trust, static_cast<float>(p.trust_gain));
            g.outreach_attachment = std::max(g.outreach_attachment, static_cast<float>(p.attachment_gain));
            g.outreach_policy = index;
        });
    } else if (k == "diaspora_institution" || k == "consular_services") {
        o.erosion_factor *= 1.0 - std::min(1.0, p.erosion_reduction * mult);
        o.trust_target += p.trust_gain * mult;
    } else if (k == "representation") {
        o.trust_target += p.trust_gain * mult;
    } else if (k == "cost_cap") {
        for (std::size_t kk = 0; kk < ctx.world.corridors.size(); ++kk) {
            auto& cc = c.corridor[kk];
            if (!r.corridor_mask[kk] || cc.cost_formal <= p.cap) continue;
            if (p.subsidised) {
                cc.cap_subsidy = cc.cost_formal - p.cap;
                cc.cap_policy = index;
            }
            cc.cost_formal = p.cap;
        }
    } else if (k == "financial_inclusion") {
        for (std::size_t kk = 0; kk < ctx.world.corridors.size(); ++kk)
            if (r.corridor_mask[kk])
                c.corridor[kk].inclusion = std::min(1.0, c.corridor[kk].inclusion + p.access_gain * mult);
    } else if (k == "matching") {
        o.matching_ratio = std::max(o.matching_ratio, p.ratio);
        o.matching_policy = index;
    } else if (k == "diaspora_bond") {
        // The window stays open until 'to' even when sold out: later subscriptions are recorded as
        // demand (oversubscription) and allotted nothing.
        o.bond_policy = index;
        o.bond_coupon = p.coupon;
        o.bond_min_ticket = p.min_ticket_usd;
        o.bond_marketing = std::min(1.0, p.marketing * mult);
        for_groups(ctx, r.corridor_mask, r.skill_mask,
                   [&](std::size_t, int, GroupConditions& g) { g.bond_eligible = 1; });
    } else if (k == "investment_incentive") {
        o.invest_shift += p.uptake_gain * mult;
        o.invest_subsidy = p.subsidy_rate;
        o.invest_policy = index;
    } else if (k == "skills_recognition") {
        for_groups(ctx, r.corridor_mask, r.skill_mask, [&](std::size_t, int, GroupConditions& g) {
            g.earnings_factor *= static_cast<float>(1.0 + p.income_gain * mult);
        });
    } else if (k == "knowledge_transfer") {
        o.knowledge_capacity += p.capacity_pm * mult / ctx.world.scale; // agent places
        o.knowledge_policy = index;
        for_groups(ctx, r.corridor_mask, r.skill_mask,
                   [&](std::size_t, int, GroupConditions& g) { g.knowledge_eligible = 1; });
    } else if (k == "org_capacity") {
        o.contribution_gain += p.contribution_gain * mult;
        o.join_gain += p.join_gain * mult;
    }
}

} // namespace

void environment(StepContext& ctx) {
    reset(ctx);
    for (const auto& r : ctx.shocks)
        apply_shock(ctx, r);
    const auto mult = partnership_multipliers(ctx);
    for (std::size_t i = 0; i < ctx.policies.size(); ++i) {
        const auto& r = ctx.policies[i];
        if (active(r.from, r.to, ctx.month)) apply_policy(ctx, static_cast<std::int32_t>(i), mult[r.by]);
    }
    auto& origins = ctx.cond.origin;
    for (std::size_t o = 0; o < origins.size(); ++o) {
        auto& oc = origins[o];
        if (oc.disaster_onset) {
            ctx.state.disaster_loss[o] = oc.disaster_income_loss;
        }
        if (oc.reconstruction) oc.invest_shift += ctx.behaviour.crisis.reconstruction_boost;
        oc.trust_target = std::clamp(oc.trust_target, 0.0, 1.0);
    }
    // Matching caps are per calendar year.
    const YearMonth date = ctx.scenario.start.plus(static_cast<int>(ctx.month));
    if (date.month == 1) std::fill(ctx.state.matching_spent.begin(), ctx.state.matching_spent.end(), 0.0);
}

} // namespace bridges::core::phases
