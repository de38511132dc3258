"""Experiments and batches (`bridges validate|batch|index|compare` on an experiment file): the
manifest and its seeds, one output file per run, shards (options, Slurm arrays and MPI ranks),
kill and resume, isolated failures, the index file, and the paired comparisons of `compare`
checked against a computation by hand from the run files.

Every batch here is a handful of runs of the tiny scenario of conftest.py, so the whole file runs
in well under a minute on two cores.
"""

import csv
import hashlib
import io
import json
import math
import os
import re
import shutil
import signal
import subprocess
import time

import h5py
import numpy as np
import pytest
from scipy import stats

from conftest import REPO, TINY_SCENARIO, collect_datasets, describe, run_bridges

GOLDEN = REPO / "tests" / "golden"
GOLDEN_EXPERIMENT = GOLDEN / "experiment_golden.yaml"
GOLDEN_MANIFEST = GOLDEN / "manifest_golden.tsv"

MANIFEST_HEADER = ["index", "id", "arm", "point", "point_label", "replicate", "seed",
                   "resolved_sha256", "overrides"]
DEFAULT_METRICS = ["remit_formal_usd", "remit_informal_usd", "remit_fees_usd", "collective_usd",
                   "matching_usd", "investment_usd", "bond_usd", "crisis_aid_usd",
                   "knowledge_transfer_pm", "program_cost_usd"]
SLURM_VARS = ("SLURM_ARRAY_TASK_ID", "SLURM_ARRAY_TASK_COUNT", "SLURM_ARRAY_TASK_MIN")
MPI_ENV = {"OMPI_ALLOW_RUN_AS_ROOT": "1", "OMPI_ALLOW_RUN_AS_ROOT_CONFIRM": "1",
           "OMPI_MCA_rmaps_base_oversubscribe": "1", "OMPI_MCA_btl_vader_single_copy_mechanism": "none"}

# Four arms over the tiny scenario: `same` repeats the baseline, `cut` lowers the formal cost,
# `match` adds a matching fund with a fiscal cost. 4 arms x 3 replicates = 12 runs of 6 months.
TINY_ARMS = ("baseline", "cut", "same", "match")
TINY_REPLICATES = 3
TINY_MONTHS = 6
TINY_EXPERIMENT = """\
schema_version: 1
name: tiny_arms
description: four arms of the tiny scenario
base: tiny.yaml
set: {months: 6}
arms:
  baseline: {}
  cut: {corridors.0.cost_formal: 0.02}
  same: {}
  match:
    policies+: [{kind: matching, by: BBB, ratio: 1.0}]
replications: {count: 3, master_seed: 7}
"""

# Enough work to be interrupted: 10 runs of 16000 persons at one person per agent over 120
# months, about 0.5 s each on one job of two threads (about 5 s for the batch).
LONG_EXPERIMENT = """\
schema_version: 1
name: long_arms
base: tiny.yaml
set: {months: 120, scale: 1, corridors.0.stock: 16000}
arms:
  baseline: {}
  cut: {corridors.0.cost_formal: 0.02}
replications: {count: 5, master_seed: 11}
"""


# ----------------------------------------------------------------------------------------------
# Helpers


@pytest.fixture(scope="module", autouse=True)
def no_slurm_array():
    """A Slurm array task in the environment of the test runner would shard every batch here."""
    with pytest.MonkeyPatch.context() as mp:
        for var in SLURM_VARS:
            mp.delenv(var, raising=False)
        yield


def write_experiment(directory, text, name="experiment.yaml"):
    """Writes the tiny scenario as directory/tiny.yaml and `text` as directory/name."""
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "tiny.yaml").write_text(TINY_SCENARIO)
    path = directory / name
    path.write_text(text)
    return path


def batch(binary, experiment, out, *args, env=None, timeout=300):
    """`bridges batch experiment -o out -q args...`; with env, under that environment."""
    if env is None:
        return run_bridges(binary, "batch", experiment, "-o", out, "-q", *args, timeout=timeout)
    cmd = [str(binary), "batch", str(experiment), "-o", str(out), "-q"] + [str(a) for a in args]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, env=env,
                          stdin=subprocess.DEVNULL)


def parse_manifest(text):
    """(header, rows) of a manifest: comment lines dropped, each row a dict of the header's keys."""
    lines = [line for line in text.splitlines() if line and not line.startswith("#")]
    header = lines[0].split("\t")
    rows = []
    for line in lines[1:]:
        fields = line.split("\t")
        assert len(fields) == len(header), f"manifest line with {len(fields)} fields: {line!r}"
        rows.append(dict(zip(header, fields)))
    return header, rows


def manifest_lines(text):
    """The data lines (not comments, not the header) of a manifest, as written."""
    lines = [line for line in text.splitlines() if line and not line.startswith("#")]
    return lines[1:]


def assert_same_datasets(path_a, path_b):
    a, b = collect_datasets(path_a), collect_datasets(path_b)
    assert sorted(a) == sorted(b), f"{path_a} and {path_b} hold other datasets"
    differ = [k for k in a if a[k] != b[k]]
    assert not differ, f"{path_a} and {path_b} differ in {differ}"


def text(value):
    return value.decode() if isinstance(value, bytes) else str(value)


def read_summary(batch_dir):
    """{column: list of values} of DIR/index.h5 /summary (strings decoded), and the root attrs."""
    with h5py.File(batch_dir / "index.h5", "r") as f:
        summary = {}
        for name, ds in f["summary"].items():
            values = ds[()]
            summary[name] = [text(v) if ds.dtype.kind in "OS" else v.item() for v in values]
        attrs = {k: (text(v) if isinstance(v, (bytes, str)) else v) for k, v in f.attrs.items()}
    return summary, attrs


def run_files(batch_dir):
    return sorted(p.name for p in (batch_dir / "runs").iterdir())


def manifest_ids(batch_dir):
    return [r["id"] for r in parse_manifest((batch_dir / "manifest").read_text())[1]]


def position(text_, line_text, token):
    """1-based (line, column) of `token` in the one line of text_ equal to line_text."""
    hits = [i for i, line in enumerate(text_.splitlines()) if line == line_text]
    assert len(hits) == 1, f"line {line_text!r} is not unique"
    return hits[0] + 1, text_.splitlines()[hits[0]].index(token) + 1


def error_lines(stderr):
    return [line for line in stderr.splitlines() if "error:" in line]


# ----------------------------------------------------------------------------------------------
# Shared batches


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    """The directory of the tiny 4-arm experiment and the experiment file."""
    d = tmp_path_factory.mktemp("tiny_exp")
    return {"dir": d, "experiment": write_experiment(d, TINY_EXPERIMENT)}


@pytest.fixture(scope="module")
def tiny_batch(bridges, tiny):
    """The tiny 4-arm experiment run once, unsharded, in one process: the reference batch."""
    out = tiny["dir"] / "clean"
    proc = batch(bridges, tiny["experiment"], out)
    assert proc.returncode == 0, describe(proc)
    return out


