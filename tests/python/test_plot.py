"""The figures of tools/plot: `run` (one output file), `series` (a batch's metric over time) and
`effects` (forest plot of compared arms). Each command must write a valid PNG or SVG chosen by
the output's extension, and invalid input must exit 2 and write nothing."""

import importlib.util
import json
import math
import os
import shutil
import subprocess
import sys
from importlib.machinery import SourceFileLoader

import h5py
import numpy as np
import pytest

from conftest import REPO, TINY_SCENARIO, describe, run_bridges

PLOT = REPO / "tools" / "plot"
MONTHS = 12
SEEDS = [11, 12, 13]
# Formal cost of the tiny scenario's corridor per (arm, sweep point).
BASE_COST = 0.05
CUT_COSTS = {0: 0.02, 1: 0.03}


def load_plot_module():
    """tools/plot imported as a module (it has no .py extension)."""
    loader = SourceFileLoader("bridges_plot", str(PLOT))
    spec = importlib.util.spec_from_loader("bridges_plot", loader)
    module = importlib.util.module_from_spec(spec)
    loader.exec_module(module)
    return module


plot_module = load_plot_module()


def plot(*args, env=None):
    """Runs tools/plot ARGS... and returns the CompletedProcess (text output)."""
    full_env = dict(os.environ)
    full_env.update(env or {})
    return subprocess.run([str(PLOT)] + [str(a) for a in args], capture_output=True, text=True,
                          timeout=300, stdin=subprocess.DEVNULL, env=full_env)


