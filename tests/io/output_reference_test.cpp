// The catalogue of output variables (core/engine/outputs.def) documents itself: docs/output.md holds
// what `bridges params --outputs` prints, and every variable has what its row needs.

#include "core/engine/metrics.hpp"
#include "io/output_reference.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <set>
#include <sstream>
#include <string>

using namespace bridges;

TEST(OutputReference, DocsFileIsUpToDate) {
    std::ifstream in(std::string(BRIDGES_SOURCE_DIR) + "/docs/output.md");
    ASSERT_TRUE(in) << "docs/output.md is missing";
    std::stringstream ss;
    ss << in.rdbuf();
    EXPECT_NE(ss.str().find(io::output_reference()), std::string::npos)
        << "docs/output.md is out of date: regenerate its Variables section with `bridges params --outputs`";
}

TEST(OutputCatalogue, EveryVariableIsDescribedOnce) {
    std::set<std::string> seen;
    for (const auto& v : core::output_variables()) {
        const std::string id = std::string(v.group) + "/" + v.name;
        EXPECT_TRUE(seen.insert(id).second) << id << " twice";
        EXPECT_FALSE(std::string(v.units).empty()) << id;
        EXPECT_FALSE(std::string(v.long_name).empty()) << id;
        EXPECT_FALSE(std::string(v.meaning).empty()) << id;
        if (std::string(v.group) == "countries") {
            EXPECT_FALSE(std::string(v.indexed_by).empty()) << id;
        }
    }
}

TEST(OutputCatalogue, IdsAndNamesAgree) {
    const auto& all = core::output_variables();
    EXPECT_EQ(core::variable_index("countries", "poverty_rate"),
              static_cast<std::size_t>(core::Var::countries_poverty_rate));
    EXPECT_EQ(std::string(all[static_cast<std::size_t>(core::Var::corridors_sent_usd)].name), "sent_usd");
    EXPECT_EQ(std::string(all[static_cast<std::size_t>(core::Var::corridors_sent_usd)].group), "corridors");
    EXPECT_THROW(core::variable_index("countries", "no_such_variable"), std::out_of_range);
}
