"""Figure builders: layers, offline style, escaping, geometry of rings, animation frames."""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
import pytest
from pyproj import Geod
from synthetic import synthetic_event, synthetic_events

from geo.app import aggregate, figures
from geo.app.filters import LAYERS
from geo.sources.curated import load
from geo.spatial.boundaries import load_regions


@pytest.fixture(scope="module")
def data(admin1):
    ev, sites = load("events", admin1).data, load("sites", admin1).data
    return admin1, load_regions(), ev, sites, aggregate.admin1_table(ev, sites, admin1)


def _map(data, layers, **kw):
    admin1, regions, ev, sites, table = data
    return figures.layered_map(figures.MapData(admin1, regions, ev, sites, table=table),
                               figures.MapSpec(layers, rings_km=(50,), **kw))


def test_each_layer_adds_its_trace(data):
    expected = {"boundaries": "choroplethmap", "regions": "scattermap", "choropleth": "choroplethmap",
                "events": "scattermap", "density": "densitymap", "sites": "scattermap",
                "rings": "scattermap"}
    assert len(_map(data, ()).data) == 0
    for layer, kind in expected.items():
        fig = _map(data, (layer,))
        drawn = [t for t in fig.data if not t.name.endswith("shading)")]  # legend-only keys
        assert drawn and {t.type for t in drawn} == {kind}, layer
    keys = [t.name for t in _map(data, ("boundaries",)).data if t.name.endswith("shading)")]
    assert keys == ["Kurdistan Region (shading)", "Federal Iraq (no shading)"]
    fig = _map(data, ("boundaries", "events", "sites"))
    entries = sum(1 for t in fig.data if t.showlegend is not False)
    assert fig.layout.legend.yanchor == "top" and fig.layout.legend.y < 0  # under the map
    assert fig.layout.margin.b >= 22 * math.ceil(entries / 2)
    every = _map(data, LAYERS)
    names = [t.name for t in every.data]
    assert "Rings 50 km" in names and "Foreign-force sites" in names
    # Names are style labels (MapLibre drops colliding ones), not a trace.
    labels = _map(data, ("labels",))
    assert not labels.data
    features = labels.layout.map.style["sources"]["labels"]["data"]["features"]
    kinds = [f["properties"]["kind"] for f in features]
    assert kinds == ["admin1"] * len(data[0])
    assert not _map(data, ("events",)).layout.map.style["sources"]["labels"]["data"]["features"]


def test_map_is_offline_unless_basemap_asked(data):
    fig = _map(data, tuple(x for x in LAYERS if x != "basemap"))
    text = fig.to_json()
    assert "http" not in text  # no tiles, no remote glyphs, no sprites
    style = fig.layout.map.style
    assert style["glyphs"].startswith("app/static/")
    assert all(src["type"] == "geojson" for src in style["sources"].values())
    assert fig.layout.map.zoom > 4.5 and fig.layout.map.center.lat == pytest.approx(33.3)
    # The user's pan and zoom survive reruns, until the extent to show changes.
    assert fig.layout.uirevision == _map(data, ("events",)).layout.uirevision
    north = {"west": 42.0, "east": 46.0, "south": 35.0, "north": 37.5}
    zoomed = _map(data, ("events",), bounds=north)
    assert zoomed.layout.uirevision != fig.layout.uirevision
    assert zoomed.layout.map.zoom > fig.layout.map.zoom + 1
    assert zoomed.layout.map.center.lon == pytest.approx(44.0)
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


def test_extent_pads_small_sets_and_stays_near_iraq():
    one = figures.extent(np.array([44.4]), np.array([33.3]))
    assert one["east"] - one["west"] == pytest.approx(3.0)
    assert one["north"] - one["south"] == pytest.approx(3.0)
    wide = figures.extent(np.array([10.0, 44.0]), np.array([33.0, 60.0]))
    assert wide["west"] == figures.IRAQ_BOUNDS["west"] - 3
    assert wide["north"] == figures.IRAQ_BOUNDS["north"] + 3
    assert figures.extent(np.array([np.nan]), np.array([np.nan])) == figures.IRAQ_BOUNDS
    spread = figures.extent(np.array([42.0, 46.0]), np.array([35.0, 37.0]))
    assert spread["west"] < 42.0 and spread["east"] > 46.0  # a margin around the points
    c = figures.center_of(figures.IRAQ_BOUNDS)
    assert c["lat"] == pytest.approx(figures.IRAQ_CENTER["lat"], abs=0.05)


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
    from geo.data.schemas import EVENTS
    from geo.data.validate import validate
    from geo.spatial.join import assign_admin1

    events = assign_admin1(validate(ev, EVENTS).data, admin1)
    trace = figures.event_traces(events)[0]
    blob = json.dumps(trace.customdata.tolist())
    assert "<script>" not in blob and "<img" not in blob
    assert "&lt;script&gt;" in blob and "&lt;img" in blob


