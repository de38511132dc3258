"""tools/bench (bench/README.md): the reference benchmark at a coarse scale, as CI's smoke test of
the benchmark binaries. The targets are measured by tools/bench, never asserted here; these tests
check that what it writes is consistent with itself, with the data layout and with the in-process
Google Benchmark counters, and that bad input is refused."""

import json
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
BENCH_PY = REPO / "tools" / "lib" / "bench.py"
BENCH_BIN = REPO / "build" / "release" / "bench" / "bridges_bench"

# 10^7 persons at 1000 per member: 10,000 members, the size BM_Month/members:10000 builds.
SCALE = 1000
MEMBERS = 10_000
MONTHS = 3


def bench(*args):
    return subprocess.run(["/usr/bin/python3", str(BENCH_PY), *args], capture_output=True, text=True,
                          timeout=600)


@pytest.fixture(scope="module")
def result(tmp_path_factory):
    if not BENCH_BIN.exists():
        pytest.skip("bridges_bench is not built (BRIDGES_BUILD_BENCHMARKS=OFF)")
    out = tmp_path_factory.mktemp("bench") / "bench.json"
    proc = bench("--threads", "1", "2", "--set", f"scale={SCALE}", "--months", str(MONTHS),
                 "--min-time", "0.01", "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    assert f"wrote {out}" in proc.stdout
    return json.loads(out.read_text())


def test_rows_per_thread_count_with_the_machine(result):
    assert result["format"] == "bridges-bench"
    assert [r["threads"] for r in result["rows"]] == [1, 2]
    m = result["machine"]
    assert m["cores_usable"] >= 1 and m["memory_bytes"] > 0 and m["bridges"].startswith("bridges ")
    for r in result["rows"]:
        assert r["members"] == MEMBERS and r["months"] == MONTHS


def test_derived_figures_follow_from_the_measurements(result):
    """Throughput is members x months over stepping time; the roofline share is throughput x bytes
    per member-step over the triad bandwidth; the speed-up is relative to one thread."""
    one = result["rows"][0]
    for r in result["rows"]:
        assert r["member_steps_per_s"] == pytest.approx(MEMBERS * MONTHS / r["step_seconds"], rel=1e-6)
        traffic = r["bytes_per_member_step"]["total"]
        assert r["roofline_share"] == pytest.approx(r["member_steps_per_s"] * traffic / r["triad_bytes_per_s"],
                                                    rel=1e-9)
        assert r["speedup"] == pytest.approx(one["step_seconds"] / r["step_seconds"], rel=1e-9)
        assert r["rss_bytes_per_member"] == pytest.approx(r["peak_rss_bytes"] / MEMBERS)
        assert 0 < r["roofline_share"] < 1, "a month cannot move its least traffic faster than the triad"
        assert r["total_seconds"] >= r["setup_seconds"] + r["step_seconds"]


def test_traffic_is_the_layout(result):
    """Least traffic per member-step from the data layout (core::minimum_traffic): member columns
    read 5 x 1 (skill, employed, in_org, present, channel) + 2 (months abroad) + 6 x 4 (earnings,
    income, savings, three attitudes) = 31 bytes and written 3 x 1 + 2 + 5 x 4 = 25; the graph 4 bytes per arc
    end (mean degree 8) and per offset, so 36 bytes."""
    t = result["rows"][0]["bytes_per_member_step"]
    assert t["member_read"] == 31 and t["member_written"] == 25
    assert t["graph"] == pytest.approx(36, abs=0.01)
    assert t["total"] == pytest.approx(sum(v for k, v in t.items() if k != "total"))
    assert t["household_read"] > 0 and t["household_written"] > 0


def test_targets_are_reported_with_their_verdict(result):
    checks = {c["target"]: c for c in result["targets"]}
    assert set(checks) == {"member_steps_per_s", "setup_seconds", "rss_bytes_per_member", "hdf5_share",
                           "speedup_2_threads"}
    for c in checks.values():
        op, goal = c["goal"].split()
        assert c["met"] == (c["measured"] >= float(goal) if op == ">=" else c["measured"] <= float(goal))


def test_google_benchmark_counts_the_same_traffic(result, tmp_path):
    """BM_Month at 10^4 members builds the same world as the run at scale 1000: its counter of bytes
    per member-step equals the run's, and its throughput counter is members per second of a month."""
    out = tmp_path / "gb.json"
    proc = subprocess.run([str(BENCH_BIN), "--benchmark_filter=^BM_Month/members:10000/threads:1/",
                           "--benchmark_min_time=0.01", f"--benchmark_out={out}",
                           "--benchmark_out_format=json"], capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr
    (row,) = json.loads(out.read_text())["benchmarks"]
    assert row["members"] == MEMBERS
    assert row["bytes_per_member_step"] == pytest.approx(result["rows"][0]["bytes_per_member_step"]["total"],
                                                         rel=1e-9)
    assert row["member_steps_per_s"] == pytest.approx(MEMBERS / (row["real_time"] * 1e-3), rel=1e-6)


@pytest.mark.parametrize("args, message", [
    (["--threads", "0"], "every count must be at least 1"),
    (["--scenario", "/nonexistent/s.yaml"], "no such file"),
])
def test_bad_input_exits_2(args, message, tmp_path):
    proc = bench(*args, "-o", str(tmp_path / "x.json"))
    assert proc.returncode == 2, proc.stderr
    assert message in proc.stderr
    assert not (tmp_path / "x.json").exists()


def test_a_failing_run_is_an_error_and_writes_nothing(tmp_path):
    if not BENCH_BIN.exists():
        pytest.skip("bridges_bench is not built")
    proc = bench("--threads", "1", "--set", "scale=-1", "--min-time", "0.01", "-o", str(tmp_path / "x.json"))
    assert proc.returncode == 1
    assert "bridges run failed (exit 2)" in proc.stderr
    assert not (tmp_path / "x.json").exists()


def test_run_report_into_a_new_folder_and_refused_before_the_run(tmp_path):
    """`bridges run --report` creates the report's folder as it does the output's; a folder that
    cannot be made (under a file) is an error before anything runs, and no output is written."""
    bridges = REPO / "build" / "release" / "bridges"
    tiny = ["run", str(REPO / "scenarios" / "baseline.yaml"), "--months", "1", "--set", "scale=2000", "-q"]
    report = tmp_path / "new" / "folder" / "r.json"
    proc = subprocess.run([str(bridges), *tiny, "-o", str(tmp_path / "a.h5"), "--report", str(report)],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(report.read_text())["months"] == 1
    (tmp_path / "file").write_text("x")
    proc = subprocess.run([str(bridges), *tiny, "-o", str(tmp_path / "b.h5"), "--report",
                           str(tmp_path / "file" / "r.json")], capture_output=True, text=True, timeout=300)
    assert proc.returncode != 0
    assert "--report: cannot create directory" in proc.stderr
    assert not (tmp_path / "b.h5").exists()
