// Throughput of the engine on the reference scenario (bench/scenarios/reference_1m.yaml) at 10^4
// to 10^6 members: a whole month, each phase alone, the set-up; and the machine's STREAM triad
// bandwidth, the ceiling a month's memory traffic runs into. tools/bench runs this suite with the
// whole reference run and writes the results as JSON (bench/README.md).
//
// Counters: `member_steps_per_s` (members x months per second of stepping), `threads`,
// `bytes_per_member_step` (the least traffic of a member-month, core::minimum_traffic) and
// `roofline_share` (the share of the triad bandwidth that throughput implies).

#include "core/behaviours/phases.hpp"
#include "core/engine/engine.hpp"
#include "io/scenario_reader.hpp"

#include <benchmark/benchmark.h>
#include <tbb/global_control.h>
#include <tbb/info.h>
#include <tbb/parallel_for.h>

#include <cstdlib>
#include <map>
#include <memory>
#include <string>
#include <vector>

using namespace bridges;

namespace {

constexpr double kReferenceMembers = 1e6; // at the file's scale of 10 persons per member

/// The reference scenario with `members` members (the stocks stay, the scale changes).
core::Scenario reference(std::int64_t members) {
    const std::string path = std::string(BRIDGES_SOURCE_DIR) + "/bench/scenarios/reference_1m.yaml";
    const double scale = 10.0 * kReferenceMembers / static_cast<double>(members);
    return io::load_scenario(path, {"scale=" + std::to_string(scale), "months=1200"}).scenario;
}

core::Engine& engine_for(std::int64_t members) {
    static std::map<std::int64_t, std::unique_ptr<core::Engine>> cache;
    auto& e = cache[members];
    if (!e) e = std::make_unique<core::Engine>(reference(members));
    return *e;
}

/// 1, 2, ... up to the cores this process may use: the thread counts of every benchmark.
std::vector<std::int64_t> thread_counts() {
    std::vector<std::int64_t> v;
    const auto n = static_cast<std::int64_t>(tbb::info::default_concurrency());
    for (std::int64_t t = 1; t <= n; ++t)
        v.push_back(t);
    return v;
}

tbb::global_control threads_for(const benchmark::State& state) {
    return tbb::global_control(tbb::global_control::max_allowed_parallelism,
                               static_cast<std::size_t>(state.range(1)));
}

/// The STREAM triad a[i] = b[i] + s * c[i] over three arrays of doubles (8 * 3 * n bytes), split
/// evenly over the threads, each thread touching first the pages it later uses. Counter
/// `bytes_per_s` counts 24 bytes per element, as STREAM does (no write-allocate traffic).
void BM_StreamTriad(benchmark::State& state) {
    const std::size_t n = static_cast<std::size_t>(state.range(0));
    const auto limit = threads_for(state);
    const std::size_t parts = static_cast<std::size_t>(state.range(1));
    std::unique_ptr<double[]> a(new double[n]), b(new double[n]), c(new double[n]);
    const auto each = [&](auto&& fn) {
        tbb::parallel_for(std::size_t{0}, parts, [&](std::size_t p) {
            const std::size_t lo = n * p / parts, hi = n * (p + 1) / parts;
            fn(lo, hi);
        });
    };
    each([&](std::size_t lo, std::size_t hi) {
        for (std::size_t i = lo; i < hi; ++i) {
            a[i] = 0;
            b[i] = 1;
            c[i] = 2;
        }
    });
    const double s = 3;
    for (auto _ : state) {
        each([&](std::size_t lo, std::size_t hi) {
            double* __restrict pa = a.get();
            const double* __restrict pb = b.get();
            const double* __restrict pc = c.get();
            for (std::size_t i = lo; i < hi; ++i)
                pa[i] = pb[i] + s * pc[i];
        });
        benchmark::ClobberMemory();
    }
    if (a[n / 2] != 7.0) state.SkipWithError("triad computed a wrong value");
    state.counters["threads"] = static_cast<double>(parts);
    state.counters["bytes_per_s"] =
        benchmark::Counter(24.0 * static_cast<double>(n), benchmark::Counter::kIsIterationInvariantRate);
}
BENCHMARK(BM_StreamTriad)
    ->ArgsProduct({{1 << 25}, thread_counts()})
    ->ArgNames({"elements", "threads"})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

void BM_Month(benchmark::State& state) {
    const std::int64_t members = state.range(0);
    const auto limit = threads_for(state);
    core::Engine& e = engine_for(members);
    for (auto _ : state)
        benchmark::DoNotOptimize(e.step());
    const double n = static_cast<double>(e.world().members.size());
    state.counters["members"] = n;
    state.counters["threads"] = static_cast<double>(state.range(1));
    state.counters["bytes_per_member_step"] = core::minimum_traffic(e.world()).total();
    state.counters["member_steps_per_s"] =
        benchmark::Counter(n, benchmark::Counter::kIsIterationInvariantRate);
}
BENCHMARK(BM_Month)
    ->ArgsProduct({{10'000, 100'000, 1'000'000}, thread_counts()})
    ->ArgNames({"members", "threads"})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

void BM_Setup(benchmark::State& state) {
    const auto limit = threads_for(state);
    const auto s = reference(state.range(0));
    for (auto _ : state)
        benchmark::DoNotOptimize(core::build_world(s));
    state.counters["members_per_s"] = benchmark::Counter(static_cast<double>(state.range(0)),
                                                         benchmark::Counter::kIsIterationInvariantRate);
}
BENCHMARK(BM_Setup)
    ->ArgsProduct({{100'000, 1'000'000}, thread_counts()})
    ->ArgNames({"members", "threads"})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

/// One phase alone, on a world advanced by one full month so that every phase has work; the
/// month's conditions are set once (phase `environment`).
template <void (*Phase)(core::StepContext&)> void BM_Phase(benchmark::State& state) {
    const auto limit = threads_for(state);
    core::Engine e(reference(state.range(0)));
    e.step();
    core::StepContext ctx = e.context();
    core::phases::environment(ctx);
    for (auto _ : state) {
        ctx.tally = ctx.new_tally();
        Phase(ctx);
    }
    state.counters["threads"] = static_cast<double>(state.range(1));
    state.counters["member_steps_per_s"] = benchmark::Counter(static_cast<double>(e.world().members.size()),
                                                              benchmark::Counter::kIsIterationInvariantRate);
}
#define BRIDGES_PHASE(name)                                                                                  \
    BENCHMARK(BM_Phase<core::phases::name>)                                                                  \
        ->Name("BM_Phase/" #name)                                                                            \
        ->ArgsProduct({{1'000'000}, thread_counts()})                                                        \
        ->ArgNames({"members", "threads"})                                                                   \
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
