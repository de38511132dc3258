#include "io/durable_file.hpp"

#include "core/base/errors.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <unistd.h>

namespace bridges::io {

std::string temporary_suffix() {
    char host[256] = "";
    ::gethostname(host, sizeof host - 1);
    return std::string(host) + "." + std::to_string(::getpid());
}

OutputFile::OutputFile(const std::string& path, std::string name)
    : fd_(::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666)),
      name_(name.empty() ? path : std::move(name)) {
    if (fd_ < 0) throw IoError("cannot create " + path + " (" + std::strerror(errno) + ")");
}

OutputFile::~OutputFile() {
    if (fd_ >= 0) ::close(fd_);
}

void OutputFile::fail(int error) const {
    throw IoError("writing " + name_ + " failed (" + std::strerror(error) + ")");
}

void OutputFile::write_and_close(const void* data, std::size_t n) {
    const char* p = static_cast<const char*>(data);
    while (n > 0) {
        const ssize_t done = ::write(fd_, p, n);
        if (done < 0) {
            if (errno == EINTR) continue;
            fail(errno);
        }
        p += done;
        n -= static_cast<std::size_t>(done);
    }
    if (::fsync(fd_) != 0) fail(errno);
    const int fd = fd_;
    fd_ = -1;
    if (::close(fd) != 0) fail(errno);
}

void sync_directory_of(const std::string& path) {
    const std::filesystem::path p(path);
    const std::string dir = p.has_parent_path() ? p.parent_path().string() : ".";
    const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0) {
        ::fsync(fd);
        ::close(fd);
    }
}

void write_file_atomically(const std::string& path, const std::string& bytes) {
    const std::string tmp = path + ".tmp." + temporary_suffix();
    try {
        OutputFile(tmp, path).write_and_close(bytes.data(), bytes.size());
        if (std::rename(tmp.c_str(), path.c_str()) != 0)
            throw IoError("cannot rename " + tmp + " to " + path + " (" + std::strerror(errno) + ")");
    } catch (...) {
        std::remove(tmp.c_str());
        throw;
    }
    sync_directory_of(path);
}

} // namespace bridges::io
