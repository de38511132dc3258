#!/bin/bash
# A Bridges experiment as one MPI job: rank 0 writes the manifest, hands out the runs one at a
# time to the job threads of every rank (its own included) and writes the index when all are
# done. Each run writes its own file, identical to a single-process batch.
# See docs/experiments.md, "Running on a cluster".
#
# Usage, from the repository root (paths below are relative to it):
#   sbatch tools/slurm/batch-mpi.sh
#   EXPERIMENT=scenarios/experiments/three_e_portfolio.yaml OUT=out/three_e sbatch tools/slurm/batch-mpi.sh
#
# Variables to edit here, or to set in the environment when submitting:
#   EXPERIMENT  the experiment file
#   OUT         the batch directory, on a file system that every node sees
#   BRIDGES     the bridges executable, built with the CMake option BRIDGES_WITH_MPI (on in
#               every preset) against the MPI library that mpirun below belongs to
#   SETS        options added to `bridges batch`, e.g. "--set scale=50 --set months=60"
#               (words are split on spaces: no spaces inside a value)
# and the #SBATCH lines below:
#   --nodes, --ntasks-per-node  MPI ranks: SLURM_NTASKS = nodes x ntasks-per-node; each rank
#                               runs one run at a time (add --jobs J to SETS for J at once)
#   --cpus-per-task             threads of each run (passed to bridges as --threads)
#   --mem-per-cpu               memory: each rank needs at least that of the largest run
#                               (about 190 bytes per member, members = migrants / scale, plus
#                               some 100 MiB); bridges checks the memory (free, and under the
#                               job's limit) of rank 0's node only
#   --time                      wall time of the whole batch
#SBATCH --job-name=bridges-mpi
#SBATCH --nodes=2
#SBATCH --ntasks-per-node=8
#SBATCH --cpus-per-task=2
#SBATCH --mem-per-cpu=1G
#SBATCH --time=04:00:00
#SBATCH --output=bridges-mpi-%j.out

set -euo pipefail

EXPERIMENT=${EXPERIMENT:-scenarios/experiments/cost_cut.yaml}
OUT=${OUT:-out/cost_cut}
BRIDGES=${BRIDGES:-build/release/bridges}
SETS=${SETS:-}

# bridges recognises an MPI launch from OMPI_COMM_WORLD_SIZE, PMI_SIZE or PMIX_SIZE and then
# prints "MPI: N ranks; ..." before its summary; if none is set, every rank would run the whole
# batch on its own, so try a small batch first (SETS="--set months=1", a scratch OUT).
# mpirun (Open MPI) sets the first and takes the node list from Slurm.
# --bind-to none leaves each rank's threads free to use the CPUs of its task.
# --resume lets a resubmitted job go on with the runs not yet done; remove it to have bridges
# refuse a directory that already holds complete runs.
# Exit codes: 0 done, 3 some run failed (see OUT/runs/*.error), 2 invalid input, 1 interrupted.
# shellcheck disable=SC2086  # SETS is a list of options
mpirun -np "$SLURM_NTASKS" --bind-to none \
  "$BRIDGES" batch "$EXPERIMENT" -o "$OUT" --threads "${SLURM_CPUS_PER_TASK:-1}" --resume --quiet $SETS

# With Slurm's own launcher instead of mpirun (Slurm's PMI-2 sets PMI_SIZE):
#   srun --mpi=pmi2 "$BRIDGES" batch "$EXPERIMENT" -o "$OUT" --threads "${SLURM_CPUS_PER_TASK:-1}" --resume --quiet $SETS
