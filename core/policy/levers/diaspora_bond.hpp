#pragma once
// Lever `diaspora_bond` (enable): the origin state offers a bond to its diaspora while the window
// from `from` to `to` is open (Nigeria 2017; docs/model.md 7.1, 7.6). The proceeds fund the
// origin's public projects (its communities' development stock); the state pays the holders a
// coupon every month of the tenor from the first month of the window, and the principal in the
// month after it. Cost: the coupons on what was sold.

#include "core/model/param.hpp"
#include "core/policy/kind_traits.hpp"

#include <algorithm>
#include <cstdint>

namespace bridges::core::levers {

struct DiasporaBond {
    static constexpr const char* name = "diaspora_bond";
    static constexpr DefaultReach reach_default = DefaultReach::own_diaspora;
    static constexpr std::uint8_t skills_default = kEverySkill;
    static constexpr bool applied_by_origin = true;

    double size_usd = 300e6;
    double coupon = 0.05625;
    std::int64_t tenor_months = 60;
    double min_ticket_usd = 1000;
    double marketing = 0.3;

    template <class V> void fields(V& v) {
        v.number({"size_usd", "USD", 1, 1e13, "Nigeria 2017: 300 M", "amount offered"}, size_usd);
        v.number({"coupon", "1/year", 0, 1, "Nigeria 2017: 5.625%", "annual coupon rate"}, coupon);
        v.integer({"tenor_months", "months", 1, 1200, "Nigeria 2017: 60", "maturity"}, tenor_months);
        v.number({"min_ticket_usd", "USD", 0, 1e9, "Nigeria 2017: 1000", "smallest subscription"},
                 min_ticket_usd);
        v.number({"marketing", "0-1", 0, 1,
                  "assumption: a lever's default size; no evaluation of such programmes with this quantity "
                  "found, so a scenario sets it from the programme it represents",
                  "pull of awareness in the targeted diaspora each month the window is open"},
                 marketing);
    }

    /// The window stays open until 'to' even when sold out: later subscriptions are recorded as
    /// demand (oversubscription) and allotted nothing.
    template <class Effect> void apply(Effect& e) const {
        auto& o = e.origin();
        o.bond_policy = e.index;
        o.bond_coupon = coupon;
        o.bond_min_ticket = min_ticket_usd;
        o.bond_marketing = std::min(1.0, marketing * e.strength);
        o.bond_size_usd = size_usd;
        e.each_group([](auto& g) { g.bond_eligible = 1; });
    }

    /// Coupons owed this month on `sold_usd` (persons-weighted), whether or not the window is
    /// still open: every month of the tenor counted from the window's first month.
    [[nodiscard]] double obligation_usd(std::int32_t month, std::int32_t from, double sold_usd) const {
        return month >= from && month < from + tenor_months ? sold_usd * coupon / 12.0 : 0.0;
    }

    /// The principal repaid this month: all that was sold, in the month after the tenor.
    [[nodiscard]] double repayment_usd(std::int32_t month, std::int32_t from, double sold_usd) const {
        return month == from + tenor_months ? sold_usd : 0.0;
    }
};

} // namespace bridges::core::levers
