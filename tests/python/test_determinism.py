"""Determinism (docs/output.md, Writing, completeness and determinism): the same scenario and seed give bit-identical datasets in
/global, /countries and /corridors whatever the number of threads."""

import shutil
import subprocess

import h5py
import numpy as np
import pytest

from conftest import BASELINE, collect_datasets, describe, run_bridges

GROUPS = ("global", "countries", "corridors")
THREADS = (1, 2, 4)


@pytest.fixture(scope="module")
def runs(bridges, tmp_path_factory):
    d = tmp_path_factory.mktemp("determinism")
    files = {}
    for t in THREADS:
        out = d / f"baseline_t{t}.h5"
        proc = run_bridges(bridges, "run", BASELINE, "--months", 12, "--set", "scale=400", "-o", out,
                           "--threads", t, "-q")
        assert proc.returncode == 0, describe(proc)
        files[t] = out
    return files


def test_threads_attribute_recorded(runs):
    for t, path in runs.items():
        with h5py.File(path, "r") as f:
            assert int(f.attrs["threads"]) == t
            assert f.attrs["status"] == b"complete"


def test_bit_identical_across_threads(runs):
    ref = collect_datasets(runs[1])
    assert "/global/remit_formal_usd" in ref and "/countries/remit_formal_usd" in ref
    with h5py.File(runs[1], "r") as f:
        assert np.all(f["global/remit_formal_usd"][()] > 0), "an all-zero run would prove nothing"
    for t in THREADS[1:]:
        other = collect_datasets(runs[t])
        assert sorted(other) == sorted(ref), f"threads={t}: other datasets"
        differ = [k for k in ref if other[k] != ref[k]]
        assert not differ, f"threads={t} differs from threads=1 in {differ}"
        with h5py.File(runs[1], "r") as fa, h5py.File(runs[t], "r") as fb:
            for k in ref:
                a, b = fa[k][()], fb[k][()]
                # NaN is a value here: the fill value of the means that do not apply (hosts).
                assert np.array_equal(a, b, equal_nan=a.dtype.kind == "f"), k


@pytest.mark.parametrize("group", GROUPS)
def test_h5diff(runs, group):
    h5diff = shutil.which("h5diff")
    if h5diff is None:
        pytest.skip("h5diff (hdf5-tools) is not installed")
    for t in THREADS[1:]:
        proc = subprocess.run([h5diff, str(runs[1]), str(runs[t]), f"/{group}", f"/{group}"],
                              capture_output=True, text=True, timeout=120)
        assert proc.returncode == 0, describe(proc)
