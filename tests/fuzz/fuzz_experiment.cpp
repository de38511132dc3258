// The experiment reader on arbitrary text, as a file next to a copy of the shipped baseline
// (`base: ../baseline.yaml` and `base: baseline.yaml` both resolve); an experiment that reads is
// also planned and its first run resolved, as `bridges batch` would.

#include "fuzz_common.hpp"
#include "study/experiment.hpp"

namespace {
std::filesystem::path experiment_file() {
    static const std::filesystem::path file = [] {
        const auto& dir = bridges::fuzz::scratch();
        std::filesystem::create_directories(dir / "experiments");
        std::filesystem::copy_file(std::string(BRIDGES_SOURCE_DIR) + "/scenarios/baseline.yaml",
                                   dir / "baseline.yaml", std::filesystem::copy_options::overwrite_existing);
        std::filesystem::copy_file(std::string(BRIDGES_SOURCE_DIR) + "/scenarios/baseline.yaml",
                                   dir / "experiments" / "baseline.yaml",
                                   std::filesystem::copy_options::overwrite_existing);
        return dir / "experiments" / "fuzz.yaml";
    }();
    return file;
}
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace bridges;
    const auto file = experiment_file();
    fuzz::write_file(file, fuzz::as_text(data, size));
    fuzz::expect_input_errors_only([&] {
        const study::Experiment e = study::load_experiment(file.string());
        // Planning is linear in the runs (up to 10^7 are allowed): plan small experiments only.
        if (e.arms.size() * e.points.size() * static_cast<std::size_t>(e.replications) > 1000) return;
        const auto runs = study::plan_runs(e);
        if (!runs.empty()) study::resolve_run(e, runs[0].arm, runs[0].point, runs[0].seed);
    });
    return 0;
}
