#pragma once
// How well simulated remittances follow the recorded ones of 2010-2019 (docs/history.md): the
// figures `bridges calibrate --history` prints and fits, for the model and for the naive benchmark
// (each origin's sum over its corridors of stock x host GDP per capita).

#include "core/model/scenario.hpp"
#include "io/world_data.hpp"

#include <cstddef>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace bridges::study {

/// Values by series (a country code) and period (a year, or a month's YearMonth::ordinal()).
using Series = std::map<std::string, std::map<int, double>>;

/// One series' period compared: recorded and simulated both above 0.
struct Cell {
    std::string key;
    int period = 0;
};

/// The figures of one weighting (by the recorded size, or each cell alike).
struct FitFigures {
    double pooled_r2 = 0;          // log levels, each series scaled by its own level factor
    double within_r2 = 0;          // log levels less each series' own mean: how its path is followed
    double change_correlation = 0; // of the changes of log levels from one period to the next
};

struct HistoryFigures {
    FitFigures weighted, unweighted;
    std::map<std::string, double> log_factor; // per series: size-weighted mean log(recorded / simulated)
    std::size_t cells = 0, series = 0;
};

/// The periods of each recorded series with a recorded and a simulated value above 0, in series
/// with at least two such periods.
std::vector<Cell> comparable_cells(const Series& simulated, const Series& recorded);

/// The low- and middle-income countries' inflows of 2010-2019 that can be compared: a recorded
/// value above 0, in a country of the World Bank's low- and middle-income groups, with a simulated
/// value above 0, and at least two such years.
std::vector<Cell> inflow_cells(const Series& simulated, const io::RecordedRemittances& recorded);

/// The figures of `simulated` against `recorded` over `cells`.
HistoryFigures history_figures(const Series& simulated, const Series& recorded,
                               const std::vector<Cell>& cells);

/// Residuals of a least-squares fit over `cells`: for each, sqrt(size share) x the log error after
/// its series' level factor, then, for each period whose period - lag is a cell of the same series,
/// sqrt(change_weight x size share) x the error of the change of logs; all times sqrt(weight).
void append_residuals(const Series& simulated, const Series& recorded, const std::vector<Cell>& cells,
                      int lag, double change_weight, double weight, std::vector<double>& out);

/// The naive benchmark: each origin's sum, by year from `first` to `last`, over the scenario's
/// corridors from it of the stock at mid-year times the host's GDP per capita at mid-year.
Series stock_income_benchmark(const core::Scenario& s, int first, int last);

} // namespace bridges::study
