#pragma once
// The outputs of one month: the catalogue of variables (group, name, units, axis) and a record of
// their values. The catalogue is the single source for the output file and its documentation.

#include "core/model/calendar.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace bridges::core {

inline constexpr int kYearBins = 41; // years abroad 0..39, 40+

enum class Axis { none, country, corridor, years_abroad };

/// What a monthly value is over time, and so how a period aggregates it: a flow is summed, a level
/// (a stock at the end of the month) and a mean (a rate or average within the month) are averaged.
enum class Aggregate { flow, level, mean };

/// "flow", "level" or "mean".
const char* aggregate_name(Aggregate a);
/// CF cell_methods of a variable: "time: sum", "time: point" or "time: mean".
const char* cell_methods(Aggregate a);

struct Variable {
    const char* group; // "global", "countries", "corridors"
    const char* name;
    const char* units;
    const char* long_name; // written into the output file
    Axis axis;
    Aggregate aggregate;
    const char* indexed_by; // /countries: what a country index stands for
    const char* meaning;    // docs/output.md
};

/// Every output variable by id, in file order: the catalogue of core/engine/outputs.def.
enum class Var : std::uint16_t {
#define BRIDGES_OUTPUT(id, ...) id,
#include "core/engine/outputs.def"
#undef BRIDGES_OUTPUT
};

/// Every output variable, in file order (index: static_cast<std::size_t>(Var)).
const std::vector<Variable>& output_variables();

/// Index of a variable in output_variables() by group and name (names typed by users: compare,
/// calibrate); throws std::out_of_range if unknown. Code that knows its variable uses its Var.
std::size_t variable_index(const std::string& group, const std::string& name);

struct MonthRecord {
    int month = 0; // months since the start
    YearMonth date{};
    std::vector<std::vector<double>> values; // aligned with output_variables()

    [[nodiscard]] const std::vector<double>& get(Var v) const { return values[static_cast<std::size_t>(v)]; }
    [[nodiscard]] const std::vector<double>& get(const std::string& group, const std::string& name) const {
        return values[variable_index(group, name)];
    }
};

} // namespace bridges::core
