// One test per validation rule of scenario files (docs/scenarios.md and docs/experiments.md), each checking
// the place (file:line:col) and the key named in the message.

#include "core/base/errors.hpp"
#include "core/engine/engine.hpp"
#include "io/scenario_emitter.hpp"
#include "io/scenario_reader.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

using namespace bridges;

namespace {

const char* kValid = R"(schema_version: 1
name: tiny
months: 6
countries:
  - {code: AAA, gdp_per_capita_usd: 2000}
  - {code: BBB, gdp_per_capita_usd: 40000}
corridors:
  - {origin: AAA, host: BBB, stock: 5000}
scale: 10
behaviour:
  remit:
    amount_share: 0.15
)";

std::vector<Diagnostic> errors_of(const std::string& text, const std::vector<std::string>& sets = {}) {
    try {
        io::parse_scenario(text, "x.yaml", sets);
    } catch (const ScenarioError& e) {
        return e.diagnostics();
    }
    return {};
}

std::string replace(std::string text, const std::string& from, const std::string& to) {
    const auto at = text.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    return text.replace(at, from.size(), to);
}

void expect_one(const std::vector<Diagnostic>& ds, int line, int col, const std::string& needle) {
    ASSERT_EQ(ds.size(), 1u) << (ds.empty()
                                     ? "no error"
                                     : ds[0].to_string() + (ds.size() > 1 ? " | " + ds[1].to_string() : ""));
    EXPECT_EQ(ds[0].file, "x.yaml");
    EXPECT_EQ(ds[0].line, line);
    EXPECT_EQ(ds[0].column, col);
    EXPECT_NE(ds[0].message.find(needle), std::string::npos) << ds[0].message;
}

} // namespace

TEST(ScenarioReaderValid, ReadsValuesAndKeepsDefaults) {
    const auto s = io::parse_scenario(kValid, "x.yaml").scenario;
    EXPECT_EQ(s.name, "tiny");
    EXPECT_EQ(s.months, 6);
    EXPECT_EQ(s.countries.size(), 2u);
    EXPECT_DOUBLE_EQ(s.corridors[0].stock, 5000);
    EXPECT_DOUBLE_EQ(s.corridors[0].cost_formal, core::CorridorSpec{}.cost_formal);
    EXPECT_DOUBLE_EQ(s.behaviour.remit.amount_share, 0.15);
}

TEST(ScenarioReaderRules, UnknownKeyIsNamedWithSuggestion) {
    const auto ds = errors_of(replace(kValid, "    amount_share: 0.15", "    amount_shar: 0.15"));
    expect_one(ds, 12, 5, "unknown key 'amount_shar' in 'behaviour.remit' (did you mean 'amount_share'?)");
}

TEST(ScenarioReaderRules, DuplicateKeyIsAnError) {
    const auto ds = errors_of(replace(kValid, "months: 6\n", "months: 6\nmonths: 7\n"));
    expect_one(ds, 4, 1, "duplicate key 'months'");
}

TEST(ScenarioReaderRules, WrongTypeIsAnError) {
    expect_one(errors_of(replace(kValid, "months: 6", "months: six")), 3, 9,
               "'months' must be a whole number");
    expect_one(errors_of(replace(kValid, "  remit:\n    amount_share: 0.15", "  remit: [1, 2]")), 11, 10,
               "'remit' must be a map");
}

TEST(ScenarioReaderRules, OutOfRangeIsAnError) {
    expect_one(errors_of(replace(kValid, "amount_share: 0.15", "amount_share: 1.5")), 12, 19,
               "'amount_share' = 1.5 is out of range [0, 1]");
    expect_one(errors_of(replace(kValid, "stock: 5000", "stock: 0")), 8, 37, "'stock' = 0 is out of range");
}

TEST(ScenarioReaderRules, NanAndInfinityAreErrors) {
    expect_one(errors_of(replace(kValid, "amount_share: 0.15", "amount_share: .nan")), 12, 19,
               "finite number");
    expect_one(errors_of(replace(kValid, "amount_share: 0.15", "amount_share: .inf")), 12, 19,
               "finite number");
}

TEST(ScenarioReaderRules, UnknownCountryIsAnError) {
    expect_one(errors_of(replace(kValid, "host: BBB", "host: BBC")), 8, 25,
               "unknown country 'BBC' in 'corridors.0.host' (did you mean 'BBB'?)");
}

TEST(ScenarioReaderRules, BadSchemaVersionIsRefused) {
    expect_one(errors_of(replace(kValid, "schema_version: 1", "schema_version: 2")), 1, 17,
               "unsupported schema_version '2'");
}

