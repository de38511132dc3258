#include "core/model/calendar.hpp"

#include <cstdio>

namespace bridges::core {

std::string YearMonth::to_string() const {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d-%02d", year, month);
    return buf;
}

bool parse_year_month(const std::string& text, YearMonth& out) {
    if (text.size() != 7 || text[4] != '-') return false;
    for (int i : {0, 1, 2, 3, 5, 6})
        if (text[i] < '0' || text[i] > '9') return false;
    const int y = std::stoi(text.substr(0, 4));
    const int m = std::stoi(text.substr(5, 2));
    if (y < 1800 || y > 2300 || m < 1 || m > 12) return false;
    out = {y, m};
    return true;
}

namespace {
// Days from 1970-01-01 to y-m-d (Howard Hinnant's days_from_civil).
std::int64_t days_from_civil(int y, unsigned m, unsigned d) {
    y -= m <= 2;
    const int era = (y >= 0 ? y : y - 399) / 400;
    const auto yoe = static_cast<unsigned>(y - era * 400);
    const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return static_cast<std::int64_t>(era) * 146097 + static_cast<std::int64_t>(doe) - 719468;
}
} // namespace

std::int64_t days_between(YearMonth origin, YearMonth month) {
    return days_from_civil(month.year, static_cast<unsigned>(month.month), 1) -
           days_from_civil(origin.year, static_cast<unsigned>(origin.month), 1);
}

} // namespace bridges::core
