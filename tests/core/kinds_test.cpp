// Every lever and shock kind of the registry (core/policy/levers.hpp, shocks.hpp) in a micro-world
// where its effect is computed by hand: on the month's conditions that the environment phase
// compiles, and for the kinds no other test runs, on the month's outputs too. The last test
// checks that no kind of the registry is left without such a test.

#include "micro_world.hpp"

#include "core/behaviours/phases.hpp"

#include <gtest/gtest.h>

#include <cctype>
#include <set>
#include <string>

using namespace bridges;
using bridges::test::country_value;
using bridges::test::micro_world;

namespace {

constexpr int kOrigin = 0, kHost = 1;

/// The conditions of the first month of `s`: the environment phase alone.
core::MonthConditions first_conditions(const core::Scenario& s) {
    core::Engine e(s);
    core::StepContext ctx = e.context();
    core::phases::environment(ctx);
    return ctx.cond;
}

core::Scenario with_lever(core::PolicySpec p) {
    core::Scenario s = micro_world(10);
    s.policies = {std::move(p)};
    return s;
}

core::Scenario with_shock(core::ShockSpec sh) {
    core::Scenario s = micro_world(10);
    s.shocks = {std::move(sh)};
    return s;
}

/// "consular_services" -> "ConsularServices": the test names of a kind.
std::string camel(const std::string& name) {
    std::string out;
    bool up = true;
    for (char c : name) {
        if (c == '_') {
            up = true;
            continue;
        }
        out += up ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : c;
        up = false;
    }
    return out;
}

} // namespace

// ---------------------------------------------------------------- levers ---------------------

TEST(LeverKinds, Outreach) {
    core::levers::Outreach o;
    o.reach = 0.25;
    o.cost_per_contact_usd = 1.5;
    const auto c = first_conditions(with_lever(core::PolicySpec(o, "ORI")));
    for (int s = 0; s < core::kSkills; ++s) {
        const auto& g = c.group[static_cast<std::size_t>(s)];
        EXPECT_FLOAT_EQ(g.outreach_reach, 0.25f);
        EXPECT_FLOAT_EQ(g.outreach_awareness, 0.5f);
        EXPECT_EQ(g.outreach_policy, 0);
        EXPECT_EQ(g.outreach_contact_cents, 150);
    }
}

TEST(LeverKinds, DiasporaInstitution) {
    core::levers::DiasporaInstitution d;
    d.erosion_reduction = 0.4;
    d.trust_gain = 0.1;
    const auto c = first_conditions(with_lever(core::PolicySpec(d, "ORI")));
    EXPECT_DOUBLE_EQ(c.origin[kOrigin].erosion_factor, 0.6);
    EXPECT_DOUBLE_EQ(c.origin[kOrigin].trust_target, 0.5 + 0.1); // governance 0.5
    EXPECT_DOUBLE_EQ(c.origin[kHost].erosion_factor, 1.0);
}

TEST(LeverKinds, ConsularServices) {
    core::levers::ConsularServices d;
    d.erosion_reduction = 0.25;
    d.trust_gain = 0.2;
    core::Scenario s = with_lever(core::PolicySpec(d, "ORI"));
    const auto c = first_conditions(s);
    EXPECT_DOUBLE_EQ(c.origin[kOrigin].erosion_factor, 0.75);
    EXPECT_DOUBLE_EQ(c.origin[kOrigin].trust_target, 0.7);
    // Outcome: with everyone's trust at 0.5, a month moves it trust_adjustment of the way to 0.7.
    s.population.trust_spread = 0;
    s.behaviour.information.diffusion = 0;
    core::Engine e(s);
    const double adjust = s.behaviour.slow.trust_adjustment;
    EXPECT_NEAR(country_value(e.step(), "trust_mean", kOrigin), 0.5 + adjust * 0.2, 1e-6);
}

TEST(LeverKinds, CostCap) {
    core::levers::CostCap cap;
    cap.cap = 0.02;
    cap.subsidised = true;
    const auto c = first_conditions(with_lever(core::PolicySpec(cap, "ORI")));
    EXPECT_DOUBLE_EQ(c.corridor[0].cost_formal, 0.02);
    EXPECT_DOUBLE_EQ(c.corridor[0].cap_subsidy, 0.05 - 0.02);
    EXPECT_EQ(c.corridor[0].cap_policy, 0);
}

