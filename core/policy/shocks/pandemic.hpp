#pragma once
// Shock `pandemic`: jobs and earnings fall in the hosts hit, informal channels are disrupted
// where travel stops, and origin households lose income (COVID-19, 2020; docs/model.md 7.1).
// Countries default to all.

#include "core/model/param.hpp"

#include <algorithm>

namespace bridges::core::shocks {

struct Pandemic {
    static constexpr const char* name = "pandemic";
    static constexpr bool hits_every_country_by_default = true;

    double job_loss = 0.02;
    double income_drop = 0.1;
    double informal_disruption = 0.6;
    double income_loss = 0.3;

    template <class V> void fields(V& v) {
        v.number({"job_loss", "1/month", 0, 1, "World Bank (2020), approx.",
                  "extra chance of losing a job in hosts"},
                 job_loss);
        v.number({"income_drop", "share", 0, 1,
                  "scenario: the size of the event, set from the event's own statistics (the world scenarios "
                  "cite theirs); the default is an illustration",
                  "fall in members' earnings"},
                 income_drop);
        v.number({"informal_disruption", "share", 0, 1, "assumption (travel stops)",
                  "share of informal transfers that cannot be made"},
                 informal_disruption);
        v.number({"income_loss", "share", 0, 1,
                  "scenario: the size of the event, set from the event's own statistics (the world scenarios "
                  "cite theirs); the default is an illustration",
                  "income lost by origin households"},
                 income_loss);
    }

    template <class Effect> void apply(Effect& e) const {
        const auto& corridors = e.world.corridors;
        e.every_corridor([&](std::size_t k, auto& cc) {
            const bool host_hit = e.hits(corridors.host[k]);
            if (host_hit)
                e.each_skill_group(k, [&](int, auto& g) {
                    g.earnings_factor *= static_cast<float>(1.0 - income_drop);
                    g.extra_job_loss += static_cast<float>(job_loss);
                });
            if (host_hit || e.hits(corridors.origin[k]))
                cc.informal_disruption = std::max(cc.informal_disruption, informal_disruption);
        });
        e.each_country_hit([&](std::size_t country, auto& o) {
            if (!e.world.countries.is_origin[country]) return;
            o.crisis = true;
            o.household_income_factor *= 1.0 - income_loss;
        });
    }
};

} // namespace bridges::core::shocks
