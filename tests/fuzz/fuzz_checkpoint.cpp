// The checkpoint reader on damaged checkpoints. A valid checkpoint of a small run is made once;
// each input damages a copy of it: the low 31 bits of its first 4 bytes (little-endian) give the
// length to keep (modulo the file's length + 1, so that truncation at every point is reachable),
// and each following group of 5 bytes writes byte 4 at offset bytes 0-3 (modulo the length kept).
// Resuming from the damaged copy must either work or be refused with an input error; it must never
// crash, hang or allocate without bound.
//
// A damaged file fails its checksum before its contents are parsed. When the top bit of the first
// 4 bytes is set, the damaged copy is sealed again with a checksum that matches, so that the parser
// itself meets every damage; such a copy is only restored, not stepped, since a forged state that
// passes every check of names and sizes is beyond what a checkpoint reader can know.

#include "fuzz_common.hpp"
#include "io/checkpoint.hpp"
#include "io/scenario_emitter.hpp"
#include "io/scenario_reader.hpp"
#include "io/sha256.hpp"

#include <cstring>
#include <iterator>
#include <memory>

namespace {

const char* const kScenario = R"(schema_version: 1
name: small
start: 2017-01
months: 6
seed: 3
scale: 1000
countries:
  - {code: USA, gdp_per_capita_usd: 60000}
  - {code: MEX, gdp_per_capita_usd: 9000}
corridors:
  - {origin: MEX, host: USA, stock: 3.0e5}
policies:
  - {kind: diaspora_bond, by: MEX, from: 2017-02, size_usd: 1.0e8, coupon: 0.04}
network:
  mean_degree: 4
)";

struct Valid {
    bridges::io::LoadedScenario loaded;
    std::string sha, bytes;
};

const Valid& valid() {
    static const Valid v = [] {
        using namespace bridges;
        Valid out;
        out.loaded = io::parse_scenario(kScenario, "small.yaml", {});
        out.sha = io::sha256_hex(io::emit_resolved(out.loaded.scenario));
        core::Engine e(out.loaded.scenario, core::Execution::serial);
        std::vector<core::MonthRecord> records;
        for (int m = 0; m < 3; ++m)
            records.push_back(e.step());
        const auto dir = (fuzz::scratch() / "valid").string();
        io::write_checkpoint(
            dir, io::checkpoint_header(e, out.sha, {"small.yaml", kScenario, {}, "out.h5", "", 3}), e,
            records);
        std::ifstream in(io::checkpoint_path(dir), std::ios::binary);
        out.bytes.assign(std::istreambuf_iterator<char>(in), {});
        return out;
    }();
    return v;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace bridges;
    const Valid& v = valid();
    std::string damaged = v.bytes;
    bool reseal = false;
    if (size >= 4) {
        std::uint32_t keep;
        std::memcpy(&keep, data, 4);
        reseal = (keep >> 31) != 0;
        damaged.resize((keep & 0x7FFFFFFFu) % (v.bytes.size() + 1));
        for (std::size_t i = 4; i + 5 <= size && !damaged.empty(); i += 5) {
            std::uint32_t at;
            std::memcpy(&at, data + i, 4);
            damaged[at % damaged.size()] = static_cast<char>(data[i + 4]);
        }
        if (reseal && damaged.size() >= 8) {
            const std::uint64_t sum = io::checkpoint_checksum(damaged.data(), damaged.size() - 8);
            std::memcpy(damaged.data() + damaged.size() - 8, &sum, 8);
        }
    }
    const auto dir = fuzz::scratch() / "damaged";
    std::filesystem::create_directories(dir);
    fuzz::write_file(io::checkpoint_path(dir.string()), damaged);
    fuzz::expect_input_errors_only([&] {
        io::read_checkpoint_header(dir.string());
        core::Engine e(v.loaded.scenario, core::Execution::serial);
        io::restore_checkpoint(dir.string(), v.sha, e);
        while (!reseal && !e.done())
            e.step(); // a restored state may be absurd, but stepping it must stay within bounds
    });
    return 0;
}