def assert_figure(proc, path):
    """The command succeeded, printed `path`, and `path` is a non-empty PNG or SVG."""
    assert proc.returncode == 0, describe(proc)
    assert proc.stdout.strip() == str(path), describe(proc)
    assert path.is_file(), f"{path} was not written"
    data = path.read_bytes()
    assert len(data) > 1000, f"{path} is only {len(data)} bytes"
    if path.suffix == ".png":
        assert data[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    elif path.suffix == ".pdf":
        assert data[:5] == b"%PDF-" and b"%%EOF" in data[-64:], f"{path} is not a whole PDF"
    else:
        assert path.suffix == ".svg"
        assert b"<svg" in data[:2000], f"{path} is not an SVG"
        assert data.rstrip().endswith(b"</svg>"), f"{path} is a truncated SVG"
    leftovers = [p.name for p in path.parent.iterdir() if p.name.startswith(f".{path.name}.")]
    assert not leftovers, f"temporary files left: {leftovers}"
    return data


def assert_input_error(proc, out_dir, *words):
    """Exit code 2, one error line naming `words`, and nothing written in `out_dir`."""
    assert proc.returncode == 2, describe(proc)
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, describe(proc)
    for word in words:
        assert word in lines[0], f"{word!r} not in the error message\n" + describe(proc)
    assert proc.stdout == "", describe(proc)
    assert list(out_dir.iterdir()) == [], f"{out_dir} is not empty: {list(out_dir.iterdir())}"


@pytest.fixture
def out_dir(tmp_path):
    path = tmp_path / "figures"
    path.mkdir()
    return path


# ---------------------------------------------------------------------------------------------
# Real runs of the tiny scenario

@pytest.fixture(scope="session")
def tiny_runs(bridges, tmp_path_factory):
    """tiny_runs(seed, cost) -> path of a 12-month run of the tiny scenario, run once each."""
    folder = tmp_path_factory.mktemp("tiny_runs")
    scenario = folder / "tiny.yaml"
    scenario.write_text(TINY_SCENARIO)
    made = {}

    def get(seed, cost=BASE_COST):
        if (seed, cost) not in made:
            out = folder / f"tiny_s{seed}_c{cost}.h5"
            proc = run_bridges(bridges, "run", scenario, "-o", out, "--months", MONTHS,
                               "--seed", seed, "--set", f"corridors.0.cost_formal={cost}",
                               "--threads", 1, "--quiet")
            if proc.returncode != 0:
                pytest.fail("the tiny run failed\n" + describe(proc))
            made[(seed, cost)] = out
        return made[(seed, cost)]

    return get


def global_metrics(path):
    """Names of the monthly (time-only) variables of /global in an output file."""
    with h5py.File(path, "r") as f:
        g = f["global"]
        return [n for n in g if n != "time" and isinstance(g[n], h5py.Dataset)
                and g[n].ndim == 1 and g[n].shape[0] == g["time"].shape[0]]


def make_batch(root, tiny_runs, points=(0,)):
    """A batch directory in the layout of `bridges batch`, built from real tiny runs.

    Arms "baseline" (sweep point 0 only) and "cut" (each of `points`), three replicates each with
    the seeds SEEDS (paired), plus one failed and one pending run of "cut" that have no file.
    Returns (directory, rows) where rows are the summary rows as dicts.
    """
    runs = root / "runs"
    runs.mkdir(parents=True)
    rows = []
    plan = [("baseline", 0, "", BASE_COST)]
    plan += [("cut", p, f"cost_formal={CUT_COSTS[p]}", CUT_COSTS[p]) for p in points]
    for arm, point, label, cost in plan:
        for replicate, seed in enumerate(SEEDS):
            run_id = f"{arm}-p{point}-r{replicate}"
            shutil.copyfile(tiny_runs(seed, cost), runs / f"{run_id}.h5")
            rows.append(dict(run_id=run_id, arm=arm, point=point, point_label=label,
                             replicate=replicate, seed=seed, status="complete", error="",
                             wall_seconds=0.05))
    rows.append(dict(run_id="cut-p0-r3", arm="cut", point=0, point_label=plan[1][2], replicate=3,
                     seed=14, status="failed", error="bridges run exited with code 1",
                     wall_seconds=0.01))
    rows.append(dict(run_id="cut-p0-r4", arm="cut", point=0, point_label=plan[1][2], replicate=4,
                     seed=15, status="pending", error="", wall_seconds=0.0))

    metrics = global_metrics(runs / f"{rows[0]['run_id']}.h5")
    with h5py.File(root / "index.h5", "w") as f:
        f.attrs["format"] = "bridges-batch"
        f.attrs["experiment"] = "cost_cut"
        f.attrs["baseline_arm"] = "baseline"
        summary = f.create_group("summary")
        run = summary.create_dataset("run", data=np.arange(len(rows), dtype=np.int32))
        run.make_scale("run")

        def column(name, values, dtype):
            data = summary.create_dataset(name, data=values, dtype=dtype)
            data.dims[0].attach_scale(run)

        text = h5py.string_dtype("utf-8")
        for name in ("run_id", "arm", "point_label", "status", "error"):
            column(name, [r[name] for r in rows], text)
        column("point", [r["point"] for r in rows], np.int32)
        column("replicate", [r["replicate"] for r in rows], np.int32)
        column("seed", [r["seed"] for r in rows], np.int64)
        column("wall_seconds", [r["wall_seconds"] for r in rows], np.float64)
        for metric in metrics:
            cumulative, final = [], []
            for r in rows:
                path = runs / f"{r['run_id']}.h5"
                if r["status"] != "complete":
                    cumulative.append(np.nan)
                    final.append(np.nan)
                    continue
                with h5py.File(path, "r") as run_file:
                    values = run_file["global"][metric][()]
                cumulative.append(values.sum())
                final.append(values[-1])
            column(f"{metric}_cumulative", cumulative, np.float64)
            column(f"{metric}_final", final, np.float64)
    return root, rows


@pytest.fixture(scope="session")
def batch(tiny_runs, tmp_path_factory):
    return make_batch(tmp_path_factory.mktemp("batch") / "cost_cut", tiny_runs)


@pytest.fixture(scope="session")
def sweep(tiny_runs, tmp_path_factory):
    return make_batch(tmp_path_factory.mktemp("sweep") / "cost_sweep", tiny_runs, points=(0, 1))


# ---------------------------------------------------------------------------------------------
# Student t quantiles

def test_t_quantile_matches_the_table():
    # Two-sided 95% critical values of Student's t, as printed in statistical tables.
    table = {1: 12.706, 2: 4.303, 3: 3.182, 5: 2.571, 10: 2.228, 19: 2.093, 30: 2.042,
             60: 2.000, 100: 1.984, 1000: 1.962}
    for df, expected in table.items():
        got = plot_module.t_quantile(0.975, df)
        assert abs(got - expected) < 6e-4, f"t(0.975, {df}) = {got}, expected {expected}"


# ---------------------------------------------------------------------------------------------
# run

@pytest.mark.parametrize("ext", ["png", "svg", "pdf"])
def test_run_dashboard(tiny_runs, out_dir, ext):
    out = out_dir / f"tiny.{ext}"
    data = assert_figure(plot("run", tiny_runs(SEEDS[0]), "-o", out), out)
    if ext == "svg":
        svg = data.decode()
        for words in ("scenario tiny", f"seed {SEEDS[0]}", "remit_formal_usd", "crisis_aid_usd",
                      "BBB", "USD", "Poverty rate", "awareness"):
            assert words in svg, f"{words!r} is not in the dashboard"
        # Only origins are drawn per country: AAA is a host.
        assert ">AAA<" not in svg


def test_run_rejects_an_unknown_extension(tiny_runs, out_dir):
    proc = plot("run", tiny_runs(SEEDS[0]), "-o", out_dir / "tiny.jpg")
    assert_input_error(proc, out_dir, "tiny.jpg", ".pdf")


def test_run_rejects_a_missing_file(tmp_path, out_dir):
    missing = tmp_path / "missing.h5"
    proc = plot("run", missing, "-o", out_dir / "x.png")
    assert_input_error(proc, out_dir, str(missing))


def test_run_of_a_directory_says_which_file_to_give(batch, out_dir):
    batch_dir, _ = batch
    proc = plot("run", batch_dir, "-o", out_dir / "x.png")
    assert_input_error(proc, out_dir, "a directory; give one output file")


def test_run_dashboard_of_a_batch_run_names_its_experiment_arm_and_replicate(bridges, tmp_path, out_dir):
    from test_batch import TINY_EXPERIMENT, write_experiment
    experiment = write_experiment(tmp_path, TINY_EXPERIMENT)
    proc = subprocess.run([str(bridges), "batch", str(experiment), "-o", str(tmp_path / "b"), "-q"],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, describe(proc)
    out = out_dir / "run.svg"
    svg = assert_figure(plot("run", tmp_path / "b" / "runs" / "cut-p0-r01.h5", "-o", out), out).decode()
    for words in ("Bridges run cut-p0-r01", "experiment tiny_arms", "arm cut", "replicate 1"):
        assert words in svg, f"{words!r} is not in the title"


def test_run_rejects_a_file_that_is_not_an_output(tmp_path, out_dir):
    bad = tmp_path / "not_hdf5.h5"
    bad.write_text("not an HDF5 file\n")
    proc = plot("run", bad, "-o", out_dir / "x.png")
    assert_input_error(proc, out_dir, str(bad))


# ---------------------------------------------------------------------------------------------
# series

def run_values(batch_dir, rows, arm, point, name, country=None):
    """The metric of every complete run of (arm, point), one row per replicate."""
    out = []
    for r in rows:
        if r["arm"] != arm or r["point"] != point or r["status"] != "complete":
            continue
        with h5py.File(batch_dir / "runs" / f"{r['run_id']}.h5", "r") as f:
            if country is None:
                out.append(f["global"][name][()])
            else:
                codes = [c.decode() for c in f["countries/country_code"][()]]
                out.append(f["countries"][name][:, codes.index(country)])
    return np.vstack(out)


def test_series_statistics_are_the_mean_and_t_band_of_complete_runs(batch):
    batch_dir, rows = batch
    groups, info = plot_module.batch_series(batch_dir, "remit_formal_usd")
    assert [(g["arm"], g["point"], g["n"]) for g in groups] == [("baseline", 0, 3), ("cut", 0, 3)]
    assert info["units"] == "USD" and info["excluded"] == 2 and not info["several_points"]
    for g in groups:
        values = run_values(batch_dir, rows, g["arm"], 0, "remit_formal_usd")
        mean = values.mean(axis=0)
        half = 4.302653 * values.std(axis=0, ddof=1) / math.sqrt(3)
        assert len(g["dates"]) == MONTHS
        assert str(g["dates"][0])[:10] == "2017-01-01" and str(g["dates"][-1])[:10] == "2017-12-01"
        np.testing.assert_allclose(g["mean"], mean, rtol=1e-12)
        np.testing.assert_allclose(g["high"] - g["mean"], half, rtol=1e-5)
        np.testing.assert_allclose(g["mean"] - g["low"], half, rtol=1e-5)
    # The cost cut changes formal remittances: the two arms are not the same series.
    assert not np.allclose(groups[0]["mean"], groups[1]["mean"])


def test_series_cumulative_is_the_running_sum_of_each_run(batch, out_dir):
    batch_dir, rows = batch
    groups, _ = plot_module.batch_series(batch_dir, "remit_formal_usd@BBB", cumulative=True)
    values = np.cumsum(run_values(batch_dir, rows, "cut", 0, "remit_formal_usd", "BBB"), axis=1)
    np.testing.assert_allclose(groups[1]["mean"], values.mean(axis=0), rtol=1e-12)
    # A running sum of a rate means nothing: refused, naming the metric's kind.
    proc = plot("series", batch_dir, "--metric", "poverty_rate@BBB", "--cumulative", "-o", out_dir / "x.png")
    assert_input_error(proc, out_dir, "is not a flow (time: mean)")


@pytest.mark.parametrize("metric,ext,extra", [
    ("remit_formal_usd", "png", []),
    ("poverty_rate@BBB", "svg", []),
    ("remit_informal_usd", "svg", ["--cumulative"]),
])
def test_series_figure(batch, out_dir, metric, ext, extra):
    batch_dir, _ = batch
    out = out_dir / f"series.{ext}"
    data = assert_figure(plot("series", batch_dir, "--metric", metric, "-o", out, *extra), out)
    if ext == "svg":
        svg = data.decode()
        for words in ("baseline, n=3", "cut, n=3", "cost_cut", "95%", "month"):
            assert words in svg, f"{words!r} is not in the figure"
        assert ("USD" in svg) if "usd" in metric else ("dimensionless" in svg)
        assert ("cumulative" in svg) == ("--cumulative" in extra)


def test_series_paired_draws_each_arms_difference_from_the_baseline_replicate_by_replicate(batch, out_dir):
    """--paired: the mean and t band of (cut - baseline) over the replicates both have (common
    random numbers), computed by hand from the run files; PDF and SVG figures name what is drawn."""
    batch_dir, rows = batch
    groups, info = plot_module.batch_series(batch_dir, "remit_formal_usd")
    paired = plot_module.paired_differences(groups, info["baseline"])
    assert [(g["arm"], g["n"]) for g in paired] == [("cut", 3)]
    diffs = (run_values(batch_dir, rows, "cut", 0, "remit_formal_usd")
             - run_values(batch_dir, rows, "baseline", 0, "remit_formal_usd"))
    half = 4.302653 * diffs.std(axis=0, ddof=1) / math.sqrt(3)
    np.testing.assert_allclose(paired[0]["mean"], diffs.mean(axis=0), rtol=1e-12)
    np.testing.assert_allclose(paired[0]["high"] - paired[0]["mean"], half, rtol=1e-5)
    out = out_dir / "paired.pdf"
    assert_figure(plot("series", batch_dir, "--metric", "remit_formal_usd", "--paired", "-o", out), out)
    out = out_dir / "paired.svg"
    svg = assert_figure(plot("series", batch_dir, "--metric", "remit_formal_usd", "--paired", "-o", out),
                        out).decode()
    for words in ("remit_formal_usd minus baseline", "paired difference from arm baseline", "cut, n=3 pairs"):
        assert words in svg, f"{words!r} is not in the figure"


def test_series_labels_each_sweep_point(sweep, out_dir):
    batch_dir, _ = sweep
    out = out_dir / "sweep.svg"
    svg = assert_figure(plot("series", batch_dir, "--metric", "remit_formal_usd", "-o", out),
                        out).decode()
    for label in ("baseline (", "cut (cost_formal=0.02)", "cut (cost_formal=0.03)"):
        assert label in svg, f"{label!r} is not in the figure"


def test_series_selects_one_sweep_point(sweep, out_dir):
    batch_dir, _ = sweep
    groups, info = plot_module.batch_series(batch_dir, "remit_formal_usd", point=1)
    assert [(g["arm"], g["point"]) for g in groups] == [("cut", 1)]
    out = out_dir / "point1.svg"
    svg = assert_figure(plot("series", batch_dir, "--metric", "remit_formal_usd", "--point", 1,
                             "-o", out), out).decode()
    assert "cut, n=3" in svg and "baseline, n=3" not in svg


@pytest.mark.parametrize("metric,word", [
    ("no_such_metric", "no_such_metric"),
    ("poverty_rate@ZZZ", "ZZZ"),
    ("no_such_metric@BBB", "no_such_metric"),
    ("migrants_by_years_abroad", "migrants_by_years_abroad"),
])
def test_series_rejects_an_unknown_metric(batch, out_dir, metric, word):
    batch_dir, _ = batch
    proc = plot("series", batch_dir, "--metric", metric, "-o", out_dir / "x.png")
    assert_input_error(proc, out_dir, word)


def test_series_rejects_a_missing_directory(tmp_path, out_dir):
    missing = tmp_path / "no_batch"
    proc = plot("series", missing, "--metric", "remit_formal_usd", "-o", out_dir / "x.png")
    assert_input_error(proc, out_dir, str(missing))


def test_series_rejects_an_unknown_point(batch, out_dir):
    batch_dir, _ = batch
    proc = plot("series", batch_dir, "--metric", "remit_formal_usd", "--point", 7,
                "-o", out_dir / "x.png")
    assert_input_error(proc, out_dir, "7")


def test_series_rejects_an_unknown_extension(batch, out_dir):
    batch_dir, _ = batch
    proc = plot("series", batch_dir, "--metric", "remit_formal_usd", "-o", out_dir / "x.jpg")
    assert_input_error(proc, out_dir, "x.jpg")


# ---------------------------------------------------------------------------------------------
# effects

def effect(arm, metric, units, base, diff, ci, point=0, label=""):
    how = "sum over the run" if units == "USD" else "mean over the run"
    return {"arm": arm, "point": point, "point_label": label, "metric": metric, "units": units,
            "aggregation": how, "period": "run", "confidence": 0.95,
            "n": 20, "baseline_mean": base, "arm_mean": base + diff, "difference": diff,
            "ci_low": None if ci is None else diff - ci,
            "ci_high": None if ci is None else diff + ci,
            "relative_pct": diff / base * 100.0, "cost_usd": 0.0, "effect_per_million_usd": None,
            "debt": False}


COMPARE = {
    "format": "bridges-compare", "schema_version": 2, "dir": "out/cost_cut",
    "experiment": "cost_cut", "baseline": "baseline", "period": "run", "period_text": "the run",
    "confidence": 0.95,
    "effects": [
        effect("cap_3pct", "remit_formal_usd", "USD", 1.2e9, 1.0e8, 1.0e7),
        effect("inclusion", "remit_formal_usd", "USD", 1.2e9, -2.0e7, 3.0e7),
        effect("cap_3pct", "poverty_rate@PHL", "1", 0.135, -0.004, 0.001),
        effect("inclusion", "poverty_rate@PHL", "1", 0.135, -0.001, None),
    ],
}


@pytest.fixture
def compare_json(tmp_path):
    path = tmp_path / "compare.json"
    path.write_text(json.dumps(COMPARE, indent=1))
    return path


@pytest.mark.parametrize("ext,extra", [("png", []), ("svg", []), ("svg", ["--relative"]),
                                       ("png", ["--relative"])])
def test_effects_forest_plot_from_json(compare_json, out_dir, ext, extra):
    out = out_dir / f"effects.{ext}"
    data = assert_figure(plot("effects", "--json", compare_json, "-o", out, *extra), out)
    if ext == "svg":
        svg = data.decode()
        for words in ("remit_formal_usd, sum over the run", "poverty_rate@PHL, mean over the run",
                      "cap_3pct", "inclusion", "effect vs baseline", "cost_cut", "no CI"):
            assert words in svg, f"{words!r} is not in the figure"
        assert ("% of baseline" in svg) == ("--relative" in extra)
        if "--relative" not in extra:
            assert "million USD" in svg and "dimensionless" in svg


def test_effects_rows_scale_the_ci_for_relative_effects():
    rows = plot_module.effect_rows(COMPARE["effects"], "remit_formal_usd", relative=True)
    assert [r[0] for r in rows] == ["cap_3pct", "inclusion"]
    label, estimate, low, high, n = rows[0]
    assert estimate == pytest.approx(1.0e8 / 1.2e9 * 100)
    assert low == pytest.approx(0.9e8 / 1.2e9 * 100) and high == pytest.approx(1.1e8 / 1.2e9 * 100)
    rows = plot_module.effect_rows(COMPARE["effects"], "poverty_rate@PHL", relative=False)
    assert rows[1][2] is None and rows[1][3] is None  # the null CI stays without error bar


def test_effects_selects_metrics(compare_json, out_dir):
    out = out_dir / "one.svg"
    svg = assert_figure(plot("effects", "--json", compare_json, "--metric", "poverty_rate@PHL",
                             "-o", out), out).decode()
    assert "poverty_rate@PHL" in svg and "remit_formal_usd" not in svg


def test_effects_rejects_an_unknown_metric(compare_json, out_dir):
    proc = plot("effects", "--json", compare_json, "--metric", "no_such_metric",
                "-o", out_dir / "x.png")
    assert_input_error(proc, out_dir, "no_such_metric")


def test_effects_rejects_an_unknown_extension(compare_json, out_dir):
    proc = plot("effects", "--json", compare_json, "-o", out_dir / "x.eps")
    assert_input_error(proc, out_dir, "x.eps")


def test_effects_rejects_a_missing_json_file(tmp_path, out_dir):
    missing = tmp_path / "missing.json"
    proc = plot("effects", "--json", missing, "-o", out_dir / "x.png")
    assert_input_error(proc, out_dir, str(missing))


def test_effects_rejects_a_json_file_of_another_kind(tmp_path, out_dir):
    other = tmp_path / "other.json"
    other.write_text('{"format": "something-else", "effects": []}')
    proc = plot("effects", "--json", other, "-o", out_dir / "x.png")
    assert_input_error(proc, out_dir, str(other))


def test_effects_needs_a_directory_or_json(out_dir):
    proc = plot("effects", "-o", out_dir / "x.png")
    assert_input_error(proc, out_dir, "--json")


FAKE_COMPARE = """#!/usr/bin/python3
import json, sys
with open({args!r}, "w") as f:
    json.dump(sys.argv[1:], f)
if "--metric" in sys.argv and sys.argv[sys.argv.index("--metric") + 1] == "bad":
    print("bridges: error: unknown metric 'bad'", file=sys.stderr)
    sys.exit(2)
with open({doc!r}) as f:
    sys.stdout.write(f.read())
"""


@pytest.fixture
def fake_bridges(tmp_path, compare_json):
    """A stand-in for the bridges binary whose `compare` prints COMPARE and records its args."""
    args = tmp_path / "args.json"
    binary = tmp_path / "fake_bridges"
    binary.write_text(FAKE_COMPARE.format(args=str(args), doc=str(compare_json)))
    binary.chmod(0o755)
    return binary, args


def test_effects_runs_bridges_compare(fake_bridges, tmp_path, out_dir):
    binary, args = fake_bridges
    batch_dir = tmp_path / "batch"
    batch_dir.mkdir()
    out = out_dir / "effects.png"
    proc = plot("effects", batch_dir, "--baseline", "baseline", "--metric", "remit_formal_usd",
                "--at", "2017-06", "-o", out, env={"BRIDGES_BIN": str(binary)})
    assert_figure(proc, out)
    assert json.loads(args.read_text()) == [
        "compare", str(batch_dir), "--format", "json", "--baseline", "baseline",
        "--metric", "remit_formal_usd", "--at", "2017-06"]
    proc = plot("effects", batch_dir, "--over", "2017", "-o", out, env={"BRIDGES_BIN": str(binary)})
    assert_figure(proc, out)
    assert json.loads(args.read_text())[-2:] == ["--over", "2017"]
    both = plot("effects", batch_dir, "--over", "2017", "--at", "final", "-o", out_dir / "y.png",
                env={"BRIDGES_BIN": str(binary)})
    assert both.returncode == 2 and "not allowed with" in both.stderr, describe(both)


def test_effects_reports_a_failed_compare(fake_bridges, tmp_path, out_dir):
    binary, _ = fake_bridges
    batch_dir = tmp_path / "batch"
    batch_dir.mkdir()
    proc = plot("effects", batch_dir, "--metric", "bad", "-o", out_dir / "x.png",
                env={"BRIDGES_BIN": str(binary)})
    assert_input_error(proc, out_dir, "unknown metric 'bad'")


def test_effects_rejects_a_bad_at(compare_json, out_dir):
    proc = plot("effects", "--json", compare_json, "--at", "2017-13", "-o", out_dir / "x.png")
    assert proc.returncode == 2, describe(proc)
    assert "2017-13" in proc.stderr
    assert list(out_dir.iterdir()) == []


def test_plot_is_run_by_the_system_python():
    assert PLOT.read_text().startswith("#!/usr/bin/python3\n")
    assert os.access(PLOT, os.X_OK)
    proc = subprocess.run([sys.executable, str(PLOT), "--help"], capture_output=True, text=True)
    assert proc.returncode == 0 and "series" in proc.stdout and "effects" in proc.stdout


# ---------------------------------------------------------------------------------------------
# response

def swept_effect(arm, value, diff, ci):
    e = effect(arm, "remit_formal_usd", "USD", 1.0e9, diff, ci, point=int(value * 100),
               label=f"behaviour.remit.formal_cost={value}")
    e["sweep"] = {"behaviour.remit.formal_cost": value}
    return e


SWEPT = {**COMPARE, "experiment": "cost_cap_sensitivity",
         "effects": [swept_effect("cap", -25, 4.8e9, 1e8), swept_effect("cap", -100, 1.03e10, 2e8),
                     swept_effect("cap", -50, 7.3e9, 1e8)]}


def test_response_orders_each_arms_effects_by_the_swept_value(tmp_path, out_dir):
    rows = plot_module.response_rows(SWEPT["effects"], "remit_formal_usd", "behaviour.remit.formal_cost")
    assert rows == {"cap": [(-100.0, 1.03e10, 1.01e10, 1.05e10), (-50.0, 7.3e9, 7.2e9, 7.4e9),
                            (-25.0, 4.8e9, 4.7e9, 4.9e9)]}
    doc = tmp_path / "swept.json"
    doc.write_text(json.dumps(SWEPT))
    out = out_dir / "response.svg"
    svg = assert_figure(plot("response", "--json", doc, "--metric", "remit_formal_usd",
                             "--path", "behaviour.remit.formal_cost", "-o", out), out).decode()
    for words in ("Dose-response of remit_formal_usd", "behaviour.remit.formal_cost", "cap", "billion USD"):
        assert words in svg, f"{words!r} is not in the figure"
    empty = tmp_path / "empty"
    empty.mkdir()
    proc = plot("response", "--json", doc, "--metric", "remit_formal_usd", "--path", "behaviour.remit.cost",
                "-o", empty / "x.png")
    assert_input_error(proc, empty, "path 'behaviour.remit.cost' is not swept (swept: behaviour.remit.formal_cost)")


# ---------------------------------------------------------------------------------------------
# history: simulated against recorded remittances

HISTORY = REPO / "scenarios" / "world" / "history_2000_2022.yaml"
WORLD_DATA = REPO / "data" / "world"


@pytest.fixture(scope="module")
def history_run(bridges, tmp_path_factory):
    """The history scenario at 50,000 persons per member, 2009-01 to 2011-12 (the set-up of
    tools/test makes data/world)."""
    if not (WORLD_DATA / "history_inflows.csv").is_file():
        pytest.skip(f"{WORLD_DATA} has no history tables (tools/import-world-data makes them)")
    out = tmp_path_factory.mktemp("history") / "history.h5"
    proc = run_bridges(bridges, "run", HISTORY, "--set", f"world.data={WORLD_DATA}", "--set",
                       "world.scale=50000", "--set", "start=2009-01", "--months", 36, "-o", out, "-q")
    assert proc.returncode == 0, describe(proc)
    return out


def test_history_draws_simulated_against_recorded(history_run, out_dir):
    """The figure has the low- and middle-income panel, the recorded series and the largest
    receivers (India, recorded first in 2019), as text in the SVG."""
    path = out_dir / "history.svg"
    data = assert_figure(plot("history", history_run, "-o", path, "--data", WORLD_DATA), path)
    for words in (b"Low- and middle-income countries", b"recorded", b"simulated (formal)", b"India (IND)",
                  b"South Asia"):
        assert words in data, words


def test_history_without_the_history_tables_is_an_input_error(history_run, out_dir, tmp_path):
    proc = plot("history", history_run, "-o", out_dir / "h.png", "--data", tmp_path)
    assert_input_error(proc, out_dir, "history_inflows.csv", "import-world-data")
