#pragma once
// Shock `origin_disaster`: at its onset a share of the households of the listed origins is hit,
// losing savings at once and income for the shock's months; the origin is in crisis while it
// lasts and in reconstruction for a while after (docs/model.md 7.1, 7.2, 7.8).

#include "core/model/param.hpp"

namespace bridges::core::shocks {

struct OriginDisaster {
    static constexpr const char* name = "origin_disaster";
    static constexpr bool hits_every_country_by_default = false;

    double households_hit = 0.3;
    double income_loss = 0.3;
    double asset_loss = 0.3;

    template <class V> void fields(V& v) {
        v.number({"households_hit", "share", 0, 1, "EM-DAT (approx.)", "share of households hit"},
                 households_hit);
        v.number({"income_loss", "share", 0, 1,
                  "scenario: the size of the event, set from the event's own statistics (the world scenarios "
                  "cite theirs); the default is an illustration",
                  "income lost by a hit household"},
                 income_loss);
        v.number({"asset_loss", "share", 0, 1,
                  "scenario: the size of the event, set from the event's own statistics (the world scenarios "
                  "cite theirs); the default is an illustration",
                  "savings lost by a hit household"},
                 asset_loss);
    }

    template <class Effect> void apply(Effect& e) const {
        e.each_country_hit([&](std::size_t, auto& o) {
            o.crisis = true;
            if (e.month != e.shock.from) return;
            o.disaster_onset = true;
            o.disaster_hit = households_hit;
            o.disaster_income_loss = income_loss;
            o.disaster_asset_loss = asset_loss;
            o.disaster_months = e.shock.months;
        });
    }

    /// The months after the disaster: reconstruction for behaviour.crisis.reconstruction_months.
    template <class Effect> void aftermath(Effect& e) const {
        const auto recon = static_cast<std::int32_t>(e.behaviour.crisis.reconstruction_months);
        if (e.month > e.shock.to && e.month <= e.shock.to + recon)
            e.each_country_hit([](std::size_t, auto& o) { o.reconstruction = true; });
    }
};

} // namespace bridges::core::shocks
