// Phase 10: origin households. Consumption is a share of own income plus a share of the
// remittances received (IFAD: about 75% consumed); a household whose consumption would fall
// below its usual level covers part of the gap from savings (buffer stock); the rest is saved.
// Reads: income, receipts, savings. Writes: consumption, savings, expected receipts.

#include "core/behaviours/phases.hpp"

#include <algorithm>
#include <cmath>

namespace bridges::core::phases {

void households(StepContext& ctx) {
    const HouseholdSpec& p = ctx.behaviour.household;
    tally_communities(ctx, [&](std::size_t c, Tally& t) {
        World& w = ctx.world;
        auto& hh = w.households;
        const std::uint16_t o = w.communities.origin[c];
        const double growth = ctx.state.growth_index[o];
        const double poverty_line = w.countries.poverty_line_usd_month[o] * growth;
        for (auto h = w.communities.first_household[c]; h < w.communities.first_household[c + 1]; ++h) {
            const double income = hh.income[h];
            const double received = hh.receipts_cents[h] / 100.0;
            const double savings = hh.savings[h];
            const double from_remittances = p.consume_remittances * received;
            double consumption = p.consume_income * income + from_remittances;
            const double usual = p.consume_income * hh.base_income[h] * growth +
                                 p.consume_remittances * hh.expected_receipts[h];
            if (consumption < usual)
                consumption += std::min(savings, p.smoothing * (usual - consumption));
            const double previous = hh.consumption[h];
            hh.consumption[h] = static_cast<float>(consumption);
            hh.savings[h] = static_cast<float>(std::max(0.0, savings + income + received - consumption));
            hh.expected_receipts[h] += static_cast<float>(p.expectation_rate * (received - hh.expected_receipts[h]));
            const bool migrant = hh.corridor[h] != kNoCorridor;
            (migrant ? t.households_m : t.households_n)[o] += 1;
            (migrant ? t.income_m_cents : t.income_n_cents)[o] += to_cents(income);
            (migrant ? t.consumption_m_cents : t.consumption_n_cents)[o] += to_cents(consumption);
            t.poor[o] += consumption < poverty_line ? 1 : 0;
            if (previous > 0) t.volatility_micro[o] += to_micro(std::abs(consumption - previous) / previous);
            t.remit_consumed_cents[o] += to_cents(from_remittances);
            t.remit_saved_cents[o] += hh.receipts_cents[h] - to_cents(from_remittances);
        }
    });
}

} // namespace bridges::core::phases
