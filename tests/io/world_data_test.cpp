// The `world:` block: countries and corridors from the tidy real-world files, selected and filled
// by the rules of docs/world-data.md, and malformed files reported at file:line:col.

#include "core/base/errors.hpp"
#include "io/scenario_reader.hpp"
#include "io/world_data.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>

using namespace bridges;

namespace {

const char* kCountries =
    R"(iso3,name,region,population,gdp_per_capita_usd,price_level,price_level_source,poverty_headcount,poverty_year
AAA,Alpha,Northern America,300000000,60000,1.0,private_consumption,0.01,2017
BBB,"Beta, Republic of",Latin America and the Caribbean,120000000,9000,0.5,private_consumption,0.032,2016
CCC,Gamma,Asia,100000000,,0.3,gdp,,
DDD,Delta,Asia,,1500,,,0.135,2016
)";

// origin,host,...: BBB->AAA has its cost; CCC->AAA has none (AAA's median applies: 0.05);
// DDD->CCC has none and CCC hosts nothing else (world.cost_formal applies).
const char* kCorridors =
    R"(origin,host,stock_wb_2017,stock_un_2019,stock_un_2020,remittances_wb_2017_usd,cost_formal,cost_source,distance_km
BBB,AAA,11000000,11500000,11000000,30000000000,0.05,rpw_2017,3000
CCC,AAA,2000000,2100000,2200000,15000000000,,,12000
DDD,CCC,50000,60000,70000,100000000,,,2000
AAA,BBB,900000,800000,850000,,0.08,phi_2017,3000
)";

// History tables: BBB's GDP per capita doubles from 2000 to 2002, its currency halves against the
// dollar while its prices double (1.2 times in the first year); AAA has no exchange rate; stocks of BBB->AAA
// grow, CCC->AAA is absent in 2000; EEE->AAA has a stock but EEE is no country of countries.csv (left out).
const char* kHistoryCountries =
    R"(iso3,year,gdp_per_capita_usd,fx_lcu_per_usd,price_index,unemployment_rate,population,filled
AAA,2000,50000,,0.8,0.04,280000000,
AAA,2001,52000,,0.82,0.05,290000000,
AAA,2002,54000,,0.84,0.06,300000000,
BBB,2000,4000,10,0.5,0.03,100000000,
BBB,2001,6000,15,0.6,0.03,110000000,
BBB,2002,8000,20,1.0,0.03,120000000,
)";
const char* kHistoryStocks = R"(origin,host,year,stock
BBB,AAA,2000,9000000
BBB,AAA,2005,11000000
CCC,AAA,2000,0
CCC,AAA,2005,2000000
EEE,AAA,2000,500000
EEE,AAA,2005,500000
)";
const char* kHistoryCosts = R"(origin,host,year,cost_formal
BBB,AAA,2011,0.08
BBB,AAA,2013,0.06
)";

class WorldFiles : public ::testing::Test {
  protected:
    void SetUp() override {
        dir_ = std::filesystem::temp_directory_path() /
               ("bridges_world_test_" +
                std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()));
        std::filesystem::create_directories(dir_ / "data");
        std::ofstream(dir_ / "data" / "countries.csv") << kCountries;
        std::ofstream(dir_ / "data" / "corridors.csv") << kCorridors;
        std::ofstream(dir_ / "data" / "history_countries.csv") << kHistoryCountries;
        std::ofstream(dir_ / "data" / "history_stocks.csv") << kHistoryStocks;
        std::ofstream(dir_ / "data" / "history_costs.csv") << kHistoryCosts;
    }
    void TearDown() override { std::filesystem::remove_all(dir_); }
    io::LoadedScenario load(const std::string& world, const std::vector<std::string>& sets = {}) {
        const auto path = dir_ / "s.yaml";
        std::ofstream(path) << "schema_version: 1\nname: w\nmonths: 2\nscale: 10000\nworld:\n" << world;
        return io::load_scenario(path.string(), sets);
    }
    std::filesystem::path dir_;
};

} // namespace

