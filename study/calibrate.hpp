#pragma once
// `bridges calibrate`: fits global behaviour parameters of a real-world scenario so that its
// simulated corridor remittances of the first year match the World Bank's 2017 bilateral
// estimates (a size-weighted least-squares loss on log flows, Levenberg-Marquardt, deterministic).

#include <iosfwd>
#include <string>
#include <vector>

namespace bridges::study {

struct CalibrateOptions {
    std::string scenario_path;
    std::string overlay_path;           // default out/<scenario name>_calibration.yaml
    std::vector<std::string> overrides; // PATH=VALUE
    int threads = 0;                    // 0: all cores
    int months = 12;                    // the year compared with the 2017 estimates
    int max_iterations = 20;
    double min_members = 10;   // corridors with fewer members are not fitted
    bool per_corridor = false; // then also fit one propensity per corridor (a fit, not a prediction)
    int per_corridor_iterations = 6;
    bool history = false; // fit to the remittances recorded in 2010-2019 instead (calibrate_history)
};

struct CalibrationResult {
    std::vector<std::string> names;
    std::vector<double> start, fitted;
    int iterations = 0, evaluations = 0;
    bool converged = false;
    double loss_start = 0, loss = 0;
    double simulated_total_usd = 0, target_total_usd = 0, world_total_usd = 0;
    double r2_log_weighted = 0; // over the fitted corridors, weighted by the World Bank estimate
    double r2_log = 0;          // over the fitted corridors, unweighted
    double r2_log_weighted_start = 0;
    double top10_share_simulated = 0, top10_share_target = 0;
    int rank_usa_mex = 0; // of MEX <- USA among simulated flows (1: largest)
    std::size_t corridors_fitted = 0, corridors = 0;
    double seconds = 0; // of the global fit
    // --per-corridor: propensities of every corridor with an estimate and a simulated flow.
    std::size_t corridors_propensity = 0, propensity_at_bound = 0;
    int evaluations_per_corridor = 0;
    double seconds_per_corridor = 0;
    double r2_log_weighted_per_corridor = 0, r2_log_per_corridor = 0;
    std::string propensity_path;
};

/// Runs the fit, prints the report on `out` and writes the overlay file. Throws ScenarioError or
/// DataError (invalid input: exit 2) or Error (a failure: exit 1).
CalibrationResult calibrate(const CalibrateOptions& o, std::ostream& out);

/// `calibrate --history`: fits the behaviour parameters that move remittances from year to year
/// (behaviour.remit price_elasticity, income_elasticity, formal_cost, formal_access,
/// channel_review, cost, years_amplitude) of a world.history scenario that starts by 2008-01,
/// run from its start to 2019-12, to the remittances recorded in 2010-2019 (inflows of low- and
/// middle-income countries by year, outflows by host and year, Mexico's months), with one level
/// factor per origin fitted to its levels only; prints the fit beside the naive benchmark's and
/// writes the overlay and the origins' factors as corridor propensities (docs/history.md).
void calibrate_history(const CalibrateOptions& o, std::ostream& out);

} // namespace bridges::study