def test_timeline_marks_key_dates(data):
    _, _, ev, _, _ = data
    kd = pd.DataFrame({"date": pd.to_datetime(["2020-01-03", "2025-09-30"]), "label": ["a", "b"]})
    fig = figures.timeline_chart(aggregate.timeline(ev), kd)
    assert len(fig.layout.shapes) == 2
    assert [a.text for a in fig.layout.annotations] == ["1", "2", "1 03 Jan 2020: a<br>2 30 Sep 2025: b"]
    assert sum(sum(t.y) for t in fig.data) == len(ev)


def test_timeline_draws_milestones_and_shades_what_the_data_does_not_cover(data):
    _, _, ev, _, _ = data
    kd = pd.DataFrame({"date": pd.to_datetime(["2021-07-26", "2022-01-05"]),
                       "label": ["Key <b>deal</b>", "A call"], "key": [True, False],
                       "description": ["What was agreed", "Who called whom"]})
    last = ev.event_date.max()
    fig = figures.timeline_chart(aggregate.timeline(ev), kd, coverage=(ev.event_date.min(), last))
    texts = [a.text for a in fig.layout.annotations]
    assert "1 26 Jul 2021: Key &lt;b&gt;deal&lt;/b&gt;" in texts  # data text is escaped
    marker = next(a for a in fig.layout.annotations if a.text == "◆")
    assert "A call" in marker.hovertext
    lines = [s for s in fig.layout.shapes if s.type == "line"]
    assert len(lines) == 1  # only the key milestone is a line
    shaded = [s for s in fig.layout.shapes if s.type == "rect"]
    assert any(pd.Timestamp(s.x0) == last for s in shaded)
    assert f"no data after {last:%d %b %Y}" in texts
    # a filtered view keeps its own axis: coverage shades, it does not widen the range
    narrow = ev[ev.event_date.dt.year == 2021]
    fig = figures.timeline_chart(aggregate.timeline(narrow), kd.iloc[:0],
                                 coverage=(ev.event_date.min(), last))
    assert pd.Timestamp(fig.layout.xaxis.range[1]) < pd.Timestamp("2022-06-01")


def test_animation_steps_through_every_month_empty_ones_included(data):
    admin1, _, ev, _, _ = data
    fig = figures.animated_map(figures.MapData(admin1, events=ev),
                               figures.MapSpec(width=700, height=500))
    months = pd.period_range(ev.event_date.min(), ev.event_date.max(), freq="M")
    assert ev.event_date.dt.to_period("M").nunique() < len(months)  # the data has quiet months
    assert [fr.name for fr in fig.frames] == [f"{m.start_time:%Y-%m-%d}" for m in months]
    assert sum(len(fr.data[0].lat) for fr in fig.frames) == len(ev)
    empty = next(i for i, fr in enumerate(fig.frames) if len(fr.data[0].lat) == 0)
    assert fig.layout.sliders[0].steps[empty].label.endswith("(0)")  # said, not skipped
    assert fig.layout.updatemenus[0].buttons[0].label.endswith("Play")
    # The controls sit under the map, and the view is all of Iraq at the given size.
    assert fig.layout.sliders[0].y < 0 and fig.layout.updatemenus[0].y < 0
    assert fig.layout.margin.b >= 80 and fig.layout.height == 500 + fig.layout.margin.b
    assert fig.layout.map.zoom == figures.fit_zoom(figures.IRAQ_BOUNDS, 500, 700)


def test_troop_chart_keeps_forces_apart_and_partisan_figures_out_of_the_lines():
    levels = load("troop_levels").data
    flagged = levels.iloc[:1].assign(partisan="Press TV (Iranian state media)", personnel=9999,
                                     force="US forces", status_kind="reported")
    fig = figures.troop_chart(pd.concat([levels, flagged], ignore_index=True),
                              pd.DataFrame({"date": pd.to_datetime(["2024-09-27"]),
                                            "label": ["x"], "key": [True]}))
    names = [t.name for t in fig.data]
    assert "US forces (reported)" in names and "partisan outlet (not in the lines)" in names
    for t in fig.data:
        assert 9999 not in list(t.y) or t.name.startswith("partisan")
        if t.name == "US forces (reported)":
            assert t.mode == "lines+markers"
        else:  # sparse coalition figures and plans: dots, never a line inventing continuity
            assert t.mode == "markers", t.name
    assert {f"{f} (reported)" for f in levels[levels.status_kind == "reported"].force} <= set(names)


