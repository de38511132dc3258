"""The bad-input corpus (tests/bad_inputs/README.md): every malformed scenario and experiment file
must be refused with exactly the diagnostic its header names, at its line and column, with its
exit code, by `bridges validate` and by the command that would run it, and nothing may be
written."""

import re
from pathlib import Path

import pytest

from conftest import REPO, describe

CORPUS = REPO / "tests" / "bad_inputs"
EXPECT_EXIT = re.compile(r"^# expect: exit (\d+)$")
EXPECT_ERROR = re.compile(r"^# expect: (\d+:\d+: error: .+)$")


def corpus():
    return sorted(CORPUS.glob("*.yaml"))


def expectations(path):
    """(exit code, diagnostic after 'FILE:') from the file's header."""
    code = diagnostic = None
    for raw in path.read_bytes().splitlines():
        line = raw.decode("utf-8", errors="replace")
        if not line.startswith("#"):
            break
        if m := EXPECT_EXIT.match(line):
            code = int(m.group(1))
        elif m := EXPECT_ERROR.match(line):
            diagnostic = m.group(1)
    assert code is not None and diagnostic is not None, f"{path.name}: header lacks '# expect:' lines"
    return code, diagnostic


def test_the_corpus_is_large_and_its_headers_are_complete():
    files = corpus()
    assert len(files) >= 40
    assert sum(1 for f in files if f.name.startswith("exp_")) >= 10
    for f in files:
        code, _ = expectations(f)
        assert code == 2, f"{f.name}: input errors exit with 2"


def check_refusal(proc, path, code, diagnostic):
    assert proc.returncode == code, describe(proc)
    assert f"{path.name}:{diagnostic}" in proc.stderr.splitlines(), describe(proc)
    assert re.search(r"^\d+ error\(s\); nothing was written$", proc.stderr, re.M), describe(proc)
    assert "ok" not in proc.stdout.split(), describe(proc)


@pytest.mark.parametrize("path", corpus(), ids=lambda p: p.stem)
def test_validate_refuses_with_the_named_error(run, path):
    code, diagnostic = expectations(path)
    proc = run("validate", path.name, cwd=CORPUS)
    check_refusal(proc, path, code, diagnostic)


@pytest.mark.parametrize("path", corpus(), ids=lambda p: p.stem)
def test_running_it_is_refused_before_anything_is_written(run, path, tmp_path):
    code, diagnostic = expectations(path)
    out = tmp_path / "out"
    if path.name.startswith("exp_"):
        proc = run("batch", path.name, "-o", out, "--jobs", "1", cwd=CORPUS)
    else:
        proc = run("run", path.name, "-o", out / "run.h5", "-q", cwd=CORPUS)
    check_refusal(proc, path, code, diagnostic)
    assert not out.exists(), f"{path.name}: {sorted(Path(out).rglob('*'))}"
