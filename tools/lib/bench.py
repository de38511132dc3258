"""Runs the Bridges benchmark suite and writes its results as JSON (bench/README.md).

For each thread count (1 to the cores this process may use, or --threads) it measures, in one
invocation:
  - the machine's STREAM triad bandwidth (bridges_bench, BM_StreamTriad: 3 x 256 MiB arrays);
  - the reference run (bench/scenarios/reference_1m.yaml through `bridges run --report`): set-up,
    stepping and HDF5 output time, member-steps per second, peak resident memory, and the least
    memory traffic of a member-month from the data layout;
  - with --phases, each phase of a month alone (bridges_bench, BM_Phase at 10^6 members).
From these it derives the share of the bandwidth limit achieved (throughput x bytes per
member-step / triad bandwidth), the HDF5 share of the run time and the speed-up over one thread,
prints a table with the targets of the reference benchmark, and writes everything to one JSON
file. Targets are reported, never asserted: the exit code is 0 whenever every measurement ran.
"""

import argparse
import datetime
import json
import os
import platform
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BUILD = ROOT / "build" / "release"
BRIDGES = BUILD / "bridges"
BENCH = BUILD / "bench" / "bridges_bench"
REFERENCE = ROOT / "bench" / "scenarios" / "reference_1m.yaml"

# The targets of the reference benchmark (bench/README.md).
TARGETS = {
    "member_steps_per_s": 1e8,        # at least, on all cores
    "setup_seconds": 1.0,             # at most
    "rss_bytes_per_member": 200.0,    # at most
    "hdf5_share": 0.05,               # at most: output time over the rest of the run
    "speedup_2_threads": 1.8,         # at least
}


class BenchError(Exception):
    pass


def machine():
    """What the numbers were measured on."""
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = 0
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                mem = int(line.split()[1]) * 1024
    except OSError:
        pass
    version = subprocess.run([str(BRIDGES), "--version"], capture_output=True, text=True).stdout.strip()
    return {
        "host": socket.gethostname(),
        "cpu": cpu,
        "cores_usable": len(os.sched_getaffinity(0)),
        "memory_bytes": mem,
        "kernel": platform.release(),
        "bridges": version,
    }


def run(cmd, what):
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        raise BenchError(f"{what} failed (exit {proc.returncode}): {' '.join(cmd)}\n{proc.stderr.strip()}")
    return proc


def google_benchmark(pattern, min_time, tmp, tag):
    """Rows of bridges_bench whose names match `pattern`, as {name: benchmark record}."""
    out = Path(tmp) / f"gbench_{tag}.json"
    cmd = [str(BENCH), f"--benchmark_filter={pattern}", f"--benchmark_min_time={min_time}",
           "--benchmark_format=json", f"--benchmark_out={out}", "--benchmark_out_format=json"]
    run(cmd, "bridges_bench")
    rows = json.loads(out.read_text())["benchmarks"]
    if not rows:
        raise BenchError(f"bridges_bench ran nothing for {pattern}")
    for r in rows:
        if r.get("error_occurred"):
            raise BenchError(f"{r['name']}: {r.get('error_message', 'error')}")
    return {r["name"]: r for r in rows}


def triad(threads, min_time, tmp):
    rows = google_benchmark(f"^BM_StreamTriad/elements:[0-9]+/threads:{threads}/", min_time, tmp,
                            f"triad_{threads}")
    (row,) = rows.values()
    return row["bytes_per_s"]


def phases(threads, min_time, tmp):
    rows = google_benchmark(f"^BM_Phase/[a-z_]+/members:[0-9]+/threads:{threads}/", min_time, tmp,
                            f"phases_{threads}")
    return {name.split("/")[1]: r["real_time"] for name, r in rows.items()}  # milliseconds


def reference_run(scenario, threads, sets, months, tmp):
    out = Path(tmp) / f"run_{threads}.h5"
    report = Path(tmp) / f"run_{threads}.json"
    cmd = [str(BRIDGES), "run", str(scenario), "--threads", str(threads), "-q", "-o", str(out),
           "--report", str(report)]
    for s in sets:
        cmd += ["--set", s]
    if months:
        cmd += ["--months", str(months)]
    run(cmd, "bridges run")
    r = json.loads(report.read_text())
    out.unlink(missing_ok=True)
    return r


def measure(args):
    cores = len(os.sched_getaffinity(0))
    threads = args.threads or list(range(1, cores + 1))
    rows = []
    with tempfile.TemporaryDirectory(prefix="bridges_bench_") as tmp:
        for t in threads:
            print(f"bench: {t} thread(s): triad ...", file=sys.stderr, flush=True)
            bandwidth = triad(t, args.min_time, tmp)
            print(f"bench: {t} thread(s): reference run ...", file=sys.stderr, flush=True)
            r = reference_run(args.scenario, t, args.set, args.months, tmp)
            traffic = r["bytes_per_member_step"]["total"]
            rest = r["total_seconds"] - r["write_seconds"]
            row = {
                "threads": t,
                "members": r["members"],
                "households": r["households"],
                "months": r["months"],
                "setup_seconds": r["setup_seconds"],
                "step_seconds": r["step_seconds"],
                "write_seconds": r["write_seconds"],
                "total_seconds": r["total_seconds"],
                "member_steps_per_s": r["member_steps_per_s"],
                "peak_rss_bytes": r["peak_rss_bytes"],
                "rss_bytes_per_member": r["peak_rss_bytes"] / r["members"],
                "hdf5_share": r["write_seconds"] / rest if rest > 0 else 0.0,
                "bytes_per_member_step": r["bytes_per_member_step"],
                "triad_bytes_per_s": bandwidth,
                "bandwidth_limit_member_steps_per_s": bandwidth / traffic,
                "roofline_share": r["member_steps_per_s"] * traffic / bandwidth,
            }
            if args.phases:
                print(f"bench: {t} thread(s): phases ...", file=sys.stderr, flush=True)
                row["phase_ms"] = phases(t, args.min_time, tmp)
            rows.append(row)
    one = next((r for r in rows if r["threads"] == 1), None)
    for r in rows:
        r["speedup"] = one["step_seconds"] / r["step_seconds"] if one and r["step_seconds"] > 0 else None
    return rows


