#include "io/batch_index.hpp"

#include "bridges_version.hpp"
#include "core/base/errors.hpp"
#include "core/engine/metrics.hpp"
#include "io/clock.hpp"
#include "io/durable_file.hpp"
#include "io/hdf5.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <limits>
#include <sstream>
#include <string_view>

namespace bridges::io {

namespace {

std::vector<std::string> split(const std::string& s, char sep) {
    std::vector<std::string> out;
    std::string cur;
    std::istringstream in(s);
    while (std::getline(in, cur, sep))
        out.push_back(cur);
    if (!s.empty() && s.back() == sep) out.emplace_back();
    return out;
}

bool parse_int(const std::string& s, std::int64_t& out) {
    if (s.empty()) return false;
    char* end = nullptr;
    errno = 0;
    const long long v = std::strtoll(s.c_str(), &end, 10);
    if (*end != '\0' || errno != 0) return false;
    out = v;
    return true;
}

std::string read_text_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return "";
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

} // namespace

Manifest read_manifest(const std::string& dir) {
    const std::string path = dir + "/manifest";
    std::ifstream in(path);
    if (!in) throw DataError(path + ": cannot open the manifest (is " + dir + " a batch directory?)");
    Manifest m;
    std::string line;
    int number = 0;
    while (std::getline(in, line)) {
        ++number;
        if (line.empty()) continue;
        if (line[0] == '#') {
            auto value_of = [&](const std::string& key, std::string& out) {
                if (line.rfind(key, 0) == 0) out = line.substr(key.size());
            };
            value_of("# experiment: ", m.experiment);
            value_of("# baseline arm: ", m.baseline);
            continue;
        }
        if (line.rfind("index\t", 0) == 0) continue;
        const auto f = split(line, '\t');
        ManifestRun r;
        std::int64_t index = 0, seed = 0;
        if (f.size() != 9 || !parse_int(f[0], index) || !parse_int(f[3], r.point) ||
            !parse_int(f[5], r.replicate) || !parse_int(f[6], seed) || f[1].empty() ||
            f[1].find('/') != std::string::npos || index != static_cast<std::int64_t>(m.runs.size()))
            throw DataError(
                path + ":" + std::to_string(number) +
                ": malformed manifest line (expected 9 tab-separated fields, runs numbered from 0)");
        r.index = static_cast<std::size_t>(index);
        r.id = f[1];
        r.arm = f[2];
        r.point_label = f[4] == "-" ? "" : f[4];
        r.seed = static_cast<std::uint32_t>(seed);
        r.line = line;
        m.runs.push_back(std::move(r));
    }
    if (m.runs.empty()) throw DataError(path + ": the manifest lists no run");
    return m;
}

std::string run_path(const std::string& dir, const std::string& id) {
    return dir + "/runs/" + id + ".h5";
}
std::string error_path(const std::string& dir, const std::string& id) {
    return dir + "/runs/" + id + ".error";
}

const char* status_name(RunStatus s) {
    switch (s) {
    case RunStatus::complete:
        return "complete";
    case RunStatus::failed:
        return "failed";
    default:
        return "pending";
    }
}

std::vector<std::pair<std::string, std::string>> sweep_values(const std::string& point_label) {
    // A new pair starts after ", " where a path (letters, digits, '_', '.') and '=' or '+=' follow;
    // values written as YAML flow maps or lists ("{kind: matching, by: MEX}") hold no such place.
    auto starts_pair = [&](std::size_t at) {
        std::size_t i = at;
        while (i < point_label.size() && (std::isalnum(static_cast<unsigned char>(point_label[i])) ||
                                          point_label[i] == '_' || point_label[i] == '.'))
            ++i;
        if (i == at) return false;
        if (i < point_label.size() && point_label[i] == '+') ++i;
        return i < point_label.size() && point_label[i] == '=';
    };
    std::vector<std::pair<std::string, std::string>> out;
    std::size_t begin = 0;
    while (begin < point_label.size()) {
        std::size_t end = begin;
        while (true) {
            end = point_label.find(", ", end);
            if (end == std::string::npos || starts_pair(end + 2)) break;
            end += 2;
        }
        const std::string item = point_label.substr(begin, end == std::string::npos ? end : end - begin);
        const auto eq = item.find('=');
        std::string path = item.substr(0, eq == std::string::npos ? item.size() : eq);
        if (!path.empty() && path.back() == '+') path.pop_back();
        out.emplace_back(path, eq == std::string::npos ? "" : item.substr(eq + 1));
        if (end == std::string::npos) break;
        begin = end + 2;
    }
    return out;
}

std::optional<double> sweep_number(const std::string& value) {
    if (value.empty()) return std::nullopt;
    char* end = nullptr;
    const double x = std::strtod(value.c_str(), &end);
    if (*end != '\0' || !std::isfinite(x)) return std::nullopt;
    return x;
}

std::vector<std::string> swept_paths(const Manifest& m) {
    std::vector<std::string> paths;
    for (const auto& r : m.runs)
        for (const auto& [path, value] : sweep_values(r.point_label))
            if (std::find(paths.begin(), paths.end(), path) == paths.end()) paths.push_back(path);
    return paths;
}

std::string run_key(const std::string& manifest_line) {
    const auto fields = split(manifest_line, '\t');
    std::string key;
    for (std::size_t i = 0; i < fields.size(); ++i)
        if (i != 0 && i != 3) key += fields[i] + '\t';
    return key;
}

RunState run_state(const std::string& dir, const ManifestRun& run) {
    RunState st;
    const std::string file = run_path(dir, run.id);
    if (std::filesystem::exists(file)) {
        const h5::Lock lock(h5::library_mutex());
        h5::silence_errors();
        try {
            if (h5::is_hdf5(file)) {
                const H5::H5File f = h5::open_read_only(file);
                if (h5::read_text_attribute(f, "status") == "complete" &&
                    run_key(h5::read_text_attribute(f, "manifest_line")) == run_key(run.line)) {
                    st.status = RunStatus::complete;
                    st.wall_seconds = h5::read_double_attribute(f, "wall_seconds", 0.0);
                    return st;
                }
            }
        } catch (const H5::Exception&) {
            H5Eclear2(H5E_DEFAULT); // unreadable: the run is redone
        }
    }
    const std::string err = read_text_file(error_path(dir, run.id));
    const auto nl = err.find('\n');
    if (nl != std::string::npos && run_key(err.substr(0, nl)) == run_key(run.line)) {
        st.status = RunStatus::failed;
        st.error = err.substr(nl + 1);
        while (!st.error.empty() && st.error.back() == '\n')
            st.error.pop_back();
    }
    return st;
}

std::vector<std::string> summary_metrics() {
    std::vector<std::string> out;
    for (const auto& v : core::output_variables())
        if (std::string(v.group) == "global" && v.axis == core::Axis::none) out.emplace_back(v.name);
    return out;
}

MetricSeries read_metric(const std::string& file, const std::string& metric) {
    const h5::Lock lock(h5::library_mutex());
    h5::silence_errors();
    if (!h5::is_hdf5(file)) throw DataError(file + ": not an HDF5 file (or cannot be read)");
    return h5::guarded("reading " + file, [&] {
        const H5::H5File f = h5::open_read_only(file);
        const auto at = metric.find('@');
        const std::string name = metric.substr(0, at);
        const std::string group_name = at == std::string::npos ? "global" : "countries";
        if (name.empty() || name.find('/') != std::string::npos || !f.nameExists(group_name) ||
            !f.nameExists(group_name + "/" + name))
            throw DataError(file + ": no variable '" + name + "' in /" + group_name +
                            (at == std::string::npos ? " (country variables are written NAME@ISO3)" : ""));
        const H5::Group group = f.openGroup(group_name);
        const H5::DataSet ds = group.openDataSet(name);
        const std::string path = group_name + "/" + name;
        if (ds.getTypeClass() != H5T_FLOAT)
            throw DataError(file + ": /" + path + " is not a numeric variable; it cannot be compared");
        MetricSeries s;
        std::vector<hsize_t> dims;
        const std::vector<double> all = h5::read_doubles(group, name, &dims);
        if (at == std::string::npos) {
            if (dims.size() != 1)
                throw DataError(file + ": /" + path +
                                " has more than the time dimension; it cannot be compared");
            s.values = all;
        } else {
            const std::string code = metric.substr(at + 1);
            const auto codes = h5::read_strings(group, "country_code");
            std::size_t c = codes.size();
            for (std::size_t i = 0; i < codes.size(); ++i)
                if (codes[i] == code) c = i;
            if (c == codes.size()) throw DataError(file + ": no country '" + code + "' in /countries");
            if (dims.size() != 2 || dims[1] != codes.size())
                throw DataError(file + ": /" + path + " is not a (time, country) variable");
            for (hsize_t t = 0; t < dims[0]; ++t)
                s.values.push_back(all[t * dims[1] + c]);
        }
        s.days = h5::read_doubles(group, "time");
        s.units = h5::read_text_attribute(ds, "units");
        s.long_name = h5::read_text_attribute(ds, "long_name");
        s.start = h5::read_text_attribute(f, "start");
        return s;
    });
}

namespace {

/// Per-country summaries of the index: every /countries variable over the run (a flow summed, a
/// level or mean averaged) and in its last month, by run and country.
struct CountrySummaries {
    std::vector<std::string> codes;          // of the first complete run
    std::vector<std::size_t> vars;           // indices into output_variables()
    std::vector<std::vector<double>> period; // [var][run * countries + country]
    std::vector<std::vector<double>> final_value;

