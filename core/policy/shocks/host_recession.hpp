#pragma once
// Shock `host_recession`: in the listed hosts migrants' earnings fall and jobs are lost, more so
// for the less skilled (docs/model.md 7.1, 7.2).

#include "core/model/param.hpp"

#include <algorithm>

namespace bridges::core::shocks {

struct HostRecession {
    static constexpr const char* name = "host_recession";
    static constexpr bool hits_every_country_by_default = false;

    double income_drop = 0.1;
    double job_loss = 0.02;
    double sensitivity_low = 1.5;
    double sensitivity_mid = 1.0;
    double sensitivity_high = 0.5;

    template <class V> void fields(V& v) {
        v.number({"income_drop", "share", 0, 1, "assumption (2009: ~5-10%)",
                  "fall in members' earnings at unit sensitivity"},
                 income_drop);
        v.number({"job_loss", "1/month", 0, 1,
                  "scenario: the size of the event, set from the event's own statistics (the world scenarios "
                  "cite theirs); the default is an illustration",
                  "extra chance of losing a job at unit sensitivity"},
                 job_loss);
        v.number({"sensitivity_low", "ratio", 0, 10, "Orrenius & Zavodny (2009), approx.",
                  "exposure of low-skill members"},
                 sensitivity_low);
        v.number({"sensitivity_mid", "ratio", 0, 10,
                  "scenario: the size of the event, set from the event's own statistics (the world scenarios "
                  "cite theirs); the default is an illustration",
                  "exposure of mid-skill members"},
                 sensitivity_mid);
        v.number({"sensitivity_high", "ratio", 0, 10,
                  "scenario: the size of the event, set from the event's own statistics (the world scenarios "
                  "cite theirs); the default is an illustration",
                  "exposure of high-skill members"},
                 sensitivity_high);
    }

    template <class Effect> void apply(Effect& e) const {
        const double sens[] = {sensitivity_low, sensitivity_mid, sensitivity_high};
        e.every_corridor([&](std::size_t k, auto&) {
            if (!e.hits(e.world.corridors.host[k])) return;
            e.each_skill_group(k, [&](int skill, auto& g) {
                g.earnings_factor *= static_cast<float>(std::max(0.0, 1.0 - income_drop * sens[skill]));
                g.extra_job_loss += static_cast<float>(job_loss * sens[skill]);
            });
        });
    }
};

} // namespace bridges::core::shocks
