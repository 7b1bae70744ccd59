"""`geo synth`: SYNTHETIC events for benchmarks and tests. They must be valid, clearly fake,
deterministic, spatially realistic, survive the ACLED round trip, and never land in data/."""

from __future__ import annotations

import io

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from scipy.spatial import cKDTree

from geo.data import paths
from geo.data.schemas import EVENT_TYPES, EVENTS, OUTSIDE_IRAQ
from geo.data.store import read_events
from geo.data.validate import read_csv_text, validate
from geo.sources.formats import ACLED_COLUMNS, EXTRA_COLUMNS, detect_format, from_acled
from geo.spatial.join import assign_admin1
from geo.text.gazetteer import load_places
from geo.tools import synth

ROUND_TRIP = ["event_id", "event_date", "latitude", "longitude", "event_type", "sub_event_type",
              "fatalities", "time_precision", "geo_precision", "actor1", "actor2", "location",
              "source_publisher", "source_date", "notes"]


@pytest.fixture(scope="module")
def large() -> pd.DataFrame:
    return synth.synthesize(20_000, seed=11)


def test_same_seed_gives_the_same_frame_another_seed_another(tmp_path):
    a, b = synth.synthesize(2_000, seed=7), synth.synthesize(2_000, seed=7)
    pd.testing.assert_frame_equal(a, b)
    c = synth.synthesize(2_000, seed=8)
    assert not np.array_equal(a["latitude"].to_numpy(), c["latitude"].to_numpy())
    assert (a["event_date"] != c["event_date"]).any()
    assert c["event_id"].str.startswith("SYN-8-").all()


def test_rows_validate_cleanly_and_say_they_are_synthetic():
    events = synth.synthesize(5_000, seed=1, start="2021-03-01", end="2022-02-28")
    assert list(events.columns) == EVENTS.columns and len(events) == 5_000
    checked = validate(synth.to_text(events), EVENTS, "synth")
    assert checked.issues.empty and checked.rejected.empty
    # typed exactly as the curated loader types them
    pd.testing.assert_frame_equal(checked.data, events)
    assert events["event_id"].str.fullmatch(r"SYN-1-\d{7}").all() and events["event_id"].is_unique
    assert events["event_id"].iloc[0] == "SYN-1-0000001"
    assert (events["source_publisher"] == synth.SYNTHETIC_PUBLISHER).all()
    assert events["notes"].str.contains("not a real event").all()
    assert events["source_url"].str.contains(r"\.invalid/").all()
    assert events["coord_source"].str.startswith("synthetic").all()
    assert events["event_date"].min() >= pd.Timestamp("2021-03-01")
    assert events["event_date"].max() <= pd.Timestamp("2022-02-28")
    assert events["event_date"].is_monotonic_increasing


def test_content_is_shaped_like_conflict_data(large):
    shares = large["event_type"].value_counts(normalize=True)
    assert set(shares.index) == set(EVENT_TYPES)
    assert shares.idxmax() == "Explosions/Remote violence"
    fat = large["fatalities"]
    assert 0.005 < fat.isna().mean() < 0.1  # some unknown
    known = fat.dropna()
    assert (known == 0).mean() > 0.5 and known.max() >= 20  # zero-inflated, long tail
    assert (large["fatalities_qualifier"].isna() == fat.isna()).all()
    assert (large["geo_precision"] == 1).mean() > 0.5 and large["geo_precision"].nunique() == 3
    assert (large["time_precision"] == 1).mean() > 0.7 and large["time_precision"].nunique() == 3
    per_year = large["event_date"].dt.year.value_counts()
    assert per_year[2019] > per_year[2024]  # the declining trend
    busiest = large["event_date"].value_counts().iloc[0]
    assert busiest > 5 * len(large) / large["event_date"].nunique()  # bursts


def test_events_cluster_near_places_and_a_few_cross_the_border(large, admin1):
    places = load_places()
    k = np.cos(np.radians(33.0))
    tree = cKDTree(np.column_stack([places["longitude"] * 111.32 * k, places["latitude"] * 110.57]))
    km, _ = tree.query(np.column_stack([large["longitude"] * 111.32 * k,
                                        large["latitude"] * 110.57]))
    assert (km <= 25).mean() > 0.85
    west, south, east, north = synth.IRAQ_BBOX
    outside_box = ~(large["longitude"].between(west, east) & large["latitude"].between(south, north))
    assert 0 < outside_box.mean() < 0.03
    region = assign_admin1(large, admin1)["region"]
    assert 0.005 < (region == OUTSIDE_IRAQ).mean() < 0.06
    assert (region == "Kurdistan Region").any() and (region == "Federal Iraq").mean() > 0.5
    assert large["latitude"].round(5).eq(large["latitude"]).all()