TEST_F(WorldFiles, CorridorsAndCountriesFilledByTheRules) {
    const auto s = load("  data: data\n  stock: un_2020\n  cost_formal: 0.07\n").scenario;
    ASSERT_EQ(s.corridors.size(), 4u);
    // Largest stock first.
    EXPECT_EQ(s.corridors[0].origin, "BBB");
    EXPECT_DOUBLE_EQ(s.corridors[0].stock, 11000000);
    EXPECT_DOUBLE_EQ(s.corridors[0].cost_formal, 0.05);
    EXPECT_EQ(s.corridors[1].origin, "CCC");
    EXPECT_DOUBLE_EQ(s.corridors[1].cost_formal, 0.05); // the median of AAA's known costs
    EXPECT_DOUBLE_EQ(s.corridors[1].distance_km, 12000);
    EXPECT_EQ(s.corridors[3].origin, "DDD");
    EXPECT_DOUBLE_EQ(s.corridors[3].cost_formal, 0.07); // world.cost_formal
    ASSERT_EQ(s.countries.size(), 4u);
    EXPECT_EQ(s.countries[1].name, "Beta, Republic of");
    EXPECT_DOUBLE_EQ(s.countries[2].gdp_per_capita_usd, 1500);  // CCC: the median of Asia
    EXPECT_DOUBLE_EQ(s.countries[3].population, 100000000);     // DDD: the median of Asia
    EXPECT_DOUBLE_EQ(s.countries[0].financial_inclusion, 0.95); // above 50,000 US$
    EXPECT_NEAR(s.countries[3].household_size, io::household_size_for(1500), 1e-12);
    EXPECT_DOUBLE_EQ(s.countries[1].price_level, 0.5);
    EXPECT_DOUBLE_EQ(s.countries[3].price_level, 0.3);         // DDD: the median of Asia
    EXPECT_DOUBLE_EQ(s.countries[1].poverty_headcount, 0.032); // the incomes are fitted to it
    EXPECT_DOUBLE_EQ(s.countries[2].poverty_headcount, -1);    // CCC has none: not fitted
    EXPECT_TRUE(s.world.data.empty()); // consumed: the resolved scenario lists everything
}

TEST_F(WorldFiles, FiltersAndScale) {
    auto s = load("  data: data\n  stock: wb_2017\n  top: 2\n  scale: 500\n").scenario;
    ASSERT_EQ(s.corridors.size(), 2u);
    EXPECT_DOUBLE_EQ(s.corridors[1].stock, 2000000);
    EXPECT_DOUBLE_EQ(s.scale, 500);
    EXPECT_EQ(s.countries.size(), 3u); // AAA, BBB, CCC
    s = load("  data: data\n  region: Asia\n").scenario;
    ASSERT_EQ(s.corridors.size(), 2u); // origins CCC and DDD
    s = load("  data: data\n  hosts: [AAA]\n  min_stock: 3000000\n").scenario;
    ASSERT_EQ(s.corridors.size(), 1u);
    s = load("  data: data\n", {"world.scale=2000"}).scenario;
    EXPECT_DOUBLE_EQ(s.scale, 2000);
}

TEST_F(WorldFiles, BadSelectionsAreScenarioErrors) {
    try {
        load("  data: data\n  origins: [ZZZ]\n  region: Atlantis\n");
        FAIL() << "accepted";
    } catch (const ScenarioError& e) {
        ASSERT_EQ(e.diagnostics().size(), 2u) << e.what();
        EXPECT_EQ(e.diagnostics()[0].line, 7);
        EXPECT_NE(e.diagnostics()[0].message.find("ZZZ"), std::string::npos);
        EXPECT_NE(e.diagnostics()[1].message.find("known: Asia"), std::string::npos);
    }
}

