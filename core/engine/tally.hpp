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
    std::vector<std::int64_t> poor, volatility_micro, remit_consumed_cents, remit_saved_cents;
    // per policy: contacts, subsidy cents, person-months ... (see each lever)
    std::vector<std::int64_t> policy_units;
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
          poor(countries), volatility_micro(countries), remit_consumed_cents(countries),
          remit_saved_cents(countries), policy_units(policies), years_members(kYearBins),
          years_sent_cents(kYearBins) {}

    void merge(const Tally& o) {
        ledger.merge(o.ledger);
        for (auto [a, b] : columns(o))
            for (std::size_t i = 0; i < a->size(); ++i)
                (*a)[i] += (*b)[i];
    }

  private:
    std::vector<std::pair<std::vector<std::int64_t>*, const std::vector<std::int64_t>*>>
    columns(const Tally& o) {
        return {{&members, &o.members},
                {&senders, &o.senders},
                {&employed, &o.employed},
                {&earnings_cents, &o.earnings_cents},
                {&matching_cents, &o.matching_cents},
                {&knowledge_pm, &o.knowledge_pm},
                {&bond_demand_cents, &o.bond_demand_cents},
                {&knowledge_candidates, &o.knowledge_candidates},
                {&trust_micro, &o.trust_micro},
                {&attachment_micro, &o.attachment_micro},
                {&awareness_micro, &o.awareness_micro},
                {&org_members, &o.org_members},
                {&diaspora, &o.diaspora},
                {&households_m, &o.households_m},
                {&households_n, &o.households_n},
                {&income_m_cents, &o.income_m_cents},
                {&income_n_cents, &o.income_n_cents},
                {&consumption_m_cents, &o.consumption_m_cents},
                {&consumption_n_cents, &o.consumption_n_cents},
                {&poor, &o.poor},
                {&volatility_micro, &o.volatility_micro},
                {&remit_consumed_cents, &o.remit_consumed_cents},
                {&remit_saved_cents, &o.remit_saved_cents},
                {&policy_units, &o.policy_units},
                {&years_members, &o.years_members},
                {&years_sent_cents, &o.years_sent_cents}};
    }
};

} // namespace bridges::core
