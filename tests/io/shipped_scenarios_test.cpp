// Every shipped scenario is valid and conserves money to the cent in every month.

#include "core/engine/engine.hpp"
#include "io/scenario_reader.hpp"

#include <gtest/gtest.h>

#include <filesystem>

using namespace bridges;

TEST(ShippedScenarios, EachValidAndLedgerBalancedEveryMonth) {
    int count = 0;
    for (const auto& f :
         std::filesystem::directory_iterator(std::string(BRIDGES_SOURCE_DIR) + "/scenarios")) {
        if (f.path().extension() != ".yaml") continue;
        SCOPED_TRACE(f.path().string());
        ++count;
        // A coarser scale keeps the test short; the flows are the same mechanisms.
        const auto loaded = io::load_scenario(f.path().string(), {"scale=500", "months=60"});
        core::Engine e(loaded.scenario);
        double moved = 0;
        while (!e.done()) {
            const auto& r = e.step();
            ASSERT_EQ(e.state_imbalance_cents(), 0) << "month " << r.month;
            ASSERT_EQ(r.get("global", "ledger_imbalance_usd")[0], 0.0);
            moved += r.get("global", "remit_formal_usd")[0];
        }
        EXPECT_GT(moved, 0.0);
    }
    EXPECT_GE(count, 9);
}