TEST(LeverKinds, FinancialInclusion) {
    core::levers::FinancialInclusion f;
    f.access_gain = 0.3;
    const auto c = first_conditions(with_lever(core::PolicySpec(f, "ORI")));
    EXPECT_DOUBLE_EQ(c.corridor[0].inclusion, 0.5 + 0.3); // the origin's financial_inclusion 0.5
    f.access_gain = 0.9;
    EXPECT_DOUBLE_EQ(first_conditions(with_lever(core::PolicySpec(f, "ORI"))).corridor[0].inclusion, 1.0);
}

TEST(LeverKinds, Matching) {
    core::levers::Matching m;
    m.ratio = 2;
    m.annual_cap_usd = 5000;
    const auto c = first_conditions(with_lever(core::PolicySpec(m, "ORI")));
    EXPECT_DOUBLE_EQ(c.origin[kOrigin].matching_ratio, 2.0);
    EXPECT_DOUBLE_EQ(c.origin[kOrigin].matching_cap_usd, 5000.0);
    EXPECT_EQ(c.origin[kOrigin].matching_policy, 0);
}

TEST(LeverKinds, DiasporaBond) {
    core::levers::DiasporaBond b;
    b.size_usd = 1e6;
    b.marketing = 0.4;
    const auto c = first_conditions(with_lever(core::PolicySpec(b, "ORI")));
    EXPECT_EQ(c.origin[kOrigin].bond_policy, 0);
    EXPECT_DOUBLE_EQ(c.origin[kOrigin].bond_size_usd, 1e6);
    EXPECT_DOUBLE_EQ(c.origin[kOrigin].bond_marketing, 0.4);
    EXPECT_EQ(c.group[0].bond_eligible, 1);
    // Coupons are owed for the tenor from the window's first month, open or not.
    EXPECT_DOUBLE_EQ(b.obligation_usd(59, 0, 1200), 1200 * b.coupon / 12.0);
    EXPECT_DOUBLE_EQ(b.obligation_usd(60, 0, 1200), 0.0);
}

TEST(LeverKinds, InvestmentIncentive) {
    core::levers::InvestmentIncentive inc;
    inc.subsidy_rate = 0.2;
    inc.uptake_gain = 1.5;
    core::Scenario s = with_lever(core::PolicySpec(inc, "ORI"));
    const auto c = first_conditions(s);
    EXPECT_DOUBLE_EQ(c.origin[kOrigin].invest_shift, 1.5);
    EXPECT_DOUBLE_EQ(c.origin[kOrigin].invest_subsidy, 0.2);
    // Outcome: every member invests (threshold 0, certain), and the state pays 20% on top, booked
    // in whole cents per investment: within half a cent for each of the 10 members.
    s.behaviour.invest.threshold_usd = 0;
    s.behaviour.invest.intercept = 50;
    core::Engine e(s);
    const auto& r = e.step();
    const double invested = country_value(r, "investment_usd", kOrigin);
    EXPECT_GT(invested, 10 * 100.0);
    EXPECT_NEAR(country_value(r, "program_cost_usd", kOrigin), 0.2 * invested, 10 * 0.005);
}

TEST(LeverKinds, SkillsRecognition) {
    core::levers::SkillsRecognition rec;
    rec.income_gain = 0.2;
    // Applied by the host, it reaches the migrants living there, mid- and high-skill only.
    core::Scenario s = with_lever(core::PolicySpec(rec, "HST"));
    const auto c = first_conditions(s);
    EXPECT_FLOAT_EQ(c.group[0].earnings_factor, 1.0f); // low skill
    EXPECT_FLOAT_EQ(c.group[1].earnings_factor, 1.2f);
    EXPECT_FLOAT_EQ(c.group[2].earnings_factor, 1.2f);
    // Outcome: mid-skill earnings 24000 * 0.75 / 12 = 1500 a month, recognised: 1800.
    s.population.skill_low = 0;
    s.population.skill_mid = 1;
    core::Engine e(s);
    EXPECT_NEAR(e.step().get("corridors", "earnings_mean_usd")[0], 1800.0, 1e-3);
    // Low-skill members (the micro-world's) earn their 900.
    core::Engine low(with_lever(core::PolicySpec(rec, "HST")));
    EXPECT_NEAR(low.step().get("corridors", "earnings_mean_usd")[0], 900.0, 1e-3);
}

