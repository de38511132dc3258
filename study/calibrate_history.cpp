// `bridges calibrate --history`: fits the behaviour parameters that shape how remittances move from
// year to year to the recorded remittances of 2010-2019, with one level factor per origin (docs/history.md).

#include "study/calibrate.hpp"

#include "core/base/errors.hpp"
#include "core/engine/engine.hpp"
#include "io/clock.hpp"
#include "io/durable_file.hpp"
#include "io/scenario_reader.hpp"
#include "io/world_data.hpp"
#include "study/history_fit.hpp"
#include "study/levenberg_marquardt.hpp"

#include <tbb/global_control.h>
#include <tbb/info.h>

#include <chrono>
#include <cmath>
#include <filesystem>
#include <iomanip>
#include <iterator>
#include <ostream>
#include <sstream>
#include <vector>

namespace bridges::study {

namespace {

/// A fitted parameter: solver value = transform(value) / scale; `grid` the values tried one knob at
/// a time before the descent (the loss has more than one valley along some of them).
struct HistoryKnob {
    const char* name;
    double core::RemitSpec::*field;
    bool log_scale;
    double scale, lo, hi;
    std::vector<double> grid;
};

// What moves remittances from year to year besides stocks and host incomes: the response to the
// dollar price of the origin's goods and to migrants' own earnings, the pull of cheaper formal
// channels and of wider access to them, how fast senders change channels, the cost's weight on
// sending at all, and the inverted U of newcomers' remittances.
const HistoryKnob kHistoryKnobs[] = {
    {"behaviour.remit.price_elasticity",
     &core::RemitSpec::price_elasticity,
     false,
     1.0,
     -1.0,
     1.5,
     {-0.4, 0.0, 0.4, 0.8}},
    {"behaviour.remit.income_elasticity",
     &core::RemitSpec::income_elasticity,
     false,
     1.0,
     0.0,
     2.0,
     {0.0, 0.2, 0.6}},
    {"behaviour.remit.formal_cost",
     &core::RemitSpec::formal_cost,
     false,
     50.0,
     -200.0,
     0.0,
     {-50.0, -25.0, -10.0, 0.0}},
    {"behaviour.remit.formal_access",
     &core::RemitSpec::formal_access,
     false,
     1.0,
     -5.0,
     10.0,
     {0.0, 0.75, 1.5}},
    {"behaviour.remit.channel_review",
     &core::RemitSpec::channel_review,
     true,
     1.0,
     1e-3,
     1.0,
     {0.01, 0.026, 0.1}},
    {"behaviour.remit.cost", &core::RemitSpec::cost, false, 10.0, -50.0, 0.0, {-16.0, -8.0, 0.0}},
    {"behaviour.remit.years_amplitude",
     &core::RemitSpec::years_amplitude,
     false,
     1.0,
     0.0,
     5.0,
     {0.0, 0.7, 1.4}},
};
constexpr int kHP = static_cast<int>(std::size(kHistoryKnobs));
constexpr double kPrior = 0.05;          // pull towards the starting values, per solver unit
constexpr double kChangeWeight = 1.0;    // changes weigh as much as levels
constexpr double kOutflowWeight = 0.5;   // of the outflows by host, against the inflows
constexpr double kMexicoWeight = 0.25;   // of Mexico's monthly series
constexpr int kLeadYears = 2;            // the scenario starts at least this many years before 2010
constexpr int kLevelIterations = 8;      // at most, of the per-origin level factors
constexpr double kLevelTolerance = 0.01; // settled: no origin's log level error above it
constexpr double kFactorMin = 1e-3, kFactorMax = 1000;

double to_solver(const HistoryKnob& k, double v) {
    return (k.log_scale ? std::log(v) : v) / k.scale;
}
double from_solver(const HistoryKnob& k, double x) {
    return std::clamp(k.log_scale ? std::exp(x * k.scale) : x * k.scale, k.lo, k.hi);
}

/// What a run gives to compare with the record: formal remittances received by country and year,
/// sent by host and year, and received by Mexico by month.
struct Simulated {
    Series inflows, outflows, mexico;
};

Simulated simulate(core::Scenario s, const Eigen::VectorXd& x, const std::map<std::string, double>& factor) {
    for (int j = 0; j < kHP; ++j)
        s.behaviour.remit.*kHistoryKnobs[j].field = from_solver(kHistoryKnobs[j], x[j]);
    for (auto& k : s.corridors) {
        const auto f = factor.find(k.origin);
        if (f != factor.end()) k.propensity = std::clamp(k.propensity * f->second, kFactorMin, kFactorMax);
    }
    core::Engine engine(s);
    const auto& w = engine.world();
    Simulated out;
    while (!engine.done()) {
        const core::MonthRecord& r = engine.step();
        const core::YearMonth date = s.start.plus(engine.month() - 1);
        const auto& received = r.get(core::Var::countries_remit_formal_usd);
        for (std::size_t c = 0; c < w.countries.size(); ++c) {
            if (!w.countries.is_origin[c]) continue;
            out.inflows[w.countries.code[c]][date.year] += received[c];
            if (w.countries.code[c] == "MEX") out.mexico["MEX"][date.ordinal()] += received[c];
        }
        const auto& sent = r.get(core::Var::corridors_remit_formal_usd);
        for (std::size_t k = 0; k < w.corridors.size(); ++k)
            out.outflows[w.countries.code[w.corridors.host[k]]][date.year] += sent[k];
    }
    return out;
}

void print_figures(std::ostream& out, const char* what, const HistoryFigures& h) {
    out << "  " << std::left << std::setw(11) << what << std::right << std::setprecision(3) << std::setw(9)
        << h.weighted.pooled_r2 << std::setw(9) << h.weighted.within_r2 << std::setw(9)
        << h.weighted.change_correlation << "   " << std::setw(9) << h.unweighted.pooled_r2 << std::setw(9)
        << h.unweighted.within_r2 << std::setw(9) << h.unweighted.change_correlation << "\n";
}

} // namespace

void calibrate_history(const CalibrateOptions& o, std::ostream& out) {
    const auto t0 = std::chrono::steady_clock::now();
    constexpr int first = io::RecordedRemittances::kFirstYear, last = io::RecordedRemittances::kLastYear;
    // The scenario's own start, so that the fitted run is the scenario's, to the end of the last
    // recorded year.
    const io::LoadedScenario probe = io::load_scenario(o.scenario_path, o.overrides);
    const bool driven = std::any_of(probe.scenario.corridors.begin(), probe.scenario.corridors.end(),
                                    [](const core::CorridorSpec& k) { return !k.drivers.stock.empty(); });
    if (probe.scenario.world_source.empty() || !driven)
        throw ScenarioError({{o.scenario_path, 0, 0,
                              "calibrate --history compares a run with the remittances recorded in "
                              "2010-2019: the scenario needs a 'world' block with history: true"}});
    const core::YearMonth begin = probe.scenario.start, end{last, 12};
    if (begin.ordinal() > core::YearMonth{first - kLeadYears, 1}.ordinal())
        throw ScenarioError(
            {{o.scenario_path, 0, 0,
              "calibrate --history needs a scenario that starts by " + std::to_string(first - kLeadYears) +
                  "-01, before the recorded years " + std::to_string(first) + "-" + std::to_string(last) +
                  "; it starts " + begin.to_string()}});
    std::vector<std::string> sets = o.overrides;
    sets.push_back("months=" + std::to_string(end.ordinal() - begin.ordinal() + 1));
    const io::LoadedScenario loaded = io::load_scenario(o.scenario_path, sets);
    const core::Scenario& base = loaded.scenario;
    const int threads = o.threads > 0 ? o.threads : tbb::info::default_concurrency();
    tbb::global_control limit(tbb::global_control::max_allowed_parallelism,
                              static_cast<std::size_t>(threads));
    const io::RecordedRemittances rec = io::read_recorded_remittances(base.world_source);
    const Series mexico_rec = {{"MEX", rec.mexico_monthly}};

    Eigen::VectorXd x0(kHP);
    for (int j = 0; j < kHP; ++j)
        x0[j] = to_solver(kHistoryKnobs[j], base.behaviour.remit.*kHistoryKnobs[j].field);
    int evaluations = 0;
    const std::map<std::string, double> none;
    const Simulated start = simulate(base, x0, none);
    ++evaluations;
    const std::vector<Cell> inflow = inflow_cells(start.inflows, rec);
    const std::vector<Cell> outflow = comparable_cells(start.outflows, rec.outflows);
    const std::vector<Cell> mexico = comparable_cells(start.mexico, mexico_rec);
    if (inflow.size() < 10 * kHP)
        throw ScenarioError({{o.scenario_path, 0, 0,
                              "only " + std::to_string(inflow.size()) +
                                  " country-years of low- and middle-income inflows can be compared: "
                                  "lower world.scale to fit"}});
    const auto residuals_of = [&](const Simulated& sim, const Eigen::VectorXd& x) {
        std::vector<double> r;
        append_residuals(sim.inflows, rec.inflows, inflow, 1, kChangeWeight, 1.0, r);
        append_residuals(sim.outflows, rec.outflows, outflow, 1, kChangeWeight, kOutflowWeight, r);
        append_residuals(sim.mexico, mexico_rec, mexico, 12, kChangeWeight, kMexicoWeight, r);
        for (int j = 0; j < kHP; ++j)
            r.push_back(kPrior * (x[j] - x0[j]));
        return Eigen::VectorXd(Eigen::Map<Eigen::VectorXd>(r.data(), static_cast<Eigen::Index>(r.size())));
    };
    auto residuals = [&](const Eigen::VectorXd& x, Simulated* keep) {
        Simulated sim = simulate(base, x, none);
        ++evaluations;
        Eigen::VectorXd r = residuals_of(sim, x);
        if (keep) *keep = std::move(sim);
        return r;
    };
    const auto bound = [](Eigen::VectorXd x) {
        for (int j = 0; j < kHP; ++j)
            x[j] = to_solver(kHistoryKnobs[j], from_solver(kHistoryKnobs[j], x[j]));
        return x;
    };
    // One pass over the knobs, each set to the best of its grid with the others held, then the
    // descent from there.
    Eigen::VectorXd x = x0;
    double best = residuals_of(start, x0).squaredNorm();
    const double loss_start = best;
    for (int j = 0; j < kHP; ++j)
        for (const double g : kHistoryKnobs[j].grid) {
            Eigen::VectorXd xt = x;
            xt[j] = to_solver(kHistoryKnobs[j], g);
            if (xt[j] == x[j]) continue;
            const double loss = residuals(xt, nullptr).squaredNorm();
            if (loss < best) {
                best = loss;
                x = xt;
            }
        }
    const LmFit<Simulated> lm =
        levenberg_marquardt<Simulated>(residuals, bound, x, o.max_iterations, 1e-4, 0.05);
    const HistoryFigures before = history_figures(start.inflows, rec.inflows, inflow);

    // The level factors: each origin's recorded inflows over its simulated ones (size-weighted mean
    // of the logs), multiplied into its corridors' propensities until they settle.
    std::map<std::string, double> factor;
    Simulated fitted = lm.payload;
    int level_runs = 0;
    for (; level_runs < kLevelIterations; ++level_runs) {
        double worst = 0;
        for (const auto& [iso3, log_f] : history_figures(fitted.inflows, rec.inflows, inflow).log_factor) {
            worst = std::max(worst, std::abs(log_f));
            factor[iso3] = std::clamp((factor.count(iso3) ? factor[iso3] : 1.0) * std::exp(log_f), kFactorMin,
                                      kFactorMax);
        }
        if (level_runs > 0 && worst < kLevelTolerance) break;
        fitted = simulate(base, lm.x, factor);
        ++evaluations;
    }
    const HistoryFigures model = history_figures(fitted.inflows, rec.inflows, inflow);
    const HistoryFigures bench =
        history_figures(stock_income_benchmark(base, first, last), rec.inflows, inflow);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();

    std::ostringstream report;
    report << std::fixed << std::setprecision(4);
    report
        << "History calibration of " << o.scenario_path << " against the remittances recorded in " << first
        << "-" << last << "\n"
        << "  simulated " << base.start.to_string() << " to "
        << base.start.plus(static_cast<int>(base.months) - 1).to_string() << " at scale "
        << std::setprecision(0) << base.scale << "; " << model.cells << " country-years of " << model.series
        << " low- and middle-income origins, " << outflow.size() << " host-years of outflows, "
        << mexico.size() << " months of Mexico\n"
        << "  objective: log levels after one factor per series, and changes from one year (Mexico: the same "
           "month a year before) to the next, weighted alike; by size; outflows x"
        << std::setprecision(2) << kOutflowWeight << ", Mexico x" << kMexicoWeight << "\n";
    for (int j = 0; j < kHP; ++j)
        report << "  " << std::left << std::setw(40) << kHistoryKnobs[j].name << std::right
               << std::setprecision(4) << std::setw(10) << base.behaviour.remit.*kHistoryKnobs[j].field
               << " -> " << std::setw(10) << from_solver(kHistoryKnobs[j], lm.x[j]) << "\n";
    report << "  fit of inflows      weighted: pooled   within  changes   unweighted: pooled   within  "
              "changes\n";
    print_figures(report, "start", before);
    print_figures(report, "fitted", model);
    print_figures(report, "benchmark", bench);
    // The totals and regions as the run with the factors gives them (its own level errors not
    // profiled out).
    std::map<int, std::pair<double, double>> totals;
    std::map<std::string, std::pair<double, double>> regions;
    for (const auto& c : inflow) {
        const auto sim = fitted.inflows.find(c.key);
        const double s =
            sim != fitted.inflows.end() && sim->second.count(c.period) ? sim->second.at(c.period) : 0.0;
        const double r = rec.inflows.at(c.key).at(c.period);
        totals[c.period].first += s;
        totals[c.period].second += r;
        const auto region = rec.region.find(c.key);
        if (region == rec.region.end()) continue;
        regions[region->second].first += s;
        regions[region->second].second += r;
    }
    report << "  low- and middle-income total, simulated with the origins' factors (" << level_runs
           << " runs) / recorded, bn US$:\n";
    for (const auto& [year, t] : totals)
        report << "    " << year << std::setprecision(1) << std::setw(9) << t.first / 1e9 << std::setw(9)
               << t.second / 1e9 << std::showpos << std::setw(8) << 100 * (t.first / t.second - 1) << "%"
               << std::noshowpos << "\n";

    report << "  by region over " << first << "-" << last
           << ", simulated with the origins' factors / recorded:\n";
    for (const auto& [region, t] : regions)
        report << "    " << std::left << std::setw(28) << region << std::right << std::showpos
               << std::setprecision(1) << std::setw(8) << 100 * (t.first / t.second - 1) << "%"
               << std::noshowpos << "\n";
    report << std::setprecision(4) << "  loss " << loss_start << " -> " << best << " (grid) -> "
           << lm.r.squaredNorm() << ", " << lm.iterations << " iteration(s) ("
           << (lm.converged ? "converged" : "not converged") << "), " << evaluations << " simulations, "
           << std::setprecision(1) << seconds << " s on " << threads << " thread(s)\n";
    out << report.str();

    const std::string overlay =
        o.overlay_path.empty() ? "out/" + base.name + "_calibration.yaml" : o.overlay_path;
    const std::filesystem::path op(overlay);
    if (op.has_parent_path()) std::filesystem::create_directories(op.parent_path());
    std::filesystem::path csv = op;
    csv.replace_extension();
    csv += "_propensity.csv";
    std::ostringstream c;
    c << "origin,host,propensity\n" << std::setprecision(8);
    for (const auto& k : base.corridors) {
        const auto f = factor.find(k.origin);
        if (f != factor.end())
            c << k.origin << "," << k.host << ","
              << std::clamp(k.propensity * f->second, kFactorMin, kFactorMax) << "\n";
    }
    io::write_file_atomically(csv.string(), c.str());
    std::ostringstream y;
    y << "# Behaviour parameters and origin level factors fitted by `bridges calibrate --history` ("
      << io::utc_now() << ").\n";
    std::istringstream lines(report.str());
    for (std::string line; std::getline(lines, line);)
        y << "#" << (line.empty() ? "" : " " + line) << "\n";
    const std::filesystem::path from =
        std::filesystem::absolute(std::filesystem::path(o.scenario_path)).parent_path();
    y << "# A scenario takes these values with `include: " << op.filename().string()
      << "` (its own values win); the level factors are the propensities of the origins' corridors.\n"
      << "behaviour:\n  remit:\n"
      << std::setprecision(10);
    for (int j = 0; j < kHP; ++j) {
        const std::string name = kHistoryKnobs[j].name;
        y << "    " << name.substr(name.rfind('.') + 1) << ": " << from_solver(kHistoryKnobs[j], lm.x[j])
          << "\n";
    }
    y << "world:\n  propensity: " << std::filesystem::absolute(csv).lexically_relative(from).generic_string()
      << "\n";
    io::write_file_atomically(overlay, y.str());
    out << "wrote " << csv.string() << "\nwrote " << overlay << "\n";
}

} // namespace bridges::study
