// Micro tests of one member's remittance decision; every expected number is worked out by hand.

#include "core/behaviours/remit.hpp"

#include <gtest/gtest.h>

#include <cmath>

using namespace bridges::core;

namespace {
RemitterView employed_member() {
    RemitterView v;
    v.attachment = 0.5;
    v.trust = 0.5;
    v.income = 2000;
    v.years = 8; // the default peak: multiplier 0.5 + 0.7 = 1.2
    v.cost_formal = 0.05;
    v.cost_informal = 0.03;
    v.informal_loss = 0.02;
    v.inclusion = 0.5;
    return v;
}
constexpr Draws kSendFormal{{1e-9, 1e-9, 0.5, 0.5}};
constexpr Draws kSendInformal{{1e-9, 1 - 1e-9, 0.5, 0.5}};
} // namespace

TEST(RemitYears, InvertedUPeaksAtTheConfiguredYear) {
    RemitSpec p;
    EXPECT_DOUBLE_EQ(years_multiplier(p, 0), 0.5);
    EXPECT_DOUBLE_EQ(years_multiplier(p, 8), 1.2);
    EXPECT_LT(years_multiplier(p, 4), years_multiplier(p, 8));
    EXPECT_LT(years_multiplier(p, 20), years_multiplier(p, 8));
}

TEST(RemitDecision, FormalTransferPaysTheFormalFee) {
    const Transfer t = decide_remittance(RemitSpec{}, employed_member(), kSendFormal);
    // 0.15 * 2000 * 1.2 = 360 USD; fee 5% = 18 USD.
    EXPECT_EQ(t.channel, Channel::formal);
    EXPECT_EQ(t.paid, 36000);
    EXPECT_EQ(t.fees, 1800);
    EXPECT_EQ(t.losses, 0);
    EXPECT_EQ(t.received, 34200);
}

TEST(RemitDecision, InformalTransferPaysFeeAndLoses) {
    const Transfer t = decide_remittance(RemitSpec{}, employed_member(), kSendInformal);
    // 360 USD; fee 3% = 10.80; loss 2% = 7.20.
    EXPECT_EQ(t.channel, Channel::informal);
    EXPECT_EQ(t.paid, 36000);
    EXPECT_EQ(t.fees, 1080);
    EXPECT_EQ(t.losses, 720);
    EXPECT_EQ(t.received, 34200);
}

TEST(RemitDecision, InsuranceTopUpReplacesSixtyPercentOfTheLoss) {
    RemitterView v = employed_member();
    v.household_loss_share = 100; // the household lost 100 USD per migrant
    const Transfer t = decide_remittance(RemitSpec{}, v, kSendFormal);
    EXPECT_EQ(t.paid, 36000 + 6000);
}

TEST(RemitDecision, TopUpAloneIsSentEvenWithoutARegularTransfer) {
    RemitterView v = employed_member();
    v.household_loss_share = 100;
    const Transfer t = decide_remittance(RemitSpec{}, v, Draws{{1 - 1e-12, 1e-9, 0.5, 0.5}});
    EXPECT_EQ(t.paid, 6000);
}

TEST(RemitDecision, AmountIsCappedByWhatTheMemberCanAfford) {
    RemitterView v = employed_member();
    v.income = 100;
    v.savings = 40;
    v.household_loss_share = 200; // asks for 18 + 120; can give 0.5 * 100 + 0.25 * 40 = 60
    EXPECT_EQ(decide_remittance(RemitSpec{}, v, kSendFormal).paid, 6000);
}

TEST(RemitDecision, PropensityScalesWhatTheMemberCanAffordAsItScalesTheWish) {
    RemitterView v = employed_member();
    v.income = 100;
    v.savings = 40;
    v.household_loss_share = 200;
    v.amount_factor = 3;
    v.means = 3;
    // Wants 3 * 18 = 54 and a top-up of 120; can give min(0.5 * 300 + 0.25 * 40, 0.3 * 300 + 40) = 130.
    EXPECT_EQ(decide_remittance(RemitSpec{}, v, kSendFormal).paid, 13000);
    v.amount_factor = 1;
    v.means = 1; // as without a propensity: 60 (the test above)
    EXPECT_EQ(decide_remittance(RemitSpec{}, v, kSendFormal).paid, 6000);
}

