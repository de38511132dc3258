#include "core/ledger/ledger.hpp"

#include <gtest/gtest.h>

using namespace bridges::core;

TEST(LedgerBalance, BalancedPostingsHaveNoImbalance) {
    Ledger l(2);
    l.debit(1, Flow::family, Channel::formal, 10000, 500, 0);
    l.credit(1, Flow::family, Channel::formal, 9500);
    l.debit(0, Flow::family, Channel::informal, 2000, 60, 40);
    l.credit(0, Flow::family, Channel::informal, 1900);
    EXPECT_EQ(l.absolute_imbalance(), 0);
}

TEST(LedgerBalance, MissingCreditIsCountedPerEntry) {
    Ledger l(2);
    l.debit(0, Flow::collective, Channel::formal, 2500, 0, 0);
    l.debit(1, Flow::bond, Channel::formal, 100, 0, 0);
    l.credit(1, Flow::bond, Channel::formal, 150); // over-credited by 50
    EXPECT_EQ(l.absolute_imbalance(), 2500 + 50);
}

TEST(LedgerMerge, AddsEveryField) {
    Ledger a(1), b(1);
    a.debit(0, Flow::crisis, Channel::formal, 7, 1, 2);
    b.debit(0, Flow::crisis, Channel::formal, 3, 1, 0);
    b.credit(0, Flow::crisis, Channel::formal, 6);
    a.merge(b);
    const auto& e = a.at(0, Flow::crisis, Channel::formal);
    EXPECT_EQ(e.paid, 10);
    EXPECT_EQ(e.fees, 2);
    EXPECT_EQ(e.losses, 2);
    EXPECT_EQ(e.received, 6);
    EXPECT_EQ(e.imbalance(), 0);
}

TEST(LedgerCents, RoundsHalfUp) {
    EXPECT_EQ(to_cents(0.125), 13);
    EXPECT_EQ(to_cents(12.34), 1234);
    EXPECT_EQ(to_cents(0.0), 0);
}
