// The world-data readers (countries.csv, corridors.csv and a propensity file) on arbitrary text.
// The input is split at its first two NUL bytes into the three files; a world that reads is also
// applied to a scenario, as a `world:` block would.

#include "fuzz_common.hpp"
#include "io/world_data.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace bridges;
    const std::string text = fuzz::as_text(data, size);
    const auto a = text.find('\0');
    const auto b = a == std::string::npos ? a : text.find('\0', a + 1);
    const auto& dir = fuzz::scratch();
    fuzz::write_file(dir / "countries.csv", text.substr(0, a));
    fuzz::write_file(dir / "corridors.csv", a == std::string::npos ? "" : text.substr(a + 1, b - a - 1));
    fuzz::write_file(dir / "propensity.csv", b == std::string::npos ? "" : text.substr(b + 1));
    fuzz::expect_input_errors_only([&] {
        const io::WorldData w = io::read_world_data_files(dir.string());
        core::Scenario s;
        s.world.data = dir.string();
        io::apply_world(s, w);
        io::read_propensities((dir / "propensity.csv").string(), &w);
    });
    return 0;
}
