"""Shared fixtures of the Python checks of Bridges (README.md, docs/scenarios.md,
docs/output.md).

Run with:
    BRIDGES_BIN=build/release/bridges /usr/bin/python3 -m pytest -q tests/python -p no:cacheprovider
"""

import errno
import os
import subprocess
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SCENARIOS = REPO / "scenarios"
BASELINE = SCENARIOS / "baseline.yaml"

# Months and scale of the shared baseline run used by the output tests.
BASELINE_MONTHS = 24
BASELINE_SCALE = 400
BASELINE_THREADS = 2

# A small valid scenario: two countries, one corridor of 5000 migrants at 10 persons per agent
# (500 members), three months. Tests that need a bad file change one line of it.
TINY_SCENARIO = """\
# A tiny scenario for the command-line tests.
schema_version: 1
name: tiny
start: 2017-01
months: 3
seed: 42
scale: 10
countries:
  - code: AAA
    name: Alpha
    gdp_per_capita_usd: 50000
  - code: BBB
    name: Beta
    gdp_per_capita_usd: 2000
corridors:
  - origin: BBB
    host: AAA
    stock: 5000
    cost_formal: 0.05
behaviour:
  remit:
    amount_share: 0.15
network:
  mean_degree: 4
"""


def pytest_configure(config):
    # Debian's netCDF4/cftime extensions were built against another numpy ABI minor; harmless.
    config.addinivalue_line("filterwarnings",
                            "ignore:numpy.ndarray size changed, may indicate binary incompatibility")


def shipped_scenarios():
    """Every shipped scenario file, sorted by name."""
    return sorted(SCENARIOS.glob("*.yaml"))


DATA_GROUPS = ("global", "countries", "corridors")


def collect_datasets(path):
    """{'/group/name': (dtype, shape, raw bytes or list of strings)} of every dataset of the data
    groups of an output file (docs/output.md: these must be bit-identical).

    Raw bytes make the comparison exact (an equal NaN compares equal, -0.0 differs from 0.0)."""
    import h5py
    import numpy as np

    out = {}
    with h5py.File(path, "r") as f:
        for g in DATA_GROUPS:
            for name, ds in f[g].items():
                if not isinstance(ds, h5py.Dataset):
                    continue
                a = ds[()]
                if a.dtype.kind == "O":
                    data = [x.decode() if isinstance(x, bytes) else x for x in np.ravel(a)]
                else:
                    data = np.ascontiguousarray(a).tobytes()
                out[f"/{g}/{name}"] = (a.dtype.str, a.shape, data)
    assert "/global/remit_formal_usd" in out and "/countries/remit_formal_usd" in out, path
    return out


def comment_header_lines(path):
    """How many lines a file's leading comment header has."""
    header = 0
    for line in Path(path).read_text().splitlines():
        if not line.startswith("#"):
            break
        header += 1
    return header


def bridges_path():
    return Path(os.environ.get("BRIDGES_BIN", str(REPO / "build" / "release" / "bridges")))


def run_bridges(binary, *args, timeout=300, cwd=None):
    """Runs `binary args...`, returns the CompletedProcess (text stdout/stderr).

    The binary may be relinked by another process while the tests run: a missing or busy
    executable is retried for a while instead of failing the test.
    """
    cmd = [str(binary)] + [str(a) for a in args]
    deadline = time.monotonic() + 60
    while True:
        try:
            return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, cwd=cwd,
                                  stdin=subprocess.DEVNULL)
        except OSError as e:
            transient = isinstance(e, FileNotFoundError) or e.errno in (errno.ETXTBSY, errno.ENOEXEC)
            if not transient or time.monotonic() > deadline:
                raise
            time.sleep(2)


def describe(proc):
    """The command, exit code and output of a finished process, for assertion messages."""
    return (f"command: {' '.join(proc.args)}\nexit code: {proc.returncode}\n"
            f"--- stdout ---\n{proc.stdout}\n--- stderr ---\n{proc.stderr}")


@pytest.fixture(scope="session")
def bridges():
    path = bridges_path()
    deadline = time.monotonic() + 60
    while not path.exists() and time.monotonic() < deadline:
        time.sleep(2)
    if not path.exists():
        pytest.fail(f"bridges binary not found at {path} (set BRIDGES_BIN)")
    return path


@pytest.fixture(scope="session")
def run(bridges):
    """run(*args, **kw) -> CompletedProcess of the bridges binary."""

    def _run(*args, **kw):
        return run_bridges(bridges, *args, **kw)

    return _run


@pytest.fixture(scope="session")
def baseline_run(bridges, tmp_path_factory):
    """The baseline scenario, 24 months at 400 persons per agent on 2 threads, run once."""
    out_dir = tmp_path_factory.mktemp("baseline")
    out = out_dir / "baseline.h5"
    proc = run_bridges(bridges, "run", BASELINE, "--months", BASELINE_MONTHS, "--set",
                       f"scale={BASELINE_SCALE}", "-o", out, "--threads", BASELINE_THREADS, "-q")
    if proc.returncode != 0:
        pytest.fail("the baseline run failed\n" + describe(proc))
    return {"path": out, "dir": out_dir, "proc": proc}


@pytest.fixture(scope="session")
def baseline_h5(baseline_run):
    return baseline_run["path"]
