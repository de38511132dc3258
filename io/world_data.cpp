#include "io/world_data.hpp"

#include "core/base/errors.hpp"
#include "core/model/drivers.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <limits>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <sstream>

namespace bridges::io {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

/// A CSV file read row by row (RFC 4180 quoting), with the column of every field for messages.
class CsvReader {
  public:
    explicit CsvReader(std::string path) : path_(std::move(path)), in_(path_, std::ios::binary) {
        if (!in_) throw DataError(path_ + ": cannot open (run tools/import-world-data to make it)");
    }

    /// The next row's fields, or false at the end.
    bool next(std::vector<std::string>& fields) {
        fields.clear();
        columns_.clear();
        std::string line;
        if (!std::getline(in_, line)) return false;
        ++line_;
        if (line_ == 1 && line.rfind("\xEF\xBB\xBF", 0) == 0) line.erase(0, 3);
        if (!line.empty() && line.back() == '\r') line.pop_back();
        std::string field;
        bool quoted = false;
        std::size_t start = 0;
        for (std::size_t i = 0;; ++i) {
            if (quoted) {
                if (i == line.size()) { // a quoted field across lines
                    std::string more;
                    if (!std::getline(in_, more)) fail(1 + start, "", "a quoted field is not closed");
                    ++line_;
                    line += "\n" + more;
                }
                if (line[i] == '"') {
                    if (i + 1 < line.size() && line[i + 1] == '"') {
                        field += '"';
                        ++i;
                    } else {
                        quoted = false;
                    }
                } else {
                    field += line[i];
                }
                continue;
            }
            if (i == line.size() || line[i] == ',') {
                fields.push_back(field);
                columns_.push_back(start + 1);
                field.clear();
                start = i + 1;
                if (i == line.size()) break;
            } else if (line[i] == '"' && field.empty()) {
                quoted = true;
            } else {
                field += line[i];
            }
        }
        const bool blank = fields.size() == 1 && fields[0].empty();
        if (line_ == 1) {
            width_ = fields.size();
        } else if (!blank && fields.size() != width_) {
            // at the first extra field, or at the last field of a short row
            fail(column_of(fields.size() > width_ ? width_ : fields.size() - 1), "",
                 std::to_string(fields.size()) + " fields where the header has " + std::to_string(width_));
        }
        return true;
    }

    [[noreturn]] void fail(std::size_t column, const std::string& key, const std::string& message) const {
        throw DataError(path_ + ":" + std::to_string(line_) + ":" + std::to_string(column) + ": " +
                        (key.empty() ? "" : "column '" + key + "': ") + message);
    }
    [[nodiscard]] std::size_t column_of(std::size_t field) const {
        return field < columns_.size() ? columns_[field] : 1;
    }
    [[nodiscard]] std::size_t line() const { return line_; }
    [[nodiscard]] const std::string& path() const { return path_; }