TEST(RemitDecision, TopUpAnswersTheHouseholdsFallBeyondTheMigrantsOwn) {
    RemitterView v = employed_member();
    v.usual_income = 2000;
    v.household_loss_share = 100;    // USD per migrant
    v.household_loss_fraction = 0.2; // the household lost a fifth of its usual income
    // Regular 0.15 * 2000 * 1.2 = 360; unhurt, the migrant tops up 0.6 * 100 = 60.
    EXPECT_EQ(decide_remittance(RemitSpec{}, v, kSendFormal).paid, 42000);
    v.income = 1800; // lost a tenth: half the household's share is left to insure, 30
    EXPECT_EQ(decide_remittance(RemitSpec{}, v, kSendFormal).paid, 39000);
    v.income = 1600; // lost a fifth, as the household did: a shared shock, no top-up
    EXPECT_EQ(decide_remittance(RemitSpec{}, v, kSendFormal).paid, 36000);
    RemitSpec p;
    p.insurance_own_loss = 0; // the old rule: the whole 60, within 0.3 * 1600 = 480
    EXPECT_EQ(decide_remittance(p, v, kSendFormal).paid, 42000);
}

TEST(RemitDecision, DisruptedInformalChannelEitherSwitchesOrStops) {
    RemitterView v = employed_member();
    v.informal_disruption = 1.0;
    const Transfer stopped = decide_remittance(RemitSpec{}, v, Draws{{1e-9, 1 - 1e-9, 0.5, 0.9}});
    EXPECT_EQ(stopped.paid, 0);
    const Transfer switched = decide_remittance(RemitSpec{}, v, Draws{{1e-9, 1 - 1e-9, 0.5, 0.1}});
    EXPECT_EQ(switched.channel, Channel::formal);
    EXPECT_EQ(switched.paid, 36000);
}

TEST(RemitDecision, SendingChanceFallsWithCost) {
    RemitSpec p;
    RemitterView cheap = employed_member(), dear = employed_member();
    cheap.cost_formal = 0.02;
    dear.cost_formal = 0.12;
    // Draw between the two probabilities: logistic(0.55 - 8 * 0.02) = 0.5963; logistic(0.55 - 0.96) = 0.3989.
    const Draws d{{0.45, 1e-9, 0.5, 0.5}};
    EXPECT_GT(decide_remittance(p, cheap, d).paid, 0);
    EXPECT_EQ(decide_remittance(p, dear, d).paid, 0);
}

TEST(RemitDecision, FormalChoiceFallsWithTheCostGap) {
    RemitSpec p;
    RemitterView v = employed_member();
    // gap = 0.05 - 0.05 = 0: logistic(1.2) = 0.7685. With gap 0.10: logistic(1.2 - 5) = 0.0219.
    const Draws d{{1e-9, 0.5, 0.5, 0.5}};
    EXPECT_EQ(decide_remittance(p, v, d).channel, Channel::formal);
    v.cost_formal = 0.15;
    EXPECT_EQ(decide_remittance(p, v, d).channel, Channel::informal);
}

TEST(RemitDecision, AmountFollowsUsualEarningsWithAnElasticity) {
    RemitSpec p;
    RemitterView v = employed_member();
    v.usual_income = 2000;
    v.income = 1000; // earnings halved
    v.savings = 1000;
    v.income_response = income_response(p, 0.5);
    // 0.15 * 2000 * 0.5^0.2 * 1.2 = 313.40 USD: a 50% fall in earnings cuts the amount by 13%.
    EXPECT_NEAR(std::pow(0.5, 0.2), 0.870550563, 1e-9);
    EXPECT_EQ(decide_remittance(p, v, kSendFormal).paid, to_cents(0.15 * 2000 * std::pow(0.5, 0.2) * 1.2));
    EXPECT_EQ(decide_remittance(p, v, kSendFormal).paid, 31340);
}

TEST(RemitDecision, NeverSendsMoreThanItHas) {
    RemitterView v = employed_member();
    v.income = 1000;
    v.savings = 10;
    v.household_loss_share = 1000; // asks for 0.15 * 1000 * 1.2 + 600 = 780
    // min(0.5 * 1000 + 0.25 * 10, 0.3 * 1000 + 10) = 310: what income can spare plus all savings.
    EXPECT_EQ(decide_remittance(RemitSpec{}, v, kSendFormal).paid, 31000);
}