TEST(LeverKinds, KnowledgeTransfer) {
    core::levers::KnowledgeTransfer k;
    k.capacity_pm = 7;
    k.cost_per_pm_usd = 2500.25;
    const auto c = first_conditions(with_lever(core::PolicySpec(k, "ORI")));
    EXPECT_DOUBLE_EQ(c.origin[kOrigin].knowledge_capacity, 7.0); // scale 1
    EXPECT_EQ(c.origin[kOrigin].knowledge_pm_cents, 250025);
    EXPECT_EQ(c.group[0].knowledge_eligible, 0); // low skill is not eligible by default
    EXPECT_EQ(c.group[1].knowledge_eligible, 1);
}

TEST(LeverKinds, OrgCapacity) {
    core::levers::OrgCapacity o;
    o.contribution_gain = 0.4;
    o.join_gain = 0.6;
    const auto c = first_conditions(with_lever(core::PolicySpec(o, "ORI")));
    EXPECT_DOUBLE_EQ(c.origin[kOrigin].contribution_gain, 0.4);
    EXPECT_DOUBLE_EQ(c.origin[kOrigin].join_gain, 0.6);
}

TEST(LeverKinds, Representation) {
    core::levers::Representation rep;
    rep.trust_gain = 0.15;
    const auto c = first_conditions(with_lever(core::PolicySpec(rep, "ORI")));
    EXPECT_DOUBLE_EQ(c.origin[kOrigin].trust_target, 0.65);
}

TEST(LeverKinds, Partnership) {
    // A partnership of scale 0.5 makes the state's representation 1.5 times as strong, and has no
    // effect of its own; a partnership of another state changes nothing.
    core::levers::Representation rep;
    rep.trust_gain = 0.1;
    core::levers::Partnership part;
    part.scale = 0.5;
    core::Scenario s = with_lever(core::PolicySpec(rep, "ORI"));
    s.policies.push_back(core::PolicySpec(part, "ORI"));
    EXPECT_DOUBLE_EQ(first_conditions(s).origin[kOrigin].trust_target, 0.5 + 0.1 * 1.5);
    s.policies[1].by = "HST";
    EXPECT_DOUBLE_EQ(first_conditions(s).origin[kOrigin].trust_target, 0.6);
    s.policies = {core::PolicySpec(part, "ORI")};
    EXPECT_DOUBLE_EQ(first_conditions(s).origin[kOrigin].trust_target, 0.5);
}

// ---------------------------------------------------------------- shocks ---------------------

TEST(ShockKinds, OriginDisaster) {
    core::shocks::OriginDisaster d;
    d.households_hit = 0.25;
    core::Scenario s = with_shock(core::ShockSpec(d, {"ORI"}, micro_world().start, 2));
    s.behaviour.crisis.reconstruction_months = 1;
    core::Engine e(s);
    std::vector<core::OriginConditions> months;
    for (int m = 0; m < 4; ++m) {
        core::StepContext ctx = e.context();
        e.step();
        months.push_back(ctx.cond.origin[kOrigin]);
    }
    EXPECT_TRUE(months[0].disaster_onset && months[0].crisis);
    EXPECT_DOUBLE_EQ(months[0].disaster_hit, 0.25);
    EXPECT_EQ(months[0].disaster_months, 2);
    EXPECT_TRUE(months[1].crisis && !months[1].disaster_onset);
    EXPECT_TRUE(months[2].reconstruction && !months[2].crisis);
    EXPECT_FALSE(months[3].reconstruction);
}

TEST(ShockKinds, OriginConflict) {
    core::shocks::OriginConflict k;
    k.trust_drop = 0.1;
    k.informal_shift = 2;
    k.income_loss = 0.3;
    core::Scenario s = with_shock(core::ShockSpec(k, {"ORI"}, micro_world().start, 3));
    const auto c = first_conditions(s);
    EXPECT_TRUE(c.origin[kOrigin].crisis);
    EXPECT_DOUBLE_EQ(c.origin[kOrigin].trust_target, 0.4);
    EXPECT_DOUBLE_EQ(c.origin[kOrigin].invest_shift, s.behaviour.invest.conflict);
    EXPECT_DOUBLE_EQ(c.corridor[0].formal_shift, 2.0);
    // Outcome: household incomes 500 * 0.7 = 350; the host is not hit.
    core::Engine e(s);
    const auto& r = e.step();
    EXPECT_DOUBLE_EQ(country_value(r, "income_migrant_hh_usd", kOrigin), 350.0);
    EXPECT_DOUBLE_EQ(country_value(r, "income_non_migrant_hh_usd", kOrigin), 350.0);
}

