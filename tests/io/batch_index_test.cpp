// The manifest helpers of io/batch_index.hpp: run keys and sweep labels.

#include "io/batch_index.hpp"

#include <gtest/gtest.h>

using namespace bridges;

TEST(SweepLabels, SplitIntoPathsAndValuesEvenWhenValuesHoldCommas) {
    using Pairs = std::vector<std::pair<std::string, std::string>>;
    EXPECT_EQ(io::sweep_values(""), Pairs{});
    EXPECT_EQ(io::sweep_values("behaviour.remit.formal_cost=-25"),
              (Pairs{{"behaviour.remit.formal_cost", "-25"}}));
    EXPECT_EQ(io::sweep_values("a.b=0.1, c_d.e=2, f=x"), (Pairs{{"a.b", "0.1"}, {"c_d.e", "2"}, {"f", "x"}}));
    // A value written as a YAML flow map or list keeps its commas; an appended value its path.
    EXPECT_EQ(io::sweep_values("policies+={kind: matching, by: MEX, ratio: 2}, behaviour.remit.cost=-4"),
              (Pairs{{"policies", "{kind: matching, by: MEX, ratio: 2}"}, {"behaviour.remit.cost", "-4"}}));
    EXPECT_EQ(io::sweep_values("x=[1, 2, 3]"), (Pairs{{"x", "[1, 2, 3]"}}));
}

TEST(SweepLabels, NumbersAreWholeAndFinite) {
    EXPECT_EQ(io::sweep_number("-25"), -25.0);
    EXPECT_EQ(io::sweep_number("1e-3"), 1e-3);
    EXPECT_FALSE(io::sweep_number("0.1x"));
    EXPECT_FALSE(io::sweep_number(""));
    EXPECT_FALSE(io::sweep_number("nan"));
    EXPECT_FALSE(io::sweep_number("{kind: matching}"));
}

TEST(RunKeys, LeaveOutOnlyTheLineIndexAndThePointIndex) {
    const std::string line = "7\tcut-p0-r01\tcut\t3\tx=1\t1\t42\tabc\tmonths=6";
    EXPECT_EQ(io::run_key(line), io::run_key("12\tcut-p0-r01\tcut\t5\tx=1\t1\t42\tabc\tmonths=6"));
    EXPECT_NE(io::run_key(line), io::run_key("7\tcut-p0-r01\tcut\t3\tx=1\t1\t43\tabc\tmonths=6")); // seed
    EXPECT_NE(io::run_key(line), io::run_key("7\tcut-p0-r01\tcut\t3\tx=1\t1\t42\tabd\tmonths=6")); // scenario
    EXPECT_NE(io::run_key(line), io::run_key("7\tcut-p0-r01\tcut\t3\tx=2\t1\t42\tabc\tmonths=6")); // point
    EXPECT_NE(io::run_key(line),
              io::run_key("7\tcut-p0-r01\tcut\t3\tx=1\t1\t42\tabc\tmonths=12")); // overrides
}
