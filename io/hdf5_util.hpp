#pragma once
// The one place where HDF5 C calls are checked and turned into bridges::IoError, and where
// handles are owned. Used only by io/hdf5_*.cpp.

#include "core/base/errors.hpp"

#include <hdf5.h>
#include <hdf5_hl.h>

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <mutex>
#include <string>
#include <vector>

namespace bridges::io::h5 {

/// The serial HDF5 library is not thread-safe: every call of the project holds this lock, so
/// that the runs of a batch can write their files from several threads.
inline std::recursive_mutex& library_mutex() {
    static std::recursive_mutex m;
    return m;
}
using Lock = std::lock_guard<std::recursive_mutex>;

/// The outermost message on HDF5's error stack, followed by the operating system's reason when
/// a deeper entry gives one (a full disk: "... (No space left on device)"), or "".
inline std::string last_message() {
    std::vector<std::string> descs;
    H5Ewalk2(
        H5E_DEFAULT, H5E_WALK_DOWNWARD,
        [](unsigned, const H5E_error2_t* e, void* data) -> herr_t {
            if (e->desc) static_cast<std::vector<std::string>*>(data)->push_back(e->desc);
            return 0;
        },
        &descs);
    if (descs.empty()) return "";
    std::string msg = descs.front();
    const std::string key = "error message = '";
    for (const std::string& d : descs) {
        const auto at = d.find(key);
        if (at == std::string::npos) continue;
        const auto end = d.find('\'', at + key.size());
        msg += " (" + d.substr(at + key.size(), end == std::string::npos ? end : end - at - key.size()) + ")";
        break;
    }
    return msg;
}

template <class T> T check(T value, const std::string& what) {
    if (value < 0) {
        const std::string detail = last_message();
        H5Eclear2(H5E_DEFAULT);
        throw IoError("HDF5: " + what + " failed" + (detail.empty() ? "" : ": " + detail));
    }
    return value;
}

/// Stops HDF5 printing its error stack; the project reports errors itself.
inline void silence_errors() {
    H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
}

/// Owns an hid_t; closes it once, ignoring close errors (as destructors must).
class Handle {
  public:
    Handle() = default;
    Handle(hid_t id, herr_t (*closer)(hid_t), const std::string& what)
        : id_(check(id, what)), close_(closer) {}
    Handle(Handle&& o) noexcept : id_(o.id_), close_(o.close_) { o.id_ = -1; }
    Handle& operator=(Handle&& o) noexcept {
        if (this != &o) {
            close();
            id_ = o.id_;
            close_ = o.close_;
            o.id_ = -1;
        }
        return *this;
    }
    Handle(const Handle&) = delete;
    Handle& operator=(const Handle&) = delete;
    ~Handle() { close(); }
    void close() {
        if (id_ >= 0 && close_) close_(id_);
        id_ = -1;
    }
    [[nodiscard]] hid_t get() const { return id_; }
    /// Gives up ownership (the caller closes and checks).
    hid_t release() {
        const hid_t id = id_;
        id_ = -1;
        return id;
    }