TEST(ScenarioReaderRules, MalformedYamlIsPlaced) {
    const auto ds = errors_of(replace(kValid, "  - {code: AAA, gdp_per_capita_usd: 2000}",
                                      "  - {code: AAA, gdp_per_capita_usd: 2000"));
    ASSERT_EQ(ds.size(), 1u);
    EXPECT_NE(ds[0].message.find("malformed YAML"), std::string::npos);
    EXPECT_GT(ds[0].line, 0);
}

TEST(ScenarioReaderRules, MissingRequiredKeyIsAnError) {
    const auto ds = errors_of(replace(kValid, "name: tiny\n", ""));
    ASSERT_EQ(ds.size(), 1u);
    EXPECT_NE(ds[0].message.find("missing required key 'name'"), std::string::npos);
}

TEST(ScenarioReaderRules, EveryErrorIsReported) {
    std::string text = replace(kValid, "months: 6", "months: -1");
    text = replace(text, "amount_share: 0.15", "amount_shares: 0.15");
    text = replace(text, "host: BBB", "host: ZZZ");
    EXPECT_EQ(errors_of(text).size(), 3u);
}

TEST(ScenarioReaderRules, UnknownPolicyKindSuggestsTheClosest) {
    const auto ds = errors_of(std::string(kValid) + "policies:\n  - {kind: matchng, by: AAA}\n");
    expect_one(ds, 14, 12, "unknown kind 'matchng' in 'policies.0' (did you mean 'matching'?)");
}

TEST(ScenarioReaderRules, KeysOfAnotherKindAreUnknown) {
    const auto ds =
        errors_of(std::string(kValid) + "policies:\n  - {kind: matching, by: AAA, coupon: 0.05}\n");
    expect_one(ds, 14, 31, "unknown key 'coupon' in 'policies.0'");
}

TEST(ScenarioReaderRules, OriginLeverByAHostIsRefused) {
    const auto ds = errors_of(std::string(kValid) + "policies:\n  - {kind: matching, by: BBB}\n");
    expect_one(ds, 14, 26, "has no corridor as origin");
}

TEST(ScenarioReaderRules, SizesBeyondThirtyTwoBitIdsAreRefused) {
    auto ds = errors_of(replace(replace(kValid, "scale: 10", "scale: 0.1"), "stock: 5000", "stock: 5e8"));
    ASSERT_FALSE(ds.empty());
    EXPECT_NE(ds[0].message.find("members on one corridor"), std::string::npos) << ds[0].message;
    ds = errors_of(replace(replace(kValid, "scale: 10", "scale: 1"), "stock: 5000", "stock: 5e8") +
                   "network: {mean_degree: 64}\n");
    bool links = false;
    for (const auto& d : ds)
        links = links || d.message.find("social links") != std::string::npos;
    EXPECT_TRUE(links);
}

TEST(ScenarioReaderRules, ImplicitGraphHasAtMostSixteenLinksAndNoLinkLimit) {
    // 5e8 members x 64 link ends is beyond an explicit graph; an implicit graph stores no links but
    // marks at most 8 rewired links per member, so its mean_degree is at most 16.
    const std::string big = replace(replace(kValid, "scale: 10", "scale: 1"), "stock: 5000", "stock: 5e8");
    auto ds = errors_of(big + "network: {mean_degree: 64, graph: implicit}\n");
    ASSERT_EQ(ds.size(), 1u);
    EXPECT_NE(ds[0].message.find("at most 16, not 64"), std::string::npos) << ds[0].message;
    EXPECT_TRUE(errors_of(big + "network: {mean_degree: 16, graph: implicit}\n").empty());
    ds = errors_of(std::string(kValid) + "network: {graph: sparse}\n");
    ASSERT_EQ(ds.size(), 1u);
    EXPECT_NE(ds[0].message.find("explicit"), std::string::npos) << ds[0].message;
}

TEST(ScenarioReaderRules, ShockBeforeTheStartIsRefused) {
    const auto ds = errors_of(std::string(kValid) +
                              "shocks:\n  - {kind: origin_disaster, countries: [AAA], from: 2016-06}\n");
    expect_one(ds, 14, 53, "before the scenario's start 2017-01");
}

std::vector<Diagnostic> warnings_of(const std::string& text, const std::vector<std::string>& sets = {}) {
    return io::parse_scenario(text, "x.yaml", sets).warnings;
}