    CountrySummaries(std::size_t runs) : runs_(runs) {
        const auto& all = core::output_variables();
        for (std::size_t v = 0; v < all.size(); ++v)
            if (std::string_view(all[v].group) == "countries" && all[v].axis == core::Axis::country)
                vars.push_back(v);
    }

    /// Adds run `i` from its file; an error (another engine's file, other countries) is returned.
    std::string add(std::size_t i, const std::string& file) {
        const h5::Lock lock(h5::library_mutex());
        h5::silence_errors();
        try {
            const H5::H5File f = h5::open_read_only(file);
            const H5::Group g = f.openGroup("countries");
            const auto run_codes = h5::read_strings(g, "country_code");
            if (codes.empty()) {
                codes = run_codes;
                const double nan = std::numeric_limits<double>::quiet_NaN();
                period.assign(vars.size(), std::vector<double>(runs_ * codes.size(), nan));
                final_value = period;
            }
            if (run_codes != codes) return file + ": its countries differ from the batch's first run";
            const std::size_t nc = codes.size();
            for (std::size_t k = 0; k < vars.size(); ++k) {
                const core::Variable& v = core::output_variables()[vars[k]];
                std::vector<hsize_t> dims;
                const std::vector<double> x = h5::read_doubles(g, v.name, &dims);
                if (dims.size() != 2 || dims[1] != nc || dims[0] == 0) continue;
                for (std::size_t c = 0; c < nc; ++c) {
                    double sum = 0;
                    for (hsize_t t = 0; t < dims[0]; ++t)
                        sum += x[t * nc + c];
                    period[k][i * nc + c] =
                        v.aggregate == core::Aggregate::flow ? sum : sum / static_cast<double>(dims[0]);
                    final_value[k][i * nc + c] = x[(dims[0] - 1) * nc + c];
                }
            }
            return "";
        } catch (const H5::Exception& e) {
            H5Eclear2(H5E_DEFAULT);
            return file + ": its per-country variables cannot be read";
        }
    }

