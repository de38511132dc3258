"""Every shipped experiment in scenarios/experiments/ (docs/scenarios.md and docs/experiments.md): documented in its
own comment header, valid, and run in full (every arm, sweep point and replicate) at a coarse
scale and a short horizon, with every effect given a confidence interval; and the cost-cut
experiment's headline result: a 3% cap raises formal remittances, the whole interval above zero."""

import json

import h5py
import numpy as np
import pytest

from conftest import REPO, comment_header_lines, describe

EXPERIMENTS = sorted((REPO / "scenarios" / "experiments").glob("*.yaml"))


def test_shipped_experiments():
    names = {p.stem for p in EXPERIMENTS}
    assert {"cost_cut", "three_e_portfolio", "crisis_response"} <= names, names
    sweeps = [p for p in EXPERIMENTS if "\nsweep:" in p.read_text()]
    assert sweeps, "at least one shipped experiment sweeps a parameter"


@pytest.mark.parametrize("experiment", EXPERIMENTS, ids=lambda p: p.name)
def test_comment_header(experiment):
    header = comment_header_lines(experiment)
    assert header >= 5, f"{experiment.name} starts with {header} comment line(s); at least 5 expected"


@pytest.mark.parametrize("experiment", EXPERIMENTS, ids=lambda p: p.name)
def test_experiment_runs_and_compares(run, tmp_path, experiment):
    """Six months at 5,000 persons per agent: every run completes with a balanced ledger and
    compare gives an interval for every arm, sweep point and metric."""
    proc = run("validate", experiment)
    assert proc.returncode == 0 and proc.stdout.startswith("ok: experiment"), describe(proc)
    runs = int(proc.stdout.split(",")[1].split()[0])
    out = tmp_path / "batch"
    proc = run("batch", experiment, "-o", out, "--jobs", 2, "--threads", 1, "--set", "months=6",
               "--set", "scale=5000", "-q", timeout=900)
    assert proc.returncode == 0, describe(proc)
    with h5py.File(out / "index.h5", "r") as f:
        status = [s.decode() for s in f["summary/status"][()]]
        assert status == ["complete"] * runs
        assert np.all(f["summary/ledger_imbalance_usd_cumulative"][()] == 0.0)
    proc = run("compare", out, "--format", "json")
    assert proc.returncode == 0, describe(proc)
    doc = json.loads(proc.stdout)
    arms = {line.split("\t")[2] for line in (out / "manifest").read_text().splitlines()
            if line and not line.startswith("#") and not line.startswith("index\t")}
    assert {e["arm"] for e in doc["effects"]} == arms - {doc["baseline"]}
    for e in doc["effects"]:
        assert e["ci_low"] is not None and e["ci_high"] is not None, e
        assert e["ci_low"] <= e["difference"] <= e["ci_high"], e


def test_cost_cut_raises_formal_remittances(run, tmp_path):
    """The 3% cap's effect on formal remittances is positive with its whole 95% interval above
    zero, and larger than the 5% cap's (20 paired replicates, 24 months at 2,000 persons per
    agent: the interval's half-width is a few percent of the effect, which is tens of percent)."""
    out = tmp_path / "cost_cut"
    proc = run("batch", REPO / "scenarios" / "experiments" / "cost_cut.yaml", "-o", out, "--jobs", 2,
               "--threads", 1, "--set", "months=24", "--set", "scale=2000", "-q", timeout=900)
    assert proc.returncode == 0, describe(proc)
    proc = run("compare", out, "--format", "json", "--metric", "remit_formal_usd", "--metric",
               "remit_fees_usd")
    assert proc.returncode == 0, describe(proc)
    effect = {(e["arm"], e["metric"]): e for e in json.loads(proc.stdout)["effects"]}
    three, five = effect[("cap_3pct", "remit_formal_usd")], effect[("cap_5pct", "remit_formal_usd")]
    assert three["n"] == 20
    assert three["ci_low"] > 0, three
    assert three["difference"] > five["difference"] > 0, (three, five)
    assert effect[("cap_3pct", "remit_fees_usd")]["ci_high"] < 0


def test_portfolio_compares_rates_as_means_and_flows_as_sums(run, tmp_path):
    """three_e_portfolio at 36 months and 2,000 persons per agent: compare takes poverty_rate@ETH
    as the mean monthly rate over the run and remit_formal_usd as the sum of its months, says so in
    the table's header and rows, and both equal a computation by hand from the run files; the
    world-wide poverty_rate is compared without a country."""
    out = tmp_path / "portfolio"
    proc = run("batch", REPO / "scenarios" / "experiments" / "three_e_portfolio.yaml", "-o", out,
               "--jobs", 2, "--threads", 1, "--set", "months=36", "--set", "scale=2000", "-q", timeout=900)
    assert proc.returncode == 0, describe(proc)
    metrics = ["poverty_rate@ETH", "remit_formal_usd", "poverty_rate"]
    args = [a for m in metrics for a in ("--metric", m)]
    table = run("compare", out, *args)
    assert table.returncode == 0, describe(table)
    assert "over the run (flows summed, levels and means averaged over its months)" in table.stdout
    assert "poverty_rate@ETH (1, mean)" in table.stdout and "remit_formal_usd (USD, sum)" in table.stdout
    assert "poverty_rate (1, mean)" in table.stdout
    proc = run("compare", out, *args, "--format", "json")
    assert proc.returncode == 0, describe(proc)
    effects = {(e["arm"], e["metric"]): e for e in json.loads(proc.stdout)["effects"]}

    runs = {}
    for line in (out / "manifest").read_text().splitlines():
        if line and not line.startswith("#") and not line.startswith("index\t"):
            fields = line.split("\t")
            runs[(fields[2], int(fields[5]))] = out / "runs" / f"{fields[1]}.h5"

    def by_hand(path):
        with h5py.File(path, "r") as f:
            codes = [c.decode() for c in f["countries/country_code"][()]]
            poverty = f["countries/poverty_rate"][()][:, codes.index("ETH")]
            assert poverty.shape == (36,) and f["global/remit_formal_usd"].shape == (36,)
            return float(np.mean(poverty)), float(np.sum(f["global/remit_formal_usd"][()]))

    arms = sorted({a for a, _ in runs} - {"baseline"})
    for arm in arms:
        reps = sorted(r for a, r in runs if a == arm)
        pairs = [(by_hand(runs[(arm, r)]), by_hand(runs[("baseline", r)])) for r in reps]
        poverty_diff = np.mean([a[0] - b[0] for a, b in pairs])
        formal_diff = np.mean([a[1] - b[1] for a, b in pairs])
        e = effects[(arm, "poverty_rate@ETH")]
        assert e["aggregation"] == "mean over the run"
        assert e["arm_mean"] == pytest.approx(np.mean([a[0] for a, _ in pairs]), rel=1e-12)
        assert e["difference"] == pytest.approx(poverty_diff, rel=1e-9, abs=1e-15)
        assert 0 < e["baseline_mean"] < 1, "a mean of monthly rates is a rate"
        e = effects[(arm, "remit_formal_usd")]
        assert e["aggregation"] == "sum over the run"
        assert e["difference"] == pytest.approx(formal_diff, rel=1e-9)
        assert effects[(arm, "poverty_rate")]["aggregation"] == "mean over the run"
        assert 0 < effects[(arm, "poverty_rate")]["baseline_mean"] < 1
