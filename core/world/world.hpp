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
#include <type_traits>
#include <vector>

namespace bridges::core {

inline constexpr std::uint16_t kNoCorridor = 0xFFFF;

/// Countries and corridors are held as 16-bit ids in the agent columns (kNoCorridor is kept for
/// households without migrants): the most a world can have of each.
inline constexpr std::size_t kMaxCountries = std::size_t{std::numeric_limits<std::uint16_t>::max()} + 1;
inline constexpr std::size_t kMaxCorridors = kNoCorridor;

enum class Skill : std::uint8_t { low = 0, mid = 1, high = 2 };

/// A member's channel (MemberColumns::channel): 0 formal, 1 informal, kNoChannel none yet.
inline constexpr std::uint8_t kNoChannel = 2;
inline constexpr int kSkills = 3;

struct CountryTable {
    std::vector<std::string> code, name;
    std::vector<double> gdp_per_capita_usd, growth, financial_inclusion, governance;
    std::vector<double> household_size, population;
    std::vector<double> poverty_line_usd_month; // per household, market US$, fixed over the run
    std::vector<double> income_sigma;           // log-normal spread of household incomes (origins)
    // Real households an agent household stands for, with and without migrants (origins): the
    // households without a migrant stand for the rest of the country's population.
    std::vector<double> household_weight_migrant, household_weight_non_migrant;
    std::vector<std::uint8_t> is_origin, is_host;
    [[nodiscard]] std::size_t size() const { return code.size(); }
    [[nodiscard]] int find(const std::string& iso3) const;
};

struct CorridorTable {
    std::vector<std::uint16_t> origin, host;
    std::vector<double> stock, cost_formal, cost_informal, informal_loss; // stock at the start
    std::vector<std::uint32_t> members; // places for agents: the most the corridor holds over the run
    [[nodiscard]] std::size_t size() const { return origin.size(); }
};

/// What a column holds from one month to the next: `state` is carried (and checkpointed);
/// `scratch` is rewritten each month before it is read (never checkpointed).
enum class Life : std::uint8_t { state, scratch };

/// What a month does to a column, for the least memory traffic (minimum_traffic).
enum Access : std::uint8_t { kUntouched = 0, kRead = 1, kWritten = 2, kReadWritten = 3 };

/// One column as the column lists below describe it. `offsets` columns hold one entry more than
/// the entities (the first index of each entity's range, then the end).
struct ColumnInfo {
    const char* name;
    Life life;
    std::uint8_t access;
    bool offsets = false;
};

/// Every column of an entity, listed once by `columns_of(cols, fn)`, which calls
/// fn(ColumnInfo, column) in a fixed order; resize, byte counts, the memory estimate, checkpoint
/// blocks, the end-of-month finite check and the least memory traffic all follow the list.
template <class Derived> struct ColumnSet {
    template <class Fn> void each_column(Fn&& fn) { Derived::columns_of(static_cast<Derived&>(*this), fn); }
    template <class Fn> void each_column(Fn&& fn) const {
        Derived::columns_of(static_cast<const Derived&>(*this), fn);
    }
    /// Makes every column hold n entities (offsets columns n + 1).
    void resize(std::size_t n) {
        each_column([n](const ColumnInfo& c, auto& col) { col.resize(c.offsets ? n + 1 : n); });
    }
    /// Bytes of one entity's row over the columns for which keep(ColumnInfo) holds.
    template <class Keep> [[nodiscard]] static std::size_t row_bytes_where(Keep&& keep) {
        std::size_t bytes = 0;
        Derived{}.each_column([&](const ColumnInfo& c, const auto& col) {
            if (keep(c)) bytes += sizeof(typename std::decay_t<decltype(col)>::value_type);
        });
        return bytes;
    }
    /// Bytes of one entity's row over every column.
    [[nodiscard]] static std::size_t row_bytes() {
        return row_bytes_where([](const ColumnInfo&) { return true; });
    }
};

/// Members, plus their social links.
struct MemberColumns : ColumnSet<MemberColumns> {
    Column<std::uint8_t> skill;    // Skill
    Column<std::uint8_t> employed; // 0/1
    Column<std::uint8_t> in_org;   // 0/1: member of the community's association
    Column<std::uint8_t> present;  // 0/1: abroad this month (a corridor's places follow its stock)
    Column<std::uint8_t> channel;  // channel used last: 0 formal, 1 informal, kNoChannel none yet
    Column<std::uint16_t> months_abroad;
    Column<float> earnings;                                    // USD/month when employed, before shocks
    Column<float> income;                                      // USD/month this month
    Column<float> savings;                                     // USD
    Column<float> bond_usd;                                    // the origin's bonds held (principal)
    Column<float> attachment, trust, awareness;                // 0-1
    Column<float> attachment_next, trust_next, awareness_next; // diffusion buffers
    [[nodiscard]] std::size_t size() const { return skill.size(); }

