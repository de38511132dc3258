// The batch as an MPI task farm (built with BRIDGES_WITH_MPI). Rank 0 checks the experiment,
// writes the manifest, hands out runs one at a time to whichever rank asks (its own job threads
// included), and writes the index once every rank is done. Each run writes its own file, so the
// per-run datasets are those of a single-process batch.

#include "core/base/errors.hpp"
#include "study/batch.hpp"
#include "study/interrupt.hpp"

#include <mpi.h>

#include <chrono>
#include <cstdlib>
#include <exception>
#include <iostream>
#include <mutex>
#include <thread>

namespace bridges::study {

using namespace io; // the file formats this study code reads and writes

namespace {

enum Tag : int { kRequest = 1, kResult = 2, kDone = 3, kAssign = 4 };

double now_seconds() {
    return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

long env_long(const char* name) {
    const char* v = std::getenv(name);
    return v && *v ? std::strtol(v, nullptr, 10) : 0;
}

/// Finalizes MPI however the farm ends.
struct MpiSession {
    int rank = 0, size = 1;
    MpiSession() {
        int provided = 0;
        MPI_Init_thread(nullptr, nullptr, MPI_THREAD_SERIALIZED, &provided);
        MPI_Comm_rank(MPI_COMM_WORLD, &rank);
        MPI_Comm_size(MPI_COMM_WORLD, &size);
        const long slurm_tasks = env_long("SLURM_STEP_NUM_TASKS");
        if (size == 1 && slurm_tasks > 1) {
            std::cerr
                << "error: srun started " << slurm_tasks
                << " tasks but MPI sees only one: use srun --mpi=pmix (or mpirun), or one task per job\n";
            MPI_Abort(MPI_COMM_WORLD, 2);
        }
        if (provided < MPI_THREAD_SERIALIZED) {
            if (rank == 0)
                std::cerr
                    << "error: this MPI library does not let job threads call it (MPI_THREAD_SERIALIZED)\n";
            MPI_Abort(MPI_COMM_WORLD, 1);
        }
    }
    ~MpiSession() { MPI_Finalize(); }
    MpiSession(const MpiSession&) = delete;
    MpiSession& operator=(const MpiSession&) = delete;
};

} // namespace

bool launched_by_mpirun() {
    // mpirun (Open MPI), PMI launchers, and an srun step of several tasks (srun --mpi=pmix).
    return env_long("OMPI_COMM_WORLD_SIZE") > 1 || env_long("PMI_SIZE") > 1 || env_long("PMIX_SIZE") > 1 ||
           env_long("SLURM_STEP_NUM_TASKS") > 1;
}

int run_batch_mpi(const BatchOptions& o, std::ostream& out) {
    const MpiSession mpi;

    // Rank 0 checks the input and the directory; the others only need the list of runs.
    BatchPlan plan;
    int status = 0;
    std::exception_ptr failure;
    if (mpi.rank == 0) {
        try {
            plan = prepare_batch(o, true);
        } catch (const ScenarioError&) {
            failure = std::current_exception();
            status = 2;
        } catch (...) {
            failure = std::current_exception();
            status = 1;
        }
    }
    MPI_Bcast(&status, 1, MPI_INT, 0, MPI_COMM_WORLD);
    if (status != 0) {
        if (failure) std::rethrow_exception(failure);
        return status;
    }
    if (mpi.rank != 0) {
        BatchOptions listing = o;
        listing.dry_run = true; // no directory checks, no manifest: rank 0 did both
        listing.warnings = false;
        try {
            plan = prepare_batch(listing, false);
        } catch (const std::exception& e) {
            std::cerr << "error: rank " << mpi.rank << ": " << e.what() << "\n";
            MPI_Abort(MPI_COMM_WORLD, 1);
        }
    }

    const InterruptGuard interrupts; // from here on an interrupt stops between months
    const auto stop = [&] { return interrupts.requested(); };
    std::mutex m;
    if (mpi.rank != 0) {
        // A worker: ask rank 0 for a run whenever a job thread is free.
        run_pool(
            plan, o.dir,
            [&]() -> std::optional<std::size_t> {
                const std::lock_guard<std::mutex> lock(m);
                long long run = -1;
                MPI_Send(&run, 1, MPI_LONG_LONG, 0, kRequest, MPI_COMM_WORLD);
                MPI_Recv(&run, 1, MPI_LONG_LONG, 0, kAssign, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
                if (run < 0) return std::nullopt;
                return static_cast<std::size_t>(run);
            },
            [&](std::size_t run, const RunOutcome& r) {
                const std::lock_guard<std::mutex> lock(m);
                const long long msg[2] = {static_cast<long long>(run), r.stopped ? -1LL : (r.ok ? 1LL : 0LL)};
                MPI_Send(msg, 2, MPI_LONG_LONG, 0, kResult, MPI_COMM_WORLD);
            },
            stop);
        const int done = 1;
        MPI_Send(&done, 1, MPI_INT, 0, kDone, MPI_COMM_WORLD);
        return 0;
    }

    // Rank 0: its own job threads and the other ranks draw from one cursor.
    const double t0 = now_seconds();
    std::size_t cursor = 0, failed = 0;
    std::vector<std::size_t> by_rank(static_cast<std::size_t>(mpi.size), 0);
    BatchProgress progress(o.progress && !o.quiet, plan.todo.size());
    auto take = [&]() -> std::optional<std::size_t> {
        const std::lock_guard<std::mutex> lock(m);
        if (cursor == plan.todo.size() || stop()) return std::nullopt;
        return plan.todo[cursor++];
    };
    auto record = [&](const RunOutcome& r) {
        const std::lock_guard<std::mutex> lock(m);
        if (r.stopped) return;
        if (!r.ok) ++failed;
        progress.finished(r.ok);
    };
    std::thread local([&] {
        run_pool(
            plan, o.dir, take,
            [&](std::size_t, const RunOutcome& r) {
                record(r);
                const std::lock_guard<std::mutex> lock(m);
                ++by_rank[0];
            },
            stop);
    });
    int workers = mpi.size - 1;
    while (workers > 0) {
        int flag = 0;
        MPI_Status st;
        MPI_Iprobe(MPI_ANY_SOURCE, MPI_ANY_TAG, MPI_COMM_WORLD, &flag, &st);
        if (!flag) {
            std::this_thread::sleep_for(std::chrono::milliseconds(2));
            continue;
        }
        if (st.MPI_TAG == kRequest) {
            long long ignored = 0;
            MPI_Recv(&ignored, 1, MPI_LONG_LONG, st.MPI_SOURCE, kRequest, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
            const std::optional<std::size_t> next = take();
            const long long run = next ? static_cast<long long>(*next) : -1;
            MPI_Send(&run, 1, MPI_LONG_LONG, st.MPI_SOURCE, kAssign, MPI_COMM_WORLD);
        } else if (st.MPI_TAG == kResult) {
            long long msg[2] = {0, 0};
            MPI_Recv(msg, 2, MPI_LONG_LONG, st.MPI_SOURCE, kResult, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
            RunOutcome r;
            r.ok = msg[1] == 1;
            r.stopped = msg[1] < 0;
            record(r);
            ++by_rank[static_cast<std::size_t>(st.MPI_SOURCE)];
        } else if (st.MPI_TAG == kDone) {
            int done = 0;
            MPI_Recv(&done, 1, MPI_INT, st.MPI_SOURCE, kDone, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
            --workers;
        } else {
            std::cerr << "error: unexpected MPI message (tag " << st.MPI_TAG << ") from rank "
                      << st.MPI_SOURCE << "\n";
            MPI_Abort(MPI_COMM_WORLD, 1);
        }
    }
    local.join();
    out << "MPI: " << mpi.size << " ranks; runs ended per rank:";
    for (std::size_t n : by_rank)
        out << " " << n;
    out << "\n";
    return finish_batch(plan, o, failed, stop(), now_seconds() - t0, out);
}

} // namespace bridges::study
