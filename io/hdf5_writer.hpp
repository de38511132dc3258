#pragma once
// Writes a run to HDF5 (netCDF-4 compatible; docs/output.md) while it proceeds: one row per
// month appended to every variable of /global, /countries and /corridors of a file held in
// memory, which finish() writes whole to OUT.partial (created empty when the run starts), syncs
// and renames to OUT. HDF5 is called through io/hdf5.hpp, under one lock; failures become
// bridges::IoError.

#include "core/engine/metrics.hpp"
#include "core/world/world.hpp"

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace bridges::io {

struct RunMetadata {
    std::map<std::string, std::string> text;      // root string attributes
    std::map<std::string, std::int64_t> integers; // root integer attributes
    std::string scenario_text;                    // verbatim
    std::string scenario_resolved;                // resolved YAML
};

struct OutputLayout {
    core::YearMonth start;
    std::vector<std::string> country_code, country_name;
    std::vector<std::int32_t> corridor_origin, corridor_host;
    bool corridors = true;
    int compression = 4;
    static OutputLayout of(const core::World& w, core::YearMonth start, bool corridors, int compression);
};

class Hdf5Writer {
  public:
    /// Creates `partial` (default `path`.partial); throws IoError.
    Hdf5Writer(const std::string& path, const OutputLayout& layout, const RunMetadata& meta,
               const std::string& partial = "");
    ~Hdf5Writer(); // an unfinished file is closed and removed
    Hdf5Writer(const Hdf5Writer&) = delete;
    Hdf5Writer& operator=(const Hdf5Writer&) = delete;

    void append(const core::MonthRecord& record);
    /// Writes `attributes` on the root, marks the run complete, writes the file to the partial
    /// path, syncs it and renames it to the final path.
    void finish(const std::map<std::string, double>& attributes = {});
    [[nodiscard]] const std::string& partial_path() const { return partial_; }

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
    std::string path_, partial_;
    bool finished_ = false;
};

/// The most memory a run's output file takes while it is built: every value of every month,
/// uncompressed (compression makes the file several times smaller).
std::size_t estimate_output_bytes(const core::Scenario& s);

/// Prints the metadata, dimensions and variables of an output file (bridges inspect).
void inspect_output(const std::string& path, std::ostream& out);

} // namespace bridges::io