TEST(RemitDecision, FeesAndLossesNeverExceedTheAmount) {
    RemitterView v = employed_member();
    v.income = 0.02; // a transfer of one cent
    v.cost_informal = 0.5;
    v.informal_loss = 0.5;
    const Transfer t = decide_remittance(RemitSpec{}, v, kSendInformal);
    EXPECT_GE(t.received, 0);
    EXPECT_EQ(t.paid, t.received + t.fees + t.losses);
}

TEST(RemitDecision, AmountFactorScalesTheWantedAmount) {
    RemitterView v = employed_member();
    v.amount_factor = 0.5;
    const Transfer t = decide_remittance(RemitSpec{}, v, kSendFormal);
    // 0.15 * 2000 * 1.2 * 0.5 = 180 USD.
    EXPECT_EQ(t.paid, 18000);
}

TEST(RemitAmountFactors, PropensityTimesHostIncomeTerm) {
    Scenario s;
    s.countries = {CountrySpec{}, CountrySpec{}};
    s.countries[0].code = "AAA";
    s.countries[0].gdp_per_capita_usd = 15000;
    s.countries[1].code = "BBB";
    s.countries[1].gdp_per_capita_usd = 2000;
    CorridorSpec k;
    k.origin = "BBB";
    k.host = "AAA";
    k.stock = 1000;
    k.propensity = 3;
    s.corridors = {k};
    s.scale = 100;
    const World w = build_world(s);
    EXPECT_EQ(amount_factors(s, w)[0], 3.0); // elasticity 1: exactly the propensity
    s.behaviour.remit.host_income_elasticity = 0.5;
    s.behaviour.remit.reference_income_usd = 60000;
    // 3 * (15000 / 60000) ^ (0.5 - 1) = 3 * 2 = 6.
    EXPECT_DOUBLE_EQ(amount_factors(s, w)[0], 6.0);
}

TEST(RemitDecision, SendersKeepTheirChannelUnlessTheyReconsiderIt) {
    RemitSpec p; // channel_review 0.026
    RemitterView v = employed_member();
    v.cost_formal = 0.15; // the formal channel is dear: logistic(1.2 - 5) = 0.0219 for formal
    v.channel = 0;        // but this sender used it last month
    // No review (d[1] = 0.5 >= 0.026): it keeps the formal channel.
    EXPECT_EQ(decide_remittance(p, v, Draws{{1e-9, 0.5, 0.5, 0.5}}).channel, Channel::formal);
    // A review (d[1] = 0.013: uniform 0.5 over the review) chooses by the logit: informal.
    EXPECT_EQ(decide_remittance(p, v, Draws{{1e-9, 0.013, 0.5, 0.5}}).channel, Channel::informal);
    // A review with uniform 0.01 (d[1] = 0.00026) falls below 0.0219: formal.
    EXPECT_EQ(decide_remittance(p, v, Draws{{1e-9, 0.00026, 0.5, 0.5}}).channel, Channel::formal);
    // An informal sender keeps its channel when the formal one is cheap, unless it reconsiders.
    v.cost_formal = 0.02;
    v.channel = 1;
    EXPECT_EQ(decide_remittance(p, v, Draws{{1e-9, 0.5, 0.5, 0.5}}).channel, Channel::informal);
    EXPECT_EQ(decide_remittance(p, v, Draws{{1e-9, 0.013, 0.5, 0.5}}).channel, Channel::formal);
    // A sender without a channel yet chooses now, with d[1] itself: logistic(1.2 + 1.5) = 0.937.
    v.channel = kNoChannel;
    EXPECT_EQ(decide_remittance(p, v, Draws{{1e-9, 0.5, 0.5, 0.5}}).channel, Channel::formal);
    EXPECT_EQ(decide_remittance(p, v, Draws{{1e-9, 0.95, 0.5, 0.5}}).channel, Channel::informal);
}

TEST(RemitDecision, AnInformalSenderBlockedAndSwitchedSendsFormally) {
    RemitterView v = employed_member();
    v.channel = 1;
    v.informal_disruption = 1.0;
    const Transfer t = decide_remittance(RemitSpec{}, v, Draws{{1e-9, 0.5, 0.5, 0.1}});
    EXPECT_EQ(t.channel, Channel::formal); // and keeps it while it does not reconsider
    EXPECT_EQ(t.paid, 36000);
}
