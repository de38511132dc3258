#pragma once
// Stopping cleanly on SIGINT and SIGTERM: the work stops between months and no file is left
// under a final name.

#include <atomic>
#include <csignal>

namespace bridges::study {

/// While alive, SIGINT and SIGTERM only raise a flag, so that the run stops between months and the
/// writer removes its partial file; the previous handlers come back afterwards. The flag is read by
/// the batch's worker threads, so it is a lock-free atomic (async-signal-safe, and free of data
/// races across threads, which a volatile sig_atomic_t is not).
inline std::atomic<int> g_signal{0};
static_assert(std::atomic<int>::is_always_lock_free, "the signal flag must be async-signal-safe");
class InterruptGuard {
  public:
    InterruptGuard() {
        g_signal.store(0);
        old_int_ = std::signal(SIGINT, [](int sig) { g_signal.store(sig); });
        old_term_ = std::signal(SIGTERM, [](int sig) { g_signal.store(sig); });
    }
    ~InterruptGuard() {
        std::signal(SIGINT, old_int_);
        std::signal(SIGTERM, old_term_);
    }
    InterruptGuard(const InterruptGuard&) = delete;
    InterruptGuard& operator=(const InterruptGuard&) = delete;
    [[nodiscard]] bool requested() const { return g_signal.load() != 0; }
    [[nodiscard]] int signal() const { return g_signal.load(); }

  private:
    void (*old_int_)(int) = nullptr;
    void (*old_term_)(int) = nullptr;
};

} // namespace bridges::study
