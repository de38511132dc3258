"""tools/import-world-data: the UN DESA, World Bank and Remittance Prices Worldwide files of the
source folder converted into countries.csv, corridors.csv, the history tables and
import_report.txt (docs/world-data.md). Each check compares the output with figures computed here
from the source files themselves, or with the figures their SOURCE.txt files state.

The source files are not part of the repository: they are read from `../shared/data` next to it,
and the checks are skipped when that folder does not exist.
"""

import csv
import re
import shutil
import subprocess

import pytest

from conftest import REPO, describe

IMPORTER = REPO / "tools" / "import-world-data"
SOURCE = REPO.parent / "shared" / "data"
UN_MATRIX = SOURCE / "undesa-migrant-stock" / "UN_MigrantStockByOriginAndDestination_2019_clean.csv"
UN_TOTALS = SOURCE / "undesa-migrant-stock" / "stock_totals_2020.csv"
WB_DIR = SOURCE / "wb-bilateral-2017"

COUNTRY_HEADER = ("iso3,name,region,population,gdp_per_capita_usd,price_level,price_level_source,"
                  "poverty_headcount,poverty_year")
CORRIDOR_HEADER = ("origin,host,stock_wb_2017,stock_un_2019,stock_un_2020,"
                   "remittances_wb_2017_usd,cost_formal,cost_source,distance_km")
HISTORY_HEADERS = {
    "history_countries.csv": "iso3,year,gdp_per_capita_usd,fx_lcu_per_usd,price_index,"
                             "unemployment_rate,population,filled",
    "history_stocks.csv": "origin,host,year,stock",
    "history_costs.csv": "origin,host,year,cost_formal",
    "history_inflows.csv": "iso3,region,income_group,year,remittances_usd",
    "history_outflows.csv": "iso3,year,remittances_usd",
    "history_aggregates.csv": "code,name,year,remittances_usd",
    "history_mex_monthly.csv": "month,flow,value_usd",
}
OUTPUTS = ("countries.csv", "corridors.csv", "import_report.txt") + tuple(HISTORY_HEADERS)
REGIONS = {"Africa", "Asia", "Europe", "Latin America and the Caribbean", "Northern America",
           "Oceania"}
# Stated in wb-bilateral-2017/SOURCE.txt.
WORLD_REMITTANCES_USD = 613.5e9
# Codes of World Bank and UN aggregates (world, regions, income groups) and non-ISO codes.
AGGREGATE_CODES = {"WLD", "WORLD", "EAS", "ECS", "LCN", "MEA", "NAC", "SAS", "SSF", "HIC", "LIC",
                   "LMC", "LMY", "MIC", "UMC", "OED", "EUU", "ARB", "CHI", "GAZ", "ANT", "KSV"}


def needs_source():
    if not SOURCE.is_dir():
        pytest.skip(f"the source data folder {SOURCE} does not exist")


def importer(*args):
    return subprocess.run([str(IMPORTER)] + [str(a) for a in args], capture_output=True,
                          text=True, timeout=300, stdin=subprocess.DEVNULL)


def read_rows(path):
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def number(text):
    return float(text) if text not in ("", "..", "-", "NA") else 0.0


def copy_source(dest):
    """A writable copy of the source folder (plain files, so that a test can break one)."""
    for path in sorted(SOURCE.rglob("*")):
        target = dest / path.relative_to(SOURCE)
        if path.is_dir():
            target.mkdir(parents=True, exist_ok=True)
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target)
    return dest


def wb_matrix(name, sheet):
    """{(row name, column name): value} of a World Bank matrix, read here with openpyxl."""
    import openpyxl

    book = openpyxl.load_workbook(WB_DIR / name, read_only=True, data_only=True)
    rows = list(book[sheet].iter_rows(values_only=True))
    book.close()
    header = [c for c in rows[1][1:] if c is not None]
    cells = {}
    for row in rows[2:]:
        if row[0] is None:
            break
        for j, col in enumerate(header, start=1):
            if isinstance(row[j], (int, float)):
                cells[(row[0].strip(), col.strip())] = float(row[j])
    return cells


@pytest.fixture(scope="module")
def imported(tmp_path_factory):
    needs_source()
    out = tmp_path_factory.mktemp("world") / "out"
    proc = importer("--source", SOURCE, "--output", out)
    assert proc.returncode == 0, describe(proc)
    return {"proc": proc, "dir": out,
            "countries": read_rows(out / "countries.csv"),
            "corridors": read_rows(out / "corridors.csv"),
            "report": (out / "import_report.txt").read_text(encoding="utf-8")}


@pytest.fixture(scope="module")
def corridor(imported):
    return {(r["origin"], r["host"]): r for r in imported["corridors"]}


@pytest.fixture(scope="module")
def un_2019():
    """The UN 2019 matrix as {(destination name, origin name): persons} and the origin names."""
    needs_source()
    with open(UN_MATRIX, encoding="utf-8", newline="") as f:
        reader = csv.reader(f)
        header = next(reader)
        origins = header[2:]
        cells = {}
        for row in reader:
            if row[0] == "2019":
                for name, value in zip(origins, row[2:]):
                    cells[(row[1], name)] = number(value)
    return cells, origins


