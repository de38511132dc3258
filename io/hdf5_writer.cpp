#include "io/hdf5_writer.hpp"

#include "core/base/errors.hpp"
#include "io/hdf5_util.hpp"

#include <hdf5_hl.h>

#include <algorithm>
#include <cstdio>
#include <fcntl.h>
#include <unistd.h>

namespace bridges::io {

using h5::check;
using h5::Handle;

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

struct Hdf5Writer::Impl {
    Handle file;
    struct Group {
        Handle id, time;
        std::map<core::Axis, Handle> scales;
    };
    std::map<std::string, Group> groups;
    struct Var {
        std::size_t index; // in output_variables()
        Handle ds;
        std::size_t width; // 0 for time-only
    };
    std::vector<Var> vars;
    hsize_t months = 0;
    OutputLayout layout;

    Handle dataset_plist(int rank, const hsize_t* chunk) {
        return h5::dataset_plist(rank, chunk, layout.compression);
    }

    Group make_group(const std::string& name) {
        Group g;
        Handle gcpl = h5::creation_order_gcpl();
        g.id = Handle(H5Gcreate2(file.get(), name.c_str(), H5P_DEFAULT, gcpl.get(), H5P_DEFAULT), H5Gclose,
                      name.c_str());
        const hsize_t zero = 0, unlimited = H5S_UNLIMITED, chunk = 512;
        Handle space(H5Screate_simple(1, &zero, &unlimited), H5Sclose, "time space");
        Handle dcpl = dataset_plist(1, &chunk);
        g.time = Handle(H5Dcreate2(g.id.get(), "time", H5T_NATIVE_DOUBLE, space.get(), H5P_DEFAULT,
                                   dcpl.get(), H5P_DEFAULT),
                        H5Dclose, "time");
        check(H5DSset_scale(g.time.get(), "time"), "time scale");
        h5::text_attribute(g.time.get(), "units", "days since " + layout.start.to_string() + "-01");
        h5::text_attribute(g.time.get(), "calendar", "standard");
        h5::text_attribute(g.time.get(), "long_name", "first day of the simulated month");
        h5::text_attribute(g.time.get(), "axis", "T");
        return g;
    }

