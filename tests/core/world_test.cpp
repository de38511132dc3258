#include "core/world/world.hpp"

#include "micro_world.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <set>
#include <string>
#include <type_traits>
#include <utility>

using namespace bridges;

namespace {
core::Scenario three_corridors() {
    core::Scenario s = test::micro_world(10);
    core::CountrySpec o2;
    o2.code = "OTW";
    s.countries.push_back(o2);
    core::CorridorSpec k;
    k.origin = "ORI";
    k.host = "OTW";
    k.stock = 2500;
    s.corridors.push_back(k);
    k.origin = "OTW";
    k.host = "HST";
    k.stock = 3333;
    s.corridors.push_back(k);
    s.corridors[0].stock = 4000;
    s.population.extra_migrants_per_household = 0.4;
    s.population.households_per_community = 300;
    s.network.mean_degree = 8;
    s.scale = 1;
    return s;
}
} // namespace

TEST(WorldLayout, HouseholdsOwnContiguousMembersAndCommunitiesOwnHouseholds) {
    const core::World w = core::build_world(three_corridors());
    EXPECT_EQ(w.members.size(), 4000u + 2500u + 3333u);
    const auto& hh = w.households;
    for (std::size_t h = 0; h < hh.size(); ++h) {
        ASSERT_LE(hh.first_member[h], hh.first_member[h + 1]);
        ASSERT_EQ(hh.corridor[h] == core::kNoCorridor, hh.first_member[h] == hh.first_member[h + 1]);
    }
    EXPECT_EQ(hh.first_member[hh.size()], w.members.size());
    std::vector<std::uint32_t> per_corridor(w.corridors.size(), 0);
    for (std::size_t c = 0; c < w.communities.size(); ++c)
        for (auto h = w.communities.first_household[c]; h < w.communities.first_household[c + 1]; ++h) {
            if (hh.corridor[h] == core::kNoCorridor) continue;
            ASSERT_EQ(w.corridors.origin[hh.corridor[h]], w.communities.origin[c]);
            per_corridor[hh.corridor[h]] += hh.first_member[h + 1] - hh.first_member[h];
        }
    EXPECT_EQ(per_corridor, (std::vector<std::uint32_t>{4000, 2500, 3333}));
}

TEST(WorldSocial, UndirectedWithinOriginWithTheRequestedDegree) {
    const core::World w = core::build_world(three_corridors());
    std::vector<std::uint16_t> origin_of(w.members.size());
    for (std::size_t c = 0; c < w.communities.size(); ++c)
        for (auto h = w.communities.first_household[c]; h < w.communities.first_household[c + 1]; ++h)
            for (auto m = w.households.first_member[h]; m < w.households.first_member[h + 1]; ++m)
                origin_of[m] = w.communities.origin[c];
    EXPECT_EQ(w.social.arcs(), 8u * w.members.size());
    for (std::uint32_t v = 0; v < w.members.size(); ++v)
        for (std::uint32_t u : w.social.neighbours(v)) {
            ASSERT_EQ(origin_of[u], origin_of[v]);
            const auto back = w.social.neighbours(u);
            ASSERT_TRUE(std::binary_search(back.begin(), back.end(), v)) << v << " -> " << u;
        }
}

namespace {
/// Origin country of every member.
std::vector<std::uint16_t> origins_of(const core::World& w) {
    std::vector<std::uint16_t> origin_of(w.members.size());
    for (std::size_t c = 0; c < w.communities.size(); ++c)
        for (auto h = w.communities.first_household[c]; h < w.communities.first_household[c + 1]; ++h)
            for (auto m = w.households.first_member[h]; m < w.households.first_member[h + 1]; ++m)
                origin_of[m] = w.communities.origin[c];
    return origin_of;
}

/// three_corridors() with the given rewiring, built with the explicit and the implicit graph.
std::pair<core::World, core::World> both_graphs(double rewire) {
    core::Scenario s = three_corridors();
    s.network.rewire = rewire;
    core::World e = core::build_world(s);
    s.network.graph = "implicit";
    return {std::move(e), core::build_world(s)};
}

/// Sorted neighbours of v in an implicit graph.
std::vector<std::uint32_t> implicit_neighbours(const core::World& w, std::uint32_t v, std::uint16_t origin) {
    std::uint32_t buf[core::kImplicitMaxNeighbours];
    std::vector<std::uint32_t> out(buf, buf + w.social.neighbours(v, origin, buf));
    std::sort(out.begin(), out.end());
    return out;
}
} // namespace

TEST(WorldSocial, ImplicitWithoutRewiringIsTheExplicitRing) {
    const auto [e, i] = both_graphs(0);
    ASSERT_TRUE(i.social.implicit());
    EXPECT_EQ(i.social.arcs(), 0u);
    EXPECT_LT(i.social.bytes(), 2 * i.members.size()); // one byte per member and the rings
    const auto origin_of = origins_of(i);
    for (std::uint32_t v = 0; v < e.members.size(); ++v) {
        const auto x = e.social.neighbours(v);
        ASSERT_EQ(std::vector<std::uint32_t>(x.begin(), x.end()), implicit_neighbours(i, v, origin_of[v]))
            << v;
    }
}