@pytest.fixture(scope="module")
def tiny_ids(tiny_batch):
    ids = manifest_ids(tiny_batch)
    assert len(ids) == len(TINY_ARMS) * TINY_REPLICATES
    return ids


# ----------------------------------------------------------------------------------------------
# 1. The manifest


def test_golden_manifest(run):
    """The manifest of tests/golden/experiment_golden.yaml (inline base, 2 arms, a grid of 2 values
    times a zip of 2 rows = 4 points, 3 replicates, master seed 20260101) is the kept one: ids (by
    content: the sweep point's label hashed, the replicate in two digits), the order arm > grid >
    zip > replicate, point labels, seeds and overrides.

    resolved_sha256 is left out of the comparison: it hashes the resolved scenario, so any new
    model default changes it. If the manifest changes on purpose, check the new one by eye (ids,
    order, equal seeds for equal replicates) and regenerate it from the repository root with

        build/release/bridges batch tests/golden/experiment_golden.yaml --dry-run \\
            | grep -v '^#' | cut -f1-7,9 > tests/golden/manifest_golden.tsv
    """
    proc = run("batch", GOLDEN_EXPERIMENT, "--dry-run")
    assert proc.returncode == 0, describe(proc)
    header, rows = parse_manifest(proc.stdout)
    assert header == MANIFEST_HEADER, describe(proc)
    kept = [c for c in MANIFEST_HEADER if c != "resolved_sha256"]
    got = ["\t".join(kept)] + ["\t".join(r[c] for c in kept) for r in rows]
    want = GOLDEN_MANIFEST.read_text().splitlines()
    assert got == want, "the manifest differs from tests/golden/manifest_golden.tsv\n" + proc.stdout

    # The same structure, stated without the golden file.
    assert len(rows) == 2 * 4 * 3
    assert [int(r["index"]) for r in rows] == list(range(24))
    for r in rows:
        point_id = hashlib.sha256(r["point_label"].encode()).hexdigest()[:12]
        assert r["id"] == f"{r['arm']}-p{point_id}-r{int(r['replicate']):02d}"
        assert re.fullmatch(r"[0-9a-f]{64}", r["resolved_sha256"]), r


def test_dry_run_writes_nothing(run, tmp_path):
    """--dry-run prints the manifest and creates no directory."""
    out = tmp_path / "never"
    proc = run("batch", GOLDEN_EXPERIMENT, "-o", out, "--dry-run")
    assert proc.returncode == 0, describe(proc)
    assert "index\tid\tarm" in proc.stdout
    assert not out.exists(), f"--dry-run created {out}"


def test_seeds_are_common_random_numbers(run):
    """Replicate r has one seed in every arm and sweep point (paired comparisons rest on it), and
    different replicates have different seeds."""
    proc = run("batch", GOLDEN_EXPERIMENT, "--dry-run")
    assert proc.returncode == 0, describe(proc)
    _, rows = parse_manifest(proc.stdout)
    seeds = {}
    for r in rows:
        seeds.setdefault(r["replicate"], set()).add(r["seed"])
    assert sorted(seeds) == ["0", "1", "2"]
    for rep, s in seeds.items():
        assert len(s) == 1, f"replicate {rep} has seeds {s} across arms and points"
    distinct = {next(iter(s)) for s in seeds.values()}
    assert len(distinct) == len(seeds), f"replicates share seeds: {seeds}"
    assert len({(r["arm"], r["point"]) for r in rows}) == 8, "2 arms x 4 points"


def test_scenario_sha_follows_the_overrides(run, tiny):
    """resolved_sha256 hashes the resolved scenario of a run: arms with identical overrides
    (baseline and same) have equal hashes replicate by replicate, arms that differ (cut, match)
    have other hashes, and so do sweep points of one arm."""
    proc = run("batch", tiny["experiment"], "--dry-run")
    assert proc.returncode == 0, describe(proc)
    _, rows = parse_manifest(proc.stdout)
    sha = {(r["arm"], r["point"], r["replicate"]): r["resolved_sha256"] for r in rows}
    for rep in map(str, range(TINY_REPLICATES)):
        base = sha[("baseline", "0", rep)]
        assert sha[("same", "0", rep)] == base, f"replicate {rep}: identical arms, other hashes"
        assert sha[("cut", "0", rep)] != base, f"replicate {rep}: cut hashes like the baseline"
        assert sha[("match", "0", rep)] != base, f"replicate {rep}: match hashes like the baseline"
        assert sha[("cut", "0", rep)] != sha[("match", "0", rep)]

    proc = run("batch", GOLDEN_EXPERIMENT, "--dry-run")
    _, rows = parse_manifest(proc.stdout)
    golden = {(r["arm"], r["point"], r["replicate"]): r["resolved_sha256"] for r in rows}
    for arm in ("baseline", "match"):
        assert len({golden[(arm, p, "0")] for p in "0123"}) == 4, f"{arm}: points share hashes"


def test_written_manifest_and_run_attributes(tiny_batch, run, tiny):
    """DIR/manifest holds the lines of --dry-run, and every run file names its manifest line,
    arm, point, replicate and seed, with status complete and a wall time."""
    proc = run("batch", tiny["experiment"], "--dry-run")
    assert proc.returncode == 0, describe(proc)
    written = (tiny_batch / "manifest").read_text()
    assert written.splitlines()[0].startswith("#"), "the manifest opens with comment lines"
    assert manifest_lines(written) == manifest_lines(proc.stdout)
    _, rows = parse_manifest(written)
    lines = manifest_lines(written)
    assert run_files(tiny_batch) == sorted(r["id"] + ".h5" for r in rows)
    for r, line in zip(rows, lines):
        with h5py.File(tiny_batch / "runs" / f"{r['id']}.h5", "r") as f:
            a = f.attrs
            assert text(a["run_id"]) == r["id"]
            assert text(a["arm"]) == r["arm"]
            assert int(a["point"]) == int(r["point"])
            assert int(a["replicate"]) == int(r["replicate"])
            assert int(a["seed"]) == int(r["seed"])
            assert text(a["manifest_line"]) == line
            assert text(a["status"]) == "complete"
            assert float(a["wall_seconds"]) > 0
            assert f["global/time"].shape == (TINY_MONTHS,), "set: {months: 6} applies to every run"


# ----------------------------------------------------------------------------------------------
# 2. Identical arms, identical outputs


def test_identical_arms_give_identical_outputs(tiny_batch):
    """`same` has the overrides of `baseline` and the seeds of common random numbers, so every
    dataset of its runs equals the baseline's, replicate by replicate; `cut` shows the comparison
    can fail."""
    runs = tiny_batch / "runs"
    for k in range(TINY_REPLICATES):
        assert_same_datasets(runs / f"baseline-p0-r{k:02d}.h5", runs / f"same-p0-r{k:02d}.h5")
        with h5py.File(runs / f"baseline-p0-r{k:02d}.h5", "r") as fb, \
                h5py.File(runs / f"cut-p0-r{k:02d}.h5", "r") as fc:
            assert not np.array_equal(fb["global/remit_formal_usd"][()],
                                      fc["global/remit_formal_usd"][()]), "cut changes nothing"