def test_writes_the_ten_files_and_prints_the_coverage(imported):
    out = imported["dir"]
    assert sorted(p.name for p in out.iterdir()) == sorted(OUTPUTS), \
        f"{out} holds {sorted(p.name for p in out.iterdir())} (temporary files left?)"
    stdout = imported["proc"].stdout
    assert "Coverage" in stdout and "remittances" in stdout, describe(imported["proc"])
    assert imported["proc"].stderr == "", describe(imported["proc"])


def test_csv_files_have_the_documented_header(imported):
    for name, header in (("countries.csv", COUNTRY_HEADER), ("corridors.csv", CORRIDOR_HEADER)):
        data = (imported["dir"] / name).read_bytes()
        assert data.decode("utf-8").split("\n", 1)[0] == header, name
        assert data.endswith(b"\n") and b"\r" not in data, name


def test_un_stock_coverage(imported, un_2019):
    cells, origins = un_2019
    # Destination rows whose name is no origin column are the UN's regional sums (Caribbean...).
    total = sum(v for (dest, _), v in cells.items() if dest in origins)
    kept = sum(number(r["stock_un_2019"]) for r in imported["corridors"])
    assert 0.95 * total <= kept <= total, (kept, total)
    # Against the UN's world total for 2019, which includes migrants of unknown origin.
    world = re.search(r"UN 2019 world total \(incl\. unknown origins\) ([\d,]+)",
                      imported["report"])
    assert world and int(world.group(1).replace(",", "")) == 271642105, imported["report"]
    assert kept >= 0.95 * 271642105


def test_wb_stock_coverage(imported):
    cells = wb_matrix("WB_Bilateral_Estimates_Migrant_Stocks_2017.xlsx",
                      "Bilateral_Migration_2017")
    world = sum(v for (r, c), v in cells.items() if "World" not in (r, c))
    assert world == 266143792       # SOURCE.txt
    # 'Other North' and 'Other South' are migrants the matrix gives no country to.
    named = sum(v for (r, c), v in cells.items()
                if not {r, c} & {"World", "Other North", "Other South"})
    kept = sum(number(r["stock_wb_2017"]) for r in imported["corridors"])
    assert 0.99 * named <= kept <= named, (kept, named)
    assert kept >= 0.94 * world


def test_remittance_coverage(imported):
    cells = wb_matrix("WB_Bilateral_Remittance_Estimates_2017.xlsx",
                      "Bilateral_Remittances_2017")
    world = sum(v for (r, c), v in cells.items() if r == "WORLD" and c != "WORLD") * 1e6
    kept = sum(number(r["remittances_wb_2017_usd"]) for r in imported["corridors"])
    assert 0.95 * world <= kept <= world * 1.000001, (kept, world)
    assert abs(kept - WORLD_REMITTANCES_USD) <= 0.01 * WORLD_REMITTANCES_USD, kept


def test_spot_checks_from_source_txt(corridor):
    mex_usa = corridor[("MEX", "USA")]
    assert mex_usa["stock_wb_2017"] == "11573680"
    assert mex_usa["stock_un_2019"] == "11489684"
    assert float(mex_usa["remittances_wb_2017_usd"]) == pytest.approx(30.0e9, rel=0.01)
    assert corridor[("IND", "ARE")]["stock_un_2019"] == "3419875"
    # Orientation: Mexicans in the USA send far more to Mexico (US$30 bn) than Americans in
    # Mexico send home (US$1.8 bn).
    usa_mex = corridor[("USA", "MEX")]
    assert float(usa_mex["remittances_wb_2017_usd"]) < 0.1 * float(
        mex_usa["remittances_wb_2017_usd"])


def test_top_receivers_and_senders(imported):
    received, sent = {}, {}
    for r in imported["corridors"]:
        v = number(r["remittances_wb_2017_usd"])
        received[r["origin"]] = received.get(r["origin"], 0) + v
        sent[r["host"]] = sent.get(r["host"], 0) + v
    # wb-bilateral-2017/SOURCE.txt: India 69.0, China 63.9 bn received; USA 148.5 bn sent.
    assert received["IND"] == pytest.approx(69.0e9, rel=0.01)
    assert received["CHN"] == pytest.approx(63.9e9, rel=0.01)
    assert sent["USA"] == pytest.approx(148.5e9, rel=0.01)
    assert max(received, key=received.get) == "IND"


def test_no_aggregates_and_only_known_codes(imported):
    with open(UN_TOTALS, encoding="utf-8", newline="") as f:
        un_codes = {r["alpha3"] for r in csv.DictReader(f) if r["alpha3"] not in ("", "NA")}
    codes = [r["iso3"] for r in imported["countries"]]
    assert codes == sorted(set(codes)), "countries.csv is not sorted by unique iso3"
    assert all(re.fullmatch(r"[A-Z]{3}", c) for c in codes)
    assert not set(codes) & AGGREGATE_CODES
    # Every code is a UN-listed country or area, except Kosovo (XKX, World Bank only).
    assert set(codes) - un_codes <= {"XKX"}, sorted(set(codes) - un_codes)
    names = {r["name"].casefold() for r in imported["countries"]}
    assert not names & {"world", "other north", "other south", "caribbean", "micronesia"}
    assert all("*" not in r["name"] and r["name"] for r in imported["countries"])


