#pragma once
// The individual remittance decision of one member, apart from storage so that micro-world tests
// can check it by hand.

#include "core/base/random.hpp"
#include "core/ledger/ledger.hpp"
#include "core/model/scenario.hpp"
#include "core/world/world.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

namespace bridges::core {

/// What one member knows when deciding (money in USD per month, shares in [0, 1]).
struct RemitterView {
    double attachment = 0.5, trust = 0.5;
    bool employed = true;
    double income = 0, savings = 0, years = 0;
    double usual_income = 0;            // earnings without shocks; 0: take `income`
    double income_response = 1;         // (income / usual_income) ^ behaviour.remit.income_elasticity
    double years_factor = -1;           // years_multiplier(years) if already known, else < 0
    double amount_factor = 1;           // the corridor's amount_factors entry
    double means = 1;                   // the corridor's propensity: it scales the income paid from too
    double need = 0;                    // household shortfall below the poverty line, share
    double household_loss_share = 0;    // the household's loss to answer this month over its migrants, USD
    double household_loss_fraction = 0; // the household's fall of income over its usual income
    double cost_formal = 0, cost_informal = 0, informal_loss = 0, informal_disruption = 0;
    double inclusion = 0.5, formal_shift = 0;
    double price_response = 1; // (dollar price of the origin's goods) ^ behaviour.remit.price_elasticity
    std::uint8_t channel = kNoChannel; // the channel it used last (kNoChannel: none yet)
};

/// One transfer in cents; paid == 0 means nothing was sent. `top_up` is the part of `paid` that
/// answers the household's loss (the rest is the regular transfer).
struct Transfer {
    Channel channel = Channel::formal;
    std::int64_t paid = 0, fees = 0, losses = 0, received = 0, top_up = 0;
    /// The part of `received` that answers the household's loss: the top-up's share of it.
    [[nodiscard]] std::int64_t top_up_received() const {
        return paid > 0 ? static_cast<std::int64_t>(static_cast<double>(top_up) *
                                                    static_cast<double>(received) / static_cast<double>(paid))
                        : 0;
    }
};

/// The inverted U of amounts over years abroad: floor + amplitude * x * e^(1-x), x = years/peak.
double years_multiplier(const RemitSpec& p, double years);

/// (current / usual earnings) ^ income_elasticity.
double income_response(const RemitSpec& p, double ratio);

/// Per corridor: propensity * (host GDP per capita / reference_income_usd) ^ (host_income_elasticity
/// - 1), exactly 1 with the defaults.
std::vector<double> amount_factors(const Scenario& s, const World& w);

/// Uses d[0] (send), d[1] (channel), d[2] (disruption), d[3] (switch). Inline, and with every
/// choice a selection rather than an early return, so that the busiest loop of the model can be
/// scheduled across members (about 15% faster than an out-of-line call on 2 threads).
inline Transfer decide_remittance(const RemitSpec& p, const RemitterView& v, const Draws& d) {
    const double z = p.intercept + p.attachment * (v.attachment - 0.5) + p.need * v.need +
                     (v.employed ? 0.0 : p.unemployed) + p.cost * v.cost_formal;
    const double earnings_term = v.usual_income > 0 ? v.usual_income * v.income_response : v.income;
    const double years = v.years_factor >= 0 ? v.years_factor : years_multiplier(p, v.years);
    const double wanted = p.amount_share * earnings_term * years * v.price_response * v.amount_factor;
    const double regular = d[0] < logistic(z) ? wanted : 0.0;
    // What the member can pay: a share of income and savings, and never more than it has. The
    // corridor's propensity stands for earnings the model does not represent (several earners, pay
    // across a border, recording practice): it scales the income paid from as it scales the wish.
    const double income = v.income * v.means;
    const double affordable = std::min(p.affordable_income * income + p.affordable_savings * v.savings,
                                       p.paid_from_income * income + v.savings);
    // The regular transfer first; a top-up from what is left, and for a member without a job only
    // from its savings (its income is what it lives on): without savings it sends none.
    const double regular_paid = std::min(regular, affordable);
    const double spare = v.employed ? affordable : std::min(affordable, p.affordable_savings * v.savings);
    // Risk sharing: the top-up answers the household's fall in so far as it exceeds the migrant's
    // own (both as shares of usual income); a shock that hits both alike is not insured.
    const double own_loss = v.usual_income > 0 ? std::max(0.0, 1.0 - v.income / v.usual_income) : 0.0;
    const double uninsured =
        v.household_loss_fraction > 0
            ? std::max(0.0, 1.0 - p.insurance_own_loss * own_loss / v.household_loss_fraction)
            : 1.0;
    const double top_up = std::min({p.insurance_replacement * v.household_loss_share * uninsured,
                                    std::max(0.0, affordable - regular_paid), spare});
    const double informal_total = v.cost_informal + v.informal_loss;
    const double zf = p.formal_intercept + p.formal_cost * (v.cost_formal - informal_total) +
                      p.formal_access * (v.inclusion - 0.5) + p.formal_trust * (v.trust - 0.5) -
                      v.formal_shift;
    // Habit: a sender keeps its channel and reconsiders it with chance channel_review a month (d[1]
    // below it, then uniform over the review); one without a channel yet chooses now.
    const bool fresh = v.channel == kNoChannel;
    const bool review = fresh || d[1] < p.channel_review;
    const double u = fresh ? d[1] : d[1] / std::max(p.channel_review, 1e-300);
    const bool chose_formal = review ? u < logistic(zf) : v.channel == 0;
    const bool blocked = !chose_formal && d[2] < v.informal_disruption;
    const bool switched = blocked && d[3] < p.disruption_switch;
    const bool formal = chose_formal || switched;
    const double amount = blocked && !switched ? 0.0 : regular_paid + top_up;
    Transfer t;
    t.channel = formal ? Channel::formal : Channel::informal;
    t.paid = to_cents(std::max(0.0, amount));
    t.fees = std::min(t.paid, to_cents(std::max(0.0, amount) * (formal ? v.cost_formal : v.cost_informal)));
    t.losses = to_cents(std::max(0.0, amount) * (formal ? 0.0 : v.informal_loss));
    t.losses = std::min(t.losses, t.paid - t.fees); // fees and losses never exceed the amount
    t.received = t.paid - t.fees - t.losses;
    t.top_up = blocked && !switched ? 0 : std::min(t.paid, to_cents(top_up));
    return t;
}

} // namespace bridges::core
