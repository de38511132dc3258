// The checkpoint reader: a whole checkpoint restores every state block; a damaged one is refused
// before anything reaches the engine; a length that cannot fit in the file is refused before it is
// allocated (docs/checkpoints.md).

#include "core/base/errors.hpp"
#include "core/engine/engine.hpp"
#include "io/checkpoint.hpp"
#include "io/scenario_reader.hpp"

#include <gtest/gtest.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>

using namespace bridges;

namespace {

const char* kScenario = R"(schema_version: 1
name: small
months: 6
seed: 3
scale: 1000
countries:
  - {code: USA, gdp_per_capita_usd: 60000}
  - {code: MEX, gdp_per_capita_usd: 9000}
corridors:
  - {origin: MEX, host: USA, stock: 3.0e5}
)";

const std::string kSha(64, 'a'); // stands for the resolved scenario's SHA-256

std::vector<std::string> state_of(core::Engine& e) {
    std::vector<std::string> out;
    for (const auto& b : e.state_blocks())
        out.emplace_back(static_cast<const char*>(b.data), b.bytes);
    return out;
}

class Checkpoints : public ::testing::Test {
  protected:
    void SetUp() override {
        dir_ = (std::filesystem::temp_directory_path() /
                ("bridges_checkpoint_test_" +
                 std::string(::testing::UnitTest::GetInstance()->current_test_info()->name())))
                   .string();
        std::filesystem::remove_all(dir_);
        scenario_ = io::parse_scenario(kScenario, "small.yaml", {}).scenario;
        core::Engine e(scenario_, core::Execution::serial);
        for (int m = 0; m < 3; ++m)
            records_.push_back(e.step());
        saved_ = state_of(e);
        io::write_checkpoint(
            dir_, io::checkpoint_header(e, kSha, {"small.yaml", kScenario, {}, "o.h5", "", 3}), e, records_);
        std::ifstream in(io::checkpoint_path(dir_), std::ios::binary);
        bytes_.assign(std::istreambuf_iterator<char>(in), {});
    }
    void TearDown() override { std::filesystem::remove_all(dir_); }

    /// Writes `b` as the checkpoint, with a checksum that matches when `reseal`.
    void put(std::string b, bool reseal) {
        if (reseal) {
            const std::uint64_t sum = io::checkpoint_checksum(b.data(), b.size() - 8);
            std::memcpy(b.data() + b.size() - 8, &sum, 8);
        }
        std::ofstream(io::checkpoint_path(dir_), std::ios::binary) << b;
    }
    std::string refusal(core::Engine& e) {
        try {
            io::restore_checkpoint(dir_, kSha, e);
        } catch (const ScenarioError& err) {
            return err.what();
        }
        return "";
    }

    std::string dir_;
    core::Scenario scenario_;
    std::vector<core::MonthRecord> records_;
    std::vector<std::string> saved_;
    std::string bytes_;
};

} // namespace

TEST_F(Checkpoints, WholeCheckpointRestoresEveryBlockAndRecord) {
    core::Engine e(scenario_, core::Execution::serial);
    ASSERT_NE(state_of(e), saved_);
    const auto records = io::restore_checkpoint(dir_, kSha, e);
    EXPECT_EQ(state_of(e), saved_);
    ASSERT_EQ(records.size(), records_.size());
    for (std::size_t i = 0; i < records.size(); ++i)
        EXPECT_EQ(records[i].values, records_[i].values) << "month " << i;
}

TEST_F(Checkpoints, DamagedByteIsRefusedBeforeTheEngineChanges) {
    core::Engine e(scenario_, core::Execution::serial);
    const auto fresh = state_of(e);
    // A byte in the middle of the state blocks, far from the header and the records.
    std::string b = bytes_;
    b[b.size() / 2] = static_cast<char>(b[b.size() / 2] ^ 0x40);
    put(b, false);
    EXPECT_NE(refusal(e).find("its checksum does not match its contents"), std::string::npos);
    EXPECT_EQ(state_of(e), fresh);
}

TEST_F(Checkpoints, LengthThatCannotFitInTheFileIsRefused) {
    // The last record's last variable: its length field stands just before its values.
    const std::size_t values = records_.back().values.back().size() * sizeof(double);
    const std::size_t at = bytes_.size() - 8 - values - 8;
    std::uint64_t stored;
    std::memcpy(&stored, bytes_.data() + at, 8);
    ASSERT_EQ(stored, records_.back().values.back().size());
    for (const std::uint64_t bad : {std::uint64_t{1} << 28, std::uint64_t{1} << 62, stored + 1}) {
        std::string b = bytes_;
        std::memcpy(b.data() + at, &bad, 8);
        put(b, true);
        core::Engine e(scenario_, core::Execution::serial);
        EXPECT_NE(refusal(e).find("a length is out of range"), std::string::npos) << bad;
    }
}

TEST_F(Checkpoints, TruncatedOrLongerFileIsRefused) {
    core::Engine e(scenario_, core::Execution::serial);
    put(bytes_.substr(0, 5), false);
    EXPECT_NE(refusal(e).find("ends too early"), std::string::npos);
    put(bytes_.substr(0, bytes_.size() - 9), true);
    EXPECT_NE(refusal(e).find("is damaged"), std::string::npos);
    put(bytes_ + "x", false);
    EXPECT_NE(refusal(e).find("checksum"), std::string::npos);
}