  private:
    std::string path_;
    std::ifstream in_;
    std::size_t line_ = 0, width_ = 0;
    std::vector<std::size_t> columns_;
};

/// Columns by name from the header; each required name must be present.
struct Header {
    std::map<std::string, std::size_t> index;
    Header(CsvReader& csv, const std::vector<std::string>& required) {
        std::vector<std::string> names;
        if (!csv.next(names)) csv.fail(1, "", "the file is empty (expected a header line)");
        for (std::size_t i = 0; i < names.size(); ++i)
            index[names[i]] = i;
        for (const auto& r : required)
            if (!index.count(r))
                csv.fail(
                    1, r,
                    "missing from the header (tables of another version: run tools/import-world-data again)");
    }
};

bool is_iso3(const std::string& s) {
    return s.size() == 3 && std::all_of(s.begin(), s.end(), [](char c) { return c >= 'A' && c <= 'Z'; });
}

std::string code(CsvReader& csv, const std::vector<std::string>& row, const Header& h, const char* key) {
    const std::size_t i = h.index.at(key);
    if (i >= row.size()) csv.fail(csv.column_of(row.size()), key, "missing field");
    if (!is_iso3(row[i])) csv.fail(csv.column_of(i), key, "'" + row[i] + "' is not an ISO3 code");
    return row[i];
}

std::string text(CsvReader& csv, const std::vector<std::string>& row, const Header& h, const char* key) {
    const std::size_t i = h.index.at(key);
    if (i >= row.size()) csv.fail(csv.column_of(row.size()), key, "missing field");
    return row[i];
}

/// A non-negative finite number, or NaN for an empty field.
double number(CsvReader& csv, const std::vector<std::string>& row, const Header& h, const char* key,
              double max) {
    const std::string s = text(csv, row, h, key);
    if (s.empty()) return kNaN;
    // Plain decimals only: strtod alone would also take leading spaces, hexadecimal, inf and nan.
    const bool plain = std::all_of(s.begin(), s.end(), [](char c) {
        return (c >= '0' && c <= '9') || c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-';
    });
    char* end = nullptr;
    const double x = plain ? std::strtod(s.c_str(), &end) : kNaN;
    if (!plain || *end != '\0' || !std::isfinite(x) || x < 0 || x > max)
        csv.fail(csv.column_of(h.index.at(key)), key,
                 "'" + s + "' is not a number from 0 to " + std::to_string(static_cast<long long>(max)));
    return x;
}

WorldData load(const std::string& folder) {
    WorldData d;
    d.folder = folder;
    {
        CsvReader csv(folder + "/countries.csv");
        const Header h(csv, {"iso3", "name", "region", "population", "gdp_per_capita_usd", "price_level",
                             "poverty_headcount"});
        std::set<std::string> seen;
        for (std::vector<std::string> row; csv.next(row);) {
            if (row.size() == 1 && row[0].empty()) continue;
            WorldCountry c;
            c.iso3 = code(csv, row, h, "iso3");
            if (!seen.insert(c.iso3).second) csv.fail(1, "iso3", "country " + c.iso3 + " is listed twice");
            c.name = text(csv, row, h, "name");
            c.region = text(csv, row, h, "region");
            c.population = number(csv, row, h, "population", 2e10);
            c.gdp_per_capita_usd = number(csv, row, h, "gdp_per_capita_usd", 1e6);
            c.price_level = number(csv, row, h, "price_level", 10);
            c.poverty_headcount = number(csv, row, h, "poverty_headcount", 1);
            d.countries.push_back(std::move(c));
        }
        if (d.countries.empty()) csv.fail(1, "", "no country");
    }
    std::set<std::string> known;
    for (const auto& c : d.countries)
        known.insert(c.iso3);
    {
        CsvReader csv(folder + "/corridors.csv");
        const Header h(csv, {"origin", "host", "stock_wb_2017", "stock_un_2019", "stock_un_2020",
                             "remittances_wb_2017_usd", "cost_formal", "cost_source", "distance_km"});
        std::set<std::pair<std::string, std::string>> seen;
        for (std::vector<std::string> row; csv.next(row);) {
            if (row.size() == 1 && row[0].empty()) continue;
            WorldCorridor k;
            k.origin = code(csv, row, h, "origin");
            k.host = code(csv, row, h, "host");
            for (const auto* c : {&k.origin, &k.host})
                if (!known.count(*c))
                    csv.fail(csv.column_of(h.index.at(c == &k.origin ? "origin" : "host")),
                             c == &k.origin ? "origin" : "host", *c + " is not in countries.csv");
            if (k.origin == k.host) csv.fail(1, "host", "a corridor's origin and host must differ");
            if (!seen.insert({k.origin, k.host}).second)
                csv.fail(1, "origin", "corridor " + k.origin + " -> " + k.host + " is listed twice");
            k.stock_wb_2017 = number(csv, row, h, "stock_wb_2017", 5e8);
            k.stock_un_2019 = number(csv, row, h, "stock_un_2019", 5e8);
            k.stock_un_2020 = number(csv, row, h, "stock_un_2020", 5e8);
            k.remittances_wb_2017_usd = number(csv, row, h, "remittances_wb_2017_usd", 1e13);
            k.cost_formal = number(csv, row, h, "cost_formal", 1);
            k.cost_source = text(csv, row, h, "cost_source");
            k.distance_km = number(csv, row, h, "distance_km", 25000);
            d.corridors.push_back(std::move(k));
        }
        if (d.corridors.empty()) csv.fail(1, "", "no corridor");
    }
    return d;
}

} // namespace

