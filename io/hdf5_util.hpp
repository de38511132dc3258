#pragma once
// The one place where HDF5 C calls are checked and turned into bridges::IoError, and where
// handles are owned. Used only by io/hdf5_*.cpp.

#include "core/errors.hpp"

#include <hdf5.h>

#include <algorithm>
#include <cstdint>
#include <string>

namespace bridges::io::h5 {

/// The innermost message on HDF5's error stack, or "".
inline std::string last_message() {
    std::string msg;
    H5Ewalk2(
        H5E_DEFAULT, H5E_WALK_DOWNWARD,
        [](unsigned n, const H5E_error2_t* e, void* data) -> herr_t {
            if (n == 0 && e->desc) *static_cast<std::string*>(data) = e->desc;
            return 0;
        },
        &msg);
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
    if (H5Aexists(obj, name.c_str()) > 0) check(H5Adelete(obj, name.c_str()), "delete attribute " + name);
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
