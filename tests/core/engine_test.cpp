// The parallel engine against the serial reference, and across thread counts: every value of
// every output variable must be bit-identical.

#include "core/engine/engine.hpp"
#include "io/scenario_reader.hpp"

#include <gtest/gtest.h>
#include <tbb/global_control.h>

#include <cstring>
#include <set>

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

// Checkpoints rest on Engine::state_blocks() holding everything the months to come depend on.
// Engine A runs `at` months; engine B, built from the same scenario and stepped elsewhere (so that
// a block left out would keep B's own, different value), takes A's blocks; B's months from then
// on must equal an uninterrupted run's, bit for bit.
namespace {

void expect_continues_exactly(const core::Scenario& s, int at) {
    const auto whole = run(s, core::Execution::parallel, 2);
    core::Engine a(s), b(s);
    for (int m = 0; m < at; ++m)
        a.step();
    for (int m = 0; m < at / 2 + 1; ++m)
        b.step();
    const auto from = a.state_blocks(), to = b.state_blocks();
    ASSERT_EQ(from.size(), to.size());
    for (std::size_t i = 0; i < from.size(); ++i) {
        ASSERT_EQ(from[i].name, to[i].name);
        ASSERT_EQ(from[i].bytes, to[i].bytes) << from[i].name;
        if (from[i].bytes > 0) std::memcpy(to[i].data, from[i].data, from[i].bytes); // empty: no pointer
    }
    ASSERT_EQ(b.month(), at);
    std::vector<core::MonthRecord> resumed(whole.begin(), whole.begin() + at);
    while (!b.done())
        resumed.push_back(b.step());
    expect_identical(whole, resumed);
}

} // namespace

TEST(EngineStateBlocks, ARunContinuesExactlyFromItsBlocks) {
    for (const char* name :
         {"baseline.yaml", "enable_matching_3x1.yaml", "enable_diaspora_bond.yaml", "enable_cost_cut.yaml",
          "empower_knowledge_transfer.yaml", "engage_outreach.yaml", "crisis_origin_disaster.yaml",
          "crisis_host_recession.yaml", "crisis_pandemic.yaml"}) {
        SCOPED_TRACE(name);
        expect_continues_exactly(shipped(name, 24), 13);
    }
}

TEST(EngineStateBlocks, ImplicitGraphContinuesExactly) {
    auto s = shipped("engage_outreach.yaml", 20);
    s.network.graph = "implicit";
    expect_continues_exactly(s, 7);
}

TEST(EngineStateBlocks, NamesAreUnique) {
    core::Engine e(shipped("baseline.yaml", 2));
    std::set<std::string> names;
    for (const auto& b : e.state_blocks())
        EXPECT_TRUE(names.insert(b.name).second) << b.name;
}
