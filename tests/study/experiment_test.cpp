// Experiment files: seed derivation, expansion of arms x sweep points x replicates, placement of
// overrides, and errors located in the experiment file (docs/scenarios.md and docs/experiments.md).

#include "core/base/errors.hpp"
#include "io/sha256.hpp"
#include "study/experiment.hpp"

#include <Random123/philox.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>

using namespace bridges;

namespace {

const char* kBase = R"(schema_version: 1
name: tiny
months: 3
seed: 5
countries:
  - {code: AAA, gdp_per_capita_usd: 2000}
  - {code: BBB, gdp_per_capita_usd: 40000}
corridors:
  - {origin: AAA, host: BBB, stock: 5000, cost_formal: 0.06}
scale: 10
)";

/// Writes the base scenario and an experiment into a fresh folder; returns the experiment's path.
class ExperimentFiles : public ::testing::Test {
  protected:
    void SetUp() override {
        dir_ =
            std::filesystem::temp_directory_path() /
            ("bridges_experiment_test_" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) +
             "_" + ::testing::UnitTest::GetInstance()->current_test_info()->name());
        std::filesystem::create_directories(dir_);
        std::ofstream(dir_ / "base.yaml") << kBase;
    }
    void TearDown() override { std::filesystem::remove_all(dir_); }
    std::string write(const std::string& text) {
        const auto p = dir_ / "exp.yaml";
        std::ofstream(p) << text;
        return p.string();
    }
    std::vector<Diagnostic> errors_of(const std::string& text) {
        try {
            study::load_experiment(write(text));
        } catch (const ScenarioError& e) {
            return e.diagnostics();
        }
        return {};
    }
    std::filesystem::path dir_;
};

} // namespace

TEST(Seeds, DerivedWithPhiloxFromTheMasterSeedAndReplicateOnly) {
    r123::Philox2x32 g;
    for (std::uint32_t master : {0u, 7u, 4294967295u})
        for (std::int64_t r : {0, 1, 999}) {
            const r123::Philox2x32::ctr_type ctr = {{static_cast<std::uint32_t>(r), 0x45585052u}};
            const r123::Philox2x32::key_type key = {{master}};
            EXPECT_EQ(study::derive_seed(master, r), g(ctr, key)[0]);
        }
    std::set<std::uint32_t> seeds;
    for (std::int64_t r = 0; r < 1000; ++r)
        seeds.insert(study::derive_seed(20260101, r));
    EXPECT_EQ(seeds.size(), 1000u); // distinct replicates draw distinct numbers
    EXPECT_NE(study::derive_seed(1, 0), study::derive_seed(2, 0));
}

TEST_F(ExperimentFiles, ArmsTimesSweepPointsTimesReplicatesInOrder) {
    const auto e = study::load_experiment(write(R"(schema_version: 1
name: order
base: base.yaml
arms:
  baseline: {}
  cut: {corridors.0.cost_formal: 0.02}
  match:
    policies+:
      - {kind: matching, by: AAA, ratio: 2}
sweep:
  grid:
    behaviour.remit.amount_share: [0.1, 0.2]
  zip:
    behaviour.remit.intercept: [0.5, 0.6]
    behaviour.remit.cost: [-8, -4]
replications: {count: 12, master_seed: 3}
)"));
    ASSERT_EQ(e.points.size(), 4u);
    EXPECT_EQ(e.points[0].label, "behaviour.remit.amount_share=0.1, behaviour.remit.intercept=0.5, "
                                 "behaviour.remit.cost=-8");
    EXPECT_EQ(e.points[3].label, "behaviour.remit.amount_share=0.2, behaviour.remit.intercept=0.6, "
                                 "behaviour.remit.cost=-4");
    const auto runs = study::plan_runs(e);
    ASSERT_EQ(runs.size(), 3u * 4u * 12u);
    // Ids by content: a sweep point by its label's hash, the replicate in at least two digits.
    const auto point_id = [&](std::size_t pt) { return io::sha256_hex(e.points[pt].label).substr(0, 12); };
    EXPECT_EQ(runs[0].id, "baseline-p" + point_id(0) + "-r00");
    EXPECT_EQ(runs[13].id, "baseline-p" + point_id(1) + "-r01");
    EXPECT_EQ(runs.back().id, "match-p" + point_id(3) + "-r11");
    for (const auto& r : runs) {
        EXPECT_EQ(r.seed, study::derive_seed(3, r.replicate)) << r.id; // common random numbers
        EXPECT_EQ(r.index, static_cast<std::size_t>(&r - runs.data()));
    }
    // The same replicate at the same point: the arms differ, so their scenarios do.
    EXPECT_NE(runs[0].resolved_sha256, runs[48].resolved_sha256);
    EXPECT_NE(runs[0].resolved_sha256, runs[1].resolved_sha256); // seeds differ
}

TEST_F(ExperimentFiles, RunIdsDoNotDependOnTheSizeOfTheDesign) {
    // The same runs in a design with fewer replicates and more sweep values have the same ids,
    // seeds and scenarios: --resume keeps them when the design grows.
    const std::string head = R"(schema_version: 1
base: base.yaml
arms:
  baseline: {}
sweep:
  grid:
    behaviour.remit.amount_share: )";
    const auto small = study::plan_runs(
        study::load_experiment(write(head + "[0.1, 0.2]\nreplications: {count: 5, master_seed: 3}\n")));
    const auto large = study::plan_runs(study::load_experiment(
        write(head + "[0.1, 0.15, 0.2]\nreplications: {count: 120, master_seed: 3}\n")));
    ASSERT_EQ(small.size(), 10u);
    ASSERT_EQ(large.size(), 360u);
    for (const auto& r : small) {
        const auto same =
            std::find_if(large.begin(), large.end(), [&](const auto& l) { return l.id == r.id; });
        ASSERT_NE(same, large.end()) << r.id;
        EXPECT_EQ(same->seed, r.seed) << r.id;
        EXPECT_EQ(same->resolved_sha256, r.resolved_sha256) << r.id;
    }
    EXPECT_EQ(large.back().id.substr(large.back().id.size() - 5), "-r119");
    // Without a sweep the point is "0".
    const auto plain = study::plan_runs(
        study::load_experiment(write("schema_version: 1\nbase: base.yaml\narms: {a: {}}\n")));
    EXPECT_EQ(plain.at(0).id, "a-p0-r00");
}