    template <class Self, class Fn> static void columns_of(Self& m, Fn&& fn) {
        fn(ColumnInfo{"skill", Life::state, kRead}, m.skill);
        fn(ColumnInfo{"employed", Life::state, kReadWritten}, m.employed);
        fn(ColumnInfo{"in_org", Life::state, kReadWritten}, m.in_org);
        fn(ColumnInfo{"present", Life::state, kRead}, m.present);
        fn(ColumnInfo{"channel", Life::state, kReadWritten}, m.channel);
        fn(ColumnInfo{"months_abroad", Life::state, kReadWritten}, m.months_abroad);
        fn(ColumnInfo{"earnings", Life::state, kRead}, m.earnings);
        fn(ColumnInfo{"income", Life::state, kReadWritten}, m.income);
        fn(ColumnInfo{"savings", Life::state, kReadWritten}, m.savings);
        // Touched only in months with a diaspora bond on sale or outstanding.
        fn(ColumnInfo{"bond_usd", Life::state, kUntouched}, m.bond_usd);
        fn(ColumnInfo{"attachment", Life::state, kRead}, m.attachment);
        fn(ColumnInfo{"trust", Life::state, kRead}, m.trust);
        fn(ColumnInfo{"awareness", Life::state, kRead}, m.awareness);
        fn(ColumnInfo{"attachment_next", Life::scratch, kWritten}, m.attachment_next);
        fn(ColumnInfo{"trust_next", Life::scratch, kWritten}, m.trust_next);
        fn(ColumnInfo{"awareness_next", Life::scratch, kWritten}, m.awareness_next);
    }
};

/// Origin households, with or without migrants.
struct HouseholdColumns : ColumnSet<HouseholdColumns> {
    Column<std::uint16_t> corridor;      // kNoCorridor for households without migrants
    Column<std::uint32_t> first_member;  // members [first_member[h], first_member[h+1])
    Column<std::uint8_t> hit_months;     // months of disaster loss remaining
    Column<float> base_income;           // USD/month without shocks, at start prices
    Column<float> income;                // USD/month this month
    Column<float> savings;               // USD
    Column<float> consumption;           // USD/month
    Column<float> expected_receipts;     // USD/month
    Column<float> unanswered_usd;        // loss not yet answered by top-ups, relief or reconstruction
    Column<float> invested_usd;          // its migrants' investment at origin, net of depreciation
    Column<std::int32_t> receipts_cents; // remittances received this month
    [[nodiscard]] std::size_t size() const { return corridor.size(); }
    [[nodiscard]] std::uint32_t members_end(std::size_t h) const { return first_member[h + 1]; }

    template <class Self, class Fn> static void columns_of(Self& h, Fn&& fn) {
        fn(ColumnInfo{"corridor", Life::state, kRead}, h.corridor);
        fn(ColumnInfo{"first_member", Life::state, kRead, true}, h.first_member);
        fn(ColumnInfo{"hit_months", Life::state, kReadWritten}, h.hit_months);
        fn(ColumnInfo{"base_income", Life::state, kRead}, h.base_income);
        fn(ColumnInfo{"income", Life::state, kWritten}, h.income);
        fn(ColumnInfo{"savings", Life::state, kReadWritten}, h.savings);
        fn(ColumnInfo{"consumption", Life::state, kWritten}, h.consumption);
        fn(ColumnInfo{"expected_receipts", Life::state, kReadWritten}, h.expected_receipts);
        fn(ColumnInfo{"unanswered_usd", Life::state, kReadWritten}, h.unanswered_usd);
        fn(ColumnInfo{"invested_usd", Life::state, kReadWritten}, h.invested_usd);
        fn(ColumnInfo{"receipts_cents", Life::state, kReadWritten}, h.receipts_cents);
    }
};

/// The longest disaster a household can be counted as hit for (hit_months is one byte).
inline constexpr std::int64_t kMaxDisasterMonths =
    std::numeric_limits<decltype(HouseholdColumns::hit_months)::value_type>::max();

struct CommunityColumns : ColumnSet<CommunityColumns> {
    Column<std::uint16_t> origin;
    Column<std::uint32_t> first_household; // households [first_household[c], [c+1])
    Column<double> development_usd;        // agent-level USD (multiply by scale)
    Column<double> human_capital;          // index
    [[nodiscard]] std::size_t size() const { return origin.size(); }

    template <class Self, class Fn> static void columns_of(Self& c, Fn&& fn) {
        fn(ColumnInfo{"origin", Life::state, kRead}, c.origin);
        fn(ColumnInfo{"first_household", Life::state, kRead, true}, c.first_household);
        fn(ColumnInfo{"development_usd", Life::state, kReadWritten}, c.development_usd);
        fn(ColumnInfo{"human_capital", Life::state, kReadWritten}, c.human_capital);
    }
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
/// member column a month reads read once and every one it writes written once (the Access of each
/// column in the lists above), the household columns likewise (in bytes per member), and the social
/// graph's offsets and arc indices. Communities (one per hundreds of households) are left out. Neighbours'
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

/// The log-normal spread of household consumption that puts a share `headcount` of households
/// below the poverty line when their mean consumption is `mean_to_line` times the line: the share
/// below is Phi((s^2/2 - ln(mean_to_line)) / s); the spread s in [0.01, 3] whose share is closest.
double fitted_income_sigma(double headcount, double mean_to_line);

/// Member m leaves its place empty: no job, income, savings, association or bonds (what it held
/// leaves with it).
void leave_place(MemberColumns& mm, std::uint32_t m);

/// Agents on a corridor: round(stock / scale).
std::uint32_t corridor_agents(double stock, double scale);

/// Estimated bytes for a scenario before building it.
std::size_t estimate_world_bytes(const Scenario& scenario);

} // namespace bridges::core
