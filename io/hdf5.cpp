#include "io/hdf5.hpp"

#include <algorithm>
#include <charconv>

namespace bridges::io::h5 {

namespace {

constexpr unsigned kCreationOrder = H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED;

/// HDF5 allocates a memory file in steps of this many bytes.
constexpr std::size_t kMemoryFileIncrement = std::size_t{1} << 16;

} // namespace

std::recursive_mutex& library_mutex() {
    static std::recursive_mutex m;
    return m;
}

void silence_errors() {
    H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
    H5::Exception::dontPrint();
}

std::string last_message() {
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

void rethrow(const H5::Exception& e, const std::string& what) {
    std::string detail = last_message();
    H5Eclear2(H5E_DEFAULT);
    if (detail.empty()) detail = e.getDetailMsg();
    throw IoError("HDF5: " + what + " failed" + (detail.empty() ? "" : ": " + detail));
}

H5::StrType text_type(std::size_t size) {
    H5::StrType t(H5::PredType::C_S1, size);
    t.setCset(H5T_CSET_UTF8);
    if (size != H5T_VARIABLE) t.setStrpad(H5T_STR_NULLPAD);
    return t;
}

void text_attribute(const H5::H5Object& obj, const std::string& name, const std::string& value) {
    if (obj.attrExists(name)) obj.removeAttr(name);
    const H5::StrType type = text_type(std::max<std::size_t>(1, value.size()));
    const H5::Attribute a = obj.createAttribute(name, type, H5::DataSpace(H5S_SCALAR));
    const std::string padded = value.empty() ? std::string(1, '\0') : value;
    a.write(type, padded.data());
}

void int_attribute(const H5::H5Object& obj, const std::string& name, std::int64_t value) {
    obj.createAttribute(name, H5::PredType::NATIVE_INT64, H5::DataSpace(H5S_SCALAR))
        .write(H5::PredType::NATIVE_INT64, &value);
}

void double_attribute(const H5::H5Object& obj, const std::string& name, double value) {
    if (obj.attrExists(name)) obj.removeAttr(name);
    obj.createAttribute(name, H5::PredType::NATIVE_DOUBLE, H5::DataSpace(H5S_SCALAR))
        .write(H5::PredType::NATIVE_DOUBLE, &value);
}

std::string read_text_attribute(const H5::H5Object& obj, const std::string& name) {
    if (!obj.attrExists(name)) return "";
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

double read_double_attribute(const H5::H5Object& obj, const std::string& name, double fallback) {
    if (!obj.attrExists(name)) return fallback;
    double v = fallback;
    obj.openAttribute(name).read(H5::PredType::NATIVE_DOUBLE, &v);
    return v;
}

H5::Group create_group(const H5::Group& parent, const std::string& name) {
    H5::PropList gcpl(H5P_GROUP_CREATE);
    check(H5Pset_link_creation_order(gcpl.getId(), kCreationOrder), "link order of " + name);
    check(H5Pset_attr_creation_order(gcpl.getId(), kCreationOrder), "attribute order of " + name);
    return adopt<H5::Group>(H5Gcreate2(parent.getId(), name.c_str(), H5P_DEFAULT, gcpl.getId(), H5P_DEFAULT),
                            "group " + name);
}

H5::DSetCreatPropList dataset_plist(int rank, const hsize_t* chunk, int compression) {
    H5::DSetCreatPropList p;
    p.setAttrCrtOrder(kCreationOrder);
    if (chunk) {
        p.setChunk(rank, chunk);
        if (compression > 0) {
            p.setShuffle();
            p.setDeflate(compression);
        }
    }
    return p;
}

void scalar_string_dataset(const H5::Group& parent, const std::string& name, const std::string& value) {
    const H5::StrType type = text_type(H5T_VARIABLE);
    const H5::DataSet ds = parent.createDataSet(name, type, H5::DataSpace(H5S_SCALAR));
    const char* p = value.c_str();
    ds.write(&p, type);
}

H5::DataSet strings_1d(const H5::Group& parent, const std::string& name,
                       const std::vector<std::string>& values) {
    std::vector<const char*> ptrs;
    ptrs.reserve(values.size());
    for (const auto& v : values)
        ptrs.push_back(v.c_str());
    return fixed_1d(parent, name, text_type(H5T_VARIABLE), ptrs);
}

H5::DataSet index_scale(const H5::Group& parent, const std::string& name, std::size_t n,
                        const char* long_name, const char* units) {
    std::vector<std::int32_t> idx(n);
    for (std::size_t i = 0; i < n; ++i)
        idx[i] = static_cast<std::int32_t>(i);
    H5::DataSet ds = fixed_1d(parent, name, H5::PredType::NATIVE_INT32, idx);
    check(H5DSset_scale(ds.getId(), name.c_str()), "dimension scale " + name);
    text_attribute(ds, "long_name", long_name);
    text_attribute(ds, "units", units ? units : "1");
    return ds;
}

void attach_scale(const H5::DataSet& ds, const H5::DataSet& scale, unsigned dim) {
    check(H5DSattach_scale(ds.getId(), scale.getId(), dim), "attaching a dimension scale");
}

void coordinate(const H5::DataSet& ds, const H5::DataSet& scale, const std::string& long_name) {
    text_attribute(ds, "long_name", long_name);
    text_attribute(ds, "units", "1");
    attach_scale(ds, scale, 0);
}

void write_row(const H5::DataSet& ds, hsize_t row, hsize_t width, const double* values) {
    const H5::DataSpace file_space = ds.getSpace();
    const hsize_t start[2] = {row, 0};
    const hsize_t count[2] = {1, width};
    file_space.selectHyperslab(H5S_SELECT_SET, count, start);
    const hsize_t n = width == 0 ? 1 : width;
    ds.write(values, H5::PredType::NATIVE_DOUBLE, H5::DataSpace(1, &n), file_space);
}

std::vector<double> read_doubles(const H5::Group& parent, const std::string& name,
                                 std::vector<hsize_t>* dims) {
    const H5::DataSet ds = parent.openDataSet(name);
    const H5::DataSpace space = ds.getSpace();
    std::vector<hsize_t> d(static_cast<std::size_t>(space.getSimpleExtentNdims()));
    space.getSimpleExtentDims(d.data());
    hsize_t n = 1;
    for (hsize_t x : d)
        n *= x;
    std::vector<double> v(n);
    if (n > 0) ds.read(v.data(), H5::PredType::NATIVE_DOUBLE);
    if (dims) *dims = d;
    return v;
}

std::vector<std::string> read_strings(const H5::Group& parent, const std::string& name) {
    const H5::DataSet ds = parent.openDataSet(name);
    const H5::DataSpace space = ds.getSpace();
    if (space.getSimpleExtentNdims() != 1) throw IoError("HDF5: " + name + " is not a 1-D dataset");
    hsize_t n = 0;
    space.getSimpleExtentDims(&n);
    std::vector<char*> ptrs(n, nullptr);
    if (n > 0) ds.read(ptrs.data(), text_type(H5T_VARIABLE));
    std::vector<std::string> out;
    out.reserve(n);
    for (char* p : ptrs) {
        out.emplace_back(p ? p : "");
        H5free_memory(p);
    }
    return out;
}

bool is_hdf5(const std::string& path) {
    try {
        return H5::H5File::isHdf5(path);
    } catch (const H5::Exception&) { // a missing or unreadable file
        H5Eclear2(H5E_DEFAULT);
        return false;
    }
}

H5::H5File open_read_only(const std::string& path) {
    return H5::H5File(path, H5F_ACC_RDONLY);
}

namespace {

H5::FileCreatPropList creation_order_fcpl() {
    H5::FileCreatPropList p;
    check(H5Pset_link_creation_order(p.getId(), kCreationOrder), "link order");
    check(H5Pset_attr_creation_order(p.getId(), kCreationOrder), "attribute order");
    return p;
}

H5::FileAccPropList in_memory_fapl() {
    H5::FileAccPropList p;
    p.setCore(kMemoryFileIncrement, false);
    return p;
}

} // namespace

MemoryFile::MemoryFile(const std::string& name)
    : file_(name, H5F_ACC_TRUNC, creation_order_fcpl(), in_memory_fapl()) {}

std::string MemoryFile::image() const {
    file_.flush(H5F_SCOPE_LOCAL);
    const ssize_t n = check(H5Fget_file_image(file_.getId(), nullptr, 0), "size of the file image");
    std::string bytes(static_cast<std::size_t>(n), '\0');
    check(H5Fget_file_image(file_.getId(), bytes.data(), bytes.size()), "file image");
    return bytes;
}

} // namespace bridges::io::h5
