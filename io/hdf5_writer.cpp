#include "io/hdf5_writer.hpp"

#include "core/base/errors.hpp"
#include "io/durable_file.hpp"
#include "io/hdf5.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <limits>
#include <string_view>

namespace bridges::io {

using h5::check;

OutputLayout OutputLayout::of(const core::World& w, core::YearMonth start, bool corridors, int compression) {
    OutputLayout l;
    l.start = start;
    l.country_code = w.countries.code;
    l.country_name = w.countries.name;
    l.corridor_origin.assign(w.corridors.origin.begin(), w.corridors.origin.end());
    l.corridor_host.assign(w.corridors.host.begin(), w.corridors.host.end());
    l.corridors = corridors;
    l.compression = compression;
    return l;
}

namespace {

/// Values per month of a variable along `axis` (0 for one value: a time-only variable).
std::size_t variable_width(core::Axis axis, std::size_t countries, std::size_t corridors) {
    switch (axis) {
    case core::Axis::none:
        return 0;
    case core::Axis::country:
        return countries;
    case core::Axis::corridor:
        return corridors;
    default:
        return static_cast<std::size_t>(core::kYearBins);
    }
}

} // namespace

std::size_t estimate_output_bytes(const core::Scenario& s) {
    std::size_t row = (s.output.corridors ? 3 : 2) * 3; // each group's time and its two bounds
    for (const auto& v : core::output_variables())
        if (s.output.corridors || std::string_view(v.group) != "corridors")
            row += std::max<std::size_t>(1, variable_width(v.axis, s.countries.size(), s.corridors.size()));
    return static_cast<std::size_t>(s.months) * row * sizeof(double);
}

struct Hdf5Writer::Impl {
    h5::MemoryFile memory;
    OutputFile partial;
    struct Group {
        H5::Group group;
        H5::DataSet time, bounds, nv; // time, its bounds (time, nv) and the bounds' dimension
        std::map<core::Axis, H5::DataSet> scales;
    };
    std::map<std::string, Group> groups;
    struct Var {
        std::size_t index; // in output_variables()
        H5::DataSet ds;
        std::size_t width;                       // 0 for time-only
        std::vector<std::size_t> not_applicable; // entries written as the fill value, NaN
    };
    std::vector<Var> vars;
    hsize_t months = 0;
    OutputLayout layout;

    Impl(const std::string& partial_path, const OutputLayout& l)
        : memory(partial_path), partial(partial_path), layout(l) {}

    [[nodiscard]] const H5::H5File& file() const { return memory.file(); }

    Group make_group(const std::string& name) {
        Group g;
        g.group = h5::create_group(file(), name);
        const hsize_t zero = 0, unlimited = H5S_UNLIMITED, chunk = 512;
        g.time =
            g.group.createDataSet("time", H5::PredType::NATIVE_DOUBLE, H5::DataSpace(1, &zero, &unlimited),
                                  h5::dataset_plist(1, &chunk, layout.compression));
        check(H5DSset_scale(g.time.getId(), "time"), "time scale");
        h5::text_attribute(g.time, "units", "days since " + layout.start.to_string() + "-01");
        h5::text_attribute(g.time, "calendar", "standard");
        h5::text_attribute(g.time, "long_name", "first day of the simulated month");
        h5::text_attribute(g.time, "axis", "T");
        h5::text_attribute(g.time, "bounds", "time_bnds");
        // CF time bounds: each month from its first day to the first day of the next.
        g.nv = h5::index_scale(g.group, "nv", 2, "bound of a month (0: first day, 1: first day of the next)",
                               nullptr);
        const hsize_t dims[2] = {0, 2}, maxdims[2] = {H5S_UNLIMITED, 2}, chunks[2] = {512, 2};
        g.bounds =
            g.group.createDataSet("time_bnds", H5::PredType::NATIVE_DOUBLE, H5::DataSpace(2, dims, maxdims),
                                  h5::dataset_plist(2, chunks, layout.compression));
        h5::text_attribute(g.bounds, "units", "days since " + layout.start.to_string() + "-01");
        h5::text_attribute(g.bounds, "long_name", "first and last day (exclusive) of the simulated month");
        h5::attach_scale(g.bounds, g.time, 0);
        h5::attach_scale(g.bounds, g.nv, 1);
        return g;
    }

