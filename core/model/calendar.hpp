#pragma once
// Months as a calendar: the model steps one month at a time from a start month (YYYY-MM).

#include <cstdint>
#include <string>

namespace bridges::core {

/// A calendar month. `ordinal()` counts months since year 0, so differences are month counts.
struct YearMonth {
    int year = 2017;
    int month = 1; // 1..12

    [[nodiscard]] int ordinal() const { return year * 12 + (month - 1); }
    [[nodiscard]] static YearMonth from_ordinal(int ord) { return {ord / 12, ord % 12 + 1}; }
    [[nodiscard]] YearMonth plus(int months) const { return from_ordinal(ordinal() + months); }
    [[nodiscard]] std::string to_string() const;
    friend bool operator==(const YearMonth& a, const YearMonth& b) {
        return a.year == b.year && a.month == b.month;
    }
};

/// Parses "YYYY-MM"; returns false on anything else (year 1800..2300).
bool parse_year_month(const std::string& text, YearMonth& out);

/// Days from the first day of `origin` to the first day of `month` (proleptic Gregorian).
std::int64_t days_between(YearMonth origin, YearMonth month);

} // namespace bridges::core
