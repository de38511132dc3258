#include "study/experiment.hpp"

#include "core/base/errors.hpp"
#include "io/scenario_emitter.hpp"
#include "io/sha256.hpp"

#include <Random123/philox.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <filesystem>
#include <map>
#include <set>
#include <sstream>

namespace bridges::study {

using namespace io; // the file formats this study code reads and writes

namespace {

const std::vector<std::string> kTopKeys = {"schema_version", "name",  "description",  "base",    "set",
                                           "arms",           "sweep", "replications", "baseline"};

/// Collects every problem of an experiment file.
struct Problems {
    std::string file;
    std::vector<Diagnostic> list;
    void add(const YAML::Mark& m, const std::string& msg) {
        list.push_back({file, m.line >= 0 ? m.line + 1 : 0, m.line >= 0 ? m.column + 1 : 0, msg});
    }
};

/// The entries of a map in file order, with duplicate keys and non-scalar keys reported.
std::vector<std::pair<YAML::Node, YAML::Node>> entries(const YAML::Node& map, const std::string& where,
                                                       Problems& p) {
    std::vector<std::pair<YAML::Node, YAML::Node>> out;
    std::set<std::string> seen;
    for (auto it = map.begin(); it != map.end(); ++it) {
        if (!it->first.IsScalar()) {
            p.add(it->first.Mark(), "keys of '" + where + "' must be plain names");
            continue;
        }
        if (!seen.insert(it->first.Scalar()).second) {
            p.add(it->first.Mark(), "duplicate key '" + it->first.Scalar() + "' in '" + where + "'");
            continue;
        }
        out.emplace_back(it->first, it->second);
    }
    return out;
}

std::string one_line(const YAML::Node& value) {
    YAML::Emitter e;
    e.SetMapFormat(YAML::Flow);
    e.SetSeqFormat(YAML::Flow);
    e << value;
    std::string s = e.c_str();
    std::replace_if(
        s.begin(), s.end(), [](char c) { return c == '\t' || c == '\n' || c == '\r'; }, ' ');
    return s;
}

bool valid_path(const std::string& path) {
    if (path.empty() || path.front() == '.' || path.back() == '.' || path.find("..") != std::string::npos)
        return false;
    return std::all_of(path.begin(), path.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.';
    });
}

/// An override from a `path: value` entry; a path ending in '+' appends to a list.
bool make_override(const YAML::Node& key, const YAML::Node& value, bool scalars_only, Override& out,
                   Problems& p) {
    std::string path = key.Scalar();
    out.append = !path.empty() && path.back() == '+';
    if (out.append) path.pop_back();
    if (!valid_path(path)) {
        p.add(key.Mark(), "malformed path '" + key.Scalar() +
                              "': use dotted names and list indices, e.g. behaviour.remit.amount_share");
        return false;
    }
    if (scalars_only && (out.append || !value.IsScalar())) {
        p.add(value.Mark(), "sweep values of '" + path + "' must be scalars");
        return false;
    }
    if (!value.IsDefined() || value.IsNull()) {
        p.add(key.Mark(), "override '" + key.Scalar() + "' has no value");
        return false;
    }
    out.path = path;
    out.value = value;
    out.at = key.Mark();
    out.text = path + (out.append ? "+=" : "=") + one_line(value);
    YAML::Emitter exact;
    exact << value;
    out.value_yaml = exact.c_str();
    return true;
}

/// A map of overrides (`path: value`), or a list of such maps applied in order.
std::vector<Override> read_overrides(const YAML::Node& node, const std::string& where, Problems& p) {
    std::vector<Override> out;
    if (!node.IsDefined() || node.IsNull()) return out;
    std::vector<YAML::Node> maps;
    if (node.IsMap()) {
        maps.push_back(node);
    } else if (node.IsSequence()) {
        for (const auto& item : node) {
            if (item.IsMap())
                maps.push_back(item);
            else
                p.add(item.Mark(), "each override in '" + where + "' must be a map of path: value");
        }
    } else {
        p.add(node.Mark(), "'" + where + "' must be a map of path: value (or a list of such maps)");
    }
    for (const auto& m : maps)
        for (const auto& [k, v] : entries(m, where, p)) {
            Override o;
            if (make_override(k, v, false, o, p)) out.push_back(std::move(o));
        }
    return out;
}

bool valid_arm_name(const std::string& n) {
    return !n.empty() && n.size() <= 64 && std::all_of(n.begin(), n.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
    });
}

