"""The real-world scenario (scenarios/world/baseline_2017.yaml): built from the importer's tidy
files, it runs with every corridor of the data that has a 2020 stock and every country of those
corridors, with a balanced ledger. The source data are read from ../shared/data next to the
repository; the checks are skipped when that folder does not exist."""

import csv
import re
import subprocess

import h5py
import numpy as np
import pytest

from conftest import REPO, describe

SOURCE = REPO.parent / "shared" / "data"
WORLD = REPO / "scenarios" / "world" / "baseline_2017.yaml"


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


def calibrate(run, world_data, overlay, scenario=WORLD):
    return run("calibrate", scenario, "--set", f"world.data={world_data}", "--set", "world.scale=50000",
               "--months", 4, "--min-members", 3, "--max-iterations", 5, "-o", overlay, timeout=900)


def test_calibration_matches_the_world_total_and_is_deterministic(run, world_data, tmp_path):
    """A coarse calibration (50,000 persons per member, 4 months annualised, at most 5 iterations) brings the simulated
    2017 total within 2% of the World Bank's, lowers the loss, reports every figure, and gives
    the same parameters when run again; a scenario that includes the overlay takes them."""
    first, second = tmp_path / "a.yaml", tmp_path / "b.yaml"
    start = uncalibrated(tmp_path)
    proc = calibrate(run, world_data, first, start)
    again = calibrate(run, world_data, second, start)
    assert proc.returncode == 0, describe(proc)
    report = proc.stdout
    total = re.search(r"simulated total .* bn \(World Bank 2017.*\): ([+-][0-9.]+)%", report)
    assert total and abs(float(total.group(1))) <= 2.0, report
    loss = re.search(r"loss ([0-9.]+) -> ([0-9.]+), (\d+) iteration", report)
    assert loss and float(loss.group(2)) < float(loss.group(1)), report
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
