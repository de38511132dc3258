// The end-of-month guard: a NaN or an infinity planted in the state stops the step with the
// entity, its place, the column and the month named, the same for the parallel engine and the
// serial reference; a sound world never trips it.

#include "core/base/errors.hpp"
#include "core/engine/engine.hpp"
#include "io/scenario_reader.hpp"

#include <gtest/gtest.h>

#include <limits>
#include <string>

using namespace bridges;

namespace {

/// At 200 persons per member the world has about 50,000 members and 77,000 households: several
/// blocks of the guard's parallel scan.
core::Scenario baseline(int months) {
    return io::load_scenario(std::string(BRIDGES_SOURCE_DIR) + "/scenarios/baseline.yaml",
                             {"months=" + std::to_string(months), "scale=200"})
        .scenario;
}

/// The message of the StateError that the next step throws, or "" when it does not throw.
std::string next_step_error(core::Engine& e) {
    try {
        e.step();
    } catch (const StateError& err) {
        return err.what();
    }
    return "";
}

/// The household owning member m, and its corridor as "ORI -> HST".
std::pair<std::size_t, std::string> household_of(const core::World& w, std::uint32_t m) {
    std::size_t h = 0;
    while (w.households.first_member[h + 1] <= m)
        ++h;
    const std::uint16_t k = w.households.corridor[h];
    return {h, w.countries.code[w.corridors.origin[k]] + " -> " + w.countries.code[w.corridors.host[k]]};
}

} // namespace

TEST(FiniteCheck, SoundRunNeverTrips) {
    core::Engine e(baseline(24));
    while (!e.done())
        ASSERT_EQ(next_step_error(e), "") << "month " << e.month();
}

TEST(FiniteCheck, NaNInAMemberNamesTheMemberHouseholdCorridorAndMonth) {
    for (const auto exec : {core::Execution::parallel, core::Execution::serial}) {
        core::Engine e(baseline(12), exec);
        e.step();
        e.step();
        const auto m = static_cast<std::uint32_t>(e.world().members.size() * 2 / 3);
        e.world().members.earnings[m] = std::numeric_limits<float>::quiet_NaN();
        const auto [h, corridor] = household_of(e.world(), m);
        const std::string expected = "month 2017-03 (3 of 12): member " + std::to_string(m) + " (household " +
                                     std::to_string(h) + ", corridor " + corridor + ") has earnings = nan";
        EXPECT_EQ(next_step_error(e).rfind(expected, 0), 0u) << expected;
    }
}

TEST(FiniteCheck, TheLowestIndexIsNamedWhateverTheThreads) {
    core::Engine parallel(baseline(3)), serial(baseline(3), core::Execution::serial);
    for (core::Engine* e : {&parallel, &serial}) {
        auto& income = e->world().households.base_income;
        income[income.size() - 1] = std::numeric_limits<float>::infinity();
        income[income.size() / 2] = -std::numeric_limits<float>::infinity();
    }
    const std::string a = next_step_error(parallel), b = next_step_error(serial);
    EXPECT_EQ(a, b);
    const std::string expected = "month 2017-01 (1 of 3): household " +
                                 std::to_string(parallel.world().households.size() / 2) +
                                 " has base_income = -inf";
    EXPECT_EQ(a.rfind(expected, 0), 0u) << a;
}