  private:
    hid_t id_ = -1;
    herr_t (*close_)(hid_t) = nullptr;
};

inline Handle vlen_string_type() {
    Handle t(H5Tcopy(H5T_C_S1), H5Tclose, "string type");
    check(H5Tset_size(t.get(), H5T_VARIABLE), "string size");
    check(H5Tset_cset(t.get(), H5T_CSET_UTF8), "string charset");
    return t;
}

/// A scalar text attribute (fixed-length UTF-8), replacing any attribute of the same name.
inline void text_attribute(hid_t obj, const std::string& name, const std::string& value) {
    if (check(H5Aexists(obj, name.c_str()), "look up attribute " + name) > 0)
        check(H5Adelete(obj, name.c_str()), "delete attribute " + name);
    Handle type(H5Tcopy(H5T_C_S1), H5Tclose, "string type");
    check(H5Tset_size(type.get(), std::max<std::size_t>(1, value.size())), "string size");
    check(H5Tset_strpad(type.get(), H5T_STR_NULLPAD), "string pad");
    check(H5Tset_cset(type.get(), H5T_CSET_UTF8), "string charset");
    Handle space(H5Screate(H5S_SCALAR), H5Sclose, "scalar space");
    Handle a(H5Acreate2(obj, name.c_str(), type.get(), space.get(), H5P_DEFAULT, H5P_DEFAULT), H5Aclose,
             "attribute " + name);
    const std::string padded = value.empty() ? std::string(1, '\0') : value;
    check(H5Awrite(a.get(), type.get(), padded.data()), "write attribute " + name);
}

inline void int_attribute(hid_t obj, const std::string& name, std::int64_t value) {
    Handle space(H5Screate(H5S_SCALAR), H5Sclose, "scalar space");
    Handle a(H5Acreate2(obj, name.c_str(), H5T_NATIVE_INT64, space.get(), H5P_DEFAULT, H5P_DEFAULT), H5Aclose,
             "attribute " + name);
    check(H5Awrite(a.get(), H5T_NATIVE_INT64, &value), "write attribute " + name);
}

inline void double_attribute(hid_t obj, const std::string& name, double value) {
    if (check(H5Aexists(obj, name.c_str()), "look up attribute " + name) > 0)
        check(H5Adelete(obj, name.c_str()), "delete attribute " + name);
    Handle space(H5Screate(H5S_SCALAR), H5Sclose, "scalar space");
    Handle a(H5Acreate2(obj, name.c_str(), H5T_NATIVE_DOUBLE, space.get(), H5P_DEFAULT, H5P_DEFAULT),
             H5Aclose, "attribute " + name);
    check(H5Awrite(a.get(), H5T_NATIVE_DOUBLE, &value), "write attribute " + name);
}

/// A scalar variable-length string dataset (texts too long for an attribute).
inline void scalar_string_dataset(hid_t parent, const std::string& name, const std::string& value) {
    Handle type = vlen_string_type();
    Handle space(H5Screate(H5S_SCALAR), H5Sclose, "scalar space");
    Handle ds(
        H5Dcreate2(parent, name.c_str(), type.get(), space.get(), H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT),
        H5Dclose, "dataset " + name);
    const char* p = value.c_str();
    check(H5Dwrite(ds.get(), type.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, &p), "write " + name);
}

/// A text (or integer) attribute as text; "" when absent.
inline std::string read_text_attribute(hid_t obj, const char* name) {
    if (check(H5Aexists(obj, name), std::string("look up attribute ") + name) == 0) return "";
    Handle a(H5Aopen(obj, name, H5P_DEFAULT), H5Aclose, name);
    Handle type(H5Aget_type(a.get()), H5Tclose, "attribute type");
    if (H5Tget_class(type.get()) == H5T_INTEGER) {
        std::int64_t v = 0;
        check(H5Aread(a.get(), H5T_NATIVE_INT64, &v), name);
        return std::to_string(v);
    }
    if (H5Tget_class(type.get()) == H5T_FLOAT) {
        double v = 0;
        check(H5Aread(a.get(), H5T_NATIVE_DOUBLE, &v), name);
        char text[32];
        const auto end = std::to_chars(text, text + sizeof text, v).ptr; // shortest exact form
        return std::string(text, end);
    }
    if (H5Tget_class(type.get()) != H5T_STRING) return "?";
    if (H5Tis_variable_str(type.get()) > 0) {
        char* p = nullptr;
        Handle mem = h5::vlen_string_type();
        check(H5Aread(a.get(), mem.get(), &p), name);
        std::string s = p ? p : "";
        H5free_memory(p);
        return s;
    }
    std::string s(H5Tget_size(type.get()), '\0');
    check(H5Aread(a.get(), type.get(), s.data()), name);
    return s.substr(0, s.find('\0'));
}

/// A numeric attribute; `fallback` when absent.
inline double read_double_attribute(hid_t obj, const char* name, double fallback) {
    if (check(H5Aexists(obj, name), std::string("look up attribute ") + name) == 0) return fallback;
    Handle a(H5Aopen(obj, name, H5P_DEFAULT), H5Aclose, name);
    double v = fallback;
    check(H5Aread(a.get(), H5T_NATIVE_DOUBLE, &v), name);
    return v;
}

/// A whole numeric dataset, row-major, with its dimensions.
inline std::vector<double> read_doubles(hid_t parent, const std::string& name,
                                        std::vector<hsize_t>* dims = nullptr) {
    Handle ds(H5Dopen2(parent, name.c_str(), H5P_DEFAULT), H5Dclose, "opening " + name);
    Handle space(H5Dget_space(ds.get()), H5Sclose, "dataspace");
    const int rank = check(H5Sget_simple_extent_ndims(space.get()), "rank of " + name);
    std::vector<hsize_t> d(static_cast<std::size_t>(rank));
    H5Sget_simple_extent_dims(space.get(), d.data(), nullptr);
    hsize_t n = 1;
    for (hsize_t x : d)
        n *= x;
    std::vector<double> v(n);
    if (n > 0)
        check(H5Dread(ds.get(), H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, v.data()),
              "reading " + name);
    if (dims) *dims = d;
    return v;
}

/// A 1-D dataset of variable-length strings.
inline std::vector<std::string> read_strings(hid_t parent, const std::string& name) {
    Handle ds(H5Dopen2(parent, name.c_str(), H5P_DEFAULT), H5Dclose, "opening " + name);
    Handle space(H5Dget_space(ds.get()), H5Sclose, "dataspace");
    hsize_t n = 0;
    H5Sget_simple_extent_dims(space.get(), &n, nullptr);
    std::vector<char*> ptrs(n, nullptr);
    Handle mem = vlen_string_type();
    if (n > 0)
        check(H5Dread(ds.get(), mem.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, ptrs.data()), "reading " + name);
    std::vector<std::string> out;
    for (char* p : ptrs) {
        out.emplace_back(p ? p : "");
        H5free_memory(p);
    }
    return out;
}

/// Property lists that track link and attribute creation order (netCDF needs both).
inline Handle creation_order_gcpl() {
    Handle p(H5Pcreate(H5P_GROUP_CREATE), H5Pclose, "group property list");
    check(H5Pset_link_creation_order(p.get(), H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED), "link order");
    check(H5Pset_attr_creation_order(p.get(), H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED),
          "attribute order");
    return p;
}

inline Handle dataset_plist(int rank, const hsize_t* chunk, int compression) {
    Handle p(H5Pcreate(H5P_DATASET_CREATE), H5Pclose, "dataset property list");
    check(H5Pset_attr_creation_order(p.get(), H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED),
          "attribute order");
    if (chunk) {
        check(H5Pset_chunk(p.get(), rank, chunk), "chunk");
        if (compression > 0) {
            check(H5Pset_shuffle(p.get()), "shuffle");
            check(H5Pset_deflate(p.get(), static_cast<unsigned>(compression)), "deflate");
        }
    }
    return p;
}

/// A new file (truncating any) with creation order tracked on the root group.
inline Handle create_file(const std::string& path) {
    Handle fcpl(H5Pcreate(H5P_FILE_CREATE), H5Pclose, "file property list");
    check(H5Pset_link_creation_order(fcpl.get(), H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED),
          "link order");
    check(H5Pset_attr_creation_order(fcpl.get(), H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED),
          "attribute order");
    return Handle(H5Fcreate(path.c_str(), H5F_ACC_TRUNC, fcpl.get(), H5P_DEFAULT), H5Fclose,
                  "creating " + path);
}

/// A fixed-size 1-D dataset holding `values`.
template <class T> Handle fixed_1d(hid_t parent, const char* name, hid_t type, const std::vector<T>& values) {
    const hsize_t n = values.size();
    Handle space(H5Screate_simple(1, &n, nullptr), H5Sclose, "dataspace");
    Handle dcpl = dataset_plist(1, nullptr, 0);
    Handle ds(H5Dcreate2(parent, name, type, space.get(), H5P_DEFAULT, dcpl.get(), H5P_DEFAULT), H5Dclose,
              name);
    if (n > 0) check(H5Dwrite(ds.get(), type, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()), name);
    return ds;
}

inline Handle strings_1d(hid_t parent, const char* name, const std::vector<std::string>& values) {
    std::vector<const char*> ptrs;
    for (const auto& v : values)
        ptrs.push_back(v.c_str());
    Handle type = vlen_string_type();
    return fixed_1d(parent, name, type.get(), ptrs);
}

/// A dimension scale 0..n-1 named `name`.
inline Handle index_scale(hid_t parent, const char* name, std::size_t n, const char* long_name,
                          const char* units) {
    std::vector<std::int32_t> idx(n);
    for (std::size_t i = 0; i < n; ++i)
        idx[i] = static_cast<std::int32_t>(i);
    Handle ds = fixed_1d(parent, name, H5T_NATIVE_INT32, idx);
    check(H5DSset_scale(ds.get(), name), "dimension scale");
    text_attribute(ds.get(), "long_name", long_name);
    text_attribute(ds.get(), "units", units ? units : "1");
    return ds;
}

/// Writes row `row` of a (time) or (time, width) double dataset already extended to hold it.
inline void write_row(hid_t ds, hsize_t row, hsize_t width, const double* values) {
    Handle file_space(H5Dget_space(ds), H5Sclose, "dataspace");
    const hsize_t start[2] = {row, 0};
    const hsize_t count[2] = {1, width};
    check(H5Sselect_hyperslab(file_space.get(), H5S_SELECT_SET, start, nullptr, count, nullptr),
          "select row");
    const hsize_t n = width == 0 ? 1 : width;
    Handle mem(H5Screate_simple(1, &n, nullptr), H5Sclose, "memory space");
    check(H5Dwrite(ds, H5T_NATIVE_DOUBLE, mem.get(), file_space.get(), H5P_DEFAULT, values), "write row");
}

} // namespace bridges::io::h5
