"""Checkpoint and restart (docs/checkpoints.md): a run or a batch killed with SIGKILL at any moment
and then resumed writes output bit-identical to a run never interrupted; no file under a final
name is ever incomplete; a checkpoint from another engine, another scenario or a damaged file is
refused with exit code 2."""

import os
import random
import signal
import struct
import subprocess
import time
from pathlib import Path

import h5py
import pytest

from conftest import REPO, collect_datasets, describe

SCENARIO = REPO / "scenarios" / "crisis_host_recession.yaml"
# About 20,000 members for 60 months: a run of one to two seconds on two cores, long enough to be
# killed at many moments and short enough to be run many times.
ARGS = ["--set", "scale=250", "--months", "60", "-q"]


def bridges_cmd(bridges, *args):
    return [str(bridges)] + [str(a) for a in args]


def complete_output(path):
    """An output file under its final name must be whole: it opens and says so."""
    with h5py.File(path, "r") as f:
        assert f.attrs["status"] == b"complete" or f.attrs["status"] == "complete", path


@pytest.fixture(scope="module")
def reference(bridges, tmp_path_factory):
    """The uninterrupted run's datasets, and its wall time in seconds."""
    out = tmp_path_factory.mktemp("reference") / "ref.h5"
    t0 = time.monotonic()
    proc = subprocess.run(bridges_cmd(bridges, "run", SCENARIO, "-o", out, *ARGS), capture_output=True,
                          text=True, timeout=600)
    assert proc.returncode == 0, describe(proc)
    return collect_datasets(out), time.monotonic() - t0


def test_a_checkpointed_run_equals_an_uninterrupted_one_and_removes_its_checkpoint(bridges, tmp_path,
                                                                                   reference):
    out, ck = tmp_path / "out.h5", tmp_path / "ck"
    proc = subprocess.run(bridges_cmd(bridges, "run", SCENARIO, "-o", out, *ARGS, "--checkpoint-every", "7",
                                      "--checkpoint-dir", ck), capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, describe(proc)
    assert "checkpoints: 8 in" in proc.stdout, describe(proc)  # after months 7, 14, ..., 56
    assert collect_datasets(out) == reference[0]
    assert list(ck.iterdir()) == []


def test_a_run_killed_at_random_moments_resumes_to_identical_output(bridges, tmp_path, reference):
    """SIGKILL at 12 moments spread uniformly over 5% to 110% of the uninterrupted run's wall time
    (fixed seed); after each, whatever is under the final name is whole, and `bridges resume` (or,
    killed before the first checkpoint, the run again) gives the reference output exactly."""
    expected, seconds = reference
    rng = random.Random(20261128)
    resumed = 0
    for attempt in range(12):
        out, ck = tmp_path / f"out{attempt}.h5", tmp_path / f"ck{attempt}"
        run = bridges_cmd(bridges, "run", SCENARIO, "-o", out, *ARGS, "--checkpoint-every", "5",
                          "--checkpoint-dir", ck)
        child = subprocess.Popen(run, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.05, 1.1) * seconds)
        child.send_signal(signal.SIGKILL)
        child.wait()
        if out.exists():  # finished before the kill: whole, and the checkpoint may remain
            complete_output(out)
        elif (ck / "checkpoint.bin").exists():
            proc = subprocess.run(bridges_cmd(bridges, "resume", ck, "-q"), capture_output=True, text=True,
                                  timeout=600)
            assert proc.returncode == 0, describe(proc)
            assert "resumed from the checkpoint after month" in proc.stdout, describe(proc)
            resumed += 1
        else:
            proc = subprocess.run(run, capture_output=True, text=True, timeout=600)
            assert proc.returncode == 0, describe(proc)
        assert collect_datasets(out) == expected, f"attempt {attempt}"
        assert not list(tmp_path.glob(f"out{attempt}.h5.partial*"))
    # Set-up is a small part of a run and checkpoints come every 5 of 60 months: most kills fall
    # after one. Fewer than 3 of 12 would mean the test no longer tests resuming.
    assert resumed >= 3, "too few kills fell after a checkpoint to test resuming"


