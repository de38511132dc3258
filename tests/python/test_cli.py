"""The command line (README.md, Command line) and the strict scenario reader (docs/scenarios.md: every
input error exits 2, names the place as file:line:col, and writes nothing."""

import re
import resource
import signal
import subprocess
import time
from pathlib import Path

import h5py
import pytest

from conftest import REPO, TINY_SCENARIO, describe, shipped_scenarios

LINES = TINY_SCENARIO.splitlines(keepends=True)


def change_line(old, new):
    """TINY_SCENARIO with its one line `old` (exact, without newline) replaced by `new`."""
    matches = [i for i, line in enumerate(LINES) if line.rstrip("\n") == old]
    assert len(matches) == 1, f"line {old!r} is not unique in the tiny scenario"
    out = list(LINES)
    out[matches[0]] = new + "\n"
    return "".join(out)


def position(text, line_text, token, occurrence=1):
    """1-based (line, column) of `token` inside the `occurrence`-th line equal to `line_text`."""
    seen = 0
    for i, line in enumerate(text.splitlines()):
        if line == line_text:
            seen += 1
            if seen == occurrence:
                col = line.index(token)
                return i + 1, col + 1
    raise AssertionError(f"line {line_text!r} not found")


def write(tmp_path, text, name="scenario.yaml"):
    path = tmp_path / name
    path.write_text(text)
    return path


def assert_nothing_written(out):
    assert not out.exists(), f"{out} was written"
    assert not out.with_name(out.name + ".partial").exists(), f"{out}.partial was left"
    assert not out.parent.exists() or not any(out.parent.iterdir()), f"{out.parent} is not empty"


def error_lines(stderr):
    return [line for line in stderr.splitlines() if ": error: " in line]


# Each case: (id, original line, changed line, token at the reported place, words the message holds).
# The reported place is the key for key errors and the value for value errors.
FILE_CASES = [
    ("unknown_key", "    amount_share: 0.15", "    amount_shar: 0.15", "amount_shar",
     ["unknown key", "'amount_shar'", "did you mean 'amount_share'"]),
    ("duplicate_key", "    cost_formal: 0.05", "    stock: 6000", "stock",
     ["duplicate key", "'stock'"]),
    ("wrong_type", "    stock: 5000", "    stock: many", "many",
     ["'stock'", "must be a number", "'many'"]),
    ("out_of_range", "    cost_formal: 0.05", "    cost_formal: 1.5", "1.5",
     ["'cost_formal'", "out of range"]),
    ("nan", "    amount_share: 0.15", "    amount_share: .nan", ".nan",
     ["'amount_share'", "finite", "'.nan'"]),
    ("unknown_country", "    host: AAA", "    host: CCC", "CCC",
     ["unknown country", "'CCC'", "'corridors.0.host'"]),
    ("bad_schema_version", "schema_version: 1", "schema_version: 2", "2",
     ["schema_version", "'2'"]),
    ("malformed_yaml", "months: 3", "months: 3: 4", ": 4",
     ["malformed YAML"]),
]


@pytest.mark.parametrize("case", FILE_CASES, ids=[c[0] for c in FILE_CASES])
def test_run_rejects_bad_scenario(run, tmp_path, case):
    _, old, new, token, words = case
    text = change_line(old, new)
    path = write(tmp_path, text)
    out = tmp_path / "out" / "out.h5"
    # The offending token is on the changed line (a repeated key is reported where it is repeated).
    line, col = position(text, new, token)

    proc = run("run", path, "-o", out, "-q")
    assert proc.returncode == 2, describe(proc)
    place = f"{path}:{line}:{col}: error:"
    assert place in proc.stderr, f"expected '{place}'\n" + describe(proc)
    assert len(error_lines(proc.stderr)) == 1, "one changed line gives one error\n" + describe(proc)
    reported = [l for l in error_lines(proc.stderr) if l.startswith(place)]
    for word in words:
        assert any(word in l for l in reported), f"'{word}' not in the error at {place}\n" + describe(proc)
    assert proc.stdout == "", "nothing goes to stdout on an input error\n" + describe(proc)
    assert_nothing_written(out)


