#pragma once
// HDF5 for the files of io/ (run output, batch index, inspect), through the library's C++ API
// (H5Cpp.h). The C API is called, through the C++ objects' ids, only for what the C++ API lacks:
// creation order of links, dimension scales (H5DS), external links, file images and iteration in
// creation order. Every HDF5 call holds one lock; every failure becomes a bridges::IoError.
//
// Files are written in memory (MemoryFile) and saved whole by the project: HDF5 never writes to
// disk itself. HDF5 1.10 cannot recover from a file it failed to close (a full disk, a quota): its
// exit handler, which the C++ library always installs, would free that file again and crash.

#include "core/base/errors.hpp"

#include <H5Cpp.h>
#include <hdf5_hl.h>

#include <cstdint>
#include <mutex>
#include <string>
#include <vector>

namespace bridges::io::h5 {

/// The serial HDF5 library is not thread-safe: every HDF5 call of the project holds this lock,
/// so that the runs of a batch can write their files from several threads.
std::recursive_mutex& library_mutex();
using Lock = std::lock_guard<std::recursive_mutex>;

/// Stops HDF5 printing its error stack (the C and the C++ API); the project reports errors itself.
void silence_errors();

/// The outermost message on HDF5's error stack, followed by the operating system's reason when
/// a deeper entry gives one, or "".
std::string last_message();

/// Throws IoError("HDF5: <what> failed: <detail>") for a failed C call (a negative result).
template <class T> T check(T value, const std::string& what) {
    if (value < 0) {
        const std::string detail = last_message();
        H5Eclear2(H5E_DEFAULT);
        throw IoError("HDF5: " + what + " failed" + (detail.empty() ? "" : ": " + detail));
    }
    return value;
}

/// An H5::Exception as an IoError naming `what`.
[[noreturn]] void rethrow(const H5::Exception& e, const std::string& what);

/// Runs `f`, turning an H5::Exception into an IoError naming `what`.
template <class F> decltype(auto) guarded(const std::string& what, F&& f) {
    try {
        return f();
    } catch (const H5::Exception& e) {
        rethrow(e, what);
    }
}

/// The C++ object for an id returned by a C call, holding its only reference.
template <class T> T adopt(hid_t id, const std::string& what) {
    check(id, what);
    T object(id); // takes a reference of its own
    H5Idec_ref(id);
    return object;
}

/// Fixed-length UTF-8 text of `size` bytes, or variable-length with H5T_VARIABLE.
H5::StrType text_type(std::size_t size);

// -- attributes ---------------------------------------------------------------------------------
/// A scalar text attribute (fixed-length UTF-8), replacing any attribute of the same name.
void text_attribute(const H5::H5Object& obj, const std::string& name, const std::string& value);
void int_attribute(const H5::H5Object& obj, const std::string& name, std::int64_t value);
/// A scalar double attribute, replacing any attribute of the same name.
void double_attribute(const H5::H5Object& obj, const std::string& name, double value);
/// An attribute's value as text: strings as they are, numbers in full (floating point in its
/// shortest exact form); "?" for other types; "" when absent.
std::string read_text_attribute(const H5::H5Object& obj, const std::string& name);
/// A numeric attribute; `fallback` when absent.
double read_double_attribute(const H5::H5Object& obj, const std::string& name, double fallback);

// -- groups and datasets ------------------------------------------------------------------------
/// A group tracking the creation order of its links and attributes (netCDF needs both).
H5::Group create_group(const H5::Group& parent, const std::string& name);

/// Creation properties of a dataset: attribute order tracked; chunked and, with compression
/// above 0, shuffled and deflated when `chunk` is given.
H5::DSetCreatPropList dataset_plist(int rank, const hsize_t* chunk, int compression);

/// A scalar variable-length string dataset (texts too long for an attribute).
void scalar_string_dataset(const H5::Group& parent, const std::string& name, const std::string& value);

/// A fixed-size 1-D dataset holding `values` (of the memory type `type`).
template <class T>
H5::DataSet fixed_1d(const H5::Group& parent, const std::string& name, const H5::DataType& type,
                     const std::vector<T>& values) {
    const hsize_t n = values.size();
    const H5::DataSpace space(1, &n);
    H5::DataSet ds = parent.createDataSet(name, type, space, dataset_plist(1, nullptr, 0));
    if (n > 0) ds.write(values.data(), type);
    return ds;
}

/// A 1-D dataset of variable-length strings.
H5::DataSet strings_1d(const H5::Group& parent, const std::string& name,
                       const std::vector<std::string>& values);

/// A dimension scale 0..n-1 named `name`, with its long name and units ("1" when null).
H5::DataSet index_scale(const H5::Group& parent, const std::string& name, std::size_t n,
                        const char* long_name, const char* units);

/// Attaches `scale` to dimension `dim` of `ds`.
void attach_scale(const H5::DataSet& ds, const H5::DataSet& scale, unsigned dim);

/// A 1-D coordinate along `scale` (country_code, corridor_origin): its long name, units "1", and
/// the scale attached to its dimension.
void coordinate(const H5::DataSet& ds, const H5::DataSet& scale, const std::string& long_name);

/// Writes row `row` of a (time) or (time, width) double dataset already extended to hold it.
void write_row(const H5::DataSet& ds, hsize_t row, hsize_t width, const double* values);

/// A whole numeric dataset, row-major, with its dimensions.
std::vector<double> read_doubles(const H5::Group& parent, const std::string& name,
                                 std::vector<hsize_t>* dims = nullptr);
/// A 1-D dataset of strings.
std::vector<std::string> read_strings(const H5::Group& parent, const std::string& name);

// -- files --------------------------------------------------------------------------------------
/// Whether `path` is an HDF5 file that can be opened (false for a missing or foreign file).
bool is_hdf5(const std::string& path);

/// Opens an existing file for reading.
H5::H5File open_read_only(const std::string& path);

/// A new HDF5 file held in memory (HDF5's core driver without a backing store), tracking the
/// creation order of the root's links and attributes. Nothing reaches the disk until the caller
/// writes image().
class MemoryFile {
  public:
    /// `name` identifies the file within HDF5 (two open memory files need different names).
    explicit MemoryFile(const std::string& name);
    [[nodiscard]] const H5::H5File& file() const { return file_; }
    /// Flushes and returns the bytes of the whole file.
    [[nodiscard]] std::string image() const;

  private:
    H5::H5File file_;
};

} // namespace bridges::io::h5