TEST_F(WorldFiles, MalformedFilesNameFileLineColumnAndKey) {
    std::ofstream(dir_ / "bad" / ".." / "data" / "x"); // keep the folder
    std::filesystem::create_directories(dir_ / "bad");
    std::ofstream(dir_ / "bad" / "countries.csv") << kCountries;
    std::string rows = kCorridors;
    rows.replace(rows.find("2000000,2100000"), 7, "2e6x000");
    std::ofstream(dir_ / "bad" / "corridors.csv") << rows;
    try {
        load("  data: bad\n");
        FAIL() << "accepted";
    } catch (const DataError& e) {
        const std::string m = e.what();
        EXPECT_NE(m.find("corridors.csv:3:9: column 'stock_wb_2017'"), std::string::npos) << m;
    }
    std::ofstream(dir_ / "bad" / "corridors.csv") << "origin,host\nBBB,AAA\n";
    try {
        io::read_world_data((dir_ / "bad2").string());
        FAIL() << "accepted a missing folder";
    } catch (const DataError& e) {
        EXPECT_NE(std::string(e.what()).find("countries.csv: cannot open"), std::string::npos);
    }
}

TEST_F(WorldFiles, HistoryDrivesCountriesAndCorridorsFromTheStartYear) {
    auto s = load("  data: data\n  history: true\n  min_stock: 1\n", {"start=2001-01"}).scenario;
    ASSERT_EQ(s.corridors.size(), 2u); // EEE is not a country of countries.csv
    const auto& bbb = s.corridors[0];
    EXPECT_EQ(bbb.origin, "BBB");
    EXPECT_EQ(bbb.drivers.stock_years, (std::vector<double>{2000, 2005}));
    EXPECT_EQ(bbb.drivers.stock, (std::vector<double>{9000000, 11000000}));
    EXPECT_NEAR(bbb.stock, 9000000 + 2000000 * (2001 + 0.5 / 12 - 2000.5) / 5, 1e-3); // at the start
    EXPECT_EQ(bbb.drivers.cost_from, 2011);
    EXPECT_EQ(bbb.drivers.cost_formal, (std::vector<double>{0.08, 0.07, 0.06})); // 2012 between
    const auto& ccc = s.corridors[1];
    EXPECT_EQ(ccc.origin, "CCC");
    EXPECT_GE(ccc.stock, 1); // empty in 2000, growing after
    EXPECT_TRUE(ccc.drivers.cost_formal.empty());
    ASSERT_EQ(s.countries[1].code, "BBB");
    const auto& b = s.countries[1];
    // GDP per capita at 2001-01 (log-linear between mid-2000 and mid-2001), and the fill rules on it.
    const double gdp = 4000 * std::pow(1.5, 0.5 / 12 + 0.5);
    EXPECT_NEAR(b.gdp_per_capita_usd, gdp, 1e-6);
    EXPECT_NEAR(b.financial_inclusion, io::financial_inclusion_for(gdp), 1e-12);
    EXPECT_EQ(b.drivers.from, 2000);
    EXPECT_EQ(b.drivers.fx_lcu_per_usd, (std::vector<double>{10, 15, 20}));
    EXPECT_EQ(b.drivers.financial_inclusion.size(), 3u);
    // The 2017 price level (0.5) carried to the start by prices over the exchange rate (the table
    // ends in 2002, whose values hold for 2017: prices 1, 20 per dollar).
    const double at = 0.5 / 12 + 0.5; // of the way from mid-2000 to mid-2001
    EXPECT_NEAR(b.price_level, 0.5 * (0.5 * std::pow(1.2, at) / 1.0) / (10 * std::pow(1.5, at) / 20), 1e-9);
    // AAA has no exchange rate: its prices do not drive it; its unemployment does.
    EXPECT_TRUE(s.countries[0].drivers.fx_lcu_per_usd.empty());
    EXPECT_EQ(s.countries[0].drivers.unemployment_rate, (std::vector<double>{0.04, 0.05, 0.06}));
    EXPECT_FALSE(s.world.history); // consumed: the resolved scenario carries the paths
}