def test_acled_round_trip_keeps_every_event(tmp_path):
    events = synth.synthesize(3_000, seed=5)
    raw = synth.to_acled(events)
    assert tuple(raw.columns) == ACLED_COLUMNS and detect_format(list(raw.columns)) == "acled"
    assert (raw["country"] == "Iraq").all() and (raw["iso"] == "368").all()
    assert raw["inter1"].str.fullmatch(r"[1-8]").all()
    synth.write(events, tmp_path / "acled.csv", "acled")
    for frame in (raw, read_csv_text(tmp_path / "acled.csv")):
        checked = validate(from_acled(frame, "acled.csv"), EVENTS, "acled.csv",
                           keep_extra=EXTRA_COLUMNS["acled"])
        assert checked.issues.empty and checked.rejected.empty
        pd.testing.assert_frame_equal(checked.data[ROUND_TRIP], events[ROUND_TRIP])


def test_csv_and_geoparquet_outputs_read_back(tmp_path):
    events = synth.synthesize(500, seed=2)
    synth.write(events, tmp_path / "e.csv", "csv")
    checked = validate(read_csv_text(tmp_path / "e.csv"), EVENTS)
    assert checked.issues.empty
    pd.testing.assert_frame_equal(checked.data, events)
    synth.write(events, tmp_path / "e.parquet", "parquet")
    gdf = gpd.read_parquet(tmp_path / "e.parquet")
    assert gdf.crs.to_epsg() == 4326 and len(gdf) == 500
    assert np.allclose(gdf.geometry.x, events["longitude"]) and (gdf["event_id"] == events["event_id"]).all()
    assert not list(tmp_path.glob(".*tmp*"))  # atomic: no temporary left behind


def test_write_refuses_the_data_folder_however_it_is_spelled(tmp_path):
    events = synth.synthesize(10)
    data = paths.REPO_ROOT / "data"
    link = tmp_path / "link"
    link.symlink_to(data, target_is_directory=True)
    for target in (data / "synthetic.csv", data / "curated" / ".." / "synthetic.csv",
                   data.parent / "src" / ".." / "data" / "synthetic.csv", link / "synthetic.csv"):
        with pytest.raises(ValueError, match="data folder"):
            synth.write(events, target, "csv")
    assert not (data / "synthetic.csv").exists()
    with pytest.raises(ValueError, match="unknown format"):
        synth.write(events, tmp_path / "x.txt", "xlsx")


@pytest.mark.parametrize("kwargs", [{"n": 0}, {"n": synth.MAX_EVENTS + 1}, {"n": 10, "seed": -1},
                                    {"n": 10, "start": "2024-02-01", "end": "2024-01-01"},
                                    {"n": 10, "start": "1 May 2024"}])
def test_synthesize_rejects_bad_arguments(kwargs):
    with pytest.raises(ValueError):
        synth.synthesize(**kwargs)


def test_cli_acled_file_ingests_every_row(geo_cli, tmp_path):
    out = tmp_path / "synth_acled.csv"
    made = geo_cli("synth", "1000", "--format", "acled", "-o", str(out), "--seed", "4")
    assert made.returncode == 0, made.stderr
    assert made.stderr.count("\n") == 1 and "1000 synthetic events" in made.stderr
    assert "not real data" in made.stderr
    store = tmp_path / "store"
    loaded = geo_cli("ingest", str(out), "--store", str(store))
    assert loaded.returncode == 0, loaded.stderr
    assert "1000 imported" in loaded.stderr and "0 rejected" in loaded.stderr
    stored = read_events(store)
    assert len(stored) == 1000 and stored["event_id"].str.startswith("SYN-4-").all()


def test_cli_csv_to_stdout_matches_the_library(geo_cli):
    done = geo_cli("synth", "50", "--seed", "3", "--start", "2024-01-01", "--end", "2024-06-30")
    assert done.returncode == 0, done.stderr
    printed = pd.read_csv(io.StringIO(done.stdout), dtype=str, keep_default_na=False)
    expected = synth.to_text(synth.synthesize(50, seed=3, start="2024-01-01", end="2024-06-30"))
    pd.testing.assert_frame_equal(printed, expected.astype(str), check_dtype=False)


@pytest.mark.parametrize("n", ["abc", "0", "-5", "20000001"])
def test_cli_bad_count_is_one_line_exit_2(geo_cli, n):
    done = geo_cli("synth", n)
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.count("\n") == 1 and "argument N" in done.stderr


@pytest.mark.parametrize(("args", "code", "words"), [
    (("-o", "data/x.csv"), 1, "data folder"),
    (("--format", "parquet"), 1, "needs --out"),
    (("--start", "2024-02-30"), 2, "YYYY-MM-DD"),
    (("--start", "2024-02-01", "--end", "2024-01-01"), 1, "before start"),
])
def test_cli_refusals_are_one_line(geo_cli, args, code, words):
    done = geo_cli("synth", "10", *args)
    assert done.returncode == code and words in done.stderr
    assert done.stderr.count("\n") == 1 and done.stdout == ""
    assert not (paths.REPO_ROOT / "data" / "x.csv").exists()
