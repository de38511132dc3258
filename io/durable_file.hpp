#pragma once
// Files that appear whole or not at all: written under a temporary name, synced, renamed, and the
// directory synced. Every failure is an IoError naming the file and the operating system's reason.

#include <cstddef>
#include <string>

namespace bridges::io {

/// "<host>.<pid>": names temporary files apart when several machines share a directory.
std::string temporary_suffix();

/// An open file descriptor for writing, closed by the destructor.
class OutputFile {
  public:
    /// Creates `path` (truncating any file of that name); `name` is the file named in errors.
    explicit OutputFile(const std::string& path, std::string name = "");
    ~OutputFile();
    OutputFile(const OutputFile&) = delete;
    OutputFile& operator=(const OutputFile&) = delete;

    /// Writes all `n` bytes, syncs them to disk and closes the file.
    void write_and_close(const void* data, std::size_t n);

  private:
    [[noreturn]] void fail(int error) const;
    int fd_ = -1;
    std::string name_;
};

/// Syncs the directory holding `path`, so that a rename within it is on disk.
void sync_directory_of(const std::string& path);

/// Writes `bytes` to `path` through `path`.tmp.<host>.<pid>: written, synced, renamed, and the
/// directory synced. Errors name `path`; the temporary file is removed.
void write_file_atomically(const std::string& path, const std::string& bytes);

} // namespace bridges::io
