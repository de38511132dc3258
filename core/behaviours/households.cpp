// Phase 10: origin households. Consumption is a share of own income plus a share of the
// remittances received (IFAD: about 75% consumed); a household whose consumption would fall
// below its usual level covers part of the gap from savings (buffer stock); the rest is saved.
// Poverty is consumption below the country's fixed line (international dollars at its prices,
// which move with its exchange rate and inflation).
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
        const double poverty_line = poverty_line_usd(ctx, o); // fixed in international dollars
        // One origin per community: sum locally, post once.
        std::int64_t count[2] = {0, 0}, income_c[2] = {0, 0}, cons_c[2] = {0, 0};
        std::int64_t poor[2] = {0, 0}, gap[2] = {0, 0}, volatility = 0, consumed = 0, saved = 0;
        for (auto h = w.communities.first_household[c]; h < w.communities.first_household[c + 1]; ++h) {
            const double income = hh.income[h];
            const double received = hh.receipts_cents[h] / 100.0;
            const double savings = hh.savings[h];
            const double from_remittances = p.consume_remittances * received;
            double consumption = p.consume_income * income + from_remittances;
            const double usual =
                p.consume_income * usual_income(ctx, c, h) + p.consume_remittances * hh.expected_receipts[h];
            if (consumption < usual) consumption += std::min(savings, p.smoothing * (usual - consumption));
            const double previous = hh.consumption[h];
            hh.consumption[h] = static_cast<float>(consumption);
            hh.savings[h] = static_cast<float>(std::max(0.0, savings + income + received - consumption));
            hh.expected_receipts[h] +=
                static_cast<float>(p.expectation_rate * (received - hh.expected_receipts[h]));
            const int migrant = hh.corridor[h] != kNoCorridor ? 1 : 0;
            count[migrant] += 1;
            income_c[migrant] += to_cents(income);
            cons_c[migrant] += to_cents(consumption);
            if (consumption < poverty_line) {
                poor[migrant] += 1;
                gap[migrant] += to_micro(1.0 - consumption / poverty_line);
            }
            if (previous > 0) volatility += to_micro(std::abs(consumption - previous) / previous);
            const std::int64_t eaten = to_cents(from_remittances);
            consumed += eaten;
            saved += hh.receipts_cents[h] - eaten;
        }
        t.households_m[o] += count[1];
        t.households_n[o] += count[0];
        t.income_m_cents[o] += income_c[1];
        t.income_n_cents[o] += income_c[0];
        t.consumption_m_cents[o] += cons_c[1];
        t.consumption_n_cents[o] += cons_c[0];
        t.poor_m[o] += poor[1];
        t.poor_n[o] += poor[0];
        t.gap_m_micro[o] += gap[1];
        t.gap_n_micro[o] += gap[0];
        t.volatility_micro[o] += volatility;
        t.remit_consumed_cents[o] += consumed;
        t.remit_saved_cents[o] += saved;
    });
}

} // namespace bridges::core::phases
