#pragma once
// Column storage for agents: a std::vector whose large blocks are backed by transparent huge
// pages where the kernel offers them (madvise), which cuts page faults when a world of millions
// of agents is built and TLB misses when it is stepped. Small columns use the ordinary heap.
// Elements added by resize() are not zeroed: every builder writes what it allocates.

#include <sys/mman.h>

#include <cstddef>
#include <cstdlib>
#include <new>
#include <utility>
#include <vector>

namespace bridges::core {

template <class T> struct HugePageAllocator {
    using value_type = T;
    static constexpr std::size_t kHuge = std::size_t{2} << 20; // 2 MiB

    HugePageAllocator() = default;
    template <class U> HugePageAllocator(const HugePageAllocator<U>&) noexcept {}

    T* allocate(std::size_t n) {
        const std::size_t bytes = n * sizeof(T);
        if (bytes < 4 * kHuge) {
            if (void* p = std::malloc(bytes)) return static_cast<T*>(p);
            throw std::bad_alloc();
        }
        const std::size_t rounded = (bytes + kHuge - 1) / kHuge * kHuge;
        void* p = std::aligned_alloc(kHuge, rounded);
        if (!p) throw std::bad_alloc();
        ::madvise(p, rounded, MADV_HUGEPAGE); // advice only: failure leaves ordinary pages
        return static_cast<T*>(p);
    }
    void deallocate(T* p, std::size_t) noexcept { std::free(p); }

    /// resize() leaves new elements default-initialised (not zeroed): the world's builders write
    /// every element, in parallel, so the pages are first touched by the thread that fills them.
    template <class U, class... Args> void construct(U* p, Args&&... args) {
        if constexpr (sizeof...(Args) == 0)
            ::new (static_cast<void*>(p)) U;
        else
            ::new (static_cast<void*>(p)) U(std::forward<Args>(args)...);
    }

    template <class U> bool operator==(const HugePageAllocator<U>&) const noexcept { return true; }
    template <class U> bool operator!=(const HugePageAllocator<U>&) const noexcept { return false; }
};

/// One attribute of every member, household or community.
template <class T> using Column = std::vector<T, HugePageAllocator<T>>;

} // namespace bridges::core
