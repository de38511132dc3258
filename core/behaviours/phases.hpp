#pragma once
// The twelve monthly phases (docs/model.md section 3). Each reads and writes what its comment says.

#include "core/engine/metrics.hpp"
#include "core/engine/step_context.hpp"

namespace bridges::core::phases {

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
