#pragma once
// Shock `origin_conflict`: the listed origins are in crisis; trust falls, household incomes fall,
// investing becomes less likely and senders turn from formal channels (docs/model.md 7.1).

#include "core/model/param.hpp"

namespace bridges::core::shocks {

struct OriginConflict {
    static constexpr const char* name = "origin_conflict";
    static constexpr bool hits_every_country_by_default = false;

    double trust_drop = 0.2;
    double informal_shift = 1.0;
    double income_loss = 0.3;

    template <class V> void fields(V& v) {
        v.number({"trust_drop", "0-1", 0, 1,
                  "scenario: the size of the event, set from the event's own statistics (the world scenarios "
                  "cite theirs); the default is an illustration",
                  "fall of the trust target"},
                 trust_drop);
        v.number({"informal_shift", "logit", 0, 20,
                  "scenario: the size of the event, set from the event's own statistics (the world scenarios "
                  "cite theirs); the default is an illustration",
                  "fall in the log-odds of using formal channels"},
                 informal_shift);
        v.number({"income_loss", "share", 0, 1,
                  "scenario: the size of the event, set from the event's own statistics (the world scenarios "
                  "cite theirs); the default is an illustration",
                  "income lost by every household"},
                 income_loss);
    }

    template <class Effect> void apply(Effect& e) const {
        e.each_country_hit([&](std::size_t, auto& o) {
            o.crisis = true;
            o.trust_target -= trust_drop;
            o.household_income_factor *= 1.0 - income_loss;
            o.invest_shift += e.behaviour.invest.conflict;
        });
        e.every_corridor([&](std::size_t k, auto& cc) {
            if (e.hits(e.world.corridors.origin[k])) cc.formal_shift += informal_shift;
        });
    }
};

} // namespace bridges::core::shocks
