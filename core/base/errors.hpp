#pragma once
// The project's error types. Input errors carry every diagnostic found, each with its place.

#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace bridges {

/// Base of every error Bridges reports to users.
class Error : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

/// One problem in an input, at file:line:col (1-based; 0 when unknown): an error, or a warning
/// about an input that is valid but most likely not what was meant.
struct Diagnostic {
    std::string file;
    int line = 0;
    int column = 0;
    std::string message;
    bool warning = false;
    [[nodiscard]] std::string to_string() const {
        std::ostringstream s;
        s << file;
        if (line > 0) s << ':' << line << ':' << column;
        s << (warning ? ": warning: " : ": error: ");
        // Control bytes quoted from a malformed input are shown as \xNN, never sent to a terminal.
        for (const char c : message) {
            const auto u = static_cast<unsigned char>(c);
            if (u < 0x20 || u == 0x7f) {
                const char* hex = "0123456789abcdef";
                s << "\\x" << hex[u >> 4] << hex[u & 15];
            } else {
                s << c;
            }
        }
        return s.str();
    }
};

/// Invalid scenario or experiment input (exit code 2). what() lists every diagnostic.
class ScenarioError : public Error {
  public:
    explicit ScenarioError(std::vector<Diagnostic> diagnostics)
        : Error(join(diagnostics)), diagnostics_(std::move(diagnostics)) {}
    [[nodiscard]] const std::vector<Diagnostic>& diagnostics() const { return diagnostics_; }

  private:
    static std::string join(const std::vector<Diagnostic>& ds) {
        std::string s;
        for (const auto& d : ds)
            s += d.to_string() + "\n";
        return s;
    }
    std::vector<Diagnostic> diagnostics_;
};

/// Invalid data file (exit code 2).
class DataError : public Error {
  public:
    using Error::Error;
};

/// The model reached a state it cannot go on from, such as a non-finite value (exit code 1).
class StateError : public Error {
  public:
    using Error::Error;
};

/// Failure while reading or writing files (exit code 1).
class IoError : public Error {
  public:
    using Error::Error;
};

} // namespace bridges
