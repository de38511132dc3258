// The scenario reader on arbitrary text. Property: a scenario that reads back resolves to text
// that reads back to the same resolved text (the emitter and the reader agree).

#include "fuzz_common.hpp"
#include "io/scenario_emitter.hpp"
#include "io/scenario_reader.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace bridges;
    const std::string text = fuzz::as_text(data, size);
    fuzz::expect_input_errors_only([&] {
        const io::LoadedScenario s = io::parse_scenario(text, "fuzz.yaml", {});
        const std::string resolved = io::emit_resolved(s.scenario);
        std::string again;
        try {
            again = io::emit_resolved(io::parse_scenario(resolved, "resolved.yaml", {}).scenario);
        } catch (const ScenarioError& e) {
            fuzz::finding("the resolved scenario does not read back:\n" + std::string(e.what()) + "\n" +
                          resolved);
        }
        if (again != resolved) fuzz::finding("resolving twice differs:\n" + resolved + "\n---\n" + again);
    });
    return 0;
}
