// Micro-worlds with hand-computed flows, one per behaviour.

#include "micro_world.hpp"

#include <gtest/gtest.h>

#include <cmath>

using namespace bridges;
using bridges::test::country_value;
using bridges::test::micro_world;

namespace {
constexpr int kOrigin = 0, kHost = 1;
}

TEST(RemitBehaviour, TenNewcomersSendHalfTheirShare) {
    core::Engine e(micro_world(10));
    const auto& r = e.step();
    // 0.15 * 900 * 0.5 = 67.50 each; fee 5% = 3.375 -> 3.38 (cents round half up).
    EXPECT_DOUBLE_EQ(country_value(r, "remit_formal_usd", kOrigin), 675.0);
    EXPECT_NEAR(country_value(r, "remit_fees_usd", kOrigin), 33.80, 1e-9);
    EXPECT_NEAR(country_value(r, "remit_received_usd", kOrigin), 641.20, 1e-9);
    EXPECT_DOUBLE_EQ(country_value(r, "remit_informal_usd", kOrigin), 0.0);
    EXPECT_DOUBLE_EQ(country_value(r, "sent_usd", kHost), 675.0);
    EXPECT_DOUBLE_EQ(r.get("corridors", "senders_share")[0], 1.0);
    EXPECT_DOUBLE_EQ(r.get("global", "ledger_imbalance_usd")[0], 0.0);
}

TEST(HouseholdBehaviour, ConsumesIncomeShareAndThreeQuartersOfReceipts) {
    core::Engine e(micro_world(10));
    const auto& r = e.step();
    // 0.9 * 500 + 0.75 * 64.12 = 498.09; the household without a migrant consumes 450.
    EXPECT_NEAR(country_value(r, "consumption_migrant_hh_usd", kOrigin), 498.09, 1e-9);
    EXPECT_NEAR(country_value(r, "consumption_non_migrant_hh_usd", kOrigin), 450.0, 1e-9);
    EXPECT_NEAR(country_value(r, "remit_consumed_usd", kOrigin), 10 * 48.09, 1e-9);
    EXPECT_NEAR(country_value(r, "remit_saved_usd", kOrigin), 10 * 16.03, 1e-9);
}

TEST(InsuranceBehaviour, DisasterLossIsSixtyPercentReplaced) {
    core::Scenario s = micro_world(10);
    core::shocks::OriginDisaster d;
    d.households_hit = 1;
    d.income_loss = 0.5;
    d.asset_loss = 0;
    s.shocks = {core::ShockSpec(d, {"ORI"}, s.start, 3)};
    core::Engine e(s);
    const auto& r = e.step();
    // Income falls 500 -> 250; each migrant adds 0.6 * 250 = 150 to the 67.50 it sends.
    EXPECT_DOUBLE_EQ(country_value(r, "income_migrant_hh_usd", kOrigin), 250.0);
    EXPECT_DOUBLE_EQ(country_value(r, "remit_formal_usd", kOrigin), 10 * 217.5);
}

TEST(MatchingBehaviour, ThreeForOneOnApprovedContributions) {
    core::Scenario s = micro_world(10);
    s.population.org_member_share = 1;
    s.behaviour.collective.contribute_prob = 1;
    core::levers::Matching m;
    m.ratio = 3;
    s.policies = {core::PolicySpec(m, "ORI")};
    core::Engine e(s);
    const auto& r = e.step();
    // 10 * 25 = 250 contributed; 3 * 0.93 * 250 = 697.50 matched.
    EXPECT_DOUBLE_EQ(country_value(r, "collective_usd", kOrigin), 250.0);
    EXPECT_DOUBLE_EQ(country_value(r, "matching_usd", kOrigin), 697.5);
    EXPECT_DOUBLE_EQ(country_value(r, "program_cost_usd", kOrigin), 697.5);
    EXPECT_DOUBLE_EQ(country_value(r, "development_stock_usd", kOrigin), 947.5);
}

