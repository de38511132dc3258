#include "core/base/errors.hpp"
#include "io/hdf5_writer.hpp"

#include "../core/micro_world.hpp"

#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

using namespace bridges;
namespace fs = std::filesystem;

class Hdf5WriterTest : public ::testing::Test {
  protected:
    void SetUp() override {
        dir_ = fs::temp_directory_path() / ("bridges_h5_" + std::to_string(::getpid()) + "_" +
                                            ::testing::UnitTest::GetInstance()->current_test_info()->name());
        fs::create_directories(dir_);
    }
    void TearDown() override { fs::remove_all(dir_); }
    fs::path dir_;
};

TEST_F(Hdf5WriterTest, FinishedFileAppearsOnlyUnderItsFinalName) {
    core::Engine e(test::micro_world(5));
    const auto path = (dir_ / "run.h5").string();
    io::RunMetadata meta;
    meta.scenario_text = "text";
    meta.scenario_resolved = "resolved";
    {
        io::Hdf5Writer w(path, io::OutputLayout::of(e.world(), {2017, 1}, true, 4), meta);
        EXPECT_TRUE(fs::exists(path + ".partial"));
        EXPECT_FALSE(fs::exists(path));
        while (!e.done())
            w.append(e.step());
        w.finish();
    }
    EXPECT_TRUE(fs::exists(path));
    EXPECT_FALSE(fs::exists(path + ".partial"));
    std::ostringstream out;
    io::inspect_output(path, out);
    EXPECT_NE(out.str().find("status = complete"), std::string::npos);
    EXPECT_NE(out.str().find("remit_formal_usd(time=12, country=2)  [USD]"), std::string::npos) << out.str();
}

TEST_F(Hdf5WriterTest, AbandonedRunLeavesNoFile) {
    core::Engine e(test::micro_world(5));
    const auto path = (dir_ / "run.h5").string();
    {
        io::Hdf5Writer w(path, io::OutputLayout::of(e.world(), {2017, 1}, true, 0), io::RunMetadata{});
        w.append(e.step());
    } // destroyed without finish(), as when a run fails
    EXPECT_FALSE(fs::exists(path));
    EXPECT_FALSE(fs::exists(path + ".partial"));
}

TEST_F(Hdf5WriterTest, UnwritablePlaceIsAnIoError) {
    core::Engine e(test::micro_world(5));
    EXPECT_THROW(io::Hdf5Writer((dir_ / "missing" / "run.h5").string(),
                                io::OutputLayout::of(e.world(), {2017, 1}, true, 0), io::RunMetadata{}),
                 IoError);
}

TEST_F(Hdf5WriterTest, InspectRefusesAFileThatIsNotHdf5) {
    const auto path = (dir_ / "not.h5").string();
    std::ofstream(path) << "hello";
    std::ostringstream out;
    EXPECT_THROW(io::inspect_output(path, out), DataError);
}
