#pragma once
// Stopping cleanly on SIGINT and SIGTERM: the work stops between months and no file is left
// under a final name.

#include <csignal>

namespace bridges::study {

/// While alive, SIGINT and SIGTERM only raise a flag, so that the run stops between months and the
/// writer removes its partial file; the previous handlers come back afterwards.
inline volatile std::sig_atomic_t g_signal = 0;
class InterruptGuard {
  public:
    InterruptGuard() {
        g_signal = 0;
        old_int_ = std::signal(SIGINT, [](int sig) { g_signal = sig; });
        old_term_ = std::signal(SIGTERM, [](int sig) { g_signal = sig; });
    }
    ~InterruptGuard() {
        std::signal(SIGINT, old_int_);
        std::signal(SIGTERM, old_term_);
    }
    InterruptGuard(const InterruptGuard&) = delete;
    InterruptGuard& operator=(const InterruptGuard&) = delete;
    [[nodiscard]] bool requested() const { return g_signal != 0; }
    [[nodiscard]] int signal() const { return static_cast<int>(g_signal); }

  private:
    void (*old_int_)(int) = nullptr;
    void (*old_term_)(int) = nullptr;
};

} // namespace bridges::study
