#include "study/compare.hpp"

#include "core/base/errors.hpp"
#include "core/engine/metrics.hpp"
#include "core/model/calendar.hpp"
#include "io/batch_index.hpp"

#include <boost/math/distributions/students_t.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <charconv>
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

/// The months a value covers: the whole run or one calendar year (flows summed, levels and means
/// averaged), or one month (the last, or YYYY-MM).
struct Period {
    enum Kind { run, calendar_year, last_month, month } kind = run;
    int year = 0, mon = 0;
    std::string code; // run, YYYY, final, YYYY-MM
    std::string text; // the run, 2019, the last month, 2019-06
};

Period parse_period(const std::string& over, const std::string& at) {
    Period p;
    if (!over.empty() && !at.empty() && at != "cumulative")
        throw DataError("--over " + over + " and --at " + at + ": give one of them");
    if (at == "final") {
        p.kind = Period::last_month;
        p.code = "final";
        p.text = "the last month";
        return p;
    }
    if (!at.empty() && at != "cumulative") {
        int y = 0, m = 0;
        char dash = 0, extra = 0;
        if (std::sscanf(at.c_str(), "%4d%c%2d%c", &y, &dash, &m, &extra) != 3 || dash != '-' ||
            at.size() != 7 || m < 1 || m > 12 || y < 1)
            throw DataError("--at " + at + ": expected final or a month YYYY-MM");
        p.kind = Period::month;
        p.year = y;
        p.mon = m;
        p.code = p.text = at;
        return p;
    }
    if (over.empty() || over == "run") {
        p.code = "run";
        p.text = "the run";
        return p;
    }
    int y = 0;
    char extra = 0;
    if (std::sscanf(over.c_str(), "%4d%c", &y, &extra) != 1 || over.size() != 4 || y < 1)
        throw DataError("--over " + over + ": expected run or a year YYYY");
    p.kind = Period::calendar_year;
    p.year = y;
    p.code = p.text = over;
    return p;
}

/// The first and last month index of period `p` in a run of `months` months from "YYYY-MM".
std::pair<std::size_t, std::size_t> month_range(const Period& p, const std::string& start, std::size_t months,
                                                const std::string& file) {
    if (months == 0) throw DataError(file + ": the run has no month");
    if (p.kind == Period::run) return {0, months - 1};
    if (p.kind == Period::last_month) return {months - 1, months - 1};
    int y = 0, m = 0;
    if (std::sscanf(start.c_str(), "%d-%d", &y, &m) != 2)
        throw DataError(file + ": no valid 'start' attribute");
    const long first =
        p.kind == Period::month ? (p.year - y) * 12L + (p.mon - m) : (p.year - y) * 12L + (1 - m);
    const long last = p.kind == Period::month ? first : first + 11;
    const long lo = std::max(first, 0L), hi = std::min(last, static_cast<long>(months) - 1);
    if (lo > hi)
        throw DataError(file + ": the run covers the " + std::to_string(months) + " months from " + start +
                        "; it has no month in " + p.text);
    return {static_cast<std::size_t>(lo), static_cast<std::size_t>(hi)};
}

/// What `metric` is over time, from the catalogue (NAME: /global, NAME@ISO3: /countries).
core::Aggregate aggregate_of(const std::string& metric) {
    const auto at = metric.find('@');
    try {
        return core::output_variables()[core::variable_index(at == std::string::npos ? "global" : "countries",
                                                             metric.substr(0, at))]
            .aggregate;
    } catch (const std::out_of_range&) {
        throw DataError("--metric " + metric + ": no such variable (bridges params --outputs lists them)");
    }
}

/// How a metric of kind `a` is taken over period `p`, in words.
std::string aggregation_text(core::Aggregate a, const Period& p) {
    if (p.kind == Period::month || p.kind == Period::last_month) return "value in " + p.text;
    return std::string(a == core::Aggregate::flow ? "sum" : "mean") + " over " + p.text;
}

double value_over(const MetricSeries& s, core::Aggregate a, const Period& p, const std::string& file) {
    const auto [first, last] = month_range(p, s.start, s.values.size(), file);
    double sum = 0;
    for (std::size_t i = first; i <= last; ++i)
        sum += s.values[i];
    return a == core::Aggregate::flow ? sum : sum / static_cast<double>(last - first + 1);
}

