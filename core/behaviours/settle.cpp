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
    std::vector<std::int64_t> held(w.corridors.size(), 0);
    for (std::size_t h = 0; h < w.households.size(); ++h)
        if (w.households.corridor[h] != kNoCorridor) held[w.households.corridor[h]] += w.households.receipts_cents[h];
    std::int64_t imbalance = ctx.tally.ledger.absolute_imbalance();
    for (std::size_t k = 0; k < held.size(); ++k) {
        const std::int64_t credited = ctx.tally.ledger.at(k, Flow::family, Channel::formal).received +
                                      ctx.tally.ledger.at(k, Flow::family, Channel::informal).received;
        imbalance += std::llabs(credited - held[k]);
    }
    ctx.state.imbalance_cents = imbalance;
}

} // namespace bridges::core::phases
