#pragma once
// The twelve monthly phases (docs/model.md section 3). Each reads and writes what its comment says.

#include "core/engine/metrics.hpp"
#include "core/engine/step_context.hpp"

namespace bridges::core::phases {

/// How much a community's human capital raises its households' incomes: 1 at the base index.
inline double human_capital_factor(const StepContext& ctx, std::size_t c) {
    const SkillsSpec& p = ctx.behaviour.skills;
    return 1.0 + p.human_capital_income * (ctx.world.communities.human_capital[c] - p.human_capital_base);
}

/// What household h of community c earns each month from development: its share of the returns
/// of its community's development stock (shared equally by the community's households) and the
/// returns of its own invested stock (USD a month).
inline double development_income(const StepContext& ctx, std::size_t c, std::uint32_t h) {
    const World& w = ctx.world;
    return ctx.behaviour.collective.development_return * w.communities.development_usd[c] /
               community_households(w, c) +
           ctx.behaviour.invest.return_rate * w.households.invested_usd[h];
}

/// The household poverty line of origin o this month, in US dollars: fixed in international
/// dollars, at the dollar price of the origin's goods (exchange rates, prices, currency shocks).
inline double poverty_line_usd(const StepContext& ctx, std::uint16_t o) {
    return ctx.world.countries.poverty_line_usd_month[o] * ctx.scratch.price_index[o] *
           ctx.cond.origin[o].price_shock;
}

/// What a household's income in dollars `income` buys at home, in dollars of the month without
/// currency shocks: a currency's fall lowers the first and not what it buys.
inline double income_at_home(const StepContext& ctx, std::uint16_t o, double income) {
    return income / ctx.cond.origin[o].price_shock;
}

/// What a household earns in a month without shocks (USD): its base income at the month's
/// `growth`, raised by its community's human capital (`skills`), plus its `development` income.
inline double usual_income(double base, double growth, double skills, double development) {
    return base * growth * skills + development;
}

/// usual_income of household h of community c.
inline double usual_income(const StepContext& ctx, std::size_t c, std::uint32_t h) {
    return usual_income(ctx.world.households.base_income[h],
                        ctx.scratch.growth_index[ctx.world.communities.origin[c]],
                        human_capital_factor(ctx, c), development_income(ctx, c, h));
}

/// 1. Shocks and levers switch on and off; macro state moves. Writes ctx.cond, growth index.
void environment(StepContext& ctx);
/// 2. Employment and incomes of members; incomes and disaster losses of households.
void labour(StepContext& ctx);
/// 3. Awareness, trust and attachment diffuse over the social layer; outreach contacts.
void information(StepContext& ctx);
/// 4. Individual remittances: whether, how much (with insurance top-up), which channel.
void remit(StepContext& ctx);
/// 5. Association membership, contributions, matching funds, community projects.
void collective(StepContext& ctx);
/// 6. Investment at origin and diaspora bond subscriptions.
void invest(StepContext& ctx);
/// 7. Knowledge transfer by skilled members (capacity-limited); community human capital.
void skills(StepContext& ctx);
/// 8. Relief donations during origin crises.
void crisis(StepContext& ctx);
/// 9. Checks the double-entry ledger against the receivers' state.
void settle(StepContext& ctx);
/// 10. Household consumption, saving and poverty.
void households(StepContext& ctx);
/// 11. Years abroad, saving, attachment erosion, trust; diaspora means.
void slow_state(StepContext& ctx);
/// 12. The month's record of every output variable.
void record(StepContext& ctx, MonthRecord& out);

} // namespace bridges::core::phases
