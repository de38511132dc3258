#include "study/calibrate.hpp"

#include "core/base/errors.hpp"
#include "core/engine/engine.hpp"
#include "io/batch_index.hpp"
#include "io/clock.hpp"
#include "io/durable_file.hpp"
#include "io/scenario_reader.hpp"
#include "io/world_data.hpp"
#include "study/levenberg_marquardt.hpp"
#include "study/run.hpp"

#include <Eigen/Dense>
#include <tbb/global_control.h>
#include <tbb/info.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <ctime>
#include <filesystem>
#include <iomanip>
#include <iterator>
#include <map>
#include <numeric>
#include <ostream>
#include <sstream>

namespace bridges::study {

using namespace io; // the file formats this study code reads and writes

namespace {

/// A fitted parameter: where it lives in the scenario and how it is transformed for the solver.
struct Knob {
    const char* name;
    double core::RemitSpec::*field;
    bool log_scale; // fitted as log(value): the value stays positive
    double lo, hi;  // bounds of the value
    double prior;   // pull towards the starting value, per solver unit
};

// The amount share and the host-income elasticity are free (a weak pull only keeps flat directions
// defined); the two intercepts, which the 2017 flows barely tell apart from the amount share, are
// held near their literature values (one logit unit costs as much as the whole data loss of a
// one-log-unit error everywhere).
const Knob kKnobs[] = {
    {"behaviour.remit.amount_share", &core::RemitSpec::amount_share, true, 1e-4, 1.0, 0.05},
    {"behaviour.remit.host_income_elasticity", &core::RemitSpec::host_income_elasticity, false, 0.0, 2.0,
     0.05},
    {"behaviour.remit.intercept", &core::RemitSpec::intercept, false, -20.0, 20.0, 1.0},
    {"behaviour.remit.formal_intercept", &core::RemitSpec::formal_intercept, false, -20.0, 20.0, 1.0},
};
constexpr int kP = static_cast<int>(std::size(kKnobs));
constexpr double kStep = 0.05;      // forward-difference step, in solver units
constexpr double kTotalWeight = 10; // the world total is all but a constraint
constexpr double kTolerance = 1e-4; // relative gain of the loss below which the fit has converged

double to_solver(const Knob& k, double v) {
    return k.log_scale ? std::log(v) : v;
}
double from_solver(const Knob& k, double x) {
    return std::clamp(k.log_scale ? std::exp(x) : x, k.lo, k.hi);
}

/// Remittances per corridor a year as the World Bank's matrix counts them. The matrix allocates
/// each country's recorded inflows over its corridors by migrant stock and incomes (Ratha & Shaw
/// 2007) and knows nothing of channels by corridor, so each corridor's remittances through every
/// channel are scaled by one factor that makes the world total equal the simulated formal (recorded)
/// total. The simulated months are summed and annualised.
std::vector<double> simulate(const core::Scenario& base, const Eigen::VectorXd& x,
                             const std::vector<double>& propensity = {}) {
    core::Scenario s = base;
    for (int j = 0; j < kP; ++j)
        s.behaviour.remit.*kKnobs[j].field = from_solver(kKnobs[j], x[j]);
    for (std::size_t k = 0; k < propensity.size(); ++k)
        s.corridors[k].propensity = propensity[k];
    core::Engine engine(s);
    const auto formal = static_cast<std::size_t>(core::Var::corridors_remit_formal_usd);
    const auto informal = static_cast<std::size_t>(core::Var::corridors_remit_informal_usd);
    std::vector<double> flow(s.corridors.size(), 0.0);
    double formal_total = 0;
    while (!engine.done()) {
        const core::MonthRecord& r = engine.step();
        for (std::size_t k = 0; k < flow.size(); ++k) {
            flow[k] += r.values[formal][k] + r.values[informal][k];
            formal_total += r.values[formal][k];
        }
    }
    const double all = std::accumulate(flow.begin(), flow.end(), 0.0);
    const double factor = all > 0 ? 12.0 / static_cast<double>(s.months) * formal_total / all : 0.0;
    for (double& f : flow)
        f *= factor;
    return flow;
}

/// R^2 of simulated on target log flows over the corridors `fit`; weighted by the target's size
/// (the loss's weights) or unweighted.
double r2_log(const std::vector<std::size_t>& fit, const std::vector<double>& target,
              const std::vector<double>& flows, bool weighted) {
    double wsum = 0, mean = 0;
    for (auto k : fit) {
        const double w = weighted ? target[k] : 1.0;
        wsum += w;
        mean += w * std::log(target[k]);
    }
    mean /= wsum;
    double ss_res = 0, ss_tot = 0;
    for (auto k : fit) {
        const double w = weighted ? target[k] : 1.0;
        const double y = std::log(target[k]), yh = std::log(std::max(flows[k], 1.0));
        ss_res += w * (y - yh) * (y - yh);
        ss_tot += w * (y - mean) * (y - mean);
    }
    return 1.0 - ss_res / ss_tot;
}

constexpr double kPropensityMin = 1e-3, kPropensityMax = 1000; // the bounds of CorridorSpec::propensity

/// The per-corridor mode: with the global parameters fixed at `x`, multiplies each corridor's
/// propensity by target / simulated, a fixed number of times (each a fresh simulation, since
/// corridors share households' budgets and the world scaling). Every corridor with an estimate and
/// a simulated flow gets one; the rest keep 1. Fills the per-corridor figures of `res`.
std::vector<double> fit_propensities(const CalibrateOptions& o, const core::Scenario& base,
                                     const Eigen::VectorXd& x, const std::vector<double>& target,
                                     const std::vector<double>& global_flows, CalibrationResult& res) {
    const auto t0 = std::chrono::steady_clock::now();
    std::vector<double> p(base.corridors.size()), flows = global_flows;
    for (std::size_t k = 0; k < p.size(); ++k)
        p[k] = base.corridors[k].propensity; // the scenario's own (world.propensity), else 1
    std::vector<std::size_t> fitted;
    for (std::size_t k = 0; k < p.size(); ++k)
        if (target[k] > 0 && flows[k] > 0) fitted.push_back(k);
    for (int it = 0; it < o.per_corridor_iterations; ++it) {
        for (auto k : fitted)
            if (flows[k] > 0) p[k] = std::clamp(p[k] * target[k] / flows[k], kPropensityMin, kPropensityMax);
        flows = simulate(base, x, p);
        ++res.evaluations_per_corridor;
    }
    res.seconds_per_corridor = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    res.corridors_propensity = fitted.size();
    for (auto k : fitted)
        if (p[k] <= kPropensityMin || p[k] >= kPropensityMax) ++res.propensity_at_bound;
    res.r2_log_weighted_per_corridor = r2_log(fitted, target, flows, true);
    res.r2_log_per_corridor = r2_log(fitted, target, flows, false);
    return p;
}

} // namespace

CalibrationResult calibrate(const CalibrateOptions& o, std::ostream& out) {
    const auto t0 = std::chrono::steady_clock::now();
    std::vector<std::string> sets = o.overrides;
    sets.push_back("months=" + std::to_string(o.months));
    const LoadedScenario loaded = load_scenario(o.scenario_path, sets);
    const core::Scenario& base = loaded.scenario;
    if (base.world_source.empty())
        throw ScenarioError(
            {{o.scenario_path, 0, 0,
              "calibration compares corridors with the World Bank's 2017 estimates: the scenario "
              "needs a 'world' block"}});
    const int threads = o.threads > 0 ? o.threads : tbb::info::default_concurrency();
    tbb::global_control limit(tbb::global_control::max_allowed_parallelism,
                              static_cast<std::size_t>(threads));

    // Targets: the World Bank's 2017 estimate of each corridor of the scenario.
    const WorldData& data = read_world_data(base.world_source);
    std::map<std::pair<std::string, std::string>, double> wb;
    CalibrationResult res;
    for (const auto& k : data.corridors)
        if (std::isfinite(k.remittances_wb_2017_usd)) {
            wb[{k.origin, k.host}] = k.remittances_wb_2017_usd;
            res.world_total_usd += k.remittances_wb_2017_usd;
        }
    const std::size_t n = base.corridors.size();
    std::vector<double> target(n, 0.0);
    std::vector<std::size_t> fit; // corridors in the loss
    for (std::size_t k = 0; k < n; ++k) {
        const auto it = wb.find({base.corridors[k].origin, base.corridors[k].host});
        if (it == wb.end()) continue;
        target[k] = it->second;
        res.target_total_usd += it->second;
        if (it->second > 0 && std::round(base.corridors[k].stock / base.scale) >= o.min_members)
            fit.push_back(k);
    }
    res.corridors = n;
    res.corridors_fitted = fit.size();
    if (fit.size() < 2 * kP)
        throw ScenarioError(
            {{o.scenario_path, 0, 0,
              "only " + std::to_string(fit.size()) + " corridors have a World Bank estimate and at least " +
                  std::to_string(static_cast<int>(o.min_members)) + " members: lower world.scale to fit"}});
    double fit_total = 0;
    for (auto k : fit)
        fit_total += target[k];

    // Residuals: size-weighted log errors of the fitted corridors, the log error of the world total
    // (weighted kTotalWeight: all but a constraint), and a weak pull towards the starting values.
    Eigen::VectorXd x0(kP);
    for (int j = 0; j < kP; ++j) {
        x0[j] = to_solver(kKnobs[j], base.behaviour.remit.*kKnobs[j].field);
        res.names.emplace_back(kKnobs[j].name);
        res.start.push_back(base.behaviour.remit.*kKnobs[j].field);
    }
    auto residuals = [&](const Eigen::VectorXd& x, std::vector<double>* flows) {
        const std::vector<double> sim = simulate(base, x);
        ++res.evaluations;
        Eigen::VectorXd r(static_cast<Eigen::Index>(fit.size()) + 1 + kP);
        for (std::size_t i = 0; i < fit.size(); ++i) {
            const std::size_t k = fit[i];
            r[static_cast<Eigen::Index>(i)] =
                std::sqrt(target[k] / fit_total) * (std::log(std::max(sim[k], 1.0)) - std::log(target[k]));
        }
        const double total = std::accumulate(sim.begin(), sim.end(), 0.0);
        r[static_cast<Eigen::Index>(fit.size())] =
            kTotalWeight * (std::log(std::max(total, 1.0)) - std::log(res.world_total_usd));
        for (int j = 0; j < kP; ++j)
            r[static_cast<Eigen::Index>(fit.size()) + 1 + j] = kKnobs[j].prior * (x[j] - x0[j]);
        if (flows) *flows = sim;
        return r;
    };

    const auto bound = [](Eigen::VectorXd x) {
        for (int j = 0; j < kP; ++j)
            x[j] = to_solver(kKnobs[j], from_solver(kKnobs[j], x[j]));
        return x;
    };
    const LmFit<std::vector<double>> lm =
        levenberg_marquardt<std::vector<double>>(residuals, bound, x0, o.max_iterations, kTolerance, kStep);
    const Eigen::VectorXd& x = lm.x;
    const Eigen::VectorXd& r = lm.r;
    const std::vector<double>& flows = lm.payload;
    res.loss_start = lm.loss_start;
    res.r2_log_weighted_start = r2_log(fit, target, lm.payload_start, true);
    res.iterations = lm.iterations;
    res.converged = lm.converged;
    res.loss = r.squaredNorm();
    for (int j = 0; j < kP; ++j)
        res.fitted.push_back(from_solver(kKnobs[j], x[j]));

    // The report's figures.
    res.simulated_total_usd = std::accumulate(flows.begin(), flows.end(), 0.0);
    res.r2_log_weighted = r2_log(fit, target, flows, true);
    res.r2_log = r2_log(fit, target, flows, false);
    auto top10 = [](std::vector<double> v) {
        const double total = std::accumulate(v.begin(), v.end(), 0.0);
        std::sort(v.begin(), v.end(), std::greater<>());
        v.resize(std::min<std::size_t>(10, v.size()));
        return total > 0 ? std::accumulate(v.begin(), v.end(), 0.0) / total : 0.0;
    };
    res.top10_share_simulated = top10(flows);
    std::vector<double> all_targets;
    for (const auto& [key, v] : wb)
        all_targets.push_back(v);
    res.top10_share_target = top10(all_targets);
    for (std::size_t k = 0; k < n; ++k)
        if (base.corridors[k].origin == "MEX" && base.corridors[k].host == "USA") {
            res.rank_usa_mex = 1;
            for (std::size_t q = 0; q < n; ++q)
                if (flows[q] > flows[k]) ++res.rank_usa_mex;
        }
    res.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    std::vector<double> propensity;
    if (o.per_corridor) propensity = fit_propensities(o, base, x, target, flows, res);

    std::ostringstream report;
    report << std::fixed << std::setprecision(1);
    report << "Calibration of " << o.scenario_path << " against the World Bank's 2017 bilateral estimates\n"
           << "  " << n << " corridors, " << res.corridors_fitted << " fitted (an estimate and at least "
           << o.min_members << " members at scale " << base.scale << "), first " << o.months
           << " months (annualised)\n";
    for (int j = 0; j < kP; ++j)
        report << "  " << std::left << std::setw(40) << res.names[j] << std::right << std::setprecision(4)
               << std::setw(10) << res.start[j] << " -> " << std::setw(10) << res.fitted[j] << "\n";
    report << std::setprecision(1) << "  simulated total " << res.simulated_total_usd / 1e9 << " bn US$ vs "
           << res.world_total_usd / 1e9 << " bn (World Bank 2017; " << res.target_total_usd / 1e9
           << " bn on the scenario's corridors): " << std::showpos
           << 100.0 * (res.simulated_total_usd / res.world_total_usd - 1.0) << "%" << std::noshowpos << "\n"
           << std::setprecision(3) << "  R^2 on log corridor flows: " << res.r2_log_weighted
           << " weighted by size (the loss's weights; " << res.r2_log_weighted_start << " at the start), "
           << res.r2_log << " unweighted\n"
           << std::setprecision(1) << "  top-10 corridor share: " << 100 * res.top10_share_simulated
           << "% simulated, " << 100 * res.top10_share_target << "% World Bank\n"
           << "  rank of United States -> Mexico: " << res.rank_usa_mex << "\n"
           << std::setprecision(4) << "  loss " << res.loss_start << " -> " << res.loss << ", "
           << res.iterations << " iteration(s) (" << (res.converged ? "converged" : "not converged") << "), "
           << res.evaluations << " simulations, " << std::setprecision(1) << res.seconds << " s on "
           << threads << " thread(s)\n";
    if (o.per_corridor)
        report << std::setprecision(3)
               << "  per-corridor mode (a fit, not a prediction): " << res.corridors_propensity
               << " propensities, " << res.propensity_at_bound << " at a bound, " << o.per_corridor_iterations
               << " iteration(s); R^2 on log corridor flows " << res.r2_log_weighted_per_corridor
               << " weighted, " << res.r2_log_per_corridor << " unweighted; " << res.evaluations_per_corridor
               << " simulations, " << std::setprecision(1) << res.seconds_per_corridor << " s\n";
    out << report.str();

    std::string overlay = o.overlay_path.empty() ? "out/" + base.name + "_calibration.yaml" : o.overlay_path;
    const std::filesystem::path op(overlay);
    if (op.has_parent_path()) std::filesystem::create_directories(op.parent_path());
    std::ostringstream y;
    y << "# Global behaviour parameters fitted by `bridges calibrate` (" << utc_now() << ").\n";
    std::istringstream lines(report.str());
    for (std::string line; std::getline(lines, line);)
        y << "#" << (line.empty() ? "" : " " + line) << "\n";
    y << "# A scenario takes these values with `include: " << op.filename().string()
      << "` (its own values win).\n"
      << "behaviour:\n  remit:\n"
      << std::setprecision(10);
    for (int j = 0; j < kP; ++j) {
        const std::string key = res.names[j].substr(res.names[j].rfind('.') + 1);
        y << "    " << key << ": " << res.fitted[j] << "\n";
    }
    if (o.per_corridor) {
        // The propensities go to a CSV file beside the overlay; world.propensity names it relative
        // to the calibrated scenario's folder, as world.data is.
        std::filesystem::path csv = op;
        csv.replace_extension();
        csv += "_propensity.csv";
        std::ostringstream c;
        c << "origin,host,propensity\n" << std::setprecision(8);
        for (std::size_t k = 0; k < n; ++k)
            if (propensity[k] != 1.0)
                c << base.corridors[k].origin << "," << base.corridors[k].host << "," << propensity[k]
                  << "\n";
        write_file_atomically(csv.string(), c.str());
        res.propensity_path = csv.string();
        const std::filesystem::path from =
            std::filesystem::absolute(std::filesystem::path(o.scenario_path)).parent_path();
        y << "world:\n  propensity: "
          << std::filesystem::absolute(csv).lexically_relative(from).generic_string() << "\n";
        out << "wrote " << res.propensity_path << "\n";
    }
    write_file_atomically(overlay, y.str());
    out << "wrote " << overlay << "\n";
    return res;
}

} // namespace bridges::study
