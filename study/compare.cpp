#include "study/compare.hpp"

#include "core/base/errors.hpp"
#include "core/model/calendar.hpp"
#include "io/batch_index.hpp"

#include <boost/math/distributions/students_t.hpp>
#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdio>
#include <iomanip>
#include <map>
#include <ostream>
#include <set>
#include <sstream>

namespace bridges::study {

using namespace io; // the file formats this study code reads and writes

namespace {

/// Which month(s) a value is taken at: the sum of every month, the last month, or one month.
struct At {
    enum Kind { cumulative, final, month } kind = cumulative;
    int year = 0, mon = 0;
};

At parse_at(const std::string& s) {
    At a;
    if (s == "cumulative") return a;
    if (s == "final") {
        a.kind = At::final;
        return a;
    }
    int y = 0, m = 0;
    char dash = 0, extra = 0;
    if (std::sscanf(s.c_str(), "%4d%c%2d%c", &y, &dash, &m, &extra) != 3 || dash != '-' || s.size() != 7 ||
        m < 1 || m > 12 || y < 1)
        throw DataError("--at " + s + ": expected cumulative, final or a month YYYY-MM");
    a.kind = At::month;
    a.year = y;
    a.mon = m;
    return a;
}

/// The index of the month `a` in a run starting at "YYYY-MM".
std::size_t month_index(const At& a, const std::string& start, std::size_t months, const std::string& file) {
    int y = 0, m = 0;
    if (std::sscanf(start.c_str(), "%d-%d", &y, &m) != 2)
        throw DataError(file + ": no valid 'start' attribute");
    const long k = (a.year - y) * 12L + (a.mon - m);
    if (k < 0 || static_cast<std::size_t>(k) >= months) {
        char buf[16];
        std::snprintf(buf, sizeof buf, "%04d-%02d", a.year, a.mon);
        throw DataError(file + ": the run covers the " + std::to_string(months) + " months from " + start +
                        "; it has no " + buf);
    }
    return static_cast<std::size_t>(k);
}

double value_at(const MetricSeries& s, const At& a, const std::string& file) {
    if (s.values.empty()) throw DataError(file + ": the run has no month");
    if (a.kind == At::final) return s.values.back();
    if (a.kind == At::month) return s.values[month_index(a, s.start, s.values.size(), file)];
    double sum = 0;
    for (double x : s.values)
        sum += x;
    return sum;
}

/// Programme cost up to the month compared (all months for cumulative and final).
double cost_until(const MetricSeries& s, const At& a, const std::string& file) {
    const std::size_t last =
        a.kind == At::month ? month_index(a, s.start, s.values.size(), file) : s.values.size() - 1;
    double sum = 0;
    for (std::size_t i = 0; i <= last && i < s.values.size(); ++i)
        sum += s.values[i];
    return sum;
}

/// A number for CSV: full precision; empty when not finite or absent.
std::string csv_number(double x) {
    if (!std::isfinite(x)) return "";
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.17g", x);
    return buf;
}

std::string csv_number(const std::optional<double>& x) {
    return x ? csv_number(*x) : "";
}

std::string short_number(const std::optional<double>& x) {
    if (!x || !std::isfinite(*x)) return "-";
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.4g", *x);
    return buf;
}

} // namespace

const std::vector<std::string>& default_compare_metrics() {
    static const std::vector<std::string> m = {
        "remit_formal_usd",      "remit_informal_usd", "remit_fees_usd", "collective_usd",
        "matching_usd",          "investment_usd",     "bond_usd",       "crisis_aid_usd",
        "knowledge_transfer_pm", "program_cost_usd"};
    return m;
}

Comparison compare_batch(const CompareOptions& o) {
    const Manifest m = read_manifest(o.dir);
    Comparison c;
    c.experiment = m.experiment;
    c.baseline = o.baseline.empty() ? m.baseline : o.baseline;
    c.at = o.at;
    c.confidence = o.confidence;
    const At at = parse_at(o.at);
    if (!(o.confidence > 0 && o.confidence < 1)) throw DataError("--confidence must lie between 0 and 1");
    std::vector<std::string> arms;
    for (const auto& r : m.runs)
        if (std::find(arms.begin(), arms.end(), r.arm) == arms.end()) arms.push_back(r.arm);
    if (std::find(arms.begin(), arms.end(), c.baseline) == arms.end()) {
        std::string known;
        for (const auto& a : arms)
            known += (known.empty() ? "" : ", ") + a;
        throw DataError("--baseline " + c.baseline + ": no such arm in " + o.dir + " (arms: " + known + ")");
    }
    const std::vector<std::string> metrics = o.metrics.empty() ? default_compare_metrics() : o.metrics;
    std::set<std::string> seen_metrics;
    for (const auto& x : metrics)
        if (!seen_metrics.insert(x).second) throw DataError("--metric " + x + " is named twice");

    // value[arm][point][replicate][metric], cost[arm][point][replicate]
    std::map<std::string, std::map<std::int64_t, std::map<std::int64_t, std::vector<double>>>> value;
    std::map<std::string, std::map<std::int64_t, std::map<std::int64_t, double>>> cost;
    std::map<std::int64_t, std::string> labels;
    std::vector<std::string> units(metrics.size());
    for (const auto& r : m.runs) {
        labels[r.point] = r.point_label;
        if (run_state(o.dir, r).status != RunStatus::complete) {
            ++c.left_out;
            continue;
        }
        const std::string file = run_path(o.dir, r.id);
        std::vector<double> v;
        for (std::size_t k = 0; k < metrics.size(); ++k) {
            const MetricSeries s = read_metric(file, metrics[k]);
            units[k] = s.units;
            v.push_back(value_at(s, at, file));
        }
        value[r.arm][r.point][r.replicate] = std::move(v);
        cost[r.arm][r.point][r.replicate] = cost_until(read_metric(file, "program_cost_usd"), at, file);
    }
    if (value.empty()) throw DataError(o.dir + ": no run is complete yet");

    const double tail = 0.5 + o.confidence / 2;
    for (const auto& arm : arms) {
        if (arm == c.baseline || !value.count(arm)) continue;
        for (const auto& [point, reps] : value.at(arm)) {
            const auto base_arm = value.find(c.baseline);
            if (base_arm == value.end() || !base_arm->second.count(point)) continue;
            const auto& base = base_arm->second.at(point);
            std::vector<std::int64_t> paired;
            for (const auto& [r, _] : reps)
                if (base.count(r)) paired.push_back(r);
            if (paired.empty()) continue;
            const double n = static_cast<double>(paired.size());
            double extra_cost = 0;
            for (auto r : paired)
                extra_cost += (cost[arm][point][r] - cost[c.baseline][point][r]) / n;
            for (std::size_t k = 0; k < metrics.size(); ++k) {
                Effect e;
                e.arm = arm;
                e.point = point;
                e.point_label = labels[point];
                e.metric = metrics[k];
                e.units = units[k];
                e.n = paired.size();
                double sum_d = 0;
                for (auto r : paired) {
                    e.baseline_mean += base.at(r)[k] / n;
                    e.arm_mean += reps.at(r)[k] / n;
                    sum_d += reps.at(r)[k] - base.at(r)[k];
                }
                e.difference = sum_d / n;
                if (paired.size() >= 2) {
                    double ss = 0;
                    for (auto r : paired) {
                        const double d = reps.at(r)[k] - base.at(r)[k] - e.difference;
                        ss += d * d;
                    }
                    const double se = std::sqrt(ss / (n - 1) / n);
                    const boost::math::students_t dist(n - 1);
                    const double t = boost::math::quantile(dist, tail);
                    e.ci_low = e.difference - t * se;
                    e.ci_high = e.difference + t * se;
                }
                if (e.baseline_mean != 0) e.relative_pct = 100.0 * e.difference / e.baseline_mean;
                e.cost_usd = extra_cost;
                if (extra_cost > 0) e.effect_per_usd = e.difference / extra_cost;
                c.effects.push_back(std::move(e));
            }
        }
    }
    return c;
}

void print_comparison(const Comparison& c, const std::string& format, std::ostream& out) {
    if (format == "json") {
        // Non-finite numbers and absent values are null.
        auto number_or_null = [](const std::optional<double>& x) {
            return x && std::isfinite(*x) ? nlohmann::ordered_json(*x) : nlohmann::ordered_json(nullptr);
        };
        nlohmann::ordered_json effects = nlohmann::ordered_json::array();
        for (const Effect& e : c.effects)
            effects.push_back(nlohmann::ordered_json{{"arm", e.arm},
                                                     {"point", e.point},
                                                     {"point_label", e.point_label},
                                                     {"metric", e.metric},
                                                     {"units", e.units},
                                                     {"n", e.n},
                                                     {"baseline_mean", number_or_null(e.baseline_mean)},
                                                     {"arm_mean", number_or_null(e.arm_mean)},
                                                     {"difference", number_or_null(e.difference)},
                                                     {"ci_low", number_or_null(e.ci_low)},
                                                     {"ci_high", number_or_null(e.ci_high)},
                                                     {"relative_pct", number_or_null(e.relative_pct)},
                                                     {"cost_usd", number_or_null(e.cost_usd)},
                                                     {"effect_per_usd", number_or_null(e.effect_per_usd)}});
        const nlohmann::ordered_json doc = {
            {"format", "bridges-compare"}, {"schema_version", 1}, {"experiment", c.experiment},
            {"baseline", c.baseline},      {"at", c.at},          {"confidence", c.confidence},
            {"runs_left_out", c.left_out}, {"effects", effects}};
        out << doc.dump(1) << "\n";
        return;
    }
    if (format == "csv") {
        out << "arm,point,point_label,metric,units,n,baseline_mean,arm_mean,difference,ci_low,ci_high,"
               "relative_pct,"
               "cost_usd,effect_per_usd\n";
        auto quoted = [](const std::string& s) {
            std::string q = "\"";
            for (char ch : s)
                q += ch == '"' ? std::string("\"\"") : std::string(1, ch);
            return q + "\"";
        };
        for (const auto& e : c.effects)
            out << quoted(e.arm) << ',' << e.point << ',' << quoted(e.point_label) << ',' << quoted(e.metric)
                << ',' << quoted(e.units) << ',' << e.n << ',' << csv_number(e.baseline_mean) << ','
                << csv_number(e.arm_mean) << ',' << csv_number(e.difference) << ',' << csv_number(e.ci_low)
                << ',' << csv_number(e.ci_high) << ',' << csv_number(e.relative_pct) << ','
                << csv_number(e.cost_usd) << ',' << csv_number(e.effect_per_usd) << '\n';
        return;
    }
    out << "Effects against arm '" << c.baseline << "' (" << c.at << "; paired over replicates, "
        << static_cast<int>(std::lround(c.confidence * 100)) << "% Student-t intervals)\n";
    std::vector<std::vector<std::string>> rows = {{"arm", "point", "metric", "n", "baseline", "arm mean",
                                                   "difference", "interval", "relative %", "per US$"}};
    for (const auto& e : c.effects) {
        const std::string interval =
            e.ci_low ? "[" + short_number(e.ci_low) + ", " + short_number(e.ci_high) + "]" : std::string("-");
        rows.push_back({e.arm, e.point_label.empty() ? std::to_string(e.point) : e.point_label,
                        e.metric + (e.units.empty() ? "" : " (" + e.units + ")"), std::to_string(e.n),
                        short_number(e.baseline_mean), short_number(e.arm_mean), short_number(e.difference),
                        interval, short_number(e.relative_pct), short_number(e.effect_per_usd)});
    }
    std::vector<std::size_t> width(rows[0].size(), 0);
    for (const auto& r : rows)
        for (std::size_t i = 0; i < r.size(); ++i)
            width[i] = std::max(width[i], r[i].size());
    for (const auto& r : rows) {
        for (std::size_t i = 0; i < r.size(); ++i)
            out << (i ? "  " : "") << (i < 3 ? std::left : std::right)
                << std::setw(static_cast<int>(width[i])) << r[i];
        out << std::left << "\n";
    }
    if (c.left_out > 0) out << c.left_out << " run(s) not complete were left out\n";
}

} // namespace bridges::study
