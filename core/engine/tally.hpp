#pragma once
// What the phases of one month add up. Only integers: cents, counts and millionths, so sums are
// exact and independent of how the work was split between threads.

#include "core/engine/metrics.hpp"
#include "core/ledger/ledger.hpp"

#include <cstdint>
#include <vector>

namespace bridges::core {

/// Fixed-point millionths for sums of shares and indices.
inline std::int64_t to_micro(double x) {
    return static_cast<std::int64_t>(x * 1e6 + 0.5);
}

struct Tally {
    Ledger ledger; // per corridor
    // per corridor
    std::vector<std::int64_t> members, senders, employed, earnings_cents;
    // per origin country
    std::vector<std::int64_t> matching_cents, knowledge_pm, bond_demand_cents, knowledge_candidates;
    std::vector<std::int64_t> trust_micro, attachment_micro, awareness_micro, org_members, diaspora;
    std::vector<std::int64_t> households_m, households_n;     // with / without migrants
    std::vector<std::int64_t> income_m_cents, income_n_cents; // household income
    std::vector<std::int64_t> consumption_m_cents, consumption_n_cents;
    std::vector<std::int64_t> poor_m, poor_n;           // households below the line, with / without migrants
    std::vector<std::int64_t> gap_m_micro, gap_n_micro; // their shortfalls, share of the line
    std::vector<std::int64_t> volatility_micro, remit_consumed_cents, remit_saved_cents;
    // losses of origin households (income below usual, assets destroyed) and what answered them
    std::vector<std::int64_t> loss_cents, answered_top_up_cents, answered_relief_cents,
        answered_reconstruction_cents, relief_pool_cents, relief_wanted_cents;
    std::vector<std::int64_t> bond_service_cents; // coupons and principal paid to holders, by issuer
    // per policy: what its programme spent this month, in agent-level cents, booked by the phase
    // that spends it (contacts, subsidies, matches, person-months)
    std::vector<std::int64_t> policy_cost_cents;
    // per years-abroad bin
    std::vector<std::int64_t> years_members, years_sent_cents;

    Tally() = default;
    Tally(std::size_t corridors, std::size_t countries, std::size_t policies)
        : ledger(corridors), members(corridors), senders(corridors), employed(corridors),
          earnings_cents(corridors), matching_cents(countries), knowledge_pm(countries),
          bond_demand_cents(countries), knowledge_candidates(countries), trust_micro(countries),
          attachment_micro(countries), awareness_micro(countries), org_members(countries),
          diaspora(countries), households_m(countries), households_n(countries), income_m_cents(countries),
          income_n_cents(countries), consumption_m_cents(countries), consumption_n_cents(countries),
          poor_m(countries), poor_n(countries), gap_m_micro(countries), gap_n_micro(countries),
          volatility_micro(countries), remit_consumed_cents(countries), remit_saved_cents(countries),
          loss_cents(countries), answered_top_up_cents(countries), answered_relief_cents(countries),
          answered_reconstruction_cents(countries), relief_pool_cents(countries),
          relief_wanted_cents(countries), bond_service_cents(countries), policy_cost_cents(policies),
          years_members(kYearBins), years_sent_cents(kYearBins) {}

    void merge(const Tally& o) {
        ledger.merge(o.ledger);
        for (const auto column : kColumns) {
            auto& a = this->*column;
            const auto& b = o.*column;
            for (std::size_t i = 0; i < a.size(); ++i)
                a[i] += b[i];
        }
    }

  private:
    using Field = std::vector<std::int64_t> Tally::*; // every integer column, merged alike
    static constexpr Field kColumns[] = {&Tally::members,
                                         &Tally::senders,
                                         &Tally::employed,
                                         &Tally::earnings_cents,
                                         &Tally::matching_cents,
                                         &Tally::knowledge_pm,
                                         &Tally::bond_demand_cents,
                                         &Tally::knowledge_candidates,
                                         &Tally::trust_micro,
                                         &Tally::attachment_micro,
                                         &Tally::awareness_micro,
                                         &Tally::org_members,
                                         &Tally::diaspora,
                                         &Tally::households_m,
                                         &Tally::households_n,
                                         &Tally::income_m_cents,
                                         &Tally::income_n_cents,
                                         &Tally::consumption_m_cents,
                                         &Tally::consumption_n_cents,
                                         &Tally::poor_m,
                                         &Tally::poor_n,
                                         &Tally::gap_m_micro,
                                         &Tally::gap_n_micro,
                                         &Tally::volatility_micro,
                                         &Tally::loss_cents,
                                         &Tally::answered_top_up_cents,
                                         &Tally::answered_relief_cents,
                                         &Tally::answered_reconstruction_cents,
                                         &Tally::relief_pool_cents,
                                         &Tally::relief_wanted_cents,
                                         &Tally::bond_service_cents,
                                         &Tally::remit_consumed_cents,
                                         &Tally::remit_saved_cents,
                                         &Tally::policy_cost_cents,
                                         &Tally::years_members,
                                         &Tally::years_sent_cents};
};

} // namespace bridges::core