std::vector<SweepAxis> read_sweep(const YAML::Node& sweep, Problems& p) {
    std::vector<SweepAxis> axes;
    if (!sweep.IsDefined() || sweep.IsNull()) return axes;
    if (!sweep.IsMap()) {
        p.add(sweep.Mark(), "'sweep' must be a map with 'grid' and/or 'zip'");
        return axes;
    }
    for (const auto& [k, v] : entries(sweep, "sweep", p)) {
        const std::string kind = k.Scalar();
        if (kind != "grid" && kind != "zip") {
            std::string msg = "unknown key '" + kind + "' in 'sweep'";
            const std::string guess = did_you_mean(kind, {"grid", "zip"});
            p.add(k.Mark(),
                  msg + (guess.empty() ? "; known: grid, zip" : " (did you mean '" + guess + "'?)"));
            continue;
        }
        if (!v.IsMap()) {
            p.add(v.Mark(), "'sweep." + kind + "' must be a map of path: [values]");
            continue;
        }
        SweepAxis zip;
        std::size_t zip_len = 0;
        bool first = true;
        for (const auto& [pk, pv] : entries(v, "sweep." + kind, p)) {
            if (!pv.IsSequence() || pv.size() == 0) {
                p.add(pv.Mark(),
                      "'" + pk.Scalar() + "' in 'sweep." + kind + "' must be a non-empty list of values");
                continue;
            }
            if (pv.size() > 10000) {
                p.add(pv.Mark(), "at most 10000 values per sweep path");
                continue;
            }
            std::vector<Override> column;
            for (const auto& item : pv) {
                Override o;
                if (make_override(pk, item, true, o, p)) column.push_back(std::move(o));
            }
            if (column.size() != pv.size()) continue;
            if (kind == "grid") {
                SweepAxis a;
                for (auto& o : column)
                    a.values.push_back({std::move(o)});
                axes.push_back(std::move(a));
            } else {
                if (first) {
                    zip_len = column.size();
                    zip.values.resize(zip_len);
                    first = false;
                } else if (column.size() != zip_len) {
                    p.add(pv.Mark(), "'" + pk.Scalar() + "' has " + std::to_string(column.size()) +
                                         " values but the other paths of 'sweep.zip' have " +
                                         std::to_string(zip_len));
                    continue;
                }
                for (std::size_t i = 0; i < zip_len; ++i)
                    zip.values[i].push_back(std::move(column[i]));
            }
        }
        if (kind == "zip" && !zip.values.empty()) axes.push_back(std::move(zip));
    }
    return axes;
}

/// The overrides of sweep point `index`: axes vary like digits, the last axis fastest.
std::vector<Override> point_overrides(const std::vector<SweepAxis>& axes, std::size_t index) {
    std::vector<const std::vector<Override>*> chosen(axes.size());
    for (std::size_t k = axes.size(); k-- > 0;) {
        const std::size_t n = axes[k].values.size();
        chosen[k] = &axes[k].values[index % n];
        index /= n;
    }
    std::vector<Override> out;
    for (const auto* c : chosen)
        out.insert(out.end(), c->begin(), c->end());
    return out;
}

std::vector<SweepPoint> expand_points(const std::vector<SweepAxis>& axes, Problems& p, const YAML::Mark& at) {
    double count = 1;
    for (const auto& a : axes)
        count *= static_cast<double>(a.values.size());
    if (count > 1e5) {
        p.add(at,
              "the sweep has " + std::to_string(static_cast<long long>(count)) + " points; at most 100000");
        return {SweepPoint{}};
    }
    std::vector<SweepPoint> points(static_cast<std::size_t>(count));
    for (std::size_t i = 0; i < points.size(); ++i)
        for (const auto& o : point_overrides(axes, i)) {
            points[i].label += (points[i].label.empty() ? "" : ", ") + o.text;
            points[i].overrides.push_back(o);
        }
    return points;
}