def test_corridors_join_countries(imported):
    codes = {r["iso3"] for r in imported["countries"]}
    keys = [(r["origin"], r["host"]) for r in imported["corridors"]]
    assert keys == sorted(set(keys)), "corridors.csv is not sorted by unique (origin, host)"
    assert len(keys) > 10000
    for r in imported["corridors"]:
        assert r["origin"] in codes and r["host"] in codes, r
        assert r["origin"] != r["host"], r
        values = [number(r[k]) for k in ("stock_wb_2017", "stock_un_2019", "stock_un_2020",
                                         "remittances_wb_2017_usd")]
        assert max(values) > 0 and min(values) >= 0, r


def test_costs_are_fractions_with_their_source(imported, corridor):
    with_cost = 0
    for r in imported["corridors"]:
        if r["cost_formal"]:
            with_cost += 1
            assert 0 < float(r["cost_formal"]) < 1, r
            assert r["cost_source"] in ("rpw_2017", "phi_2017"), r
        else:
            assert r["cost_source"] == "", r
    assert with_cost >= 300
    # USA -> Mexico: the mean of RPW's four 2017 quarters, in percent in the source.
    rpw = next((SOURCE / "rpw-corridors").glob("*_Data.csv"))
    with open(rpw, encoding="utf-8-sig", newline="") as f:
        for row in csv.DictReader(f):
            row = {" ".join(k.split()): v for k, v in row.items()}
            if (row["Sending Countries Code"], row["Receiving Countries Code"]) == ("USA", "MEX"):
                quarters = [float(v) for k, v in row.items() if k.startswith("2017Q")]
                break
    assert len(quarters) == 4
    assert corridor[("MEX", "USA")]["cost_source"] == "rpw_2017"
    assert float(corridor[("MEX", "USA")]["cost_formal"]) == pytest.approx(
        sum(quarters) / 4 / 100, rel=1e-12)


def test_distances(corridor):
    assert float(corridor[("MEX", "USA")]["distance_km"]) == pytest.approx(2424, abs=5)
    filled = sum(1 for r in corridor.values() if r["distance_km"])
    assert filled >= 0.95 * len(corridor)


def test_un_2020_stocks_sum_to_the_2020_totals(imported):
    with open(UN_TOTALS, encoding="utf-8", newline="") as f:
        totals = {r["alpha3"]: float(r["fb"]) for r in csv.DictReader(f)
                  if r["year"] == "2020" and r["alpha3"] not in ("", "NA")
                  and r["fb"] not in ("", "NA")}
    sums, sums_2019 = {}, {}
    for r in imported["corridors"]:
        if r["stock_un_2020"]:
            sums[r["host"]] = sums.get(r["host"], 0) + int(r["stock_un_2020"])
            sums_2019[r["host"]] = sums_2019.get(r["host"], 0) + int(r["stock_un_2019"])
    checked = [h for h in sums if h in totals and sums_2019[h] > 0]
    assert len(checked) >= 200
    for h in checked:
        assert sums[h] == totals[h], (h, sums[h], totals[h])
    assert sums["USA"] == 50632836     # the 2020 workbook's United States of America


def test_countries_values(imported):
    country = {r["iso3"]: r for r in imported["countries"]}
    assert {r["region"] for r in imported["countries"]} <= REGIONS | {""}
    assert sum(1 for r in imported["countries"] if not r["region"]) == 0
    expected = {"MEX": "Latin America and the Caribbean", "USA": "Northern America",
                "IND": "Asia", "NGA": "Africa", "DEU": "Europe", "AUS": "Oceania",
                "XKX": "Europe", "HKG": "Asia"}
    for code, region in expected.items():
        assert country[code]["region"] == region, code
    # 2017 population between the UN's 2015 and 2020 values (USA: 320.9 M and 331.0 M).
    assert 322e6 < int(country["USA"]["population"]) < 327e6
    assert float(country["USA"]["gdp_per_capita_usd"]) == pytest.approx(59531.66, rel=1e-6)
    assert country["VEN"]["gdp_per_capita_usd"] == ""      # '..' in WDI
    # Every country of the World Bank matrices is listed, Channel Islands excepted (no ISO3).
    assert len(country) >= 214


def history_rows(name):
    with open(SOURCE / "history" / name, newline="", encoding="utf-8") as f:
        return {(r["iso3"], int(r["year"])): r for r in csv.DictReader(f)}


def test_price_levels_and_poverty_headcounts(imported):
    """Price level: private consumption PPP over the market rate, 2017; headcount: the survey
    nearest 2017 within five years, the earlier on a tie (history/SOURCE.txt)."""
    needs_source()
    ppp, wdi = history_rows("drivers_ppp_poverty.csv"), history_rows("drivers_wdi.csv")
    country = {r["iso3"]: r for r in imported["countries"]}
    for code in ("MEX", "PHL", "BGD", "NGA", "ETH", "IND", "USA"):
        expected = float(ppp[code, 2017]["ppp_private_consumption"]) / float(wdi[code, 2017]["fx_lcu_per_usd"])
        assert float(country[code]["price_level"]) == pytest.approx(expected, rel=1e-12), code
        assert country[code]["price_level_source"] == "private_consumption"
        surveys = sorted((abs(y - 2017), y) for (c, y), r in ppp.items()
                         if c == code and r["poverty_215_pct"] and abs(y - 2017) <= 5)
        year = surveys[0][1]
        assert int(country[code]["poverty_year"]) == year, code
        assert float(country[code]["poverty_headcount"]) == pytest.approx(
            float(ppp[code, year]["poverty_215_pct"]) / 100, rel=1e-12), code
    assert country["MEX"]["poverty_year"] == "2016"     # 2016 and 2018 are as near: the earlier
    assert 0.2 < float(country["ETH"]["price_level"]) < 0.5
    assert "price_level in 2017" in imported["report"]


