#pragma once
// Checkpoints: the whole state of a run between two months, written to DIR/checkpoint.bin so that
// a run killed at any moment can be continued (`bridges resume DIR`) and give output bit-identical
// to a run never interrupted. The format is described in docs/checkpoints.md.
//
// A checkpoint holds the engine's state blocks (core::Engine::state_blocks: the month, the
// country-level state, every column of the world and the social graph), the records of every
// month done so far (the output file is rewritten from them), what the run was asked to do, and
// a fingerprint: the format version, the engine's version and commit, and the SHA-256 of the
// resolved scenario. It is written to a temporary file, synced and renamed, so that the
// checkpoint under the final name is always whole; a checksum over every byte guards against
// damage.

#include "core/engine/engine.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace bridges::io {

inline constexpr std::uint32_t kCheckpointFormat = 1;

/// What the run was asked to do, so that `bridges resume DIR` needs nothing else.
struct CheckpointRun {
    std::string scenario_path;          // as given to `bridges run`
    std::string scenario_text;          // the file's text when the run started
    std::vector<std::string> overrides; // --set, --seed and --months, as PATH=VALUE
    std::string output_path, report_path;
    std::int64_t every = 0; // months between checkpoints
};

struct CheckpointHeader {
    std::uint32_t format = kCheckpointFormat;
    std::string engine_version, git_commit;
    std::string resolved_sha256; // of the resolved scenario
    std::uint32_t month = 0;     // months done
    std::uint32_t months = 0;    // of the run
    CheckpointRun run;
};

/// DIR/checkpoint.bin
std::string checkpoint_path(const std::string& dir);

/// Whether DIR holds a checkpoint.
bool has_checkpoint(const std::string& dir);

/// The header of this engine for a run of `resolved_sha256` at the engine's current month.
CheckpointHeader checkpoint_header(const core::Engine& engine, const std::string& resolved_sha256,
                                   const CheckpointRun& run);

/// Writes the engine's state and `records` (one per month done) to DIR/checkpoint.bin, creating
/// DIR; the previous checkpoint stays whole until the new one replaces it. Throws IoError.
void write_checkpoint(const std::string& dir, const CheckpointHeader& header, core::Engine& engine,
                      const std::vector<core::MonthRecord>& records);

/// Reads and checks the header of DIR/checkpoint.bin: its format and this engine's version and
/// commit. Throws ScenarioError (exit 2) naming the file when it is missing, damaged or written
/// by another engine.
CheckpointHeader read_checkpoint_header(const std::string& dir);

/// Restores DIR/checkpoint.bin into `engine`, built from the same scenario (its resolved SHA-256
/// must be `resolved_sha256`), and returns the records of the months done. The whole file's checksum
/// is checked before anything reaches the engine; every block must have the name and size the
/// engine expects. Throws ScenarioError.
std::vector<core::MonthRecord> restore_checkpoint(const std::string& dir, const std::string& resolved_sha256,
                                                  core::Engine& engine);

/// The checksum a checkpoint stores in its last 8 bytes, over the `n` bytes before them.
std::uint64_t checkpoint_checksum(const void* data, std::size_t n);

} // namespace bridges::io
