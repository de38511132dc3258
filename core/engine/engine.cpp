#include "core/engine/engine.hpp"

#include "core/base/errors.hpp"
#include "core/behaviours/phases.hpp"
#include "core/behaviours/remit.hpp"
#include "core/engine/finite_check.hpp"
#include "core/world/corridor_algebra.hpp"

#include <cmath>

namespace bridges::core {

namespace {
constexpr std::uint32_t kBurnInKeys = 1u << 16; // draws' month keys wrap here
} // namespace

Engine::Engine(Scenario scenario, Execution exec)
    : scenario_(std::move(scenario)), exec_(exec), world_(build_world(scenario_)),
      rng_(static_cast<std::uint64_t>(scenario_.seed)), policies_(resolve_policies(scenario_, world_)),
      shocks_(resolve_shocks(scenario_, world_)) {
    const std::size_t nc = world_.countries.size();
    scratch_.growth_index.assign(nc, 1.0);
    scratch_.price_index.assign(nc, 1.0);
    state_.present.assign(world_.corridors.size(), 0);
    for (std::size_t h = 0; h < world_.households.size(); ++h)
        if (world_.households.corridor[h] != kNoCorridor)
            for (auto m = world_.households.first_member[h]; m < world_.households.first_member[h + 1]; ++m)
                state_.present[world_.households.corridor[h]] += world_.members.present[m];
    state_.disaster_loss.assign(nc, 0.0);
    state_.matching_spent.assign(policies_.size(), 0.0);
    state_.bond_sold.assign(policies_.size(), 0.0);
    scratch_.community_contrib_cents.assign(world_.communities.size(), 0);
    scratch_.community_relief_cents.assign(world_.communities.size(), 0);
    constants_.years_factor.resize(kYearBins * 12 * 2);
    for (std::size_t i = 0; i < constants_.years_factor.size(); ++i)
        constants_.years_factor[i] =
            years_multiplier(scenario_.behaviour.remit, static_cast<double>(i) / 12.0);
    constants_.amount_factor = amount_factors(scenario_, world_);
    const Eigen::VectorXd hhi = destination_concentration(world_);
    constants_.destination_concentration.assign(hhi.data(), hhi.data() + hhi.size());
    constants_.origin_households.assign(nc, 0.0);
    for (std::size_t c = 0; c < world_.communities.size(); ++c)
        constants_.origin_households[world_.communities.origin[c]] += community_households(world_, c);
    burn_in();
}

void Engine::burn_in() {
    const std::vector<ResolvedPolicy> no_policies;
    const std::vector<ResolvedShock> no_shocks;
    const auto months = static_cast<std::uint32_t>(scenario_.population.burn_in_months);
    for (std::uint32_t i = 0; i < months; ++i) {
        tally_ = Tally(world_.corridors.size(), world_.countries.size(), 0);
        // Draws are keyed by the month modulo 2^16: the burn-in takes the keys just below 2^16,
        // which no run reaches (at most 1,200 months).
        StepContext ctx = context_of(no_policies, no_shocks, kBurnInKeys - months + i, true);
        run_phases(ctx);
    }
    tally_ = Tally(world_.corridors.size(), world_.countries.size(), policies_.size());
    settle_stocks(months);
}

void Engine::settle_stocks(std::uint32_t months) {
    // A stock fed by a steady inflow I and depreciating at d a month holds I (1 - (1 - d)^n) / d
    // after n months from nothing, and I / d at its steady state: the burn-in's stocks, scaled up
    // by 1 / (1 - (1 - d)^n), are the steady state of the burn-in's inflows.
    const auto steady = [months](double d) {
        const double filled = 1.0 - std::pow(1.0 - d, static_cast<double>(months));
        return filled > 0 ? 1.0 / filled : 1.0;
    };
    if (months == 0) return;
    const double development = steady(scenario_.behaviour.collective.depreciation);
    for (auto& x : world_.communities.development_usd)
        x *= development;
    const auto invested = static_cast<float>(steady(scenario_.behaviour.invest.depreciation));
    for (auto& x : world_.households.invested_usd)
        x *= invested;
}

void Engine::run_phases(StepContext& ctx) {
    phases::environment(ctx);
    phases::labour(ctx);
    phases::information(ctx);
    phases::remit(ctx);
    phases::collective(ctx);
    phases::invest(ctx);
    phases::skills(ctx);
    phases::crisis(ctx);
    phases::settle(ctx);
    phases::households(ctx);
    phases::slow_state(ctx);
}

void Engine::check_finite() const {
    const auto found = find_non_finite(world_, state_, scratch_, record_, exec_);
    if (!found) return;
    throw StateError("month " + record_.date.to_string() + " (" + std::to_string(month_ + 1) + " of " +
                     std::to_string(scenario_.months) + "): " + found->describe(world_) +
                     "; the run stops (the model left the range it is built for)");
}

std::vector<StateBlock> Engine::state_blocks() {
    std::vector<StateBlock> b = {
        {"engine.month", &month_, sizeof month_},
        block_of("state.disaster_loss", state_.disaster_loss),
        block_of("state.matching_spent", state_.matching_spent),
        block_of("state.bond_sold", state_.bond_sold),
        block_of("state.present", state_.present),
    };
    for (auto& w : world_.state_blocks())
        b.push_back(std::move(w));
    return b;
}

StepContext Engine::context() {
    return context_of(policies_, shocks_, month_, false);
}

StepContext Engine::context_of(const std::vector<ResolvedPolicy>& policies,
                               const std::vector<ResolvedShock>& shocks, std::uint32_t month, bool burn_in) {
    return StepContext{scenario_, scenario_.behaviour,
                       world_,    state_,
                       scratch_,  constants_,
                       policies,  shocks,
                       cond_,     tally_,
                       rng_,      month,
                       exec_,     burn_in};
}

const MonthRecord& Engine::step() {
    tally_ = Tally(world_.corridors.size(), world_.countries.size(), policies_.size());
    StepContext ctx = context();
    run_phases(ctx);
    phases::record(ctx, record_);
    check_finite();
    ++month_;
    return record_;
}

} // namespace bridges::core
