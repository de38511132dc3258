#!/bin/bash
# A Bridges experiment as a Slurm job array: each array task runs its share (shard) of the runs
# into one batch directory, and a job that waits for the whole array rebuilds the batch's index.
# See docs/experiments.md, "Running on a cluster".
#
# Usage, from the repository root (paths below are relative to it), on a login node:
#   tools/slurm/batch-array.sh
#       checks the experiment, submits the array and the index job that depends on it;
#   EXPERIMENT=scenarios/experiments/three_e_portfolio.yaml OUT=out/three_e tools/slurm/batch-array.sh
#       the same for another experiment and directory;
#   sbatch tools/slurm/batch-array.sh
#       submits the array only; when every task has ended, run `build/release/bridges index OUT`.
#
# Variables to edit here, or to set in the environment when submitting:
#   EXPERIMENT  the experiment file
#   OUT         the batch directory, on a file system that every node sees
#   BRIDGES     the bridges executable (build it first, e.g. with ./tools/bridges --version)
#   SETS        options added to every `bridges batch`, e.g. "--set scale=50 --set months=60"
#               (words are split on spaces: no spaces inside a value)
# and the #SBATCH lines below:
#   --array=0-N      N+1 tasks; task I runs the runs whose manifest index modulo N+1 is I. Keep
#                    the range contiguous (0-N, optionally 0-N%K to run at most K tasks at once).
#                    `bridges validate EXPERIMENT` prints the number of runs; aim for several
#                    runs per task.
#   --cpus-per-task  threads of each run (passed to bridges as --threads)
#   --mem            memory of one task: at least that of the largest run (about 190 bytes per
#                    member, members = migrants / scale, plus some 100 MiB); bridges refuses to
#                    start (exit 2) when the node's free memory or this limit is too small
#   --time           wall time of one task: its share of the runs, one after another
#SBATCH --job-name=bridges-batch
#SBATCH --array=0-9
#SBATCH --cpus-per-task=4
#SBATCH --mem=4G
#SBATCH --time=04:00:00
#SBATCH --output=bridges-batch-%A_%a.out
#SBATCH --requeue

set -euo pipefail

export EXPERIMENT=${EXPERIMENT:-scenarios/experiments/cost_cut.yaml}
export OUT=${OUT:-out/cost_cut}
export BRIDGES=${BRIDGES:-build/release/bridges}
export SETS=${SETS:-}

if [ -z "${SLURM_ARRAY_TASK_ID:-}" ]; then
  # Not an array task: check the experiment here, then submit the array and the index job.
  # shellcheck disable=SC2086  # SETS is a list of options
  "$BRIDGES" validate "$EXPERIMENT" $SETS
  array=$(sbatch --parsable "$0")
  array=${array%%;*}
  index=$(sbatch --parsable --dependency="afterany:$array" --job-name=bridges-index \
    --ntasks=1 --cpus-per-task=1 --mem=2G --time=00:30:00 --output=bridges-index-%j.out \
    --wrap="\"$BRIDGES\" index \"$OUT\"")
  echo "submitted array job $array and index job ${index%%;*}, which runs when every task has ended"
  exit 0
fi

# An array task: bridges takes its shard from SLURM_ARRAY_TASK_ID, SLURM_ARRAY_TASK_MIN and
# SLURM_ARRAY_TASK_COUNT. --resume lets a requeued or resubmitted task go on with the runs not
# yet done; remove it to have bridges refuse a directory that already holds complete runs.
# Exit codes: 0 done, 3 some run failed (see OUT/runs/*.error), 2 invalid input, 1 interrupted.
# shellcheck disable=SC2086
exec "$BRIDGES" batch "$EXPERIMENT" -o "$OUT" --threads "${SLURM_CPUS_PER_TASK:-1}" --resume --quiet $SETS
