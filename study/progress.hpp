#pragma once
// The progress bar of `bridges run` (months) and `bridges batch` (runs), on stderr when it is a
// terminal: a bar, done/total, the rate, and the time left.

#include <chrono>
#include <cstddef>
#include <string>

namespace bridges::study {

/// "42s", "3m07s", "2h05m".
std::string format_duration(double seconds);

class ProgressBar {
  public:
    /// `unit`: what is counted ("months", "runs"); rates per minute when `per_minute`, else per
    /// second. Draws nothing unless `on` and stderr is a terminal.
    ProgressBar(bool on, std::size_t total, std::string unit, bool per_minute);
    /// Redraws with `done` of the total; `note` follows the count (", 2 failed").
    void show(std::size_t done, const std::string& note = "");

  private:
    bool on_;
    std::size_t total_;
    std::string unit_;
    bool per_minute_;
    std::chrono::steady_clock::time_point start_;
};

} // namespace bridges::study
