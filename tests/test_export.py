"""Exports: the same rows and values in every format; CSV safe in a spreadsheet."""

from __future__ import annotations

import pandas as pd
import pytest

from geo.data.export import FORMATS, export_frame, neutralise_formulas, read_back, to_csv_text, write
from geo.sources.curated import load


def test_formula_cells_are_neutralised():
    df = pd.DataFrame({"t": ["=1+1", "+cmd", "-2+3", "@SUM(A1)", "\tx", "\rx", "safe", None],
                       "n": [-3.5, 1, 2, 3, 4, 5, 6, 7]})
    out = neutralise_formulas(df)
    assert list(out.t[:7]) == ["'=1+1", "'+cmd", "'-2+3", "'@SUM(A1)", "'\tx", "'\rx", "safe"]
    assert pd.isna(out.t.iloc[7]) and out.n.iloc[0] == -3.5
    text = to_csv_text(df)
    for line in text.splitlines()[1:]:
        assert not line.startswith(("=", "+", "-", "@"))


@pytest.fixture(scope="module")
def events(admin1):
    return export_frame(load("events", admin1).data, "events")


def test_canonical_columns_present(events):
    for col in ["event_id", "event_date", "event_type", "sub_event_type", "actor1", "actor2",
                "location", "latitude", "longitude", "geo_precision", "admin1_code",
                "admin1_name", "region", "fatalities", "source", "notes"]:
        assert col in events.columns
    assert events["source"].str.contains("http").all()


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_round_trip(events, tmp_path, fmt):
    path = write(events, fmt, tmp_path / f"events{FORMATS[fmt]}", layer="events")
    back = read_back(path)
    assert list(back["event_id"]) == list(events["event_id"])
    assert [c for c in events.columns if c != "geometry"] == \
        [c for c in back.columns if c != "geometry"]
    pd.testing.assert_series_equal(
        pd.to_numeric(back["latitude"]).reset_index(drop=True),
        events["latitude"].reset_index(drop=True), check_names=False)
    dates = back["event_date"].astype(str).str.slice(0, 10)
    assert list(dates) == list(events["event_date"].dt.strftime("%Y-%m-%d"))
    got_deaths = pd.to_numeric(back["fatalities"].replace("", None))
    assert got_deaths.fillna(-1).tolist() == events["fatalities"].fillna(-1).astype(float).tolist()
    for col in ("admin1_code", "region", "notes", "actor1"):
        want = events[col].fillna("").astype(str).tolist()
        got = back[col].fillna("").astype(str).str.removeprefix("'").tolist()
        assert got == want, col
    if fmt != "csv":
        assert back.crs.to_epsg() == 4326
        assert (back.geometry.x.round(6) == events.geometry.x.round(6)).all()


def test_write_is_atomic_on_failure(events, tmp_path, monkeypatch):
    """A writer that dies half-way leaves the previous file intact and no temporary behind."""
    target = tmp_path / "events.gpkg"
    target.write_text("previous content")

    def half_written(self, path, *args, **kwargs):
        with open(path, "w") as fh:
            fh.write("partial")
        raise OSError("disk full (simulated)")

    monkeypatch.setattr("geopandas.GeoDataFrame.to_file", half_written)
    with pytest.raises(OSError, match="simulated"):
        write(events, "gpkg", target)
    assert target.read_text() == "previous content"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["events.gpkg"]
    with pytest.raises(ValueError, match="unknown format"):
        write(events, "xls", target)
