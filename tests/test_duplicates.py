"""One event, counted once (issue 23 step 5): the linking rules on small constructed cases, then
on the real third-party files (skipped when ../shared/data/events/ is absent)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from cli_run import ROOT

from geo.app import duplicates
from geo.app.dataset import load_data
from geo.sources.curated import load
from geo.sources.ingest import ingest_file

BAGHDAD = (33.3152, 44.3661)


def _event(event_id: str, origin: str, date: str, lat: float = BAGHDAD[0],
           lon: float = BAGHDAD[1], event_type: str = "Explosions/Remote violence",
           actor1: str = "Unidentified Armed Group (Iraq)", actor2: str = "",
           time_precision: int = 1, geo_precision: int = 1) -> dict:
    return {"event_id": event_id, "origin": origin, "dataset": "curated" if origin == "curated"
            else "imported", "event_date": pd.Timestamp(date), "latitude": lat, "longitude": lon,
            "event_type": event_type, "actor1": actor1, "actor2": actor2,
            "time_precision": time_precision, "geo_precision": geo_precision,
            "region": "Federal Iraq"}


def _links(*rows: dict) -> dict[str, str]:
    out = duplicates.link(pd.DataFrame(list(rows)))
    return dict(zip(out["event_id"], out[duplicates.DUPLICATE_OF], strict=True))


def test_the_same_strike_in_two_datasets_is_one_event_and_the_curated_record_is_kept():
    links = _links(
        _event("IRQ-CUR-1", "curated", "2020-01-03", actor1="Military Forces of the United States "
               "(2017-2021)", actor2="Military Forces of Iraq (2018-) Popular Mobilization Forces"),
        _event("IRQ1", "ACLED", "2020-01-03", 33.27, 44.24, actor1="Military Forces of the United "
               "States (2017-2021)", actor2="Military Forces of Iran (1989-) Islamic "
               "Revolutionary Guard Corps", geo_precision=2),
        _event("UCDP-1", "UCDP GED", "2020-01-02", 33.30, 44.30, event_type="Battles",
               actor1="Government of United States of America", actor2="Kata'ib Hizballah",
               geo_precision=2))
    assert links == {"IRQ-CUR-1": "", "IRQ1": "IRQ-CUR-1", "UCDP-1": "IRQ-CUR-1"}


def test_near_misses_stay_apart():
    base = _event("A", "ACLED", "2021-05-01", actor1="Islamic State (Iraq)")
    week_later = _event("B", "UCDP GED", "2021-05-08", actor1="IS")
    far_away = _event("C", "UCDP GED", "2021-05-01", 34.2, 44.4, actor1="IS")  # ~100 km north
    other_sides = _event("D", "UCDP GED", "2021-05-01", actor1="Government of Turkey",
                         actor2="PKK")
    protest = _event("E", "UCDP GED", "2021-05-01", event_type="Protests",
                     actor1="Protesters (Iraq)")
    assert set(_links(base, week_later, far_away, other_sides, protest).values()) == {""}


def test_records_of_one_dataset_are_never_linked_and_a_record_links_once_per_dataset():
    links = _links(_event("A1", "ACLED", "2021-05-01"),
                   _event("A2", "ACLED", "2021-05-01", lat=BAGHDAD[0] + 0.03),
                   _event("U1", "UCDP GED", "2021-05-01", lat=BAGHDAD[0] + 0.005))
    # U1 takes its clearly closest ACLED record, which is kept (same precision, id first)
    assert links == {"A1": "", "A2": "", "U1": "A1"}


def test_a_record_with_two_equally_close_candidates_is_not_linked():
    # two ACLED events at one city's point on one day: which one UCDP's record repeats is a guess
    links = _links(_event("A1", "ACLED", "2021-05-01"), _event("A2", "ACLED", "2021-05-01"),
                   _event("U1", "UCDP GED", "2021-05-01", lat=BAGHDAD[0] + 0.01))
    assert set(links.values()) == {""}


def test_week_precision_widens_the_window_and_month_precision_is_never_linked():
    assert _links(_event("A", "ACLED", "2021-05-01"),
                  _event("G", "gtd", "2021-05-05", time_precision=2))["G"] == "A"
    assert _links(_event("A", "ACLED", "2021-05-01"),
                  _event("U", "UCDP GED", "2021-05-01", time_precision=3))["U"] == ""


def test_points_near_a_place_link_within_a_district_and_area_points_never():
    assert _links(_event("A", "ACLED", "2021-05-01", geo_precision=1),
                  _event("U", "UCDP GED", "2021-05-01", 33.5, 44.4, geo_precision=2))["U"] == "A"
    # a province's or district's centre says where the event was not: never linked
    assert _links(_event("A", "ACLED", "2021-05-01", geo_precision=1),
                  _event("U", "UCDP GED", "2021-05-01", geo_precision=3))["U"] == ""


def test_tolls_that_disagree_keep_two_events_apart():
    assert _links(_event("A", "ACLED", "2021-05-01") | {"fatalities": 3},
                  _event("U", "UCDP GED", "2021-05-01") | {"fatalities": 51})["U"] == ""
    assert _links(_event("A", "ACLED", "2021-05-01") | {"fatalities": 9},
                  _event("U", "UCDP GED", "2021-05-01") | {"fatalities": 12})["U"] == "A"


EVENTS_DIR = ROOT.parent / "shared" / "data" / "events"
real = pytest.mark.skipif(not EVENTS_DIR.is_dir(),
                          reason=f"real third-party files not present ({EVENTS_DIR})")


@pytest.fixture(scope="module")
def real_store(tmp_path_factory, admin1) -> Path:
    """UCDP GED and the GTD extract (both 2012-2017 cover IS's bombings), imported as found."""
    store = tmp_path_factory.mktemp("linked-store")
    ingest_file(EVENTS_DIR / "ucdp_ged_iraq_hdx.csv", store=store, admin1=admin1)
    ingest_file(EVENTS_DIR / "gtd_iraq_sample.csv", store=store, admin1=admin1,
                overrides={"actor1": "group_name"},
                defaults={"event_type": "Violence against civilians", "sub_event_type": "Attack",
                          "time_precision": "1", "geo_precision": "2",
                          "source_publisher": "START Global Terrorism Database",
                          "source_url": "https://www.start.umd.edu/gtd/"})
    return store


@real
def test_real_files_link_across_datasets_only_within_the_windows(real_store):
    data = load_data(real_store)
    repeats, kept = data.repeats, data.events.set_index("event_id")
    assert len(repeats) > 50
    assert (repeats["origin"] != kept.loc[repeats["duplicate_of"], "origin"].to_numpy()).all()
    partner = kept.loc[repeats["duplicate_of"]]
    days = (repeats["event_date"].to_numpy() - partner["event_date"].to_numpy()) / pd.Timedelta("1D")
    assert (abs(days) <= 7).all()
    # every record is still there: counted once plus the repeats
    stored = 7473 + 2000 + len(load("events").data)  # UCDP, GTD, the curated events
    assert len(data.events) + len(repeats) == stored
    assert data.events["event_id"].is_unique
