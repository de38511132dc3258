// Phase 9: settlement. Every transfer was posted to the ledger by its sender (paid, fees,
// losses) and its receiver (received). Here the books are closed: each entry must satisfy
// paid = received + fees + losses, and what households hold as receipts must equal what the
// ledger credited to them. Any difference, in cents, is the month's imbalance.
// Reads: the ledger, household receipts. Writes: the month's imbalance.

#include "core/behaviours/phases.hpp"

#include <cstdlib>

namespace bridges::core::phases {

void settle(StepContext& ctx) {
    const World& w = ctx.world;
    // The receivers' side, summed from the households' own state.
    const std::vector<std::int64_t> held =
        sum_communities(ctx, w.corridors.size(), [&](std::size_t c, std::vector<std::int64_t>& sums) {
            for (auto h = w.communities.first_household[c]; h < w.communities.first_household[c + 1]; ++h)
                if (w.households.corridor[h] != kNoCorridor)
                    sums[w.households.corridor[h]] += w.households.receipts_cents[h];
        });
    std::int64_t imbalance = ctx.tally.ledger.absolute_imbalance();
    for (std::size_t k = 0; k < held.size(); ++k) {
        const std::int64_t credited = ctx.tally.ledger.at(k, Flow::family, Channel::formal).received +
                                      ctx.tally.ledger.at(k, Flow::family, Channel::informal).received;
        imbalance += std::llabs(credited - held[k]);
    }
    ctx.scratch.imbalance_cents = imbalance;
}

} // namespace bridges::core::phases
