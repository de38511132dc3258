#pragma once
// Observed paths (world.history; docs/history.md): values by year, read at any month. An annual
// value stands for the middle of its year; between two years a path is interpolated (log-linearly
// for levels that grow, linearly for rates and stocks) and beyond its ends it is held.

#include "core/model/calendar.hpp"
#include "core/model/scenario.hpp"

#include <cstdint>
#include <vector>

namespace bridges::core {

/// The time of a month's middle in years: 2000-01 is 2000 + 0.5/12.
double month_time(YearMonth date);

/// The value at time `t` (years) of annual values whose first is for the year `from`, each at its
/// year's middle; `geometric` interpolates the logarithm. Empty values: `fallback`.
double annual_at(const std::vector<double>& values, std::int64_t from, double t, bool geometric,
                 double fallback);

/// The value at time `t` of values at the middles of `years` (increasing), linear between them.
double path_at(const std::vector<double>& years, const std::vector<double>& values, double t,
               double fallback);

/// A corridor's migrant stock at time t: its observed path, else its `stock`.
double stock_at(const CorridorSpec& k, double t);

/// The largest stock of corridor k over the months of a run from `start` for `months` months (the
/// places its members may take).
double peak_stock(const CorridorSpec& k, YearMonth start, std::int64_t months);

} // namespace bridges::core
