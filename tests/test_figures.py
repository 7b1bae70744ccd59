"""Figure builders: layers, offline style, escaping, geometry of rings, animation frames."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from pyproj import Geod
from synthetic import synthetic_event, synthetic_events

from geo import aggregate, figures
from geo.boundaries import load_regions
from geo.datasets import load
from geo.filters import LAYERS


@pytest.fixture(scope="module")
def data(admin1):
    ev, sites = load("events", admin1).data, load("sites", admin1).data
    return admin1, load_regions(), ev, sites, aggregate.admin1_table(ev, sites, admin1)


def _map(data, layers, **kw):
    admin1, regions, ev, sites, table = data
    return figures.layered_map(admin1, regions, ev, sites, layers, table=table, rings_km=(50,), **kw)


def test_each_layer_adds_its_trace(data):
    expected = {"boundaries": "choroplethmap", "regions": "scattermap", "choropleth": "choroplethmap",
                "events": "scattermap", "density": "densitymap", "sites": "scattermap",
                "rings": "scattermap", "labels": "scattermap"}
    assert len(_map(data, ()).data) == 0
    for layer, kind in expected.items():
        fig = _map(data, (layer,))
        assert fig.data and {t.type for t in fig.data} == {kind}, layer
    every = _map(data, LAYERS)
    names = [t.name for t in every.data]
    assert "Rings 50 km" in names and "Foreign-force sites" in names and "Labels" in names


def test_map_is_offline_unless_basemap_asked(data):
    fig = _map(data, tuple(x for x in LAYERS if x != "basemap"))
    text = fig.to_json()
    assert "http" not in text  # no tiles, no remote glyphs, no sprites
    style = fig.layout.map.style
    assert style["glyphs"].startswith("app/static/")
    assert all(src["type"] == "geojson" for src in style["sources"].values())
    assert fig.layout.map.zoom > 4.5 and fig.layout.map.center.lat == pytest.approx(33.3)
    assert fig.layout.uirevision == "iraq-map"
    online = _map(data, ("boundaries", "basemap"))
    assert online.layout.map.layers[0].source[0].startswith("https://tile.openstreetmap.org/")


def test_fit_zoom_fits_iraq():
    z = figures.fit_zoom(figures.IRAQ_BOUNDS, 600, 1000)
    world = 512 * 2 ** z
    lon_px = (figures.IRAQ_BOUNDS["east"] - figures.IRAQ_BOUNDS["west"]) / 360 * world
    assert lon_px <= 1000
    merc = lambda lat: np.degrees(np.log(np.tan(np.pi / 4 + np.radians(lat) / 2)))  # noqa: E731
    lat_px = (merc(figures.IRAQ_BOUNDS["north"]) - merc(figures.IRAQ_BOUNDS["south"])) / 360 * world
    assert 0.8 * 600 < lat_px <= 600


def test_rings_are_at_the_right_distance(data):
    _, _, _, sites, _ = data
    one = sites[sites.site_id == "ain-al-asad"]
    trace = figures.ring_trace(one, (100,))
    lon, lat = np.asarray(trace.lon, dtype=float), np.asarray(trace.lat, dtype=float)
    assert np.isnan(lon[-1]) and np.isnan(lon).sum() == 1  # one ring, one break
    lon, lat = lon[~np.isnan(lon)], lat[~np.isnan(lat)]
    _, _, dist = Geod(ellps="WGS84").inv(np.full(len(lon), one.longitude.iloc[0]),
                                         np.full(len(lat), one.latitude.iloc[0]), lon, lat)
    assert np.allclose(dist, 100_000, rtol=1e-6)


def test_data_text_is_escaped_in_hover(admin1):
    ev = synthetic_events([synthetic_event(1, location="<img src=x onerror=alert(1)>",
                                           actor1="<script>alert(1)</script>")])
    from geo.join import assign_admin1
    from geo.schemas import EVENTS
    from geo.validate import validate

    events = assign_admin1(validate(ev, EVENTS).data, admin1)
    trace = figures.event_traces(events)[0]
    blob = json.dumps(trace.customdata.tolist())
    assert "<script>" not in blob and "<img" not in blob
    assert "&lt;script&gt;" in blob and "&lt;img" in blob


def test_timeline_marks_key_dates(data):
    _, _, ev, _, _ = data
    kd = pd.DataFrame({"date": pd.to_datetime(["2020-01-03", "2025-09-30"]), "label": ["a", "b"]})
    fig = figures.timeline_chart(aggregate.timeline(ev), kd)
    assert len(fig.layout.shapes) == 2 and [a.text for a in fig.layout.annotations] == ["a", "b"]
    assert sum(sum(t.y) for t in fig.data) == len(ev)


def test_animation_has_one_frame_per_month(data):
    admin1, _, ev, _, _ = data
    fig = figures.animated_map(admin1, ev)
    months = ev.event_date.dt.to_period("M").nunique()
    assert len(fig.frames) == months
    assert sum(len(fr.data[0].lat) for fr in fig.frames) == len(ev)
    assert fig.layout.updatemenus[0].buttons[0].label.endswith("Play")