TEST_F(WorldFiles, MalformedHistoryTablesNameFileLineColumnAndKey) {
    std::string rows = kHistoryCountries;
    rows.replace(rows.find("6000,15"), 7, "6000,1x");
    std::ofstream(dir_ / "data" / "history_countries.csv") << rows;
    try {
        load("  data: data\n  history: true\n");
        FAIL() << "accepted";
    } catch (const DataError& e) {
        const std::string m = e.what();
        EXPECT_NE(m.find("history_countries.csv:6:15: column 'fx_lcu_per_usd'"), std::string::npos) << m;
    }
    std::ofstream(dir_ / "data" / "history_countries.csv") << kHistoryCountries;
    std::ofstream(dir_ / "data" / "history_stocks.csv")
        << "origin,host,year,stock\nBBB,AAA,2005,1\nBBB,AAA,2000,2\n";
    try {
        io::read_world_history_files((dir_ / "data").string());
        FAIL() << "accepted years out of order";
    } catch (const DataError& e) {
        EXPECT_NE(std::string(e.what()).find("history_stocks.csv:3:"), std::string::npos) << e.what();
    }
    std::ofstream(dir_ / "data" / "history_stocks.csv") << kHistoryStocks;
    std::filesystem::remove(dir_ / "data" / "history_costs.csv");
    try {
        io::read_world_history_files((dir_ / "data").string());
        FAIL() << "accepted a missing table";
    } catch (const DataError& e) {
        EXPECT_NE(std::string(e.what()).find("history_costs.csv: cannot open"), std::string::npos)
            << e.what();
    }
}

TEST_F(WorldFiles, RecordedRemittancesAreReadFor2010To2019Only) {
    const auto folder = dir_ / "data";
    std::ofstream(folder / "history_inflows.csv")
        << "iso3,region,income_group,year,remittances_usd\nBBB,Latin America & Caribbean,Upper middle "
           "income,2010,1500000000\nBBB,Latin America & Caribbean,Upper middle income,2011,1600000000\n";
    std::ofstream(folder / "history_outflows.csv") << "iso3,year,remittances_usd\nAAA,2010,5e10\n";
    std::ofstream(folder / "history_mex_monthly.csv")
        << "month,flow,value_usd\n2010-01,inflow,1374061925\n2013-01,outflow,1000\n";
    const auto r = io::read_recorded_remittances(folder.string());
    EXPECT_DOUBLE_EQ(r.inflows.at("BBB").at(2011), 1.6e9);
    EXPECT_EQ(r.income_group.at("BBB"), "Upper middle income");
    EXPECT_DOUBLE_EQ(r.outflows.at("AAA").at(2010), 5e10);
    ASSERT_EQ(r.mexico_monthly.size(), 1u); // inflows only
    EXPECT_DOUBLE_EQ(r.mexico_monthly.at(core::YearMonth{2010, 1}.ordinal()), 1374061925);
    // A year kept back is refused, naming the file, line, column and key.
    std::ofstream(folder / "history_outflows.csv") << "iso3,year,remittances_usd\nAAA,2020,5e10\n";
    try {
        io::read_recorded_remittances(folder.string());
        FAIL() << "read a recorded year outside 2010-2019";
    } catch (const DataError& e) {
        EXPECT_NE(std::string(e.what()).find("history_outflows.csv:2:5: column 'year'"), std::string::npos)
            << e.what();
    }
}

TEST_F(WorldFiles, IncludedFilesFillWhatTheScenarioLeavesOut) {
    std::ofstream(dir_ / "overlay.yaml")
        << "behaviour:\n  remit:\n    amount_share: 0.3\n    intercept: 1.5\n";
    const auto path = dir_ / "s.yaml";
    std::ofstream(path)
        << "schema_version: 1\nname: w\nmonths: 2\ninclude: overlay.yaml\nworld:\n  data: data\n"
           "behaviour:\n  remit:\n    intercept: 0.9\n";
    const auto s = io::load_scenario(path.string()).scenario;
    EXPECT_DOUBLE_EQ(s.behaviour.remit.amount_share, 0.3); // from the included file
    EXPECT_DOUBLE_EQ(s.behaviour.remit.intercept, 0.9);    // the scenario's own value wins
    EXPECT_DOUBLE_EQ(io::load_scenario(path.string(), {"behaviour.remit.amount_share=0.2"})
                         .scenario.behaviour.remit.amount_share,
                     0.2); // and so does --set
    // An error in the included file is reported there; a missing file at the include.
    std::ofstream(dir_ / "overlay.yaml") << "behaviour:\n  remit:\n    amount_share: 3\n";
    try {
        io::load_scenario(path.string());
        FAIL() << "accepted";
    } catch (const ScenarioError& e) {
        ASSERT_EQ(e.diagnostics().size(), 1u) << e.what();
        EXPECT_EQ(e.diagnostics()[0].file, (dir_ / "overlay.yaml").string());
        EXPECT_EQ(e.diagnostics()[0].line, 3);
    }
    std::filesystem::remove(dir_ / "overlay.yaml");
    try {
        io::load_scenario(path.string());
        FAIL() << "accepted";
    } catch (const ScenarioError& e) {
        ASSERT_EQ(e.diagnostics().size(), 1u);
        EXPECT_EQ(e.diagnostics()[0].line, 4);
        EXPECT_NE(e.diagnostics()[0].message.find("cannot open"), std::string::npos);
    }
}

