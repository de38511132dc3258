#pragma once
// Shock `fx_shock`: the currency of the listed origins falls against the dollar (or rises, for a
// negative depreciation) while it lasts (docs/model.md 7.1, 7.4).

#include "core/model/param.hpp"

namespace bridges::core::shocks {

struct FxShock {
    static constexpr const char* name = "fx_shock";
    static constexpr bool hits_every_country_by_default = false;

    double depreciation = 0.2;

    template <class V> void fields(V& v) {
        v.number({"depreciation", "share", -1, 0.95, "scenario",
                  "fall of the origin currency against the dollar (negative: appreciation)"},
                 depreciation);
    }

    template <class Effect> void apply(Effect& e) const {
        e.each_country_hit([&](std::size_t, auto& o) {
            // Incomes earned in the currency are worth less in dollars, and a dollar buys more
            // there: what households can buy at home is unchanged.
            o.household_income_factor *= 1.0 - depreciation;
            o.price_shock *= 1.0 - depreciation;
        });
    }
};

} // namespace bridges::core::shocks