WorldData read_world_data_files(const std::string& folder) {
    return load(folder);
}

namespace {

/// A year within the range the tables may hold.
int year_of(CsvReader& csv, const std::vector<std::string>& row, const Header& h) {
    const double y = number(csv, row, h, "year", 2200);
    if (!(y >= 1900) || y != std::floor(y)) {
        std::string message = "'";
        message += text(csv, row, h, "year");
        message += "' is not a year";
        csv.fail(csv.column_of(h.index.at("year")), "year", message);
    }
    return static_cast<int>(y);
}

/// Reads (origin, host, year, column) rows, sorted by corridor and year, into points.
void read_corridor_years(const std::string& path, const char* column, double max,
                         std::map<std::pair<std::string, std::string>, YearValues>& out) {
    CsvReader csv(path);
    const Header h(csv, {"origin", "host", "year", column});
    for (std::vector<std::string> row; csv.next(row);) {
        if (row.size() == 1 && row[0].empty()) continue;
        const std::string origin = code(csv, row, h, "origin"), host = code(csv, row, h, "host");
        if (origin == host) csv.fail(1, "host", "a corridor's origin and host must differ");
        const int year = year_of(csv, row, h);
        const double v = number(csv, row, h, column, max);
        if (!std::isfinite(v)) csv.fail(csv.column_of(h.index.at(column)), column, "missing value");
        YearValues& points = out[{origin, host}];
        if (!points.empty() && year <= points.back().first)
            csv.fail(csv.column_of(h.index.at("year")), "year",
                     "years of " + origin + " -> " + host +
                         " must increase (rows sorted by corridor and year)");
        points.emplace_back(year, v);
    }
}

} // namespace

WorldHistory read_world_history_files(const std::string& folder) {
    WorldHistory w;
    w.folder = folder;
    {
        CsvReader csv(folder + "/history_countries.csv");
        const Header h(csv, {"iso3", "year", "gdp_per_capita_usd", "fx_lcu_per_usd", "price_index",
                             "unemployment_rate", "population"});
        for (std::vector<std::string> row; csv.next(row);) {
            if (row.size() == 1 && row[0].empty()) continue;
            const std::string iso3 = code(csv, row, h, "iso3");
            const int year = year_of(csv, row, h);
            CountryHistory& c = w.countries[iso3];
            if (c.gdp_per_capita_usd.empty()) c.from = year;
            if (year != c.from + static_cast<int>(c.gdp_per_capita_usd.size()))
                csv.fail(csv.column_of(h.index.at("year")), "year",
                         "years of " + iso3 + " must follow one another (rows sorted by country and year)");
            c.gdp_per_capita_usd.push_back(number(csv, row, h, "gdp_per_capita_usd", 1e7));
            c.fx_lcu_per_usd.push_back(number(csv, row, h, "fx_lcu_per_usd", 1e15));
            c.price_index.push_back(number(csv, row, h, "price_index", 1e15));
            c.unemployment_rate.push_back(number(csv, row, h, "unemployment_rate", 1));
            c.population.push_back(number(csv, row, h, "population", 2e10));
        }
        if (w.countries.empty()) csv.fail(1, "", "no country");
    }
    read_corridor_years(folder + "/history_stocks.csv", "stock", 5e8, w.stocks);
    read_corridor_years(folder + "/history_costs.csv", "cost_formal", 0.5, w.costs);
    return w;
}

