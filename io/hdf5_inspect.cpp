// bridges inspect: the metadata, dimensions and variables of an output file.

#include "core/base/errors.hpp"
#include "io/hdf5.hpp"
#include "io/hdf5_writer.hpp"

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
using h5::read_text_attribute;

/// HDF5 iteration callback (attributes or links) that appends each name to a vector.
template <class Info> herr_t collect_name(hid_t, const char* name, const Info*, void* names) {
    static_cast<std::vector<std::string>*>(names)->emplace_back(name);
    return 0;
}

/// Names in creation order where the file tracks it (Bridges' files do), else in name order.
std::vector<std::string> attribute_names(const H5::H5Object& obj) {
    std::vector<std::string> names;
    if (H5Aiterate2(obj.getId(), H5_INDEX_CRT_ORDER, H5_ITER_INC, nullptr, collect_name<H5A_info_t>,
                    &names) >= 0)
        return names;
    H5Eclear2(H5E_DEFAULT);
    names.clear();
    check(H5Aiterate2(obj.getId(), H5_INDEX_NAME, H5_ITER_INC, nullptr, collect_name<H5A_info_t>, &names),
          "listing attributes");
    return names;
}

std::vector<std::string> link_names(const H5::Group& group) {
    std::vector<std::string> names;
    if (H5Literate(group.getId(), H5_INDEX_CRT_ORDER, H5_ITER_INC, nullptr, collect_name<H5L_info_t>,
                   &names) >= 0)
        return names;
    H5Eclear2(H5E_DEFAULT);
    names.clear();
    check(H5Literate(group.getId(), H5_INDEX_NAME, H5_ITER_INC, nullptr, collect_name<H5L_info_t>, &names),
          "listing variables");
    return names;
}

/// The name of dimension d's scale of `ds` ("" if none).
std::string dimension_label(const H5::DataSet& ds, int d) {
    char label[256] = "";
    const hid_t id = ds.getId();
    if (check(H5DSis_scale(id), "dimension scale") > 0) {
        check(H5DSget_scale_name(id, label, sizeof label), "scale name");
    } else if (check(H5DSget_num_scales(id, static_cast<unsigned>(d)), "dimension scales") > 0) {
        check(H5DSiterate_scales(
                  id, static_cast<unsigned>(d), nullptr,
                  [](hid_t, unsigned, hid_t s, void* data) -> herr_t {
                      return H5DSget_scale_name(s, static_cast<char*>(data), 256) < 0 ? -1 : 1;
                  },
                  label),
              "dimension scale name");
    }
    return label;
}

void describe_group(const H5::H5File& file, const std::string& name, std::ostream& out) {
    if (!file.nameExists(name)) return;
    const H5::Group g = file.openGroup(name);
    out << "\n/" << name << "\n";
    for (const auto& v : link_names(g)) {
        const H5::DataSet ds = g.openDataSet(v);
        const H5::DataSpace space = ds.getSpace();
        const int rank = space.getSimpleExtentNdims();
        if (rank > kMaxOutputRank)
            throw DataError("/" + name + "/" + v + " has " + std::to_string(rank) +
                            " dimensions; a variable of a Bridges output has at most " +
                            std::to_string(kMaxOutputRank));
        std::vector<hsize_t> dims(static_cast<std::size_t>(std::max(rank, 1)), 0);
        if (space.getSimpleExtentDims(dims.data()) != rank)
            throw DataError("/" + name + "/" + v + ": its shape cannot be read");
        std::string shape;
        for (int d = 0; d < rank; ++d)
            shape += (d ? ", " : "") + dimension_label(ds, d) + "=" + std::to_string(dims[d]);
        const std::string units = read_text_attribute(ds, "units");
        out << "  " << v << "(" << shape << ")" << (units.empty() ? "" : "  [" + units + "]");
        const std::string ln = read_text_attribute(ds, "long_name");
        if (!ln.empty()) out << "  " << ln;
        out << "\n";
    }
}

} // namespace

void inspect_output(const std::string& path, std::ostream& out) {
    const h5::Lock lock(h5::library_mutex());
    h5::silence_errors();
    if (!h5::is_hdf5(path)) throw DataError(path + ": not an HDF5 file (or cannot be read)");
    std::ostringstream text; // nothing is printed from a file that turns out to be unreadable
    h5::guarded("reading " + path, [&] {
        const H5::H5File file = h5::open_read_only(path);
        const H5::Group root = file.openGroup("/");
        text << path << "\n";
        for (const auto& a : attribute_names(root))
            text << "  " << a << " = " << read_text_attribute(root, a) << "\n";
        for (const char* g : {"global", "countries", "corridors"})
            describe_group(file, g, text);
    });
    out << text.str();
}

} // namespace bridges::io
