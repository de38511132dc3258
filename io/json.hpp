#pragma once
// A JSON string literal, for the command line's JSON reports.

#include <cstdio>
#include <sstream>
#include <string>

namespace bridges::io {

/// `s` quoted and escaped as a JSON string.
inline std::string json_string(const std::string& s) {
    std::ostringstream o;
    o << '"';
    for (unsigned char c : s) {
        if (c == '"' || c == '\\')
            o << '\\' << c;
        else if (c < 0x20) {
            char buf[8];
            std::snprintf(buf, sizeof buf, "\\u%04x", c);
            o << buf;
        } else
            o << c;
    }
    o << '"';
    return o.str();
}

} // namespace bridges::io