SET_CASES = [
    ("unknown_path", "behaviour.remit.amount_shar=0.2", ["unknown key", "'amount_shar'"]),
    ("non_numeric", "scale=abc", ["'scale'", "must be a number", "'abc'"]),
    ("missing_equals", "scale", ["PATH=VALUE"]),
]


@pytest.mark.parametrize("case", SET_CASES, ids=[c[0] for c in SET_CASES])
def test_run_rejects_bad_set(run, tmp_path, case):
    _, arg, words = case
    path = write(tmp_path, TINY_SCENARIO)
    out = tmp_path / "out" / "out.h5"
    proc = run("run", path, "-o", out, "-q", "--set", arg)
    assert proc.returncode == 2, describe(proc)
    place = f"--set {arg}: error:"
    reported = [l for l in error_lines(proc.stderr) if l.startswith(place)]
    assert reported, f"expected an error naming '{place}'\n" + describe(proc)
    for word in words:
        assert any(word in l for l in reported), f"'{word}' not in {reported}"
    assert_nothing_written(out)


def test_set_out_of_range_is_validated_like_the_file(run, tmp_path):
    path = write(tmp_path, TINY_SCENARIO)
    out = tmp_path / "out" / "out.h5"
    proc = run("run", path, "-o", out, "-q", "--set", "corridors.0.cost_formal=1.5")
    assert proc.returncode == 2, describe(proc)
    assert any(l.startswith("--set corridors.0.cost_formal=1.5: error:") and "out of range" in l
               for l in error_lines(proc.stderr)), describe(proc)
    assert_nothing_written(out)


@pytest.mark.parametrize("scenario", shipped_scenarios(), ids=lambda p: p.name)
def test_validate_shipped_scenarios(run, scenario):
    proc = run("validate", scenario)
    assert proc.returncode == 0, describe(proc)
    assert proc.stdout.strip() == "ok", describe(proc)


def test_validate_tiny_scenario(run, tmp_path):
    proc = run("validate", write(tmp_path, TINY_SCENARIO))
    assert proc.returncode == 0, describe(proc)
    assert proc.stdout.strip() == "ok"


def test_validate_reports_every_error(run, tmp_path):
    text = change_line("    amount_share: 0.15", "    amount_shar: 0.15")
    text = text.replace("    cost_formal: 0.05\n", "    cost_formal: 1.5\n")
    assert text.count("\n") == TINY_SCENARIO.count("\n")
    path = write(tmp_path, text)
    proc = run("validate", path)
    assert proc.returncode == 2, describe(proc)
    assert "ok" not in proc.stdout.split()
    errors = error_lines(proc.stderr)
    assert len(errors) == 2, f"expected two 'error:' lines\n" + describe(proc)
    l1, c1 = position(text, "    amount_shar: 0.15", "amount_shar")
    l2, c2 = position(text, "    cost_formal: 1.5", "1.5")
    assert any(e.startswith(f"{path}:{l1}:{c1}: error:") and "amount_shar" in e for e in errors), describe(proc)
    assert any(e.startswith(f"{path}:{l2}:{c2}: error:") and "cost_formal" in e for e in errors), describe(proc)