/// Reads everything but the base file from the experiment's YAML tree; with `expand`, lists
/// every sweep point too.
Experiment read_structure(const YAML::Node& root, const std::string& path, Problems& p, bool expand = true) {
    Experiment e;
    e.path = path;
    if (!root.IsMap()) {
        p.add(root.Mark(), "an experiment file must be a YAML map");
        return e;
    }
    std::map<std::string, YAML::Node> top;
    for (const auto& [k, v] : entries(root, "(top)", p)) {
        const std::string key = k.Scalar();
        if (std::find(kTopKeys.begin(), kTopKeys.end(), key) == kTopKeys.end()) {
            std::string msg = "unknown key '" + key + "' in an experiment file";
            const std::string guess = did_you_mean(key, kTopKeys);
            p.add(k.Mark(), msg + (guess.empty() ? "" : " (did you mean '" + guess + "'?)"));
            continue;
        }
        top[key] = v;
    }
    auto scalar = [&](const char* key, std::string& out) {
        auto it = top.find(key);
        if (it == top.end()) return;
        if (!it->second.IsScalar())
            p.add(it->second.Mark(), std::string("'") + key + "' must be a text");
        else if (it->second.Scalar().size() > kMaxTextBytes)
            p.add(it->second.Mark(), std::string("'") + key + "' is " +
                                         std::to_string(it->second.Scalar().size()) +
                                         " bytes long; at most " + std::to_string(kMaxTextBytes));
        else
            out = it->second.Scalar();
    };
    std::string version = "1";
    scalar("schema_version", version);
    if (version != "1")
        p.add(top["schema_version"].Mark(),
              "unsupported schema_version '" + version + "'; this Bridges reads version 1");
    scalar("name", e.name);
    if (e.name.empty()) e.name = std::filesystem::path(path).stem().string();
    if (e.name.size() > kMaxNameBytes)
        p.add(top.count("name") ? top["name"].Mark() : root.Mark(),
              "name is " + std::to_string(e.name.size()) + " characters long; at most " +
                  std::to_string(kMaxNameBytes) + " (it becomes part of file names)");
    else if (!std::all_of(e.name.begin(), e.name.end(), [](char c) {
                 return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.';
             }))
        p.add(top.count("name") ? top["name"].Mark() : root.Mark(),
              "name '" + e.name + "' may hold only letters, digits, '_', '-' and '.'");
    scalar("description", e.description);

    if (!top.count("base")) {
        p.add(root.Mark(), "an experiment needs 'base': a scenario file or an inline scenario");
    } else if (top["base"].IsMap()) {
        e.base_inline = true;
        e.base_path = path;
    } else if (top["base"].IsScalar()) {
        e.base_at = top["base"].Mark();
        const std::filesystem::path b(top["base"].Scalar());
        e.base_path =
            (b.is_absolute() ? b : std::filesystem::path(path).parent_path() / b).lexically_normal().string();
    } else {
        p.add(top["base"].Mark(), "'base' must be a scenario file name or an inline scenario");
    }
    if (top.count("set")) e.common = read_overrides(top["set"], "set", p);

    if (top.count("arms") && !top["arms"].IsNull()) {
        const YAML::Node arms = top["arms"];
        if (!arms.IsMap()) {
            p.add(arms.Mark(), "'arms' must be a map of arm name: overrides");
        } else {
            for (const auto& [k, v] : entries(arms, "arms", p)) {
                Arm a;
                a.name = k.Scalar();
                if (!valid_arm_name(a.name)) {
                    p.add(k.Mark(),
                          "arm name '" + a.name + "' may hold only letters, digits and '_' (at most 64)");
                    continue;
                }
                a.overrides = read_overrides(v, "arms." + a.name, p);
                e.arms.push_back(std::move(a));
            }
        }
    }
    if (e.arms.empty()) e.arms.push_back(Arm{"baseline", {}});
    if (e.arms.size() > 10000) p.add(top["arms"].Mark(), "at most 10000 arms");

    e.baseline = std::any_of(e.arms.begin(), e.arms.end(), [](const Arm& a) { return a.name == "baseline"; })
                     ? "baseline"
                     : e.arms.front().name;
    if (top.count("baseline")) {
        const YAML::Node b = top["baseline"];
        if (!b.IsScalar() ||
            std::none_of(e.arms.begin(), e.arms.end(), [&](const Arm& a) { return a.name == b.Scalar(); })) {
            std::vector<std::string> names;
            for (const auto& a : e.arms)
                names.push_back(a.name);
            const std::string guess = b.IsScalar() ? did_you_mean(b.Scalar(), names) : "";
            p.add(b.Mark(), "'baseline' must name one of the arms" +
                                (guess.empty() ? std::string() : " (did you mean '" + guess + "'?)"));
        } else {
            e.baseline = b.Scalar();
        }
    }

    const YAML::Mark sweep_at = top.count("sweep") ? top["sweep"].Mark() : root.Mark();
    e.sweep_axes = read_sweep(top.count("sweep") ? top["sweep"] : YAML::Node(), p);
    if (expand) e.points = expand_points(e.sweep_axes, p, sweep_at);

    if (top.count("replications")) {
        const YAML::Node r = top["replications"];
        if (!r.IsMap()) {
            p.add(r.Mark(), "'replications' must be a map with 'count' and 'master_seed'");
        } else {
            for (const auto& [k, v] : entries(r, "replications", p)) {
                const std::string key = k.Scalar();
                const bool is_count = key == "count";
                if (!is_count && key != "master_seed") {
                    const std::string guess = did_you_mean(key, {"count", "master_seed"});
                    p.add(k.Mark(), "unknown key '" + key + "' in 'replications'" +
                                        (guess.empty() ? "; known: count, master_seed"
                                                       : " (did you mean '" + guess + "'?)"));
                    continue;
                }
                const double hi = is_count ? 1e6 : 4294967295.0, lo = is_count ? 1 : 0;
                std::int64_t value = 0;
                bool ok = v.IsScalar();
                if (ok) {
                    const std::string s = v.Scalar();
                    char* end = nullptr;
                    errno = 0;
                    const long long x = std::strtoll(s.c_str(), &end, 10);
                    ok = !s.empty() && *end == '\0' && errno == 0 && x >= lo && x <= hi;
                    value = x;
                }
                if (!ok) {
                    p.add(v.Mark(), "'replications." + key + "' must be an integer from " +
                                        std::to_string(static_cast<long long>(lo)) + " to " +
                                        std::to_string(static_cast<long long>(hi)));
                    continue;
                }
                if (is_count)
                    e.replications = value;
                else
                    e.master_seed = static_cast<std::uint32_t>(value);
            }
        }
    }
    const double runs = static_cast<double>(e.arms.size()) * static_cast<double>(e.points.size()) *
                        static_cast<double>(e.replications);
    if (expand && runs > 1e7)
        p.add(root.Mark(), "the experiment has " + std::to_string(static_cast<long long>(runs)) +
                               " runs; at most 10000000");
    return e;
}

