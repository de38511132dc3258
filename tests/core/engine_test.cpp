// The parallel engine against the serial reference, and across thread counts: every value of
// every output variable must be bit-identical.

#include "core/engine/engine.hpp"
#include "io/scenario_reader.hpp"

#include <gtest/gtest.h>
#include <tbb/global_control.h>

#include <cstring>

using namespace bridges;

namespace {

core::Scenario shipped(const char* name, int months) {
    auto loaded = io::load_scenario(std::string(BRIDGES_SOURCE_DIR) + "/scenarios/" + name,
                                    {"months=" + std::to_string(months), "scale=400"});
    return loaded.scenario;
}

std::vector<core::MonthRecord> run(const core::Scenario& s, core::Execution exec, int threads) {
    tbb::global_control limit(tbb::global_control::max_allowed_parallelism,
                              static_cast<std::size_t>(threads));
    core::Engine e(s, exec);
    std::vector<core::MonthRecord> out;
    while (!e.done())
        out.push_back(e.step());
    return out;
}

void expect_identical(const std::vector<core::MonthRecord>& a, const std::vector<core::MonthRecord>& b) {
    ASSERT_EQ(a.size(), b.size());
    const auto& vars = core::output_variables();
    for (std::size_t t = 0; t < a.size(); ++t)
        for (std::size_t v = 0; v < vars.size(); ++v) {
            const auto& x = a[t].values[v];
            const auto& y = b[t].values[v];
            ASSERT_EQ(x.size(), y.size());
            ASSERT_EQ(0, std::memcmp(x.data(), y.data(), x.size() * sizeof(double)))
                << vars[v].group << "/" << vars[v].name << " differs in month " << t;
        }
}

} // namespace

TEST(EngineDeterminism, ParallelMatchesSerialReference) {
    const auto s = shipped("crisis_pandemic.yaml", 18);
    expect_identical(run(s, core::Execution::serial, 1), run(s, core::Execution::parallel, 2));
}

TEST(EngineDeterminism, BitIdenticalForOneTwoAndFourThreads) {
    const auto s = shipped("baseline.yaml", 24);
    const auto one = run(s, core::Execution::parallel, 1);
    expect_identical(one, run(s, core::Execution::parallel, 2));
    expect_identical(one, run(s, core::Execution::parallel, 4));
}

TEST(EngineDeterminism, EveryLeverAndShockAcrossThreads) {
    for (const char* name :
         {"enable_matching_3x1.yaml", "enable_diaspora_bond.yaml", "empower_knowledge_transfer.yaml",
          "engage_outreach.yaml", "crisis_origin_disaster.yaml", "crisis_host_recession.yaml"}) {
        SCOPED_TRACE(name);
        const auto s = shipped(name, 14);
        expect_identical(run(s, core::Execution::serial, 1), run(s, core::Execution::parallel, 4));
    }
}

TEST(EngineDeterminism, ImplicitGraphAcrossThreads) {
    auto s = shipped("engage_outreach.yaml", 14);
    s.network.graph = "implicit";
    const auto serial = run(s, core::Execution::serial, 1);
    expect_identical(serial, run(s, core::Execution::parallel, 2));
    expect_identical(serial, run(s, core::Execution::parallel, 4));
}

TEST(EngineSeed, DifferentSeedsGiveDifferentRuns) {
    auto s = shipped("baseline.yaml", 3);
    const auto a = run(s, core::Execution::parallel, 2);
    s.seed += 1;
    const auto b = run(s, core::Execution::parallel, 2);
    EXPECT_NE(a[2].get("global", "remit_formal_usd")[0], b[2].get("global", "remit_formal_usd")[0]);
}