TEST(MatchingBehaviour, AnnualCapStopsMatchingUntilJanuary) {
    core::Scenario s = micro_world(10);
    s.months = 13;
    s.population.org_member_share = 1;
    s.behaviour.collective.contribute_prob = 1;
    core::levers::Matching m;
    m.annual_cap_usd = 1000;
    s.policies = {core::PolicySpec(m, "ORI")};
    core::Engine e(s);
    std::vector<double> matched;
    while (!e.done())
        matched.push_back(country_value(e.step(), "matching_usd", kOrigin));
    EXPECT_DOUBLE_EQ(matched[0], 697.5);
    EXPECT_DOUBLE_EQ(matched[1], 302.5); // the rest of the cap
    for (int i = 2; i < 12; ++i)
        EXPECT_DOUBLE_EQ(matched[i], 0.0) << i;
    EXPECT_DOUBLE_EQ(matched[12], 697.5); // a new year
}

TEST(CostCapBehaviour, CapLowersFeesAndSubsidyIsCharged) {
    core::Scenario s = micro_world(10);
    core::levers::CostCap c;
    c.cap = 0.03;
    c.subsidised = true;
    s.policies = {core::PolicySpec(c, "ORI")};
    core::Engine e(s);
    const auto& r = e.step();
    // 67.50 at 3% = 2.025 -> 2.03 each; the state pays 2% of 675 = 13.50.
    EXPECT_NEAR(country_value(r, "remit_fees_usd", kOrigin), 20.30, 1e-9);
    EXPECT_NEAR(country_value(r, "program_cost_usd", kOrigin), 13.50, 1e-9);
    EXPECT_DOUBLE_EQ(r.get("corridors", "cost_formal")[0], 0.03);
}

TEST(BondBehaviour, OversubscriptionIsScaledBackToTheSize) {
    core::Scenario s = micro_world(200);
    s.population.trust_spread = 0;
    s.countries[0].governance = 0.9;
    s.population.awareness_mean = 0.5;
    s.behaviour.bond.intercept = 50; // every aware member with the ticket subscribes
    core::levers::DiasporaBond b;
    b.size_usd = 20000;
    b.min_ticket_usd = 500;
    b.coupon = 0.06;
    s.policies = {core::PolicySpec(b, "ORI")};
    core::Engine e(s);
    const auto& r = e.step();
    const double demand = country_value(r, "bond_demand_usd", kOrigin);
    const double sold = country_value(r, "bond_usd", kOrigin);
    ASSERT_GT(demand, 20000.0);
    EXPECT_NEAR(sold, 20000.0, 200 * 0.01); // pro-rata tickets round to a cent each
    e.step();
    EXPECT_DOUBLE_EQ(country_value(e.last_record(), "bond_usd", kOrigin), 0.0); // sold out
    // Coupon: 6%/12 on what was sold.
    EXPECT_NEAR(country_value(e.last_record(), "program_cost_usd", kOrigin), sold * 0.005, 1e-6);
}

TEST(SkillsBehaviour, PlacesAreFilledUpToCapacityOnAverage) {
    core::Scenario s = micro_world(10);
    s.months = 120;
    s.population.skill_low = 0;
    s.population.skill_mid = 1;
    s.behaviour.skills.intercept = 50; // every eligible member volunteers
    core::levers::KnowledgeTransfer k;
    k.capacity_pm = 3;
    k.cost_per_pm_usd = 1000;
    s.policies = {core::PolicySpec(k, "ORI")};
    core::Engine e(s);
    double pm = 0, cost = 0;
    while (!e.done()) {
        const auto& r = e.step();
        pm += country_value(r, "knowledge_transfer_pm", kOrigin);
        cost += country_value(r, "program_cost_usd", kOrigin);
    }
    // 10 volunteers accepted with chance 0.3: mean 3 per month, sd of the 120-month mean 0.13.
    EXPECT_NEAR(pm / 120.0, 3.0, 0.5);
    EXPECT_DOUBLE_EQ(cost, pm * 1000.0);
    EXPECT_GT(country_value(e.last_record(), "human_capital_index", kOrigin), 0.5);
}

