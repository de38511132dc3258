// The facts of MODEL.md section 8 (io/facts.cpp measures them and states each margin), checked on
// the synthetic baseline world (scenarios/baseline.yaml, whose countries are rounded 2017 World
// Bank figures). Facts about a change compare paired runs with the same seed. `bridges facts`
// prints the same measurements as a table.

#include "io/facts.hpp"
#include "io/scenario_reader.hpp"

#include <gtest/gtest.h>

#include <cstdio>

using namespace bridges;

namespace {

const core::Scenario& baseline() {
    static const core::Scenario s =
        io::load_scenario(std::string(BRIDGES_SOURCE_DIR) + "/scenarios/baseline.yaml").scenario;
    return s;
}

/// Measures fact `n`, prints every measured value (also recorded in the test report) and expects
/// each check to pass.
void expect_fact(int n) {
    const io::Fact f = io::measure_fact(n, baseline());
    ASSERT_FALSE(f.checks.empty()) << f.note;
    for (const auto& c : f.checks) {
        std::printf("  measured %s = %.4g (target %s)\n", c.measure.c_str(), c.value, c.target.c_str());
        ::testing::Test::RecordProperty(c.measure, std::to_string(c.value));
        EXPECT_TRUE(c.pass) << "fact " << n << " (" << f.title << "): " << c.measure << " = " << c.value
                            << ", target " << c.target;
    }
    EXPECT_TRUE(f.pass());
}

} // namespace

TEST(Fact1Amount, AboutFifteenPercentOfEarningsAndTwoThousandThreeHundredAYear) {
    expect_fact(1);
}
TEST(Fact2TimeAbroad, InvertedUWithPeakBetweenFiveAndTwelveYears) {
    expect_fact(2);
}
TEST(Fact3Insurance, SixtyPercentReplacedAndConsumptionProtected) {
    expect_fact(3);
}
TEST(Fact4CostsAndChannels, InformalShareAndCostElasticity) {
    expect_fact(4);
}
TEST(Fact5HouseholdUse, ThreeQuartersConsumed) {
    expect_fact(5);
}
TEST(Fact6Matching, ProgrammeMoneyAboutThreePointEightTimesContributions) {
    expect_fact(6);
}
TEST(Fact7BondsAndTrust, HighTrustOversubscribedLowTrustFarShort) {
    expect_fact(7);
}
TEST(Fact8Resilience, RemittancesFallLessThanIncomeAndInvestment) {
    expect_fact(8);
}
TEST(Fact9Engagement, OutreachRaisesUptakeMembershipAndParticipation) {
    expect_fact(9);
}

// A fact whose countries the scenario lacks is not measured and fails, with the reason.
TEST(Facts, MissingCountryFailsWithANote) {
    core::Scenario s = baseline();
    std::erase_if(s.corridors, [](const core::CorridorSpec& k) { return k.origin == "PHL"; });
    std::erase_if(s.countries, [](const core::CountrySpec& c) { return c.code == "PHL"; });
    const io::Fact f = io::measure_fact(3, s);
    EXPECT_TRUE(f.checks.empty());
    EXPECT_FALSE(f.pass());
    EXPECT_NE(f.note.find("PHL"), std::string::npos);
}