TEST_F(ExperimentFiles, OverridesSetAppendAndIndexIntoLists) {
    const auto e = study::load_experiment(write(R"(schema_version: 1
base: base.yaml
set:
  months: 4
arms:
  baseline: {}
  both:
    - policies+: [{kind: matching, by: AAA, ratio: 2}, {kind: cost_cap, by: BBB, cap: 0.03}]
    - policies.1.cap: 0.04
      corridors.0.stock: 6000
)"),
                                          {"scale=20"});
    EXPECT_EQ(e.name, "exp"); // from the file name
    const auto base = study::resolve_run(e, 0, 0, 11);
    EXPECT_EQ(base.scenario.months, 4);
    EXPECT_EQ(base.scenario.scale, 20);
    EXPECT_EQ(base.scenario.seed, 11);
    EXPECT_TRUE(base.scenario.policies.empty());
    const auto both = study::resolve_run(e, 1, 0, 11);
    ASSERT_EQ(both.scenario.policies.size(), 2u);
    EXPECT_EQ(core::kind_of(both.scenario.policies[0].params), core::LeverKind::matching);
    EXPECT_EQ(core::kind_of(both.scenario.policies[1].params), core::LeverKind::cost_cap);
    EXPECT_DOUBLE_EQ(both.scenario.policies[1].as<core::levers::CostCap>().cap, 0.04);
    EXPECT_DOUBLE_EQ(both.scenario.corridors[0].stock, 6000);
    // Resolving again starts from the base: nothing leaks between runs.
    EXPECT_TRUE(study::resolve_run(e, 0, 0, 11).scenario.policies.empty());
}

TEST_F(ExperimentFiles, InlineBaseIsReadFromTheExperiment) {
    std::string text = "schema_version: 1\nbase:\n";
    std::istringstream in(kBase);
    for (std::string line; std::getline(in, line);)
        text += "  " + line + "\n";
    text += "arms:\n  baseline: {}\n  high: {behaviour.remit.amount_share: 0.3}\n";
    const auto e = study::load_experiment(write(text));
    EXPECT_TRUE(e.base_inline);
    EXPECT_DOUBLE_EQ(study::resolve_run(e, 1, 0, 1).scenario.behaviour.remit.amount_share, 0.3);
    // An error inside the inline base points into the experiment file.
    const auto errs = errors_of(std::string(text).replace(text.find("stock: 5000"), 11, "stock: -5"));
    ASSERT_EQ(errs.size(), 1u);
    EXPECT_EQ(errs[0].file, (dir_ / "exp.yaml").string());
    EXPECT_EQ(errs[0].line, 11);
}

