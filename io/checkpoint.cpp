#include "io/checkpoint.hpp"

#include "bridges_version.hpp"
#include "core/base/errors.hpp"
#include "io/durable_file.hpp"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <memory>
#include <vector>

namespace bridges::io {

namespace {

constexpr char kMagic[] = "BRIDGES-CHECKPOINT\n";
constexpr std::size_t kMagicBytes = sizeof kMagic - 1;

/// A 64-bit checksum of a byte stream. It depends on the bytes only, not on the pieces they are
/// fed in, so a file can be checked in chunks of any size before it is parsed.
class Checksum {
  public:
    void add(const void* data, std::size_t n) {
        const auto* b = static_cast<const unsigned char*>(data);
        while (n > 0 && pending_ > 0) { // complete a word begun by the previous piece
            word_[pending_++] = *b++;
            --n;
            if (pending_ == 8) {
                mix_word(word_);
                pending_ = 0;
            }
        }
        for (; n >= 8; b += 8, n -= 8)
            mix_word(b);
        for (; n > 0; --n)
            word_[pending_++] = *b++;
    }
    [[nodiscard]] std::uint64_t value() const {
        std::uint64_t h = h_;
        for (std::size_t i = 0; i < pending_; ++i)
            h = (h ^ word_[i]) * 0x100000001B3ull;
        return h ^ (words_ * 8 + pending_);
    }

  private:
    void mix_word(const unsigned char* p) {
        std::uint64_t w;
        std::memcpy(&w, p, 8);
        h_ = (h_ ^ w) * 0x9E3779B97F4A7C15ull;
        h_ ^= h_ >> 32;
        ++words_;
    }
    std::uint64_t h_ = 0x243F6A8885A308D3ull;
    std::uint64_t words_ = 0;
    unsigned char word_[8] = {};
    std::size_t pending_ = 0;
};

struct FileCloser {
    void operator()(std::FILE* f) const { std::fclose(f); }
};
using File = std::unique_ptr<std::FILE, FileCloser>;

class Writer {
  public:
    Writer(const std::string& path) : path_(path), f_(std::fopen(path.c_str(), "wb")) {
        if (!f_) fail();
    }
    void bytes(const void* data, std::size_t n) {
        sum_.add(data, n);
        if (n > 0 && std::fwrite(data, 1, n, f_.get()) != n) fail();
    }
    template <class T> void value(T v) { bytes(&v, sizeof v); }
    void text(const std::string& s) {
        value<std::uint64_t>(s.size());
        bytes(s.data(), s.size());
    }
    /// Writes the checksum, flushes and syncs; the file is then whole on disk.
    void close() {
        const std::uint64_t h = sum_.value();
        if (std::fwrite(&h, sizeof h, 1, f_.get()) != 1 || std::fflush(f_.get()) != 0 ||
            ::fsync(::fileno(f_.get())) != 0)
            fail();
        std::FILE* f = f_.release();
        if (std::fclose(f) != 0) fail();
    }

  private:
    [[noreturn]] void fail() const {
        throw IoError("cannot write checkpoint " + path_ + ": " + std::strerror(errno));
    }
    std::string path_;
    File f_;
    Checksum sum_;
};

/// Reads a checkpoint. Every length read is bounded by the bytes that remain before the checksum,
/// so a damaged length is refused before anything is allocated for it.
class Reader {
  public:
    explicit Reader(const std::string& path) : path_(path), f_(std::fopen(path.c_str(), "rb")) {
        if (!f_) damaged(std::string("cannot open it: ") + std::strerror(errno));
        std::error_code ec;
        const auto size = std::filesystem::file_size(path, ec);
        if (ec) damaged("cannot read its size: " + ec.message());
        if (size < sizeof(std::uint64_t)) damaged("it ends too early");
        left_ = size - sizeof(std::uint64_t);
    }
    /// Reads the whole file once and compares its checksum, then rewinds: nothing read from a
    /// damaged file reaches the engine.
    void verify() {
        Checksum sum;
        std::vector<char> chunk(std::size_t{1} << 20);
        for (std::uint64_t left = left_; left > 0;) {
            const std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(left, chunk.size()));
            if (std::fread(chunk.data(), 1, n, f_.get()) != n) damaged("it ends too early");
            sum.add(chunk.data(), n);
            left -= n;
        }
        std::uint64_t stored = 0;
        if (std::fread(&stored, sizeof stored, 1, f_.get()) != 1 || stored != sum.value())
            damaged("its checksum does not match its contents");
        if (std::fgetc(f_.get()) != EOF) damaged("it has bytes after its checksum");
        std::rewind(f_.get());
    }
    void bytes(void* data, std::size_t n) {
        if (n > left_ || (n > 0 && std::fread(data, 1, n, f_.get()) != n)) damaged("it ends too early");
        left_ -= n;
    }
    template <class T> T value() {
        T v;
        bytes(&v, sizeof v);
        return v;
    }
    /// A count of items of ITEM_BYTES each that must still fit in the file.
    std::uint64_t count(std::uint64_t item_bytes) {
        const auto n = value<std::uint64_t>();
        if (item_bytes > 0 && n > left_ / item_bytes) damaged("a length is out of range");
        return n;
    }
    std::string text() {
        std::string s(count(1), '\0');
        bytes(s.data(), s.size());
        return s;
    }
    /// Everything before the checksum must have been read.
    void finish() {
        if (left_ != 0) damaged("it has bytes after its last record");
    }
    [[noreturn]] void damaged(const std::string& why) const {
        throw ScenarioError({{path_, 0, 0,
                              "the checkpoint is damaged (" + why +
                                  "); remove it to start the run again from the beginning"}});
    }
    [[nodiscard]] const std::string& path() const { return path_; }

