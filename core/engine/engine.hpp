#pragma once
// The engine: a compiled world stepped one month at a time. Engine::step() is the table of
// contents of a month (docs/model.md section 3); each phase lives in core/behaviours/.

#include "core/engine/metrics.hpp"
#include "core/engine/step_context.hpp"

#include <memory>

namespace bridges::core {

class Engine {
  public:
    /// Takes a frozen copy of the scenario and builds the world (throws std::invalid_argument on
    /// an unresolved reference; the io reader reports those with file positions first).
    explicit Engine(Scenario scenario, Execution exec = Execution::parallel);
    Engine(const Engine&) = delete; // resolved levers point into the engine's own scenario
    Engine& operator=(const Engine&) = delete;

    /// Simulates the next month and returns its record. Throws StateError, naming the entity,
    /// the column and the month, when the month leaves a NaN or an infinity anywhere in the state.
    const MonthRecord& step();

    [[nodiscard]] int month() const { return static_cast<int>(month_); }
    [[nodiscard]] int months() const { return static_cast<int>(scenario_.months); }
    [[nodiscard]] bool done() const { return month_ >= scenario_.months; }
    [[nodiscard]] const Scenario& scenario() const { return scenario_; }
    [[nodiscard]] const World& world() const { return world_; }
    [[nodiscard]] World& world() { return world_; }
    [[nodiscard]] const Tally& last_tally() const { return tally_; }
    [[nodiscard]] const MonthRecord& last_record() const { return record_; }
    /// Ledger imbalance of the last month, in agent-level cents (zero when money is conserved).
    [[nodiscard]] std::int64_t state_imbalance_cents() const { return scratch_.imbalance_cents; }

    /// Every piece of state that the months to come depend on, named, in a fixed order: the
    /// month, the country-level state, the world's columns and the social graph. A checkpoint
    /// saves these bytes; restoring them into an engine built from the same scenario continues
    /// the run exactly (everything else is rebuilt from the scenario or recomputed each month).
    std::vector<StateBlock> state_blocks();

    /// What the phases of the next month see (a benchmark runs one phase alone with it; its tally
    /// is the engine's own).
    StepContext context();

  private:
    void check_finite() const;
    /// The context of a month with these levers and shocks (the burn-in's have none).
    StepContext context_of(const std::vector<ResolvedPolicy>& policies,
                           const std::vector<ResolvedShock>& shocks, std::uint32_t month, bool burn_in);
    /// Phases 1 to 11 of one month (the record is the twelfth).
    static void run_phases(StepContext& ctx);
    /// population.burn_in_months months before the start, without levers or shocks, at start
    /// prices and unrecorded, so that the run starts from the world's own steady state.
    void burn_in();
    /// After a burn-in of `months`: the development and invested stocks at the steady state of the
    /// burn-in's inflows.
    void settle_stocks(std::uint32_t months);

    Scenario scenario_;
    Execution exec_;
    World world_;
    Rng rng_;
    std::vector<ResolvedPolicy> policies_;
    std::vector<ResolvedShock> shocks_;
    EngineState state_;
    MonthScratch scratch_;
    RunConstants constants_;
    MonthConditions cond_;
    Tally tally_;
    MonthRecord record_;
    std::uint32_t month_ = 0;
};

} // namespace bridges::core
