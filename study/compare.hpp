#pragma once
// `bridges compare`: paired policy effects of a batch. For each arm (and sweep point) against the
// baseline arm at the same point, and each metric: both means, the mean of the paired differences
// over replicates (common random numbers), its Student-t confidence interval, the relative effect
// and, where the arm costs more than the baseline, the effect per US$ of programme cost.

#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

namespace bridges::study {

struct CompareOptions {
    std::string dir;
    std::string baseline;             // "" : the manifest's baseline arm
    std::vector<std::string> metrics; // NAME or NAME@ISO3; empty: the main flows
    std::string at = "cumulative";    // cumulative | final | YYYY-MM
    std::string format = "table";     // table | csv | json
    double confidence = 0.95;
};

struct Effect {
    std::string arm;
    std::int64_t point = 0;
    std::string point_label, metric, units;
    std::size_t n = 0; // paired replicates
    double baseline_mean = 0, arm_mean = 0, difference = 0;
    std::optional<double> ci_low, ci_high, relative_pct;
    double cost_usd = 0; // mean extra programme cost of the arm over the baseline
    std::optional<double> effect_per_usd;
};

struct Comparison {
    std::string experiment, baseline, at;
    double confidence = 0.95;
    std::vector<Effect> effects;
    std::size_t left_out = 0; // runs not complete
};

/// The metrics compared when none are named.
const std::vector<std::string>& default_compare_metrics();

/// Computes the effects. Throws DataError (exit 2) for a bad directory, arm, metric or date.
Comparison compare_batch(const CompareOptions& o);

/// Prints in the chosen format.
void print_comparison(const Comparison& c, const std::string& format, std::ostream& out);

} // namespace bridges::study