TEST_F(WorldFiles, PerCorridorPropensitiesFromACsvFile) {
    std::ofstream(dir_ / "p.csv") << "origin,host,propensity\nBBB,AAA,2.5\nDDD,CCC,0.25\n";
    const auto s = load("  data: data\n  propensity: p.csv\n").scenario;
    for (const auto& k : s.corridors) {
        const double expected = k.origin == "BBB" ? 2.5 : k.origin == "DDD" ? 0.25 : 1.0; // not listed
        EXPECT_DOUBLE_EQ(k.propensity, expected) << k.origin << " -> " << k.host;
    }
    EXPECT_TRUE(s.world.propensity.empty()); // the corridors carry the values
    // Malformed files: the value, a duplicate, a missing column, a corridor the world data does not
    // have, a row longer or shorter than the header; each at file:line:col.
    const std::pair<const char*, const char*> bad[] = {
        {"origin,host,propensity\nBBB,AAA,2\nCCC,AAA,abc\n", "p.csv:3:9: column 'propensity'"},
        {"origin,host,propensity\nBBB,AAA,2000\n", "p.csv:2:9: column 'propensity'"},
        {"origin,host,propensity\nBBB,AAA,nan\n", "p.csv:2:9: column 'propensity'"},
        {"origin,host,propensity\nBBB,AAA,inf\n", "p.csv:2:9: column 'propensity'"},
        {"origin,host,propensity\nBBB,AAA,-1\n", "p.csv:2:9: column 'propensity'"},
        {"origin,host,propensity\nBBB,AAA,0x10\n", "p.csv:2:9: column 'propensity'"},
        {"origin,host,propensity\nBBB,AAA, 2\n", "p.csv:2:9: column 'propensity'"},
        {"origin,host,propensity\nBBB,AAA,\n", "p.csv:2:9: column 'propensity': missing value"},
        {"origin,host,propensity\nBBB,AAA,2,7\n", "p.csv:2:11: 4 fields where the header has 3"},
        {"origin,host,propensity\nBBB,AAA\n", "p.csv:2:5: 2 fields where the header has 3"},
        {"origin,host,propensity\nAAA,DDD,4\n", "p.csv:2:1: column 'origin': corridor AAA -> DDD is not in"},
        {"origin,host,propensity\nBBB,AAA,2\nBBB,AAA,3\n", "p.csv:3:1: column 'origin': corridor BBB -> AAA"},
        {"origin,host\nBBB,AAA\n", "p.csv:1:1: column 'propensity': missing from the header"},
    };
    for (const auto& [text, message] : bad) {
        std::ofstream(dir_ / "p.csv") << text;
        try {
            load("  data: data\n  propensity: p.csv\n");
            ADD_FAILURE() << "accepted " << text;
        } catch (const DataError& e) {
            EXPECT_NE(std::string(e.what()).find(message), std::string::npos) << e.what();
        }
    }
    // A missing file is an error at world.propensity in the scenario, not a hint to import data.
    try {
        load("  data: data\n  propensity: missing.csv\n");
        ADD_FAILURE() << "accepted a missing propensity file";
    } catch (const ScenarioError& e) {
        ASSERT_EQ(e.diagnostics().size(), 1u);
        EXPECT_EQ(e.diagnostics()[0].line, 7);
        EXPECT_NE(e.diagnostics()[0].message.find("cannot open"), std::string::npos);
        EXPECT_EQ(e.diagnostics()[0].message.find("import-world-data"), std::string::npos);
    }
}
