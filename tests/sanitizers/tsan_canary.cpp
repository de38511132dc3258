// Proof that `tools/test tsan` still sees a race inside a parallel loop body, with the fork and
// join annotations of core/base/parallel.hpp and the suppressions of tests/sanitizers/tsan.supp in
// place: the calls of one body all add to the same counter. ctest passes only when ThreadSanitizer
// reports that race, in this file (tests/CMakeLists.txt). Exit code 3 means no two threads ever
// shared the loop, so there was nothing to see.

#include "core/base/parallel.hpp"

#include <tbb/enumerable_thread_specific.h>

#include <cstdio>
#include <vector>

int main() {
    std::vector<double> own(std::size_t{1} << 16); // each index written by one call only: no race
    long shared = 0;
    for (int attempt = 0; attempt < 100; ++attempt) {
        tbb::enumerable_thread_specific<int> threads(0);
        bridges::core::parallel_for(tbb::blocked_range<std::size_t>(0, own.size(), 64),
                                    [&](const tbb::blocked_range<std::size_t>& r) {
                                        threads.local() = 1;
                                        for (std::size_t i = r.begin(); i != r.end(); ++i)
                                            own[i] = static_cast<double>(i) * 0.5;
                                        ++shared; // the race: every call, on any thread
                                    });
        if (threads.size() >= 2) {
            std::printf("%zu threads shared the loop; counter %ld\n", threads.size(), shared);
            return 0;
        }
    }
    std::printf("no two threads ever shared the loop\n");
    return 3;
}
