#pragma once
// The outputs of one month: the catalogue of variables (group, name, units, axis) and a record of
// their values. The catalogue is the single source for the output file and its documentation.

#include "core/model/calendar.hpp"

#include <string>
#include <vector>

namespace bridges::core {

inline constexpr int kYearBins = 41; // years abroad 0..39, 40+

enum class Axis { none, country, corridor, years_abroad };

struct Variable {
    const char* group; // "global", "countries", "corridors"
    const char* name;
    const char* units;
    const char* long_name;
    Axis axis;
};

/// Every output variable, in file order.
const std::vector<Variable>& output_variables();

/// Index of a variable in output_variables(); throws std::out_of_range if unknown.
std::size_t variable_index(const std::string& group, const std::string& name);

struct MonthRecord {
    int month = 0; // months since the start
    YearMonth date{};
    std::vector<std::vector<double>> values; // aligned with output_variables()

    [[nodiscard]] const std::vector<double>& get(const std::string& group, const std::string& name) const {
        return values[variable_index(group, name)];
    }
};

} // namespace bridges::core
