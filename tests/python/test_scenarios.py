"""Every shipped scenario (docs/scenarios.md and docs/experiments.md): documented in its own comment header, and
runs (briefly, coarsely) with a balanced ledger."""

import re

import h5py
import numpy as np
import pytest
import yaml

from conftest import comment_header_lines, describe, shipped_scenarios

SCENARIOS = shipped_scenarios()
MONTHS = 6


def test_shipped_scenario_count():
    assert len(SCENARIOS) >= 9, [p.name for p in SCENARIOS]


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda p: p.name)
def test_comment_header(scenario):
    header = comment_header_lines(scenario)
    assert header >= 3, f"{scenario.name} starts with {header} comment line(s); at least 3 expected"


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda p: p.name)
def test_scenario_runs_with_balanced_ledger(run, tmp_path, scenario):
    out = tmp_path / f"{scenario.stem}.h5"
    proc = run("run", scenario, "--months", MONTHS, "--set", "scale=1000", "-o", out, "-q")
    assert proc.returncode == 0, describe(proc)
    assert out.exists() and not out.with_name(out.name + ".partial").exists()
    with h5py.File(out, "r") as f:
        assert f.attrs["status"] == b"complete"
        imbalance = f["global/ledger_imbalance_usd"][()]
        assert imbalance.shape == (MONTHS,)
        assert np.all(imbalance == 0.0), f"{scenario.name}: ledger imbalance {imbalance}"
        assert np.all(f["global/remit_formal_usd"][()] > 0)


NUMERIC_TEXT = re.compile(r"^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$")


@pytest.mark.parametrize("scenario", shipped_scenarios(), ids=lambda p: p.name)
def test_resolved_numbers_are_numbers_to_yaml_1_1(run, scenario):
    """`bridges resolve` writes every number so that a YAML 1.1 reader (PyYAML) reads a number: no
    value of the resolved scenario is a string that looks like a number (as "1e+03" would be)."""
    proc = run("resolve", scenario)
    assert proc.returncode == 0, describe(proc)

    def walk(node, path):
        if isinstance(node, dict):
            for k, v in node.items():
                yield from walk(v, f"{path}.{k}")
        elif isinstance(node, list):
            for i, v in enumerate(node):
                yield from walk(v, f"{path}.{i}")
        elif isinstance(node, str) and NUMERIC_TEXT.match(node):
            yield path, node

    text_numbers = list(walk(yaml.safe_load(proc.stdout), ""))
    assert not text_numbers, text_numbers[:5]
