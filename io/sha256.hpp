#pragma once
// SHA-256 (FIPS 180-4, through OpenSSL's EVP interface) of a byte string, as lowercase hex:
// identifies the scenario text of a run.

#include <string>

namespace bridges::io {

std::string sha256_hex(const std::string& data);

} // namespace bridges::io