def test_a_lever_that_never_acts_is_a_warning_and_under_strict_an_error(run, tmp_path):
    """enable_matching_3x1.yaml starts its levers in 2018-01; six months from 2017-01 leave them
    outside the run. validate, run and batch warn (naming the item, its months and the run's) and
    go on; with --strict they stop with exit 2 and write nothing."""
    scenario = REPO / "scenarios" / "enable_matching_3x1.yaml"
    text = scenario.read_text()
    line, col = position(text, next(l for l in text.splitlines() if "{kind: matching" in l), "2018-01")
    expected = (f"{scenario}:{line}:{col}: warning: policies.0 (matching lever, from 2018-01 on) never acts: "
                "the run covers 2017-01 to 2017-06")
    proc = run("validate", scenario, "--set", "months=6")
    assert proc.returncode == 0, describe(proc)
    assert proc.stdout.strip() == "ok (with warnings)", describe(proc)
    assert expected in proc.stderr.splitlines(), describe(proc)
    assert "policies.1 (org_capacity lever, from 2018-01 on) never acts" in proc.stderr, describe(proc)
    assert error_lines(proc.stderr) == [], describe(proc)

    strict = run("validate", scenario, "--set", "months=6", "--strict")
    assert strict.returncode == 2, describe(strict)
    assert expected.replace(": warning: ", ": error: ") + " (an error under --strict)" in strict.stderr, describe(strict)

    out = tmp_path / "out" / "m.h5"
    refused = run("run", scenario, "--set", "months=6", "--set", "scale=5000", "-o", out, "-q", "--strict")
    assert refused.returncode == 2, describe(refused)
    assert_nothing_written(out)
    warned = run("run", scenario, "--set", "months=6", "--set", "scale=5000", "-o", out, "-q")
    assert warned.returncode == 0 and out.exists(), describe(warned)
    assert expected in warned.stderr.splitlines(), describe(warned)

    # Thirteen months reach 2018-01: the levers act in the last month, and nothing is said.
    quiet = run("validate", scenario, "--set", "months=13")
    assert quiet.returncode == 0 and quiet.stdout.strip() == "ok" and quiet.stderr == "", describe(quiet)


def test_an_experiment_warns_of_each_arm_whose_lever_never_acts(run, tmp_path):
    experiment = REPO / "scenarios" / "experiments" / "three_e_portfolio.yaml"
    proc = run("validate", experiment, "--set", "months=12")
    assert proc.returncode == 0, describe(proc)
    warnings = [l for l in proc.stderr.splitlines() if ": warning: " in l]
    assert warnings and all("arm '" in w and "never acts: the run covers 2017-01 to 2017-12" in w
                            for w in warnings), describe(proc)
    assert len(warnings) == len(set(warnings)), "a warning is repeated"
    strict = run("batch", experiment, "--set", "months=12", "--strict", "-o", tmp_path / "b", "-q")
    assert strict.returncode == 2, describe(strict)
    assert not (tmp_path / "b").exists() or not any((tmp_path / "b").iterdir()), describe(strict)


@pytest.mark.parametrize("args", [["--threads", "0"], ["--no-such-option"]], ids=["threads_0", "unknown_option"])
def test_run_rejects_bad_options(run, tmp_path, args):
    path = write(tmp_path, TINY_SCENARIO)
    out = tmp_path / "out" / "out.h5"
    proc = run("run", path, "-o", out, "-q", *args)
    assert proc.returncode == 2, describe(proc)
    assert proc.stderr.strip() != "", "a usage error is explained on stderr"
    assert_nothing_written(out)


def test_run_tiny_scenario(run, tmp_path):
    path = write(tmp_path, TINY_SCENARIO)
    out = tmp_path / "out" / "out.h5"
    proc = run("run", path, "-o", out, "-q")
    assert proc.returncode == 0, describe(proc)
    assert "ledger imbalance" in proc.stdout
    assert "BBB" in proc.stdout, "the summary table lists the origin"
    assert out.exists()
    assert not out.with_name(out.name + ".partial").exists()
    with h5py.File(out, "r") as f:
        assert f.attrs["status"] == b"complete"
        assert f.attrs["scenario_name"] == b"tiny"
        assert int(f.attrs["seed"]) == 42
        assert f["global/time"].shape == (3,)
        assert f["countries/remit_formal_usd"].shape == (3, 2)
        assert f["corridors/remit_formal_usd"].shape == (3, 1)


def test_run_honours_seed_and_months(run, tmp_path):
    path = write(tmp_path, TINY_SCENARIO)
    a, b = tmp_path / "a.h5", tmp_path / "b.h5"
    proc = run("run", path, "-o", a, "-q", "--seed", "7", "--months", "5")
    assert proc.returncode == 0, describe(proc)
    proc = run("run", path, "-o", b, "-q")
    assert proc.returncode == 0, describe(proc)
    with h5py.File(a, "r") as fa, h5py.File(b, "r") as fb:
        assert int(fa.attrs["seed"]) == 7
        assert int(fb.attrs["seed"]) == 42
        for g in ("global", "countries", "corridors"):
            assert fa[f"{g}/time"].shape == (5,)
            assert fb[f"{g}/time"].shape == (3,)
        assert fa["countries/remit_formal_usd"].shape == (5, 2)
        # another seed gives another draw of the same world
        assert not (fa["global/remit_formal_usd"][:3] == fb["global/remit_formal_usd"][:]).all()