  private:
    std::string path_;
    File f_;
    std::uint64_t left_ = 0; // bytes before the checksum not yet read
};

void write_header(Writer& w, const CheckpointHeader& h) {
    w.bytes(kMagic, kMagicBytes);
    w.value<std::uint32_t>(h.format);
    w.text(h.engine_version);
    w.text(h.git_commit);
    w.text(h.resolved_sha256);
    w.value<std::uint32_t>(h.month);
    w.value<std::uint32_t>(h.months);
    w.text(h.run.scenario_path);
    w.text(h.run.scenario_text);
    w.value<std::uint64_t>(h.run.overrides.size());
    for (const auto& o : h.run.overrides)
        w.text(o);
    w.text(h.run.output_path);
    w.text(h.run.report_path);
    w.value<std::int64_t>(h.run.every);
}

CheckpointHeader read_header(Reader& r) {
    char magic[kMagicBytes];
    r.bytes(magic, kMagicBytes);
    if (std::memcmp(magic, kMagic, kMagicBytes) != 0) r.damaged("it is not a Bridges checkpoint");
    CheckpointHeader h;
    h.format = r.value<std::uint32_t>();
    if (h.format != kCheckpointFormat)
        throw ScenarioError({{r.path(), 0, 0,
                              "checkpoint format " + std::to_string(h.format) +
                                  "; this Bridges reads format " + std::to_string(kCheckpointFormat)}});
    h.engine_version = r.text();
    h.git_commit = r.text();
    if (h.engine_version != BRIDGES_VERSION || h.git_commit != BRIDGES_GIT_COMMIT)
        throw ScenarioError(
            {{r.path(), 0, 0,
              "the checkpoint was written by Bridges " + h.engine_version + " (" + h.git_commit +
                  ") and this is Bridges " + BRIDGES_VERSION + " (" + BRIDGES_GIT_COMMIT +
                  "); only the same engine continues a run bit for bit: resume with that "
                  "build, or remove the checkpoint and start again"}});
    h.resolved_sha256 = r.text();
    h.month = r.value<std::uint32_t>();
    h.months = r.value<std::uint32_t>();
    h.run.scenario_path = r.text();
    h.run.scenario_text = r.text();
    const std::uint64_t n = r.count(sizeof(std::uint64_t)); // each override has a length
    for (std::uint64_t i = 0; i < n; ++i)
        h.run.overrides.push_back(r.text());
    h.run.output_path = r.text();
    h.run.report_path = r.text();
    h.run.every = r.value<std::int64_t>();
    if (h.month > h.months) r.damaged("its month is beyond the run's end");
    return h;
}

} // namespace

std::uint64_t checkpoint_checksum(const void* data, std::size_t n) {
    Checksum sum;
    sum.add(data, n);
    return sum.value();
}

std::string checkpoint_path(const std::string& dir) {
    return dir + "/checkpoint.bin";
}

bool has_checkpoint(const std::string& dir) {
    return std::filesystem::exists(checkpoint_path(dir));
}

CheckpointHeader checkpoint_header(const core::Engine& engine, const std::string& resolved_sha256,
                                   const CheckpointRun& run) {
    CheckpointHeader h;
    h.engine_version = BRIDGES_VERSION;
    h.git_commit = BRIDGES_GIT_COMMIT;
    h.resolved_sha256 = resolved_sha256;
    h.month = static_cast<std::uint32_t>(engine.month());
    h.months = static_cast<std::uint32_t>(engine.months());
    h.run = run;
    return h;
}

