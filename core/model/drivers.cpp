#include "core/model/drivers.hpp"

#include <algorithm>
#include <cmath>

namespace bridges::core {

double month_time(YearMonth date) {
    return static_cast<double>(date.year) + (static_cast<double>(date.month) - 0.5) / 12.0;
}

double annual_at(const std::vector<double>& values, std::int64_t from, double t, bool geometric,
                 double fallback) {
    if (values.empty()) return fallback;
    const double x = t - static_cast<double>(from) - 0.5; // in values' index units
    if (x <= 0) return values.front();
    const auto last = static_cast<double>(values.size() - 1);
    if (x >= last) return values.back();
    const auto i = static_cast<std::size_t>(x);
    const double f = x - static_cast<double>(i), a = values[i], b = values[i + 1];
    if (geometric && a > 0 && b > 0) return a * std::pow(b / a, f);
    return a + (b - a) * f;
}

double path_at(const std::vector<double>& years, const std::vector<double>& values, double t,
               double fallback) {
    if (values.empty() || years.size() != values.size()) return fallback;
    const auto mid = [&](std::size_t i) { return years[i] + 0.5; };
    if (t <= mid(0)) return values.front();
    if (t >= mid(values.size() - 1)) return values.back();
    const auto it = std::upper_bound(years.begin(), years.end(), t - 0.5);
    const auto i = static_cast<std::size_t>(it - years.begin()) - 1;
    const double f = (t - mid(i)) / (mid(i + 1) - mid(i));
    return values[i] + (values[i + 1] - values[i]) * f;
}

double stock_at(const CorridorSpec& k, double t) {
    return path_at(k.drivers.stock_years, k.drivers.stock, t, k.stock);
}

double peak_stock(const CorridorSpec& k, YearMonth start, std::int64_t months) {
    double peak = stock_at(k, month_time(start));
    if (k.drivers.stock.empty()) return peak;
    // A linear path peaks at one of its points or at the run's ends.
    peak = std::max(peak, stock_at(k, month_time(start.plus(static_cast<int>(months) - 1))));
    const double first = month_time(start), last = month_time(start.plus(static_cast<int>(months) - 1));
    for (std::size_t i = 0; i < k.drivers.stock.size(); ++i) {
        const double t = k.drivers.stock_years[i] + 0.5;
        if (t >= first && t <= last) peak = std::max(peak, k.drivers.stock[i]);
    }
    return peak;
}

} // namespace bridges::core
