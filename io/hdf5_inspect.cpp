// bridges inspect: the metadata, dimensions and variables of an output file, read through the HDF5
// C++ API (H5Cpp.h). The C API is called, through the objects' ids, only for what the C++ API
// lacks: iteration in creation order and dimension scales (H5DS).

#include "core/base/errors.hpp"
#include "io/hdf5_util.hpp"
#include "io/hdf5_writer.hpp"

#include <H5Cpp.h>
#include <hdf5_hl.h>

#include <algorithm>
#include <charconv>
#include <ostream>
#include <sstream>
#include <vector>

namespace bridges::io {

namespace {

/// The most dimensions a variable of an output file has (time and entity); a dataset with more
/// was not written by Bridges, and the file is refused rather than described.
constexpr int kMaxOutputRank = 2;

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
    h5::check(H5Aiterate2(obj.getId(), H5_INDEX_NAME, H5_ITER_INC, nullptr, collect_name<H5A_info_t>, &names),
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
    h5::check(
        H5Literate(group.getId(), H5_INDEX_NAME, H5_ITER_INC, nullptr, collect_name<H5L_info_t>, &names),
        "listing variables");
    return names;
}

/// An attribute's value as text: strings as they are, numbers in full; "?" for other types.
std::string attribute_text(const H5::H5Object& obj, const std::string& name) {
    const H5::Attribute a = obj.openAttribute(name);
    switch (a.getTypeClass()) {
    case H5T_INTEGER: {
        std::int64_t v = 0;
        a.read(H5::PredType::NATIVE_INT64, &v);
        return std::to_string(v);
    }
    case H5T_FLOAT: {
        double v = 0;
        a.read(H5::PredType::NATIVE_DOUBLE, &v);
        char text[32];
        const auto end = std::to_chars(text, text + sizeof text, v).ptr; // shortest exact form
        return std::string(text, end);
    }
    case H5T_STRING: {
        std::string s;
        a.read(a.getStrType(), s);
        return s.substr(0, s.find('\0'));
    }
    default:
        return "?";
    }
}

/// The name of dimension d's scale of `ds` ("" if none).
std::string dimension_label(const H5::DataSet& ds, int d) {
    char label[256] = "";
    const hid_t id = ds.getId();
    if (H5DSis_scale(id) > 0) {
        H5DSget_scale_name(id, label, sizeof label);
    } else if (H5DSget_num_scales(id, static_cast<unsigned>(d)) > 0) {
        H5DSiterate_scales(
            id, static_cast<unsigned>(d), nullptr,
            [](hid_t, unsigned, hid_t s, void* data) -> herr_t {
                H5DSget_scale_name(s, static_cast<char*>(data), 256);
                return 1;
            },
            label);
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
        space.getSimpleExtentDims(dims.data());
        std::string shape;
        for (int d = 0; d < rank; ++d)
            shape += (d ? ", " : "") + dimension_label(ds, d) + "=" + std::to_string(dims[d]);
        const std::string units = ds.attrExists("units") ? attribute_text(ds, "units") : "";
        out << "  " << v << "(" << shape << ")" << (units.empty() ? "" : "  [" + units + "]");
        if (ds.attrExists("long_name")) out << "  " << attribute_text(ds, "long_name");
        out << "\n";
    }
}

} // namespace

void inspect_output(const std::string& path, std::ostream& out) {
    const h5::Lock lock(h5::library_mutex());
    h5::silence_errors();
    H5::Exception::dontPrint();
    if (H5Fis_hdf5(path.c_str()) <= 0) throw DataError(path + ": not an HDF5 file (or cannot be read)");
    try {
        const H5::H5File file(path, H5F_ACC_RDONLY);
        const H5::Group root = file.openGroup("/");
        std::ostringstream text; // nothing is printed from a file that turns out to be unreadable
        text << path << "\n";
        for (const auto& a : attribute_names(root))
            text << "  " << a << " = " << attribute_text(root, a) << "\n";
        for (const char* g : {"global", "countries", "corridors"})
            describe_group(file, g, text);
        out << text.str();
    } catch (const H5::Exception& e) {
        H5Eclear2(H5E_DEFAULT);
        throw DataError(path + ": cannot be read as a Bridges output (HDF5: " + e.getFuncName() + ": " +
                        e.getDetailMsg() + ")");
    }
}

} // namespace bridges::io
