"""Real third-party files keep their meaning once imported (issue 23): UCDP's, GTD's and ACLED's
actors resolve to sides, the story, directions, headline figures, surge alerts and the Regions
table say what the files say, and an event reported by two datasets counts once.

The files live in ../shared/data/events/ and are never copied into the project; without that
folder every test here is skipped with the reason.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from cli_run import ROOT, run_geo

from geo.app import aggregate, alerts, figures
from geo.app import direction as d
from geo.app.actors import OTHER
from geo.app.dataset import load_data
from geo.data.export import read_back
from geo.sources.ingest import ingest_file

EVENTS_DIR = ROOT.parent / "shared" / "data" / "events"
pytestmark = pytest.mark.skipif(not EVENTS_DIR.is_dir(),
                                reason=f"real third-party files not present ({EVENTS_DIR})")
GTD_DEFAULTS = {"event_type": "Violence against civilians", "sub_event_type": "Attack",
                "time_precision": "1", "geo_precision": "2",
                "source_publisher": "START Global Terrorism Database",
                "source_url": "https://www.start.umd.edu/gtd/"}


@pytest.fixture(scope="module")
def store(tmp_path_factory, admin1) -> Path:
    """Every real event file, imported as the README documents."""
    path = tmp_path_factory.mktemp("real-store")
    ingest_file(EVENTS_DIR / "ucdp_ged_iraq_hdx.csv", store=path, admin1=admin1)
    ingest_file(EVENTS_DIR / "acled_iraq_2020_excel_dates.csv", store=path, admin1=admin1)
    ingest_file(EVENTS_DIR / "acled_iraq_2022_trimmed.csv", store=path, admin1=admin1,
                defaults={"time_precision": "1", "geo_precision": "2",
                          "source_url": "https://acleddata.com/data-export-tool/"})
    ingest_file(EVENTS_DIR / "gtd_iraq_sample.csv", store=path, admin1=admin1,
                overrides={"actor1": "group_name"}, defaults=GTD_DEFAULTS)
    return path


@pytest.fixture(scope="module")
def data(store):
    return load_data(store)


def _every(data) -> pd.DataFrame:
    return pd.concat([data.events, data.repeats], ignore_index=True)


def test_no_real_file_leaves_a_named_organisation_without_a_side():
    """`geo actors` on each file: the names in no family are UCDP's two tribal dyad names
    (Dereiat, al-Shaman: 4 of 14,946 mentions) and none in GTD or ACLED."""
    done = run_geo("actors", str(EVENTS_DIR / "ucdp_ged_iraq_hdx.csv"),
                   str(EVENTS_DIR / "acled_iraq_2020_excel_dates.csv"),
                   str(EVENTS_DIR / "acled_iraq_2022_trimmed.csv"), "--unresolved")
    assert done.returncode == 0, done.stderr
    left = pd.read_csv(__import__("io").StringIO(done.stdout))
    assert set(left["name"]) <= {"Dereiat", "al-Shaman"}
    assert "ucdp_ged_iraq_hdx.csv: 25 distinct actor names, 2 (8.0%) in no family" in done.stderr
    gtd = run_geo("actors", str(EVENTS_DIR / "gtd_iraq_sample.csv"), "--map", "actor1=group_name")
    assert "5 distinct actor names, 0 (0.0%) in no family" in gtd.stderr, gtd.stderr
    table = pd.read_csv(__import__("io").StringIO(gtd.stdout)).set_index("name")["family"]
    assert table["Al-Qaida in Iraq"] == "Islamic State"  # a predecessor, counted with its successor
    assert table["Muslim extremists"] == "Unidentified"  # a generic label names no group


def test_ucdp_islamic_state_rows_are_islamic_state_violence(data):
    every = _every(data)
    ucdp = every[every["origin"] == "UCDP GED"]
    assert len(ucdp) == 7473
    with_is = (ucdp["actor1"] == "IS") | (ucdp["actor2"] == "IS")
    assert with_is.sum() == 6191
    shown = ucdp.loc[with_is, d.COLUMN]
    assert (shown == d.ISLAMIC_STATE).mean() > 0.99
    # the rest: coalition strikes on IS, and Turkish ones (cross-border violence comes first)
    assert shown.isin([d.ISLAMIC_STATE, d.STRIKES, d.CROSS_BORDER]).all()
    assert (ucdp[d.COLUMN] == d.OTHER).mean() < 0.15  # a remainder: the 1990s Kurdish wars, JAM
    assert (ucdp["actor1_family"] == OTHER).sum() + (ucdp["actor2_family"] == OTHER).sum() == 4
    gtd = every[every["origin"] == "gtd_iraq_sample"]
    named_is = gtd["actor1"].str.contains("ISIL|Al-Qaida in Iraq")
    assert (gtd.loc[named_is, d.COLUMN] == d.ISLAMIC_STATE).all()


def test_the_map_colours_islamic_state_violence_as_such(data):
    traces = {t.name: len(t.lat) for t in figures.event_traces(data.events)}
    assert traces[d.ISLAMIC_STATE] > 6000
    assert traces.get(d.OTHER, 0) < traces[d.ISLAMIC_STATE] / 4


def test_headline_figures_story_and_regions_count_each_event_once(data, app_page, monkeypatch,
                                                                  store):
    assert len(data.repeats) > 100  # GTD's bombings that UCDP also codes, mostly
    monkeypatch.setenv("GEO_STORE", str(store))
    at = app_page("pages/overview.py")
    assert at.metric[0].value == f"{len(data.events):,}"
    known, _ = aggregate.fatality_summary(data.events)
    assert at.metric[1].value == f"{known:,}"
    every_known, _ = aggregate.fatality_summary(_every(data))
    assert known < every_known  # the repeated records' deaths are not added again
    text = " ".join(m.value for m in at.markdown)
    said = re.search(r"holds ([\d,]+) events:.* and ([\d,]+) events involving the Islamic State",
                     text.replace("\\", ""))
    assert said, text[:600]
    assert int(said[1].replace(",", "")) == len(data.events)
    islamic_state = int(said[2].replace(",", ""))
    assert islamic_state == (data.events[d.COLUMN] == d.ISLAMIC_STATE).sum() > 6000
    # Regions: the governorates plus the events no governorate holds are the whole filter
    table = aggregate.admin1_table(data.events, data.sites, data.admin1)
    assert table["events"].sum() + data.events["admin1_code"].isna().sum() == len(data.events)


def test_surge_alerts_count_a_repeated_event_once(data):
    areas = data.admin1[["admin1_code", "admin1_name"]]
    as_of = pd.Timestamp("2016-07-31")
    once = alerts.alerts(data.events, areas, as_of).set_index("admin1_code")
    twice = alerts.alerts(_every(data), areas, as_of).set_index("admin1_code")
    recent = "last_4w"
    window = data.events[(data.events["event_date"] > as_of - pd.Timedelta(days=28))
                         & (data.events["event_date"] <= as_of)]
    counted = window[alerts.violent(window)].groupby("admin1_code").size()
    assert once.loc[counted.index, recent].tolist() == counted.tolist()
    more = twice[recent].reindex(once.index)
    assert (more >= once[recent]).all() and (more > once[recent]).any()


def test_geo_export_carries_the_meaning_and_the_links(store, tmp_path):
    out = tmp_path / "all.gpkg"
    done = run_geo("export", "--store", str(store), "--with-curated", "--format", "gpkg",
                   "--out", str(out))
    assert done.returncode == 0, done.stderr
    table = read_back(out)
    assert {"actor1_family", "actor2_family", "direction", "origin", "duplicate_of"} <= set(table)
    counted = table[table["duplicate_of"].fillna("") == ""]
    data = load_data(store)
    assert len(table) == len(data.events) + len(data.repeats)
    assert len(counted) == len(data.events)
    mine = dict(zip(data.events["event_id"], data.events[d.COLUMN], strict=True))
    assert (counted["direction"] == counted["event_id"].map(mine)).all()
    # each link names a counted record of another dataset
    repeats = table[table["duplicate_of"].fillna("") != ""]
    kept = counted.set_index("event_id")
    assert repeats["duplicate_of"].isin(kept.index).all()
    assert (repeats["origin"].to_numpy() != kept.loc[repeats["duplicate_of"], "origin"].to_numpy()
            ).all()


def test_the_data_pages_downloads_keep_every_record(data):
    """What the Data page's CSV and bundles hold: the filtered events and the records that
    repeat them, each repeat naming the record counted."""
    from geo.app import filters, ui
    from geo.data.export import export_frame

    f = filters.Filter(start=date(2014, 1, 1), end=date(2016, 12, 31))
    events = filters.apply(data.events, f)
    rows = export_frame(ui.every_record(data, f, events), "events")
    repeats = rows[rows["duplicate_of"] != ""]
    assert len(rows) == len(events) + len(filters.apply(data.repeats, f)) > len(events)
    assert set(repeats["duplicate_of"]) <= set(data.events["event_id"])
    assert rows["event_id"].is_unique and {"actor1_family", "direction"} <= set(rows)