void write_checkpoint(const std::string& dir, const CheckpointHeader& header, core::Engine& engine,
                      const std::vector<core::MonthRecord>& records) {
    // Another process of the same batch (a shard ending) may remove an empty parent while the
    // directory is being made; making it again then succeeds.
    std::error_code ec;
    for (int attempt = 0; attempt < 5; ++attempt) {
        std::filesystem::create_directories(dir, ec);
        if (ec != std::errc::no_such_file_or_directory) break;
    }
    if (ec) throw IoError("cannot create checkpoint directory " + dir + ": " + ec.message());
    const std::string path = checkpoint_path(dir);
    const std::string tmp = path + ".partial"; // one run per directory; a killed write is overwritten
    try {
        Writer w(tmp);
        write_header(w, header);
        const std::vector<core::StateBlock> blocks = engine.state_blocks();
        w.value<std::uint64_t>(blocks.size());
        for (const auto& b : blocks) {
            w.text(b.name);
            w.value<std::uint64_t>(b.bytes);
            w.bytes(b.data, b.bytes);
        }
        w.value<std::uint64_t>(records.size());
        for (const auto& r : records) {
            w.value<std::int32_t>(r.month);
            w.value<std::int32_t>(r.date.year);
            w.value<std::int32_t>(r.date.month);
            w.value<std::uint64_t>(r.values.size());
            for (const auto& v : r.values) {
                w.value<std::uint64_t>(v.size());
                w.bytes(v.data(), v.size() * sizeof(double));
            }
        }
        w.close();
        if (std::rename(tmp.c_str(), path.c_str()) != 0)
            throw IoError("cannot rename " + tmp + " to " + path + ": " + std::strerror(errno));
    } catch (...) {
        std::remove(tmp.c_str());
        throw;
    }
    sync_directory_of(path);
}

CheckpointHeader read_checkpoint_header(const std::string& dir) {
    const std::string path = checkpoint_path(dir);
    if (!std::filesystem::exists(path))
        throw ScenarioError({{dir, 0, 0, "no checkpoint here (" + path + " does not exist)"}});
    Reader r(path);
    return read_header(r);
}

std::vector<core::MonthRecord> restore_checkpoint(const std::string& dir, const std::string& resolved_sha256,
                                                  core::Engine& engine) {
    Reader r(checkpoint_path(dir));
    r.verify();
    const CheckpointHeader h = read_header(r);
    if (h.resolved_sha256 != resolved_sha256)
        throw ScenarioError(
            {{r.path(), 0, 0,
              "the checkpoint belongs to another scenario (its resolved scenario has SHA-256 " +
                  h.resolved_sha256.substr(0, 12) + "..., this one " + resolved_sha256.substr(0, 12) +
                  "...); remove it or use another checkpoint directory"}});
    if (h.months != static_cast<std::uint32_t>(engine.months())) r.damaged("its run length differs");
    const std::vector<core::StateBlock> blocks = engine.state_blocks();
    if (r.count(2 * sizeof(std::uint64_t)) != blocks.size())
        r.damaged("it holds another number of state blocks");
    for (const auto& b : blocks) {
        const std::string name = r.text();
        const std::uint64_t bytes = r.count(1);
        if (name != b.name || bytes != b.bytes)
            r.damaged("block '" + name + "' of " + std::to_string(bytes) + " bytes where '" + b.name +
                      "' of " + std::to_string(b.bytes) + " bytes belongs");
        r.bytes(b.data, b.bytes);
    }
    if (static_cast<std::uint32_t>(engine.month()) != h.month)
        r.damaged("its month block disagrees with its header");
    const std::uint64_t n = r.count(3 * sizeof(std::int32_t) + sizeof(std::uint64_t));
    if (n != h.month)
        r.damaged("it holds " + std::to_string(n) + " months of output for " + std::to_string(h.month) +
                  " months done");
    std::vector<core::MonthRecord> records(n);
    const auto& vars = core::output_variables();
    for (auto& rec : records) {
        rec.month = r.value<std::int32_t>();
        rec.date.year = r.value<std::int32_t>();
        rec.date.month = r.value<std::int32_t>();
        if (r.count(sizeof(std::uint64_t)) != vars.size())
            r.damaged("a month holds another number of variables");
        rec.values.resize(vars.size());
        for (auto& v : rec.values) {
            v.resize(r.count(sizeof(double)));
            r.bytes(v.data(), v.size() * sizeof(double));
        }
    }
    r.finish();
    return records;
}

} // namespace bridges::io