TEST(LabourBehaviour, RecessionCutsEarningsBySensitivity) {
    core::Scenario s = micro_world(10);
    core::shocks::HostRecession h;
    h.income_drop = 0.1;
    h.job_loss = 0;
    s.shocks = {core::ShockSpec(h, {"HST"}, s.start)};
    core::Engine e(s);
    const auto& r = e.step();
    // low skill, sensitivity 1.5: 900 * (1 - 0.15) = 765.
    EXPECT_NEAR(r.get("corridors", "earnings_mean_usd")[0], 765.0, 1e-3);
}

TEST(OutreachBehaviour, ContactsRaiseAwarenessAndAreCharged) {
    core::Scenario s = micro_world(100);
    core::levers::Outreach o;
    o.reach = 1.0;
    o.cost_per_contact_usd = 2;
    s.policies = {core::PolicySpec(o, "ORI")};
    core::Engine with(s);
    core::Engine without(micro_world(100));
    const auto& a = with.step();
    const auto& b = without.step();
    EXPECT_DOUBLE_EQ(country_value(a, "program_cost_usd", kOrigin), 200.0); // 100 contacts * 2 USD
    EXPECT_GT(country_value(a, "awareness_mean", kOrigin), country_value(b, "awareness_mean", kOrigin) + 0.3);
}

TEST(CrisisBehaviour, DonationsFlowOnlyDuringTheCrisis) {
    core::Scenario s = micro_world(200);
    s.months = 4;
    s.shocks = {core::ShockSpec(core::shocks::OriginDisaster{}, {"ORI"}, s.start.plus(1), 2)};
    core::Engine e(s);
    std::vector<double> aid;
    while (!e.done())
        aid.push_back(country_value(e.step(), "crisis_aid_usd", kOrigin));
    EXPECT_EQ(aid[0], 0.0);
    EXPECT_GT(aid[1], 0.0);
    EXPECT_GT(aid[2], 0.0);
    EXPECT_EQ(aid[3], 0.0);
    EXPECT_DOUBLE_EQ(std::fmod(aid[1], s.behaviour.crisis.donation_usd), 0.0); // whole donations
}

TEST(RemitBehaviour, PropensityScalesOnlyItsOwnCorridor) {
    // Two hosts alike; only ORI -> HST has propensity 2. Its members send twice 67.50, the members
    // in the second host send what they sent before.
    core::Scenario s = micro_world(10);
    core::CountrySpec second = s.countries[kHost];
    second.code = "HS2";
    s.countries.push_back(second);
    core::CorridorSpec k = s.corridors[0];
    k.host = "HS2";
    s.corridors.push_back(k);
    const auto sent = [](const core::Scenario& sc) {
        core::Engine e(sc);
        const auto& r = e.step();
        return std::vector<double>(r.get("corridors", "remit_formal_usd").begin(),
                                   r.get("corridors", "remit_formal_usd").end());
    };
    const auto before = sent(s);
    s.corridors[0].propensity = 2;
    const auto after = sent(s);
    ASSERT_EQ(before.size(), 2u);
    EXPECT_DOUBLE_EQ(before[0], 675.0);
    EXPECT_DOUBLE_EQ(before[1], 675.0);
    EXPECT_DOUBLE_EQ(after[0], 1350.0);
    EXPECT_DOUBLE_EQ(after[1], 675.0);
}

namespace {

/// A disaster in ORI from the second month: every household hit, half its income lost for
/// `months` months and 30% of its savings destroyed; migrants able to invest (threshold 0),
/// likely to donate, and reconstruction for six months after.
core::Scenario disaster_world(int members, std::int64_t months) {
    core::Scenario s = micro_world(members);
    s.months = 16;
    s.behaviour.invest.threshold_usd = 0;
    s.behaviour.crisis.donate_prob = 0.5;
    s.behaviour.crisis.reconstruction_months = 6;
    s.behaviour.crisis.reconstruction_boost = 4;
    core::shocks::OriginDisaster d;
    d.households_hit = 1;
    d.income_loss = 0.5;
    d.asset_loss = 0.3;
    s.shocks = {core::ShockSpec(d, {"ORI"}, s.start.plus(1), months)};
    return s;
}

} // namespace

