"""The real-world scenario (scenarios/world/baseline_2017.yaml): built from the importer's tidy
files, it runs with every corridor of the data that has a 2020 stock and every country of those
corridors, with a balanced ledger. Every scenario of scenarios/world/ runs at a coarse scale with a
balanced ledger and shows its own effect against baseline_2017.yaml with the same seed; a
per-corridor calibration fits better than the global one and its propensities reach the corridors.
The source data are read from ../shared/data next to the repository; the checks that need them are
skipped when that folder does not exist."""

import csv
import math
import re
import subprocess
from datetime import date

import h5py
import numpy as np
import pytest
import yaml

from conftest import REPO, collect_datasets, describe

SOURCE = REPO.parent / "shared" / "data"
WORLD = REPO / "scenarios" / "world" / "baseline_2017.yaml"
HISTORY = REPO / "scenarios" / "world" / "history_2000_2022.yaml"
# The overlay of fitted parameters that baseline_2017 and the scenarios built on it include.
CALIBRATION_OVERLAY = "baseline_2017_calibration.yaml"
# The overlays of fitted parameters that the world scenarios include: not scenarios themselves.
WORLD_SCENARIOS = sorted(p for p in WORLD.parent.glob("*.yaml") if not p.name.endswith("_calibration.yaml"))

# The coarse runs of the world scenarios: 20,000 persons per member (about 14,000 members) and 84
# months, 2017-01 to 2023-12, which covers ARG's depreciation (2018-05, 66 months) and PAK's 2022
# floods (2022-08, 9 months), the latest shocks the effect checks use; on two threads.
COARSE_SCALE = 20000
COARSE_MONTHS = 84
COARSE_THREADS = 2