TEST_F(ExperimentFiles, ErrorsPointIntoTheExperimentFile) {
    const std::string path = (dir_ / "exp.yaml").string();
    // A sweep value out of range: at the value.
    auto errs = errors_of("schema_version: 1\nbase: base.yaml\nsweep:\n  grid:\n"
                          "    behaviour.remit.amount_share: [0.1, 1.5]\n");
    ASSERT_EQ(errs.size(), 1u);
    EXPECT_EQ(errs[0].file, path);
    EXPECT_EQ(errs[0].line, 5);
    EXPECT_EQ(errs[0].column, 41);
    EXPECT_NE(errs[0].message.find("amount_share"), std::string::npos);
    // A misspelled key in an arm: at the override, with a suggestion.
    errs =
        errors_of("schema_version: 1\nbase: base.yaml\narms:\n  a:\n    behaviour.remit.amout_share: 0.2\n");
    ASSERT_EQ(errs.size(), 1u);
    EXPECT_EQ(errs[0].file, path);
    EXPECT_EQ(errs[0].line, 5);
    EXPECT_EQ(errs[0].column, 5); // at the key
    EXPECT_NE(errs[0].message.find("did you mean 'amount_share'"), std::string::npos);
    // Unknown top-level key, zip of unequal lengths, an unknown baseline: all reported at once.
    errs = errors_of("schema_version: 1\nbase: base.yaml\nreplicatons: {count: 2}\nsweep:\n  zip:\n"
                     "    months: [1, 2]\n    seed: [1]\nbaseline: nosuch\n");
    ASSERT_EQ(errs.size(), 3u);
    EXPECT_EQ(errs[0].line, 3);
    EXPECT_NE(errs[0].message.find("did you mean 'replications'"), std::string::npos);
    EXPECT_EQ(errs[1].line, 8);
    EXPECT_EQ(errs[2].line, 7);
    // Appending to something that is not a list.
    errs = errors_of("schema_version: 1\nbase: base.yaml\narms:\n  a: {months+: 3}\n");
    ASSERT_EQ(errs.size(), 1u);
    EXPECT_EQ(errs[0].line, 4);
    EXPECT_NE(errs[0].message.find("not a list"), std::string::npos);
    // A missing base file names the file and the experiment.
    errs = errors_of("schema_version: 1\nbase: nowhere.yaml\n");
    ASSERT_EQ(errs.size(), 1u);
    EXPECT_EQ(errs[0].file, path);
    EXPECT_EQ(errs[0].line, 2);
    EXPECT_EQ(errs[0].column, 7);
    EXPECT_NE(errs[0].message.find("nowhere.yaml: cannot open"), std::string::npos);
}

TEST_F(ExperimentFiles, EachSweepPointCarriesItsOwnValues) {
    const auto e = study::load_experiment(write(R"(schema_version: 1
base: base.yaml
sweep:
  grid:
    behaviour.remit.amount_share: [0.1, 0.2, 0.3]
  zip:
    behaviour.remit.intercept: [0.5, 0.6]
    months: [4, 5]
)"));
    ASSERT_EQ(e.points.size(), 6u);
    for (std::size_t pt = 0; pt < 6; ++pt) {
        const auto s = study::resolve_run(e, 0, pt, 1).scenario;
        EXPECT_DOUBLE_EQ(s.behaviour.remit.amount_share, 0.1 * static_cast<double>(pt / 2 + 1)) << pt;
        EXPECT_DOUBLE_EQ(s.behaviour.remit.intercept, pt % 2 ? 0.6 : 0.5) << pt;
        EXPECT_EQ(s.months, pt % 2 ? 5 : 4) << pt;
    }
}

TEST_F(ExperimentFiles, ErrorsInSectionsAnOverrideCreatesPointAtTheOverride) {
    // 'behaviuor' does not exist in the base: the section the override made is reported at
    // the override, in the experiment file.
    const auto errs =
        errors_of("schema_version: 1\nbase: base.yaml\nset:\n  behaviuor.remit.amount_share: 0.1\n");
    ASSERT_EQ(errs.size(), 1u);
    EXPECT_EQ(errs[0].file, (dir_ / "exp.yaml").string());
    EXPECT_EQ(errs[0].line, 4);
    EXPECT_NE(errs[0].message.find("did you mean 'behaviour'"), std::string::npos);
}

TEST_F(ExperimentFiles, CommandLineValuesWithTabsOrLineBreaksAreRefused) {
    const std::string path = write("schema_version: 1\nbase: base.yaml\n");
    for (const char* bad : {"description=a\tb", "description=a\nb"}) {
        try {
            study::load_experiment(path, {bad});
            ADD_FAILURE() << "accepted " << bad;
        } catch (const ScenarioError& e) {
            ASSERT_EQ(e.diagnostics().size(), 1u);
            EXPECT_NE(e.diagnostics()[0].message.find("tabs and line breaks"), std::string::npos);
        }
    }
}
