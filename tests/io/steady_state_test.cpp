// The no-policy baseline stands still: over twenty years without levers or shocks, the diaspora's
// awareness, attachment and association membership and the share of remittances invested stay
// where the first year has them (docs/model.md, section 5: burn-in and stationary initial values).

#include "core/engine/engine.hpp"
#include "io/scenario_reader.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

using namespace bridges;

TEST(SteadyState, TwentyYearBaselineStaysWithinFivePercentOfItsFirstYear) {
    // 25 persons per member (400,000 members): the yearly investment share, a sum of rare lumpy
    // decisions, then varies by about 1.5% (one standard deviation) from year to year.
    const auto loaded = io::load_scenario(std::string(BRIDGES_SOURCE_DIR) + "/scenarios/baseline.yaml",
                                          {"scale=25", "months=240"});
    ASSERT_TRUE(loaded.scenario.policies.empty());
    ASSERT_TRUE(loaded.scenario.shocks.empty());
    core::Engine e(loaded.scenario);
    struct Year {
        double awareness = 0, attachment = 0, membership = 0, invested = 0, remitted = 0;
    };
    std::vector<Year> years(20);
    while (!e.done()) {
        const auto& r = e.step();
        Year& y = years[static_cast<std::size_t>((e.month() - 1) / 12)];
        y.awareness += r.get("global", "awareness_mean")[0] / 12;
        y.attachment += r.get("global", "attachment_mean")[0] / 12;
        const auto share = r.get("countries", "org_membership_share");
        const auto members = r.get("countries", "diaspora_members");
        double in_org = 0, all = 0;
        for (std::size_t o = 0; o < share.size(); ++o) {
            in_org += share[o] * members[o];
            all += members[o];
        }
        y.membership += in_org / all / 12;
        y.invested += r.get("global", "investment_usd")[0];
        y.remitted += r.get("global", "remit_formal_usd")[0] + r.get("global", "remit_informal_usd")[0];
    }
    const Year& first = years[0];
    ASSERT_GT(first.membership, 0);
    ASSERT_GT(first.invested, 0);
    for (std::size_t i = 1; i < years.size(); ++i) {
        const Year& y = years[i];
        SCOPED_TRACE("year " + std::to_string(i + 1));
        EXPECT_NEAR(y.awareness / first.awareness, 1.0, 0.05);
        EXPECT_NEAR(y.attachment / first.attachment, 1.0, 0.05);
        EXPECT_NEAR(y.membership / first.membership, 1.0, 0.05);
        EXPECT_NEAR((y.invested / y.remitted) / (first.invested / first.remitted), 1.0, 0.05);
    }
}
