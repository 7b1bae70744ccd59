"""`geo ingest` end to end on the format fixtures: store, re-import, rejects, geocoding, report."""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd
import pytest

from geo.data.schemas import NOT_ATTRIBUTABLE
from geo.data.store import read_events
from geo.sources.ingest import ingest_file

FORMATS = Path(__file__).parent / "fixtures" / "formats"


@pytest.mark.parametrize(("name", "kind"), [("acled_old.csv", "acled"), ("acled_new.csv", "acled"),
                                            ("ucdp_new.csv", "ucdp"), ("ucdp_old.csv", "ucdp")])
def test_each_format_lands_in_the_store_once(tmp_path, admin1, name, kind):
    first = ingest_file(FORMATS / name, store=tmp_path, admin1=admin1)
    assert first.format == kind and first.rejected == 0, first.issues
    assert first.imported == first.rows_read > 0
    stored = read_events(tmp_path)
    assert len(stored) == first.rows_read and stored.event_id.is_unique
    assert stored.region.isin(["Federal Iraq", "Kurdistan Region", "Outside Iraq", NOT_ATTRIBUTABLE]).all()
    again = ingest_file(FORMATS / name, store=tmp_path, admin1=admin1)
    assert (again.imported, again.updated, again.unchanged) == (0, 0, first.rows_read)
    assert len(read_events(tmp_path)) == first.rows_read


def test_updated_rows_replace_older_versions(tmp_path, admin1):
    src = pd.read_csv(FORMATS / "acled_old.csv", dtype=str, keep_default_na=False)
    ingest_file(FORMATS / "acled_old.csv", store=tmp_path, admin1=admin1)
    changed = src.copy()
    changed.loc[0, "fatalities"] = str(int(changed.loc[0, "fatalities"] or 0) + 1)
    (tmp_path / "v2").mkdir()
    path = tmp_path / "v2" / "acled_old.csv"
    changed.to_csv(path, index=False)
    report = ingest_file(path, store=tmp_path, admin1=admin1)
    assert (report.imported, report.updated) == (0, 1)
    stored = read_events(tmp_path).set_index("event_id")
    assert stored.loc[src.loc[0, "event_id_cnty"], "fatalities"] == int(changed.loc[0, "fatalities"])


def test_mixed_file_keeps_good_rows_and_writes_rejects(tmp_path, admin1):
    report = ingest_file(FORMATS / "mixed_bad.csv", store=tmp_path, admin1=admin1)
    assert report.rejected >= 4 and report.imported == report.rows_read - report.rejected
    assert report.swapped >= 1
    errors = report.issues[report.issues.severity == "error"]
    assert {"event_date", "latitude", "fatalities"} <= set(errors.column)
    assert (errors.file == "mixed_bad.csv").all() and errors.row.min() >= 2
    rejected = pd.read_csv(report.rejected_file)
    assert len(rejected) == report.rejected and rejected.problems.str.len().gt(0).all()
    assert "row" in rejected.columns


def test_generic_file_is_geocoded_from_place_names(tmp_path, admin1):
    bare = ingest_file(FORMATS / "generic_places.csv", store=tmp_path / "bare", admin1=admin1)
    assert bare.imported == 0 and "event_type" in set(bare.issues.column)  # never guessed
    report = ingest_file(FORMATS / "generic_places.csv", store=tmp_path, admin1=admin1,
                         defaults={"event_type": "Explosions/Remote violence",
                                   "sub_event_type": "Remote explosive/landmine/IED",
                                   "actor1": "Unidentified Armed Group (Iraq)",
                                   "time_precision": "1"})
    assert report.imported >= 3
    assert sum(report.geocoded.values()) >= 3 and report.geocoded.get("none", 0) <= 2
    stored = read_events(tmp_path)
    assert stored.coord_source.str.startswith("gazetteer:").any()
    assert stored.admin1_code.notna().any()


def test_cli_ingest_and_export_from_the_store(tmp_path, geo_cli):
    res = geo_cli("ingest", str(FORMATS / "acled_new.csv"), "--store", str(tmp_path))
    assert res.returncode == 0, res.stderr
    assert "rows read" in res.stderr and "imported" in res.stderr
    res = geo_cli("export", "--store", str(tmp_path))
    assert res.returncode == 0, res.stderr
    table = pd.read_csv(io.StringIO(res.stdout), dtype=str, keep_default_na=False)
    raw = pd.read_csv(FORMATS / "acled_new.csv", dtype=str, keep_default_na=False)
    assert sorted(table.event_id) == sorted(raw.event_id_cnty)
    bad = geo_cli("ingest", str(tmp_path / "nope.csv"), "--store", str(tmp_path))
    assert bad.returncode == 1 and "file not found" in bad.stderr and "Traceback" not in bad.stderr


def test_excel_files_are_read_like_csv(tmp_path, admin1):
    raw = pd.read_csv(FORMATS / "acled_old.csv", dtype=str, keep_default_na=False)
    path = tmp_path / "acled_old.xlsx"
    raw.to_excel(path, index=False)
    report = ingest_file(path, store=tmp_path / "store", admin1=admin1)
    assert report.format == "acled" and report.imported == len(raw) and report.rejected == 0


def test_source_admin1_disagreement_is_reported_and_the_join_kept(tmp_path, admin1):
    raw = pd.read_csv(FORMATS / "acled_old.csv", dtype=str, keep_default_na=False)
    iraq = raw.index[raw.iso == "368"] if "iso" in raw else raw.index[:1]
    raw.loc[iraq[0], "admin1"] = "Basrah"  # deliberately wrong for a row far from Basra
    path = tmp_path / "acled_disagree.csv"
    raw.to_csv(path, index=False)
    report = ingest_file(path, store=tmp_path / "store", admin1=admin1)
    assert report.admin1_disagreements == 1
    warn = report.issues[report.issues.column == "admin1"].iloc[0]
    assert warn.value == "Basrah" and warn.severity == "warning" and warn.row == iraq[0] + 2
    assert "source_row" not in read_events(tmp_path / "store").columns