# ----------------------------------------------------------------------------------------------
# 3. Shards


def test_shards_add_up_to_the_batch(bridges, run, tiny, tiny_batch, tiny_ids):
    """--shard 0/2 then --shard 1/2 into one directory, then `bridges index`: the runs and their
    datasets equal the unsharded batch's, and the index says every run is complete."""
    out = tiny["dir"] / "sharded"
    proc = batch(bridges, tiny["experiment"], out, "--shard", "0/2")
    assert proc.returncode == 0, describe(proc)
    assert run_files(out) == sorted(f"{i}.h5" for i in tiny_ids[0::2]), "shard 0/2 does the even runs"
    summary, attrs = read_summary(out)
    assert attrs["complete"] == 6 and attrs["pending"] == 6, attrs

    proc = batch(bridges, tiny["experiment"], out, "--shard", "1/2")
    assert proc.returncode == 0, describe(proc)
    (out / "index.h5").unlink()
    proc = run("index", out)
    assert proc.returncode == 0, describe(proc)
    assert run_files(out) == run_files(tiny_batch)
    for name in run_files(out):
        assert_same_datasets(out / "runs" / name, tiny_batch / "runs" / name)
    summary, attrs = read_summary(out)
    assert summary["run_id"] == tiny_ids
    assert summary["status"] == ["complete"] * len(tiny_ids)
    assert (attrs["runs"], attrs["complete"], attrs["failed"], attrs["pending"]) == (12, 12, 0, 0)


@pytest.mark.parametrize("slurm", [{"SLURM_ARRAY_TASK_ID": "1", "SLURM_ARRAY_TASK_COUNT": "2"},
                                   {"SLURM_ARRAY_TASK_ID": "2", "SLURM_ARRAY_TASK_MIN": "1",
                                    "SLURM_ARRAY_TASK_COUNT": "2"}],
                         ids=["task_1_of_2", "task_2_of_2_from_1"])
def test_slurm_array_task_is_a_shard(bridges, tiny, tiny_batch, tiny_ids, tmp_path, slurm):
    """Without --shard, a Slurm array task (less SLURM_ARRAY_TASK_MIN) is shard I of
    SLURM_ARRAY_TASK_COUNT: task 1 of 2 does the odd-index runs only, the others stay pending."""
    env = {k: v for k, v in os.environ.items() if k not in SLURM_VARS}
    env.update(slurm)
    out = tmp_path / "slurm"
    proc = batch(bridges, tiny["experiment"], out, env=env)
    assert proc.returncode == 0, describe(proc)
    assert run_files(out) == sorted(f"{i}.h5" for i in tiny_ids[1::2]), describe(proc)
    summary, _ = read_summary(out)
    assert summary["status"] == ["pending", "complete"] * (len(tiny_ids) // 2)
    for name in run_files(out):
        assert_same_datasets(out / "runs" / name, tiny_batch / "runs" / name)


# ----------------------------------------------------------------------------------------------
# 4. MPI


def test_mpi_batch_equals_single_process(bridges, tiny, tiny_batch, tiny_ids):
    """Under `mpirun -np 2` the batch is a task farm over two ranks: rank 0 says so, and every
    run's datasets equal those of the single-process batch."""
    mpirun = shutil.which("mpirun")
    if mpirun is None:
        pytest.fail("mpirun is not on PATH: Open MPI is required for the MPI batch "
                    "(tools/lib/setup.sh installs it)")
    env = {k: v for k, v in os.environ.items() if k not in SLURM_VARS}
    env.update(MPI_ENV)
    out = tiny["dir"] / "mpi"
    cmd = [mpirun, "-np", "2", str(bridges), "batch", str(tiny["experiment"]), "-o", str(out), "-q"]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=300, env=env,
                          stdin=subprocess.DEVNULL)
    assert proc.returncode == 0, describe(proc)
    assert any(line.startswith("MPI: 2 ranks") for line in proc.stdout.splitlines()), describe(proc)
    assert run_files(out) == run_files(tiny_batch)
    for name in run_files(out):
        assert_same_datasets(out / "runs" / name, tiny_batch / "runs" / name)
    summary, _ = read_summary(out)
    assert summary["run_id"] == tiny_ids
    assert summary["status"] == ["complete"] * len(tiny_ids)


# ----------------------------------------------------------------------------------------------
# 5. Kill and resume


