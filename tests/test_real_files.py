"""Real third-party files, as users hand them around, imported as found (issue 12).

The files live in ../shared/data/events/ (provenance and terms in ../shared/data/README.md); they
are never copied into the project. Without that folder (a user's fresh clone) every test here
is skipped with the reason. Each command below is the one docs/import.md documents.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from cli_run import ROOT, run_geo

from geo.data.export import export_frame, read_back, write
from geo.data.schemas import NOT_ATTRIBUTABLE
from geo.data.store import read_events
from geo.sources.attribution import admin1_codes
from geo.sources.ingest import ingest_file

EVENTS_DIR = ROOT.parent / "shared" / "data" / "events"
pytestmark = pytest.mark.skipif(not EVENTS_DIR.is_dir(),
                                reason=f"real third-party files not present ({EVENTS_DIR})")

ACLED_2020 = EVENTS_DIR / "acled_iraq_2020_excel_dates.csv"
ACLED_TRIMMED = EVENTS_DIR / "acled_iraq_2022_trimmed.csv"
UCDP = EVENTS_DIR / "ucdp_ged_iraq_hdx.csv"
GTD = EVENTS_DIR / "gtd_iraq_sample.csv"

# What a user adds for the trimmed ACLED cut, which lacks precision codes and an address.
TRIMMED_OPTIONS = ("--set", "time_precision=1", "--set", "geo_precision=2",
                   "--set", "source_url=https://acleddata.com/data-export-tool/")
# GTD's own categories are not ACLED's: the user says what the rows are, and who the actor is.
GTD_OPTIONS = ("--map", "actor1=group_name", "--set", "event_type=Violence against civilians",
               "--set", "sub_event_type=Attack", "--set", "time_precision=1",
               "--set", "geo_precision=2", "--set", "source_publisher=START Global Terrorism "
               "Database", "--set", "source_url=https://www.start.umd.edu/gtd/")


def _source(path: Path, **kw) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False, **kw)


def test_acled_resaved_by_a_spreadsheet_imports_every_row(tmp_path, admin1):
    report = ingest_file(ACLED_2020, store=tmp_path, admin1=admin1)
    assert (report.rows_read, report.imported, report.rejected) == (91, 91, 0)
    stored = read_events(tmp_path).set_index("event_id")
    src = _source(ACLED_2020).set_index("event_id_cnty")
    # "9-May-20" with year 2020 -> 2020-05-09, for every row
    expected = pd.to_datetime(src["event_date"], format="%d-%b-%y")
    assert (stored.loc[src.index, "event_date"] == expected).all()
    assert stored.loc["IRQ24248", "event_date"] == pd.Timestamp("2020-05-09")
    assert report.admin1_disagreements == 0


def test_a_renamed_acled_file_is_the_same_rows(tmp_path, admin1):
    ingest_file(ACLED_2020, store=tmp_path, admin1=admin1)
    before = read_events(tmp_path).sort_values("event_id").reset_index(drop=True)
    renamed = tmp_path / "someone_elses_name.csv"
    renamed.write_bytes(ACLED_2020.read_bytes())
    again = ingest_file(renamed, store=tmp_path, admin1=admin1)
    assert (again.imported, again.updated, again.unchanged) == (0, 0, 91)
    after = read_events(tmp_path).sort_values("event_id").reset_index(drop=True)
    pd.testing.assert_frame_equal(before.drop(columns="geometry"), after.drop(columns="geometry"))
    assert set(after["source_title"]) == {"ACLED data export"}


def test_trimmed_acled_without_ids_keeps_every_event(tmp_path):
    done = run_geo("ingest", str(ACLED_TRIMMED), "--store", str(tmp_path), *TRIMMED_OPTIONS)
    assert done.returncode == 0, done.stderr
    assert "120 rows read, 120 imported" in done.stderr and "0 rejected" in done.stderr
    stored = read_events(tmp_path)
    assert len(stored) == 120 and stored["event_id"].is_unique
    # the two rows the old ids merged differ only in a column nobody mapped: both are kept
    src = _source(ACLED_TRIMMED)
    mapped = ["EVENT_DATE", "LOCATION", "ACTOR1", "ACTOR2", "EVENT_TYPE", "SUB_EVENT_TYPE",
              "FATALITIES", "LATITUDE", "LONGITUDE", "SOURCE"]
    assert src.duplicated(mapped).sum() >= 1
    assert "columns used (change with --map FIELD=COLUMN): event_date=EVENT_DATE" in done.stderr
    assert stored["notes"].str.endswith("no description in the file").all()


def test_ucdp_from_hdx_every_event_and_the_sources_own_totals(tmp_path, admin1):
    report = ingest_file(UCDP, store=tmp_path, admin1=admin1)
    src = _source(UCDP, skiprows=[1])  # the HXL row
    assert len(src) == 7473
    assert (report.imported, report.rejected, report.skipped) == (7473, 0, 1)
    hxl = report.issues[report.issues["reason"].str.contains("HXL")]
    assert len(hxl) == 1 and "row 2" in hxl["reason"].iloc[0]
    assert not (report.issues["row"] == 2).any()  # no error per column of the hashtag row

    stored = read_events(tmp_path).set_index("event_id")
    src.index = "UCDP-" + src["id"]
    # no real event lost to UCDP's conventions: empty articles, the 1753 "no date"
    nulls = src.index[src["source_date"] == "1753-01-01"]
    assert len(nulls) and stored.loc[nulls, "source_date"].isna().all()
    empty = src.index[src["source_article"] == ""]
    assert len(empty) and stored.loc[empty, "notes"].str.contains("no source article").all()

    # disagreements: under 2 %, each one listed
    warned = report.issues[report.issues["column"] == "admin1"]
    assert report.admin1_disagreements == len(warned) < 0.02 * len(src)
    # "somewhere in Iraq" (where_prec 6-7) is not put in Babil, where its centroid lies
    country = src.index[src["where_prec"].isin(["6", "7"])]
    assert len(country) and stored.loc[country, "admin1_code"].isna().all()
    assert (stored.loc[country, "region"] == NOT_ATTRIBUTABLE).all()
    assert report.not_attributable == len(country)
    # per governorate: the join's totals equal the source's adm_1 totals, but for the
    # listed disagreements and the rows that cannot be attributed
    listed = set(src.index[warned["row"].astype(int).to_numpy() - 3])  # row 3 = first event
    src["code"] = admin1_codes(src["adm_1"])
    assert src.loc[src["adm_1"] != "", "code"].notna().all()  # every spelling is known
    keep = src.index[(src["code"].notna()) & ~src.index.isin(listed) & ~src.index.isin(country)]
    ours = stored.loc[keep].groupby("admin1_code").agg(events=("event_date", "size"),
                                                       deaths=("fatalities", "sum"))
    theirs = src.loc[keep].assign(deaths=src.loc[keep, "best"].astype(int)).groupby("code").agg(
        events=("id", "size"), deaths=("deaths", "sum"))
    theirs.index.name = "admin1_code"
    pd.testing.assert_frame_equal(ours.astype("int64"), theirs.astype("int64"))
    # points just outside the coarse national line: on the border, not silently abroad
    border = stored[stored["attribution"] == "on the border"]
    assert len(border) == report.on_border > 0
    assert border["coord_issue"].str.contains("km outside the national line").all()
    named = border[border["source_admin1"].fillna("") != ""]
    assert named["admin1_code"].notna().all()


def test_gtd_with_a_mapping_keeps_every_incident_and_its_deaths(tmp_path):
    done = run_geo("ingest", str(GTD), "--store", str(tmp_path), *GTD_OPTIONS)
    assert done.returncode == 0, done.stderr
    assert "2000 rows read, 2000 imported" in done.stderr
    stored = read_events(tmp_path)
    src = _source(GTD)
    assert len(stored) == 2000
    assert stored["fatalities"].sum() == pd.to_numeric(src["killed"]).sum()
    assert stored["fatalities"].isna().sum() == (src["killed"] == "").sum()
    # GTD's `state` is compared like ACLED's admin1 (its spellings are known)
    assert admin1_codes(src["state"]).notna().all()
    assert "source_admin1=state" in done.stderr


def test_gtd_without_a_mapping_is_not_classified_by_look_alike_columns(tmp_path):
    done = run_geo("ingest", str(GTD), "--store", str(tmp_path))
    assert done.returncode == 1
    assert "event_type=" not in done.stderr.split("columns used")[1].split("\n")[0]
    assert "attack_type" not in done.stderr.split("columns used")[1].split("\n")[0]


def test_every_stored_column_is_exported(tmp_path, admin1):
    ingest_file(UCDP, store=tmp_path / "store", admin1=admin1)
    stored = read_events(tmp_path / "store")
    frame = export_frame(stored, "events")
    for fmt in ("csv", "parquet"):
        back = read_back(write(frame, fmt, tmp_path / f"events.{fmt}"))
        for column in ("fatalities_low", "fatalities_high", "source_admin1", "attribution"):
            assert column in back.columns, (fmt, column)
    row = stored.set_index("event_id").loc["UCDP-114064"]
    assert (row["fatalities_low"], row["fatalities_high"]) == (8, 8)
    src = _source(UCDP, skiprows=[1])  # kept as UCDP gives them, even where low > best
    by_id = stored.set_index("event_id")
    for col, theirs in (("fatalities_low", "low"), ("fatalities_high", "high")):
        assert (by_id.loc["UCDP-" + src["id"], col].to_numpy() == src[theirs].astype(int)).all()


def test_the_batch_pipeline_reads_the_hdx_file_the_same_way(admin1):
    from geo.sources.pipeline import run_local

    result = run_local(UCDP, admin1=admin1)
    assert (result.rows_read, result.kept, result.rejected, result.skipped) == (7474, 7473, 0, 1)
    assert result.rows_read == result.kept + result.rejected + result.duplicates + result.skipped
    hxl = result.issues[result.issues["reason"].str.startswith("HXL")]
    assert hxl["row"].tolist() == [2]
    assert (result.issues["severity"] != "error").all()
