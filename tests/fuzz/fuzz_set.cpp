// The --set parser: each line of the input is one PATH=VALUE override of a small valid scenario.

#include "fuzz_common.hpp"
#include "io/scenario_reader.hpp"

#include <sstream>
#include <vector>

namespace {
const char* const kScenario = R"(schema_version: 1
name: small
start: 2017-01
months: 12
scale: 100
countries:
  - {code: USA, gdp_per_capita_usd: 60000}
  - {code: MEX, gdp_per_capita_usd: 9000}
corridors:
  - {origin: MEX, host: USA, stock: 1.0e5}
policies:
  - {kind: cost_cap, by: USA, cap: 0.05}
)";
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace bridges;
    std::vector<std::string> overrides;
    std::istringstream in(fuzz::as_text(data, size));
    for (std::string line; std::getline(in, line) && overrides.size() < 64;)
        overrides.push_back(line);
    fuzz::expect_input_errors_only([&] { io::parse_scenario(kScenario, "small.yaml", overrides); });
    return 0;
}