@pytest.fixture(scope="module")
def world_data(tmp_path_factory):
    if not SOURCE.is_dir():
        pytest.skip(f"the source data folder {SOURCE} does not exist")
    out = tmp_path_factory.mktemp("world_data")
    proc = subprocess.run([str(REPO / "tools" / "import-world-data"), "--source", str(SOURCE), "--output",
                           str(out), "--quiet"], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, describe(proc)
    return out


def test_world_scenario_has_every_corridor_and_country(run, world_data, tmp_path):
    out = tmp_path / "world.h5"
    proc = run("run", WORLD, "--set", f"world.data={world_data}", "--set", "world.scale=20000",
               "--months", 3, "-o", out, "-q")
    assert proc.returncode == 0, describe(proc)
    with open(world_data / "corridors.csv", newline="") as f:
        rows = [r for r in csv.DictReader(f) if r["stock_un_2020"] and float(r["stock_un_2020"]) >= 1]
    expected = {(r["origin"], r["host"]) for r in rows}
    with h5py.File(out, "r") as f:
        codes = [c.decode() for c in f["countries/country_code"][()]]
        origin, host = f["corridors/corridor_origin"][()], f["corridors/corridor_host"][()]
        got = {(codes[o], codes[h]) for o, h in zip(origin, host)}
        assert got == expected
        assert set(codes) == {c for pair in expected for c in pair}
        assert np.all(f["global/ledger_imbalance_usd"][()] == 0.0)
        assert f["global/remit_formal_usd"][0] > 0
        # The largest corridor of the data is Mexico -> United States.
        k = next(i for i, (o, h) in enumerate(zip(origin, host)) if codes[o] == "MEX" and codes[h] == "USA")
        assert f["corridors/members"][0, k] == pytest.approx(  # persons represented
            max(float(r["stock_un_2020"]) for r in rows), rel=0.01)


def test_world_scenario_without_data_is_an_input_error(run, tmp_path):
    proc = run("validate", WORLD, "--set", f"world.data={tmp_path / 'nothing'}")
    assert proc.returncode == 2, describe(proc)
    assert "countries.csv: cannot open" in proc.stderr and "import-world-data" in proc.stderr


def uncalibrated(tmp_path):
    """baseline_2017.yaml without its calibration overlay: the fit starts from the defaults."""
    scenario = tmp_path / "uncalibrated.yaml"
    text = "\n".join(l for l in WORLD.read_text().splitlines() if not l.startswith("include:"))
    scenario.write_text(text + "\n")
    return scenario


def calibrate(run, world_data, overlay, scenario=WORLD, iterations=5, extra=()):
    # A coarse world, 4 months and a 2-month burn-in: each of the fit's simulations is short.
    return run("calibrate", scenario, "--set", f"world.data={world_data}", "--set", "world.scale=50000",
               "--set", "population.burn_in_months=2", "--months", 4, "--min-members", 3,
               "--max-iterations", iterations, "-o", overlay, *extra, timeout=900)


def test_calibration_matches_the_world_total_and_is_deterministic(run, world_data, tmp_path):
    """A coarse calibration from the defaults (50,000 persons per member, a 2-month burn-in, 4 months annualised, at
    most 5 iterations) converges before the last iteration, brings the simulated 2017 total within
    2% of the World Bank's, lowers the loss, raises the weighted R^2 on log corridor flows, reports
    every figure, and gives the same parameters when run again; a scenario that includes the
    overlay takes them."""
    first, second = tmp_path / "a.yaml", tmp_path / "b.yaml"
    start = uncalibrated(tmp_path)
    proc = calibrate(run, world_data, first, start)
    again = calibrate(run, world_data, second, start)
    assert proc.returncode == 0, describe(proc)
    report = proc.stdout
    total = re.search(r"simulated total .* bn \(World Bank 2017.*\): ([+-][0-9.]+)%", report)
    assert total and abs(float(total.group(1))) <= 2.0, report
    loss = re.search(r"loss ([0-9.]+) -> ([0-9.]+), (\d+) iteration\(s\) \((converged|not converged)\)", report)
    assert loss and float(loss.group(2)) < float(loss.group(1)), report
    assert loss.group(4) == "converged" and int(loss.group(3)) < 5, report
    r2 = re.search(r"R\^2 on log corridor flows: ([-0-9.]+) weighted by size \(the loss's weights; ([-0-9.]+) at the start\)",
                   report)
    assert r2 and float(r2.group(1)) > float(r2.group(2)), report
    for figure in ("R^2 on log corridor flows:", "top-10 corridor share:", "rank of United States -> Mexico: 1"):
        assert figure in report, report
    assert again.returncode == 0, describe(again)
    values = lambda p: [l for l in p.read_text().splitlines() if not l.startswith("#")]
    assert values(first) == values(second)
    fitted = dict(l.strip().split(": ") for l in values(first) if l.startswith("    "))
    scenario = tmp_path / "calibrated.yaml"
    scenario.write_text(WORLD.read_text().replace("include: baseline_2017_calibration.yaml", f"include: {first}"))
    proc = run("resolve", scenario, "--set", f"world.data={world_data}")
    assert proc.returncode == 0, describe(proc)
    resolved = float(re.search(r"\n +amount_share: ([0-9.eE+-]+)", proc.stdout).group(1))
    assert resolved == pytest.approx(float(fitted["amount_share"]), rel=1e-9)


def test_per_corridor_calibration_fits_better_and_reaches_the_corridors(run, world_data, tmp_path):
    """`calibrate --per-corridor` at the coarse settings (50,000 persons per member, 4 months, at most
    3 iterations) reports a weighted R^2 on log corridor flows above the global fit's,
    writes <overlay stem>_propensity.csv (origin,host,propensity; one row per propensity reported)
    next to the overlay and names it as world.propensity; a scenario that includes the overlay gives
    MEX -> USA the CSV's propensity."""
    overlay = tmp_path / "per_corridor.yaml"
    proc = calibrate(run, world_data, overlay, uncalibrated(tmp_path), iterations=3,
                     extra=("--per-corridor", "--threads", COARSE_THREADS))
    assert proc.returncode == 0, describe(proc)
    report = proc.stdout
    global_fit = re.search(r"R\^2 on log corridor flows: ([-+0-9.]+) weighted by size", report)
    per_corridor = re.search(r"^  per-corridor mode \(a fit, not a prediction\): (\d+) propensities.*"
                             r"R\^2 on log corridor flows ([-+0-9.]+) weighted", report, re.M)
    assert global_fit and per_corridor, report
    assert float(per_corridor.group(2)) > float(global_fit.group(1)), report

    table = tmp_path / "per_corridor_propensity.csv"
    with open(table, newline="") as f:
        reader = csv.reader(f)
        assert next(reader) == ["origin", "host", "propensity"]
        rows = {(o, h): float(v) for o, h, v in reader}
    assert len(rows) == int(per_corridor.group(1)), report
    assert all(v > 0 for v in rows.values())
    named = yaml.safe_load(overlay.read_text())["world"]["propensity"]
    assert (tmp_path / named).resolve() == table.resolve(), overlay.read_text()

    scenario = tmp_path / "with_propensities.yaml"
    scenario.write_text(WORLD.read_text().replace(f"include: {CALIBRATION_OVERLAY}", f"include: {overlay}"))
    proc = run("resolve", scenario, "--set", f"world.data={world_data}")
    assert proc.returncode == 0, describe(proc)
    corridor = re.search(r'^  - origin: "MEX"\n    host: "USA"\n(?:    \w+: .*\n)*?    propensity: (\S+)$',
                         proc.stdout, re.M)
    assert corridor, "no MEX -> USA corridor with a propensity in the resolved scenario"
    assert float(corridor.group(1)) == pytest.approx(rows[("MEX", "USA")], rel=1e-6)


@pytest.mark.parametrize("lines, place", [
    (["origin,host,propensity", "MEX,USA,0.7", "SYR,TUR,abc"], (3, 9)),
    (["origin,host", "MEX,USA"], (1, None)),
], ids=["not-a-number", "missing-column"])
def test_malformed_propensity_file_is_an_input_error(run, world_data, tmp_path, lines, place):
    """A world.propensity file with a value that is not a number, or without a propensity column,
    makes `validate` exit 2 naming the file, line and column (the value's column when there is one)
    and the column 'propensity'."""
    table = tmp_path / "bad_propensity.csv"
    table.write_text("\n".join(lines) + "\n")
    scenario = uncalibrated(tmp_path)
    scenario.write_text(scenario.read_text().replace("\nworld:\n", f"\nworld:\n  propensity: {table.name}\n", 1))
    assert f"propensity: {table.name}" in scenario.read_text()
    proc = run("validate", scenario, "--set", f"world.data={world_data}")
    assert proc.returncode == 2, describe(proc)
    line, column = place
    assert re.search(rf"{re.escape(str(table))}:{line}:{column or r'[0-9]+'}:", proc.stderr), describe(proc)
    assert "'propensity'" in proc.stderr, describe(proc)


def test_propensity_file_without_world_data_is_an_input_error(run, tmp_path):
    """world.propensity applies to the corridors of world.data: the synthetic baseline (no world
    block) with only a world.propensity makes `validate` exit 2, naming that line and world.data."""
    text = (REPO / "scenarios" / "baseline.yaml").read_text()
    assert not re.search(r"^world:", text, re.M)
    text = text.rstrip("\n") + "\nworld:\n  propensity: x.csv\n"
    scenario = tmp_path / "propensity_without_data.yaml"
    scenario.write_text(text)
    line = text.splitlines().index("  propensity: x.csv") + 1
    proc = run("validate", scenario)
    assert proc.returncode == 2, describe(proc)
    assert f"{scenario}:{line}:" in proc.stderr, describe(proc)
    assert "world.data" in proc.stderr and "propensit" in proc.stderr, describe(proc)


# --- History --------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def history_outputs(run, world_data, tmp_path_factory):
    """history_2000_2022 as shipped, on one and on two threads: the two output files."""
    out_dir = tmp_path_factory.mktemp("history")
    outs = []
    for threads in (1, 2):
        out = out_dir / f"history_{threads}.h5"
        proc = run("run", HISTORY, "--set", f"world.data={world_data}", "--threads", threads, "-o", out, "-q")
        assert proc.returncode == 0, describe(proc)
        outs.append(out)
    return outs


def test_history_runs_balanced_and_the_same_on_one_and_two_threads(history_outputs):
    """history_2000_2022 as shipped (1,000 persons per member, 276 months): the ledger balances to
    the cent in every month, every corridor's members follow its UN DESA stock, and the output's
    data are bit-identical on one and on two threads."""
    one, two = collect_datasets(history_outputs[0]), collect_datasets(history_outputs[1])
    assert one.keys() == two.keys()
    differ = [k for k in one if one[k] != two[k]]
    assert not differ, differ
    with h5py.File(history_outputs[1], "r") as f:
        assert f["global/time"].shape == (276,)
        assert np.all(f["global/ledger_imbalance_usd"][()] == 0.0)
        # Members of Mexico in the United States at mid-2010 (month 126): the UN's 12.17 million of
        # 2010 within 1% (the count follows the stock in expectation, a member per 1,000 persons).
        country = [c.decode() for c in f["countries/country_code"][()]]
        pairs = [(country[o], country[h])
                 for o, h in zip(f["corridors/corridor_origin"][()], f["corridors/corridor_host"][()])]
        k = pairs.index(("MEX", "USA"))
        assert f["corridors/members"][126, k] == pytest.approx(12.17e6, rel=0.01)


def history_fit(simulated, recorded, cells, weighted):
    """Pooled R^2 of log levels after each country's level factor, within-country R^2 and the
    correlation of year-on-year changes, over `cells` (country, year)."""
    by_country = {}
    for c, y in cells:
        by_country.setdefault(c, []).append(y)
    levels, within, changes = [], [], []
    for c, years in by_country.items():
        years.sort()
        w = np.array([recorded[c][y] if weighted else 1.0 for y in years])
        y_rec = np.log([recorded[c][y] for y in years])
        y_sim = np.log([simulated[c][y] for y in years])
        y_sim = y_sim + np.average(y_rec - y_sim, weights=w)
        levels += list(zip(y_rec, y_sim, w))
        within += list(zip(y_rec - np.average(y_rec, weights=w), y_sim - np.average(y_sim, weights=w), w))
        changes += [(y_rec[i] - y_rec[i - 1], y_sim[i] - y_sim[i - 1], w[i])
                    for i in range(1, len(years)) if years[i] == years[i - 1] + 1]

    def r2(points):
        a, b, w = map(np.array, zip(*points))
        return 1 - np.sum(w * (a - b) ** 2) / np.sum(w * (a - np.average(a, weights=w)) ** 2)

    def corr(points):
        a, b, w = map(np.array, zip(*points))
        a, b = a - np.average(a, weights=w), b - np.average(b, weights=w)
        return np.sum(w * a * b) / np.sqrt(np.sum(w * a * a) * np.sum(w * b * b))

    return r2(levels), r2(within), corr(changes)


def test_history_fit_to_the_recorded_decade(history_outputs, world_data):
    """Measured from the shipped history run's output file (countries' remit_formal_usd, summed by
    year) against the recorded inflows of 2010-2019 over the low- and middle-income countries with
    a recorded and a simulated value (World Bank income groups), size-weighted: a pooled R^2 of log
    levels of at least 0.9, and the simulated low- and middle-income total within 5% of the
    recorded one in every year (the issue's bar; the shipped run is within 3%).
    Printed beside them, for the same country-years: the within-country R^2 and the correlation of
    year-on-year changes, of the model and of the naive benchmark (each origin's sum over its
    corridors of stock x host GDP per capita, one factor per origin)."""
    recorded, group = {}, {}
    with open(world_data / "history_inflows.csv", newline="") as f:
        for r in csv.DictReader(f):
            recorded.setdefault(r["iso3"], {})[int(r["year"])] = float(r["remittances_usd"])
            group[r["iso3"]] = r["income_group"]
    with h5py.File(history_outputs[1], "r") as f:
        codes = [c.decode() for c in f["countries/country_code"][()]]
        start = f.attrs["start"]
        start = date(*map(int, (start.decode() if isinstance(start, bytes) else start).split("-")), 1)
        years = np.array([(start.year * 12 + start.month - 1 + m) // 12 for m in range(f["global/time"].shape[0])])
        formal = f["countries/remit_formal_usd"][()]
    simulated = {c: {y: float(formal[years == y, i].sum()) for y in range(2010, 2020)} for i, c in enumerate(codes)}
    cells = [(c, y) for c in codes if group.get(c, "High income") not in ("High income", "")
             for y in range(2010, 2020) if recorded.get(c, {}).get(y, 0) > 0 and simulated[c][y] > 0]
    ratio = [sum(simulated[c][t] for c, t in cells if t == y) / sum(recorded[c][t] for c, t in cells if t == y)
             for y in range(2010, 2020)]
    print("simulated / recorded total by year:", " ".join(f"{r:.3f}" for r in ratio))
    assert all(abs(r - 1) <= 0.05 for r in ratio), ratio
    # The benchmark from the history tables: stocks at mid-year (linear between the UN years, held
    # after 2020) times the host's GDP per capita of the year.
    gdp, stocks = {}, {}
    with open(world_data / "history_countries.csv", newline="") as f:
        for r in csv.DictReader(f):
            if r["gdp_per_capita_usd"]:
                gdp.setdefault(r["iso3"], {})[int(r["year"])] = float(r["gdp_per_capita_usd"])
    with open(world_data / "history_stocks.csv", newline="") as f:
        for r in csv.DictReader(f):
            stocks.setdefault((r["origin"], r["host"]), {})[int(r["year"])] = float(r["stock"])
    bench = {}
    for (o, h), points in stocks.items():
        if h not in gdp or o not in simulated:
            continue
        for y in range(2010, 2020):
            s = float(np.interp(y, sorted(points), [points[t] for t in sorted(points)]))
            bench.setdefault(o, {}).setdefault(y, 0.0)
            bench[o][y] += s * gdp[h].get(y, 0.0)
    cells = [(c, y) for c, y in cells if bench.get(c, {}).get(y, 0) > 0]
    for weighted in (True, False):
        model = history_fit(simulated, recorded, cells, weighted)
        naive = history_fit(bench, recorded, cells, weighted)
        print(f"{'weighted' if weighted else 'unweighted'}: model pooled {model[0]:.3f} within {model[1]:.3f} "
              f"changes {model[2]:.3f}; benchmark pooled {naive[0]:.3f} within {naive[1]:.3f} changes {naive[2]:.3f}")
        if weighted:
            assert model[0] >= 0.9, model


# --- The world scenarios at a coarse scale -------------------------------------------------------


@pytest.fixture(scope="module")
def coarse(run, world_data, tmp_path_factory):
    """coarse(scenario stem, *overrides) -> (CompletedProcess, output path): the scenario of
    scenarios/world/ at COARSE_SCALE for COARSE_MONTHS on COARSE_THREADS with its own seed, run once
    per arguments."""
    out_dir = tmp_path_factory.mktemp("coarse")
    done = {}

    def _coarse(stem, *overrides):
        key = (stem,) + overrides
        if key not in done:
            out = out_dir / f"{stem}_{len(done)}.h5"
            sets = [a for o in overrides for a in ("--set", o)]
            proc = run("run", WORLD.parent / f"{stem}.yaml", "--set", f"world.data={world_data}", "--set",
                       f"world.scale={COARSE_SCALE}", *sets, "--months", COARSE_MONTHS, "--threads", COARSE_THREADS, "-o", out, "-q")
            done[key] = (proc, out)
        return done[key]

    return _coarse


def coarse_output(coarse, stem, *overrides):
    proc, out = coarse(stem, *overrides)
    assert proc.returncode == 0, describe(proc)
    return h5py.File(out, "r")


def month(f, when):
    """Index on the time axis of an output file of the month `when` (YYYY-MM)."""
    start = f.attrs["start"]
    start = date(*map(int, (start.decode() if isinstance(start, bytes) else start).split("-")), 1)
    days = (date(*map(int, str(when).split("-")), 1) - start).days
    index = np.flatnonzero(f["global/time"][()] == days)
    assert index.size == 1, f"{when} is not a month of the run"
    return int(index[0])


def changes(stem):
    """The shocks and policies of a world scenario, as written in its file."""
    spec = yaml.safe_load((WORLD.parent / f"{stem}.yaml").read_text())
    return spec.get("shocks", []) + spec.get("policies", [])


def shock(stem, kind, country=None):
    """The first shock of `kind` of a world scenario (on `country` if given)."""
    return next(s for s in changes(stem)
                if s["kind"] == kind and (country is None or country in s.get("countries", [])))


def span(f, change):
    """The months of a shock or policy in a run: a slice of the time axis."""
    first = month(f, change["from"])
    return slice(first, min(first + change.get("months", 12), f["global/time"].shape[0]))


def country_index(f, code):
    return [c.decode() for c in f["countries/country_code"][()]].index(code)


@pytest.mark.parametrize("scenario", WORLD_SCENARIOS, ids=[p.stem for p in WORLD_SCENARIOS])
def test_world_scenario_runs_with_a_balanced_ledger(coarse, scenario):
    """Each scenario of scenarios/world/ runs at 20,000 persons per member for 84 months and its
    ledger balances to the cent in every month."""
    with coarse_output(coarse, scenario.stem) as f:
        imbalance = f["global/ledger_imbalance_usd"][()]
        assert imbalance.shape == (COARSE_MONTHS,)
        assert np.all(imbalance == 0.0), imbalance
        assert np.all(f["global/remit_formal_usd"][()] > 0)


def changes_of(path):
    spec = yaml.safe_load(path.read_text())
    return spec.get("shocks", []) + spec.get("policies", [])


# Scenarios that change something against the baseline (one_to_one only changes its scale; the
# history is a world of its own, from 2000).
PAIRED = [p for p in WORLD_SCENARIOS if p.name not in (WORLD.name, HISTORY.name) and changes_of(p)]


@pytest.mark.parametrize("scenario", PAIRED, ids=[p.stem for p in PAIRED])
def test_world_scenario_equals_the_baseline_before_its_first_change(coarse, scenario):
    """Common random numbers (docs/experiments.md): until the first month of its first shock or
    policy, every time series of a scenario is bit-identical to baseline_2017's with the same seed,
    and it differs afterwards; the effects below are the scenario's and not noise."""
    first = min(str(c["from"]) for c in changes(scenario.stem))
    with coarse_output(coarse, WORLD.stem) as base, coarse_output(coarse, scenario.stem) as f:
        t0 = month(f, first)
        assert t0 > 0
        differ = False
        for group in ("global", "countries", "corridors"):
            for name, ds in f[group].items():
                if ds.ndim == 0 or not [d.name for d in ds.dims[0].values()] == [f"/{group}/time"]:
                    continue
                ours, theirs = ds[()], base[group][name][()]
                assert np.array_equal(ours[:t0], theirs[:t0], equal_nan=True), f"/{group}/{name}"
                differ = differ or not np.array_equal(ours[t0:], theirs[t0:], equal_nan=True)
        assert differ, "the scenario's changes have no effect at all"


def test_sdg_cost_cap_caps_every_corridor_and_raises_formal_flows(coarse):
    """sdg_cost_3pct: before the cap some corridor costs more than the cap; from its first month
    every corridor's formal cost is at most the cap (to 1e-12) while the baseline's still exceeds
    it; formal remittances over the cap's first calendar year exceed the baseline's (paired runs,
    same seed)."""
    policy = next(c for c in changes("sdg_cost_3pct") if c["kind"] == "cost_cap")
    cap = policy["cap"]
    with coarse_output(coarse, WORLD.stem) as base, coarse_output(coarse, "sdg_cost_3pct") as f:
        t0 = month(f, policy["from"])
        year = slice(t0, month(f, f"{str(policy['from'])[:4]}-12") + 1)
        cost, base_cost = f["corridors/cost_formal"][()], base["corridors/cost_formal"][()]
        assert cost[:t0].max() > cap
        assert cost[t0:].max() <= cap + 1e-12
        assert base_cost[t0:].max() > cap
        formal = f["global/remit_formal_usd"][year].sum()
        assert formal > base["global/remit_formal_usd"][year].sum()


def test_host_recession_lowers_employment_in_the_united_states(coarse):
    """host_recession: over the months of the US shock the members-weighted employment rate of the
    corridors hosted by the USA is lower than in the baseline (paired runs, same seed; the fall is
    about 4 points on seeds 1-3 and the scenario's own, the runs being identical before)."""
    us_shock = shock("host_recession", "host_recession", "USA")
    with coarse_output(coarse, WORLD.stem) as base, coarse_output(coarse, "host_recession") as f:
        months = span(f, us_shock)
        in_us = f["corridors/corridor_host"][()] == country_index(f, "USA")
        assert in_us.any()

        def employment(g):
            members = g["corridors/members"][months][:, in_us]
            return (g["corridors/employment_rate"][months][:, in_us] * members).sum() / members.sum()

        assert employment(f) < employment(base)


def test_pandemic_lockdown_cuts_informal_remittances(coarse):
    """pandemic: over the lockdown (the first pandemic shock, informal channels disrupted) global
    informal remittances are lower than in the baseline (paired runs, same seed)."""
    lockdown = shock("pandemic", "pandemic")
    assert lockdown["informal_disruption"] > 0
    with coarse_output(coarse, WORLD.stem) as base, coarse_output(coarse, "pandemic") as f:
        months = span(f, lockdown)
        assert f["global/remit_informal_usd"][months].sum() < base["global/remit_informal_usd"][months].sum()


def test_pakistan_floods_bring_extra_remittances(coarse):
    """origin_disasters, PAK floods of 2022-08 (fact 3, insurance): over the shock months PAK
    receives more individual remittances than in the baseline and diaspora crisis aid; consumption
    of households without migrants falls, and that of households with migrants by less than half
    as much in % (paired runs, same seed; about a fifth as much on seeds 1-3 and the scenario's
    own)."""
    floods = shock("origin_disasters", "origin_disaster", "PAK")
    assert str(floods["from"]) == "2022-08"
    with coarse_output(coarse, WORLD.stem) as base, coarse_output(coarse, "origin_disasters") as f:
        months, pak = span(f, floods), country_index(f, "PAK")
        total = lambda g, name: g[f"countries/{name}"][months, pak].sum()
        assert total(f, "remit_received_usd") > total(base, "remit_received_usd")
        assert total(f, "crisis_aid_usd") > total(base, "crisis_aid_usd")
        fall = lambda name: 1 - total(f, name) / total(base, name)
        assert fall("consumption_non_migrant_hh_usd") > 0
        assert fall("consumption_migrant_hh_usd") < fall("consumption_non_migrant_hh_usd") / 2


def test_argentine_depreciation_lowers_the_dollars_sent_by_the_price_elasticity(coarse):
    """fx_depreciation, ARG 2018-05 for 66 months (depreciation 0.3): a dollar buys 1 / 0.7 as much
    in Argentina and its households' incomes fall in dollars as much, so what they buy at home is
    unchanged and no loss is there for top-ups to answer; senders who think partly in pesos want to
    send 0.7 ^ behaviour.remit.price_elasticity (0.4) = 0.867 as many dollars as with
    price_elasticity 0 (paired runs, same seed: the same members send). What they can afford caps
    the larger amounts more often (transfers above 30% of income draw on savings), so the dollars
    sent fall by less: between 0.867 (less 0.01) and 0.95 of the others'."""
    depreciation = shock("fx_depreciation", "fx_shock", "ARG")
    assert depreciation["depreciation"] == 0.3
    with coarse_output(coarse, "fx_depreciation") as f, \
            coarse_output(coarse, "fx_depreciation", "behaviour.remit.price_elasticity=0") as flat:
        assert f["global/time"].shape[0] >= month(f, depreciation["from"]) + depreciation["months"]
        months, arg = span(f, depreciation), country_index(f, "ARG")
        sent = lambda g: (g["countries/remit_formal_usd"][months, arg].sum()
                          + g["countries/remit_informal_usd"][months, arg].sum())
        assert 0.7 ** 0.4 - 0.01 <= sent(f) / sent(flat) <= 0.95
        top_ups = lambda g: g["countries/loss_answered_by_top_ups_usd"][months, arg].sum()
        assert top_ups(f) == 0


def test_one_to_one_is_the_baseline_at_one_member_per_migrant(run, world_data, tmp_path):
    """one_to_one.yaml resolves to the baseline's corridors at scale 1 (one member per migrant of the
    UN 2020 stocks) with the implicit graph, and its memory estimate leaves the run to the memory
    check, not to a link limit: `validate` accepts it."""
    def resolved(stem):
        proc = run("resolve", WORLD.parent / f"{stem}.yaml", "--set", f"world.data={world_data}")
        assert proc.returncode == 0, describe(proc)
        return yaml.safe_load(proc.stdout)

    one, base = resolved("one_to_one"), resolved("baseline_2017")
    assert one["scale"] == 1 and base["scale"] == 1000
    assert one["network"]["graph"] == "implicit"
    assert [(k["origin"], k["host"], float(k["stock"])) for k in one["corridors"]] == \
        [(k["origin"], k["host"], float(k["stock"])) for k in base["corridors"]]
    members = sum(round(float(k["stock"])) for k in one["corridors"])
    assert 270e6 < members < 290e6, members
    proc = run("validate", WORLD.parent / "one_to_one.yaml", "--set", f"world.data={world_data}")
    assert proc.returncode == 0, describe(proc)


def test_history_calibration_fits_levels_and_reports_the_benchmark(run, world_data, tmp_path):
    """`calibrate --history` at a coarse scale (20,000 persons per member, from 2008, one iteration) prints the
    fit of inflows for the start, the fit and the naive benchmark, and the yearly low- and
    middle-income totals; it writes the overlay and one propensity per corridor of every fitted
    origin (the origin's level factor, the same for all its corridors). The level factors bring
    every year's simulated total within 15% of the recorded one, and each of the six regions' total
    over the decade within 20% (one iteration, coarse scale)."""
    overlay = tmp_path / "history_calibration.yaml"
    proc = run("calibrate", "--history", HISTORY, "--set", f"world.data={world_data}", "--set",
               "world.scale=20000", "--set", "start=2008-01", "--max-iterations", 1, "-o", overlay,
               timeout=900)
    assert proc.returncode == 0, describe(proc)
    report = proc.stdout
    for what in ("start", "fitted", "benchmark"):
        assert re.search(rf"^  {what} +[-0-9.]+ +[-0-9.]+ +[-0-9.]+ +[-0-9.]+ +[-0-9.]+ +[-0-9.]+$", report,
                         re.M), report
    years = re.findall(r"^    (20\d\d) +([0-9.]+) +([0-9.]+) +([-+][0-9.]+)%$", report, re.M)
    assert [int(y) for y, *_ in years] == list(range(2010, 2020)), report
    assert all(abs(float(p)) < 15 for *_, p in years), report
    regions = re.findall(r"^    ([A-Z][-A-Za-z& ]+?) +([-+][0-9.]+)%$", report, re.M)
    assert len(regions) == 6, report
    assert all(abs(float(p)) < 20 for _, p in regions), report
    spec = yaml.safe_load(overlay.read_text())
    assert set(spec["behaviour"]["remit"]) == {"price_elasticity", "income_elasticity", "formal_cost",
                                               "formal_access", "channel_review", "cost", "years_amplitude"}
    table = tmp_path / spec["world"]["propensity"]
    with open(table, newline="") as f:
        rows = list(csv.DictReader(f))
    factor = {}
    for r in rows:
        factor.setdefault(r["origin"], set()).add(r["propensity"])
    assert len(factor) > 50 and all(len(v) == 1 for v in factor.values())


def test_history_calibration_needs_a_history_scenario(run, world_data):
    proc = run("calibrate", "--history", WORLD, "--set", f"world.data={world_data}")
    assert proc.returncode == 2, describe(proc)
    assert "history: true" in proc.stderr


def test_the_parameter_reference_quotes_the_committed_history_fit(run):
    """Every parameter whose source in `bridges params` quotes a value fitted by `calibrate --history`
    quotes the value that scenarios/world/history_calibration.yaml holds (to the digits quoted), and
    every parameter that overlay fits is quoted: a refit that forgets the reference fails here."""
    proc = run("params")
    assert proc.returncode == 0, describe(proc)
    quoted = {}
    for line in proc.stdout.splitlines():
        m = re.match(r"\| `behaviour\.remit\.(\w+)` .*calibrate --history: (-?[0-9.]+) in "
                     r"scenarios/world/history_calibration\.yaml", line)
        if m:
            quoted[m.group(1)] = m.group(2)
    fitted = yaml.safe_load((HISTORY.parent / "history_calibration.yaml").read_text())["behaviour"]["remit"]
    assert set(quoted) == set(fitted), (sorted(quoted), sorted(fitted))
    for name, text in quoted.items():
        digits = len(text.split(".")[1]) if "." in text else 0
        assert abs(fitted[name] - float(text)) <= 0.5 * 10**-digits + 1e-12, (name, text, fitted[name])


CEILING = REPO / "tools" / "history-ceiling"


def write_ceiling_tables(folder, unemployment_effect=-3.0, stock_elasticity=1.0, trend=0.0, year_effect=None):
    """Four low- and middle-income origins, each with migrants in one of two hosts, 2010-2019: the
    recorded inflow is the origin's factor times stock ^ stock_elasticity x host GDP per capita
    times exp(unemployment_effect x host unemployment + trend x (year - 2010) + year_effect(year)),
    exactly. The origins' prices, incomes and one corridor's cost move without a bearing on it."""
    folder.mkdir()
    hosts = {"HAA": 1, "HBB": 2}
    origins = {"OAA": ("HAA", 1.0), "OBB": ("HBB", 2.0), "OCC": ("HAA", 0.5), "ODD": ("HBB", 3.0)}
    years = range(2010, 2020)
    unemployment = {(h, y): 0.05 + 0.03 * math.sin(1.3 * y + i) for h, i in hosts.items() for y in years}
    gdp = {(h, y): 40000 * math.exp(0.05 * math.sin(0.9 * y + i)) * (1 + 0.1 * i) for h, i in hosts.items() for y in years}
    stock = {(o, y): 1e5 * (1 + 0.02 * (y - 2010) * (1 + i)) for i, o in enumerate(origins) for y in years}
    with open(folder / "history_countries.csv", "w") as f:
        f.write("iso3,year,gdp_per_capita_usd,fx_lcu_per_usd,price_index,unemployment_rate,population,filled\n")
        for h in hosts:
            for y in years:
                f.write(f"{h},{y},{gdp[(h, y)]},1.0,1.0,{unemployment[(h, y)]},1000000,\n")
        for i, o in enumerate(origins):
            for y in years:
                f.write(f"{o},{y},{2000 * (1 + 0.05 * math.cos(y + i))},{10 + math.sin(2 * y + i)},"
                        f"{1 + 0.05 * math.sin(2.5 * y + i) + 0.02 * math.cos(3 * y)},,1000000,\n")
    with open(folder / "history_stocks.csv", "w") as f:
        f.write("origin,host,year,stock\n")
        for o, (h, _) in origins.items():
            for y in years:
                f.write(f"{o},{h},{y},{stock[(o, y)]}\n")
    with open(folder / "history_costs.csv", "w") as f:
        f.write("origin,host,year,cost_formal\n")
        for y in range(2011, 2020):
            f.write(f"OAA,HAA,{y},{0.08 + 0.01 * math.sin(5 * y)}\n")
    with open(folder / "history_inflows.csv", "w") as f:
        f.write("iso3,region,income_group,year,remittances_usd\n")
        for o, (h, factor) in origins.items():
            for y in years:
                value = factor * stock[(o, y)] ** stock_elasticity * gdp[(h, y)] * math.exp(
                    unemployment_effect * unemployment[(h, y)] + trend * (y - 2010) +
                    (year_effect(y) if year_effect else 0.0))
                f.write(f"{o},South Asia,Lower middle income,{y},{value}\n")
        f.write("HAA,Europe & Central Asia,High income,2015,1e9\n")


def ceiling_rows(stdout):
    return {m.group(1).strip(): [float(v) for v in m.group(2).split()]
            for m in re.finditer(r"^  ((?:benchmark|\+)[^0-9-]+?)\s+((?:-?[0-9.]+\s+){3}-?[0-9.]+)$", stdout, re.M)}


def test_history_ceiling_recovers_a_common_response_it_was_built_with(tmp_path):
    """On tables whose recorded inflows follow stock x host income times exp(-3 x host unemployment)
    exactly, `tools/history-ceiling` finds that the benchmark misses part of the paths, that adding
    host unemployment follows them exactly (within R^2 and correlation of changes 1, weighted and
    unweighted), and that the fit of all four drivers gives unemployment the coefficient -3 and the
    others 0 (to the three decimals printed)."""
    tables = tmp_path / "tables"
    write_ceiling_tables(tables)
    proc = subprocess.run([CEILING, "--data", tables], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, describe(proc)
    assert "40 country-years of 4 low- and middle-income origins" in proc.stdout, proc.stdout
    rows = ceiling_rows(proc.stdout)
    assert set(rows) == {"benchmark (stock x host GDP per capita)", "+ host unemployment", "+ formal cost",
                         "+ dollar price of the origin's goods", "+ origin GDP per capita", "+ all four",
                         *CEILING_FREE_ROWS}, rows
    assert rows["benchmark (stock x host GDP per capita)"][0] < 0.99, proc.stdout
    assert rows["+ host unemployment"] == pytest.approx([1, 1, 1, 1], abs=5e-4), proc.stdout
    assert rows["+ all four"] == pytest.approx([1, 1, 1, 1], abs=5e-4), proc.stdout
    for row in CEILING_FREE_ROWS:
        assert rows[row] == pytest.approx([1, 1, 1, 1], abs=5e-4), proc.stdout
    coefficients = dict(re.findall(r"(host unemployment|formal cost|dollar price of the origin's goods|"
                                   r"origin GDP per capita) ([-+][0-9.]+)", proc.stdout.split("coefficients")[1]))
    assert float(coefficients["host unemployment"]) == pytest.approx(-3, abs=5e-4), proc.stdout
    assert all(abs(float(v)) < 5e-4 for k, v in coefficients.items() if k != "host unemployment"), proc.stdout


CEILING_FREE_ROWS = ("+ all four, stock and host income free", "+ the same, fitted on changes",
                     "+ the same and a common trend", "+ the same and an effect for each year",
                     "+ the same and an effect for each year, fitted on changes")


@pytest.mark.parametrize("built, exact, changes_only, missed, printed", [
    # Inflows rise with the stock to the power 0.5: the benchmark's fixed elasticity of 1 misses,
    # the free one finds 0.5 (and 1 for the host income) on levels and on changes.
    ({"stock_elasticity": 0.5}, CEILING_FREE_ROWS, (), ("+ all four",),
     ("elasticity of the stock 0.500", "of the host income 1.000")),
    # A common trend of 3% a year: only the rows with a trend or an effect per year follow it; the
    # fit on changes follows the changes (its growth rate is the trend) but leaves the trend out
    # of the levels.
    ({"trend": 0.03}, CEILING_FREE_ROWS[2:], CEILING_FREE_ROWS[1:2], CEILING_FREE_ROWS[:1], ("common trend +0.030",)),
    # A shock common to all origins in each year: only the effects per year follow it.
    ({"year_effect": lambda y: 0.05 * math.sin(7 * y)}, CEILING_FREE_ROWS[3:], (), CEILING_FREE_ROWS[:3], ()),
])
def test_history_ceiling_separates_responses_from_trends_and_years(tmp_path, built, exact, changes_only, missed,
                                                                   printed):
    """On tables built with a stock elasticity of 0.5, a common trend or a common effect per year
    (and the unemployment response), `tools/history-ceiling` follows the paths exactly (within R^2
    and correlation of changes 1, weighted and unweighted, to the three decimals printed) in the
    rows that can represent what was built, follows only the changes in a fit on changes that
    leaves a common growth out of the levels, and misses them (within R^2 or correlation below
    0.999) in the rows that cannot; the fitted elasticities or trend are the ones built."""
    tables = tmp_path / "tables"
    write_ceiling_tables(tables, **built)
    proc = subprocess.run([CEILING, "--data", tables], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, describe(proc)
    rows = ceiling_rows(proc.stdout)
    for row in exact:
        assert rows[row] == pytest.approx([1, 1, 1, 1], abs=5e-4), (row, proc.stdout)
    for row in changes_only:
        within_w, changes_w, within_u, changes_u = rows[row]
        assert [changes_w, changes_u] == pytest.approx([1, 1], abs=5e-4), (row, proc.stdout)
        assert max(within_w, within_u) < 0.999, (row, proc.stdout)
    for row in missed:
        assert min(rows[row]) < 0.999, (row, proc.stdout)
    for text in printed:
        assert text in proc.stdout, proc.stdout


@pytest.mark.parametrize("table, line, text, message", [
    ("history_inflows.csv", 3, "1.2e9x", "remittances_usd: '1.2e9x' is not a number"),
    ("history_stocks.csv", 2, "nan", "stock: 'nan' is not finite"),
])
def test_history_ceiling_refuses_a_malformed_cell_naming_it(tmp_path, table, line, text, message):
    tables = tmp_path / "tables"
    write_ceiling_tables(tables)
    rows = (tables / table).read_text().splitlines()
    cells = rows[line - 1].split(",")
    cells[-1] = text
    rows[line - 1] = ",".join(cells)
    (tables / table).write_text("\n".join(rows) + "\n")
    proc = subprocess.run([CEILING, "--data", tables], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2, describe(proc)
    assert f"{tables / table}: line {line}: {message}" in proc.stderr, proc.stderr
    assert proc.stdout == ""


def test_history_ceiling_names_a_missing_table(tmp_path):
    tables = tmp_path / "tables"
    write_ceiling_tables(tables)
    (tables / "history_costs.csv").unlink()
    proc = subprocess.run([CEILING, "--data", tables], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2, describe(proc)
    assert f"{tables / 'history_costs.csv'}:" in proc.stderr and "No such file" in proc.stderr, proc.stderr
