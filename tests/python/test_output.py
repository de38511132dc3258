"""The output file of one run (docs/output.md), read through h5py, xarray (both the
h5netcdf and netcdf4 engines), `bridges inspect` and `ncdump -h`."""

import datetime as dt
import hashlib
import shutil
import subprocess

import h5py
import numpy as np
import pytest
import xarray as xr
import yaml

from conftest import (BASELINE, BASELINE_MONTHS, BASELINE_SCALE, BASELINE_THREADS, describe)

GROUPS = ("global", "countries", "corridors")
ENGINES = ("h5netcdf", "netcdf4")

FLOWS = ["remit_formal_usd", "remit_informal_usd", "remit_fees_usd", "collective_usd", "matching_usd",
         "investment_usd", "bond_usd", "crisis_aid_usd", "knowledge_transfer_pm"]
REQUIRED = {
    "global": FLOWS + ["ledger_imbalance_usd"],
    "countries": FLOWS + ["sent_usd", "poverty_rate", "consumption_mean_usd", "development_stock_usd",
                          "human_capital_index", "trust_mean", "attachment_mean", "awareness_mean",
                          "program_cost_usd"],
    "corridors": ["remit_formal_usd", "remit_informal_usd", "senders_share", "cost_formal"],
}


def text(value):
    """An HDF5 string attribute or scalar dataset as str."""
    if isinstance(value, bytes):
        return value.decode("utf-8")
    if isinstance(value, np.ndarray) and value.shape == ():
        return text(value[()])
    return str(value)


@pytest.fixture(scope="module")
def baseline_yaml():
    return yaml.safe_load(BASELINE.read_text())


@pytest.fixture(scope="module")
def h5(baseline_h5):
    with h5py.File(baseline_h5, "r") as f:
        yield f


# ---- root attributes and datasets (h5py) ------------------------------------------------------

