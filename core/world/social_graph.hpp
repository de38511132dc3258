#pragma once
// The social layer: an undirected small-world graph over members, stored as a Boost
// compressed_sparse_row_graph with 32-bit vertex and edge indices (4 bytes per link end).

#include "core/world/column.hpp"

#include <boost/graph/compressed_sparse_row_graph.hpp>

#include <cstdint>
#include <span>
#include <utility>
#include <vector>

namespace bridges::core {

using SocialCsr = boost::compressed_sparse_row_graph<boost::directedS, boost::no_property, boost::no_property,
                                                     boost::no_property, std::uint32_t, std::uint32_t>;

class SocialGraph {
  public:
    SocialGraph() = default;
    /// Builds from both directions of every undirected link; n is the number of members.
    SocialGraph(std::uint32_t n, Column<std::pair<std::uint32_t, std::uint32_t>>& arcs);

    [[nodiscard]] std::uint32_t vertices() const {
        return static_cast<std::uint32_t>(boost::num_vertices(csr_));
    }
    [[nodiscard]] std::uint64_t arcs() const { return boost::num_edges(csr_); }

    /// Neighbours of member v as a contiguous view into the CSR column array.
    [[nodiscard]] std::span<const std::uint32_t> neighbours(std::uint32_t v) const {
        const auto& rs = csr_.m_forward.m_rowstart;
        const auto* col = csr_.m_forward.m_column.data();
        return {col + rs[v], col + rs[v + 1]};
    }
    [[nodiscard]] std::size_t bytes() const {
        return csr_.m_forward.m_rowstart.size() * sizeof(std::uint32_t) +
               csr_.m_forward.m_column.size() * sizeof(std::uint32_t);
    }
    [[nodiscard]] const SocialCsr& csr() const { return csr_; }

  private:
    SocialCsr csr_;
};

} // namespace bridges::core