/// Programme cost from the first month to the end of the period.
double cost_until(const MetricSeries& s, const Period& p, const std::string& file) {
    const std::size_t last = month_range(p, s.start, s.values.size(), file).second;
    double sum = 0;
    for (std::size_t i = 0; i <= last; ++i)
        sum += s.values[i];
    return sum;
}

/// Whether an effect per US$ of cost means something for a metric in `units`: amounts and counts.
bool per_cost_applies(const std::string& units) {
    return units == "USD" || units == "persons" || units == "households" || units == "person-months";
}

/// A number for CSV: exact (shortest round-trip form); empty when not finite or absent.
std::string csv_number(double x) {
    if (!std::isfinite(x)) return "";
    char buf[32];
    const auto end = std::to_chars(buf, buf + sizeof buf, x).ptr; // the shortest form that reads back exactly
    return std::string(buf, end);
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
    c.swept_paths = swept_paths(m);
    const Period period = parse_period(o.over, o.at);
    c.period = period.code;
    c.period_text = period.text;
    c.confidence = o.confidence;
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
    std::vector<core::Aggregate> aggregates;
    for (const auto& x : metrics)
        aggregates.push_back(aggregate_of(x));

    // value[arm][point][replicate][metric], cost[arm][point][replicate]
    std::map<std::string, std::map<std::int64_t, std::map<std::int64_t, std::vector<double>>>> value;
    std::map<std::string, std::map<std::int64_t, std::map<std::int64_t, double>>> cost;
    std::map<std::int64_t, std::string> labels;
    std::vector<std::string> units(metrics.size());
    std::set<std::string> issues_bonds; // arms with bond subscriptions in some run
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
            v.push_back(value_over(s, aggregates[k], period, file));
        }
        value[r.arm][r.point][r.replicate] = std::move(v);
        cost[r.arm][r.point][r.replicate] = cost_until(read_metric(file, "program_cost_usd"), period, file);
        const MetricSeries bonds = read_metric(file, "bond_usd");
        for (double x : bonds.values)
            if (x > 0) issues_bonds.insert(r.arm);
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
                e.sweep = sweep_values(e.point_label);
                e.metric = metrics[k];
                e.units = units[k];
                e.aggregation = aggregation_text(aggregates[k], period);
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
                if (extra_cost > 0 && per_cost_applies(e.units))
                    e.effect_per_million_usd = e.difference / extra_cost * 1e6;
                e.debt = issues_bonds.count(arm) > 0;
                c.effects.push_back(std::move(e));
            }
        }
    }
    return c;
}

