#pragma once
// `bridges compare`: paired policy effects of a batch. For each arm (and sweep point) against the
// baseline arm at the same point, and each metric: both means, the mean of the paired differences
// over replicates (common random numbers), its Student-t confidence interval, the relative effect
// and, where the arm costs more than the baseline, the effect per US$ 1 million of programme cost.
// Each metric is taken over a period as what it is (core::Aggregate): flows summed, levels and
// means averaged over the months of the period; or its value in one month.

#include <iosfwd>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace bridges::study {

struct CompareOptions {
    std::string dir;
    std::string baseline;             // "" : the manifest's baseline arm
    std::vector<std::string> metrics; // NAME or NAME@ISO3; empty: the main flows
    std::string over;                 // run | YYYY ("" : run unless `at` is given)
    std::string at;                   // final | YYYY-MM (one month); cumulative: the same as --over run
    std::string format = "table";     // table | csv | json
    double confidence = 0.95;
};

struct Effect {
    std::string arm;
    std::int64_t point = 0;
    std::string point_label, metric, units;
    std::string aggregation; // how the metric's months were taken: "sum over the run", "mean over 2019", ...
    std::vector<std::pair<std::string, std::string>> sweep; // the point's swept (path, value) pairs
    std::size_t n = 0;                                      // paired replicates
    double baseline_mean = 0, arm_mean = 0, difference = 0;
    std::optional<double> ci_low, ci_high, relative_pct;
    double cost_usd = 0; // mean extra programme cost of the arm over the baseline, to the period's end
    /// difference per US$ 1 million of cost_usd: only where cost_usd > 0 and the metric is an
    /// amount (USD) or a count (persons, households, person-months).
    std::optional<double> effect_per_million_usd;
    bool debt = false; // the arm issues a diaspora bond: its cost counts coupons paid, not principal
};

struct Comparison {
    std::string experiment, baseline;
    std::string period;      // run, YYYY, final or YYYY-MM
    std::string period_text; // "the run", "2019", "the last month", "2019-06"
    double confidence = 0.95;
    std::vector<std::string> swept_paths; // of the batch's sweep, in order: one CSV column each
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
