// Poverty as the World Bank measures it: a fixed line in international dollars, incomes fitted so
// that the first year's headcount is the scenario's (the World Bank's), and a headcount that
// cannot rise while every decile's real consumption rises.

#include "core/engine/engine.hpp"
#include "io/scenario_reader.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <filesystem>
#include <numeric>
#include <string>
#include <vector>

using namespace bridges;

namespace {

const std::string kScenarios = std::string(BRIDGES_SOURCE_DIR) + "/scenarios";

/// The shipped scenarios the checks run on: the synthetic baseline and, when the world tables
/// have been imported (tools/import-world-data), every world scenario.
std::vector<std::string> baseline_and_world() {
    std::vector<std::string> files = {kScenarios + "/baseline.yaml"};
    if (!std::filesystem::exists(std::string(BRIDGES_SOURCE_DIR) + "/data/world/countries.csv")) return files;
    std::vector<std::string> world;
    for (const auto& f : std::filesystem::directory_iterator(kScenarios + "/world")) {
        const std::string name = f.path().filename().string();
        if (f.path().extension() == ".yaml" && name.find("_calibration") == std::string::npos)
            world.push_back(f.path().string());
    }
    std::sort(world.begin(), world.end());
    files.insert(files.end(), world.begin(), world.end());
    return files;
}

/// A coarse scale keeps the runs short: persons per member.
std::string coarse_scale(const std::string& file) {
    return file.find("/world/") != std::string::npos ? "world.scale=5000" : "scale=500";
}

/// Means of the ten deciles of `values` weighted by `weights` (equal weight in each decile; a
/// value straddling a boundary is split).
std::array<double, 10> decile_means(std::vector<std::pair<double, double>> values) {
    std::sort(values.begin(), values.end());
    double total = 0;
    for (const auto& [v, wt] : values)
        total += wt;
    std::array<double, 10> sum{}, weight{};
    double before = 0;
    for (const auto& [v, wt] : values) {
        double left = wt, at = before;
        while (left > 0) {
            const int d = std::min(9, static_cast<int>(at / total * 10));
            const double room = std::max((d + 1) * total / 10 - at, 0.0);
            const double take = d == 9 ? left : std::min(left, room);
            sum[d] += v * take;
            weight[d] += take;
            left -= take;
            at += take;
            if (take == 0) break;
        }
        before += wt;
    }
    std::array<double, 10> mean{};
    for (int d = 0; d < 10; ++d)
        mean[d] = weight[d] > 0 ? sum[d] / weight[d] : 0;
    return mean;
}

} // namespace

TEST(Poverty, FirstYearHeadcountsWithinFivePointsOfTheWorldBank) {
    for (const std::string& file :
         {kScenarios + "/baseline.yaml", kScenarios + "/world/baseline_2017.yaml"}) {
        if (file.find("/world/") != std::string::npos &&
            !std::filesystem::exists(std::string(BRIDGES_SOURCE_DIR) + "/data/world/countries.csv"))
            continue;
        SCOPED_TRACE(file);
        const auto loaded = io::load_scenario(file, {coarse_scale(file), "months=12"});
        core::Engine e(loaded.scenario);
        const auto& countries = e.world().countries;
        std::vector<double> headcount(countries.size(), 0);
        while (!e.done()) {
            const auto rate = e.step().get("countries", "poverty_rate");
            for (std::size_t o = 0; o < countries.size(); ++o)
                headcount[o] += rate[o] / 12;
        }
        int checked = 0;
        for (const std::string code : {"MEX", "PHL", "BGD", "NGA", "ETH"}) {
            const int o = countries.find(code);
            ASSERT_GE(o, 0) << code;
            const double target = loaded.scenario.countries[static_cast<std::size_t>(o)].poverty_headcount;
            ASSERT_GE(target, 0) << code << ": the scenario gives no headcount to fit";
            EXPECT_NEAR(headcount[static_cast<std::size_t>(o)], target, 0.05) << code;
            ++checked;
        }
        EXPECT_EQ(checked, 5);
    }
}

TEST(Poverty, HeadcountNeverRisesWhileEveryDecileConsumesMore) {
    for (const std::string& file : baseline_and_world()) {
        SCOPED_TRACE(file);
        const auto loaded = io::load_scenario(file, {coarse_scale(file), "months=72"});
        core::Engine e(loaded.scenario);
        const core::World& w = e.world();
        const std::size_t nc = w.countries.size();
        std::vector<double> annual(w.households.size(), 0);
        std::vector<double> headcount(nc, 0);
        std::vector<std::array<double, 10>> last_deciles(nc);
        std::vector<double> last_headcount(nc, -1);
        int all_rose = 0;
        while (!e.done()) {
            const auto& r = e.step();
            const auto rate = r.get("countries", "poverty_rate");
            const auto line = r.get("countries", "poverty_line_hh_usd");
            for (std::size_t o = 0; o < nc; ++o)
                headcount[o] += rate[o] / 12;
            // Consumption in lines: what it buys at home (the line moves in dollars with the
            // country's prices and currency).
            for (std::size_t c = 0; c < w.communities.size(); ++c) {
                const auto o = w.communities.origin[c];
                for (auto h = w.communities.first_household[c]; h < w.communities.first_household[c + 1]; ++h)
                    annual[h] += w.households.consumption[h] / line[o] / 12;
            }
            if (e.month() % 12 != 0) continue;
            // A year is complete: the deciles of households' mean consumption over it, by origin,
            // each household weighted by the real households it stands for.
            std::vector<std::vector<std::pair<double, double>>> by_origin(nc);
            for (std::size_t c = 0; c < w.communities.size(); ++c) {
                const auto o = w.communities.origin[c];
                for (auto h = w.communities.first_household[c]; h < w.communities.first_household[c + 1]; ++h)
                    by_origin[o].push_back({annual[h], w.households.corridor[h] == core::kNoCorridor
                                                           ? w.countries.household_weight_non_migrant[o]
                                                           : w.countries.household_weight_migrant[o]});
            }
            for (std::size_t o = 0; o < nc; ++o) {
                // An origin of few households moves in steps of one household: those of at
                // least 1,000 (steps of at most 0.1 point) are checked.
                if (by_origin[o].size() < 1000) continue;
                const auto deciles = decile_means(by_origin[o]);
                if (last_headcount[o] >= 0) {
                    bool every = true;
                    for (int d = 0; d < 10; ++d)
                        every = every && deciles[d] > last_deciles[o][d];
                    if (every) {
                        ++all_rose;
                        // Margin: half a percentage point (households with migrants near the line
                        // whose receipts fall in a year when their decile's mean rises).
                        EXPECT_LE(headcount[o], last_headcount[o] + 0.005)
                            << w.countries.code[o] << ", year " << e.month() / 12;
                    }
                }
                last_deciles[o] = deciles;
                last_headcount[o] = headcount[o];
            }
            std::fill(annual.begin(), annual.end(), 0.0);
            std::fill(headcount.begin(), headcount.end(), 0.0);
        }
        EXPECT_GT(all_rose, 0) << "no year in which every decile consumed more: the check tested nothing";
    }
}
