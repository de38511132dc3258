#include "core/engine/engine.hpp"

#include "core/behaviours/phases.hpp"
#include "core/behaviours/remit.hpp"
#include "core/engine/finite_check.hpp"
#include "core/errors.hpp"
#include "core/policy/corridor_algebra.hpp"

#include <algorithm>
#include <stdexcept>

namespace bridges::core {

namespace {

bool contains(const std::vector<std::string>& list, const std::string& s) {
    return std::find(list.begin(), list.end(), s) != list.end();
}

int index_of(const World& w, const std::string& code) {
    const int i = w.countries.find(code);
    if (i < 0) throw std::invalid_argument("unknown country '" + code + "'");
    return i;
}

void check_codes(const World& w, const std::vector<std::string>& codes) {
    for (const auto& c : codes)
        index_of(w, c);
}

bool skill_default_is_skilled(const std::string& kind) {
    return kind == "knowledge_transfer" || kind == "skills_recognition";
}

} // namespace

std::vector<ResolvedPolicy> resolve_policies(const Scenario& s, const World& w) {
    std::vector<ResolvedPolicy> out;
    for (const auto& p : s.policies) {
        ResolvedPolicy r;
        r.spec = &p;
        r.by = index_of(w, p.by);
        r.from = p.from.year == 0 ? 0 : p.from.ordinal() - s.start.ordinal(); // year 0: the start
        r.to = p.to.ordinal() - s.start.ordinal();
        check_codes(w, p.target.origins);
        check_codes(w, p.target.hosts);
        std::vector<std::string> origins = p.target.origins, hosts = p.target.hosts;
        // A lever reaches the diaspora of the state that applies it, or, for a state that is
        // only a host, the migrants living there.
        if (origins.empty() && hosts.empty() && !p.target.all) {
            if (w.countries.is_origin[r.by] && p.kind != "skills_recognition")
                origins.push_back(p.by);
            else
                hosts.push_back(p.by);
        }
        r.corridor_mask.resize(w.corridors.size());
        for (std::size_t k = 0; k < w.corridors.size(); ++k) {
            const bool o = origins.empty() || contains(origins, w.countries.code[w.corridors.origin[k]]);
            const bool h = hosts.empty() || contains(hosts, w.countries.code[w.corridors.host[k]]);
            r.corridor_mask[k] = o && h ? 1 : 0;
        }
        if (!p.target.skills.empty()) {
            r.skill_mask = 0;
            const char* names[kSkills] = {"low", "mid", "high"};
            for (int i = 0; i < kSkills; ++i)
                if (contains(p.target.skills, names[i])) r.skill_mask |= 1u << i;
        } else if (skill_default_is_skilled(p.kind)) {
            r.skill_mask = 0b110;
        }
        out.push_back(std::move(r));
    }
    return out;
}

std::vector<ResolvedShock> resolve_shocks(const Scenario& s, const World& w) {
    std::vector<ResolvedShock> out;
    for (const auto& sh : s.shocks) {
        ResolvedShock r;
        r.spec = &sh;
        r.from = sh.from.ordinal() - s.start.ordinal();
        r.to = r.from + static_cast<std::int32_t>(sh.months) - 1;
        r.country_mask.assign(w.countries.size(), sh.countries.empty() ? 1 : 0);
        for (const auto& c : sh.countries)
            r.country_mask[index_of(w, c)] = 1;
        out.push_back(std::move(r));
    }
    return out;
}

Engine::Engine(Scenario scenario, Execution exec)
    : scenario_(std::move(scenario)), exec_(exec), world_(build_world(scenario_)),
      rng_(static_cast<std::uint64_t>(scenario_.seed)), policies_(resolve_policies(scenario_, world_)),
      shocks_(resolve_shocks(scenario_, world_)) {
    const std::size_t nc = world_.countries.size();
    state_.growth_index.assign(nc, 1.0);
    state_.disaster_loss.assign(nc, 0.0);
    state_.matching_spent.assign(policies_.size(), 0.0);
    state_.bond_sold.assign(policies_.size(), 0.0);
    state_.community_contrib_cents.assign(world_.communities.size(), 0);
    state_.years_factor.resize(kYearBins * 12 * 2);
    for (std::size_t i = 0; i < state_.years_factor.size(); ++i)
        state_.years_factor[i] = years_multiplier(scenario_.behaviour.remit, static_cast<double>(i) / 12.0);
    state_.amount_factor = amount_factors(scenario_, world_);
    const Eigen::VectorXd hhi = CorridorAlgebra(world_).destination_concentration();
    state_.destination_concentration.assign(hhi.data(), hhi.data() + hhi.size());
}

void Engine::check_finite() const {
    const auto found = find_non_finite(world_, state_, record_, exec_);
    if (!found) return;
    throw StateError("month " + record_.date.to_string() + " (" + std::to_string(month_ + 1) + " of " +
                     std::to_string(scenario_.months) + "): " + found->describe(world_) +
                     "; the run stops (the model left the range it is built for)");
}

std::vector<StateBlock> Engine::state_blocks() {
    std::vector<StateBlock> b = {
        {"engine.month", &month_, sizeof month_},
        block_of("state.growth_index", state_.growth_index),
        block_of("state.disaster_loss", state_.disaster_loss),
        block_of("state.matching_spent", state_.matching_spent),
        block_of("state.bond_sold", state_.bond_sold),
        block_of("state.community_contrib_cents", state_.community_contrib_cents),
        {"state.imbalance_cents", &state_.imbalance_cents, sizeof state_.imbalance_cents},
    };
    for (auto& w : world_.state_blocks())
        b.push_back(std::move(w));
    return b;
}

StepContext Engine::context() {
    return StepContext{
        scenario_, scenario_.behaviour, world_, state_, policies_, shocks_, cond_, tally_, rng_, month_,
        exec_};
}

const MonthRecord& Engine::step() {
    tally_ = Tally(world_.corridors.size(), world_.countries.size(), policies_.size());
    StepContext ctx = context();
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
    phases::record(ctx, record_);
    check_finite();
    ++month_;
    return record_;
}

} // namespace bridges::core