TEST(ShockKinds, HostRecession) {
    core::shocks::HostRecession h;
    h.income_drop = 0.1;
    h.job_loss = 0.01;
    const auto c = first_conditions(with_shock(core::ShockSpec(h, {"HST"}, micro_world().start)));
    EXPECT_FLOAT_EQ(c.group[0].earnings_factor, 1.0f - 0.15f);
    EXPECT_FLOAT_EQ(c.group[2].earnings_factor, 1.0f - 0.05f);
    EXPECT_FLOAT_EQ(c.group[1].extra_job_loss, 0.01f);
}

TEST(ShockKinds, FxShock) {
    core::shocks::FxShock f;
    f.depreciation = 0.2;
    core::Scenario s = with_shock(core::ShockSpec(f, {"ORI"}, micro_world().start));
    const auto c = first_conditions(s);
    EXPECT_DOUBLE_EQ(c.origin[kOrigin].price_shock, 0.8); // a dollar buys 1 / 0.8 as much
    EXPECT_DOUBLE_EQ(c.origin[kOrigin].household_income_factor, 0.8);
    core::Engine e(s);
    EXPECT_DOUBLE_EQ(country_value(e.step(), "income_migrant_hh_usd", kOrigin), 400.0); // 500 * 0.8
}

TEST(ShockKinds, Pandemic) {
    core::shocks::Pandemic p;
    p.income_drop = 0.1;
    p.job_loss = 0;
    p.income_loss = 0.2;
    p.informal_disruption = 0.7;
    core::Scenario s = with_shock(core::ShockSpec(p, {}, micro_world().start)); // every country
    const auto c = first_conditions(s);
    EXPECT_FLOAT_EQ(c.group[0].earnings_factor, 0.9f);
    EXPECT_DOUBLE_EQ(c.corridor[0].informal_disruption, 0.7);
    EXPECT_TRUE(c.origin[kOrigin].crisis);
    EXPECT_FALSE(c.origin[kHost].crisis); // only origins are in crisis
    core::Engine e(s);
    const auto& r = e.step();
    EXPECT_NEAR(r.get("corridors", "earnings_mean_usd")[0], 810.0, 1e-3);
    EXPECT_DOUBLE_EQ(country_value(r, "income_non_migrant_hh_usd", kOrigin), 400.0);
}

// ---------------------------------------------------------------- the registry ---------------

TEST(KindRegistry, EveryKindHasItsTest) {
    std::set<std::string> tests;
    const auto* unit = ::testing::UnitTest::GetInstance();
    for (int i = 0; i < unit->total_test_suite_count(); ++i) {
        const auto* suite = unit->GetTestSuite(i);
        for (int j = 0; j < suite->total_test_count(); ++j)
            tests.insert(std::string(suite->name()) + "." + suite->GetTestInfo(j)->name());
    }
    for (const auto& name : core::LeverKinds::names())
        EXPECT_TRUE(tests.count("LeverKinds." + camel(name))) << "no test LeverKinds." << camel(name);
    for (const auto& name : core::ShockKinds::names())
        EXPECT_TRUE(tests.count("ShockKinds." + camel(name))) << "no test ShockKinds." << camel(name);
}

TEST(KindRegistry, NamesRoundTrip) {
    for (std::size_t i = 0; i < core::LeverKinds::count; ++i) {
        core::LeverParams p;
        core::LeverKinds::set(p, core::LeverKinds::names()[i]);
        EXPECT_EQ(static_cast<std::size_t>(core::kind_of(p)), i);
        EXPECT_EQ(core::LeverKinds::name(p), core::LeverKinds::names()[i]);
    }
    core::LeverParams none;
    core::LeverKinds::set(none, "matchng");
    EXPECT_EQ(none.index(), 0u);
    EXPECT_EQ(core::LeverKinds::name(none), "");
    for (std::size_t i = 0; i < core::ShockKinds::count; ++i) {
        core::ShockParams p;
        core::ShockKinds::set(p, core::ShockKinds::names()[i]);
        EXPECT_EQ(static_cast<std::size_t>(core::kind_of(p)), i);
    }
}
