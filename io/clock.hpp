#pragma once
// Wall-clock time as written into files.

#include <ctime>
#include <string>

namespace bridges::io {

/// Now, in UTC, as YYYY-MM-DDTHH:MM:SSZ (thread-safe).
inline std::string utc_now() {
    const std::time_t t = std::time(nullptr);
    std::tm utc{};
    ::gmtime_r(&t, &utc);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &utc);
    return buf;
}

} // namespace bridges::io
