#pragma once
// The double-entry ledger of one month: for every corridor, flow type and channel, what senders
// paid, what receivers got, what providers charged and what informal channels lost, in integer
// cents of agent-level money. Each phase posts the sender's side (paid, fees, losses) and the
// receiver's side (received); settlement checks paid = received + fees + losses per entry and the
// households' own receipts against the ledger's credits.

#include <cstdint>
#include <vector>

namespace bridges::core {

enum class Flow : std::uint8_t { family = 0, collective, investment, bond, crisis };
inline constexpr int kFlows = 5;
enum class Channel : std::uint8_t { formal = 0, informal = 1 };
inline constexpr int kChannels = 2;

struct LedgerEntry {
    std::int64_t paid = 0, received = 0, fees = 0, losses = 0;
    [[nodiscard]] std::int64_t imbalance() const { return paid - received - fees - losses; }
};

class Ledger {
  public:
    Ledger() = default;
    explicit Ledger(std::size_t corridors) : entries_(corridors * kFlows * kChannels) {}

    LedgerEntry& at(std::size_t corridor, Flow f, Channel c) { return entries_[index(corridor, f, c)]; }
    [[nodiscard]] const LedgerEntry& at(std::size_t corridor, Flow f, Channel c) const {
        return entries_[index(corridor, f, c)];
    }
    /// Posts a transfer from the sender's side.
    void debit(std::size_t corridor, Flow f, Channel c, std::int64_t paid, std::int64_t fees,
               std::int64_t losses) {
        auto& e = at(corridor, f, c);
        e.paid += paid;
        e.fees += fees;
        e.losses += losses;
    }
    /// Posts what a receiver got.
    void credit(std::size_t corridor, Flow f, Channel c, std::int64_t received) {
        at(corridor, f, c).received += received;
    }
    void merge(const Ledger& other) {
        for (std::size_t i = 0; i < entries_.size(); ++i) {
            entries_[i].paid += other.entries_[i].paid;
            entries_[i].received += other.entries_[i].received;
            entries_[i].fees += other.entries_[i].fees;
            entries_[i].losses += other.entries_[i].losses;
        }
    }
    /// Sum of |paid - received - fees - losses| over every entry, in cents.
    [[nodiscard]] std::int64_t absolute_imbalance() const {
        std::int64_t s = 0;
        for (const auto& e : entries_)
            s += e.imbalance() < 0 ? -e.imbalance() : e.imbalance();
        return s;
    }
    [[nodiscard]] std::size_t corridors() const { return entries_.size() / (kFlows * kChannels); }

  private:
    [[nodiscard]] static std::size_t index(std::size_t k, Flow f, Channel c) {
        return (k * kFlows + static_cast<std::size_t>(f)) * kChannels + static_cast<std::size_t>(c);
    }
    std::vector<LedgerEntry> entries_;
};

/// Rounds a non-negative dollar amount to cents.
inline std::int64_t to_cents(double usd) {
    return static_cast<std::int64_t>(usd * 100.0 + 0.5);
}

} // namespace bridges::core