  private:
    std::size_t runs_;
};

} // namespace

IndexCounts write_index(const std::string& dir) {
    const Manifest m = read_manifest(dir);
    const std::size_t n = m.runs.size();
    const auto metrics = summary_metrics();
    const double nan = std::numeric_limits<double>::quiet_NaN();
    std::vector<std::string> ids, arms, labels, statuses, errors;
    std::vector<std::int32_t> points, replicates;
    std::vector<std::int64_t> seeds;
    std::vector<double> wall(n, nan);
    std::vector<std::vector<double>> cumulative(metrics.size(), std::vector<double>(n, nan)),
        final_value(metrics.size(), std::vector<double>(n, nan));
    IndexCounts counts;
    CountrySummaries by_country(n);
    for (std::size_t i = 0; i < n; ++i) {
        const auto& r = m.runs[i];
        const RunState st = run_state(dir, r);
        ids.push_back(r.id);
        arms.push_back(r.arm);
        labels.push_back(r.point_label);
        statuses.emplace_back(status_name(st.status));
        errors.push_back(st.error);
        points.push_back(static_cast<std::int32_t>(r.point));
        replicates.push_back(static_cast<std::int32_t>(r.replicate));
        seeds.push_back(r.seed);
        if (st.status == RunStatus::complete) {
            ++counts.complete;
            wall[i] = st.wall_seconds;
            for (std::size_t k = 0; k < metrics.size(); ++k) {
                try {
                    const MetricSeries s = read_metric(run_path(dir, r.id), metrics[k]);
                    double sum = 0;
                    for (double x : s.values)
                        sum += x;
                    const bool flow =
                        core::output_variables()[core::variable_index("global", metrics[k])].aggregate ==
                        core::Aggregate::flow;
                    cumulative[k][i] =
                        flow || s.values.empty() ? sum : sum / static_cast<double>(s.values.size());
                    final_value[k][i] = s.values.empty() ? nan : s.values.back();
                } catch (const Error& ex) {
                    // A file of another engine version may lack a variable: the rest still counts.
                    errors.back() += (errors.back().empty() ? "" : "; ") + std::string(ex.what());
                }
            }
            const std::string problem = by_country.add(i, run_path(dir, r.id));
            if (!problem.empty()) errors.back() += (errors.back().empty() ? "" : "; ") + problem;
        } else if (st.status == RunStatus::failed) {
            ++counts.failed;
        } else {
            ++counts.pending;
        }
    }

    const std::string path = dir + "/index.h5";
    const std::string image = [&] {
        const h5::Lock lock(h5::library_mutex());
        h5::silence_errors();
        return h5::guarded("writing " + path, [&] {
            const h5::MemoryFile memory(path + ".partial." + temporary_suffix());
            const H5::H5File& file = memory.file();
            h5::text_attribute(file, "format", "bridges-batch-index");
            h5::int_attribute(file, "schema_version", 1);
            h5::text_attribute(file, "engine_version", BRIDGES_VERSION);
            h5::text_attribute(file, "created_utc", utc_now());
            h5::text_attribute(file, "experiment", m.experiment);
            h5::text_attribute(file, "baseline_arm", m.baseline);
            h5::int_attribute(file, "runs", static_cast<std::int64_t>(n));
            h5::int_attribute(file, "complete", static_cast<std::int64_t>(counts.complete));
            h5::int_attribute(file, "failed", static_cast<std::int64_t>(counts.failed));
            h5::int_attribute(file, "pending", static_cast<std::int64_t>(counts.pending));
            h5::scalar_string_dataset(file, "manifest", read_text_file(dir + "/manifest"));
            {
                const H5::Group g = h5::create_group(file, "summary");
                const H5::DataSet scale = h5::index_scale(g, "run", n, "run index (manifest line)", nullptr);
                auto describe = [&](const H5::DataSet& ds, const std::string& units,
                                    const std::string& long_name) {
                    h5::text_attribute(ds, "units", units);
                    h5::text_attribute(ds, "long_name", long_name);
                    h5::attach_scale(ds, scale, 0);
                };
                const H5::PredType& int32 = H5::PredType::NATIVE_INT32;
                describe(h5::strings_1d(g, "run_id", ids), "1", "run id (file runs/<run_id>.h5)");
                describe(h5::strings_1d(g, "arm", arms), "1", "arm");
                describe(h5::fixed_1d(g, "point", int32, points), "1", "sweep point index");
                describe(h5::strings_1d(g, "point_label", labels), "1", "sweep point (path=value, ...)");
                describe(h5::fixed_1d(g, "replicate", int32, replicates), "1", "replicate");
                describe(h5::fixed_1d(g, "seed", H5::PredType::NATIVE_INT64, seeds), "1",
                         "random seed of the run");
                describe(h5::strings_1d(g, "status", statuses), "1", "complete, failed or pending");
                describe(h5::fixed_1d(g, "wall_seconds", H5::PredType::NATIVE_DOUBLE, wall), "s",
                         "wall time of the run (set-up, months and output)");
                describe(h5::strings_1d(g, "error", errors), "1", "why the run failed");
                // One column per swept path: numbers where every value is one (NaN where a run's
                // point does not set it), else the values as written.
                for (const std::string& swept : swept_paths(m)) {
                    std::vector<std::string> text(n);
                    bool numeric = true;
                    for (std::size_t i = 0; i < n; ++i)
                        for (const auto& [p, v] : sweep_values(m.runs[i].point_label))
                            if (p == swept) {
                                text[i] = v;
                                numeric = numeric && sweep_number(v).has_value();
                            }
                    const std::string long_name = "swept value of " + swept;
                    if (numeric) {
                        std::vector<double> x(n, nan);
                        for (std::size_t i = 0; i < n; ++i)
                            if (const auto v = sweep_number(text[i])) x[i] = *v;
                        describe(h5::fixed_1d(g, swept, H5::PredType::NATIVE_DOUBLE, x), "", long_name);
                    } else {
                        describe(h5::strings_1d(g, swept, text), "", long_name);
                    }
                }
                const auto& vars = core::output_variables();
                for (std::size_t k = 0; k < metrics.size(); ++k) {
                    const auto& v = vars[core::variable_index("global", metrics[k])];
                    const bool flow = v.aggregate == core::Aggregate::flow;
                    describe(h5::fixed_1d(g, metrics[k] + (flow ? "_cumulative" : "_mean"),
                                          H5::PredType::NATIVE_DOUBLE, cumulative[k]),
                             v.units,
                             std::string(v.long_name) + (flow ? ", sum over the months of the run"
                                                              : ", mean over the months of the run"));
                    describe(
                        h5::fixed_1d(g, metrics[k] + "_final", H5::PredType::NATIVE_DOUBLE, final_value[k]),
                        v.units, std::string(v.long_name) + ", last month of the run");
                }
            }
            if (!by_country.codes.empty()) {
                const H5::Group g = h5::create_group(file, "countries");
                const H5::DataSet run_scale =
                    h5::index_scale(g, "run", n, "run index (manifest line)", nullptr);
                const H5::DataSet country_scale =
                    h5::index_scale(g, "country", by_country.codes.size(), "country index", nullptr);
                const H5::DataSet codes = h5::strings_1d(g, "country_code", by_country.codes);
                h5::text_attribute(codes, "long_name", "ISO 3166-1 alpha-3 code");
                h5::attach_scale(codes, country_scale, 0);
                const hsize_t dims[2] = {n, by_country.codes.size()};
                for (std::size_t k = 0; k < by_country.vars.size(); ++k) {
                    const core::Variable& v = core::output_variables()[by_country.vars[k]];
                    const bool flow = v.aggregate == core::Aggregate::flow;
                    auto table = [&](const std::string& name, const std::vector<double>& values,
                                     const std::string& what) {
                        H5::DataSet ds =
                            g.createDataSet(name, H5::PredType::NATIVE_DOUBLE, H5::DataSpace(2, dims),
                                            h5::dataset_plist(2, nullptr, 0));
                        ds.write(values.data(), H5::PredType::NATIVE_DOUBLE);
                        h5::text_attribute(ds, "units", v.units);
                        h5::text_attribute(ds, "long_name", std::string(v.long_name) + ", " + what);
                        h5::attach_scale(ds, run_scale, 0);
                        h5::attach_scale(ds, country_scale, 1);
                    };
                    table(std::string(v.name) + (flow ? "_cumulative" : "_mean"), by_country.period[k],
                          flow ? "sum over the months of the run" : "mean over the months of the run");
                    table(std::string(v.name) + "_final", by_country.final_value[k], "last month of the run");
                }
            }
            {
                const H5::Group g = h5::create_group(file, "runs");
                for (std::size_t i = 0; i < n; ++i)
                    if (statuses[i] == "complete")
                        h5::check(H5Lcreate_external(("runs/" + ids[i] + ".h5").c_str(), "/", g.getId(),
                                                     ids[i].c_str(), H5P_DEFAULT, H5P_DEFAULT),
                                  "external link " + ids[i]);
            }
            return memory.image();
        });
    }();
    write_file_atomically(path, image);
    return counts;
}

} // namespace bridges::io
