"""tools/import-world-data: the UN DESA, World Bank and Remittance Prices Worldwide files of the
source folder converted into countries.csv, corridors.csv and import_report.txt
(docs/world-data.md). Each check compares the output with figures computed here from the source
files themselves, or with the figures their SOURCE.txt files state.

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
OUTPUTS = ("countries.csv", "corridors.csv", "import_report.txt")
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


def test_writes_the_three_files_and_prints_the_coverage(imported):
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
     ":2: column 'ppp_private_consumption'"),
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
