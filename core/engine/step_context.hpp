#pragma once
// What every phase of a month sees: the frozen scenario, the world it mutates, the month's
// conditions, the engine's slow country-level state and the month's tally. Also the two ways of
// running a phase over communities: in parallel (oneTBB) or serially (the reference).

#include "core/base/random.hpp"
#include "core/engine/tally.hpp"
#include "core/model/scenario.hpp"
#include "core/policy/conditions.hpp"
#include "core/policy/resolved.hpp"
#include "core/world/world.hpp"

#include "core/base/parallel.hpp"
#include <tbb/blocked_range.h>
#include <tbb/enumerable_thread_specific.h>

#include <cstdint>
#include <vector>

namespace bridges::core {

enum class Execution { parallel, serial };

/// Country-level state carried from month to month: with the world's state columns, all that a
/// checkpoint holds.
struct EngineState {
    std::vector<double> disaster_loss;  // per origin: income share lost by hit households
    std::vector<double> matching_spent; // per policy: USD (persons) this calendar year
    std::vector<double> bond_sold;      // per policy: agent-level USD
    std::vector<std::int64_t> present;  // per corridor: members present at the end of the month
};

/// Computed within a month before it is read (never checkpointed).
struct MonthScratch {
    std::vector<double> growth_index; // per country: income level relative to the start
    std::vector<double> price_index;  // per country: US-dollar price of its goods relative to the start
    std::vector<std::int64_t> community_contrib_cents; // per community: contributions this month
    std::vector<std::int64_t> community_relief_cents;  // per community: relief its households received
    std::int64_t imbalance_cents = 0;                  // the ledger's imbalance this month
};

/// Constant over the run, computed once by the Engine.
struct RunConstants {
    std::vector<double> years_factor;              // remittance inverted U by whole months abroad
    std::vector<double> amount_factor;             // per corridor: propensity x host income term
    std::vector<double> destination_concentration; // per country: Herfindahl index over hosts
    std::vector<double> origin_households;         // per country: its agent households
};

struct StepContext {
    const Scenario& scenario;
    const BehaviourSpec& behaviour;
    World& world;
    EngineState& state;
    MonthScratch& scratch;
    const RunConstants& constants;
    const std::vector<ResolvedPolicy>& policies;
    const std::vector<ResolvedShock>& shocks;
    MonthConditions& cond;
    Tally& tally;
    const Rng& rng;
    std::uint32_t month; // months since the start; in the burn-in, the key of its draws
    Execution exec;
    bool burn_in = false; // a month before the start: start prices, no levers or shocks, no record

    [[nodiscard]] Tally new_tally() const {
        return Tally(world.corridors.size(), world.countries.size(), policies.size());
    }
};

/// Runs fn(community) over every community; no results.
template <class Fn> void for_each_community(const StepContext& ctx, Fn&& fn) {
    const std::size_t n = ctx.world.communities.size();
    if (ctx.exec == Execution::serial) {
        for (std::size_t c = 0; c < n; ++c)
            fn(c);
        return;
    }
    core::parallel_for(tbb::blocked_range<std::size_t>(0, n, 1),
                       [&](const tbb::blocked_range<std::size_t>& r) {
                           for (std::size_t c = r.begin(); c < r.end(); ++c)
                               fn(c);
                       });
}

/// Runs fn(community, Tally&) over every community and adds the results into ctx.tally. Each
/// worker thread fills one tally of its own (a tally per split of the range cost more than the
/// work on worlds of many corridors and few members); tallies hold integers only, so the sum is
/// the same however the communities fell to the threads.
template <class Fn> void tally_communities(StepContext& ctx, Fn&& fn) {
    const std::size_t n = ctx.world.communities.size();
    if (ctx.exec == Execution::serial) {
        Tally t = ctx.new_tally();
        for (std::size_t c = 0; c < n; ++c)
            fn(c, t);
        ctx.tally.merge(t);
        return;
    }
    tbb::enumerable_thread_specific<Tally> local([&] { return ctx.new_tally(); });
    core::parallel_for(tbb::blocked_range<std::size_t>(0, n, 1),
                       [&](const tbb::blocked_range<std::size_t>& r) {
                           Tally& t = local.local();
                           for (std::size_t c = r.begin(); c < r.end(); ++c)
                               fn(c, t);
                       });
    for (const Tally& t : local)
        ctx.tally.merge(t);
}

/// Sums fn(community, sums) over every community into `size` integer sums (exact, so the same
/// for any split), one vector per worker thread.
template <class Fn>
std::vector<std::int64_t> sum_communities(const StepContext& ctx, std::size_t size, Fn&& fn) {
    const std::size_t n = ctx.world.communities.size();
    std::vector<std::int64_t> sums(size, 0);
    if (ctx.exec == Execution::serial) {
        for (std::size_t c = 0; c < n; ++c)
            fn(c, sums);
        return sums;
    }
    tbb::enumerable_thread_specific<std::vector<std::int64_t>> local(size, std::int64_t{0});
    core::parallel_for(tbb::blocked_range<std::size_t>(0, n, 16),
                       [&](const tbb::blocked_range<std::size_t>& r) {
                           std::vector<std::int64_t>& part = local.local();
                           for (std::size_t c = r.begin(); c < r.end(); ++c)
                               fn(c, part);
                       });
    for (const auto& part : local)
        for (std::size_t i = 0; i < size; ++i)
            sums[i] += part[i];
    return sums;
}

/// Calls fn(h, k) for every household h of community c that has migrants; k is its corridor and
/// its members are [first_member[h], first_member[h + 1]).
template <class Fn> void for_migrant_households(const World& w, std::size_t c, Fn&& fn) {
    for (auto h = w.communities.first_household[c]; h < w.communities.first_household[c + 1]; ++h) {
        const std::uint16_t k = w.households.corridor[h];
        if (k != kNoCorridor) fn(h, k);
    }
}

/// Calls fn(m) for every member of household h who is present this month (a corridor whose stock
/// changes holds places for the most it reaches; the others are empty).
template <class Fn> void for_present_members(const World& w, std::uint32_t h, Fn&& fn) {
    for (auto m = w.households.first_member[h]; m < w.households.first_member[h + 1]; ++m)
        if (w.members.present[m]) fn(m);
}

/// Households of community c.
inline double community_households(const World& w, std::size_t c) {
    return static_cast<double>(w.communities.first_household[c + 1] - w.communities.first_household[c]);
}

/// Members of community c: [begin, end).
inline std::pair<std::uint32_t, std::uint32_t> community_members(const World& w, std::size_t c) {
    return {w.households.first_member[w.communities.first_household[c]],
            w.households.first_member[w.communities.first_household[c + 1]]};
}

} // namespace bridges::core