TEST(ScenarioReaderWarnings, ItemsWhollyOutsideTheRunAreWarnedOfNotRefused) {
    // kValid runs six months, 2017-01 to 2017-06.
    const std::string lever = "policies:\n  - {kind: matching, by: AAA, from: 2017-07}\n";
    auto ws = warnings_of(std::string(kValid) + lever);
    ASSERT_EQ(ws.size(), 1u);
    EXPECT_TRUE(ws[0].warning);
    EXPECT_EQ(ws[0].line, 14);
    EXPECT_EQ(ws[0].column, static_cast<int>(lever.find("2017-07") - lever.find("  -")) + 1);
    EXPECT_EQ(ws[0].message,
              "policies.0 (matching lever, from 2017-07 on) never acts: the run covers 2017-01 to 2017-06");
    EXPECT_NE(ws[0].to_string().find("x.yaml:14:"), std::string::npos);
    EXPECT_NE(ws[0].to_string().find(": warning: "), std::string::npos);
    // The same file with a longer run: the lever acts in its last month, and nothing is said.
    EXPECT_TRUE(warnings_of(std::string(kValid) + lever, {"months=7"}).empty());

    ws = warnings_of(std::string(kValid) +
                     "policies:\n  - {kind: matching, by: AAA, from: 2016-01, to: 2016-12}\n");
    ASSERT_EQ(ws.size(), 1u);
    EXPECT_NE(ws[0].message.find("(matching lever, 2016-01 to 2016-12) never acts"), std::string::npos);
    EXPECT_TRUE(warnings_of(std::string(kValid) +
                            "policies:\n  - {kind: matching, by: AAA, from: 2016-01, to: 2017-01}\n")
                    .empty());

    // Shocks: after the end, or wholly before the start, is the same warning on either side.
    ws = warnings_of(std::string(kValid) +
                     "shocks:\n  - {kind: origin_disaster, countries: [AAA], from: 2017-07}\n");
    ASSERT_EQ(ws.size(), 1u);
    EXPECT_NE(ws[0].message.find("shocks.0 (origin_disaster shock, 2017-07 to 2018-06) never acts"),
              std::string::npos)
        << ws[0].message;
    ws = warnings_of(std::string(kValid) +
                     "shocks:\n  - {kind: origin_disaster, countries: [AAA], from: 2016-01, months: 12}\n");
    ASSERT_EQ(ws.size(), 1u);
    EXPECT_NE(ws[0].message.find("(origin_disaster shock, 2016-01 to 2016-12) never acts"),
              std::string::npos);
    EXPECT_TRUE(warnings_of(std::string(kValid) +
                            "shocks:\n  - {kind: origin_disaster, countries: [AAA], from: 2017-06}\n")
                    .empty());
}

TEST(ScenarioReaderRules, RunawayGrowthIsRefused) {
    const auto ds =
        errors_of(replace(kValid, "gdp_per_capita_usd: 2000}", "gdp_per_capita_usd: 2000, growth: 0.5}") + "",
                  {"months=1200"});
    ASSERT_EQ(ds.size(), 1u);
    EXPECT_NE(ds[0].message.find("multiplies incomes by"), std::string::npos) << ds[0].message;
}

TEST(ScenarioReaderRules, DeepNestingIsAnInputError) {
    std::string deep = "schema_version: 1\nname: x\nbehaviour: ";
    for (int i = 0; i < 3000; ++i)
        deep += "[";
    EXPECT_FALSE(errors_of(deep).empty());
}

TEST(ScenarioReaderSet, OverridesAScalar) {
    const auto s =
        io::parse_scenario(kValid, "x.yaml", {"behaviour.remit.amount_share=0.2", "seed=9"}).scenario;
    EXPECT_DOUBLE_EQ(s.behaviour.remit.amount_share, 0.2);
    EXPECT_EQ(s.seed, 9);
}

TEST(ScenarioReaderSet, OverridesAListItem) {
    const auto s = io::parse_scenario(kValid, "x.yaml", {"corridors.0.cost_formal=0.03"}).scenario;
    EXPECT_DOUBLE_EQ(s.corridors[0].cost_formal, 0.03);
}

TEST(ScenarioReaderSet, BadOverridesNameTheArgument) {
    auto ds = errors_of(kValid, {"behaviour.remit.amount_share=abc"});
    ASSERT_EQ(ds.size(), 1u);
    EXPECT_EQ(ds[0].file, "--set behaviour.remit.amount_share=abc");
    EXPECT_NE(ds[0].message.find("'amount_share' must be a number"), std::string::npos);
    ds = errors_of(kValid, {"behaviour.remit.amount_shar=0.2"});
    ASSERT_EQ(ds.size(), 1u);
    EXPECT_NE(ds[0].message.find("did you mean 'amount_share'"), std::string::npos);
    ds = errors_of(kValid, {"months"});
    ASSERT_EQ(ds.size(), 1u);
    EXPECT_NE(ds[0].message.find("expected PATH=VALUE"), std::string::npos);
    ds = errors_of(kValid, {"corridors.5.stock=1"});
    ASSERT_EQ(ds.size(), 1u);
    EXPECT_NE(ds[0].message.find("no item 5"), std::string::npos);
    ds = errors_of(kValid, {"scale=1e-9"});
    ASSERT_EQ(ds.size(), 1u);
    EXPECT_NE(ds[0].message.find("out of range"), std::string::npos);
}

