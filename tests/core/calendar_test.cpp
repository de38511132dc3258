#include "core/model/calendar.hpp"

#include <gtest/gtest.h>

using namespace bridges::core;

TEST(CalendarDays, CountsRealMonthLengths) {
    const YearMonth jan{2017, 1};
    EXPECT_EQ(days_between(jan, {2017, 2}), 31);
    EXPECT_EQ(days_between(jan, {2017, 3}), 59);
    EXPECT_EQ(days_between(jan, {2018, 1}), 365);
    EXPECT_EQ(days_between({2020, 1}, {2020, 3}), 60);  // leap year
    EXPECT_EQ(days_between({2000, 1}, {2001, 1}), 366); // divisible by 400
    EXPECT_EQ(days_between({1900, 1}, {1901, 1}), 365); // divisible by 100 only
}

TEST(CalendarParse, AcceptsOnlyYearDashMonth) {
    YearMonth m;
    EXPECT_TRUE(parse_year_month("2017-12", m));
    EXPECT_EQ(m.year, 2017);
    EXPECT_EQ(m.month, 12);
    for (const char* bad : {"2017-13", "2017-00", "17-01", "2017/01", "2017-1", "abcd-ef", "2017-01-01", ""})
        EXPECT_FALSE(parse_year_month(bad, m)) << bad;
}

TEST(CalendarOrdinal, PlusCrossesYears) {
    const YearMonth m = YearMonth{2017, 11}.plus(3);
    EXPECT_EQ(m.year, 2018);
    EXPECT_EQ(m.month, 2);
    EXPECT_EQ(m.to_string(), "2018-02");
}