/// A replicate as it appears in run ids: at least two digits, whatever the number of replicates,
/// so that raising `replications` keeps the ids of the runs already done.
std::string replicate_id(std::int64_t r) {
    const std::string s = std::to_string(r);
    return (s.size() < 2 ? "0" : "") + s;
}

void place(YAML::Node& root, const Override& o, const std::string& file, Sources& sources,
           std::vector<Diagnostic>& errors) {
    std::vector<YAML::Node> values;
    if (o.append && o.value.IsSequence())
        for (std::size_t i = 0; i < o.value.size(); ++i) // path+: [a, b] appends a and b
            values.push_back(o.value[i]);
    else
        values.push_back(o.value);
    for (const auto& v : values) {
        std::string placed;
        const std::string problem = place_override(root, o.path, v, o.append, placed);
        if (!problem.empty()) {
            errors.push_back({file, o.at.line + 1, o.at.column + 1, problem});
            return;
        }
        sources.add_file_override(placed, file, o.at);
    }
}

} // namespace

bool is_experiment_file(const std::string& path) {
    const YAML::Node root = load_yaml(read_input_file(path, "file"), path);
    if (!root.IsMap()) return false;
    for (const char* key : {"base", "arms", "sweep", "replications"}) // none is a scenario key
        if (root[key].IsDefined()) return true;
    return false;
}

std::uint32_t derive_seed(std::uint32_t master_seed, std::int64_t replicate) {
    r123::Philox2x32 g;
    const r123::Philox2x32::key_type key = {{master_seed}};
    const r123::Philox2x32::ctr_type ctr = {{static_cast<std::uint32_t>(replicate), 0x45585052u}}; // "EXPR"
    return g(ctr, key)[0];
}