RecordedRemittances read_recorded_remittances(const std::string& folder) {
    RecordedRemittances r;
    const auto recorded_year = [](CsvReader& csv, const std::vector<std::string>& row, const Header& h) {
        const int year = year_of(csv, row, h);
        if (year < RecordedRemittances::kFirstYear || year > RecordedRemittances::kLastYear)
            csv.fail(csv.column_of(h.index.at("year")), "year",
                     std::to_string(year) +
                         " is outside 2010-2019, the only years of recorded remittances read");
        return year;
    };
    const auto read_flows = [&](const char* name, bool groups,
                                std::map<std::string, std::map<int, double>>& out) {
        CsvReader csv(folder + "/" + name);
        std::vector<std::string> columns = {"iso3", "year", "remittances_usd"};
        if (groups) columns.insert(columns.end(), {"region", "income_group"});
        const Header h(csv, columns);
        for (std::vector<std::string> row; csv.next(row);) {
            if (row.size() == 1 && row[0].empty()) continue;
            const std::string iso3 = code(csv, row, h, "iso3");
            const int year = recorded_year(csv, row, h);
            const double usd = number(csv, row, h, "remittances_usd", 1e13);
            if (!std::isfinite(usd))
                csv.fail(csv.column_of(h.index.at("remittances_usd")), "remittances_usd", "missing value");
            if (!out[iso3].emplace(year, usd).second)
                csv.fail(1, "year", iso3 + " " + std::to_string(year) + " is listed twice");
            if (groups) {
                r.region[iso3] = text(csv, row, h, "region");
                r.income_group[iso3] = text(csv, row, h, "income_group");
            }
        }
    };
    read_flows("history_inflows.csv", true, r.inflows);
    read_flows("history_outflows.csv", false, r.outflows);
    CsvReader csv(folder + "/history_mex_monthly.csv");
    const Header h(csv, {"month", "flow", "value_usd"});
    for (std::vector<std::string> row; csv.next(row);) {
        if (row.size() == 1 && row[0].empty()) continue;
        core::YearMonth month;
        const std::string m = text(csv, row, h, "month");
        if (!core::parse_year_month(m, month) || month.year < RecordedRemittances::kFirstYear ||
            month.year > RecordedRemittances::kLastYear)
            csv.fail(csv.column_of(h.index.at("month")), "month",
                     "'" + m + "' is not a month of 2010-2019, the only years of recorded remittances read");
        if (text(csv, row, h, "flow") != "inflow") continue;
        const double usd = number(csv, row, h, "value_usd", 1e13);
        if (!std::isfinite(usd))
            csv.fail(csv.column_of(h.index.at("value_usd")), "value_usd", "missing value");
        r.mexico_monthly[month.ordinal()] = usd;
    }
    return r;
}

const WorldHistory& read_world_history(const std::string& folder) {
    static std::mutex m;
    static std::map<std::string, std::unique_ptr<WorldHistory>> cache;
    const std::lock_guard<std::mutex> lock(m);
    auto& slot = cache[folder];
    if (!slot) slot = std::make_unique<WorldHistory>(read_world_history_files(folder));
    return *slot;
}

std::map<std::pair<std::string, std::string>, double> read_propensities(const std::string& path,
                                                                        const WorldData* known) {
    std::set<std::pair<std::string, std::string>> corridors;
    if (known)
        for (const auto& c : known->corridors)
            corridors.emplace(c.origin, c.host);
    CsvReader csv(path);
    const Header h(csv, {"origin", "host", "propensity"});
    std::map<std::pair<std::string, std::string>, double> out;
    for (std::vector<std::string> row; csv.next(row);) {
        if (row.size() == 1 && row[0].empty()) continue;
        const std::string origin = code(csv, row, h, "origin"), host = code(csv, row, h, "host");
        if (known && !corridors.count({origin, host}))
            csv.fail(csv.column_of(h.index.at("origin")), "origin",
                     "corridor " + origin + " -> " + host + " is not in the world data (" + known->folder +
                         ")");
        const double v = number(csv, row, h, "propensity", 1000);
        if (!std::isfinite(v))
            csv.fail(csv.column_of(h.index.at("propensity")), "propensity", "missing value");
        if (!out.emplace(std::make_pair(origin, host), v).second)
            csv.fail(1, "origin", "corridor " + origin + " -> " + host + " is listed twice");
    }
    return out;
}

