// bridges inspect: the metadata, dimensions and variables of an output file.

#include "core/base/errors.hpp"
#include "io/hdf5_util.hpp"
#include "io/hdf5_writer.hpp"

#include <hdf5_hl.h>

#include <algorithm>
#include <ostream>
#include <sstream>
#include <vector>

namespace bridges::io {

namespace {

/// The most dimensions a variable of an output file has (time and entity); a dataset with more
/// was not written by Bridges, and the file is refused rather than described.
constexpr int kMaxOutputRank = 2;

using h5::check;
using h5::Handle;
using h5::read_text_attribute;

/// HDF5 iteration callback (attributes or links) that appends each name to a vector.
template <class Info> herr_t collect_name(hid_t, const char* name, const Info*, void* names) {
    static_cast<std::vector<std::string>*>(names)->emplace_back(name);
    return 0;
}

/// Names in creation order where the file tracks it (Bridges' files do), else in name order.
std::vector<std::string> attribute_names(hid_t obj) {
    std::vector<std::string> names;
    if (H5Aiterate2(obj, H5_INDEX_CRT_ORDER, H5_ITER_INC, nullptr, collect_name<H5A_info_t>, &names) >= 0)
        return names;
    H5Eclear2(H5E_DEFAULT);
    names.clear();
    check(H5Aiterate2(obj, H5_INDEX_NAME, H5_ITER_INC, nullptr, collect_name<H5A_info_t>, &names),
          "listing attributes");
    return names;
}

std::vector<std::string> link_names(hid_t group) {
    std::vector<std::string> names;
    if (H5Literate(group, H5_INDEX_CRT_ORDER, H5_ITER_INC, nullptr, collect_name<H5L_info_t>, &names) >= 0)
        return names;
    H5Eclear2(H5E_DEFAULT);
    names.clear();
    check(H5Literate(group, H5_INDEX_NAME, H5_ITER_INC, nullptr, collect_name<H5L_info_t>, &names),
          "listing variables");
    return names;
}

void describe_group(hid_t file, const std::string& name, std::ostream& out) {
    if (check(H5Lexists(file, name.c_str(), H5P_DEFAULT), "looking up /" + name) == 0) return;
    Handle g(H5Gopen2(file, name.c_str(), H5P_DEFAULT), H5Gclose, name);
    out << "\n/" << name << "\n";
    for (const auto& v : link_names(g.get())) {
        Handle ds(H5Dopen2(g.get(), v.c_str(), H5P_DEFAULT), H5Dclose, v);
        Handle space(H5Dget_space(ds.get()), H5Sclose, "space");
        const int rank = check(H5Sget_simple_extent_ndims(space.get()), "rank of " + name + "/" + v);
        if (rank > kMaxOutputRank)
            throw DataError("/" + name + "/" + v + " has " + std::to_string(rank) +
                            " dimensions; a variable of a Bridges output has at most " +
                            std::to_string(kMaxOutputRank));
        std::vector<hsize_t> dims(static_cast<std::size_t>(std::max(rank, 1)), 0);
        if (check(H5Sget_simple_extent_dims(space.get(), dims.data(), nullptr),
                  "shape of " + name + "/" + v) != rank)
            throw DataError("/" + name + "/" + v + ": its shape cannot be read");
        std::string shape;
        for (int d = 0; d < rank; ++d) {
            char label[256] = "";
            if (H5DSget_num_scales(ds.get(), static_cast<unsigned>(d)) > 0 || H5DSis_scale(ds.get()) > 0) {
                if (H5DSis_scale(ds.get()) > 0)
                    H5DSget_scale_name(ds.get(), label, sizeof label);
                else {
                    H5DSiterate_scales(
                        ds.get(), static_cast<unsigned>(d), nullptr,
                        [](hid_t, unsigned, hid_t s, void* data) -> herr_t {
                            H5DSget_scale_name(s, static_cast<char*>(data), 256);
                            return 1;
                        },
                        label);
                }
            }
            shape += (d ? ", " : "") + std::string(label) + "=" + std::to_string(dims[d]);
        }
        const std::string units = read_text_attribute(ds.get(), "units");
        out << "  " << v << "(" << shape << ")" << (units.empty() ? "" : "  [" + units + "]");
        const std::string ln = read_text_attribute(ds.get(), "long_name");
        if (!ln.empty()) out << "  " << ln;
        out << "\n";
    }
}

} // namespace

void inspect_output(const std::string& path, std::ostream& out) {
    const h5::Lock lock(h5::library_mutex());
    h5::silence_errors();
    if (H5Fis_hdf5(path.c_str()) <= 0) throw DataError(path + ": not an HDF5 file (or cannot be read)");
    Handle file(H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), H5Fclose, "opening " + path);
    std::ostringstream text; // nothing is printed from a file that turns out to be unreadable
    text << path << "\n";
    for (const auto& a : attribute_names(file.get()))
        text << "  " << a << " = " << read_text_attribute(file.get(), a.c_str()) << "\n";
    for (const char* g : {"global", "countries", "corridors"})
        describe_group(file.get(), g, text);
    out << text.str();
}

} // namespace bridges::io