def test_a_filtered_period_is_the_axis_with_whole_event_ticks_and_its_own_key_dates(data):
    _, _, ev, _, _ = data
    kd = pd.DataFrame({"date": pd.to_datetime(["2021-07-26", "2024-09-27", "2024-10-02",
                                               "2024-10-02", "2024-10-03"]),
                       "label": ["old deal", "statement", "a", "b", "c"],
                       "key": [True, True, False, False, False], "description": ""})
    period = (pd.Timestamp("2024-09-01"), pd.Timestamp("2024-12-31"))
    few = ev[ev.event_date.between(*period)]
    fig = figures.timeline_chart(aggregate.timeline(few), kd, period=period,
                                 coverage=(ev.event_date.min(), ev.event_date.max()))
    lo, hi = (pd.Timestamp(x) for x in fig.layout.xaxis.range)
    assert period[0] - pd.Timedelta(days=60) < lo <= period[0] and period[1] <= hi
    assert hi < period[1] + pd.Timedelta(days=90)  # not stretched to the 2021 key date
    texts = [a.text for a in fig.layout.annotations]
    assert any("statement" in t for t in texts) and not any("old deal" in t for t in texts)
    assert fig.layout.yaxis.tickformat == ",d" and fig.layout.yaxis.dtick == 1
    # Three milestones within a day: three rows, none on top of another.
    ys = sorted(a.y for a in fig.layout.annotations if a.text == "◆")
    assert len(ys) == 3 and len(set(ys)) == 3


def test_marker_rows_keep_a_gap_on_each_row():
    dates = pd.Series(pd.to_datetime(["2024-01-01", "2024-01-02", "2024-01-20", "2024-01-03",
                                      "2024-01-04"]).sort_values())
    rows = figures.marker_rows(dates, pd.Timedelta(days=5))
    assert rows == [0, 1, 2, 2, 0]  # the fourth shares the top row: three rows at most


def test_every_chart_and_map_says_what_it_shows_and_gives_its_data(data):
    """The text alternative under a chart (WCAG 1.1.1) is generated from the figure for the
    filter: its range and its highest value; a map's layers and what each draws; and the table
    behind it holds the values drawn, in the reader's language."""
    from geo.app.figures import alternatives
    from geo.data import i18n

    events, sites = data[2], data[3]
    by_type = figures.bar_chart(aggregate.counts_by(events, "event_type"), "event_type")
    text = alternatives.describe(by_type, "By event type")
    top = events["event_type"].value_counts()
    assert text.startswith("By event type: ") and f"highest {top.iloc[0]:,} at {top.index[0]}" in text
    assert alternatives.chart_table(by_type)["Value"].sum() == len(events)
    monthly = figures.timeline_chart(aggregate.timeline(events, "MS"),
                                     aggregate.key_dates(events, load("transition").data))
    said = alternatives.describe(monthly, "Monthly events")
    assert "from Dec 2019 to Mar 2026" in said and "highest" in said  # monthly bins by month
    shown = _map(data, ("boundaries", "events", "sites"))
    said = alternatives.describe(shown, "Map")
    placed = int(sites["latitude"].notna().sum())
    assert said.startswith("Map: a map of Iraq.") and f"Foreign-force sites ({placed})" in said
    assert "nothing to draw" in alternatives.describe(
        figures.bar_chart(aggregate.counts_by(events.iloc[:0], "event_type"), "event_type"), "X")
    # the app caches figures (st.cache_data pickles them): their arrays come back as Plotly's
    # base64 typed arrays, and the description must read them alike (it said "nothing to draw"
    # under the Overview's timeline and "(1)" for every map layer)
    import pickle

    for fig, title in ((monthly, "Monthly events"), (shown, "Map"), (by_type, "By event type")):
        assert alternatives.describe(pickle.loads(pickle.dumps(fig)), title) == \
            alternatives.describe(fig, title)
    with i18n.use("ar"):
        arabic = alternatives.describe(by_type, "حسب نوع الحدث")
        assert "أعلى قيمة" in arabic and list(alternatives.chart_table(by_type)) == [
            "السلسلة", "الفئة أو التاريخ", "القيمة"]