TEST(LossBehaviour, EachLossIsAnsweredAtMostOnceByTopUpsReliefAndReconstruction) {
    core::Engine e(disaster_world(200, 3));
    double lost = 0, top_ups = 0, relief = 0, rebuilt = 0, aid = 0;
    while (!e.done()) {
        const auto& r = e.step();
        lost += country_value(r, "loss_usd", kOrigin);
        top_ups += country_value(r, "loss_answered_by_top_ups_usd", kOrigin);
        relief += country_value(r, "loss_answered_by_relief_usd", kOrigin);
        rebuilt += country_value(r, "loss_answered_by_reconstruction_usd", kOrigin);
        aid += country_value(r, "crisis_aid_usd", kOrigin);
        for (std::size_t h = 0; h < e.world().households.size(); ++h)
            ASSERT_GE(e.world().households.unanswered_usd[h], 0.0F)
                << "household " << h << ", month " << r.month;
        // Every answer so far fits within the losses so far (each is taken from a household's
        // unanswered loss, in whole cents down); a cent per household of margin for the float
        // column that holds the unanswered loss.
        ASSERT_LE(top_ups + relief + rebuilt, lost + 0.01 * static_cast<double>(e.world().households.size()))
            << "month " << r.month;
    }
    // Each answer took part: the loss is shared, not answered three times over.
    EXPECT_GT(top_ups, 0);
    EXPECT_GT(relief, 0);
    EXPECT_GT(rebuilt, 0);
    EXPECT_LE(relief, aid); // relief gives what was donated, at most
    EXPECT_LT(top_ups + relief + rebuilt, lost);
}

TEST(LossBehaviour, UnemployedMigrantsWithoutSavingsSendNoTopUp) {
    core::Scenario s = disaster_world(50, 3);
    s.behaviour.crisis.donate_prob = 0; // top-ups alone
    core::Scenario jobless = s;
    jobless.population.employment_rate = 0;
    jobless.behaviour.labour.job_finding = 0;
    jobless.population.member_savings_months = 0;
    jobless.behaviour.invest.saving_share = 0;
    core::Engine employed(s), unemployed(jobless);
    double with_jobs = 0, without = 0, regular = 0;
    while (!employed.done()) {
        with_jobs += country_value(employed.step(), "loss_answered_by_top_ups_usd", kOrigin);
        const auto& r = unemployed.step();
        without += country_value(r, "loss_answered_by_top_ups_usd", kOrigin);
        regular += country_value(r, "remit_formal_usd", kOrigin);
    }
    EXPECT_GT(with_jobs, 0);
    EXPECT_EQ(without, 0.0);
    EXPECT_GT(regular, 0); // they still send their regular transfers, from their income
}

TEST(DevelopmentBehaviour, ProjectsRaiseTheIncomesOfTheirCommunitysHouseholds) {
    core::Scenario s = micro_world(10);
    core::Engine e(s);
    ASSERT_EQ(e.world().communities.size(), 1u);
    const double households = static_cast<double>(e.world().households.size()); // 10 + 10
    e.world().communities.development_usd[0] = 12000;
    const auto& r = e.step();
    // 500 USD of own income plus the projects' return, shared by the community's households.
    const double gain = s.behaviour.collective.development_return * 12000 / households;
    EXPECT_NEAR(country_value(r, "income_migrant_hh_usd", kOrigin), 500 + gain, 1e-4);
    EXPECT_NEAR(country_value(r, "income_non_migrant_hh_usd", kOrigin), 500 + gain, 1e-4);
}

