#include "io/scenario_reader.hpp"

#include "core/model/drivers.hpp"

#include "core/base/errors.hpp"
#include "core/world/world.hpp"
#include "io/world_data.hpp"
#include "io/yaml_walk.hpp"

#include <yaml-cpp/depthguard.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

namespace bridges::io {

namespace {

using core::Scenario;

/// Applies one PATH=VALUE override to the YAML tree, or reports why it cannot.
void apply_override(YAML::Node& root, const std::string& arg, Sources& sources,
                    std::vector<Diagnostic>& errors) {
    const auto eq = arg.find('=');
    if (eq == std::string::npos || eq == 0) {
        errors.push_back(
            {"--set " + arg, 0, 0, "expected PATH=VALUE, e.g. behaviour.remit.amount_share=0.2"});
        return;
    }
    const std::string path = arg.substr(0, eq), value = arg.substr(eq + 1);
    YAML::Node parsed;
    try {
        parsed = YAML::Load(value);
    } catch (const YAML::Exception& e) {
        errors.push_back({"--set " + arg, 0, 0, "value is not valid YAML: " + e.msg});
        return;
    }
    if (!parsed.IsScalar()) {
        errors.push_back({"--set " + arg, 0, 0, "only scalars can be set; '" + value + "' is not one"});
        return;
    }
    std::string placed;
    if (const std::string problem = place_override(root, path, parsed, false, placed); !problem.empty()) {
        errors.push_back({"--set " + arg, 0, 0, problem});
        return;
    }
    sources.add_override(placed, arg);
}

bool is_iso3(const std::string& s) {
    return s.size() == 3 && std::all_of(s.begin(), s.end(), [](char c) { return c >= 'A' && c <= 'Z'; });
}

/// Checks across sections: references, sums, sizes.
void cross_check(const Scenario& s, Reporter& r) {
    auto at = [&](const std::string& path) {
        auto it = r.marks.find(path);
        return it == r.marks.end() ? YAML::Mark::null_mark() : it->second;
    };
    std::set<std::string> codes;
    for (std::size_t i = 0; i < s.countries.size(); ++i) {
        const std::string p = "countries." + std::to_string(i) + ".code";
        const std::string& c = s.countries[i].code;
        if (!is_iso3(c)) r.error(p, at(p), "country code '" + c + "' must be three capital letters (ISO3)");
        if (!codes.insert(c).second) r.error(p, at(p), "country '" + c + "' is defined twice");
    }
    const std::vector<std::string> known(codes.begin(), codes.end());
    auto check_country = [&](const std::string& path, const std::string& code) {
        if (codes.count(code)) return;
        std::string msg = "unknown country '" + code + "' in '" + path + "'";
        const std::string guess = did_you_mean(code, known);
        if (!guess.empty()) msg += " (did you mean '" + guess + "'?)";
        r.error(path, at(path), msg + "; define it under 'countries'");
    };
    std::set<std::pair<std::string, std::string>> pairs;
    std::set<std::string> origins;
    double agents = 0;
    for (std::size_t i = 0; i < s.corridors.size(); ++i) {
        const auto& k = s.corridors[i];
        const std::string p = "corridors." + std::to_string(i);
        check_country(p + ".origin", k.origin);
        check_country(p + ".host", k.host);
        if (k.origin == k.host)
            r.error(p + ".host", at(p + ".host"), "a corridor's origin and host must differ");
        if (!pairs.insert({k.origin, k.host}).second)
            r.error(p + ".origin", at(p + ".origin"),
                    "corridor " + k.origin + " -> " + k.host + " is defined twice");
        origins.insert(k.origin);
        const auto& d = k.drivers;
        if (d.stock_years.size() != d.stock.size())
            r.error(p + ".drivers.stock", at(p + ".drivers.stock"),
                    "drivers.stock has " + std::to_string(d.stock.size()) + " values for " +
                        std::to_string(d.stock_years.size()) + " stock_years");
        for (std::size_t j = 1; j < d.stock_years.size(); ++j)
            if (!(d.stock_years[j] > d.stock_years[j - 1]) ||
                d.stock_years[j] != std::floor(d.stock_years[j])) {
                r.error(p + ".drivers.stock_years", at(p + ".drivers.stock_years"),
                        "drivers.stock_years must be whole years, increasing");
                break;
            }
        if (!d.cost_formal.empty() && d.cost_from == 0)
            r.error(p + ".drivers.cost_formal", at(p + ".drivers.cost_formal"),
                    "drivers.cost_formal needs drivers.cost_from, the year of its first value");
        const double on_corridor = std::round(core::peak_stock(k, s.start, s.months) / s.scale);
        if (on_corridor >= 4294967296.0)
            r.error(p + ".stock", at(p + ".stock"),
                    "stock / scale gives " + std::to_string(on_corridor) +
                        " members on one corridor; at most 4294967295");
        agents += on_corridor;
    }
    const bool stocks_valid = std::all_of(s.corridors.begin(), s.corridors.end(),
                                          [](const core::CorridorSpec& k) { return k.stock >= 1; });
    if (s.corridors.empty())
        r.error("corridors", at("corridors"), "at least one corridor is needed");
    else if (stocks_valid && agents < 1)
        r.error("scale", at("scale"),
                "scale " + std::to_string(s.scale) + " leaves no member on any corridor");
    else if (agents > 4.0e9)
        r.error("scale", at("scale"),
                "scale gives " + std::to_string(agents) + " members; at most 4e9 are supported");
    const double degree = static_cast<double>(s.network.mean_degree / 2 * 2);
    const bool implicit = s.network.graph == "implicit";
    if (!implicit && agents * degree >= 4294967296.0)
        r.error("network.mean_degree", at("network.mean_degree"),
                "members x mean_degree = " + std::to_string(agents * degree) +
                    " social links; an explicit social graph holds fewer than 2^32 link ends: lower "
                    "mean_degree, raise scale or set network.graph: implicit");
    if (implicit && s.network.mean_degree > core::kImplicitMaxDegree)
        r.error("network.mean_degree", at("network.mean_degree"),
                "an implicit social graph has a mean_degree of at most " +
                    std::to_string(core::kImplicitMaxDegree) + ", not " +
                    std::to_string(s.network.mean_degree));
    if (agents * (1.0 + s.population.non_migrant_households) >= 4294967296.0)
        r.error("population.non_migrant_households", at("population.non_migrant_households"),
                "up to " + std::to_string(agents * (1.0 + s.population.non_migrant_households)) +
                    " households; at most 2^32: lower non_migrant_households or raise scale");
    for (std::size_t i = 0; i < s.countries.size(); ++i) {
        const auto& d = s.countries[i].drivers;
        const std::string base = "countries." + std::to_string(i) + ".drivers";
        if (d.any() && d.from == 0)
            r.error(base, at(base + ".from"), "drivers need 'from', the year of each series' first value");
    }
    for (std::size_t i = 0; i < s.countries.size(); ++i) {
        const double level = std::pow(1.0 + s.countries[i].growth, static_cast<double>(s.months) / 12.0);
        if (level > 1e3 || level < 1e-3) {
            const std::string g = "countries." + std::to_string(i) + ".growth";
            r.error(g, at(g),
                    "growth " + std::to_string(s.countries[i].growth) + " over " + std::to_string(s.months) +
                        " months multiplies incomes by " + std::to_string(level) +
                        "; keep it within 1e-3 to 1e3");
        }
    }
    if (s.countries.size() > core::kMaxCountries)
        r.error("countries", at("countries"),
                "at most " + std::to_string(core::kMaxCountries) + " countries");
    if (s.corridors.size() > core::kMaxCorridors)
        r.error("corridors", at("corridors"),
                "at most " + std::to_string(core::kMaxCorridors) + " corridors");
    const auto& pop = s.population;
    if (pop.skill_low + pop.skill_mid > 1.0 + 1e-9)
        r.error("population.skill_mid", at("population.skill_mid"),
                "skill_low + skill_mid must be at most 1");
    // An item whose months all lie outside the run's is valid but never acts: a warning that names
    // both spans (an error under --strict). Returns whether it warned.
    const core::YearMonth run_last = s.start.plus(static_cast<int>(s.months) - 1);
    const auto warn_if_outside_run = [&](const std::string& base, const std::string& what,
                                         core::YearMonth from, core::YearMonth to) {
        if (to.ordinal() >= s.start.ordinal() && from.ordinal() <= run_last.ordinal()) return false;
        const bool open_ended = to == core::PolicySpec{}.to;
        const std::string span =
            open_ended ? "from " + from.to_string() + " on" : from.to_string() + " to " + to.to_string();
        r.warn(base, r.marks.count(base + ".from") ? at(base + ".from") : at(base + ".kind"),
               base + " (" + what + ", " + span + ") never acts: the run covers " + s.start.to_string() +
                   " to " + run_last.to_string());
        return true;
    };
    for (std::size_t i = 0; i < s.policies.size(); ++i) {
        const auto& p = s.policies[i];
        const std::string base = "policies." + std::to_string(i);
        check_country(base + ".by", p.by);
        if (p.target.all && (!p.target.origins.empty() || !p.target.hosts.empty()))
            r.error(base + ".target.all", at(base + ".target.all"),
                    "'all' reaches every corridor: leave 'origins' and 'hosts' empty");
        for (std::size_t j = 0; j < p.target.origins.size(); ++j)
            check_country(base + ".target.origins." + std::to_string(j), p.target.origins[j]);
        for (std::size_t j = 0; j < p.target.hosts.size(); ++j)
            check_country(base + ".target.hosts." + std::to_string(j), p.target.hosts[j]);
        for (std::size_t j = 0; j < p.target.skills.size(); ++j) {
            const std::string& sk = p.target.skills[j];
            if (sk != "low" && sk != "mid" && sk != "high") {
                const std::string path = base + ".target.skills." + std::to_string(j);
                r.error(path, at(path), "unknown skill '" + sk + "'; known: low, mid, high");
            }
        }
        if (p.to.ordinal() < p.from.ordinal())
            r.error(base + ".to", at(base + ".to"), "'to' is before 'from'");
        else
            warn_if_outside_run(base, core::LeverKinds::name(p.params) + " lever", p.from, p.to);
        bool by_origin = false;
        core::LeverKinds::with(p.params, [&](const auto& lever) { by_origin = lever.applied_by_origin; });
        if (by_origin && codes.count(p.by) && !origins.count(p.by))
            r.error(base + ".by", at(base + ".by"),
                    "a " + core::LeverKinds::name(p.params) + " lever is applied by an origin state, but '" +
                        p.by + "' has no corridor as origin");
    }
    for (std::size_t i = 0; i < s.shocks.size(); ++i) {
        const auto& sh = s.shocks[i];
        const std::string base = "shocks." + std::to_string(i);
        for (std::size_t j = 0; j < sh.countries.size(); ++j)
            check_country(base + ".countries." + std::to_string(j), sh.countries[j]);
        const core::YearMonth last = sh.from.plus(static_cast<int>(sh.months) - 1);
        if (!warn_if_outside_run(base, core::ShockKinds::name(sh.params) + " shock", sh.from, last) &&
            sh.from.ordinal() < s.start.ordinal())
            r.error(base + ".from", at(base + ".from"),
                    "shock starts " + sh.from.to_string() + ", before the scenario's start " +
                        s.start.to_string() + ": its onset would be missed");
        if (std::holds_alternative<core::shocks::OriginDisaster>(sh.params) &&
            sh.months > core::kMaxDisasterMonths)
            r.error(base + ".months", at(base + ".months"),
                    "a disaster lasts at most " + std::to_string(core::kMaxDisasterMonths) + " months");
        if (sh.countries.empty() && sh.params.index() != 0 && !core::hits_every_country_by_default(sh.params))
            r.error(base, at(base + ".kind"),
                    "a " + core::ShockKinds::name(sh.params) + " shock needs 'countries'");
    }
    const std::string& n = s.name;
    if (n.size() > kMaxNameBytes)
        r.error("name", at("name"),
                "name is " + std::to_string(n.size()) + " characters long; at most " +
                    std::to_string(kMaxNameBytes) + " (it becomes a file name)");
    else if (n.empty() || !std::all_of(n.begin(), n.end(), [](char c) {
                 return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.';
             }))
        r.error("name", at("name"), "name '" + n + "' may hold only letters, digits, '_', '-' and '.'");
}

/// Fills countries and corridors from the `world:` block's data folder.
void load_world(Scenario& s, Reporter& r) {
    auto at = [&](const std::string& path) {
        auto it = r.marks.find(path);
        return it == r.marks.end() ? YAML::Mark::null_mark() : it->second;
    };
    if (!s.countries.empty() || !s.corridors.empty()) {
        r.error("world.data", at("world.data"),
                "a scenario takes its countries and corridors either from 'world' or from its own "
                "'countries' and 'corridors' lists, not both");
        return;
    }
    std::filesystem::path folder(s.world.data);
    const std::filesystem::path file(r.sources().file());
    if (folder.is_relative() && file.has_parent_path()) folder = file.parent_path() / folder;
    const WorldData& data = read_world_data(folder.lexically_normal().string());
    std::set<std::string> codes, regions;
    for (const auto& c : data.countries) {
        codes.insert(c.iso3);
        if (!c.region.empty()) regions.insert(c.region);
    }
    for (const char* list : {"origins", "hosts"}) {
        const auto& v = std::string(list) == "origins" ? s.world.origins : s.world.hosts;
        for (std::size_t i = 0; i < v.size(); ++i)
            if (!codes.count(v[i])) {
                const std::string path = std::string("world.") + list + "." + std::to_string(i);
                r.error(path, at(path),
                        "no country '" + v[i] + "' in the world data (" + folder.string() + ")");
            }
    }
    if (!s.world.region.empty() && !regions.count(s.world.region)) {
        std::string known;
        for (const auto& g : regions)
            known += (known.empty() ? "" : ", ") + g;
        r.error("world.region", at("world.region"),
                "no region '" + s.world.region + "' in the world data; known: " + known);
    }
    if (!r.ok()) return;
    const std::string propensity = s.world.propensity;
    const WorldHistory* history =
        s.world.history ? &read_world_history(folder.lexically_normal().string()) : nullptr;
    apply_world(s, data, history);
    if (s.corridors.empty())
        r.error("world", at("world.data"), "no corridor of the world data passes the filters of 'world'");
    if (propensity.empty()) return;
    std::filesystem::path pfile(propensity);
    if (pfile.is_relative() && file.has_parent_path()) pfile = file.parent_path() / pfile;
    pfile = pfile.lexically_normal();
    std::error_code ec;
    if (!std::filesystem::is_regular_file(pfile, ec)) {
        r.error("world.propensity", at("world.propensity"),
                "cannot open '" + pfile.string() +
                    "' (a CSV of origin,host,propensity, relative to the "
                    "scenario file; `bridges calibrate --per-corridor` writes one)");
        return;
    }
    if (!history) {
        apply_propensities(s, read_propensities(pfile.string(), &data));
        return;
    }
    // With history the corridors are those of the observed stocks.
    WorldData known;
    known.folder = data.folder;
    for (const auto& [pair, points] : history->stocks) {
        WorldCorridor c;
        c.origin = pair.first;
        c.host = pair.second;
        known.corridors.push_back(c);
    }
    apply_propensities(s, read_propensities(pfile.string(), &known));
}

} // namespace

std::string place_override(YAML::Node& root, const std::string& path, const YAML::Node& value, bool append,
                           std::string& placed) {
    std::vector<std::string> parts;
    std::stringstream ss(path);
    for (std::string p; std::getline(ss, p, '.');)
        parts.push_back(p);
    if (parts.empty() || path.back() == '.' ||
        std::any_of(parts.begin(), parts.end(), [](const std::string& p) { return p.empty(); }))
        return "malformed path '" + path + "'";
    // yaml-cpp's Node::operator= overwrites the node it refers to; reset() rebinds the handle.
    YAML::Node node;
    node.reset(root);
    const std::size_t walk = append ? parts.size() : parts.size() - 1;
    std::string created; // the outermost section this override makes: it owns what lies below
    auto prefix = [&](std::size_t n) {
        std::string s;
        for (std::size_t k = 0; k < n; ++k)
            s += (k ? "." : "") + parts[k];
        return s;
    };
    for (std::size_t i = 0; i < walk; ++i) {
        const std::string& p = parts[i];
        if (node.IsSequence()) {
            char* end = nullptr;
            const long idx = std::strtol(p.c_str(), &end, 10);
            if (*end != '\0' || idx < 0 || static_cast<std::size_t>(idx) >= node.size())
                return "no item " + p + " in '" + (i ? parts[i - 1] : std::string("(top)")) + "'";
            YAML::Node item = node[static_cast<std::size_t>(idx)];
            node.reset(item);
        } else if (node.IsMap() || node.IsNull()) {
            YAML::Node next = node[p];
            if (!next.IsDefined() || next.IsNull()) {
                // A list item cannot be made up: 'policies.0.cap' needs an existing policies.0.
                if (i + 1 < parts.size() && std::all_of(parts[i + 1].begin(), parts[i + 1].end(),
                                                        [](char c) { return c >= '0' && c <= '9'; }))
                    return "no item " + parts[i + 1] + " in '" + p + "' (it is missing or empty)";
                node[p] = append && i + 1 == walk ? YAML::Node(YAML::NodeType::Sequence)
                                                  : YAML::Node(YAML::NodeType::Map);
                if (created.empty()) created = prefix(i + 1);
                next.reset(node[p]);
            }
            node.reset(next);
        } else {
            return "'" + (i ? parts[i - 1] : std::string("(top)")) + "' is not a section";
        }
    }
    if (append) {
        if (!node.IsSequence()) return "'" + path + "' is not a list";
        const std::size_t at = node.size();
        node.push_back(value);
        placed = created.empty() ? path + "." + std::to_string(at) : created;
        return "";
    }
    if (node.IsSequence()) {
        char* end = nullptr;
        const long idx = std::strtol(parts.back().c_str(), &end, 10);
        if (*end != '\0' || idx < 0 || static_cast<std::size_t>(idx) >= node.size())
            return "no item " + parts.back() + " in '" + (parts.size() > 1 ? parts[parts.size() - 2] : "") +
                   "'";
        YAML::Node item = node[static_cast<std::size_t>(idx)];
        item = value;
    } else if (node.IsMap() || node.IsNull()) {
        node[parts.back()] = value;
    } else {
        return "cannot set a key inside a value";
    }
    placed = created.empty() ? path : created;
    return "";
}

namespace {

/// Adds the keys of an included file that the scenario does not set (maps merge key by key; the
/// scenario's own values, and --set, win). Values taken are reported against the included file.
void merge_included(YAML::Node target, const YAML::Node& inc, const std::string& path,
                    const std::string& file, Sources& sources, std::vector<Diagnostic>& errors) {
    for (auto it = inc.begin(); it != inc.end(); ++it) {
        const YAML::Mark m = it->first.Mark();
        if (!it->first.IsScalar()) {
            errors.push_back({file, m.line + 1, m.column + 1, "keys must be plain names"});
            continue;
        }
        const std::string key = it->first.Scalar();
        const std::string child = path.empty() ? key : path + "." + key;
        if (key == "include") {
            errors.push_back({file, m.line + 1, m.column + 1, "an included file cannot include others"});
            continue;
        }
        YAML::Node mine = target[key];
        if (!mine.IsDefined() || mine.IsNull()) {
            target[key] = it->second;
            sources.add_file_override(child, file, m);
        } else if (mine.IsMap() && it->second.IsMap()) {
            merge_included(mine, it->second, child, file, sources, errors);
        }
    }
}

/// Applies the scenario's `include:` (a file or a list of files, relative to the scenario).
void apply_includes(YAML::Node root, Sources& sources) {
    const YAML::Node inc = root["include"];
    if (!inc.IsDefined()) return;
    std::vector<YAML::Node> names;
    if (inc.IsScalar())
        names.push_back(inc);
    else if (inc.IsSequence())
        for (std::size_t i = 0; i < inc.size(); ++i)
            names.push_back(inc[i]);
    std::vector<Diagnostic> errors;
    if (names.empty() ||
        std::any_of(names.begin(), names.end(), [](const YAML::Node& n) { return !n.IsScalar(); }))
        errors.push_back({sources.file(), inc.Mark().line + 1, inc.Mark().column + 1,
                          "'include' must be a file name or a list of file names"});
    const std::filesystem::path dir = std::filesystem::path(sources.file()).parent_path();
    for (const auto& n : names) {
        if (!n.IsScalar()) continue;
        const std::filesystem::path p(n.Scalar());
        const std::string file = (p.is_absolute() || dir.empty() ? p : dir / p).lexically_normal().string();
        std::string text;
        try {
            text = read_input_file(file, "included file");
        } catch (const ScenarioError& e) {
            errors.push_back({sources.file(), n.Mark().line + 1, n.Mark().column + 1,
                              "include " + file + ": " + e.diagnostics().front().message});
            continue;
        }
        const YAML::Node tree = load_yaml(text, file);
        if (!tree.IsMap()) {
            errors.push_back({file, 1, 1, "an included file must be a YAML map of sections"});
            continue;
        }
        merge_included(root, tree, "", file, sources, errors);
    }
    if (!errors.empty()) throw ScenarioError(errors);
    root.remove("include");
}

} // namespace

LoadedScenario read_scenario_tree(const YAML::Node& root_in, const Sources& sources_in,
                                  const std::string& text) {
    LoadedScenario out;
    out.path = sources_in.file();
    out.text = text;
    Sources sources = sources_in;
    YAML::Node root;
    root.reset(root_in);
    apply_includes(root, sources);
    Reporter reporter(sources);
    reporter.fallback = root.Mark();
    // The version decides how the rest is read: check it first.
    const YAML::Node version = root["schema_version"];
    if (version.IsDefined() && version.IsScalar() && version.Scalar() != "1") {
        reporter.error("schema_version", version.Mark(),
                       "unsupported schema_version '" + version.Scalar() + "'; this Bridges reads version 1");
        throw ScenarioError(reporter.diagnostics());
    }
    ReadVisitor top(root, "", reporter);
    visit(top, out.scenario);
    top.finish();
    if (out.scenario.world.data.empty() && !out.scenario.world.propensity.empty()) {
        const auto it = reporter.marks.find("world.propensity");
        reporter.error("world.propensity", it == reporter.marks.end() ? YAML::Mark::null_mark() : it->second,
                       "'world.propensity' applies to the corridors of 'world.data', which is not set");
    }
    if (!out.scenario.world.data.empty()) {
        // Without its countries and corridors the rest cannot be checked: stop at the first errors.
        if (reporter.ok()) load_world(out.scenario, reporter);
        if (!reporter.ok()) throw ScenarioError(reporter.diagnostics());
    }
    for (auto& p : out.scenario.policies)
        if (p.from.year == 0) p.from = out.scenario.start; // default: from the start
    cross_check(out.scenario, reporter);
    if (!reporter.ok()) throw ScenarioError(reporter.diagnostics());
    out.warnings = reporter.warnings();
    return out;
}

YAML::Node load_yaml(const std::string& text, const std::string& name) {
    try {
        return YAML::Load(text);
    } catch (const YAML::DeepRecursion& e) {
        throw ScenarioError({{name, e.mark.line + 1, e.mark.column + 1, "YAML nested too deeply"}});
    } catch (const YAML::Exception& e) {
        throw ScenarioError({{name, e.mark.line + 1, e.mark.column + 1, "malformed YAML: " + e.msg}});
    }
}

std::string read_input_file(const std::string& path, const char* what) {
    constexpr std::size_t limit = std::size_t{64} << 20;
    std::ifstream in(path, std::ios::binary);
    if (!in) throw ScenarioError({{path, 0, 0, std::string("cannot open the ") + what}});
    // Read at most one byte more than the limit, so that an endless input (a device, a pipe)
    // is refused instead of exhausting memory.
    std::string text;
    char chunk[1 << 16];
    while (text.size() <= limit && in.read(chunk, sizeof chunk).gcount() > 0)
        text.append(chunk, static_cast<std::size_t>(in.gcount()));
    if (text.size() > limit) throw ScenarioError({{path, 0, 0, std::string(what) + " larger than 64 MiB"}});
    return text;
}

LoadedScenario parse_scenario(const std::string& text, const std::string& name,
                              const std::vector<std::string>& overrides) {
    Sources sources(name);
    std::vector<Diagnostic> errors;
    YAML::Node root = load_yaml(text, name);
    if (!root.IsMap()) {
        const YAML::Mark at = root.Mark();
        throw ScenarioError({{name, std::max(at.line, 0) + 1, std::max(at.column, 0) + 1,
                              "a scenario file must be a YAML map of sections"}});
    }
    for (const auto& o : overrides)
        apply_override(root, o, sources, errors);
    if (!errors.empty()) throw ScenarioError(errors);
    return read_scenario_tree(root, sources, text);
}

LoadedScenario load_scenario(const std::string& path, const std::vector<std::string>& overrides) {
    return parse_scenario(read_input_file(path, "scenario file"), path, overrides);
}

} // namespace bridges::io