namespace {

/// Places the overrides into `base` in their order (the experiment's 'set', --set, the arm's,
/// the sweep point's, then the seed) and reads the scenario.
LoadedScenario assemble(const Experiment& e, YAML::Node base, const std::vector<Override>& common,
                        const std::vector<Override>& arm_overrides,
                        const std::vector<Override>& point_overrides_, std::uint32_t seed) {
    if (!base.IsMap())
        throw ScenarioError({{e.base_path, 1, 1, "a scenario file must be a YAML map of sections"}});
    Sources sources(e.base_path);
    std::vector<Diagnostic> errors;
    for (const auto& o : common)
        place(base, o, e.path, sources, errors);
    for (const auto& arg : e.cli_sets) {
        const auto eq = arg.find('=');
        YAML::Node value;
        std::string problem = eq == std::string::npos || eq == 0 ? "expected PATH=VALUE" : "";
        if (arg.find_first_of("\t\n\r") != std::string::npos)
            problem = "tabs and line breaks are not allowed";
        if (problem.empty()) {
            try {
                value = YAML::Load(arg.substr(eq + 1));
            } catch (const YAML::Exception& ex) {
                problem = "value is not valid YAML: " + ex.msg;
            }
        }
        if (problem.empty() && !value.IsScalar()) problem = "only scalars can be set";
        std::string placed;
        if (problem.empty()) problem = place_override(base, arg.substr(0, eq), value, false, placed);
        if (!problem.empty())
            errors.push_back({"--set " + arg, 0, 0, problem});
        else
            sources.add_override(placed, arg);
    }
    for (const auto& o : arm_overrides)
        place(base, o, e.path, sources, errors);
    for (const auto& o : point_overrides_)
        place(base, o, e.path, sources, errors);
    if (!errors.empty()) throw ScenarioError(errors);
    base["seed"] = seed;
    sources.add_override("seed", "seed=" + std::to_string(seed) + " (replications.master_seed)");
    LoadedScenario out = read_scenario_tree(base, sources, e.base_text);
    out.path = e.base_path;
    return out;
}

/// The scenario of (arm, point) from a fresh parse of both files, so that no run sees another
/// run's changes and every error carries its exact place.
LoadedScenario resolve_exact(const Experiment& e, std::size_t arm, std::size_t point, std::uint32_t seed) {
    Problems p{e.path, {}};
    YAML::Node exp_root = load_yaml(e.text, e.path);
    const Experiment fresh = read_structure(exp_root, e.path, p, false); // override nodes of this parse
    // Errors of the structure were reported by load_experiment; the arm is resolved if it was read.
    if (arm >= fresh.arms.size()) throw ScenarioError(p.list);
    YAML::Node base;
    if (e.base_inline)
        base.reset(exp_root["base"]);
    else
        base.reset(load_yaml(e.base_text, e.base_path));
    return assemble(
        e, base, fresh.common, fresh.arms.at(arm).overrides,
        fresh.sweep_axes.empty() ? std::vector<Override>{} : point_overrides(fresh.sweep_axes, point), seed);
}

/// The same from the overrides' own text, without parsing the experiment again (which costs as
/// much as its sweep is long); on any error, resolve_exact gives the places.
LoadedScenario resolve_fresh(const Experiment& e, std::size_t arm, std::size_t point, std::uint32_t seed) {
    auto reloaded = [](std::vector<Override> list) {
        for (auto& o : list)
            o.value.reset(YAML::Load(o.value_yaml)); // rebind: assigning would write into the shared node
        return list;
    };
    try {
        return assemble(
            e, YAML::Load(e.base_text), reloaded(e.common), reloaded(e.arms.at(arm).overrides),
            reloaded(e.sweep_axes.empty() ? std::vector<Override>{} : point_overrides(e.sweep_axes, point)),
            seed);
    } catch (const std::exception&) {
        return resolve_exact(e, arm, point, seed);
    }
}

} // namespace

LoadedScenario resolve_run(const Experiment& e, std::size_t arm, std::size_t point, std::uint32_t seed) {
    const std::size_t slot = arm * e.points.size() + point;
    if (slot >= e.resolved.size()) return resolve_fresh(e, arm, point, seed);
    LoadedScenario out;
    out.scenario = e.resolved[slot];
    out.scenario.seed = seed;
    out.path = e.base_path;
    out.text = e.base_text;
    return out;
}

