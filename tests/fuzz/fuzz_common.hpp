#pragma once
// Shared by the fuzz targets (tests/fuzz/README.md). Each target defines LLVMFuzzerTestOneInput;
// built with clang's libFuzzer (preset `fuzz`, tools/fuzz) it is fuzzed, built with
// replay_main.cpp (every build) it replays files: the seed corpus and the regression inputs.
//
// What counts as a finding: a crash, a sanitizer report, a hang or a memory blow-up, and also any
// exception other than the input errors a user is meant to see (ScenarioError, DataError), which
// would reach the command line as exit code 1 instead of 2, or a broken property the target
// checks. Findings abort, so that libFuzzer records the input.

#include "core/base/errors.hpp"

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <unistd.h>

namespace bridges::fuzz {

[[noreturn]] inline void finding(const std::string& what) {
    std::fprintf(stderr, "fuzz finding: %s\n", what.c_str());
    std::abort();
}

/// Runs fn(); input errors are the expected outcome of most inputs, anything else is a finding.
template <class Fn> void expect_input_errors_only(Fn&& fn) {
    try {
        fn();
    } catch (const ScenarioError&) {
    } catch (const DataError&) {
    } catch (const std::exception& e) {
        finding(std::string("unexpected exception: ") + e.what());
    }
}

/// A private scratch directory for targets whose readers take files.
inline const std::filesystem::path& scratch() {
    static const std::filesystem::path dir = [] {
        auto d = std::filesystem::temp_directory_path() / ("bridges-fuzz-" + std::to_string(::getpid()));
        std::filesystem::create_directories(d);
        return d;
    }();
    return dir;
}

inline void write_file(const std::filesystem::path& p, const std::string& text) {
    std::ofstream out(p, std::ios::binary | std::ios::trunc);
    out.write(text.data(), static_cast<std::streamsize>(text.size()));
}

inline std::string as_text(const std::uint8_t* data, std::size_t size) {
    return {reinterpret_cast<const char*>(data), size};
}

} // namespace bridges::fuzz
