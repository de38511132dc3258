// Observed paths (world.history): reading them at a month, and what they move in a run — the
// members on a corridor, the host's labour market, the origin's incomes and prices.

#include "core/model/drivers.hpp"
#include "micro_world.hpp"

#include <gtest/gtest.h>

#include <cmath>

namespace bridges::test {
namespace {

constexpr int kOrigin = 0, kHost = 1;

TEST(Drivers, AnnualValuesStandForMidYearAndAreHeldBeyondTheEnds) {
    const std::vector<double> v = {100, 400};
    EXPECT_DOUBLE_EQ(core::annual_at(v, 2000, 2000.5, true, 0), 100);
    EXPECT_DOUBLE_EQ(core::annual_at(v, 2000, 2001.5, true, 0), 400);
    EXPECT_DOUBLE_EQ(core::annual_at(v, 2000, 2001.0, true, 0), 200); // geometric midpoint
    EXPECT_DOUBLE_EQ(core::annual_at(v, 2000, 2001.0, false, 0), 250);
    EXPECT_DOUBLE_EQ(core::annual_at(v, 2000, 1990.0, true, 0), 100);
    EXPECT_DOUBLE_EQ(core::annual_at(v, 2000, 2030.0, true, 0), 400);
    EXPECT_DOUBLE_EQ(core::annual_at({}, 2000, 2001.0, true, 7), 7);
    EXPECT_DOUBLE_EQ(core::month_time({2000, 1}), 2000 + 0.5 / 12);
}

TEST(Drivers, StocksAreLinearBetweenTheirYearsAndPeakWithinTheRun) {
    core::CorridorSpec k;
    k.stock = 5;
    k.drivers.stock_years = {2000, 2005, 2010};
    k.drivers.stock = {100, 300, 200};
    EXPECT_DOUBLE_EQ(core::stock_at(k, 2000.5), 100);
    EXPECT_DOUBLE_EQ(core::stock_at(k, 2003.0), 200);
    EXPECT_DOUBLE_EQ(core::stock_at(k, 2020.0), 200);
    EXPECT_DOUBLE_EQ(core::peak_stock(k, {2001, 1}, 24), core::stock_at(k, core::month_time({2002, 12})));
    EXPECT_DOUBLE_EQ(core::peak_stock(k, {2001, 1}, 120), 300);
    k.drivers = {};
    EXPECT_DOUBLE_EQ(core::stock_at(k, 2003.0), 5);
}

/// micro_world with a corridor whose stock doubles from 400 (mid-2000) to 800 (mid-2002) and falls
/// back to 400 by mid-2004, run from 2000-01 for five years.
core::Scenario changing_stock() {
    core::Scenario s = micro_world(400);
    s.start = {2000, 1};
    s.months = 60;
    s.behaviour.labour.turnover = 0.11;
    auto& d = s.corridors[0].drivers;
    d.stock_years = {2000, 2002, 2004};
    d.stock = {400, 800, 400};
    return s;
}

TEST(Drivers, MembersArriveAndLeaveSoThatTheCountFollowsTheStock) {
    core::Engine e(changing_stock());
    const auto& mm = e.world().members;
    ASSERT_EQ(mm.size(), 800u); // places for the most the corridor holds
    while (!e.done()) {
        const auto& r = e.step();
        const double t = core::month_time(e.scenario().start.plus(e.month() - 1));
        const double expected = core::stock_at(e.scenario().corridors[0], t);
        const double members = r.get("corridors", "members")[0];
        // Each month the count is expected to equal the stock; its spread is that of the month's
        // arrivals or departures (binomial, at most 800 draws): margin 4 standard deviations of
        // the worst month plus the month's own change.
        EXPECT_NEAR(members, expected, 4 * std::sqrt(800 * 0.25) + 20) << "month " << e.month();
        EXPECT_EQ(r.get("global", "ledger_imbalance_usd")[0], 0.0) << "month " << e.month();
    }
}

TEST(Drivers, NewcomersArriveWithoutYearsAbroadOrAJobAndLeaversTakeTheirSavings) {
    core::Scenario s = changing_stock();
    s.months = 20; // growing
    s.behaviour.labour.job_finding = 0;
    core::Engine e(s);
    const auto& mm = e.world().members;
    std::vector<std::uint8_t> was(mm.present.begin(), mm.present.end());
    int arrived = 0;
    while (!e.done()) {
        e.step();
        for (std::size_t m = 0; m < mm.size(); ++m) {
            if (!was[m] && mm.present[m]) {
                ++arrived;
                EXPECT_EQ(mm.months_abroad[m], 1) << m; // arrived this month
                EXPECT_EQ(mm.employed[m], 0) << m;      // nobody finds a job here
            }
            if (!mm.present[m]) {
                EXPECT_EQ(mm.savings[m], 0.0F) << m;
                EXPECT_EQ(mm.income[m], 0.0F) << m;
            }
            was[m] = mm.present[m];
        }
    }
    // From 400 to 400 + 400 x (2001-08 - mid-2000) / 2 years = 625 members, each arrival counted
    // once (a newcomer in the place of one who left is not counted): 225 expected.
    EXPECT_GT(arrived, 180);
}

TEST(Drivers, RunsAreTheSameOnOneThreadAndMany) {
    core::Engine parallel(changing_stock(), core::Execution::parallel);
    core::Engine serial(changing_stock(), core::Execution::serial);
    while (!parallel.done()) {
        const auto& a = parallel.step();
        const auto& b = serial.step();
        EXPECT_EQ(a.get("corridors", "members"), b.get("corridors", "members"));
        EXPECT_EQ(a.get("global", "remit_formal_usd"), b.get("global", "remit_formal_usd"));
    }
}

TEST(Drivers, HostUnemploymentMovesJobLossesAndJobFinding) {
    core::Scenario s = micro_world(2000);
    s.start = {2008, 1};
    s.months = 36;
    s.behaviour.labour.separation = 0.01;
    s.population.employment_rate = 0.9375; // the steady state of separation 0.01, finding 0.15
    s.population.burn_in_months = 12;
    auto& d = s.countries[kHost].drivers;
    d.from = 2007;
    d.unemployment_rate = {0.05, 0.05, 0.10, 0.10, 0.10};
    core::Engine e(s);
    double first = 0, last = 0;
    while (!e.done()) {
        const auto& r = e.step();
        const double employment = r.get("corridors", "employment_rate")[0];
        if (e.month() == 1) first = employment;
        last = employment;
    }
    // The odds of unemployment double from mid-2008 to mid-2009 (0.05 / 0.95 to 0.10 / 0.90, x 2.11):
    // migrants' unemployment, 6.25% at the start (separation 0.01, finding 0.15), settles near
    // 2.11 / (1 + 0.0667 * 2.11) x 0.0667 = 12.3%. Margin: 2,000 members, 1.5 points.
    EXPECT_NEAR(1 - first, 0.0625, 0.015);
    EXPECT_NEAR(1 - last, 0.123, 0.015);
}

/// micro_world from 2010-01 for 24 months whose origin has these annual paths from 2009.
core::Scenario origin_paths(std::vector<double> gdp, std::vector<double> fx, std::vector<double> prices) {
    core::Scenario s = micro_world(10);
    s.start = {2010, 1};
    s.months = 24;
    auto& d = s.countries[kOrigin].drivers;
    d.from = 2009;
    d.gdp_per_capita_usd = std::move(gdp);
    d.fx_lcu_per_usd = std::move(fx);
    d.price_index = std::move(prices);
    return s;
}

TEST(Drivers, OriginIncomesFollowGdpPerCapitaAndThePovertyLineItsPrices) {
    // GDP per capita +50% from mid-2011 to mid-2012, while the currency halves and prices rise 50%.
    core::Engine e(origin_paths({2400, 2400, 2400, 3600}, {10, 10, 10, 20}, {1, 1, 1, 1.5}));
    double line_start = 0, income_start = 0;
    while (!e.done()) {
        const auto& r = e.step();
        if (e.month() == 1) {
            line_start = country_value(r, "poverty_line_hh_usd", kOrigin);
            income_start = country_value(r, "income_non_migrant_hh_usd", kOrigin);
        }
        if (e.month() == 24) { // 2011-12: a year of the way from mid-2011 to mid-2012 less half a month
            const double f = (2011 + 11.5 / 12 - 2011.5);
            EXPECT_NEAR(country_value(r, "income_non_migrant_hh_usd", kOrigin) / income_start,
                        std::pow(1.5, f), 1e-4);
            EXPECT_NEAR(country_value(r, "poverty_line_hh_usd", kOrigin) / line_start,
                        std::pow(1.5, f) / std::pow(2.0, f), 1e-4);
        }
    }
}

TEST(Drivers, AFallOfTheCurrencyIsNoLossToAnswerAndSendsFewerDollars) {
    // The currency halves; GDP per capita is the same in local currency, so half in dollars.
    core::Scenario s = origin_paths({2400, 2400, 2400, 1200}, {10, 10, 10, 20}, {1, 1, 1, 1});
    core::Scenario flat = s;
    flat.behaviour.remit.price_elasticity = 0;
    core::Engine e(s), f(flat);
    while (!e.done()) {
        const auto& a = e.step();
        const auto& b = f.step();
        EXPECT_EQ(country_value(a, "loss_usd", kOrigin), 0.0);
        const double price =
            std::pow(2.0, -std::clamp(core::month_time(s.start.plus(e.month() - 1)) - 2011.5, 0.0, 1.0));
        EXPECT_NEAR(country_value(a, "remit_formal_usd", kOrigin) /
                        country_value(b, "remit_formal_usd", kOrigin),
                    std::pow(price, 0.4), 1e-3)
            << "month " << e.month();
    }
}

} // namespace
} // namespace bridges::test
