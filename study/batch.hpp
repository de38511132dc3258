#pragma once
// `bridges batch`: every run of an experiment, one output file per run, a manifest and an index;
// parallel across runs (jobs) and within runs (threads), resumable, shardable, and distributed
// over MPI ranks when launched by mpirun.

#include "study/experiment.hpp"
#include "study/progress.hpp"

#include <atomic>
#include <functional>
#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

namespace bridges::study {

struct BatchOptions {
    std::string experiment_path, dir;
    int jobs = 1;      // runs at once
    int threads = 0;   // threads per run; 0: the cores divided among the jobs
    std::string shard; // "I/N"; "" for all (or the Slurm array task)
    bool resume = false;
    bool dry_run = false; // print the manifest, run nothing
    bool strict = false;  // the experiment's warnings are errors (exit 2)
    bool warnings = true; // print the experiment's warnings (rank 0 does, for every rank)
    bool quiet = false;
    bool progress = true;
    std::vector<std::string> sets;     // PATH=VALUE for every run
    std::int64_t checkpoint_every = 0; // months between each run's checkpoints; 0: none
};

/// The runs of a batch and which of them this process is to do.
struct BatchPlan {
    Experiment experiment;
    std::vector<RunSpec> runs;
    std::vector<std::string> lines; // manifest line of each run
    std::vector<std::size_t> todo;  // indices into runs
    std::size_t kept = 0;           // complete runs kept by --resume
    std::size_t superseded = 0;     // run files no longer in the design, moved to DIR/superseded
    std::size_t continued = 0;      // runs to do that continue from a checkpoint
    int shard_index = 0, shard_count = 1;
    int jobs = 1, threads = 1;
    std::size_t run_bytes = 0; // memory estimate of the largest run
    std::int64_t checkpoint_every = 0;
};

/// DIR/checkpoints/<id>: where run `id` of a batch keeps its checkpoint.
std::string checkpoint_dir(const std::string& dir, const std::string& id);

/// Reads and checks the experiment and the directory, and (when `write`) writes DIR/manifest.
/// Throws ScenarioError (exit 2) for invalid input.
BatchPlan prepare_batch(const BatchOptions& o, bool write);

struct RunOutcome {
    bool ok = false;
    bool stopped = false; // by a signal: neither complete nor failed
    std::string error;
    double seconds = 0;
};

/// Runs one run of the plan into DIR/runs/<id>.h5, or records its error in DIR/runs/<id>.error.
RunOutcome execute_batch_run(const BatchPlan& plan, std::size_t run, const std::string& dir,
                             const std::function<bool()>& stop);

/// `jobs` threads, each with a task arena of `threads`, taking runs from `next` until it has
/// none; `finished` is called (from the job's thread) after each.
void run_pool(const BatchPlan& plan, const std::string& dir,
              const std::function<std::optional<std::size_t>()>& next,
              const std::function<void(std::size_t, const RunOutcome&)>& finished,
              const std::function<bool()>& stop);

/// A line on stderr (when it is a terminal): runs done and failed, rate and time left.
class BatchProgress {
  public:
    BatchProgress(bool on, std::size_t total);
    void finished(bool ok);
    [[nodiscard]] std::size_t failed() const { return failed_; }
    [[nodiscard]] std::size_t done() const { return done_; }

  private:
    ProgressBar bar_;
    std::size_t done_ = 0, failed_ = 0;
};

/// Writes the index and prints the batch's summary; returns the exit code (0, 1 if stopped, 3 if
/// a run failed).
int finish_batch(const BatchPlan& plan, const BatchOptions& o, std::size_t failed, bool stopped,
                 double seconds, std::ostream& out);

/// `bridges batch`. Returns the exit code; throws ScenarioError for invalid input.
int run_batch(const BatchOptions& o, std::ostream& out);

/// `bridges index DIR`: rebuilds DIR/index.h5 and prints its counts.
int rebuild_index(const std::string& dir, std::ostream& out);

#ifdef BRIDGES_WITH_MPI
/// True when this process was started by mpirun with more than one rank.
bool launched_by_mpirun();
/// The batch as an MPI task farm: rank 0 hands out runs and writes the index.
int run_batch_mpi(const BatchOptions& o, std::ostream& out);
#endif

} // namespace bridges::study
