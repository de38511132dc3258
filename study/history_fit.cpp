#include "study/history_fit.hpp"

#include "core/model/drivers.hpp"

#include <algorithm>
#include <cmath>

namespace bridges::study {

namespace {

double value(const Series& s, const std::string& key, int period) {
    const auto a = s.find(key);
    if (a == s.end()) return 0;
    const auto b = a->second.find(period);
    return b == a->second.end() ? 0 : b->second;
}

/// Cells grouped by series, in period order.
std::map<std::string, std::vector<int>> by_series(const std::vector<Cell>& cells) {
    std::map<std::string, std::vector<int>> out;
    for (const auto& c : cells)
        out[c.key].push_back(c.period);
    for (auto& [key, periods] : out)
        std::sort(periods.begin(), periods.end());
    return out;
}

/// Each series' level factor: the mean of log(recorded / simulated) over its cells, weighted by the
/// recorded size or not.
std::map<std::string, double> log_factors(const Series& sim, const Series& rec,
                                          const std::map<std::string, std::vector<int>>& series,
                                          bool weighted) {
    std::map<std::string, double> out;
    for (const auto& [key, periods] : series) {
        double w = 0, sum = 0;
        for (const int t : periods) {
            const double r = value(rec, key, t), wt = weighted ? r : 1.0;
            w += wt;
            sum += wt * (std::log(r) - std::log(std::max(value(sim, key, t), 1.0)));
        }
        out[key] = w > 0 ? sum / w : 0.0;
    }
    return out;
}

FitFigures figures(const Series& sim, const Series& rec,
                   const std::map<std::string, std::vector<int>>& series, bool weighted) {
    const auto factor = log_factors(sim, rec, series, weighted);
    struct Point {
        double y, yhat, w;
    };
    std::vector<Point> levels, within, changes;
    for (const auto& [key, periods] : series) {
        double w = 0, my = 0, myhat = 0;
        std::vector<Point> own;
        for (const int t : periods) {
            const double r = value(rec, key, t);
            const Point p{std::log(r), std::log(std::max(value(sim, key, t), 1.0)) + factor.at(key),
                          weighted ? r : 1.0};
            own.push_back(p);
            levels.push_back(p);
            w += p.w;
            my += p.w * p.y;
            myhat += p.w * p.yhat;
        }
        for (const auto& p : own)
            within.push_back({p.y - my / w, p.yhat - myhat / w, p.w});
        for (std::size_t i = 1; i < periods.size(); ++i)
            if (periods[i] == periods[i - 1] + 1)
                changes.push_back({own[i].y - own[i - 1].y, own[i].yhat - own[i - 1].yhat, own[i].w});
    }
    const auto r2 = [](const std::vector<Point>& v) {
        double w = 0, m = 0;
        for (const auto& p : v) {
            w += p.w;
            m += p.w * p.y;
        }
        m /= w;
        double res = 0, tot = 0;
        for (const auto& p : v) {
            res += p.w * (p.y - p.yhat) * (p.y - p.yhat);
            tot += p.w * (p.y - m) * (p.y - m);
        }
        return tot > 0 ? 1.0 - res / tot : 0.0;
    };
    const auto correlation = [](const std::vector<Point>& v) {
        double w = 0, my = 0, mh = 0;
        for (const auto& p : v) {
            w += p.w;
            my += p.w * p.y;
            mh += p.w * p.yhat;
        }
        my /= w;
        mh /= w;
        double c = 0, vy = 0, vh = 0;
        for (const auto& p : v) {
            c += p.w * (p.y - my) * (p.yhat - mh);
            vy += p.w * (p.y - my) * (p.y - my);
            vh += p.w * (p.yhat - mh) * (p.yhat - mh);
        }
        return vy > 0 && vh > 0 ? c / std::sqrt(vy * vh) : 0.0;
    };
    FitFigures f;
    if (levels.empty()) return f;
    f.pooled_r2 = r2(levels);
    f.within_r2 = r2(within);
    f.change_correlation = changes.empty() ? 0.0 : correlation(changes);
    return f;
}

} // namespace

std::vector<Cell> comparable_cells(const Series& simulated, const Series& recorded) {
    std::vector<Cell> cells;
    for (const auto& [key, periods] : recorded) {
        std::vector<Cell> own;
        for (const auto& [t, usd] : periods)
            if (usd > 0 && value(simulated, key, t) > 0) own.push_back({key, t});
        if (own.size() >= 2) cells.insert(cells.end(), own.begin(), own.end());
    }
    return cells;
}

std::vector<Cell> inflow_cells(const Series& simulated, const io::RecordedRemittances& recorded) {
    Series low_and_middle;
    for (const auto& [iso3, years] : recorded.inflows) {
        const auto group = recorded.income_group.find(iso3);
        if (group != recorded.income_group.end() && !group->second.empty() && group->second != "High income")
            low_and_middle.emplace(iso3, years);
    }
    return comparable_cells(simulated, low_and_middle);
}

HistoryFigures history_figures(const Series& simulated, const Series& recorded,
                               const std::vector<Cell>& cells) {
    HistoryFigures h;
    const auto series = by_series(cells);
    h.cells = cells.size();
    h.series = series.size();
    h.weighted = figures(simulated, recorded, series, true);
    h.unweighted = figures(simulated, recorded, series, false);
    h.log_factor = log_factors(simulated, recorded, series, true);
    return h;
}

void append_residuals(const Series& simulated, const Series& recorded, const std::vector<Cell>& cells,
                      int lag, double change_weight, double weight, std::vector<double>& out) {
    const auto series = by_series(cells);
    const auto factor = log_factors(simulated, recorded, series, true);
    double total = 0;
    for (const auto& c : cells)
        total += value(recorded, c.key, c.period);
    if (total <= 0) return;
    for (const auto& entry : series) {
        const auto& key = entry.first;
        const auto& periods = entry.second;
        const auto error = [&](int t) {
            return std::log(std::max(value(simulated, key, t), 1.0)) + factor.at(key) -
                   std::log(value(recorded, key, t));
        };
        for (const int t : periods)
            out.push_back(std::sqrt(weight * value(recorded, key, t) / total) * error(t));
        for (const int t : periods)
            if (std::binary_search(periods.begin(), periods.end(), t - lag))
                out.push_back(std::sqrt(weight * change_weight * value(recorded, key, t) / total) *
                              (error(t) - error(t - lag)));
    }
}

Series stock_income_benchmark(const core::Scenario& s, int first, int last) {
    std::map<std::string, const core::CountrySpec*> country;
    for (const auto& c : s.countries)
        country[c.code] = &c;
    Series out;
    for (const auto& k : s.corridors) {
        const core::CountrySpec& host = *country.at(k.host);
        for (int y = first; y <= last; ++y) {
            const double mid = y + 0.5;
            const double gdp = core::annual_at(host.drivers.gdp_per_capita_usd, host.drivers.from, mid, true,
                                               host.gdp_per_capita_usd);
            out[k.origin][y] += core::stock_at(k, mid) * gdp;
        }
    }
    return out;
}

} // namespace bridges::study