def test_report_lists_files_and_unmatched_names(imported):
    report = imported["report"]
    for name in ("UN_MigrantStockByOriginAndDestination_2019_clean.csv", "phi.csv",
                 "WB_Bilateral_Remittance_Estimates_2017.xlsx", "_Data.csv"):
        assert name in report, name
    assert re.search(r"^\s+Channel Islands: [\d,]+ persons$", report, re.M), report
    share = re.search(r"remittances, WB 2017 WORLD total .*\(([\d.]+)%\)", report)
    assert share and float(share.group(1)) >= 99.0, report


def test_second_run_is_byte_identical_with_default_source(imported, tmp_path):
    out = tmp_path / "again"
    proc = importer("--output", out, "--quiet")      # the default source is ../shared/data
    assert proc.returncode == 0, describe(proc)
    assert proc.stdout == "", describe(proc)
    for name in OUTPUTS:
        assert (out / name).read_bytes() == (imported["dir"] / name).read_bytes(), name


@pytest.mark.parametrize("missing", [
    "wb-bilateral-2017/phi.csv",
    "undesa-migrant-stock/UN_MigrantStockByOriginAndDestination_2019_clean.csv",
    "wb-bilateral-2017/WB_Bilateral_Remittance_Estimates_2017.xlsx",
    "rpw-corridors/*_Data.csv",
    "history/drivers_ppp_poverty.csv",
    "history/stocks_bilateral.csv",
    "history/knomad_outflows_2010_2019.csv",
    "history/banxico_mex_monthly_2010_2019.csv",
])
def test_missing_file_exits_2_and_writes_nothing(tmp_path, missing):
    needs_source()
    src = copy_source(tmp_path / "src")
    for path in src.glob(missing):
        path.unlink()
    out = tmp_path / "out"
    proc = importer("--source", src, "--output", out)
    assert proc.returncode == 2, describe(proc)
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("import-world-data: error:"), describe(proc)
    assert missing.split("/")[-1].replace("*", "") in lines[0], describe(proc)
    assert not out.exists(), f"{out} was created"


@pytest.mark.parametrize("target, content, expected", [
    ("wb-bilateral-2017/distances.csv", "from,to,km\nUSA,MEX,3000\n", "'orig'"),
    ("wb-bilateral-2017/GDPpercap2017.xlsx", None, "'Data'"),
    ("undesa-migrant-stock/stock_totals_2020.csv", "alpha3,name\nUSA,United States\n",
     "'country_code'"),
    ("history/drivers_ppp_poverty.csv",
     "iso3,year,ppp_private_consumption,price_level_ratio,poverty_215_pct\nMEX,2017,x,,\n",
     ":2:3: column 'ppp_private_consumption'"),
])
def test_malformed_file_exits_2_naming_the_file(tmp_path, target, content, expected):
    needs_source()
    src = copy_source(tmp_path / "src")
    path = src / target
    if content is None:
        # A workbook without the expected sheet: the remittance workbook under this name.
        shutil.copyfile(WB_DIR / "WB_Bilateral_Remittance_Estimates_2017.xlsx", path)
    else:
        path.write_text(content, encoding="utf-8")
    out = tmp_path / "out"
    proc = importer("--source", src, "--output", out)
    assert proc.returncode == 2, describe(proc)
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and path.name in lines[0] and expected in lines[0], describe(proc)
    assert not out.exists()


def test_missing_source_folder_exits_2(tmp_path):
    proc = importer("--source", tmp_path / "nowhere", "--output", tmp_path / "out")
    assert proc.returncode == 2, describe(proc)
    assert "nowhere" in proc.stderr and not (tmp_path / "out").exists()


# ---------------------------------------------------------------------------------------------
# History tables

HISTORY = SOURCE / "history"
YEARS = range(1990, 2025)
STOCK_YEARS = range(1990, 2021, 5)
COST_YEARS = range(2011, 2021)
OUTCOME_YEARS = range(2010, 2020)
# history_countries.csv: the columns taken from drivers_wdi.csv, in the order of `filled`.
FILLED_ORDER = ["gdp_per_capita_usd", "fx_lcu_per_usd", "price_index", "unemployment_rate",
                "population"]
WDI_SOURCE = {"gdp_per_capita_usd": "gdp_pc_usd", "fx_lcu_per_usd": "fx_lcu_per_usd",
              "unemployment_rate": "unemployment_pct", "population": "population"}


@pytest.fixture(scope="module")
def history(imported):
    return {name: read_rows(imported["dir"] / name) for name in HISTORY_HEADERS}


