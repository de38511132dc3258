#pragma once
// The compiled world: country and corridor tables, column stores for members, households and
// communities, and the social graph. Built once from a Scenario; the engine mutates the columns.
//
// Layout (see docs/model.md, section 2): communities own contiguous households, households own contiguous
// members. Every per-household or per-community sum is therefore a gather over a contiguous
// range, and a parallel task over whole communities never writes what another task reads.

#include "core/model/scenario.hpp"
#include "core/world/column.hpp"
#include "core/world/social_graph.hpp"

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

namespace bridges::core {

inline constexpr std::uint16_t kNoCorridor = 0xFFFF;

/// Countries and corridors are held as 16-bit ids in the agent columns (kNoCorridor is kept for
/// households without migrants): the most a world can have of each.
inline constexpr std::size_t kMaxCountries = std::size_t{std::numeric_limits<std::uint16_t>::max()} + 1;
inline constexpr std::size_t kMaxCorridors = kNoCorridor;

enum class Skill : std::uint8_t { low = 0, mid = 1, high = 2 };
inline constexpr int kSkills = 3;

struct CountryTable {
    std::vector<std::string> code, name;
    std::vector<double> gdp_per_capita_usd, growth, financial_inclusion, governance;
    std::vector<double> household_size;
    std::vector<double> poverty_line_usd_month; // per household
    std::vector<std::uint8_t> is_origin, is_host;
    [[nodiscard]] std::size_t size() const { return code.size(); }
    [[nodiscard]] int find(const std::string& iso3) const;
};

struct CorridorTable {
    std::vector<std::uint16_t> origin, host;
    std::vector<double> stock, cost_formal, cost_informal, informal_loss;
    std::vector<std::uint32_t> members; // agents
    [[nodiscard]] std::size_t size() const { return origin.size(); }
};

/// Members: 41 bytes each plus their social links.
struct MemberColumns {
    Column<std::uint8_t> skill;    // Skill
    Column<std::uint8_t> employed; // 0/1
    Column<std::uint8_t> in_org;   // 0/1: member of the community's association
    Column<std::uint16_t> months_abroad;
    Column<float> earnings;                                    // USD/month when employed, before shocks
    Column<float> income;                                      // USD/month this month
    Column<float> savings;                                     // USD
    Column<float> attachment, trust, awareness;                // 0-1
    Column<float> attachment_next, trust_next, awareness_next; // diffusion buffers
    [[nodiscard]] std::size_t size() const { return skill.size(); }
    void resize(std::size_t n);
};

/// Origin households, with or without migrants: 31 bytes each.
struct HouseholdColumns {
    Column<std::uint16_t> corridor;      // kNoCorridor for households without migrants
    Column<std::uint32_t> first_member;  // members [first_member[h], first_member[h+1])
    Column<std::uint8_t> hit_months;     // months of disaster loss remaining
    Column<float> base_income;           // USD/month without shocks, at start prices
    Column<float> income;                // USD/month this month
    Column<float> savings;               // USD
    Column<float> consumption;           // USD/month
    Column<float> expected_receipts;     // USD/month
    Column<std::int32_t> receipts_cents; // remittances received this month
    [[nodiscard]] std::size_t size() const { return corridor.size(); }
    [[nodiscard]] std::uint32_t members_end(std::size_t h) const { return first_member[h + 1]; }
    void resize(std::size_t n);
};

/// The longest disaster a household can be counted as hit for (hit_months is one byte).
inline constexpr std::int64_t kMaxDisasterMonths =
    std::numeric_limits<decltype(HouseholdColumns::hit_months)::value_type>::max();

struct CommunityColumns {
    Column<std::uint16_t> origin;
    Column<std::uint32_t> first_household; // households [first_household[c], [c+1])
    Column<double> development_usd;        // agent-level USD (multiply by scale)
    Column<double> human_capital;          // index
    [[nodiscard]] std::size_t size() const { return origin.size(); }
};

struct World {
    double scale = 1;
    CountryTable countries;
    CorridorTable corridors;
    CommunityColumns communities;
    HouseholdColumns households; // first_member has size()+1 entries
    MemberColumns members;
    SocialGraph social;

    /// Bytes held by the agent columns and the graph.
    [[nodiscard]] std::size_t bytes() const;

    /// Every column of members, households and communities and the social graph, named, in a
    /// fixed order (the diffusion buffers are left out: each month rewrites them before reading).
    std::vector<StateBlock> state_blocks();
};

/// The least memory traffic of one member-month, in bytes per member, from the data layout: every
/// member column read once and every column a month changes written once, the household columns
/// likewise (in bytes per member), and the social graph's offsets and arc indices. Neighbours'
/// attitudes are not counted again: neighbours lie mostly in the member's own community, whose
/// columns are read in the same pass. bench/README.md explains how the roofline uses it.
struct Traffic {
    double member_read = 0, member_written = 0, household_read = 0, household_written = 0, graph = 0;
    [[nodiscard]] double total() const {
        return member_read + member_written + household_read + household_written + graph;
    }
};
Traffic minimum_traffic(const World& w);

/// Builds the world; deterministic for a given scenario (seed included), whatever the threads.
/// Expects a validated scenario (references resolved); throws std::invalid_argument otherwise.
World build_world(const Scenario& scenario);

/// Agents on a corridor: round(stock / scale).
std::uint32_t corridor_agents(double stock, double scale);

/// Estimated bytes for a scenario before building it.
std::size_t estimate_world_bytes(const Scenario& scenario);

} // namespace bridges::core
