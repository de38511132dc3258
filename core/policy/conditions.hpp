#pragma once
// The conditions of one month: what every active lever and shock means for each corridor, skill
// group and country. The environment phase compiles them; the behaviours only read them.

#include "core/world/world.hpp"

#include <cstdint>
#include <vector>

namespace bridges::core {

inline constexpr std::int32_t kNoPayer = -1;

/// Per corridor and skill group (index corridor * 3 + skill).
struct GroupConditions {
    float earnings_factor = 1;                       // recession, pandemic, skills recognition, growth
    float extra_job_loss = 0;                        // added monthly chance of losing a job
    float separation_factor = 1, finding_factor = 1; // the host's labour market against the start
    float outreach_reach = 0;                        // chance of a contact this month
    float outreach_awareness = 0, outreach_trust = 0, outreach_attachment = 0;
    std::int32_t outreach_policy = kNoPayer;
    std::int64_t outreach_contact_cents = 0; // what outreach_policy pays per contact
    std::uint8_t bond_eligible = 0;
    std::uint8_t knowledge_eligible = 0;
};

struct CorridorConditions {
    double cost_formal = 0; // after caps
    double cap_subsidy = 0; // share of the amount the state pays providers
    std::int32_t cap_policy = kNoPayer;
    double cost_informal = 0, informal_loss = 0;
    double informal_disruption = 0; // share of informal transfers that cannot be made
    double inclusion = 0;           // origin inclusion plus access levers
    double formal_shift = 0;        // logit shift against formal (conflict)
    // Members follow the corridor's stock: present members leave, and empty places fill, with
    // these monthly chances (zero where the stock is constant).
    double leave = 0, arrive = 0;
};

struct OriginConditions {
    double household_income_factor = 1; // growth, conflict, pandemic, exchange rate
    double price_shock = 1;             // shocks' factor on the dollar price of the origin's goods
    bool crisis = false;                // disaster, conflict or pandemic under way
    bool reconstruction = false;        // months after a disaster ended
    // A disaster starting this month.
    bool disaster_onset = false;
    double disaster_hit = 0, disaster_income_loss = 0, disaster_asset_loss = 0;
    std::int64_t disaster_months = 0;
    double invest_shift = 0; // conflict, reconstruction, incentives (logit)
    double invest_subsidy = 0;
    std::int32_t invest_policy = kNoPayer;
    double trust_target = 0.5;
    double erosion_factor = 1; // multiplies attachment erosion
    double matching_ratio = 0;
    double matching_cap_usd = 0; // most matching_policy pays in a calendar year (persons)
    std::int32_t matching_policy = kNoPayer;
    std::int32_t bond_policy = kNoPayer; // an open bond window
    double bond_coupon = 0, bond_min_ticket = 0, bond_marketing = 0;
    double bond_size_usd = 0;      // offered by bond_policy (persons)
    double knowledge_capacity = 0; // agent person-months this month
    std::int32_t knowledge_policy = kNoPayer;
    std::int64_t knowledge_pm_cents = 0; // what knowledge_policy pays per agent person-month
    double contribution_gain = 0, join_gain = 0;
};

struct MonthConditions {
    std::vector<GroupConditions> group; // corridors * 3
    std::vector<CorridorConditions> corridor;
    std::vector<OriginConditions> origin; // by country index
    [[nodiscard]] const GroupConditions& of(std::uint16_t k, std::uint8_t skill) const {
        return group[static_cast<std::size_t>(k) * kSkills + skill];
    }
};

} // namespace bridges::core
