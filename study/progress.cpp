#include "study/progress.hpp"

#include <algorithm>
#include <cstdio>
#include <iomanip>
#include <sstream>
#include <unistd.h>

namespace bridges::study {

std::string format_duration(double s) {
    std::ostringstream o;
    const long t = static_cast<long>(s + 0.5);
    if (t >= 3600)
        o << t / 3600 << "h" << std::setw(2) << std::setfill('0') << (t % 3600) / 60 << "m";
    else if (t >= 60)
        o << t / 60 << "m" << std::setw(2) << std::setfill('0') << t % 60 << "s";
    else
        o << t << "s";
    return o.str();
}

ProgressBar::ProgressBar(bool on, std::size_t total, std::string unit, bool per_minute)
    : on_(on && ::isatty(2)), total_(total), unit_(std::move(unit)), per_minute_(per_minute),
      start_(std::chrono::steady_clock::now()) {}

void ProgressBar::show(std::size_t done, const std::string& note) {
    if (!on_) return;
    const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
    const double rate = static_cast<double>(done) / std::max(elapsed, 1e-9); // per second
    const std::size_t width = 30;
    const std::size_t filled = total_ ? width * std::min(done, total_) / total_ : width;
    std::fprintf(stderr, "\r[%s%s] %zu/%zu %s%s  %.2f %s/%s  ETA %s ", std::string(filled, '#').c_str(),
                 std::string(width - filled, '.').c_str(), done, total_, unit_.c_str(), note.c_str(),
                 per_minute_ ? rate * 60 : rate, unit_.c_str(), per_minute_ ? "min" : "s",
                 done ? format_duration(static_cast<double>(total_ - std::min(done, total_)) / rate).c_str()
                      : "?");
    if (done >= total_) std::fprintf(stderr, "\n");
}

} // namespace bridges::study
