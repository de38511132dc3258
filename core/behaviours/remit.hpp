#pragma once
// The individual remittance decision of one member, apart from storage so that micro-world tests
// can check it by hand.

#include "core/engine/random.hpp"
#include "core/ledger/ledger.hpp"
#include "core/model/scenario.hpp"

#include <cstdint>

namespace bridges::core {

/// What one member knows when deciding (money in USD per month, shares in [0, 1]).
struct RemitterView {
    double attachment = 0.5, trust = 0.5;
    bool employed = true;
    double income = 0, savings = 0, years = 0;
    double usual_income = 0;         // earnings without shocks; 0: take `income`
    double income_response = 1;      // (income / usual_income) ^ behaviour.remit.income_elasticity
    double years_factor = -1;        // years_multiplier(years) if already known, else < 0
    double need = 0;                 // household shortfall below the poverty line, share
    double household_loss_share = 0; // the household's income loss divided by its migrants, USD
    double cost_formal = 0, cost_informal = 0, informal_loss = 0, informal_disruption = 0;
    double inclusion = 0.5, formal_shift = 0, depreciation = 0;
};

/// One transfer in cents; paid == 0 means nothing was sent.
struct Transfer {
    Channel channel = Channel::formal;
    std::int64_t paid = 0, fees = 0, losses = 0, received = 0;
};

/// The inverted U of amounts over years abroad: floor + amplitude * x * e^(1-x), x = years/peak.
double years_multiplier(const RemitSpec& p, double years);

/// (current / usual earnings) ^ income_elasticity.
double income_response(const RemitSpec& p, double ratio);

/// Uses d[0] (send), d[1] (channel), d[2] (disruption), d[3] (switch).
Transfer decide_remittance(const RemitSpec& p, const RemitterView& v, const Draws& d);

} // namespace bridges::core