void print_comparison(const Comparison& c, const std::string& format, std::ostream& out) {
    const std::string interval_name =
        std::to_string(static_cast<int>(std::lround(c.confidence * 100))) + "% Student-t intervals";
    // A swept value: a number where it is one, else its text.
    auto sweep_json = [](const std::vector<std::pair<std::string, std::string>>& sweep) {
        nlohmann::ordered_json j = nlohmann::ordered_json::object();
        for (const auto& [path, value] : sweep) {
            const auto x = sweep_number(value);
            j[path] = x ? nlohmann::ordered_json(*x) : nlohmann::ordered_json(value);
        }
        return j;
    };
    if (format == "json") {
        // Non-finite numbers and absent values are null.
        auto number_or_null = [](const std::optional<double>& x) {
            return x && std::isfinite(*x) ? nlohmann::ordered_json(*x) : nlohmann::ordered_json(nullptr);
        };
        nlohmann::ordered_json effects = nlohmann::ordered_json::array();
        for (const Effect& e : c.effects)
            effects.push_back(
                nlohmann::ordered_json{{"arm", e.arm},
                                       {"point", e.point},
                                       {"point_label", e.point_label},
                                       {"sweep", sweep_json(e.sweep)},
                                       {"metric", e.metric},
                                       {"units", e.units},
                                       {"aggregation", e.aggregation},
                                       {"period", c.period},
                                       {"confidence", c.confidence},
                                       {"n", e.n},
                                       {"baseline_mean", number_or_null(e.baseline_mean)},
                                       {"arm_mean", number_or_null(e.arm_mean)},
                                       {"difference", number_or_null(e.difference)},
                                       {"ci_low", number_or_null(e.ci_low)},
                                       {"ci_high", number_or_null(e.ci_high)},
                                       {"relative_pct", number_or_null(e.relative_pct)},
                                       {"cost_usd", number_or_null(e.cost_usd)},
                                       {"effect_per_million_usd", number_or_null(e.effect_per_million_usd)},
                                       {"debt", e.debt}});
        const nlohmann::ordered_json doc = {
            {"format", "bridges-compare"}, {"schema_version", 2},         {"experiment", c.experiment},
            {"baseline", c.baseline},      {"period", c.period},          {"period_text", c.period_text},
            {"confidence", c.confidence},  {"runs_left_out", c.left_out}, {"effects", effects}};
        out << doc.dump(1) << "\n";
        return;
    }
    if (format == "csv") {
        auto quoted = [](const std::string& s) {
            std::string q = "\"";
            for (char ch : s)
                q += ch == '"' ? std::string("\"\"") : std::string(1, ch);
            return q + "\"";
        };
        out << "arm,point,point_label";
        for (const auto& path : c.swept_paths)
            out << ',' << quoted(path);
        out << ",metric,units,aggregation,period,confidence,n,baseline_mean,arm_mean,"
               "difference,ci_low,ci_high,relative_pct,cost_usd,effect_per_million_usd,debt\n";
        for (const auto& e : c.effects) {
            out << quoted(e.arm) << ',' << e.point << ',' << quoted(e.point_label);
            for (const auto& path : c.swept_paths) {
                std::string cell;
                for (const auto& [p, v] : e.sweep)
                    if (p == path) cell = sweep_number(v) ? csv_number(*sweep_number(v)) : quoted(v);
                out << ',' << cell;
            }
            out << ',' << quoted(e.metric) << ',' << quoted(e.units) << ',' << quoted(e.aggregation) << ','
                << quoted(c.period) << ',' << csv_number(c.confidence) << ',' << e.n << ','
                << csv_number(e.baseline_mean) << ',' << csv_number(e.arm_mean) << ','
                << csv_number(e.difference) << ',' << csv_number(e.ci_low) << ',' << csv_number(e.ci_high)
                << ',' << csv_number(e.relative_pct) << ',' << csv_number(e.cost_usd) << ','
                << csv_number(e.effect_per_million_usd) << ',' << (e.debt ? "true" : "false") << '\n';
        }
        return;
    }
    const bool one_month = c.period == "final" || c.period.find('-') != std::string::npos;
    out << "Effects against arm '" << c.baseline << "' "
        << (one_month
                ? "in " + c.period_text
                : "over " + c.period_text + " (flows summed, levels and means averaged over its months)")
        << "; paired over replicates, " << interval_name << "\n";
    std::vector<std::vector<std::string>> rows = {{"arm", "point", "metric", "n", "baseline", "arm mean",
                                                   "difference", "interval", "relative %", "per US$ 1M"}};
    std::size_t zero_rows = 0;
    bool debt = false;
    for (const auto& e : c.effects) {
        if (e.baseline_mean == 0 && e.arm_mean == 0 && e.difference == 0) {
            ++zero_rows;
            continue;
        }
        const std::string interval =
            e.ci_low ? "[" + short_number(e.ci_low) + ", " + short_number(e.ci_high) + "]" : std::string("-");
        const std::string how = e.aggregation.substr(0, e.aggregation.find(' '));
        std::string per = short_number(e.effect_per_million_usd);
        if (e.debt && e.effect_per_million_usd) {
            per += " *";
            debt = true;
        }
        rows.push_back({e.arm, e.point_label.empty() ? std::to_string(e.point) : e.point_label,
                        e.metric + " (" + (e.units.empty() ? "" : e.units + ", ") + how + ")",
                        std::to_string(e.n), short_number(e.baseline_mean), short_number(e.arm_mean),
                        short_number(e.difference), interval, short_number(e.relative_pct), per});
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
    if (zero_rows > 0)
        out << zero_rows << " row(s) where both arms are 0 are not shown (--format csv or json lists them)\n";
    if (debt)
        out << "* the arm issues a diaspora bond: its cost counts the coupons paid within the run, not the "
               "principal owed\n";
    if (c.left_out > 0) out << c.left_out << " run(s) not complete were left out\n";
}

} // namespace bridges::study
