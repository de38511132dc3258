#pragma once
// tbb::parallel_for, with its fork and join made visible to ThreadSanitizer.
//
// oneTBB's scheduler is in libtbb, which Debian builds without ThreadSanitizer: the sanitizer sees
// neither that a task starts after the code that spawned it nor that parallel_for returns after
// every task has ended, and so would take every write before a loop and read inside it for a race.
// Under ThreadSanitizer, each call of the body therefore acquires what the caller released just
// before the loop, and releases what the caller acquires just after it. No call acquires what
// another call released, so races between the calls of one loop stay visible. What is left is
// oneTBB's own task objects, written by one thread and read by another inside oneTBB's header
// code: tests/sanitizers/tsan.supp names those frames (tbb::detail) and this file's Annotated.

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#if defined(__SANITIZE_THREAD__)
#define BRIDGES_TSAN 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define BRIDGES_TSAN 1
#endif
#endif

#ifdef BRIDGES_TSAN
extern "C" void __tsan_acquire(void* addr);
extern "C" void __tsan_release(void* addr);
#endif

namespace bridges::core {

#ifdef BRIDGES_TSAN
namespace tsan_fork_join {
/// The body of one loop, between the loop's fork and join.
template <class Range, class Body> struct Annotated {
    const Body* body;
    char* fork;
    char* join;
    [[gnu::noinline]] void operator()(const Range& r) const {
        __tsan_acquire(fork);
        (*body)(r);
        __tsan_release(join);
    }
};
} // namespace tsan_fork_join
#endif

/// tbb::parallel_for(range, body).
template <class Range, class Body> void parallel_for(const Range& range, const Body& body) {
#ifdef BRIDGES_TSAN
    char fork = 0, join = 0;
    __tsan_release(&fork);
    tbb::parallel_for(range, tsan_fork_join::Annotated<Range, Body>{&body, &fork, &join});
    __tsan_acquire(&join);
#else
    tbb::parallel_for(range, body);
#endif
}

/// fn(i) for every i in [first, last), as tbb::parallel_for(first, last, fn).
template <class Index, class Fn> void parallel_for(Index first, Index last, const Fn& fn) {
    // Qualified: argument-dependent lookup would find tbb::parallel_for, the more constrained.
    core::parallel_for(tbb::blocked_range<Index>(first, last), [&](const tbb::blocked_range<Index>& r) {
        for (Index i = r.begin(); i != r.end(); ++i)
            fn(i);
    });
}

} // namespace bridges::core