TEST(DevelopmentBehaviour, InvestmentEarnsForTheHouseholdWithTheSubsidyAddedToIt) {
    core::Scenario s = micro_world(10);
    s.behaviour.invest.threshold_usd = 0;
    s.behaviour.invest.intercept = 50; // every employed member invests
    core::levers::InvestmentIncentive incentive;
    incentive.subsidy_rate = 0.5;
    s.policies = {core::PolicySpec(incentive, "ORI")};
    core::Engine e(s);
    const auto& first = e.step();
    const double invested = country_value(first, "investment_usd", kOrigin);
    ASSERT_GT(invested, 0);
    double stock = 0;
    for (std::size_t h = 0; h < e.world().households.size(); ++h)
        stock += e.world().households.invested_usd[h];
    EXPECT_NEAR(stock, 1.5 * invested, 0.01); // the investment and the state's half on top
    EXPECT_NEAR(country_value(first, "program_cost_usd", kOrigin), 0.5 * invested, 0.01);
    // Next month the stock, depreciated, earns for the households that hold it.
    const double expected =
        500 + s.behaviour.invest.return_rate * stock * (1 - s.behaviour.invest.depreciation) / 10 +
        s.behaviour.collective.development_return * e.world().communities.development_usd[0] / 20;
    EXPECT_NEAR(country_value(e.step(), "income_migrant_hh_usd", kOrigin), expected,
                0.01); // tallied in cents
}

namespace {

/// 200 members who trust the origin and all buy its bond of 20,000 US$ (a window of one month),
/// held `tenor` months at `coupon` a year; `turnover` of members a year leave.
core::Scenario bond_world(std::int64_t months, double coupon, std::int64_t tenor, double turnover) {
    core::Scenario s = micro_world(200);
    s.months = months;
    s.population.trust_spread = 0;
    s.countries[0].governance = 0.9;
    s.population.awareness_mean = 0.5;
    s.behaviour.labour.turnover = turnover;
    s.behaviour.bond.intercept = 50;
    core::levers::DiasporaBond b;
    b.size_usd = 20000;
    b.min_ticket_usd = 500;
    b.coupon = coupon;
    b.tenor_months = tenor;
    core::PolicySpec issue(b, "ORI");
    issue.from = s.start;
    issue.to = s.start;
    s.policies = {issue};
    return s;
}

} // namespace

TEST(BondBehaviour, HoldersReceiveTheCouponsAndThePrincipalAndTheProceedsFundProjects) {
    core::Engine e(bond_world(6, 0.06, 3, 0)); // every holder stays to the end of the tenor
    const double sold = country_value(e.step(), "bond_usd", kOrigin);
    ASSERT_GT(sold, 19000.0);
    EXPECT_GE(e.world().communities.development_usd[0], sold); // the proceeds fund projects
    std::vector<double> service;
    while (!e.done())
        service.push_back(country_value(e.step(), "bond_service_usd", kOrigin));
    // Coupons in months 2 and 3 of the tenor (the first is the month of sale), the principal in
    // the month after it; nothing after. Whole cents per holder, rounded down: at most a cent each.
    ASSERT_EQ(service.size(), 5u);
    EXPECT_NEAR(service[0], sold * 0.005, 200 * 0.01);
    EXPECT_NEAR(service[1], sold * 0.005, 200 * 0.01);
    EXPECT_NEAR(service[2], sold, 200 * 0.01);
    EXPECT_EQ(service[3], 0.0);
    EXPECT_EQ(service[4], 0.0);
    for (std::size_t m = 0; m < e.world().members.size(); ++m)
        EXPECT_NEAR(e.world().members.bond_usd[m], 0.0F, 1e-3F) << m;
}

TEST(BondBehaviour, HoldersWhoLeaveAreRepaidAndNewcomersHoldNone) {
    core::Engine e(bond_world(2, 0, 12, 0.5)); // about 5.6% of members leave each month
    const double sold = country_value(e.step(), "bond_usd", kOrigin);
    ASSERT_GT(sold, 19000.0);
    const auto& mm = e.world().members;
    const std::vector<float> before(mm.bond_usd.begin(), mm.bond_usd.end());
    const std::vector<std::uint16_t> months(mm.months_abroad.begin(), mm.months_abroad.end());
    // No coupon: what the issuer pays in the second month is the bonds of those who left.
    const double repaid = country_value(e.step(), "bond_service_usd", kOrigin);
    double left = 0;
    int newcomers = 0;
    for (std::size_t m = 0; m < mm.size(); ++m) {
        if (mm.months_abroad[m] != 1 || months[m] == 0) continue; // a newcomer in this place
        ++newcomers;
        left += before[m];
        EXPECT_EQ(mm.bond_usd[m], 0.0F) << m;
    }
    ASSERT_GT(newcomers, 0);
    ASSERT_GT(left, 0.0);
    EXPECT_NEAR(repaid, left, newcomers * 0.01); // whole cents per holder, rounded down
}

