"""`bridges facts` (docs/model.md section 8.1): it measures the nine facts of section 8 on the
synthetic baseline, prints fact, measure, target, simulated value and pass or FAIL (or the same as
JSON), exits 0 when every fact measured passes, 1 when one fails and 2 for invalid input. Its
verdicts agree with its own printed targets, one fact alone gives the same value as the full run,
and the JSON is the same on 1 and 2 threads."""

import json
import math
import re
from decimal import Decimal

import pytest

from conftest import REPO, describe

NUMBER = r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?"
BOUND = re.compile(rf"^\s*([<>])\s*({NUMBER})(?:\s|$)")
RANGE = re.compile(rf"^\s*({NUMBER})\s+to\s+({NUMBER})(?:\s|$)")

# A parameter that makes fact 1 (about 15% of earnings remitted, target 12-20%) fail: every
# sender remits half of the earnings.
FACT_1_BREAKER = "behaviour.remit.amount_share=0.5"


def facts_json(run, *args):
    """(CompletedProcess, parsed JSON) of `bridges facts --format json args...`."""
    proc = run("facts", "--format", "json", *args)
    assert proc.returncode in (0, 1), describe(proc)
    try:
        return proc, json.loads(proc.stdout)
    except json.JSONDecodeError as e:
        pytest.fail(f"the output is not JSON ({e})\n" + describe(proc))


@pytest.fixture(scope="module")
def all_facts(run):
    """The nine facts on the synthetic baseline as JSON, measured once."""
    return facts_json(run)


def rounding(token):
    """How far a printed bound may lie from the one the command compared with: bounds are printed
    to 4 significant digits with trailing zeros dropped ("1" is 1.000), so half a unit in the 4th
    significant digit, or in the last printed digit when more are printed."""
    value = float(token)
    if value == 0:
        return 0.0
    printed = float(Decimal(10) ** Decimal(token).as_tuple().exponent) / 2
    return min(printed, 0.5 * 10 ** (math.floor(math.log10(abs(value))) - 3))


def judge(target, simulated):
    """True or False: whether `simulated` meets the printed `target` ("A to B", "> X", "< X",
    optionally followed by a remark), or None when `simulated` lies within the rounding of a printed
    bound, where the text cannot decide."""
    if m := RANGE.match(target):
        lo, hi = float(m.group(1)), float(m.group(2))
        edges = ((lo, m.group(1)), (hi, m.group(2)))
        verdict = lo <= simulated <= hi
    elif m := BOUND.match(target):
        edges = ((float(m.group(2)), m.group(2)),)
        verdict = simulated > edges[0][0] if m.group(1) == ">" else simulated < edges[0][0]
    else:
        pytest.fail(f"target {target!r} is neither 'A to B', '> X' nor '< X'")
    if any(abs(simulated - value) <= rounding(token) for value, token in edges):
        return None
    return verdict


def check_verdicts(report):
    """Every check's pass agrees with its target and value; every fact's pass is the conjunction of
    its checks', and the report's the conjunction of its facts'. Returns how many checks the
    printed target decided."""
    decided = undecided = 0
    for fact in report["facts"]:
        assert fact["checks"], f"fact {fact['number']} has no check"
        for check in fact["checks"]:
            simulated = check["simulated"]
            where = (f"fact {fact['number']}, {check['measure']!r}: target {check['target']!r}, "
                     f"simulated {simulated!r}")
            if not isinstance(simulated, (int, float)) or not math.isfinite(simulated):
                assert check["pass"] is False, where
                continue
            verdict = judge(check["target"], simulated)
            if verdict is None:
                undecided += 1
                continue
            decided += 1
            assert check["pass"] is verdict, where
        assert fact["pass"] is all(c["pass"] for c in fact["checks"]), fact
    assert report["pass"] is all(f["pass"] for f in report["facts"])
    assert decided > undecided, "most values lie within the rounding of their printed bounds"
    return decided


def test_facts_table_all_pass(run):
    """The default run (synthetic baseline) prints one row per check for each of the nine facts,
    no FAIL, ends with '9 of 9 facts pass' and exits 0."""
    proc = run("facts")
    assert proc.returncode == 0, describe(proc)
    lines = proc.stdout.splitlines()
    assert lines[0].startswith("Facts of docs/model.md section 8 on "), proc.stdout
    assert "FAIL" not in proc.stdout
    assert lines[-1] == "9 of 9 facts pass", proc.stdout
    numbers = {int(m.group(1)) for m in (re.match(r"(\d)\. \S", l) for l in lines) if m}
    assert numbers == set(range(1, 10)), proc.stdout
    rows = [l for l in lines[2:-1] if l.strip()]
    assert rows and all(l.rstrip().endswith(" pass") for l in rows), proc.stdout