def test_root_attributes(h5, bridges, baseline_yaml):
    a = h5.attrs
    for key in ("format", "schema_version", "engine_version", "git_commit", "build_type", "seed", "threads",
                "created_utc", "scenario_name", "scenario_sha256", "status"):
        assert key in a, f"root attribute '{key}' is missing; present: {sorted(a.keys())}"
    assert text(a["format"]) == "bridges-output"
    assert int(a["schema_version"]) == 1
    assert text(a["scenario_name"]) == "baseline"
    assert text(a["status"]) == "complete"
    assert int(a["seed"]) == int(baseline_yaml["seed"])
    assert int(a["threads"]) == BASELINE_THREADS
    assert text(a["build_type"]).strip() != ""
    assert text(a["git_commit"]).strip() != ""
    created = dt.datetime.strptime(text(a["created_utc"]), "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=dt.timezone.utc)
    now = dt.datetime.now(dt.timezone.utc)
    assert abs((now - created).total_seconds()) < 3600, f"created_utc {created} is not the time of the run ({now})"


def test_engine_version_and_commit_match_the_binary(h5, run):
    proc = run("--version")
    assert proc.returncode == 0, describe(proc)
    out = proc.stdout + proc.stderr
    assert text(h5.attrs["engine_version"]) in out, describe(proc)
    assert text(h5.attrs["git_commit"]) in out, describe(proc)


def test_scenario_sha256_is_the_file_hash(h5):
    assert text(h5.attrs["scenario_sha256"]) == hashlib.sha256(BASELINE.read_bytes()).hexdigest()


def test_scenario_dataset_is_the_file_verbatim(h5):
    assert "scenario" in h5 and isinstance(h5["scenario"], h5py.Dataset)
    assert h5["scenario"].shape == (), "the scenario text must be a scalar dataset"
    raw = h5["scenario"][()]
    raw = raw if isinstance(raw, bytes) else raw.encode("utf-8")
    assert raw == BASELINE.read_bytes()


def test_scenario_resolved(h5, run):
    assert "scenario_resolved" in h5 and h5["scenario_resolved"].shape == ()
    resolved = text(h5["scenario_resolved"][()])
    assert "amount_share" in resolved
    doc = yaml.safe_load(resolved)
    assert isinstance(doc, dict)
    # every default filled in, every override applied
    assert float(doc["behaviour"]["remit"]["amount_share"]) == pytest.approx(0.15)
    assert float(doc["scale"]) == BASELINE_SCALE
    assert int(doc["months"]) == BASELINE_MONTHS
    assert "population" in doc and "network" in doc
    # the same text as `bridges resolve` with the same overrides
    proc = run("resolve", BASELINE, "--set", f"scale={BASELINE_SCALE}", "--set", f"months={BASELINE_MONTHS}")
    assert proc.returncode == 0, describe(proc)
    assert proc.stdout == resolved


# ---- groups, dimension scales, attributes (h5py) ----------------------------------------------

def datasets(group):
    return {name: obj for name, obj in group.items() if isinstance(obj, h5py.Dataset)}


@pytest.mark.parametrize("group", GROUPS)
def test_group_has_time_dimension_scale(h5, group):
    assert group in h5, f"group /{group} is missing"
    g = h5[group]
    assert "time" in g
    assert g["time"].attrs.get("CLASS") == b"DIMENSION_SCALE"
    assert g["time"].shape == (BASELINE_MONTHS,)
    assert text(g["time"].attrs["units"]) == "days since 2017-01-01"
    assert text(g["time"].attrs["calendar"]) == "standard"
    start = dt.date(2017, 1, 1)
    expected = [(dt.date(2017 + m // 12, 1 + m % 12, 1) - start).days for m in range(BASELINE_MONTHS)]
    assert g["time"][()].tolist() == expected


@pytest.mark.parametrize("group", GROUPS)
def test_every_axis_of_every_variable_has_a_dimension_scale(h5, group):
    g = h5[group]
    checked = 0
    for name, ds in datasets(g).items():
        if ds.attrs.get("CLASS") == b"DIMENSION_SCALE":
            continue
        assert ds.ndim in (1, 2), f"/{group}/{name} has {ds.ndim} dimensions"
        assert "DIMENSION_LIST" in ds.attrs, f"/{group}/{name} has no DIMENSION_LIST"
        for axis in range(ds.ndim):
            scales = ds.dims[axis]
            assert len(scales) == 1, f"/{group}/{name} axis {axis} has {len(scales)} scales attached"
            scale = scales[0]
            assert scale.attrs.get("CLASS") == b"DIMENSION_SCALE"
            assert scale.parent.name == g.name, f"/{group}/{name} axis {axis} uses a scale of another group"
            assert scale.shape == (ds.shape[axis],), f"/{group}/{name} axis {axis}: length differs from its scale"
        if ds.ndim == 2:
            assert ds.dims[0][0].name == f"/{group}/time", f"/{group}/{name}: first axis is not time"
        checked += 1
    assert checked >= len(REQUIRED[group])


@pytest.mark.parametrize("group", GROUPS)
def test_every_variable_has_units_and_long_name(h5, group):
    missing = []
    for name, ds in datasets(h5[group]).items():
        for attr in ("units", "long_name"):
            if attr not in ds.attrs or text(ds.attrs[attr]).strip() == "":
                missing.append(f"/{group}/{name}: {attr}")
    assert not missing, "variables without units or long_name:\n" + "\n".join(missing)


# ---- xarray, both engines ---------------------------------------------------------------------

@pytest.fixture(scope="module", params=ENGINES)
def engine(request):
    return request.param


@pytest.fixture(scope="module")
def xr_groups(baseline_h5, engine):
    out = {}
    for g in GROUPS:
        out[g] = xr.open_dataset(baseline_h5, group=g, engine=engine)
        out[g].load()
    yield out
    for ds in out.values():
        ds.close()


@pytest.mark.parametrize("group", GROUPS)
def test_xarray_time_decodes(xr_groups, group):
    ds = xr_groups[group]
    t = ds["time"].values
    assert np.issubdtype(t.dtype, np.datetime64), f"time decoded as {t.dtype}"
    assert len(t) == BASELINE_MONTHS
    assert t[0] == np.datetime64("2017-01-01")
    assert t[1] == np.datetime64("2017-02-01")
    expected = np.array([f"{2017 + m // 12}-{1 + m % 12:02d}-01" for m in range(BASELINE_MONTHS)],
                        dtype="datetime64[ns]")
    assert np.array_equal(t.astype("datetime64[ns]"), expected)


# Means over an origin's households or diaspora: NaN (their _FillValue) for a country that is no
# origin, where they do not apply.
ORIGIN_MEANS = {"poverty_rate", "consumption_mean_usd", "consumption_volatility", "consumption_migrant_hh_usd",
                "consumption_non_migrant_hh_usd", "income_migrant_hh_usd", "income_non_migrant_hh_usd",
                "human_capital_index", "trust_mean", "attachment_mean", "awareness_mean",
                "org_membership_share", "destination_concentration"}


def test_means_that_do_not_apply_are_the_fill_value(baseline_h5):
    with h5py.File(baseline_h5, "r") as f:
        for name in ORIGIN_MEANS:
            assert np.isnan(f[f"countries/{name}"].fillvalue), name
        assert f["countries/remit_formal_usd"].fillvalue == 0  # a flow: 0 is a value
        assert f["countries/diaspora_members"].fillvalue == 0


@pytest.mark.parametrize("group", GROUPS)
def test_xarray_required_variables(xr_groups, group):
    ds = xr_groups[group]
    missing = [v for v in REQUIRED[group] if v not in ds.data_vars]
    assert not missing, f"/{group} lacks {missing}"
    for v in REQUIRED[group]:
        assert ds[v].dims[0] == "time", f"/{group}/{v} dims {ds[v].dims}"
        if group == "countries":
            assert ds[v].dims == ("time", "country")
        if group == "corridors":
            assert ds[v].dims == ("time", "corridor")
        values = ds[v].values
        if group == "countries" and v in ORIGIN_MEANS:
            origins = sorted(set(int(o) for o in xr_groups["corridors"]["corridor_origin"].values))
            others = [c for c in range(values.shape[1]) if c not in origins]
            assert others, "the baseline has countries that are only hosts"
            assert np.all(np.isfinite(values[:, origins])), f"/{group}/{v} has non-finite values at origins"
            assert np.all(np.isnan(values[:, others])), f"/{group}/{v}: a host's mean is not the fill value"
        else:
            assert np.all(np.isfinite(values)), f"/{group}/{v} has non-finite values"


@pytest.mark.parametrize("group", GROUPS)
def test_xarray_money_is_in_usd(xr_groups, group):
    ds = xr_groups[group]
    money = [v for v in ds.data_vars if v.endswith("_usd")]
    assert set(money) >= {v for v in REQUIRED[group] if v.endswith("_usd")}
    wrong = {v: ds[v].attrs.get("units") for v in money if ds[v].attrs.get("units") != "USD"}
    assert not wrong, f"money variables not in USD: {wrong}"
    if "knowledge_transfer_pm" in ds:
        assert ds["knowledge_transfer_pm"].attrs.get("units") == "person-months"


def test_xarray_ledger_balances_every_month(xr_groups):
    imbalance = xr_groups["global"]["ledger_imbalance_usd"].values
    assert imbalance.shape == (BASELINE_MONTHS,)
    assert np.all(imbalance == 0.0), f"ledger imbalance {imbalance}"


def test_xarray_country_codes(xr_groups, baseline_yaml):
    codes = [str(c) for c in xr_groups["countries"]["country_code"].values]
    expected = [c["code"] for c in baseline_yaml["countries"]]
    assert len(codes) == 8
    assert sorted(codes) == sorted(expected)
    names = [str(n) for n in xr_groups["countries"]["country_name"].values]
    assert {c: n for c, n in zip(codes, names)} == {c["code"]: c["name"] for c in baseline_yaml["countries"]}


def test_xarray_corridor_indices(xr_groups, baseline_yaml):
    codes = [str(c) for c in xr_groups["countries"]["country_code"].values]
    k = xr_groups["corridors"]
    origin = k["corridor_origin"].values
    host = k["corridor_host"].values
    assert np.issubdtype(origin.dtype, np.integer) and np.issubdtype(host.dtype, np.integer)
    assert len(origin) == len(host) == len(baseline_yaml["corridors"])
    assert np.all((origin >= 0) & (origin < len(codes))), origin
    assert np.all((host >= 0) & (host < len(codes))), host
    pairs = {(codes[o], codes[h]) for o, h in zip(origin, host)}
    assert pairs == {(c["origin"], c["host"]) for c in baseline_yaml["corridors"]}


def test_xarray_countries_add_up_to_global(xr_groups):
    g, c = xr_groups["global"], xr_groups["countries"]
    assert np.all(g["remit_formal_usd"].values > 0), "no formal remittances: the sum check would be empty"
    for v in FLOWS:
        total = c[v].values.sum(axis=1)
        assert np.allclose(total, g[v].values, rtol=1e-12, atol=0), f"{v}: countries sum {total} vs global {g[v].values}"


def test_xarray_corridors_add_up_to_origins(xr_groups):
    c, k = xr_groups["countries"], xr_groups["corridors"]
    origin = k["corridor_origin"].values
    for v in ("remit_formal_usd", "remit_informal_usd"):
        by_origin = np.zeros_like(c[v].values)
        for j, o in enumerate(origin):
            by_origin[:, o] += k[v].values[:, j]
        assert np.allclose(by_origin, c[v].values, rtol=1e-12, atol=0), v


def test_engines_agree(baseline_h5):
    for g in GROUPS:
        with xr.open_dataset(baseline_h5, group=g, engine="h5netcdf") as a, \
                xr.open_dataset(baseline_h5, group=g, engine="netcdf4") as b:
            assert set(a.variables) == set(b.variables)
            for v in a.variables:
                nan_is_a_value = a[v].dtype.kind == "f"  # the fill value of means that do not apply
                assert np.array_equal(a[v].values, b[v].values, equal_nan=nan_is_a_value), \
                    f"/{g}/{v} differs between engines"


# ---- the file on disk, inspect, ncdump ----------------------------------------------------------

def test_no_partial_file_left(baseline_run):
    out = baseline_run["path"]
    assert out.exists()
    assert not out.with_name(out.name + ".partial").exists()
    assert sorted(p.name for p in baseline_run["dir"].iterdir()) == [out.name]


def test_run_summary(baseline_run):
    proc = baseline_run["proc"]
    assert "ledger imbalance" in proc.stdout
    assert str(baseline_run["path"]) in proc.stdout


def test_inspect(run, baseline_h5):
    proc = run("inspect", baseline_h5)
    assert proc.returncode == 0, describe(proc)
    assert "remit_formal_usd" in proc.stdout
    assert "status = complete" in proc.stdout
    assert "scenario_name = baseline" in proc.stdout
    # A floating-point attribute is shown with its value, not as '?'.
    with h5py.File(baseline_h5, "r") as f:
        wall = float(f.attrs["wall_seconds"])
    shown = [line.split("=", 1)[1] for line in proc.stdout.splitlines() if line.strip().startswith("wall_seconds =")]
    assert len(shown) == 1 and float(shown[0]) == wall, proc.stdout


def test_inspect_refuses_a_dataset_of_too_many_dimensions(run, tmp_path):
    # HDF5 allows 32 dimensions; a Bridges variable has at most 2. A rank-9 dataset (every
    # dimension 1) must give an error naming it and a non-zero exit, never a crash; the asan suite
    # runs this too.
    bad = tmp_path / "rank9.h5"
    with h5py.File(bad, "w") as f:
        f.create_group("global").create_dataset("deep", data=np.zeros((1,) * 9))
    proc = run("inspect", bad)
    assert proc.returncode != 0, describe(proc)
    assert proc.returncode < 128, describe(proc)  # an error, not a signal
    assert "/global/deep has 9 dimensions" in proc.stderr, describe(proc)


def test_ncdump_header(baseline_h5):
    ncdump = shutil.which("ncdump")
    assert ncdump is not None, "ncdump (netcdf-bin, installed by tools/lib/setup.sh) is missing"
    proc = subprocess.run([ncdump, "-h", str(baseline_h5)], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, describe(proc)
    for g in GROUPS:
        assert f"group: {g} {{" in proc.stdout
    assert "remit_formal_usd(time, country)" in proc.stdout
    assert ':status = "complete"' in proc.stdout
    assert ':Conventions = "CF-1.8"' in proc.stdout
    assert 'remit_formal_usd:cell_methods = "time: sum"' in proc.stdout
    assert 'poverty_rate:cell_methods = "time: mean"' in proc.stdout
    assert 'members:cell_methods = "time: point"' in proc.stdout
    assert proc.stdout.count('time:bounds = "time_bnds"') == len(GROUPS)
    assert "poverty_rate:_FillValue = NaN" in proc.stdout
    assert "remit_formal_usd:_FillValue" not in proc.stdout


def test_cf_cell_methods_and_time_bounds(baseline_h5):
    """Every variable with a time dimension says what it is over time (a flow, USD amounts and
    knowledge transfer, is "time: sum"; rates and means "time: mean"; stocks and counts at the
    end of the month "time: point"), and each month's bounds are its first day and the next
    month's first day."""
    kinds = {}
    with h5py.File(baseline_h5, "r") as f:
        for g in GROUPS:
            time = f[f"{g}/time"][()]
            bounds = f[f"{g}/time_bnds"][()]
            assert bounds.shape == (len(time), 2)
            np.testing.assert_array_equal(bounds[:, 0], time)
            np.testing.assert_array_equal(bounds[1:, 0], bounds[:-1, 1])
            assert np.all(np.isin(np.diff(bounds, axis=1).ravel(), [28, 29, 30, 31]))
            for name, ds in f[g].items():
                if name not in ("time", "time_bnds") and "cell_methods" in ds.attrs:
                    kinds[f"{g}/{name}"] = ds.attrs["cell_methods"].decode()
    assert kinds["global/remit_formal_usd"] == "time: sum"
    assert kinds["countries/poverty_rate"] == kinds["global/poverty_rate"] == "time: mean"
    assert kinds["corridors/members"] == kinds["countries/diaspora_members"] == "time: point"
    for name, kind in kinds.items():
        assert kind in ("time: sum", "time: mean", "time: point"), (name, kind)
        if name.endswith("_usd") and not name.endswith(("_mean_usd", "_hh_usd", "stock_usd")):
            assert kind == "time: sum", (name, kind)
        if name.endswith(("_rate", "_share", "_mean")):
            assert kind == "time: mean", (name, kind)
    with h5py.File(baseline_h5, "r") as f:
        monthly = [f"{g}/{n}" for g in GROUPS for n, ds in f[g].items()
                   if n not in ("time", "time_bnds") and ds.ndim >= 1 and ds.shape[0] == f[f"{g}/time"].shape[0]
                   and ds.dtype.kind == "f"]
    assert sorted(monthly) == sorted(kinds), "every monthly variable has cell_methods"
