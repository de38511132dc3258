// Throughput of the engine: a whole month, and each phase alone, at 10^4, 10^5 and 10^6 members
// on 1 and 2 threads. Counter `member_steps_per_s` is members x months per second of stepping.

#include "core/behaviours/phases.hpp"
#include "core/behaviours/remit.hpp"
#include "core/engine/engine.hpp"

#include <benchmark/benchmark.h>
#include <tbb/global_control.h>

#include <map>
#include <memory>

using namespace bridges;

namespace {

/// The baseline-like world at a given number of members, every lever group and one shock active.
core::Scenario reference(std::int64_t members) {
    core::Scenario s;
    s.name = "bench";
    s.months = 1200;
    s.seed = 1;
    const char* codes[] = {"USA", "DEU", "SAU", "MEX", "PHL", "BGD", "NGA", "ETH"};
    const double gdp[] = {60000, 45000, 21000, 9000, 3000, 1500, 2000, 800};
    const double gov[] = {0.8, 0.85, 0.5, 0.45, 0.5, 0.35, 0.3, 0.3};
    for (int i = 0; i < 8; ++i) {
        core::CountrySpec c;
        c.code = codes[i];
        c.gdp_per_capita_usd = gdp[i];
        c.governance = gov[i];
        s.countries.push_back(c);
    }
    for (int o = 3; o < 8; ++o)
        for (int h = 0; h < 3; ++h) {
            core::CorridorSpec k;
            k.origin = codes[o];
            k.host = codes[h];
            k.stock = 1000.0 * (1 + (o + h) % 3);
            k.cost_formal = 0.04 + 0.01 * ((o * h) % 5);
            s.corridors.push_back(k);
        }
    double stock = 0;
    for (const auto& k : s.corridors)
        stock += k.stock;
    s.scale = stock / static_cast<double>(members);
    auto lever = [&](const char* kind, const char* by) {
        core::PolicySpec p;
        p.kind = kind;
        p.by = by;
        p.size_usd = 1e15; // a bond that stays open
        s.policies.push_back(p);
    };
    lever("outreach", "NGA");
    lever("cost_cap", "USA");
    lever("matching", "MEX");
    lever("diaspora_bond", "PHL");
    lever("knowledge_transfer", "ETH");
    core::ShockSpec sh;
    sh.kind = "host_recession";
    sh.countries = {"USA"};
    sh.months = 1200;
    s.shocks.push_back(sh);
    return s;
}

core::Engine& engine_for(std::int64_t members) {
    static std::map<std::int64_t, std::unique_ptr<core::Engine>> cache;
    auto& e = cache[members];
    if (!e) e = std::make_unique<core::Engine>(reference(members));
    return *e;
}

void BM_Month(benchmark::State& state) {
    const std::int64_t members = state.range(0);
    tbb::global_control limit(tbb::global_control::max_allowed_parallelism,
                              static_cast<std::size_t>(state.range(1)));
    core::Engine& e = engine_for(members);
    for (auto _ : state)
        benchmark::DoNotOptimize(e.step());
    const double n = static_cast<double>(e.world().members.size());
    state.counters["members"] = n;
    state.counters["threads"] = static_cast<double>(state.range(1));
    state.counters["member_steps_per_s"] =
        benchmark::Counter(n, benchmark::Counter::kIsIterationInvariantRate);
}
BENCHMARK(BM_Month)
    ->ArgsProduct({{10'000, 100'000, 1'000'000}, {1, 2}})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

void BM_Setup(benchmark::State& state) {
    const auto s = reference(state.range(0));
    for (auto _ : state)
        benchmark::DoNotOptimize(core::build_world(s));
    state.counters["members_per_s"] = benchmark::Counter(static_cast<double>(state.range(0)),
                                                         benchmark::Counter::kIsIterationInvariantRate);
}
BENCHMARK(BM_Setup)->Arg(100'000)->Arg(1'000'000)->Unit(benchmark::kMillisecond)->UseRealTime();

/// One phase alone, on a world advanced by one full month so that every phase has work.
template <void (*Phase)(core::StepContext&)> void BM_Phase(benchmark::State& state) {
    tbb::global_control limit(tbb::global_control::max_allowed_parallelism,
                              static_cast<std::size_t>(state.range(1)));
    core::Scenario s = reference(state.range(0));
    core::Engine e(s);
    e.step();
    core::World& w = e.world();
    core::EngineState st;
    st.growth_index.assign(w.countries.size(), 1.0);
    st.disaster_loss.assign(w.countries.size(), 0.0);
    const auto policies = core::resolve_policies(e.scenario(), w);
    const auto shocks = core::resolve_shocks(e.scenario(), w);
    st.matching_spent.assign(policies.size(), 0.0);
    st.bond_sold.assign(policies.size(), 0.0);
    st.community_contrib_cents.assign(w.communities.size(), 0);
    st.years_factor.resize(core::kYearBins * 12 * 2);
    for (std::size_t i = 0; i < st.years_factor.size(); ++i)
        st.years_factor[i] =
            core::years_multiplier(e.scenario().behaviour.remit, static_cast<double>(i) / 12.0);
    core::MonthConditions cond;
    core::Tally tally(w.corridors.size(), w.countries.size(), policies.size());
    const core::Rng rng(1);
    core::StepContext ctx{e.scenario(),
                          e.scenario().behaviour,
                          w,
                          st,
                          policies,
                          shocks,
                          cond,
                          tally,
                          rng,
                          1,
                          core::Execution::parallel};
    core::phases::environment(ctx);
    for (auto _ : state) {
        tally = core::Tally(w.corridors.size(), w.countries.size(), policies.size());
        Phase(ctx);
    }
    state.counters["member_steps_per_s"] = benchmark::Counter(static_cast<double>(w.members.size()),
                                                              benchmark::Counter::kIsIterationInvariantRate);
}
#define BRIDGES_PHASE(name)                                                                                  \
    BENCHMARK(BM_Phase<core::phases::name>)                                                                  \
        ->Name("BM_Phase/" #name)                                                                            \
        ->ArgsProduct({{1'000'000}, {1, 2}})                                                                 \
        ->Unit(benchmark::kMillisecond)                                                                      \
        ->UseRealTime();
BRIDGES_PHASE(labour)
BRIDGES_PHASE(information)
BRIDGES_PHASE(remit)
BRIDGES_PHASE(collective)
BRIDGES_PHASE(invest)
BRIDGES_PHASE(skills)
BRIDGES_PHASE(crisis)
BRIDGES_PHASE(settle)
BRIDGES_PHASE(households)
BRIDGES_PHASE(slow_state)

} // namespace

BENCHMARK_MAIN();
