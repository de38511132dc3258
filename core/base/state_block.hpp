#pragma once
// A named block of mutable state, for checkpoints: the engine lists its state as blocks, and
// io/checkpoint.cpp saves and restores their bytes.

#include <cstddef>
#include <string>
#include <utility>

namespace bridges::core {

/// A named block of mutable state: `bytes` bytes at `data`.
struct StateBlock {
    std::string name;
    void* data = nullptr;
    std::size_t bytes = 0;
};

/// The block of a vector's elements.
template <class Vec> StateBlock block_of(std::string name, Vec& v) {
    return {std::move(name), v.data(), v.size() * sizeof(typename Vec::value_type)};
}

} // namespace bridges::core