def test_kill_then_resume(bridges, tmp_path):
    """SIGKILL in the middle of a batch leaves only complete files under their final names (a run
    is written as .partial and renamed); a new batch without --resume refuses the directory (exit
    2, nothing changed); --resume finishes it, and the result equals an uninterrupted batch in its
    index (every column but wall_seconds and error) and in every run's datasets."""
    experiment = write_experiment(tmp_path, LONG_EXPERIMENT)
    out = tmp_path / "killed"
    proc = subprocess.Popen([str(bridges), "batch", str(experiment), "-o", str(out), "-q",
                             "--jobs", "1"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)
    runs = out / "runs"
    deadline = time.monotonic() + 120
    while proc.poll() is None and time.monotonic() < deadline:
        if runs.is_dir() and any(runs.glob("*.h5")):
            break
        time.sleep(0.01)
    assert proc.poll() is None, "the batch ended before it could be killed; make LONG_EXPERIMENT longer"
    proc.send_signal(signal.SIGKILL)
    proc.communicate(timeout=60)
    assert proc.returncode == -signal.SIGKILL

    ids = manifest_ids(out)
    done = sorted(runs.glob("*.h5"))
    assert 1 <= len(done) < len(ids), f"killed with {len(done)} of {len(ids)} runs done"
    for path in done:
        with h5py.File(path, "r") as f:
            assert text(f.attrs["status"]) == "complete", path
            assert f["global/time"].shape == (120,), path

    before = run_files(out)
    refused = batch(bridges, experiment, out, "--jobs", "1")
    assert refused.returncode == 2, describe(refused)
    assert "--resume" in refused.stderr, "the refusal names the way out\n" + describe(refused)
    assert run_files(out) == before, "a refused batch changed the directory"

    resumed = batch(bridges, experiment, out, "--jobs", "1", "--resume")
    assert resumed.returncode == 0, describe(resumed)
    assert run_files(out) == sorted(f"{i}.h5" for i in ids), "no .partial left, every run done"

    clean = tmp_path / "clean"
    proc = batch(bridges, experiment, clean, "--jobs", "1")
    assert proc.returncode == 0, describe(proc)
    got, got_attrs = read_summary(out)
    want, want_attrs = read_summary(clean)
    assert sorted(got) == sorted(want)
    for column in want:
        if column in ("wall_seconds", "error"):
            continue
        assert got[column] == want[column], f"index column {column} differs after the resume"
    assert got["status"] == ["complete"] * len(ids)
    for key in ("runs", "complete", "failed", "pending", "experiment", "baseline_arm"):
        assert got_attrs[key] == want_attrs[key], key
    for name in run_files(clean):
        assert_same_datasets(out / "runs" / name, clean / "runs" / name)


def test_changed_manifest_is_refused(bridges, tiny, tmp_path):
    """A directory that holds another batch (here: another number of months) is refused without
    --resume, and nothing in it changes."""
    out = tmp_path / "changed"
    proc = batch(bridges, tiny["experiment"], out)
    assert proc.returncode == 0, describe(proc)
    manifest = (out / "manifest").read_text()
    proc = batch(bridges, tiny["experiment"], out, "--set", "months=5")
    assert proc.returncode == 2, describe(proc)
    assert "manifest" in proc.stderr, describe(proc)
    assert (out / "manifest").read_text() == manifest


# ----------------------------------------------------------------------------------------------
# 6. compare against a hand computation


def month_offset(start, month):
    y0, m0 = map(int, start.split("-"))
    y, m = map(int, month.split("-"))
    return (y - y0) * 12 + (m - m0)


COUNTED_UNITS = ("USD", "persons", "households", "person-months")


def run_value(path, metric, period):
    """(value of metric over `period`, programme cost up to the period's end, units, kind) of one
    run file. `period` is run, a year YYYY, final or a month YYYY-MM; over run or a year a flow
    (cell_methods "time: sum") is summed, any other variable averaged."""
    name, _, iso = metric.partition("@")
    with h5py.File(path, "r") as f:
        if iso:
            codes = [text(c) for c in f["countries/country_code"][()]]
            ds = f[f"countries/{name}"]
            series = ds[()][:, codes.index(iso)]
        else:
            ds = f[f"global/{name}"]
            series = ds[()]
        units = text(ds.attrs["units"])
        flow = text(ds.attrs["cell_methods"]) == "time: sum"
        cost = f["global/program_cost_usd"][()]
        start = text(f.attrs["start"])
    if period == "run":
        first, last = 0, len(series) - 1
    elif period == "final":
        first = last = len(series) - 1
    elif "-" in period:
        first = last = month_offset(start, period)
    else:
        first = max(month_offset(start, f"{period}-01"), 0)
        last = min(month_offset(start, f"{period}-12"), len(series) - 1)
    assert 0 <= first <= last < len(series), f"{period} outside the run"
    part = series[first:last + 1]
    one_month = period == "final" or "-" in period
    value = float(part[0]) if one_month else math.fsum(part) if flow else math.fsum(part) / len(part)
    return value, math.fsum(cost[:last + 1]), units, flow


def t_quantile(p, df):
    """Student's t quantile to double precision: scipy's ppf polished by Newton steps on the cdf
    (ppf alone is off by about 4e-11 for 2 degrees of freedom, which a bound near zero, the
    difference of two large numbers, turns into a relative error above 1e-9)."""
    t = stats.t.ppf(p, df)
    for _ in range(2):
        t -= (stats.t.cdf(t, df) - p) / stats.t.pdf(t, df)
    return t


def expected_effects(batch_dir, metrics, period, confidence, baseline="baseline"):
    _, rows = parse_manifest((batch_dir / "manifest").read_text())
    runs = {(r["arm"], int(r["point"]), int(r["replicate"])): batch_dir / "runs" / f"{r['id']}.h5"
            for r in rows}
    arms = list(dict.fromkeys(r["arm"] for r in rows))
    points = sorted({int(r["point"]) for r in rows})
    out = {}
    for arm in arms:
        if arm == baseline:
            continue
        for p in points:
            reps = sorted(r for (a, q, r) in runs if a == arm and q == p)
            for metric in metrics:
                base_v, arm_v, diffs, costs = [], [], [], []
                for r in reps:
                    b, bc, units, flow = run_value(runs[(baseline, p, r)], metric, period)
                    a, ac, _, _ = run_value(runs[(arm, p, r)], metric, period)
                    base_v.append(b)
                    arm_v.append(a)
                    diffs.append(a - b)
                    costs.append(ac - bc)
                n = len(diffs)
                d = float(np.mean(diffs))
                half = t_quantile((1 + confidence) / 2, n - 1) * np.std(diffs, ddof=1) / math.sqrt(n)
                base_mean = float(np.mean(base_v))
                cost = float(np.mean(costs))
                if period == "final" or "-" in period:
                    how = "value in " + ("the last month" if period == "final" else period)
                else:
                    how = ("sum" if flow else "mean") + " over " + ("the run" if period == "run" else period)
                out[(arm, p, metric)] = {
                    "units": units, "n": n, "aggregation": how, "baseline_mean": base_mean,
                    "arm_mean": float(np.mean(arm_v)), "difference": d,
                    "ci_low": d - half, "ci_high": d + half,
                    "relative_pct": None if base_mean == 0 else 100 * d / base_mean,
                    "cost_usd": cost,
                    "effect_per_million_usd": d / cost * 1e6 if cost > 0 and units in COUNTED_UNITS else None}
    return out


MEANS_AND_LEVELS = ["poverty_rate@BBB", "trust_mean@BBB", "poverty_rate", "trust_mean", "members",
                    "remit_formal_usd"]
# (id, arguments, period, metrics, confidence)
COMPARE_CASES = [
    ("run", [], "run", DEFAULT_METRICS, 0.95),
    ("cumulative_is_run", ["--at", "cumulative"], "run", DEFAULT_METRICS, 0.95),
    ("final", ["--at", "final"], "final", DEFAULT_METRICS, 0.95),
    ("month", ["--at", "2017-03"], "2017-03", DEFAULT_METRICS, 0.95),
    ("year", ["--over", "2017"], "2017", MEANS_AND_LEVELS, 0.95),
    ("means_and_levels", [], "run", MEANS_AND_LEVELS, 0.95),
    ("country", [], "run", ["remit_formal_usd@BBB", "collective_usd@BBB"], 0.95),
    ("country_month_c80", ["--at", "2017-03"], "2017-03", ["remit_formal_usd@BBB", "program_cost_usd"], 0.8),
]


@pytest.mark.parametrize("case", COMPARE_CASES, ids=[c[0] for c in COMPARE_CASES])
def test_compare_matches_hand_computation(run, tiny_batch, case):
    """Every effect of `compare --format json` (each non-baseline arm x metric) equals the paired
    computation from the run files: each run's value over the period (a flow summed over its
    months, a level or mean averaged, or one month's value), mean of arm - baseline per
    replicate, Student-t interval with n-1 degrees of freedom, relative %, mean paired programme
    cost (up to the period's end) and effect per US$ 1 million (null when the cost is not
    positive or the metric is neither an amount nor a count)."""
    _, extra, period, metrics, confidence = case
    args = ["compare", tiny_batch, "--format", "json", *extra]
    if metrics is not DEFAULT_METRICS:
        for m in metrics:
            args += ["--metric", m]
    if confidence != 0.95:
        args += ["--confidence", confidence]
    proc = run(*args)
    assert proc.returncode == 0, describe(proc)
    doc = json.loads(proc.stdout)
    assert doc["format"] == "bridges-compare" and doc["schema_version"] == 2
    assert doc["experiment"] == "tiny_arms"
    assert doc["baseline"] == "baseline"
    assert doc["period"] == period
    assert doc["confidence"] == pytest.approx(confidence)
    assert doc["runs_left_out"] == 0

    want = expected_effects(tiny_batch, metrics, period, confidence)
    got = {(e["arm"], e["point"], e["metric"]): e for e in doc["effects"]}
    assert len(got) == len(doc["effects"]), "one effect per arm, point and metric"
    assert sorted(got) == sorted(want)
    nonzero = 0
    for key, w in want.items():
        e = got[key]
        assert e["units"] == w["units"], key
        assert e["aggregation"] == w["aggregation"], key
        assert e["period"] == period and e["confidence"] == pytest.approx(confidence), key
        assert e["n"] == w["n"] == TINY_REPLICATES, key
        assert e["debt"] is False, key
        for field in ("baseline_mean", "arm_mean", "difference", "ci_low", "ci_high",
                      "relative_pct", "cost_usd", "effect_per_million_usd"):
            if w[field] is None:
                assert e[field] is None, f"{key} {field}: {e[field]} where null is expected"
            else:
                assert e[field] is not None, f"{key} {field} is null, expected {w[field]}"
                assert e[field] == pytest.approx(w[field], rel=1e-9, abs=1e-6), f"{key} {field}"
        nonzero += w["difference"] != 0 and w["ci_high"] > w["ci_low"]
    assert nonzero > 0, "every effect is zero: the check would prove nothing"

    for metric in metrics:
        e = got[("same", 0, metric)]
        assert e["difference"] == 0 and e["ci_low"] == 0 and e["ci_high"] == 0, \
            f"same arm, {metric}: {e}"


def test_world_wide_means_are_weighted_means_of_the_countries(tiny_batch):
    """/global poverty_rate lies within the origins' rates each month, and trust_mean equals the
    countries' trust means weighted by their diaspora members (every member belongs to one origin)."""
    checked = 0
    for path in sorted((tiny_batch / "runs").glob("*.h5")):
        with h5py.File(path, "r") as f:
            members = f["countries/diaspora_members"][()]
            trust = f["countries/trust_mean"][()]
            # A country without diaspora has the fill value NaN, and weight 0.
            weighted = np.where(members > 0, trust * members, 0.0).sum(axis=1) / members.sum(axis=1)
            np.testing.assert_allclose(f["global/trust_mean"][()], weighted, rtol=1e-12)
            origins = members.sum(axis=0) > 0
            rates = f["countries/poverty_rate"][()][:, origins]
            world = f["global/poverty_rate"][()]
            assert np.all(world >= rates.min(axis=1) - 1e-15) and np.all(world <= rates.max(axis=1) + 1e-15)
            checked += 1
    assert checked == len(TINY_ARMS) * TINY_REPLICATES


def test_compare_csv_and_table(run, tiny_batch):
    """CSV: a header and one row per effect of the JSON output, in the same order; the table
    names every arm."""
    proc = run("compare", tiny_batch, "--format", "json")
    assert proc.returncode == 0, describe(proc)
    effects = json.loads(proc.stdout)["effects"]
    proc = run("compare", tiny_batch, "--format", "csv")
    assert proc.returncode == 0, describe(proc)
    rows = list(csv.DictReader(io.StringIO(proc.stdout)))
    assert len(rows) == len(effects) == (len(TINY_ARMS) - 1) * len(DEFAULT_METRICS)
    assert [(r["arm"], r["metric"]) for r in rows] == [(e["arm"], e["metric"]) for e in effects]
    for r, e in zip(rows, effects):
        assert float(r["difference"]) == pytest.approx(e["difference"], rel=1e-12, abs=1e-9)
        assert (r["aggregation"], r["period"], float(r["confidence"])) == (e["aggregation"], "run", 0.95)
    proc = run("compare", tiny_batch)
    assert proc.returncode == 0, describe(proc)
    for arm in TINY_ARMS:
        assert re.search(rf"\b{arm}\b", proc.stdout), f"the table does not name arm {arm}\n{proc.stdout}"
    header = proc.stdout.splitlines()[0]
    assert "over the run (flows summed, levels and means averaged over its months)" in header, header
    assert "95% Student-t intervals" in header, header
    assert "remit_formal_usd (USD, sum)" in proc.stdout, proc.stdout
    means = run("compare", tiny_batch, "--metric", "poverty_rate@BBB", "--over", "2017")
    assert means.returncode == 0, describe(means)
    assert "poverty_rate@BBB (1, mean)" in means.stdout and "over 2017" in means.stdout, means.stdout
    both = run("compare", tiny_batch, "--over", "2017", "--at", "final")
    assert both.returncode == 2 and "give one of them" in both.stderr, describe(both)
    outside = run("compare", tiny_batch, "--over", "2019")
    assert outside.returncode == 2 and "no month in 2019" in outside.stderr, describe(outside)


# ----------------------------------------------------------------------------------------------
# 7. A failed run is isolated


def test_failed_run_is_isolated_and_resumed(bridges, tiny, tiny_batch, tiny_ids, tmp_path):
    """A directory standing at cut-p0-r01.h5, the run's final name, makes that run fail when it
    renames its finished file (a genuine I/O error): exit 3, stderr and runs/cut-p0-r01.error name it (the .error file opens with its
    manifest line), the index marks it failed with a message and the others complete, and the
    other runs equal the clean batch's, and the failed run leaves no partial file. Once the
    directory is gone, --resume completes the run."""
    out = tmp_path / "failing"
    failing = "cut-p0-r01"
    (out / "runs" / f"{failing}.h5").mkdir(parents=True)
    proc = batch(bridges, tiny["experiment"], out)
    assert proc.returncode == 3, describe(proc)
    assert failing in proc.stderr, describe(proc)
    assert (out / "runs" / f"{failing}.h5").is_dir()
    assert not [p for p in (out / "runs").iterdir() if ".partial" in p.name]

    line = next(l for l in manifest_lines((out / "manifest").read_text()) if l.split("\t")[1] == failing)
    err = (out / "runs" / f"{failing}.error").read_text().splitlines()
    assert err[0] == line, "the .error file opens with the run's manifest line"
    assert "".join(err[1:]).strip(), "the .error file holds a message"

    summary, attrs = read_summary(out)
    assert summary["run_id"] == tiny_ids
    for rid, status, error in zip(summary["run_id"], summary["status"], summary["error"]):
        if rid == failing:
            assert status == "failed" and error.strip(), (rid, status, error)
        else:
            assert status == "complete", (rid, status, error)
    assert (attrs["complete"], attrs["failed"], attrs["pending"]) == (11, 1, 0), attrs
    for rid in tiny_ids:
        if rid != failing:
            assert_same_datasets(out / "runs" / f"{rid}.h5", tiny_batch / "runs" / f"{rid}.h5")

    (out / "runs" / f"{failing}.h5").rmdir()
    proc = batch(bridges, tiny["experiment"], out, "--resume")
    assert proc.returncode == 0, describe(proc)
    summary, attrs = read_summary(out)
    assert summary["status"] == ["complete"] * len(tiny_ids)
    assert (attrs["complete"], attrs["failed"]) == (12, 0)
    assert_same_datasets(out / "runs" / f"{failing}.h5", tiny_batch / "runs" / f"{failing}.h5")


# ----------------------------------------------------------------------------------------------
# 8. Input errors of the experiment file


def experiment_text(extra_arm="", sweep="", baseline="", base="tiny.yaml", replications="replications"):
    return (f"schema_version: 1\nname: bad\nbase: {base}\n{baseline}"
            f"arms:\n  baseline: {{}}\n{extra_arm}{sweep}"
            f"{replications}: {{count: 2, master_seed: 1}}\n")


# (id, experiment text, line holding the error, token at the reported column or None when only
#  the line is checked, words of the message)
INPUT_CASES = [
    ("unknown_top_level_key", experiment_text(replications="replicatons"),
     "replicatons: {count: 2, master_seed: 1}", "replicatons",
     ["unknown key", "'replicatons'", "did you mean 'replications'"]),
    ("misspelled_override", experiment_text(extra_arm="  more:\n    behaviour.remit.amout_share: 0.2\n"),
     "    behaviour.remit.amout_share: 0.2", "behaviour.remit.amout_share",
     ["'amout_share'", "did you mean 'amount_share'"]),
    ("sweep_value_out_of_range",
     experiment_text(sweep="sweep:\n  grid:\n    behaviour.remit.amount_share: [0.1, 1.5]\n"),
     "    behaviour.remit.amount_share: [0.1, 1.5]", "1.5", ["'amount_share'", "out of range"]),
    ("zip_lengths_differ",
     experiment_text(sweep="sweep:\n  zip:\n    behaviour.remit.amount_share: [0.1, 0.2]\n"
                           "    network.mean_degree: [4, 5, 6]\n"),
     "    network.mean_degree: [4, 5, 6]", None, ["zip", "3"]),
    ("unknown_baseline_arm", experiment_text(baseline="baseline: nosuch\n"),
     "baseline: nosuch", "nosuch", ["baseline"]),
    ("missing_base_file", experiment_text(base="nothere.yaml"),
     "base: nothere.yaml", "nothere.yaml", ["nothere.yaml", "cannot open"]),
]


@pytest.mark.parametrize("command", ["validate", "batch"])
@pytest.mark.parametrize("case", INPUT_CASES, ids=[c[0] for c in INPUT_CASES])
def test_experiment_input_errors(run, tmp_path, case, command):
    """Each mistake of an experiment file exits 2 with `file:line:col: error:` at the place of the
    mistake in the experiment file (the value for value errors, the key for a key error, the file
    name for a missing base; for a zip of unequal lengths, at least its line) and creates no batch
    directory."""
    _, body, line_text, token, words = case
    path = write_experiment(tmp_path, body)
    out = tmp_path / "out"
    if command == "validate":
        proc = run("validate", path)
    else:
        proc = run("batch", path, "-o", out, "-q")
    assert proc.returncode == 2, describe(proc)
    assert "ok" not in proc.stdout.split(), describe(proc)
    if token is not None:
        line, col = position(body, line_text, token)
        place = re.escape(f"{path}:{line}:{col}: error:")
    else:
        line, _ = position(body, line_text, line_text.strip()[:1])
        place = re.escape(f"{path}:{line}:") + r"\d+: error:"
    reported = [l for l in error_lines(proc.stderr) if re.match(place, l)]
    assert reported, f"expected an error at {place}\n" + describe(proc)
    for word in words:
        assert any(word in l for l in reported), f"'{word}' not in {reported}\n" + describe(proc)
    assert not out.exists(), f"{out} was created"


def test_validate_experiment_counts_runs(run, tiny):
    """validate on a good experiment prints its name and number of runs, and runs nothing."""
    proc = run("validate", tiny["experiment"])
    assert proc.returncode == 0, describe(proc)
    assert proc.stdout.startswith("ok: experiment tiny_arms, 12 runs"), describe(proc)
    proc = run("validate", GOLDEN_EXPERIMENT)
    assert proc.returncode == 0, describe(proc)
    assert proc.stdout.startswith("ok: experiment golden, 24 runs"), describe(proc)


# ----------------------------------------------------------------------------------------------
# 9. compare errors

COMPARE_ERRORS = [
    ("unknown_baseline", ["--baseline", "nosuch"], "nosuch"),
    ("unknown_metric", ["--metric", "nosuch_usd"], "nosuch_usd"),
    ("unknown_country", ["--metric", "remit_formal_usd@ZZZ"], "ZZZ"),
    ("month_before_run", ["--at", "1999-01"], "1999-01"),
    ("month_after_run", ["--at", "2017-07"], "2017-07"),
    ("bad_at", ["--at", "badvalue"], "badvalue"),
    ("text_variable", ["--metric", "country_code@AAA"], "country_code"),
]


@pytest.mark.parametrize("case", COMPARE_ERRORS, ids=[c[0] for c in COMPARE_ERRORS])
def test_compare_errors(run, tiny_batch, case):
    """A wrong option of compare exits 2, names the wrong thing on stderr and prints no table."""
    _, args, word = case
    proc = run("compare", tiny_batch, "--format", "json", *args)
    assert proc.returncode == 2, describe(proc)
    assert word in proc.stderr, describe(proc)
    assert proc.stdout.strip() == "", describe(proc)


def test_compare_needs_a_batch_directory(run, tmp_path):
    """A directory without a manifest (or none at all) is no batch: exit 2, the path is named."""
    empty = tmp_path / "empty"
    empty.mkdir()
    for d in (empty, tmp_path / "missing"):
        proc = run("compare", d)
        assert proc.returncode == 2, describe(proc)
        assert str(d) in proc.stderr and "manifest" in proc.stderr, describe(proc)


# ----------------------------------------------------------------------------------------------
# 10. The index file


def test_index_opens_with_xarray_and_links_resolve(tiny_batch, tiny_ids, monkeypatch):
    """DIR/index.h5 /summary is a netCDF-4 group with dimension `run` (xarray, h5netcdf) whose
    columns follow the manifest and the run files; /runs holds external links that resolve from
    another working directory."""
    import xarray as xr

    index = (tiny_batch / "index.h5").resolve()
    with xr.open_dataset(index, group="summary", engine="h5netcdf") as ds:
        assert dict(ds.sizes) == {"run": len(tiny_ids)}
        for name in ("run_id", "arm", "point", "point_label", "replicate", "seed", "status",
                     "wall_seconds", "error", "remit_formal_usd_cumulative", "remit_formal_usd_final"):
            assert name in ds.variables and ds[name].dims == ("run",), name
        assert [text(v) for v in ds["run_id"].values] == tiny_ids
        assert [text(v) for v in ds["status"].values] == ["complete"] * len(tiny_ids)
        cumulative = ds["remit_formal_usd_cumulative"].values
        final = ds["program_cost_usd_final"].values
    with h5py.File(index, "r") as f:
        assert text(f.attrs["experiment"]) == "tiny_arms"
        assert text(f.attrs["baseline_arm"]) == "baseline"
        assert (int(f.attrs["runs"]), int(f.attrs["complete"])) == (12, 12)
    _, rows = parse_manifest((tiny_batch / "manifest").read_text())
    for i, r in enumerate(rows):
        with h5py.File(tiny_batch / "runs" / f"{r['id']}.h5", "r") as f:
            series = f["global/remit_formal_usd"][()]
            cost = f["global/program_cost_usd"][()]
        assert cumulative[i] == pytest.approx(math.fsum(series), rel=1e-12), r["id"]
        assert final[i] == cost[-1], r["id"]

    monkeypatch.chdir("/")
    with h5py.File(index, "r") as f:
        assert sorted(f["runs"]) == sorted(tiny_ids)
        for rid in tiny_ids:
            assert isinstance(f["runs"].get(rid, getlink=True), h5py.ExternalLink), rid
            run_group = f["runs"][rid]
            assert text(run_group.attrs["run_id"]) == rid
            assert run_group["global/remit_formal_usd"].shape == (TINY_MONTHS,)


def test_index_survives_a_run_file_missing_a_variable(run, tiny_batch, tmp_path):
    """A complete run file that lacks a /global variable (written by an engine without it) does not
    stop the index: the run stays complete, its missing summary is NaN with the reason in `error`,
    and every other run is summarised as before."""
    out = tmp_path / "copy"
    shutil.copytree(tiny_batch, out)
    damaged = out / "runs" / "cut-p0-r01.h5"
    with h5py.File(damaged, "r+") as f:
        del f["global/crisis_aid_usd"]
    proc = run("index", out)
    assert proc.returncode == 0, describe(proc)
    summary, attrs = read_summary(out)
    ref, _ = read_summary(tiny_batch)
    assert attrs["complete"] == 12
    i = summary["run_id"].index("cut-p0-r01")
    assert math.isnan(summary["crisis_aid_usd_cumulative"][i])
    assert "crisis_aid_usd" in summary["error"][i]
    assert summary["remit_formal_usd_cumulative"][i] == ref["remit_formal_usd_cumulative"][i]


# ----------------------------------------------------------------------------------------------
# Growing and shrinking a finished design with --resume

GROWING_EXPERIMENT = """\
schema_version: 1
name: growing
base: tiny.yaml
set: {{months: 6}}
arms:
  baseline: {{}}
{extra_arm}sweep:
  grid:
    behaviour.remit.amount_share: [{values}]
replications: {{count: {count}, master_seed: 11}}
"""


def growing(directory, count, values, with_cut=True):
    text = GROWING_EXPERIMENT.format(count=count, values=", ".join(values),
                                     extra_arm="  cut: {corridors.0.cost_formal: 0.02}\n" if with_cut else "")
    return write_experiment(directory, text)


def file_digests(runs_dir):
    return {p.name: p.read_bytes() for p in sorted(runs_dir.glob("*.h5"))}


def test_raising_replications_and_adding_sweep_values_keeps_the_finished_runs(bridges, tmp_path):
    """Runs are keyed by content (arm, sweep point's values, replicate, seed, scenario), not by
    their place in the manifest: raising replications from 5 to 8 runs only the 3 new replicates of
    each arm and point, adding a sweep value only that value's runs, and the files of the runs kept
    are not touched. Removing an arm moves its files to DIR/superseded and reports them."""
    (tmp_path / "tiny.yaml").write_text(TINY_SCENARIO)
    out = tmp_path / "grow"
    proc = batch(bridges, growing(tmp_path, 5, ["0.1", "0.2"]), out)
    assert proc.returncode == 0, describe(proc)
    assert "this invocation: 20 run(s) to do, 0 kept" in proc.stdout, describe(proc)
    before = file_digests(out / "runs")
    assert len(before) == 20

    proc = batch(bridges, growing(tmp_path, 8, ["0.1", "0.2"]), out, "--resume")
    assert proc.returncode == 0, describe(proc)
    assert "this invocation: 12 run(s) to do, 20 kept from before" in proc.stdout, describe(proc)
    after = file_digests(out / "runs")
    assert len(after) == 32
    assert all(after[name] == data for name, data in before.items()), "a kept run's file changed"

    fresh = tmp_path / "fresh"
    proc = batch(bridges, growing(tmp_path, 8, ["0.1", "0.2"]), fresh)
    assert proc.returncode == 0, describe(proc)
    for name in after:
        assert collect_datasets(out / "runs" / name) == collect_datasets(fresh / "runs" / name), \
            f"{name}: the grown batch differs from the same design run at once"

    proc = batch(bridges, growing(tmp_path, 8, ["0.1", "0.15", "0.2"]), out, "--resume")
    assert proc.returncode == 0, describe(proc)
    assert "this invocation: 16 run(s) to do, 32 kept from before" in proc.stdout, describe(proc)
    assert all(file_digests(out / "runs")[name] == data for name, data in after.items())

    proc = batch(bridges, growing(tmp_path, 8, ["0.1", "0.15", "0.2"], with_cut=False), out, "--resume")
    assert proc.returncode == 0, describe(proc)
    assert "this invocation: 0 run(s) to do, 24 kept from before" in proc.stdout, describe(proc)
    assert f"24 run(s) no longer in the experiment's design moved to {out}/superseded" in proc.stdout
    remaining = [p.name for p in (out / "runs").glob("*.h5")]
    assert len(remaining) == 24 and all(n.startswith("baseline-") for n in remaining), remaining
    assert len(list((out / "superseded" / "runs").glob("cut-*.h5"))) == 24
    summary, attrs = read_summary(out)
    assert (attrs["complete"], attrs["failed"], attrs["pending"]) == (24, 0, 0), attrs


def test_swept_parameters_are_numeric_columns_of_the_index_and_of_compare(bridges, run, tmp_path):
    """A swept path is one numeric column (float64 in index.h5's /summary, a number in compare's
    CSV and JSON), holding each run's value, next to the point's label."""
    (tmp_path / "tiny.yaml").write_text(TINY_SCENARIO)
    out = tmp_path / "swept"
    proc = batch(bridges, growing(tmp_path, 2, ["0.1", "0.15", "0.2"]), out)
    assert proc.returncode == 0, describe(proc)
    path = "behaviour.remit.amount_share"
    with h5py.File(out / "index.h5", "r") as f:
        column = f[f"summary/{path}"]
        assert column.dtype == np.float64
        labels = [text(v) for v in f["summary/point_label"][()]]
        assert list(column[()]) == [float(l.split("=")[1]) for l in labels]
        assert sorted(set(column[()])) == [0.1, 0.15, 0.2]
    proc = run("compare", out, "--metric", "remit_formal_usd", "--format", "csv")
    assert proc.returncode == 0, describe(proc)
    rows = list(csv.DictReader(io.StringIO(proc.stdout)))
    assert proc.stdout.splitlines()[0].startswith(f'arm,point,point_label,"{path}",metric,')
    assert len(rows) == 3
    for r in rows:
        assert float(r[path]) == float(r["point_label"].split("=")[1])
    proc = run("compare", out, "--metric", "remit_formal_usd", "--format", "json")
    effects = json.loads(proc.stdout)["effects"]
    assert sorted(e["sweep"][path] for e in effects) == [0.1, 0.15, 0.2]


def test_a_sweep_error_names_the_arm_that_lacks_the_item(run, tmp_path):
    """Sweeping policies.0.ratio over an experiment whose baseline arm has no policy: the error
    names the arm, at the sweep's place in the experiment file."""
    text = """\
schema_version: 1
name: ratios
base: tiny.yaml
arms:
  baseline: {}
  match:
    policies+: [{kind: matching, by: BBB, ratio: 1.0}]
sweep:
  grid:
    policies.0.ratio: [1, 3]
"""
    path = write_experiment(tmp_path, text)
    proc = run("validate", path)
    assert proc.returncode == 2, describe(proc)
    errors = error_lines(proc.stderr)
    assert errors and all("arm 'baseline'" in e for e in errors), describe(proc)
    assert not any("arm 'match'" in e for e in errors), describe(proc)


def test_resolve_prints_the_scenario_a_run_of_the_batch_simulates(run, tiny, tiny_batch):
    """`bridges resolve EXPERIMENT --arm A --replicate R` prints exactly the resolved scenario
    that run A-p0-rR of the batch recorded; without --arm, or with an unknown arm, it lists the arms."""
    for arm, replicate in (("cut", 1), ("match", 2), ("baseline", 0)):
        proc = run("resolve", tiny["experiment"], "--arm", arm, "--replicate", replicate)
        assert proc.returncode == 0, describe(proc)
        with h5py.File(tiny_batch / "runs" / f"{arm}-p0-r{replicate:02d}.h5", "r") as f:
            recorded = text(f["scenario_resolved"][()])
        assert proc.stdout == recorded, arm
    for args, words in ((["--arm", "nope"], "--arm nope: no such arm (arms: baseline, cut, same, match)"),
                        ([], "name the arm to print with --arm (arms: baseline, cut, same, match)"),
                        (["--arm", "cut", "--point", "1"], "--point 1: the experiment has 1 sweep point(s)"),
                        (["--arm", "cut", "--replicate", "3"], "--replicate 3: the experiment has 3 replicate(s)")):
        proc = run("resolve", tiny["experiment"], *args)
        assert proc.returncode == 2 and words in proc.stderr, describe(proc)


def test_validate_reads_an_experiment_as_one_and_reports_every_error_in_one_pass(run, tmp_path):
    """An experiment without 'base' is still read as an experiment; a misspelt top-level key does
    not hide the errors inside the arms; a lowercase country code gets the uppercase suggestion."""
    no_base = write_experiment(tmp_path, "schema_version: 1\nname: nob\narms:\n  a: {}\n", "nobase.yaml")
    proc = run("validate", no_base)
    assert proc.returncode == 2, describe(proc)
    assert error_lines(proc.stderr) == [f"{no_base}:1:1: error: an experiment needs 'base': a scenario "
                                        "file or an inline scenario"], describe(proc)
    text_ = """\
schema_version: 1
name: typo
base: tiny.yaml
arms:
  baseline: {}
  cap:
    behaviour.remit.amount_shar: 0.2
    policies+: [{kind: cost_cap, by: aaa, cap: 0.03}]
replication: {count: 2}
"""
    path = write_experiment(tmp_path, text_, "typo.yaml")
    proc = run("validate", path)
    assert proc.returncode == 2, describe(proc)
    errors = error_lines(proc.stderr)
    assert len(errors) == 3, describe(proc)
    assert f"{path}:9:1: error: unknown key 'replication' in an experiment file (did you mean 'replications'?)" in errors
    assert any(e.startswith(f"{path}:7:5: error: arm 'cap': unknown key 'amount_shar'") for e in errors), errors
    assert any("unknown country 'aaa'" in e and "(did you mean 'AAA'?)" in e for e in errors), errors


def test_an_interrupted_batch_counts_the_runs_it_abandoned(bridges, tmp_path):
    """SIGINT after the first run file: exit 1, and the summary counts the runs of this invocation
    left pending ("N abandoned"), which equals what the index says is pending."""
    experiment = write_experiment(tmp_path, LONG_EXPERIMENT)
    out = tmp_path / "interrupted"
    proc = subprocess.Popen([str(bridges), "batch", str(experiment), "-o", str(out), "-q", "--jobs", "1"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120
    while proc.poll() is None and time.monotonic() < deadline:
        if (out / "runs").is_dir() and any((out / "runs").glob("*.h5")):
            break
        time.sleep(0.01)
    assert proc.poll() is None, "the batch ended before it could be interrupted"
    proc.send_signal(signal.SIGINT)
    stdout, stderr = proc.communicate(timeout=120)
    assert proc.returncode == 1, stdout + stderr
    _, attrs = read_summary(out)
    assert attrs["pending"] >= 1
    match = re.search(r"this invocation: (\d+) run\(s\) to do, 0 kept from before, 0 failed, (\d+) abandoned", stdout)
    assert match, stdout
    assert int(match.group(1)) == attrs["runs"] and int(match.group(2)) == attrs["pending"], (stdout, attrs)


def test_index_summarises_every_country_variable_by_run_and_country(run, tiny_batch):
    """index.h5 /countries holds, for every (time, country) variable, its value over the run (a flow
    summed, a level or mean averaged) and in the last month, one row per run and one column per
    country, equal to a computation from the run files."""
    summary, _ = read_summary(tiny_batch)
    with h5py.File(tiny_batch / "index.h5", "r") as index:
        g = index["countries"]
        codes = [text(c) for c in g["country_code"][()]]
        assert codes == ["AAA", "BBB"]
        checked = 0
        for i, run_id in enumerate(summary["run_id"]):
            with h5py.File(tiny_batch / "runs" / f"{run_id}.h5", "r") as f:
                for name, ds in f["countries"].items():
                    if ds.ndim != 2 or "cell_methods" not in ds.attrs:
                        continue
                    values = ds[()]
                    flow = text(ds.attrs["cell_methods"]) == "time: sum"
                    column = f"{name}_cumulative" if flow else f"{name}_mean"
                    want = values.sum(axis=0) if flow else values.mean(axis=0)
                    np.testing.assert_allclose(g[column][i], want, rtol=1e-12, err_msg=column)
                    np.testing.assert_array_equal(g[f"{name}_final"][i], values[-1])
                    checked += 1
        # Every variable of the catalogue's /countries (`bridges params --outputs`) was checked.
        catalogue = run("params", "--outputs").stdout
        variables = len(re.findall(r"^\| `[a-z_]+` \|", catalogue.split("### `/countries`")[1].split("### `/corridors`")[0],
                                   re.M))
        assert variables > 30 and checked == len(summary["run_id"]) * variables, (checked, variables)
        assert "poverty_rate_mean" in g and "poverty_rate_cumulative" not in g
