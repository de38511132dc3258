#include "core/base/errors.hpp"
#include "io/hdf5.hpp"
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

TEST_F(Hdf5WriterTest, PartialFileStaysEmptyUntilTheWholeFileIsWritten) {
    core::Engine e(test::micro_world(5));
    const auto path = (dir_ / "run.h5").string();
    io::Hdf5Writer w(path, io::OutputLayout::of(e.world(), {2017, 1}, true, 4), io::RunMetadata{});
    for (int i = 0; i < 3; ++i)
        w.append(e.step());
    EXPECT_EQ(fs::file_size(path + ".partial"), 0u); // HDF5 writes to memory only
    while (!e.done())
        w.append(e.step());
    w.finish();
    EXPECT_GT(fs::file_size(path), 0u);
}

TEST_F(Hdf5WriterTest, OutputEstimateIsTheUncompressedSizeOfTheMonthlyVariables) {
    // Two countries and one corridor: the estimate must equal, byte for byte, the size of every
    // dataset that has one row per month (each group's time included), read back from the file.
    for (const bool corridors : {true, false}) {
        core::Scenario s = test::micro_world(5);
        s.output.corridors = corridors;
        core::Engine e(s);
        const auto path = (dir_ / "run.h5").string();
        io::Hdf5Writer w(path, io::OutputLayout::of(e.world(), {2017, 1}, corridors, 4), io::RunMetadata{});
        while (!e.done())
            w.append(e.step());
        w.finish();
        std::size_t monthly_bytes = 0;
        const std::lock_guard lock(io::h5::library_mutex());
        const H5::H5File f = io::h5::open_read_only(path);
        for (const char* group : {"global", "countries", "corridors"}) {
            if (!f.nameExists(group)) continue;
            const H5::Group g = f.openGroup(group);
            for (hsize_t i = 0; i < g.getNumObjs(); ++i) {
                const H5::DataSet ds = g.openDataSet(g.getObjnameByIdx(i));
                const H5::DataSpace space = ds.getSpace();
                std::vector<hsize_t> dims(static_cast<std::size_t>(space.getSimpleExtentNdims()));
                space.getSimpleExtentDims(dims.data());
                if (dims[0] == static_cast<hsize_t>(s.months) && ds.getTypeClass() == H5T_FLOAT)
                    monthly_bytes +=
                        static_cast<std::size_t>(space.getSimpleExtentNpoints()) * sizeof(double);
            }
        }
        EXPECT_EQ(io::estimate_output_bytes(s), monthly_bytes) << "corridors " << corridors;
        EXPECT_GT(monthly_bytes, 0u);
    }
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