def test_run_seed_out_of_range(run, tmp_path):
    path = write(tmp_path, TINY_SCENARIO)
    out = tmp_path / "out" / "out.h5"
    proc = run("run", path, "-o", out, "-q", "--seed", "-1")
    assert proc.returncode == 2, describe(proc)
    assert_nothing_written(out)


def test_validate_missing_file(run, tmp_path):
    missing = tmp_path / "missing.yaml"
    proc = run("validate", missing)
    assert proc.returncode == 2, describe(proc)
    assert str(missing) in proc.stderr


def test_an_endless_input_is_refused_without_reading_it_all(run):
    """/dev/zero never ends: the reader stops past 64 MiB instead of exhausting memory."""
    proc = run("validate", "/dev/zero", timeout=60)
    assert proc.returncode == 2, describe(proc)
    assert "larger than 64 MiB" in proc.stderr


def test_write_failure_exits_1_and_leaves_nothing(run, tmp_path):
    """An output place that cannot be created is a failure while writing: exit 1, no file."""
    blocker = tmp_path / "not_a_directory"
    blocker.write_text("a file where a directory is needed\n")
    out = blocker / "out.h5"
    proc = run("run", str(REPO / "scenarios" / "baseline.yaml"), "--months", "2", "--set", "scale=1000",
               "-o", str(out), "-q")
    assert proc.returncode == 1, describe(proc)
    assert "error:" in proc.stderr
    assert not out.exists() and not Path(str(out) + ".partial").exists()


def limited_file_size(limit_bytes):
    """preexec_fn: files of the child may not grow past limit_bytes (as on a full disk or quota)."""
    return lambda: resource.setrlimit(resource.RLIMIT_FSIZE, (limit_bytes, limit_bytes))


@pytest.mark.parametrize("limit_kib", [16, 64, 256])
def test_a_write_error_during_output_exits_1_and_leaves_no_file(bridges, tmp_path, limit_kib):
    """Output that cannot be written (here: past a file-size limit; the whole file is about 380
    KiB) fails with exit 1 and a message naming the file and the reason, and leaves nothing."""
    out = tmp_path / "out.h5"
    proc = subprocess.run([str(bridges), "run", str(REPO / "scenarios" / "baseline.yaml"), "--set",
                           "scale=1000", "-o", str(out), "-q"], capture_output=True, text=True,
                          timeout=300, preexec_fn=limited_file_size(limit_kib * 1024))
    assert proc.returncode == 1, describe(proc)
    assert f"{out}.partial failed" in proc.stderr and "(File too large)" in proc.stderr, describe(proc)
    assert list(tmp_path.iterdir()) == [], list(tmp_path.iterdir())


def test_a_batch_that_cannot_write_leaves_no_incomplete_file_and_its_index_can_be_rebuilt(bridges, tmp_path):
    """A file-size limit of 64 KiB: each run fails alone (its .error gives the reason), then the
    batch's index cannot be written either: exit 1, the message names the index, and no partial,
    incomplete run file or index is left. Without the limit, `bridges index` rebuilds the index
    from what is there."""
    out = tmp_path / "batch"
    proc = subprocess.run([str(bridges), "batch", str(REPO / "scenarios" / "experiments" / "cost_cut.yaml"),
                           "-o", str(out), "--set", "scale=1000", "--set", "months=12", "--jobs", "2", "-q"],
                          capture_output=True, text=True, timeout=600,
                          preexec_fn=limited_file_size(64 * 1024))
    assert proc.returncode == 1, describe(proc)
    assert f"{out}/index.h5 failed" in proc.stderr and "(File too large)" in proc.stderr, describe(proc)
    errors = sorted((out / "runs").glob("*.error"))
    assert len(errors) == 60, describe(proc)
    assert all("File too large" in e.read_text() for e in errors)
    assert not list(out.rglob("*.partial*")) and not list(out.rglob("*.h5"))
    rebuilt = subprocess.run([str(bridges), "index", str(out)], capture_output=True, text=True, timeout=300)
    assert rebuilt.returncode == 0, describe(rebuilt)
    with h5py.File(out / "index.h5", "r") as f:
        assert len(f["runs"]) == 0  # no run completed, so no run file is linked