    void add_variable(std::size_t index, const core::Variable& v) {
        Group& g = groups.at(v.group);
        const std::size_t width =
            variable_width(v.axis, layout.country_code.size(), layout.corridor_origin.size());
        const int rank = width == 0 ? 1 : 2;
        const hsize_t dims[2] = {0, width}, maxdims[2] = {H5S_UNLIMITED, width};
        const hsize_t rows =
            width == 0 ? 512 : std::clamp<hsize_t>(32768 / std::max<hsize_t>(1, width), 1, 64);
        const hsize_t chunk[2] = {rows, std::max<hsize_t>(1, width)};
        // A mean over an origin's households or diaspora does not apply to a country that is no
        // origin (a host's poverty rate): NaN, the variable's _FillValue, rather than a 0 that
        // would bias an average over countries.
        std::vector<std::size_t> not_applicable;
        if (v.axis == core::Axis::country && v.aggregate == core::Aggregate::mean &&
            std::string_view(v.indexed_by) == "origin")
            for (std::size_t c = 0; c < width; ++c)
                if (std::find(layout.corridor_origin.begin(), layout.corridor_origin.end(),
                              static_cast<std::int32_t>(c)) == layout.corridor_origin.end())
                    not_applicable.push_back(c);
        H5::DSetCreatPropList dcpl = h5::dataset_plist(rank, chunk, layout.compression);
        if (!not_applicable.empty()) {
            const double fill = std::numeric_limits<double>::quiet_NaN();
            dcpl.setFillValue(H5::PredType::NATIVE_DOUBLE, &fill);
        }
        H5::DataSet ds = g.group.createDataSet(v.name, H5::PredType::NATIVE_DOUBLE,
                                               H5::DataSpace(rank, dims, maxdims), dcpl);
        h5::text_attribute(ds, "units", v.units);
        h5::text_attribute(ds, "long_name", v.long_name);
        h5::text_attribute(ds, "cell_methods", core::cell_methods(v.aggregate));
        if (!not_applicable.empty())
            h5::double_attribute(ds, "_FillValue", std::numeric_limits<double>::quiet_NaN());
        h5::attach_scale(ds, g.time, 0);
        if (width > 0) h5::attach_scale(ds, g.scales.at(v.axis), 1);
        vars.push_back({index, std::move(ds), width, std::move(not_applicable)});
    }