TEST(WorldSocial, ImplicitIsExplicitLessTheReverseOfRewiredLinks) {
    // Every implicit neighbour list is contained in the explicit one; what is missing is the far
    // end's view of each rewired link: 4 links per member, each rewired with probability 0.1, so
    // 0.4 per member (9,833 members here: 3,933 expected, binomial sd 60; margin +-10%, 6 sd).
    const auto [e, i] = both_graphs(0.1);
    const auto origin_of = origins_of(i);
    std::size_t missing = 0;
    for (std::uint32_t v = 0; v < e.members.size(); ++v) {
        const auto x = e.social.neighbours(v);
        const auto y = implicit_neighbours(i, v, origin_of[v]);
        ASSERT_TRUE(std::includes(x.begin(), x.end(), y.begin(), y.end())) << v;
        for (std::uint32_t u : y)
            ASSERT_EQ(origin_of[u], origin_of[v]);
        missing += x.size() - y.size();
    }
    const double expected = 0.4 * static_cast<double>(e.members.size());
    EXPECT_NEAR(static_cast<double>(missing), expected, 0.1 * expected);
}

TEST(WorldBuild, SameScenarioSameWorld) {
    const core::World a = core::build_world(three_corridors());
    const core::World b = core::build_world(three_corridors());
    EXPECT_EQ(a.members.earnings, b.members.earnings);
    EXPECT_EQ(a.members.trust, b.members.trust);
    EXPECT_EQ(a.households.base_income, b.households.base_income);
    EXPECT_EQ(a.households.corridor, b.households.corridor);
    for (std::uint32_t v = 0; v < a.members.size(); ++v) {
        const auto x = a.social.neighbours(v), y = b.social.neighbours(v);
        ASSERT_TRUE(std::equal(x.begin(), x.end(), y.begin(), y.end()));
    }
}

TEST(WorldBuild, ScaleDividesStocks) {
    core::Scenario s = three_corridors();
    s.scale = 10;
    const core::World w = core::build_world(s);
    EXPECT_EQ(w.members.size(), 400u + 250u + 333u);
    EXPECT_EQ(core::corridor_agents(3335, 10), 334u);
}

// Columns are listed once (core/world/world.hpp): a column added to a struct but not to its list
// would be missed by resize, checkpoints, the finite check and the byte counts. Every member of the
// three column sets is a Column<T> of the same size, so the list covers the struct exactly when the
// struct's size is that many columns.
template <class Set> void expect_listed_once(const char* what) {
    Set set;
    std::size_t listed = 0;
    std::set<std::string> names;
    set.each_column([&](const core::ColumnInfo& c, const auto&) {
        ++listed;
        EXPECT_TRUE(names.insert(c.name).second) << what << "." << c.name << " listed twice";
    });
    EXPECT_EQ(sizeof(Set), listed * sizeof(core::Column<float>))
        << what << " has a column missing from its list";
}

TEST(WorldColumns, EveryColumnIsListedOnce) {
    expect_listed_once<core::MemberColumns>("members");
    expect_listed_once<core::HouseholdColumns>("households");
    expect_listed_once<core::CommunityColumns>("communities");
}

TEST(WorldColumns, ListsDriveSizesBlocksAndBytes) {
    core::World w = core::build_world(three_corridors());
    const std::size_t m = w.members.size(), h = w.households.size(), c = w.communities.size();
    // Every column has the entity count (offsets one more), and the diffusion buffers too.
    EXPECT_EQ(w.members.awareness_next.size(), m);
    EXPECT_EQ(w.households.first_member.size(), h + 1);
    EXPECT_EQ(w.communities.first_household.size(), c + 1);
    // Scratch columns are not saved; every state column is, once.
    std::set<std::string> blocks;
    for (const auto& b : w.state_blocks())
        blocks.insert(b.name);
    EXPECT_FALSE(blocks.count("members.trust_next"));
    EXPECT_TRUE(blocks.count("members.trust"));
    EXPECT_TRUE(blocks.count("households.receipts_cents"));
    EXPECT_TRUE(blocks.count("communities.human_capital"));
    // Bytes: the rows' widths, summed from the lists.
    std::size_t member_row = 0;
    w.members.each_column([&](const core::ColumnInfo&, const auto& col) {
        member_row += sizeof(typename std::decay_t<decltype(col)>::value_type);
    });
    EXPECT_EQ(core::MemberColumns::row_bytes(), member_row);
    EXPECT_EQ(w.bytes(), m * member_row + h * core::HouseholdColumns::row_bytes() +
                             c * core::CommunityColumns::row_bytes() + w.social.bytes());
}

TEST(World, FittedIncomeSpreadGivesTheHeadcount) {
    // Share below the line of a log-normal consumption with mean `ratio` times the line.
    const auto below = [](double sigma, double ratio) {
        return 0.5 * std::erfc(-(sigma / 2 - std::log(ratio) / sigma) / std::sqrt(2.0));
    };
    for (const double ratio : {1.2, 2.0, 8.0, 25.0})
        for (const double headcount : {0.02, 0.135, 0.3, 0.45}) {
            const double s = core::fitted_income_sigma(headcount, ratio);
            if (s > 0.01 && s < 3) {
                EXPECT_NEAR(below(s, ratio), headcount, 1e-9) << ratio << " " << headcount;
            }
        }
    // Wider spreads put more households below a line under the mean.
    EXPECT_LT(core::fitted_income_sigma(0.1, 2.0), core::fitted_income_sigma(0.3, 2.0));
    // Unattainable shares give the nearest bound: none below needs no spread at all; with the
    // mean below the line, at least half are below whatever the spread.
    EXPECT_DOUBLE_EQ(core::fitted_income_sigma(0.0, 2.0), 0.01);
    EXPECT_DOUBLE_EQ(core::fitted_income_sigma(1.0, 2.0), 3.0);
    EXPECT_NEAR(core::fitted_income_sigma(0.1, 0.5), std::sqrt(2 * std::log(2.0)), 1e-12);
}