TEST(ChannelBehaviour, ACheaperFormalChannelWinsSendersOverYearsNotInAMonth) {
    // 4,000 senders (trust at the origin's governance); the formal channel costs 12% to mid-2001
    // and 2% from mid-2002 (linear in between): its logit share rises from
    // logistic(1.2 - 50 * 0.07) = 0.091 to logistic(1.2 + 50 * 0.03) = 0.937.
    core::Scenario s = micro_world(4000);
    s.months = 84;
    s.start = {2000, 1};
    s.population.trust_spread = 0;
    s.behaviour.labour.turnover = 0; // no newcomers, who choose afresh
    s.behaviour.remit.formal_intercept = 1.2;
    s.corridors[0].cost_formal = 0.12;
    s.corridors[0].drivers.cost_from = 2001;
    s.corridors[0].drivers.cost_formal = {0.12, 0.02};
    core::Engine e(s);
    std::vector<double> share;
    while (!e.done()) {
        const auto& r = e.step();
        const double formal = country_value(r, "remit_formal_usd", kOrigin);
        share.push_back(formal / (formal + country_value(r, "remit_informal_usd", kOrigin)));
    }
    const double review = s.behaviour.remit.channel_review;
    // Month 1: everyone chooses afresh at 12%: 0.091 (margin 0.02: 4,000 draws, 4.4 sd).
    EXPECT_NEAR(share[0], 0.091, 0.02);
    // Each month a share `review` of senders moves to the logit's share: n months after the cost
    // reached 2% (2002-07, month index 30), 0.937 - (0.937 - s0) (1 - review)^n with s0 the share
    // then (margin 0.03: the senders who reconsider in a month are about 100, binomial).
    for (const int n : {12, 48}) {
        const double expected = 0.937 - (0.937 - share[30]) * std::pow(1 - review, n);
        EXPECT_NEAR(share[static_cast<std::size_t>(30 + n)], expected, 0.03) << n << " months";
    }
    EXPECT_LT(share[42], 0.7); // a year on, many senders still use the dearer habit
}

TEST(ChannelBehaviour, AClosureBlocksTheSameSendersMonthAfterMonth) {
    // 4,000 members who all use informal channels and never reconsider; for six months half of the
    // informal routes are closed and every blocked sender switches to formal channels. The same
    // routes stay closed, so half of the members switch, once: 0.5 (margin 0.05, over 6 sd of the
    // binomial). Were the closed routes drawn anew each month, 1 - 0.5^6 = 0.98 would switch.
    core::Scenario s = micro_world(4000);
    s.months = 8;
    s.behaviour.labour.turnover = 0;
    s.behaviour.remit.formal_intercept = -20; // formal channels never chosen
    s.behaviour.remit.channel_review = 0;
    s.behaviour.remit.disruption_switch = 1;
    core::shocks::Pandemic p;
    p.job_loss = 0;
    p.income_drop = 0;
    p.income_loss = 0;
    p.informal_disruption = 0.5;
    s.shocks = {core::ShockSpec(p, {}, s.start.plus(1), 6)};
    core::Engine e(s);
    while (!e.done())
        e.step();
    const auto& mm = e.world().members;
    std::size_t formal = 0;
    for (std::size_t m = 0; m < mm.size(); ++m)
        formal += mm.channel[m] == 0;
    EXPECT_NEAR(static_cast<double>(formal) / static_cast<double>(mm.size()), 0.5, 0.05);
}