    void create(const RunMetadata& meta);
};

Hdf5Writer::Hdf5Writer(const std::string& path, const OutputLayout& layout, const RunMetadata& meta,
                       const std::string& partial)
    : path_(path), partial_(partial.empty() ? path + ".partial" : partial) {
    const h5::Lock lock(h5::library_mutex());
    h5::silence_errors();
    try {
        impl_ = std::make_unique<Impl>(partial_, layout);
        h5::guarded("creating " + partial_, [&] { impl_->create(meta); });
    } catch (...) {
        const bool created = impl_ != nullptr;
        impl_.reset();
        if (created) std::remove(partial_.c_str());
        throw;
    }
}

void Hdf5Writer::Impl::create(const RunMetadata& meta) {
    const H5::H5File& f = file();
    h5::text_attribute(f, "Conventions", "CF-1.8");
    for (const auto& [k, v] : meta.text)
        h5::text_attribute(f, k, v);
    for (const auto& [k, v] : meta.integers)
        h5::int_attribute(f, k, v);
    h5::text_attribute(f, "status", "running");
    h5::scalar_string_dataset(f, "scenario", meta.scenario_text);
    h5::scalar_string_dataset(f, "scenario_resolved", meta.scenario_resolved);

    auto& global = groups["global"] = make_group("global");
    global.scales[core::Axis::years_abroad] = h5::index_scale(
        global.group, "years_abroad", core::kYearBins, "whole years abroad (last bin: 40 and more)", "years");
    auto& countries = groups["countries"] = make_group("countries");
    const H5::DataSet& country = countries.scales[core::Axis::country] =
        h5::index_scale(countries.group, "country", layout.country_code.size(), "country index", nullptr);
    h5::coordinate(h5::strings_1d(countries.group, "country_code", layout.country_code), country,
                   "ISO 3166-1 alpha-3 code");
    h5::coordinate(h5::strings_1d(countries.group, "country_name", layout.country_name), country,
                   "country name");
    if (layout.corridors) {
        auto& corridors = groups["corridors"] = make_group("corridors");
        const H5::DataSet& corridor = corridors.scales[core::Axis::corridor] = h5::index_scale(
            corridors.group, "corridor", layout.corridor_origin.size(), "corridor index", nullptr);
        h5::coordinate(h5::fixed_1d(corridors.group, "corridor_origin", H5::PredType::NATIVE_INT32,
                                    layout.corridor_origin),
                       corridor, "origin country (index into /countries country)");
        h5::coordinate(
            h5::fixed_1d(corridors.group, "corridor_host", H5::PredType::NATIVE_INT32, layout.corridor_host),
            corridor, "host country (index into /countries country)");
    }
    const auto& all = core::output_variables();
    for (std::size_t i = 0; i < all.size(); ++i)
        if (groups.count(all[i].group)) add_variable(i, all[i]);
}

void Hdf5Writer::append(const core::MonthRecord& record) {
    const h5::Lock lock(h5::library_mutex());
    Impl& m = *impl_;
    const double day = static_cast<double>(core::days_between(m.layout.start, record.date));
    const double bounds[2] = {day,
                              static_cast<double>(core::days_between(m.layout.start, record.date.plus(1)))};
    for (const auto& v : m.vars) {
        const std::size_t width = v.width == 0 ? 1 : v.width;
        if (record.values[v.index].size() != width)
            throw IoError(std::string("record has the wrong size for ") +
                          core::output_variables()[v.index].name);
    }
    h5::guarded("writing " + partial_, [&] {
        for (auto& [name, g] : m.groups) {
            const hsize_t n = m.months + 1;
            g.time.extend(&n);
            h5::write_row(g.time, m.months, 0, &day);
            const hsize_t bounds_dims[2] = {n, 2};
            g.bounds.extend(bounds_dims);
            h5::write_row(g.bounds, m.months, 2, bounds);
        }
        for (auto& v : m.vars) {
            const hsize_t dims[2] = {m.months + 1, v.width};
            v.ds.extend(dims);
            if (v.not_applicable.empty()) {
                h5::write_row(v.ds, m.months, v.width, record.values[v.index].data());
            } else {
                std::vector<double> row = record.values[v.index];
                for (const std::size_t c : v.not_applicable)
                    row[c] = std::numeric_limits<double>::quiet_NaN();
                h5::write_row(v.ds, m.months, v.width, row.data());
            }
        }
    });
    ++m.months;
}

void Hdf5Writer::finish(const std::map<std::string, double>& attributes) {
    const std::string bytes = [&] {
        const h5::Lock lock(h5::library_mutex());
        Impl& m = *impl_;
        return h5::guarded("writing " + partial_, [&] {
            for (const auto& [k, v] : attributes)
                h5::double_attribute(m.file(), k, v);
            h5::text_attribute(m.file(), "status", "complete");
            m.vars.clear();
            m.groups.clear();
            return m.memory.image();
        });
    }();
    impl_->partial.write_and_close(bytes.data(), bytes.size());
    if (std::rename(partial_.c_str(), path_.c_str()) != 0)
        throw IoError("cannot rename " + partial_ + " to " + path_ + " (" + std::strerror(errno) + ")");
    sync_directory_of(path_);
    finished_ = true;
    const h5::Lock lock(h5::library_mutex());
    impl_.reset();
}

Hdf5Writer::~Hdf5Writer() {
    if (finished_) return;
    {
        const h5::Lock lock(h5::library_mutex());
        impl_.reset(); // closes the memory file and the partial file
    }
    std::remove(partial_.c_str());
}

} // namespace bridges::io
