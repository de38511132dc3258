#pragma once
// The facts of docs/model.md section 8, measured by running the model: on the synthetic baseline world
// (scenarios/baseline.yaml) or on a real world (`bridges facts --world WORLD.yaml`). Each fact is
// one or more checks, each a measured value against a target range taken from the literature;
// facts about a change compare paired runs with the same seed.

#include "core/model/scenario.hpp"

#include <functional>
#include <iosfwd>
#include <string>
#include <vector>

namespace bridges::study {

struct FactCheck {
    std::string measure; // what was measured
    std::string target;  // the range it must fall in, as text
    double value = 0;    // the simulated value
    bool pass = false;
};

struct Fact {
    int number = 0;
    std::string title, source;
    // "calibration": a parameter sets what the fact measures (`set_by` names it), so passing shows
    // the rule works as stated, not that the model explains it; "emergent": no parameter sets it.
    std::string kind, set_by;
    std::vector<FactCheck> checks;
    std::string note; // why the fact could not be measured, if it could not
    [[nodiscard]] bool pass() const;
};

constexpr int kFacts = 9;

/// Measures fact `number` (1..kFacts) on `base` (its months and policies are replaced by the fact's
/// own; its shocks are removed). A fact whose countries are missing from `base` fails with a note.
Fact measure_fact(int number, const core::Scenario& base);

/// Measures every fact in order, calling `done` after each.
std::vector<Fact> measure_facts(const core::Scenario& base,
                                const std::function<void(const Fact&)>& done = {});

/// One line per check: fact, measure, target, simulated, pass or FAIL.
void print_facts_table(const std::vector<Fact>& facts, std::ostream& out);
void print_fact_rows(const Fact& fact, std::ostream& out);
void print_facts_header(std::ostream& out);

struct FactsOptions {
    std::string scenario_path;          // the scenario measured (the synthetic baseline or a world)
    std::vector<std::string> overrides; // PATH=VALUE
    int threads = 0;                    // 0: all cores
    std::string format = "table";       // table or json
    int only = 0;                       // one fact's number; 0: every fact
};

/// `bridges facts`: measures the facts on the scenario and prints them (the table row by row as
/// each fact finishes). Returns 0 when every fact measured passes, 1 otherwise. Throws
/// ScenarioError or DataError for invalid input.
int run_facts(const FactsOptions& o, std::ostream& out);

/// {"scenario": ..., "pass": bool, "facts": [{"number", "title", "source", "kind", "set_by", "pass", "note",
/// "checks": [{"measure", "target", "simulated", "pass"}]}]}
void print_facts_json(const std::vector<Fact>& facts, const std::string& scenario, std::ostream& out);

} // namespace bridges::study
