#include "io/hdf5_writer.hpp"

#include "core/errors.hpp"
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

    Handle creation_order_gcpl() {
        Handle p(H5Pcreate(H5P_GROUP_CREATE), H5Pclose, "group property list");
        check(H5Pset_link_creation_order(p.get(), H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED),
              "link order");
        check(H5Pset_attr_creation_order(p.get(), H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED),
              "attribute order");
        return p;
    }

    Handle dataset_plist(int rank, const hsize_t* chunk) {
        Handle p(H5Pcreate(H5P_DATASET_CREATE), H5Pclose, "dataset property list");
        check(H5Pset_attr_creation_order(p.get(), H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED),
              "attribute order");
        if (chunk) {
            check(H5Pset_chunk(p.get(), rank, chunk), "chunk");
            if (layout.compression > 0) {
                check(H5Pset_shuffle(p.get()), "shuffle");
                check(H5Pset_deflate(p.get(), static_cast<unsigned>(layout.compression)), "deflate");
            }
        }
        return p;
    }

    template <class T>
    Handle fixed_1d(hid_t parent, const char* name, hid_t type, const std::vector<T>& values) {
        const hsize_t n = values.size();
        Handle space(H5Screate_simple(1, &n, nullptr), H5Sclose, "dataspace");
        Handle dcpl = dataset_plist(1, nullptr);
        Handle ds(H5Dcreate2(parent, name, type, space.get(), H5P_DEFAULT, dcpl.get(), H5P_DEFAULT), H5Dclose,
                  name);
        if (n > 0) check(H5Dwrite(ds.get(), type, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()), name);
        return ds;
    }

    Handle strings_1d(hid_t parent, const char* name, const std::vector<std::string>& values) {
        std::vector<const char*> ptrs;
        for (const auto& v : values)
            ptrs.push_back(v.c_str());
        Handle type = h5::vlen_string_type();
        return fixed_1d(parent, name, type.get(), ptrs);
    }

    Handle scale(hid_t parent, const char* name, std::size_t n, const char* long_name, const char* units) {
        std::vector<std::int32_t> idx(n);
        for (std::size_t i = 0; i < n; ++i)
            idx[i] = static_cast<std::int32_t>(i);
        Handle ds = fixed_1d(parent, name, H5T_NATIVE_INT32, idx);
        check(H5DSset_scale(ds.get(), name), "dimension scale");
        h5::text_attribute(ds.get(), "long_name", long_name);
        h5::text_attribute(ds.get(), "units", units ? units : "1");
        return ds;
    }

    Group make_group(const std::string& name) {
        Group g;
        Handle gcpl = creation_order_gcpl();
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

Hdf5Writer::Hdf5Writer(const std::string& path, const OutputLayout& layout, const RunMetadata& meta)
    : impl_(std::make_unique<Impl>()), path_(path), partial_(path + ".partial") {
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
    Handle fcpl(H5Pcreate(H5P_FILE_CREATE), H5Pclose, "file property list");
    check(H5Pset_link_creation_order(fcpl.get(), H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED),
          "link order");
    check(H5Pset_attr_creation_order(fcpl.get(), H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED),
          "attribute order");
    m.file = Handle(H5Fcreate(partial_.c_str(), H5F_ACC_TRUNC, fcpl.get(), H5P_DEFAULT), H5Fclose,
                    ("creating " + partial_).c_str());
    for (const auto& [k, v] : meta.text)
        h5::text_attribute(m.file.get(), k, v);
    for (const auto& [k, v] : meta.integers)
        h5::int_attribute(m.file.get(), k, v);
    h5::text_attribute(m.file.get(), "status", "running");
    h5::scalar_string_dataset(m.file.get(), "scenario", meta.scenario_text);
    h5::scalar_string_dataset(m.file.get(), "scenario_resolved", meta.scenario_resolved);

    auto& global = m.groups["global"] = m.make_group("global");
    global.scales[core::Axis::years_abroad] = m.scale(global.id.get(), "years_abroad", core::kYearBins,
                                                      "whole years abroad (last bin: 40 and more)", "years");
    auto& countries = m.groups["countries"] = m.make_group("countries");
    countries.scales[core::Axis::country] =
        m.scale(countries.id.get(), "country", layout.country_code.size(), "country index", nullptr);
    {
        Handle code = m.strings_1d(countries.id.get(), "country_code", layout.country_code);
        Handle name = m.strings_1d(countries.id.get(), "country_name", layout.country_name);
        h5::text_attribute(code.get(), "long_name", "ISO 3166-1 alpha-3 code");
        h5::text_attribute(name.get(), "long_name", "country name");
        h5::text_attribute(code.get(), "units", "1");
        h5::text_attribute(name.get(), "units", "1");
        for (hid_t d : {code.get(), name.get()})
            check(H5DSattach_scale(d, countries.scales[core::Axis::country].get(), 0), "attach country");
    }
    if (layout.corridors) {
        auto& corridors = m.groups["corridors"] = m.make_group("corridors");
        corridors.scales[core::Axis::corridor] =
            m.scale(corridors.id.get(), "corridor", layout.corridor_origin.size(), "corridor index", nullptr);
        Handle o =
            m.fixed_1d(corridors.id.get(), "corridor_origin", H5T_NATIVE_INT32, layout.corridor_origin);
        Handle h = m.fixed_1d(corridors.id.get(), "corridor_host", H5T_NATIVE_INT32, layout.corridor_host);
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
        check(H5Dset_extent(v.ds.get(), dims), "extend variable");
        h5::write_row(v.ds.get(), m.months, v.width, values.data());
    }
    ++m.months;
}

void Hdf5Writer::finish() {
    Impl& m = *impl_;
    h5::text_attribute(m.file.get(), "status", "complete");
    check(H5Fflush(m.file.get(), H5F_SCOPE_GLOBAL), "flush");
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

Hdf5Writer::~Hdf5Writer() {
    if (finished_) return;
    impl_.reset(); // closes every handle, ignoring errors
    std::remove(partial_.c_str());
}

} // namespace bridges::io
