#pragma once
// Real-world countries and corridors for a scenario's `world:` block, from the tidy files that
// tools/import-world-data writes (countries.csv, corridors.csv; docs/world-data.md).

#include "core/model/scenario.hpp"

#include <map>
#include <string>
#include <utility>
#include <vector>

namespace bridges::io {

struct WorldCountry {
    std::string iso3, name, region;
    double population = 0;         // persons; NaN if unknown
    double gdp_per_capita_usd = 0; // NaN if unknown
    double price_level = 0;        // PPP factor over the market rate; NaN if unknown
    double poverty_headcount = 0;  // share below US$2.15 a day (2017 PPP); NaN if unknown
};

struct WorldCorridor {
    std::string origin, host;
    double stock_wb_2017 = 0, stock_un_2019 = 0, stock_un_2020 = 0; // persons (NaN if unknown)
    double remittances_wb_2017_usd = 0;                             // NaN if unknown
    double cost_formal = 0;                                         // share; NaN if unknown
    double distance_km = 0;                                         // NaN if unknown
    std::string cost_source;
};

struct WorldData {
    std::string folder;
    std::vector<WorldCountry> countries;
    std::vector<WorldCorridor> corridors;
};

/// A country's drivers by year (history_countries.csv): values for the years from `from` on, one a
/// year, NaN where the tables have none.
struct CountryHistory {
    int from = 0;
    std::vector<double> gdp_per_capita_usd, fx_lcu_per_usd, price_index, unemployment_rate, population;
};

/// (year, value) points of a corridor.
using YearValues = std::vector<std::pair<int, double>>;

/// The history tables of tools/import-world-data (docs/world-data.md, History tables): drivers only.
struct WorldHistory {
    std::string folder;
    std::map<std::string, CountryHistory> countries;
    std::map<std::pair<std::string, std::string>, YearValues> stocks, costs; // (origin, host)
};

/// Recorded remittances of 2010-2019, the only years the project reads (docs/history.md): inflows
/// by receiving country, outflows by sending country, and Mexico's monthly inflows (Banco de
/// Mexico), in US dollars.
struct RecordedRemittances {
    static constexpr int kFirstYear = 2010, kLastYear = 2019;
    std::map<std::string, std::map<int, double>> inflows, outflows; // iso3 -> year -> USD
    std::map<std::string, std::string> region, income_group;        // of the inflow countries
    std::map<int, double> mexico_monthly; // YearMonth::ordinal() of the month -> USD received
};

/// Reads FOLDER/history_inflows.csv, history_outflows.csv and history_mex_monthly.csv. A year or
/// month outside 2010-2019 is an input error (those years are kept back). Throws DataError naming
/// file:line:col and the column.
RecordedRemittances read_recorded_remittances(const std::string& folder);

/// Reads FOLDER/history_countries.csv, history_stocks.csv and history_costs.csv afresh. Throws
/// DataError naming file:line:col and the column for malformed input.
WorldHistory read_world_history_files(const std::string& folder);

/// read_world_history_files, read once per process and folder.
const WorldHistory& read_world_history(const std::string& folder);

/// Reads FOLDER/countries.csv and FOLDER/corridors.csv afresh (the fuzz target's entry).
/// Throws DataError as read_world_data.
WorldData read_world_data_files(const std::string& folder);

/// Reads FOLDER/countries.csv and FOLDER/corridors.csv (read once per process and folder).
/// Throws DataError naming file:line:col and the column for malformed input.
const WorldData& read_world_data(const std::string& folder);

/// The stock of a corridor in the column `which` (wb_2017, un_2019, un_2020).
double corridor_stock(const WorldCorridor& c, const std::string& which);

/// Replaces the scenario's countries and corridors with the world's, selected and filled by the
/// rules of docs/world-data.md, and sets 'scale' from world.scale; `world.data` is emptied, so
/// that the resolved scenario lists everything and reads back without the data.
/// With `history` (world.history), countries start at their values of the start year and carry
/// their observed paths, and corridors carry their stocks and costs by year (docs/history.md).
void apply_world(core::Scenario& s, const WorldData& data, const WorldHistory* history = nullptr);

/// Per-corridor amount multipliers from a CSV file with the columns origin, host, propensity (what
/// `bridges calibrate --per-corridor` writes). With `known`, every listed corridor must be one of its
/// corridors. Throws DataError naming file:line:col and the column.
std::map<std::pair<std::string, std::string>, double> read_propensities(const std::string& path,
                                                                        const WorldData* known = nullptr);

/// Sets the propensity of every corridor of `s` listed in `p`; returns how many were listed.
std::size_t apply_propensities(core::Scenario& s,
                               const std::map<std::pair<std::string, std::string>, double>& p);

/// The fill rules of countries, as functions of GDP per capita (docs/world-data.md).
double financial_inclusion_for(double gdp_per_capita_usd);
double governance_for(double gdp_per_capita_usd);
double household_size_for(double gdp_per_capita_usd);

} // namespace bridges::io