def targets(rows):
    """Each target with the measured value (on the most threads) and whether it is met."""
    best = max(rows, key=lambda r: r["threads"])
    two = next((r for r in rows if r["threads"] == 2), None)
    checks = [
        ("member_steps_per_s", best["member_steps_per_s"], ">="),
        ("setup_seconds", best["setup_seconds"], "<="),
        ("rss_bytes_per_member", max(r["rss_bytes_per_member"] for r in rows), "<="),
        ("hdf5_share", best["hdf5_share"], "<="),
    ]
    if two and two.get("speedup") is not None:
        checks.append(("speedup_2_threads", two["speedup"], ">="))
    out = []
    for name, value, op in checks:
        goal = TARGETS[name]
        met = value >= goal if op == ">=" else value <= goal
        out.append({"target": name, "goal": f"{op} {goal:g}", "measured": value, "met": met})
    return out


def print_table(rows, checks, file):
    head = ("threads", "members", "set-up s", "months s", "output s", "M steps/s", "speed-up",
            "RSS B/member", "B/step", "triad GB/s", "limit M/s", "roofline")
    print("  ".join(f"{h:>12}" for h in head), file=file)
    for r in rows:
        cells = (r["threads"], r["members"], f"{r['setup_seconds']:.2f}", f"{r['step_seconds']:.2f}",
                 f"{r['write_seconds']:.2f}", f"{r['member_steps_per_s'] / 1e6:.1f}",
                 f"{r['speedup']:.2f}" if r.get("speedup") else "-", f"{r['rss_bytes_per_member']:.0f}",
                 f"{r['bytes_per_member_step']['total']:.1f}", f"{r['triad_bytes_per_s'] / 1e9:.1f}",
                 f"{r['bandwidth_limit_member_steps_per_s'] / 1e6:.0f}", f"{100 * r['roofline_share']:.1f}%")
        print("  ".join(f"{c:>12}" for c in cells), file=file)
        if "phase_ms" in r:
            print("    phases (ms per month at 10^6 members): " +
                  ", ".join(f"{k} {v:.1f}" for k, v in r["phase_ms"].items()), file=file)
    for c in checks:
        print(f"target {c['target']} {c['goal']}: measured {c['measured']:.4g} -> "
              f"{'met' if c['met'] else 'NOT met'}", file=file)


def parser():
    p = argparse.ArgumentParser(
        prog="tools/bench",
        description="Runs the reference benchmark (bench/scenarios/reference_1m.yaml) and the STREAM "
        "triad at each thread count and writes machine, threads, size, throughput, memory and the "
        "roofline share as JSON.")
    p.add_argument("--threads", type=int, nargs="+", metavar="N",
                   help="thread counts to measure (default: 1 to the number of usable cores)")
    p.add_argument("--scenario", type=Path, default=REFERENCE,
                   help="scenario to run (default: bench/scenarios/reference_1m.yaml)")
    p.add_argument("--set", action="append", default=[], metavar="PATH=VALUE",
                   help="override a scalar of the scenario, e.g. scale=100 for 10^5 members "
                   "(repeatable)")
    p.add_argument("--months", type=int, help="months to simulate (default: the scenario's)")
    p.add_argument("--phases", action="store_true",
                   help="also time each phase of a month alone at 10^6 members")
    p.add_argument("--min-time", type=float, default=0.5, metavar="S",
                   help="seconds each Google Benchmark measurement runs at least (default 0.5)")
    p.add_argument("-o", "--output", type=Path,
                   help="JSON file to write (default: out/bench/bench-<host>-<UTC time>.json)")
    return p


def main(argv=None):
    args = parser().parse_args(argv)
    if args.threads and any(t < 1 for t in args.threads):
        print("tools/bench: error: --threads: every count must be at least 1", file=sys.stderr)
        return 2
    if not args.scenario.is_file():
        print(f"tools/bench: error: {args.scenario}: no such file", file=sys.stderr)
        return 2
    now = datetime.datetime.now(datetime.timezone.utc)
    output = args.output or ROOT / "out" / "bench" / (
        f"bench-{socket.gethostname()}-{now.strftime('%Y%m%dT%H%M%SZ')}.json")
    try:
        info = machine()
        rows = measure(args)
    except BenchError as e:
        print(f"tools/bench: error: {e}", file=sys.stderr)
        return 1
    checks = targets(rows)
    result = {
        "format": "bridges-bench",
        "version": 1,
        "created_utc": now.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "machine": info,
        "scenario": str(args.scenario),
        "overrides": args.set,
        "rows": rows,
        "targets": checks,
    }
    print_table(rows, checks, sys.stdout)
    output.parent.mkdir(parents=True, exist_ok=True)
    partial = output.with_name(output.name + ".partial")
    partial.write_text(json.dumps(result, indent=2) + "\n")
    partial.replace(output)
    print(f"wrote {output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