TEST(ScenarioResolved, RoundTripsThroughTheReader) {
    const auto first =
        io::parse_scenario(std::string(kValid) +
                               "policies:\n  - {kind: diaspora_bond, by: AAA, from: 2018-03, size_usd: 1e6}\n"
                               "shocks:\n  - {kind: pandemic, from: 2019-01}\n",
                           "x.yaml")
            .scenario;
    const std::string text = io::emit_resolved(first);
    const auto again = io::parse_scenario(text, "resolved.yaml").scenario;
    EXPECT_EQ(io::emit_resolved(again), text);
    EXPECT_DOUBLE_EQ(again.policies[0].as<core::levers::DiasporaBond>().size_usd, 1e6);
    EXPECT_EQ(again.policies[0].from.to_string(), "2018-03");
}

TEST(ScenarioParameterReference, DocumentsEveryKindAndKey) {
    const std::string ref = io::parameter_reference();
    for (const auto& k : core::LeverKinds::names())
        EXPECT_NE(ref.find("kind: " + k), std::string::npos) << k;
    for (const auto& k : core::ShockKinds::names())
        EXPECT_NE(ref.find("kind: " + k), std::string::npos) << k;
    EXPECT_NE(ref.find("`behaviour.remit.amount_share` | `0.15` | share"), std::string::npos);
}

TEST(ScenarioParameterReference, NoParameterRestsOnABareAssumption) {
    // Every parameter of docs/parameters.md names its source: a published estimate, a fit, the
    // scenario, or "assumption" with the reason (docs/history.md lists what remains assumed).
    std::istringstream rows(io::parameter_reference());
    int checked = 0;
    for (std::string line; std::getline(rows, line);) {
        if (line.rfind("| `", 0) != 0) continue;
        const auto last = line.rfind(" |");
        const auto before = line.rfind("| ", last - 1);
        ASSERT_NE(before, std::string::npos) << line;
        const std::string source = line.substr(before + 2, last - before - 2);
        ++checked;
        EXPECT_NE(source, "assumption") << line;
        EXPECT_FALSE(source.empty() && line.find("` | list |") == std::string::npos) << line;
    }
    EXPECT_GT(checked, 150);
}

TEST(ScenarioParameterReference, DocsFileIsUpToDate) {
    std::ifstream in(std::string(BRIDGES_SOURCE_DIR) + "/docs/parameters.md");
    ASSERT_TRUE(in) << "docs/parameters.md is missing";
    std::stringstream ss;
    ss << in.rdbuf();
    EXPECT_NE(ss.str().find(io::parameter_reference()), std::string::npos)
        << "docs/parameters.md is out of date: regenerate it with `bridges params`";
}

TEST(ScenarioReaderRules, TargetAllExcludesOriginsAndHosts) {
    const auto ds =
        errors_of(std::string(kValid) +
                  "policies:\n  - {kind: cost_cap, by: BBB, target: {all: true, hosts: [BBB]}}\n");
    ASSERT_EQ(ds.size(), 1u);
    EXPECT_EQ(ds[0].line, 14);
    EXPECT_NE(ds[0].message.find("'all' reaches every corridor"), std::string::npos) << ds[0].message;
}

// A lever with no target reaches the diaspora of the state that applies it; `all` reaches every
// corridor.
TEST(PolicyTarget, AllReachesEveryCorridor) {
    const std::string text =
        replace(kValid, "corridors:\n  - {origin: AAA, host: BBB, stock: 5000}\n",
                "corridors:\n  - {origin: AAA, host: BBB, stock: 5000, cost_formal: 0.08}\n"
                "  - {origin: BBB, host: AAA, stock: 5000, cost_formal: 0.09}\n") +
        "policies:\n  - {kind: cost_cap, by: BBB, cap: 0.03, target: {TARGET}}\n";
    auto costs = [&](const std::string& target) {
        core::Engine e(io::parse_scenario(replace(text, "{TARGET}", target), "x.yaml").scenario);
        return e.step().get("corridors", "cost_formal");
    };
    const auto own = costs("{}"), all = costs("{all: true}");
    EXPECT_DOUBLE_EQ(own[0], 0.08); // AAA's diaspora: not reached
    EXPECT_DOUBLE_EQ(own[1], 0.03); // BBB's diaspora
    EXPECT_DOUBLE_EQ(all[0], 0.03);
    EXPECT_DOUBLE_EQ(all[1], 0.03);
}