def kept_checkpoint(bridges, tmp_path):
    """A checkpoint left by a run killed as soon as its first checkpoint (after month 2) exists;
    the run has 600 months, so it cannot finish first."""
    ck, out = tmp_path / "ck", tmp_path / "out.h5"
    child = subprocess.Popen(bridges_cmd(bridges, "run", SCENARIO, "-o", out, "--set", "scale=100",
                                         "--months", 600, "-q", "--checkpoint-every", 2,
                                         "--checkpoint-dir", ck),
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while not (ck / "checkpoint.bin").exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    child.send_signal(signal.SIGKILL)
    child.wait()
    assert (ck / "checkpoint.bin").exists()
    assert not out.exists()
    return ck, out


def test_run_refuses_a_directory_that_holds_a_checkpoint(run, bridges, tmp_path):
    ck, _ = kept_checkpoint(bridges, tmp_path)
    proc = run("run", SCENARIO, "-o", tmp_path / "other.h5", "--checkpoint-every", 3, "--checkpoint-dir", ck)
    assert proc.returncode == 2, describe(proc)
    assert f"{ck}: error: this directory holds the checkpoint of a run of {SCENARIO}" in proc.stderr
    assert "bridges resume" in proc.stderr
    assert not (tmp_path / "other.h5").exists()


def test_resume_without_a_checkpoint_is_an_input_error(run, tmp_path):
    proc = run("resume", tmp_path)
    assert proc.returncode == 2, describe(proc)
    assert f"{tmp_path}: error: no checkpoint here" in proc.stderr


def checksum(data):
    """The checksum a checkpoint stores in its last 8 bytes (docs/checkpoints.md)."""
    mask = (1 << 64) - 1
    h = 0x243F6A8885A308D3
    whole = len(data) // 8 * 8
    for (w,) in struct.iter_unpack("<Q", data[:whole]):
        h = ((h ^ w) * 0x9E3779B97F4A7C15) & mask
        h ^= h >> 32
    for b in data[whole:]:
        h = ((h ^ b) * 0x100000001B3) & mask
    return h ^ len(data)


def patched(path, offset, new_bytes, reseal=False):
    """Writes NEW_BYTES at OFFSET; with RESEAL, the checksum is made to match again, as in a
    checkpoint written whole by a run of another scenario."""
    data = bytearray(path.read_bytes())
    data[offset:offset + len(new_bytes)] = new_bytes
    if reseal:
        data[-8:] = struct.pack("<Q", checksum(bytes(data[:-8])))
    path.write_bytes(bytes(data))


@pytest.mark.parametrize("damage", ["engine", "scenario", "byte", "truncated", "not_a_checkpoint"])
def test_a_mismatched_or_damaged_checkpoint_is_refused(run, bridges, tmp_path, damage):
    ck, out = kept_checkpoint(bridges, tmp_path)
    file = ck / "checkpoint.bin"
    data = file.read_bytes()
    magic = b"BRIDGES-CHECKPOINT\n"
    version_at = len(magic) + 4 + 8  # magic, format, length of the version string
    if damage == "engine":
        patched(file, version_at, b"9")
        expected = "the checkpoint was written by Bridges 9"
    elif damage == "scenario":
        # The stored scenario text: one digit of the seed changed, so it resolves differently.
        at = data.index(b"seed: 2017")
        patched(file, at + len(b"seed: "), b"3", reseal=True)
        expected = "the checkpoint belongs to another scenario"
    elif damage == "byte":
        patched(file, len(data) // 2, bytes([data[len(data) // 2] ^ 0x5A]))
        expected = "the checkpoint is damaged (its checksum does not match its contents)"
    elif damage == "truncated":
        file.write_bytes(data[: len(data) * 3 // 4])
        expected = "the checkpoint is damaged (its checksum does not match its contents)"
    else:
        file.write_bytes(b"# a scenario\nmonths: 3\n" + data[40:])
        expected = "the checkpoint is damaged (it is not a Bridges checkpoint)"
    before = {p: p.stat().st_mtime_ns for p in tmp_path.rglob("*")}
    proc = run("resume", ck, "-q")
    assert proc.returncode == 2, describe(proc)
    assert f"{file}: error: {expected}" in proc.stderr, describe(proc)
    # Nothing written: no output, and the killed run's partial file and the checkpoint untouched.
    assert not out.exists()
    assert {p: p.stat().st_mtime_ns for p in tmp_path.rglob("*")} == before


# ---------------------------------------------------------------- batches ---------------------

EXPERIMENT = """\
schema_version: 1
name: kill_test
base: {base}
set:
  scale: 500
  months: 48
arms:
  baseline: {{}}
  cap_3pct:
    policies+:
      - {{kind: cost_cap, by: USA, from: 2018-01, cap: 0.03}}
replications:
  count: 3
  master_seed: 11
"""


def run_datasets(batch_dir):
    return {p.name: collect_datasets(p) for p in sorted((batch_dir / "runs").glob("*.h5"))}


def test_a_batch_killed_at_random_moments_resumes_to_identical_runs(bridges, tmp_path):
    """Six short runs, two at a time, checkpoints every 4 months; SIGKILL at 6 moments spread over
    20% to 90% of the uninterrupted batch's wall time (fixed seed), then `--resume` each time:
    every run file equals the uninterrupted batch's, none under a final name is incomplete, runs
    in flight continue from their checkpoints, and the checkpoints are gone at the end."""
    exp = tmp_path / "kill_test.yaml"
    exp.write_text(EXPERIMENT.format(base=REPO / "scenarios" / "baseline.yaml"))
    ref = tmp_path / "ref"
    t0 = time.monotonic()
    proc = subprocess.run(bridges_cmd(bridges, "batch", exp, "-o", ref, "--jobs", 2, "-q"), capture_output=True,
                          text=True, timeout=600)
    seconds = time.monotonic() - t0
    assert proc.returncode == 0, describe(proc)
    expected = run_datasets(ref)
    assert len(expected) == 6
    rng = random.Random(7)
    continued = 0
    for attempt in range(6):
        out = tmp_path / f"b{attempt}"
        cmd = bridges_cmd(bridges, "batch", exp, "-o", out, "--jobs", 2, "-q", "--checkpoint-every", 4)
        child = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.2, 0.9) * seconds)
        child.send_signal(signal.SIGKILL)
        child.wait()
        for p in (out / "runs").glob("*.h5") if (out / "runs").exists() else []:
            complete_output(p)
        proc = subprocess.run(cmd + ["--resume"], capture_output=True, text=True, timeout=600)
        assert proc.returncode == 0, describe(proc)
        continued += "from their checkpoints)" in proc.stdout
        assert run_datasets(out) == expected, f"attempt {attempt}"
        assert not (out / "checkpoints").exists()
        assert not list(out.rglob("*.partial*"))
    # A kill in the middle of the batch almost always finds a run past its first checkpoint; fewer
    # than 2 of 6 would mean the test no longer tests continuing from checkpoints.
    assert continued >= 2