std::size_t apply_propensities(core::Scenario& s,
                               const std::map<std::pair<std::string, std::string>, double>& p) {
    std::size_t n = 0;
    for (auto& c : s.corridors) {
        const auto it = p.find({c.origin, c.host});
        if (it == p.end()) continue;
        c.propensity = it->second;
        ++n;
    }
    return n;
}

namespace {

double median(std::vector<double> v) {
    if (v.empty()) return kNaN;
    std::sort(v.begin(), v.end());
    const std::size_t n = v.size();
    return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

/// Position of log GDP per capita between 700 and 50,000 US$, clamped to [0, 1].
double income_position(double gdp) {
    const double t =
        (std::log10(std::max(gdp, 1.0)) - std::log10(700.0)) / (std::log10(50000.0) - std::log10(700.0));
    return std::clamp(t, 0.0, 1.0);
}

} // namespace

double financial_inclusion_for(double gdp) {
    return 0.3 + 0.65 * income_position(gdp);
}
double governance_for(double gdp) {
    return 0.3 + 0.55 * income_position(gdp);
}
double household_size_for(double gdp) {
    return 5.5 - 3.0 * income_position(gdp);
}

const WorldData& read_world_data(const std::string& folder) {
    static std::mutex m;
    static std::map<std::string, std::unique_ptr<WorldData>> cache;
    const std::lock_guard<std::mutex> lock(m);
    auto& slot = cache[folder];
    if (!slot) slot = std::make_unique<WorldData>(load(folder));
    return *slot;
}

double corridor_stock(const WorldCorridor& c, const std::string& which) {
    return which == "wb_2017" ? c.stock_wb_2017 : which == "un_2019" ? c.stock_un_2019 : c.stock_un_2020;
}

namespace {

/// A corridor the world may keep: its row of corridors.csv (if any), its observed path (world.history)
/// and the stock it is selected and ordered by.
struct Candidate {
    std::string origin, host;
    const WorldCorridor* row = nullptr;
    core::CorridorDrivers drivers;
    double size = 0;
};

/// The annual values of points (year, value) from the first year to the last, linear between them.
std::vector<double> annual_values(const YearValues& points) {
    std::vector<double> out;
    for (std::size_t i = 0; i < points.size(); ++i) {
        if (i > 0)
            for (int y = points[i - 1].first + 1; y < points[i].first; ++y) {
                const double f = static_cast<double>(y - points[i - 1].first) /
                                 static_cast<double>(points[i].first - points[i - 1].first);
                out.push_back(points[i - 1].second + f * (points[i].second - points[i - 1].second));
            }
        out.push_back(points[i].second);
    }
    return out;
}

std::vector<Candidate> candidates(const core::Scenario& s, const WorldData& data,
                                  const WorldHistory* history) {
    std::vector<Candidate> out;
    if (!history) {
        for (const auto& k : data.corridors)
            out.push_back({k.origin, k.host, &k, {}, corridor_stock(k, s.world.stock)});
        return out;
    }
    // With history: the corridors with an observed stock, sized by their largest over the run.
    std::map<std::pair<std::string, std::string>, const WorldCorridor*> rows;
    for (const auto& k : data.corridors)
        rows[{k.origin, k.host}] = &k;
    std::set<std::string> known;
    for (const auto& c : data.countries)
        known.insert(c.iso3);
    for (const auto& [pair, points] : history->stocks) {
        if (!known.count(pair.first) || !known.count(pair.second)) continue;
        Candidate c{pair.first, pair.second, nullptr, {}, 0};
        const auto row = rows.find(pair);
        if (row != rows.end()) c.row = row->second;
        for (const auto& [year, stock] : points) {
            c.drivers.stock_years.push_back(year);
            c.drivers.stock.push_back(stock);
        }
        const auto cost = history->costs.find(pair);
        if (cost != history->costs.end()) {
            c.drivers.cost_from = cost->second.front().first;
            c.drivers.cost_formal = annual_values(cost->second);
        }
        core::CorridorSpec spec;
        spec.drivers = c.drivers;
        c.size = core::peak_stock(spec, s.start, s.months);
        out.push_back(std::move(c));
    }
    return out;
}

/// Whether every value is known.
bool complete(const std::vector<double>& v) {
    return !v.empty() && std::all_of(v.begin(), v.end(), [](double x) { return std::isfinite(x); });
}

/// A country's observed paths and its values at the start (world.history; docs/history.md).
void drive_country(core::CountrySpec& c, const CountryHistory& h, double start, double price_level_2017) {
    core::CountryDrivers& d = c.drivers;
    d.from = h.from;
    const double t0 = start;
    if (complete(h.gdp_per_capita_usd)) {
        d.gdp_per_capita_usd = h.gdp_per_capita_usd;
        for (double& x : d.gdp_per_capita_usd)
            x = std::clamp(x, 1.0, 1e6);
        c.gdp_per_capita_usd = core::annual_at(d.gdp_per_capita_usd, d.from, t0, true, c.gdp_per_capita_usd);
        for (const double g : d.gdp_per_capita_usd)
            d.financial_inclusion.push_back(financial_inclusion_for(g));
    }
    if (complete(h.population))
        c.population = std::clamp(core::annual_at(h.population, d.from, t0, true, c.population), 1.0, 2e10);
    if (complete(h.unemployment_rate)) d.unemployment_rate = h.unemployment_rate;
    if (complete(h.fx_lcu_per_usd) && complete(h.price_index)) {
        d.fx_lcu_per_usd = h.fx_lcu_per_usd;
        d.price_index = h.price_index;
        // The price level of 2017 carried to the start by the country's prices and exchange rate.
        const double mid_2017 = 2017.5;
        const auto at = [&](const std::vector<double>& v, double t) {
            return core::annual_at(v, d.from, t, true, 1.0);
        };
        c.price_level = std::clamp(price_level_2017 * at(d.price_index, t0) / at(d.price_index, mid_2017) /
                                       (at(d.fx_lcu_per_usd, t0) / at(d.fx_lcu_per_usd, mid_2017)),
                                   0.01, 10.0);
    }
}

} // namespace

void apply_world(core::Scenario& s, const WorldData& data, const WorldHistory* history) {
    const core::WorldSpec& w = s.world;
    std::map<std::string, const WorldCountry*> country;
    for (const auto& c : data.countries)
        country[c.iso3] = &c;
    const std::set<std::string> origins(w.origins.begin(), w.origins.end()),
        hosts(w.hosts.begin(), w.hosts.end());

    // Selection: stock at least min_stock (with history: the largest over the run), the origins,
    // hosts and region filters, the largest `top`.
    std::vector<Candidate> kept;
    for (auto& k : candidates(s, data, history)) {
        if (!(k.size >= std::max(w.min_stock, 1.0))) continue;
        if (!origins.empty() && !origins.count(k.origin)) continue;
        if (!hosts.empty() && !hosts.count(k.host)) continue;
        if (!w.region.empty() && country.at(k.origin)->region != w.region) continue;
        kept.push_back(std::move(k));
    }
    std::stable_sort(kept.begin(), kept.end(), [&](const Candidate& a, const Candidate& b) {
        if (a.size != b.size) return a.size > b.size;
        return std::tie(a.origin, a.host) < std::tie(b.origin, b.host);
    });
    if (w.top > 0 && kept.size() > static_cast<std::size_t>(w.top))
        kept.resize(static_cast<std::size_t>(w.top));

    // Costs: the corridor's, else the median of its host's known costs, else world.cost_formal.
    std::map<std::string, std::vector<double>> host_costs;
    for (const auto& k : data.corridors)
        if (std::isfinite(k.cost_formal) && k.cost_formal > 0) host_costs[k.host].push_back(k.cost_formal);
    std::map<std::string, double> host_median;
    for (auto& [h, v] : host_costs)
        host_median[h] = median(v);

    // Incomes: the country's, else world.gdp_per_capita_usd, else its region's median, else all.
    // Populations and price levels: the country's, else its region's median, else all.
    std::map<std::string, std::vector<double>> region_gdp, region_pop, region_price;
    std::vector<double> all_gdp, all_pop, all_price;
    for (const auto& c : data.countries) {
        if (std::isfinite(c.price_level) && c.price_level > 0) {
            region_price[c.region].push_back(c.price_level);
            all_price.push_back(c.price_level);
        }
        if (std::isfinite(c.gdp_per_capita_usd) && c.gdp_per_capita_usd > 0) {
            region_gdp[c.region].push_back(c.gdp_per_capita_usd);
            all_gdp.push_back(c.gdp_per_capita_usd);
        }
        if (std::isfinite(c.population) && c.population >= 1) {
            region_pop[c.region].push_back(c.population);
            all_pop.push_back(c.population);
        }
    }
    auto fill = [](double value, double given, const std::vector<double>* region,
                   const std::vector<double>& all) {
        if (std::isfinite(value) && value > 0) return value;
        if (given > 0) return given;
        const double r = region ? median(*region) : kNaN;
        return std::isfinite(r) ? r : median(all);
    };

    const double start = core::month_time(s.start);
    s.corridors.clear();
    std::set<std::string> used;
    for (Candidate& k : kept) {
        core::CorridorSpec c;
        c.origin = k.origin;
        c.host = k.host;
        const WorldCorridor* row = k.row;
        c.drivers = std::move(k.drivers);
        // With an observed path, the stock at the start (a corridor may start empty and grow).
        c.stock = c.drivers.stock.empty() ? k.size : std::max(1.0, core::stock_at(c, start));
        if (row && std::isfinite(row->cost_formal) && row->cost_formal > 0)
            c.cost_formal = row->cost_formal;
        else if (host_median.count(k.host))
            c.cost_formal = host_median.at(k.host);
        else
            c.cost_formal = w.cost_formal;
        c.cost_formal = std::clamp(c.cost_formal, 0.0, 0.5);
        if (row && std::isfinite(row->distance_km)) c.distance_km = std::min(row->distance_km, 25000.0);
        s.corridors.push_back(c);
        used.insert(k.origin);
        used.insert(k.host);
    }
    s.countries.clear();
    for (const auto& code : used) { // ISO3 order
        const WorldCountry& wc = *country.at(code);
        core::CountrySpec c;
        c.code = code;
        c.name = wc.name.empty() ? code : wc.name;
        const auto rg = region_gdp.find(wc.region);
        const auto rp = region_pop.find(wc.region);
        c.gdp_per_capita_usd = std::clamp(fill(wc.gdp_per_capita_usd, w.gdp_per_capita_usd,
                                               rg == region_gdp.end() ? nullptr : &rg->second, all_gdp),
                                          1.0, 1e6);
        c.population = std::clamp(
            fill(wc.population, 0, rp == region_pop.end() ? nullptr : &rp->second, all_pop), 1.0, 2e10);
        const auto rl = region_price.find(wc.region);
        if (!all_price.empty())
            c.price_level = std::clamp(
                fill(wc.price_level, 0, rl == region_price.end() ? nullptr : &rl->second, all_price), 0.01,
                10.0);
        // The spread of household incomes is fitted to the headcount where the data have one.
        if (std::isfinite(wc.poverty_headcount)) c.poverty_headcount = wc.poverty_headcount;
        c.growth = w.growth;
        if (history) {
            const auto h = history->countries.find(code);
            if (h != history->countries.end()) drive_country(c, h->second, start, c.price_level);
        }
        c.financial_inclusion = financial_inclusion_for(c.gdp_per_capita_usd);
        c.governance = governance_for(c.gdp_per_capita_usd);
        c.household_size = household_size_for(c.gdp_per_capita_usd);
        s.countries.push_back(c);
    }
    if (w.scale > 0) s.scale = w.scale;
    s.world_source = data.folder;
    s.world.data.clear();
    s.world.propensity.clear(); // the corridors carry the values (load_world)
    s.world.history = false;    // ... and the countries and corridors their observed paths
}

} // namespace bridges::io