def source_rows(name):
    with open(HISTORY / name, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def rpw_source():
    """{(sender, receiver): row} of the RPW export, header names with single spaces."""
    path = next((SOURCE / "rpw-corridors").glob("*_Data.csv"))
    with open(path, encoding="utf-8-sig", newline="") as f:
        rows = [{" ".join(k.split()): v for k, v in row.items()} for row in csv.DictReader(f)]
    return {(r["Sending Countries Code"], r["Receiving Countries Code"]): r for r in rows
            if r["Series Code"] == "ATCR.CORR"}


def test_history_files_have_the_documented_header(imported):
    for name, header in HISTORY_HEADERS.items():
        data = (imported["dir"] / name).read_bytes()
        assert data.decode("utf-8").split("\n", 1)[0] == header, name
        assert data.endswith(b"\n") and b"\r" not in data, name


def test_history_countries_cover_every_code_with_a_value_and_every_year(history):
    wdi = history_rows("drivers_wdi.csv")
    columns = list(WDI_SOURCE.values()) + ["cpi_inflation_pct"]
    with_value = sorted({code for (code, _), r in wdi.items() if any(r[c] for c in columns)})
    assert {"CHI", "XKX", "USA", "MEX"} <= set(with_value)
    keys = [(r["iso3"], int(r["year"])) for r in history["history_countries.csv"]]
    assert keys == [(code, y) for code in with_value for y in YEARS]


def test_history_countries_values_are_read_or_flagged_as_filled(history):
    """A value of the source is written as read and not flagged; a missing one is filled and
    flagged when the country has the column in some year, else the cell is empty. price_index is
    flagged where an inflation rate between the year and 2017 is missing."""
    wdi = history_rows("drivers_wdi.csv")
    rows = history["history_countries.csv"]
    codes = {r["iso3"] for r in rows}
    has = {(code, c): any(wdi[code, y][c] for y in YEARS)
           for code in codes for c in list(WDI_SOURCE.values()) + ["cpi_inflation_pct"]}
    flagged = {c: 0 for c in FILLED_ORDER}
    for r in rows:
        code, year = r["iso3"], int(r["year"])
        src = wdi[code, year]
        filled = r["filled"].split(";") if r["filled"] else []
        assert filled == [c for c in FILLED_ORDER if c in filled], r
        for c in filled:
            flagged[c] += 1
        for column, source in WDI_SOURCE.items():
            if src[source]:
                assert column not in filled, (r, column)
                if column == "population":
                    assert int(r[column]) == round(float(src[source])), r
                else:
                    scale = 100 if column == "unemployment_rate" else 1
                    assert float(r[column]) == pytest.approx(float(src[source]) / scale,
                                                             rel=1e-15), (r, column)
            elif has[code, source]:
                assert column in filled and r[column] != "", (r, column)
            else:
                assert column not in filled and r[column] == "", (r, column)
        between = range(year + 1, 2018) if year < 2017 else range(2018, year + 1)
        missing = any(not wdi[code, y]["cpi_inflation_pct"] for y in between)
        if not has[code, "cpi_inflation_pct"]:
            assert r["price_index"] == "" and "price_index" not in filled, r
        else:
            assert r["price_index"] != "" and ("price_index" in filled) == missing, r
    # Unemployment has no 1990 value and nothing has 2024 inflation or GDP: filled everywhere.
    assert all("unemployment_rate" in r["filled"] for r in rows
               if r["year"] == "1990" and r["unemployment_rate"])
    assert all("gdp_per_capita_usd" in r["filled"] for r in rows
               if r["year"] == "2024" and r["gdp_per_capita_usd"])
    assert flagged["population"] == 0 and min(flagged.values()) == 0
    assert flagged["price_index"] > 100


def test_price_index_is_1_in_2017_and_compounds_inflation(history):
    wdi = history_rows("drivers_wdi.csv")
    index = {(r["iso3"], int(r["year"])): r["price_index"]
             for r in history["history_countries.csv"]}
    assert {v for (_, y), v in index.items() if y == 2017} == {"1.0", ""}
    for code in ("USA", "MEX", "IND", "NGA", "ARG"):
        pct = {y: float(wdi[code, y]["cpi_inflation_pct"]) for y in range(2015, 2020)}
        assert index[code, 2017] == "1.0"
        assert float(index[code, 2018]) == 1.0 * (1 + pct[2018] / 100), code
        assert float(index[code, 2019]) == (1 + pct[2018] / 100) * (1 + pct[2019] / 100), code
        assert float(index[code, 2016]) == 1.0 / (1 + pct[2017] / 100), code
        assert float(index[code, 2015]) == 1.0 / (1 + pct[2017] / 100) / (1 + pct[2016] / 100)
    # The Democratic Republic of the Congo's 26,762% of 1994: prices times 268.6 in a year.
    assert float(index["COD", 1994]) / float(index["COD", 1993]) == pytest.approx(
        1 + float(wdi["COD", 1994]["cpi_inflation_pct"]) / 100, rel=1e-12)
    # Venezuela has no inflation after 2014 in WDI: its index is held at the 2017 level.
    assert all(index["VEN", y] == "1.0" for y in range(2014, 2025))


def test_history_stocks_mexico_united_states_and_totals(history):
    rows = history["history_stocks.csv"]
    keys = [(r["origin"], r["host"], int(r["year"])) for r in rows]
    assert keys == sorted(set(keys))
    mex_usa = {int(r["year"]): int(r["stock"]) for r in rows
               if (r["origin"], r["host"]) == ("MEX", "USA")}
    assert sorted(mex_usa) == list(STOCK_YEARS)
    # history/SOURCE.txt: 4.30 M (1990), 9.41 M (2000), 12.17 M (2010), 10.85 M (2020).
    for year, persons in ((1990, 4.30e6), (2000, 9.41e6), (2010, 12.17e6), (2020, 10.85e6)):
        assert mex_usa[year] == pytest.approx(persons, abs=0.005e6), year
    totals = {y: sum(int(r["stock"]) for r in rows if r["year"] == str(y)) for y in STOCK_YEARS}
    for year, persons in ((1990, 144.3e6), (2000, 166.2e6), (2010, 212.2e6), (2015, 237.0e6),
                          (2020, 267.9e6)):
        assert totals[year] == pytest.approx(persons, abs=0.05e6), year
    # Every pair with a stock has all seven years, 0 where the source has no row.
    source = {(r["origin_iso3"], r["dest_iso3"], int(r["year"])): int(r["stock"])
              for r in source_rows("stocks_bilateral.csv")}
    pairs = {(o, h) for (o, h, _), v in source.items() if v > 0}
    assert len(rows) == len(STOCK_YEARS) * len(pairs)
    assert all(int(r["stock"]) == source.get((r["origin"], r["host"], int(r["year"])), 0)
               for r in rows)
    assert any(r["stock"] == "0" for r in rows)


def test_history_costs_are_yearly_means_of_the_quarters(history, corridor):
    rows = history["history_costs.csv"]
    keys = [(r["origin"], r["host"], int(r["year"])) for r in rows]
    assert keys == sorted(set(keys))
    assert {y for _, _, y in keys} == set(COST_YEARS)
    assert all(0 < float(r["cost_formal"]) < 1 for r in rows)
    # rpw-corridors/SOURCE.txt: 377 corridors with any data (one to the Netherlands Antilles,
    # which has no country code now).
    assert len({(o, h) for o, h, _ in keys}) == 376
    usa_mex = rpw_source()[("USA", "MEX")]
    costs = {int(r["year"]): float(r["cost_formal"]) for r in rows
             if (r["origin"], r["host"]) == ("MEX", "USA")}
    assert sorted(costs) == list(COST_YEARS)
    for year, cost in costs.items():
        quarters = [float(v) for k, v in usa_mex.items() if k.startswith(f"{year}Q") and v != ".."]
        assert len(quarters) == (2 if year <= 2012 else 3 if year == 2020 else 4), year
        assert cost == pytest.approx(sum(quarters) / len(quarters) / 100, rel=1e-12), year
    assert costs[2017] == float(corridor[("MEX", "USA")]["cost_formal"])
    # SOURCE.txt: USA -> Mexico 5.01% in 2011Q1.
    assert float(usa_mex["2011Q1 [YR2011Q1]"]) == pytest.approx(5.01, abs=0.005)


def test_recorded_remittances_are_of_2010_to_2019_only(history):
    for name in ("history_inflows.csv", "history_outflows.csv", "history_aggregates.csv"):
        assert {int(r["year"]) for r in history[name]} == set(OUTCOME_YEARS), name
    months = [r["month"] for r in history["history_mex_monthly.csv"]]
    assert months[0] == "2010-01" and months[-1] == "2019-12"
    assert all(re.fullmatch(r"201\d-(0[1-9]|1[0-2])", m) for m in months)


@pytest.mark.parametrize("name, source, key, columns", [
    ("history_inflows.csv", "knomad_inflows_2010_2019.csv", "iso3", ["region", "income_group"]),
    ("history_outflows.csv", "knomad_outflows_2010_2019.csv", "iso3", []),
    ("history_aggregates.csv", "knomad_aggregates_2010_2019.csv", "code", ["name"]),
])
def test_recorded_remittances_in_dollars(history, name, source, key, columns):
    """One row per code and year with a value, the US$ millions of the source times 10^6."""
    expected = {}
    for r in source_rows(source):
        for y in OUTCOME_YEARS:
            if r[f"y{y}"]:
                expected[r["iso3"], y] = (float(r[f"y{y}"]) * 1e6, [r[c] for c in columns])
    rows = history[name]
    keys = [(r[key], int(r["year"])) for r in rows]
    assert keys == sorted(expected)
    for r in rows:
        value, texts = expected[r[key], int(r["year"])]
        assert float(r["remittances_usd"]) == pytest.approx(value, rel=1e-15), r
        assert [r[c] for c in columns] == texts, r
    if name == "history_aggregates.csv":
        world = {int(r["year"]): r["remittances_usd"] for r in rows if r["code"] == "WLD"}
        assert world[2019] == "726935512000.0"      # 726935.512 US$ millions, no rounding noise


def test_mexico_monthly(history):
    rows = history["history_mex_monthly.csv"]
    source = {(r["month"], r["flow"]): float(r["value_usd"])
              for r in source_rows("banxico_mex_monthly_2010_2019.csv")}
    assert [(r["month"], r["flow"]) for r in rows] == sorted(source)
    assert all(float(r["value_usd"]) == source[r["month"], r["flow"]] for r in rows)
    assert sum(1 for r in rows if r["flow"] == "inflow") == 120
    assert min(r["month"] for r in rows if r["flow"] == "outflow") == "2013-01"
    # Banco de Mexico's 2019 family remittances against KNOMAD's inflows to Mexico in 2019.
    banxico = sum(float(r["value_usd"]) for r in rows
                  if r["flow"] == "inflow" and r["month"].startswith("2019"))
    knomad = next(float(r["remittances_usd"]) for r in history["history_inflows.csv"]
                  if r["iso3"] == "MEX" and r["year"] == "2019")
    assert 0.9 * knomad < banxico <= knomad


def test_report_describes_the_history_tables(imported):
    report = imported["report"]
    for name in HISTORY_HEADERS:
        assert re.search(rf"^  {name}  \d+ rows$", report, re.M), name
    for name in ("stocks_bilateral.csv", "knomad_inflows_2010_2019.csv",
                 "banxico_mex_monthly_2010_2019.csv"):
        assert re.search(rf"^  history/{name}  \d+  [0-9a-f]{{64}}$", report, re.M), name
    assert "1990 144.3 M" in report and "2020 267.9 M" in report
    assert re.search(r"annual inflation above 1,000%: .*COD .*1994 26,762%", report)


def constructed_wdi():
    """A drivers_wdi.csv of three countries: AAA with gaps, BBB with a population only, CCC
    without any value."""
    known = {
        ("AAA", 2000): {"gdp_pc_usd": "100", "unemployment_pct": "5", "population": "1000"},
        ("AAA", 2002): {"gdp_pc_usd": "400"},
        ("AAA", 2010): {"unemployment_pct": "15", "population": "4000"},
        ("AAA", 2016): {"cpi_inflation_pct": "10"},
        ("AAA", 2018): {"cpi_inflation_pct": "20"},
        ("AAA", 2020): {"cpi_inflation_pct": "30"},
        ("BBB", 2005): {"population": "500"},
    }
    columns = ["gdp_pc_usd", "fx_lcu_per_usd", "cpi_inflation_pct", "unemployment_pct",
               "population"]
    lines = ["iso3,year," + ",".join(columns)]
    for code in ("AAA", "BBB", "CCC"):
        for y in YEARS:
            lines.append(f"{code},{y}," + ",".join(known.get((code, y), {}).get(c, "")
                                                   for c in columns))
    return "\n".join(lines) + "\n"


def test_history_countries_fill_rules_on_a_constructed_source(tmp_path):
    needs_source()
    src = copy_source(tmp_path / "src")
    (src / "history" / "drivers_wdi.csv").write_text(constructed_wdi(), encoding="utf-8")
    out = tmp_path / "out"
    proc = importer("--source", src, "--output", out, "--quiet")
    assert proc.returncode == 0, describe(proc)
    rows = {(r["iso3"], int(r["year"])): r for r in read_rows(out / "history_countries.csv")}
    assert sorted({code for code, _ in rows}) == ["AAA", "BBB"]       # CCC has no value
    a = {y: rows["AAA", y] for y in YEARS}
    # GDP per capita: 100 in 2000, 400 in 2002 -> 200 in 2001 (log-linear; linear gives 250);
    # held before and after.
    assert float(a[2001]["gdp_per_capita_usd"]) == pytest.approx(200, rel=1e-12)
    assert a[1990]["gdp_per_capita_usd"] == "100.0" and a[2024]["gdp_per_capita_usd"] == "400.0"
    # Population: 1000 in 2000, 4000 in 2010 -> 2000 in 2005, 1000 x 4^0.1 in 2001.
    assert a[2005]["population"] == "2000" and a[2001]["population"] == str(round(1000 * 4 ** 0.1))
    assert a[1995]["population"] == "1000" and a[2020]["population"] == "4000"
    # Unemployment: 5% in 2000, 15% in 2010 -> linear, as a share.
    assert float(a[2005]["unemployment_rate"]) == pytest.approx(0.10, rel=1e-12)
    assert a[1990]["unemployment_rate"] == "0.05" and a[2024]["unemployment_rate"] == "0.15"
    # No exchange rate at all: empty, not filled.
    assert all(r["fx_lcu_per_usd"] == "" for r in a.values())
    # Inflation 10% in 2016, 20% in 2018, 30% in 2020: 2017 and 2019 interpolated (15%, 25%),
    # 0 before and after.
    assert a[2017]["price_index"] == "1.0"
    assert float(a[2018]["price_index"]) == 1.2
    assert float(a[2019]["price_index"]) == 1.2 * 1.25
    assert float(a[2020]["price_index"]) == 1.2 * 1.25 * 1.3
    assert float(a[2016]["price_index"]) == 1 / 1.15
    assert float(a[2015]["price_index"]) == 1 / 1.15 / 1.1
    assert a[1990]["price_index"] == a[2015]["price_index"]
    assert a[2024]["price_index"] == a[2020]["price_index"]
    # `filled`: exactly the columns filled in each year.
    assert a[2000]["filled"] == "price_index"
    assert a[2001]["filled"] == "gdp_per_capita_usd;price_index;unemployment_rate;population"
    assert a[2002]["filled"] == "price_index;unemployment_rate;population"
    assert a[2010]["filled"] == "gdp_per_capita_usd;price_index"
    assert a[2017]["filled"] == "gdp_per_capita_usd;unemployment_rate;population"
    assert a[2018]["filled"] == "gdp_per_capita_usd;unemployment_rate;population"
    assert a[2019]["filled"] == "gdp_per_capita_usd;price_index;unemployment_rate;population"
    assert a[2020]["filled"] == "gdp_per_capita_usd;price_index;unemployment_rate;population"
    b = {y: rows["BBB", y] for y in YEARS}
    assert all(r["population"] == "500" for r in b.values())
    assert all(r["filled"] == ("" if y == 2005 else "population") for y, r in b.items())
    assert all(r[c] == "" for r in b.values() for c in FILLED_ORDER if c != "population")
    report = (out / "import_report.txt").read_text(encoding="utf-8")
    assert "codes without any value (left out): CCC" in report


def break_cell(src, relative, line, column, value):
    """Writes `value` into the cell of `column` on `line` of a CSV file of the folder `src`;
    returns the file's name and the column's number."""
    path = next(src.glob(relative))
    with open(path, newline="", encoding="utf-8-sig") as f:
        rows = list(csv.reader(f))
    k = [" ".join(h.split()) for h in rows[0]].index(column)
    rows[line - 1][k] = value
    with open(path, "w", newline="", encoding="utf-8") as f:
        csv.writer(f, lineterminator="\n").writerows(rows)
    return path.name, k + 1


def assert_refused_and_nothing_written(proc, out, expected):
    assert proc.returncode == 2, describe(proc)
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("import-world-data: error:"), describe(proc)
    for text in expected:
        assert text in lines[0], (text, describe(proc))
    assert sorted(p.name for p in out.iterdir()) == ["countries.csv"], "a file was written"
    assert (out / "countries.csv").read_bytes() == b"iso3\nOLD\n", "countries.csv was changed"


def old_output(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "countries.csv").write_bytes(b"iso3\nOLD\n")
    return out


@pytest.mark.parametrize("relative, line, column, value, message", [
    ("history/drivers_wdi.csv", 10, "gdp_pc_usd", "12,5", "'12,5' is not a number"),
    ("history/drivers_wdi.csv", 20, "population", "-5", "is not above 0"),
    ("history/drivers_wdi.csv", 30, "cpi_inflation_pct", "-150", "is not above -100"),
    ("history/drivers_wdi.csv", 40, "unemployment_pct", "101", "is not from 0 to 100"),
    ("history/drivers_wdi.csv", 3, "year", "1990", "ABW 1990 is given twice"),
    ("history/stocks_bilateral.csv", 100, "stock", "12.5", "not a whole number"),
    ("history/stocks_bilateral.csv", 100, "year", "1991", "'1991' is not a year"),
    ("history/stocks_bilateral.csv", 2, "dest_iso3", "ABW", "is also the origin"),
    ("rpw-corridors/*_Data.csv", 2, "2017Q1 [YR2017Q1]", "4.5%", "'4.5%' is not a number"),
    ("history/knomad_inflows_2010_2019.csv", 5, "y2015", "n/a", "'n/a' is not a number"),
    ("history/knomad_inflows_2010_2019.csv", 4, "iso3", "ALB", "'ALB' is given twice"),
    ("history/knomad_outflows_2010_2019.csv", 5, "y2012", "-3", "'-3' is negative"),
    ("history/knomad_aggregates_2010_2019.csv", 3, "y2019", "1e", "'1e' is not a number"),
    ("history/banxico_mex_monthly_2010_2019.csv", 2, "month", "2020-01", "is not a month"),
    ("history/banxico_mex_monthly_2010_2019.csv", 3, "flow", "both", "inflow or outflow"),
    ("history/banxico_mex_monthly_2010_2019.csv", 4, "value_usd", "1.2e9x", "'1.2e9x'"),
])
def test_malformed_history_cell_exits_2_naming_the_cell(tmp_path, relative, line, column, value,
                                                        message):
    needs_source()
    src = copy_source(tmp_path / "src")
    name, col = break_cell(src, relative, line, column, value)
    out = old_output(tmp_path)
    proc = importer("--source", src, "--output", out)
    assert_refused_and_nothing_written(proc, out, [f"{name}:{line}:{col}: column '{column}'",
                                                   message])


@pytest.mark.parametrize("name, year, position", [
    ("knomad_inflows_2010_2019.csv", "y2020", None),
    ("knomad_outflows_2010_2019.csv", "y2009", 4),
    ("knomad_aggregates_2010_2019.csv", "2021", None),
])
def test_recorded_remittances_of_another_year_are_refused(tmp_path, name, year, position):
    needs_source()
    src = copy_source(tmp_path / "src")
    path = src / "history" / name
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    k = len(rows[0]) if position is None else position
    rows = [row[:k] + [year if i == 0 else "1.5"] + row[k:] for i, row in enumerate(rows)]
    with open(path, "w", newline="", encoding="utf-8") as f:
        csv.writer(f, lineterminator="\n").writerows(rows)
    out = old_output(tmp_path)
    proc = importer("--source", src, "--output", out)
    assert_refused_and_nothing_written(proc, out, [f"{name}:1:{k + 1}: column '{year}'",
                                                   "2010-2019 only"])