def test_interrupted_run_exits_1_and_removes_its_partial_file(bridges, tmp_path):
    """SIGINT during the months: the run stops between two months, says so, and leaves no file."""
    out = tmp_path / "interrupted.h5"
    partial = Path(str(out) + ".partial")
    proc = subprocess.Popen([bridges, "run", str(REPO / "scenarios" / "baseline.yaml"), "--set", "scale=20",
                             "-o", str(out), "-q"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while not partial.exists() and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    assert partial.exists(), "the run never started writing"
    proc.send_signal(signal.SIGINT)
    _, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 1, stderr
    assert "interrupted" in stderr
    assert not out.exists() and not partial.exists()


def test_a_world_too_big_for_memory_is_refused_before_it_starts(run, tmp_path):
    """500 million members at one person each need far more than this machine has: `run` exits 2
    before building anything, naming the estimate and the memory available, and writes nothing."""
    path = write(tmp_path, TINY_SCENARIO)
    out = tmp_path / "out" / "out.h5"
    proc = run("run", path, "-o", out, "-q", "--set", "scale=1", "--set", "corridors.0.stock=5e8")
    assert proc.returncode == 2, describe(proc)
    m = re.search(r"needs about (\d+) MiB but only (\d+) MiB are available", proc.stderr)
    assert m, describe(proc)
    need, have = int(m.group(1)), int(m.group(2))
    assert need > have > 0
    assert need >= 5e8 * 100 / 2**20, "under 100 bytes per member cannot hold the member columns and graph"
    assert_nothing_written(out)


def _stderr_on_a_terminal(bridges, *args, cwd):
    """Runs bridges with stderr on a pseudo-terminal (the progress bar shows only there) and
    returns what it wrote there and its exit code."""
    import os
    import pty
    master, slave = pty.openpty()
    try:
        proc = subprocess.Popen([str(bridges)] + [str(a) for a in args], stdin=subprocess.DEVNULL,
                                stdout=subprocess.DEVNULL, stderr=slave, cwd=cwd)
        os.close(slave)
        chunks = []
        while True:
            try:
                data = os.read(master, 4096)
            except OSError:  # the terminal closes when the process ends
                break
            if not data:
                break
            chunks.append(data)
        code = proc.wait(timeout=300)
    finally:
        os.close(master)
    return b"".join(chunks).decode(errors="replace"), code


def test_run_and_batch_share_one_progress_bar(bridges, tmp_path):
    # `bridges run` counts months per second, `bridges batch` runs per minute; both draw the same
    # bar: [###...] done/total unit, rate, ETA, and end it with a newline when done.
    scenario = write(tmp_path, TINY_SCENARIO)
    text, code = _stderr_on_a_terminal(bridges, "run", scenario, "-o", tmp_path / "t.h5", cwd=tmp_path)
    assert code == 0, text
    bar = re.compile(r"\[[#.]{30}\] (\d+)/(\d+) (months|runs)[^\r\n]*  [0-9.]+ \3/(s|min)  ETA \S+")
    months = [m for m in bar.finditer(text) if m.group(3) == "months"]
    assert months and months[-1].group(1) == months[-1].group(2) == "3", text
    assert "[" + "#" * 30 + "] 3/3 months" in text
    experiment = tmp_path / "exp.yaml"
    experiment.write_text("schema_version: 1\nname: exp\nbase: " + str(scenario) + "\n"
                          "arms: {a: {}, b: {months: 2}}\nreplications: {count: 1, master_seed: 1}\n")
    text, code = _stderr_on_a_terminal(bridges, "batch", experiment, "-o", tmp_path / "b", cwd=tmp_path)
    assert code == 0, text
    runs = [m for m in bar.finditer(text) if m.group(3) == "runs"]
    assert runs and runs[-1].group(1) == runs[-1].group(2) == "2", text
    assert ", 0 failed" in runs[-1].group(0)
