#include "core/engine/finite_check.hpp"

#include "core/base/parallel.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <sstream>
#include <type_traits>

namespace bridges::core {

namespace {

/// All exponent bits set: an infinity or a NaN (an integer test, so that the scan vectorises).
inline bool non_finite(float x) {
    return (std::bit_cast<std::uint32_t>(x) & 0x7f800000u) == 0x7f800000u;
}
inline bool non_finite(double x) {
    return (std::bit_cast<std::uint64_t>(x) & 0x7ff0000000000000ull) == 0x7ff0000000000000ull;
}

/// The lowest index of a non-finite element of `v`, or v.size(). Blocks are scanned in parallel
/// without early exit; the first flagged block is then searched, so the answer does not depend
/// on the split.
template <class Vec> std::size_t first_non_finite(const Vec& v, Execution exec) {
    constexpr std::size_t kBlock = std::size_t{1} << 15;
    const std::size_t n = v.size(), blocks = (n + kBlock - 1) / kBlock;
    std::vector<std::uint8_t> flagged(blocks, 0);
    auto scan = [&](std::size_t b) {
        const std::size_t end = std::min(n, (b + 1) * kBlock);
        bool bad = false;
        for (std::size_t i = b * kBlock; i < end; ++i)
            bad |= non_finite(v[i]);
        flagged[b] = bad ? 1 : 0;
    };
    if (exec == Execution::serial || blocks < 2) {
        for (std::size_t b = 0; b < blocks; ++b)
            scan(b);
    } else {
        core::parallel_for(std::size_t{0}, blocks, scan);
    }
    for (std::size_t b = 0; b < blocks; ++b)
        if (flagged[b])
            for (std::size_t i = b * kBlock; i < std::min(n, (b + 1) * kBlock); ++i)
                if (non_finite(v[i])) return i;
    return n;
}

} // namespace

std::string NonFinite::describe(const World& w) const {
    std::ostringstream s;
    s << entity << ' ' << index;
    if (entity == "member") {
        // The household owning the member: first_member is ascending.
        const auto& fm = w.households.first_member;
        const auto it = std::upper_bound(fm.begin(), fm.end(), static_cast<std::uint32_t>(index));
        const std::size_t h = static_cast<std::size_t>(it - fm.begin()) - 1;
        s << " (household " << h;
        const std::uint16_t k = w.households.corridor[h];
        if (k != kNoCorridor)
            s << ", corridor " << w.countries.code[w.corridors.origin[k]] << " -> "
              << w.countries.code[w.corridors.host[k]];
        s << ')';
    } else if (entity == "country" && index < w.countries.size()) {
        s << " (" << w.countries.code[index] << ')';
    } else if (entity == "corridor" && index < w.corridors.size()) {
        s << " (" << w.countries.code[w.corridors.origin[index]] << " -> "
          << w.countries.code[w.corridors.host[index]] << ')';
    }
    s << " has " << column << " = " << value;
    return s.str();
}

std::optional<NonFinite> find_non_finite(const World& w, const EngineState& s, const MonthScratch& scratch,
                                         const MonthRecord& r, Execution exec) {
    std::optional<NonFinite> found;
    auto check = [&](const char* entity, const char* column, const auto& v) {
        if (found) return;
        const std::size_t i = first_non_finite(v, exec);
        if (i < v.size()) found = NonFinite{entity, i, column, static_cast<double>(v[i])};
    };
    // Every floating-point state column of members, households and communities, in list order.
    auto check_columns = [&](const char* entity, const auto& set) {
        set.each_column([&](const ColumnInfo& c, const auto& col) {
            using T = typename std::decay_t<decltype(col)>::value_type;
            if constexpr (std::is_floating_point_v<T>)
                if (c.life == Life::state) check(entity, c.name, col);
        });
    };
    check_columns("member", w.members);
    check_columns("household", w.households);
    check_columns("community", w.communities);
    check("country", "growth_index", scratch.growth_index);
    check("country", "price_index", scratch.price_index);
    check("country", "disaster_loss", s.disaster_loss);
    check("policy", "matching_spent", s.matching_spent);
    check("policy", "bond_sold", s.bond_sold);
    const auto& vars = output_variables();
    for (std::size_t i = 0; i < r.values.size() && !found; ++i) {
        const std::size_t j = first_non_finite(r.values[i], Execution::serial);
        if (j == r.values[i].size()) continue;
        const char* entity = vars[i].axis == Axis::country    ? "country"
                             : vars[i].axis == Axis::corridor ? "corridor"
                             : vars[i].axis == Axis::none     ? "world"
                                                              : "years-abroad bin";
        found =
            NonFinite{entity, j, std::string("output ") + vars[i].group + "/" + vars[i].name, r.values[i][j]};
    }
    return found;
}

} // namespace bridges::core