namespace {

/// Whether diagnostic `d` stands at one of the overrides of arm `a` or sweep point `pt`.
bool placed_by_override(const Experiment& e, std::size_t a, std::size_t pt, const Diagnostic& d) {
    auto at = [&](const std::vector<Override>& overrides) {
        return std::any_of(overrides.begin(), overrides.end(),
                           [&](const Override& o) { return o.at.line + 1 == d.line; });
    };
    return at(e.arms[a].overrides) || at(e.points[pt].overrides);
}

} // namespace

Experiment load_experiment(const std::string& path, const std::vector<std::string>& cli_sets) {
    const std::string text = read_input_file(path, "experiment file");
    Problems p{path, {}};
    const YAML::Node root = load_yaml(text, path);
    Experiment e = read_structure(root, path, p);
    // The arms are still resolved after errors of the structure (a misspelt top-level key), so that
    // one pass reports the errors inside them too; without a base there is nothing to resolve.
    if (!p.list.empty() && e.base_path.empty()) throw ScenarioError(p.list);
    e.text = text;
    e.cli_sets = cli_sets;
    if (e.base_inline) {
        YAML::Emitter em;
        em << root["base"];
        e.base_text = em.c_str();
    } else {
        try {
            e.base_text = read_input_file(e.base_path, "base scenario file");
        } catch (const ScenarioError& err) {
            const Diagnostic& d = err.diagnostics().front();
            std::vector<Diagnostic> all = p.list;
            all.push_back({path, e.base_at.line + 1, e.base_at.column + 1,
                           "base scenario " + e.base_path + ": " + d.message});
            throw ScenarioError(all);
        }
    }
    // Every arm at every sweep point must make a valid scenario; report each problem once. The
    // scenarios are kept (up to a bound) so that runs need not read the files again.
    std::vector<Diagnostic> all = p.list;
    std::set<std::string> seen;
    const bool keep = p.list.empty() && e.arms.size() * e.points.size() <= 4096;
    for (std::size_t a = 0; a < e.arms.size(); ++a)
        for (std::size_t pt = 0; pt < e.points.size(); ++pt) {
            try {
                LoadedScenario s = resolve_fresh(e, a, pt, derive_seed(e.master_seed, 0));
                for (Diagnostic w : s.warnings) {
                    w.message = "arm '" + e.arms[a].name + "': " + w.message;
                    if (seen.insert(w.to_string()).second) e.warnings.push_back(std::move(w));
                }
                if (keep) e.resolved.push_back(std::move(s.scenario));
            } catch (const ScenarioError& err) {
                // An error placed at an arm's or the sweep's override may hold for some arms only:
                // it names the arm. Errors of the base (a file, or inline) are the same for every
                // arm and are reported once.
                for (Diagnostic d : err.diagnostics()) {
                    if (d.file == e.path && placed_by_override(e, a, pt, d))
                        d.message = "arm '" + e.arms[a].name + "': " + d.message;
                    if (seen.insert(d.to_string()).second) all.push_back(d);
                }
            }
            if (all.size() > 200) throw ScenarioError(all);
        }
    if (!all.empty()) throw ScenarioError(all);
    return e;
}

LoadedScenario resolve_arm(const std::string& path, const std::vector<std::string>& cli_sets,
                           const ArmChoice& choice) {
    const Experiment e = load_experiment(path, cli_sets);
    std::string arms;
    for (std::size_t a = 0; a < e.arms.size(); ++a) {
        if (e.arms[a].name == choice.arm) {
            if (choice.point >= static_cast<std::int64_t>(e.points.size()))
                throw ScenarioError({{path, 0, 0,
                                      "--point " + std::to_string(choice.point) + ": the experiment has " +
                                          std::to_string(e.points.size()) + " sweep point(s), 0 to " +
                                          std::to_string(e.points.size() - 1)}});
            if (choice.replicate >= e.replications)
                throw ScenarioError(
                    {{path, 0, 0,
                      "--replicate " + std::to_string(choice.replicate) + ": the experiment has " +
                          std::to_string(e.replications) + " replicate(s)"}});
            return resolve_run(e, a, static_cast<std::size_t>(choice.point),
                               derive_seed(e.master_seed, choice.replicate));
        }
        arms += (arms.empty() ? "" : ", ") + e.arms[a].name;
    }
    throw ScenarioError({{path, 0, 0,
                          (choice.arm.empty() ? std::string("an experiment: name the arm to print with --arm")
                                              : "--arm " + choice.arm + ": no such arm") +
                              " (arms: " + arms + ")"}});
}