    void add_variable(std::size_t index, const core::Variable& v) {
        Group& g = groups.at(v.group);
        const std::size_t width = v.axis == core::Axis::none      ? 0
                                  : v.axis == core::Axis::country ? layout.country_code.size()
                                  : v.axis == core::Axis::corridor
                                      ? layout.corridor_origin.size()
                                      : static_cast<std::size_t>(core::kYearBins);
        const int rank = width == 0 ? 1 : 2;
        const hsize_t dims[2] = {0, width}, maxdims[2] = {H5S_UNLIMITED, width};
        const hsize_t rows =
            width == 0 ? 512 : std::clamp<hsize_t>(32768 / std::max<hsize_t>(1, width), 1, 64);
        const hsize_t chunk[2] = {rows, std::max<hsize_t>(1, width)};
        Handle space(H5Screate_simple(rank, dims, maxdims), H5Sclose, "variable space");
        Handle dcpl = dataset_plist(rank, chunk);
        Handle ds(H5Dcreate2(g.id.get(), v.name, H5T_NATIVE_DOUBLE, space.get(), H5P_DEFAULT, dcpl.get(),
                             H5P_DEFAULT),
                  H5Dclose, v.name);
        h5::text_attribute(ds.get(), "units", v.units);
        h5::text_attribute(ds.get(), "long_name", v.long_name);
        check(H5DSattach_scale(ds.get(), g.time.get(), 0), "attach time");
        if (width > 0) check(H5DSattach_scale(ds.get(), g.scales.at(v.axis).get(), 1), "attach axis");
        vars.push_back({index, std::move(ds), width});
    }
};

Hdf5Writer::Hdf5Writer(const std::string& path, const OutputLayout& layout, const RunMetadata& meta,
                       const std::string& partial)
    : impl_(std::make_unique<Impl>()), path_(path), partial_(partial.empty() ? path + ".partial" : partial) {
    const h5::Lock lock(h5::library_mutex());
    try {
        create(layout, meta);
    } catch (...) {
        impl_.reset();
        std::remove(partial_.c_str());
        throw;
    }
}

void Hdf5Writer::create(const OutputLayout& layout, const RunMetadata& meta) {
    h5::silence_errors();
    Impl& m = *impl_;
    m.layout = layout;
    m.file = h5::create_file(partial_);
    for (const auto& [k, v] : meta.text)
        h5::text_attribute(m.file.get(), k, v);
    for (const auto& [k, v] : meta.integers)
        h5::int_attribute(m.file.get(), k, v);
    h5::text_attribute(m.file.get(), "status", "running");
    h5::scalar_string_dataset(m.file.get(), "scenario", meta.scenario_text);
    h5::scalar_string_dataset(m.file.get(), "scenario_resolved", meta.scenario_resolved);

    auto& global = m.groups["global"] = m.make_group("global");
    global.scales[core::Axis::years_abroad] =
        h5::index_scale(global.id.get(), "years_abroad", core::kYearBins,
                        "whole years abroad (last bin: 40 and more)", "years");
    auto& countries = m.groups["countries"] = m.make_group("countries");
    countries.scales[core::Axis::country] =
        h5::index_scale(countries.id.get(), "country", layout.country_code.size(), "country index", nullptr);
    {
        Handle code = h5::strings_1d(countries.id.get(), "country_code", layout.country_code);
        Handle name = h5::strings_1d(countries.id.get(), "country_name", layout.country_name);
        h5::text_attribute(code.get(), "long_name", "ISO 3166-1 alpha-3 code");
        h5::text_attribute(name.get(), "long_name", "country name");
        h5::text_attribute(code.get(), "units", "1");
        h5::text_attribute(name.get(), "units", "1");
        for (hid_t d : {code.get(), name.get()})
            check(H5DSattach_scale(d, countries.scales[core::Axis::country].get(), 0), "attach country");
    }
    if (layout.corridors) {
        auto& corridors = m.groups["corridors"] = m.make_group("corridors");
        corridors.scales[core::Axis::corridor] = h5::index_scale(
            corridors.id.get(), "corridor", layout.corridor_origin.size(), "corridor index", nullptr);
        Handle o =
            h5::fixed_1d(corridors.id.get(), "corridor_origin", H5T_NATIVE_INT32, layout.corridor_origin);
        Handle h = h5::fixed_1d(corridors.id.get(), "corridor_host", H5T_NATIVE_INT32, layout.corridor_host);
        h5::text_attribute(o.get(), "long_name", "origin country (index into /countries country)");
        h5::text_attribute(h.get(), "long_name", "host country (index into /countries country)");
        h5::text_attribute(o.get(), "units", "1");
        h5::text_attribute(h.get(), "units", "1");
        for (hid_t d : {o.get(), h.get()})
            check(H5DSattach_scale(d, corridors.scales[core::Axis::corridor].get(), 0), "attach corridor");
    }
    const auto& all = core::output_variables();
    for (std::size_t i = 0; i < all.size(); ++i)
        if (m.groups.count(all[i].group)) m.add_variable(i, all[i]);
}

void Hdf5Writer::append(const core::MonthRecord& record) {
    const h5::Lock lock(h5::library_mutex());
    Impl& m = *impl_;
    const double day = static_cast<double>(core::days_between(m.layout.start, record.date));
    for (auto& [name, g] : m.groups) {
        const hsize_t n = m.months + 1;
        check(H5Dset_extent(g.time.get(), &n), "extend time");
        h5::write_row(g.time.get(), m.months, 0, &day);
    }
    for (auto& v : m.vars) {
        const auto& values = record.values[v.index];
        const std::size_t width = v.width == 0 ? 1 : v.width;
        if (values.size() != width)
            throw IoError(std::string("record has the wrong size for ") +
                          core::output_variables()[v.index].name);
        const hsize_t dims[2] = {m.months + 1, v.width};
        check(H5Dset_extent(v.ds.get(), dims), "extending " + partial_);
        h5::write_row(v.ds.get(), m.months, v.width, values.data());
    }
    ++m.months;
}

void Hdf5Writer::finish(const std::map<std::string, double>& attributes) {
    const h5::Lock lock(h5::library_mutex());
    Impl& m = *impl_;
    for (const auto& [k, v] : attributes)
        h5::double_attribute(m.file.get(), k, v);
    h5::text_attribute(m.file.get(), "status", "complete");
    check(H5Fflush(m.file.get(), H5F_SCOPE_GLOBAL), "writing " + partial_);
    m.vars.clear();
    m.groups.clear();
    if (H5Fclose(m.file.release()) < 0) throw IoError("HDF5: closing " + partial_ + " failed");
    const int fd = ::open(partial_.c_str(), O_RDONLY);
    if (fd < 0 || ::fsync(fd) != 0) {
        if (fd >= 0) ::close(fd);
        throw IoError("cannot sync " + partial_);
    }
    ::close(fd);
    if (std::rename(partial_.c_str(), path_.c_str()) != 0)
        throw IoError("cannot rename " + partial_ + " to " + path_);
    const auto slash = path_.find_last_of('/');
    const std::string dir = slash == std::string::npos ? "." : path_.substr(0, slash + 1);
    const int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY);
    if (dfd >= 0) {
        ::fsync(dfd);
        ::close(dfd);
    }
    finished_ = true;
}

void keep_hdf5_from_closing_at_exit() {
    const h5::Lock lock(h5::library_mutex());
    H5dont_atexit();
}

Hdf5Writer::~Hdf5Writer() {
    if (finished_) return;
    const h5::Lock lock(h5::library_mutex());
    impl_.reset(); // closes every handle, ignoring errors
    std::remove(partial_.c_str());
}

} // namespace bridges::io
