#pragma once
// The social layer: a small-world graph over members (docs/model.md, sections 2.3 and 3), held in
// one of two ways (network.graph):
//  - explicit: an undirected graph stored as a Boost compressed_sparse_row_graph with 32-bit vertex
//    and edge indices (4 bytes per link end, 4 per member for the row offsets);
//  - implicit: nothing but one byte per member marking which of its ring links were rewired; the
//    ring neighbours and the rewired targets are recomputed when asked for (the targets from the
//    same counter-based draws that placed them). A member sees its own links and the ring links of
//    its left neighbours that were not rewired: a rewired link is seen only from the member that
//    made it. Everything else is the explicit graph, link for link.

#include "core/base/random.hpp"
#include "core/base/state_block.hpp"
#include "core/world/column.hpp"

#include <boost/graph/compressed_sparse_row_graph.hpp>

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <utility>
#include <vector>

namespace bridges::core {

using SocialCsr = boost::compressed_sparse_row_graph<boost::directedS, boost::no_property, boost::no_property,
                                                     boost::no_property, std::uint32_t, std::uint32_t>;

/// One origin's members in storage order, [first, first + size), each linked to the next `k`.
struct Ring {
    std::uint32_t first = 0, size = 0, k = 0;
};

/// The largest neighbour list of a member of an implicit graph (2 * 8 links).
inline constexpr std::uint32_t kImplicitMaxNeighbours = 16;

class SocialGraph {
  public:
    SocialGraph() = default;
    /// Explicit: from both directions of every undirected link; n is the number of members.
    SocialGraph(std::uint32_t n, Column<std::pair<std::uint32_t, std::uint32_t>>& arcs);
    /// Implicit: the rings of the origins (indexed by country, size 0 where none) and, per member,
    /// bit j-1 set when its link j was rewired; `rng` replays the draws that placed the targets.
    SocialGraph(std::vector<Ring> rings, Column<std::uint8_t> rewired, const Rng& rng);

    [[nodiscard]] bool implicit() const { return implicit_; }
    [[nodiscard]] std::uint32_t vertices() const {
        return implicit_ ? static_cast<std::uint32_t>(rewired_.size())
                         : static_cast<std::uint32_t>(boost::num_vertices(csr_));
    }
    /// Stored arcs (explicit only; an implicit graph stores none).
    [[nodiscard]] std::uint64_t arcs() const { return implicit_ ? 0 : boost::num_edges(csr_); }

    /// Neighbours of member v of an explicit graph, as a contiguous view into the CSR columns.
    [[nodiscard]] std::span<const std::uint32_t> neighbours(std::uint32_t v) const {
        const auto& rs = csr_.m_forward.m_rowstart;
        const auto* col = csr_.m_forward.m_column.data();
        return {col + rs[v], col + rs[v + 1]};
    }

    /// Neighbours of member v of an implicit graph, whose origin is country `origin`, into `out`
    /// (room for kImplicitMaxNeighbours): its own links j = 1..k, then the unrewired links of its
    /// left neighbours i-1..i-k. Returns how many.
    std::uint32_t neighbours(std::uint32_t v, std::uint16_t origin, std::uint32_t* out) const {
        const Ring& r = rings_[origin];
        const std::uint32_t i = v - r.first;
        const std::uint8_t own = rewired_[v];
        std::uint32_t n = 0;
        for (std::uint32_t j = 1; j <= r.k; ++j) {
            const std::uint32_t right = i + j < r.size ? i + j : i + j - r.size;
            out[n++] = (own >> (j - 1)) & 1u ? rewired_target(v, j, r) : r.first + right;
        }
        for (std::uint32_t j = 1; j <= r.k; ++j) {
            const std::uint32_t left = i >= j ? i - j : i + r.size - j;
            if (!((rewired_[r.first + left] >> (j - 1)) & 1u)) out[n++] = r.first + left;
        }
        return n;
    }

    /// Where link j of member v goes when it is rewired (a uniform member of its origin's ring).
    [[nodiscard]] std::uint32_t rewired_target(std::uint32_t v, std::uint32_t j, const Ring& r) const {
        return target_of(rng_.draw(Purpose::social_graph, v, j), r);
    }
    /// Whether link j of member v, at offset i of ring r, is rewired, and its target; the one rule
    /// both representations follow (a draw of the member itself keeps the ring link).
    static std::pair<bool, std::uint32_t> place_link(const Rng& rng, double rewire, std::uint32_t v,
                                                     std::uint32_t i, std::uint32_t j, const Ring& r) {
        const Draws d = rng.draw(Purpose::social_graph, v, j);
        const std::uint32_t ring = r.first + (i + j) % r.size;
        if (d[0] >= rewire) return {false, ring};
        const std::uint32_t u = target_of(d, r);
        return u == v ? std::pair{false, ring} : std::pair{true, u};
    }
    /// The member a rewired link goes to: uniform over the ring, from the link's second draw.
    static std::uint32_t target_of(const Draws& d, const Ring& r) {
        return r.first + static_cast<std::uint32_t>(d[1] * r.size);
    }

    [[nodiscard]] std::size_t bytes() const {
        if (implicit_) return rewired_.size() + rings_.size() * sizeof(Ring);
        return csr_.m_forward.m_rowstart.size() * sizeof(std::uint32_t) +
               csr_.m_forward.m_column.size() * sizeof(std::uint32_t);
    }
    [[nodiscard]] const SocialCsr& csr() const { return csr_; }

    /// What a checkpoint keeps of the graph: the row offsets and arcs of an explicit graph, the
    /// rewired-link marks of an implicit one.
    std::vector<StateBlock> state_blocks() {
        if (implicit_) return {block_of("graph.rewired", rewired_)};
        return {block_of("graph.row_start", csr_.m_forward.m_rowstart),
                block_of("graph.column", csr_.m_forward.m_column)};
    }

  private:
    bool implicit_ = false;
    SocialCsr csr_;
    std::vector<Ring> rings_;
    Column<std::uint8_t> rewired_;
    Rng rng_{0};
};

} // namespace bridges::core