std::vector<std::string> sweep_point_ids(const Experiment& e) {
    if (e.points.size() == 1 && e.points[0].label.empty()) return {"0"};
    std::vector<std::string> ids;
    std::map<std::string, std::size_t> seen;
    for (std::size_t pt = 0; pt < e.points.size(); ++pt) {
        ids.push_back(sha256_hex(e.points[pt].label).substr(0, 12));
        const auto [it, fresh] = seen.emplace(ids.back(), pt);
        if (!fresh)
            throw ScenarioError(
                {{e.path, 0, 0,
                  "sweep points " + std::to_string(it->second) + " and " + std::to_string(pt) +
                      " are the same (" + e.points[pt].label + "); list each value once"}});
    }
    return ids;
}

std::vector<RunSpec> plan_runs(const Experiment& e,
                               const std::function<void(const core::Scenario&)>& on_point) {
    std::vector<RunSpec> runs;
    const std::vector<std::string> point_ids = sweep_point_ids(e);
    std::vector<std::uint32_t> seeds(static_cast<std::size_t>(e.replications));
    for (std::int64_t r = 0; r < e.replications; ++r)
        seeds[static_cast<std::size_t>(r)] = derive_seed(e.master_seed, r);
    for (std::size_t a = 0; a < e.arms.size(); ++a)
        for (std::size_t pt = 0; pt < e.points.size(); ++pt) {
            std::string overrides;
            auto add = [&](const std::string& t) { overrides += (overrides.empty() ? "" : "; ") + t; };
            for (const auto& o : e.common)
                add(o.text);
            for (const auto& s : e.cli_sets)
                add(s);
            for (const auto& o : e.arms[a].overrides)
                add(o.text);
            for (const auto& o : e.points[pt].overrides)
                add(o.text);
            LoadedScenario resolved = resolve_run(e, a, pt, seeds.empty() ? 0 : seeds[0]);
            if (on_point) on_point(resolved.scenario);
            for (std::int64_t r = 0; r < e.replications; ++r) {
                RunSpec s;
                s.index = runs.size();
                s.arm = a;
                s.point = pt;
                s.replicate = r;
                s.seed = seeds[static_cast<std::size_t>(r)];
                s.id = e.arms[a].name + "-p" + point_ids[pt] + "-r" + replicate_id(r);
                resolved.scenario.seed = s.seed;
                s.resolved_sha256 = sha256_hex(emit_resolved(resolved.scenario));
                s.overrides = overrides;
                runs.push_back(std::move(s));
            }
        }
    return runs;
}

std::string manifest_line(const Experiment& e, const RunSpec& r) {
    std::ostringstream s;
    s << r.index << '\t' << r.id << '\t' << e.arms.at(r.arm).name << '\t' << r.point << '\t'
      << (e.points.at(r.point).label.empty() ? "-" : e.points[r.point].label) << '\t' << r.replicate << '\t'
      << r.seed << '\t' << r.resolved_sha256 << '\t' << (r.overrides.empty() ? "-" : r.overrides);
    return s.str();
}

std::string manifest_text(const Experiment& e, const std::vector<RunSpec>& runs) {
    std::ostringstream s;
    s << "# bridges batch manifest, schema_version 1\n"
      << "# experiment: " << e.name << "\n"
      << "# file: " << e.path << "\n"
      << "# base: " << e.base_path << "\n"
      << "# baseline arm: " << e.baseline << "\n"
      << "# runs: " << runs.size() << " = " << e.arms.size() << " arm(s) x " << e.points.size()
      << " sweep point(s) x " << e.replications << " replicate(s), master seed " << e.master_seed << "\n"
      << "index\tid\tarm\tpoint\tpoint_label\treplicate\tseed\tresolved_sha256\toverrides\n";
    for (const auto& r : runs)
        s << manifest_line(e, r) << '\n';
    return s.str();
}

} // namespace bridges::study