def test_facts_json_verdicts_follow_the_targets(all_facts):
    """The JSON has the nine facts numbered 1 to 9, each passing, and a top-level pass; every
    check's pass equals an independent reading of its printed target against its simulated value
    (bounds are printed to 4 significant digits: a value within their rounding is not judged)."""
    proc, report = all_facts
    assert proc.returncode == 0, describe(proc)
    assert [f["number"] for f in report["facts"]] == list(range(1, 10))
    assert report["pass"] is True
    assert all(f["pass"] is True for f in report["facts"]), report
    for fact in report["facts"]:
        assert fact["title"] and fact["source"], fact
    check_verdicts(report)


def test_facts_say_which_are_calibrations_and_which_emerge(run, all_facts):
    """A fact that a parameter sets is labelled a calibration and names that parameter, one that
    `bridges params` documents; the others are labelled emergent and name none."""
    _, report = all_facts
    params = run("params")
    assert params.returncode == 0, describe(params)
    kinds = {f["number"]: f["kind"] for f in report["facts"]}
    assert kinds == {1: "calibration", 2: "calibration", 3: "calibration", 4: "emergent",
                     5: "calibration", 6: "calibration", 7: "emergent", 8: "emergent",
                     9: "emergent"}, kinds
    for fact in report["facts"]:
        if fact["kind"] == "emergent":
            assert fact["set_by"] == "", fact
        else:
            first = fact["set_by"].split(",")[0].split(" ")[0]
            assert f"`{first}`" in params.stdout, fact


def test_one_fact_alone_matches_the_full_run(run, all_facts):
    """`--fact 5` measures fact 5 only, and its simulated value is exactly the full run's."""
    proc, report = facts_json(run, "--fact", 5)
    assert proc.returncode == 0, describe(proc)
    assert [f["number"] for f in report["facts"]] == [5]
    full = next(f for f in all_facts[1]["facts"] if f["number"] == 5)
    got = report["facts"][0]
    assert [c["measure"] for c in got["checks"]] == [c["measure"] for c in full["checks"]]
    assert [c["simulated"] for c in got["checks"]] == [c["simulated"] for c in full["checks"]]
    assert got["pass"] == full["pass"]


def test_facts_are_bit_reproducible_across_threads(run):
    """A paired fact (3: baseline against a disaster) prints the same JSON, to the last digit, on
    1 and on 2 threads."""
    one = run("facts", "--fact", 3, "--format", "json", "--threads", 1)
    two = run("facts", "--fact", 3, "--format", "json", "--threads", 2)
    assert one.returncode == 0, describe(one)
    assert two.returncode == 0, describe(two)
    assert [f["number"] for f in json.loads(one.stdout)["facts"]] == [3]
    assert one.stdout == two.stdout


def test_a_failing_fact_exits_1(run):
    """With every sender remitting half of the earnings fact 1 (12-20% of earnings) fails: the table
    says FAIL and '0 of 1 facts pass', the JSON says pass false, and both exit 1; the failing
    verdicts also agree with the printed targets."""
    table = run("facts", "--fact", 1, "--set", FACT_1_BREAKER)
    assert table.returncode == 1, describe(table)
    assert "FAIL" in table.stdout
    assert table.stdout.splitlines()[-1] == "0 of 1 facts pass", table.stdout
    proc, report = facts_json(run, "--fact", 1, "--set", FACT_1_BREAKER)
    assert proc.returncode == 1, describe(proc)
    assert [f["number"] for f in report["facts"]] == [1]
    assert report["pass"] is False and report["facts"][0]["pass"] is False
    assert any(c["pass"] is False for c in report["facts"][0]["checks"])
    check_verdicts(report)


@pytest.mark.parametrize("args, named", [
    (("--fact", 10), "--fact"),
    (("--world", "/nonexistent.yaml"), "/nonexistent.yaml"),
    (("--set", "nosuchkey=1"), "nosuchkey"),
    (("--world", str(REPO / "scenarios" / "experiments" / "cost_cut.yaml")), "an experiment file"),
], ids=["fact-out-of-range", "missing-world", "unknown-key", "experiment-file"])
def test_facts_bad_input_exits_2(run, args, named):
    """A fact number outside 1-9, a missing scenario file, an unknown key or an experiment file
    instead of a scenario exits 2, names the culprit on stderr and measures nothing."""
    proc = run("facts", *args)
    assert proc.returncode == 2, describe(proc)
    assert named in proc.stderr, describe(proc)
    assert "facts pass" not in proc.stdout, describe(proc)
