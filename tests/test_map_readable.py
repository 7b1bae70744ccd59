"""A readable map at any size (issue 23, step 4): event circles are bounded by the view's zoom
and by how many are drawn, and above a threshold crowded events are grouped into circles with
counts that come apart on zoom. The real-browser check with the real UCDP file is
tests/browser/test_map_real_size.py."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from geo.app import figures, ui
from geo.app.direction import COLORS, DIRECTIONS
from geo.app.direction import COLUMN as DIRECTION
from geo.app.figures import maps
from geo.spatial import lod
from geo.spatial.boundaries import load_admin1

ZOOMS = (4.5, 5.08, 6.0, 7.5, 9.0)


def events(n: int, seed: int = 0, spread: float = 1.5) -> pd.DataFrame:
    """SYNTHETIC events around Baghdad with every direction and tolls up to the hundreds."""
    rng = np.random.default_rng(seed)
    deaths = rng.choice([0, 1, 4, 12, 60, 400], n).astype(float)
    deaths[rng.random(n) < 0.1] = np.nan
    return pd.DataFrame({
        "event_id": [f"SYN-{i}" for i in range(n)],
        "event_date": pd.Timestamp("2024-01-01") + pd.to_timedelta(rng.integers(0, 365, n), "D"),
        "latitude": rng.normal(33.3, spread, n), "longitude": rng.normal(44.4, spread, n),
        "fatalities": deaths, "event_type": "Battles", "sub_event_type": "Armed clash",
        "location": "SYNTHETIC", "actor1": "SYNTHETIC actor",
        DIRECTION: np.array(DIRECTIONS)[rng.integers(0, len(DIRECTIONS), n)],
    })


@pytest.fixture(scope="module")
def admin1():
    return load_admin1()


def event_markers(fig) -> list:
    return [t for t in fig.data if t.type == "scattermap" and t.name in DIRECTIONS]


def test_px_per_km_follows_the_web_mercator_scale():
    # 512 px world at zoom 0: one degree of longitude at the equator is 512/360 px.
    assert maps.px_per_km(0, 0) * 111.32 == pytest.approx(512 / 360, rel=1e-3)
    assert maps.px_per_km(6) == pytest.approx(2 * maps.px_per_km(5))
    assert maps.px_per_km(5, 60) > maps.px_per_km(5, 33)  # Mercator stretches towards the poles


@pytest.mark.parametrize("zoom", ZOOMS)
def test_no_circle_is_wider_than_largest_km_and_more_markers_mean_smaller_ones(zoom):
    largest_km = maps.LARGEST_KM * maps.px_per_km(zoom)
    previous = (math.inf, math.inf)
    for n in (1, 100, 300, 1_000, 3_000, 10_000, 100_000):
        smallest, largest = maps.marker_bounds(n, zoom)
        assert largest <= max(largest_km, 2 * maps.SMALLEST_PX) + 0.01, (n, zoom)
        assert largest <= maps.LARGEST_PX
        # size still tells the toll
        assert maps.SMALLEST_PX <= smallest <= largest * maps.SMALLEST_SHARE + 0.01
        assert smallest <= previous[0] and largest <= previous[1]  # never grows with n
        previous = (smallest, largest)
    # A few hundred markers keep their size; tenfold more shrink both bounds, to half at most.
    assert maps.marker_bounds(300, zoom) == maps.marker_bounds(1, zoom)
    assert maps.marker_bounds(3_000, zoom)[1] < maps.marker_bounds(300, zoom)[1]
    assert maps.marker_bounds(10**6, zoom)[1] >= maps.marker_bounds(300, zoom)[1] / 2 - 0.01


def test_zoomed_far_in_a_few_events_keep_the_old_sizes():
    # At a town's zoom 35 km is hundreds of pixels: the old 8 + 4·sqrt(deaths) scale applies.
    bounds = maps.marker_bounds(50, 9.0)
    deaths = pd.Series([0, 1, 16, 50, 500, None], dtype="Float64")
    old = 8 + 4 * np.sqrt(deaths.astype(float).fillna(0).clip(upper=50))
    assert np.allclose(maps.marker_sizes(deaths, bounds), old, atol=0.05)


def test_sizes_grow_with_the_toll_within_the_bounds():
    bounds = (4.0, 11.0)
    deaths = pd.Series([None, 0, 1, 10, 50, 9505], dtype="Float64")
    sizes = maps.marker_sizes(deaths, bounds)
    assert sizes[0] == sizes[1] == 4.0  # unknown toll: the smallest circle, as 0
    assert np.all(np.diff(sizes[1:]) >= 0) and sizes[-1] == sizes[-2] == 11.0


def test_map_bounds_every_event_circle_by_its_fitted_zoom(admin1):
    ev = events(800)
    for bounds in (None, {"west": 43.0, "east": 46.0, "south": 32.0, "north": 35.0}):
        spec = figures.MapSpec(("events",), height=520, width=700, bounds=bounds)
        fig = figures.layered_map(figures.MapData(admin1, events=ev), spec)
        largest_km = maps.LARGEST_KM * maps.px_per_km(fig.layout.map.zoom)
        sizes = np.concatenate([np.asarray(t.marker.size, float) for t in event_markers(fig)])
        assert len(sizes) == len(ev)
        assert sizes.max() <= min(largest_km, maps.LARGEST_PX) + 0.01
        assert sizes.max() > sizes.min()  # still sized by deaths
    # the Overview's smaller map gets smaller circles than the Map page's
    small = figures.overview_map(figures.MapData(admin1, events=ev),
                                 figures.MapSpec(height=420, width=400))
    assert max(max(t.marker.size) for t in event_markers(small)) < sizes.max()


def test_clusters_above_the_threshold_and_points_below_it(admin1):
    spec = figures.MapSpec(("boundaries", "events", "sites"), height=520, width=700)
    few = figures.layered_map(figures.MapData(admin1, events=events(figures.CLUSTER_LIMIT)), spec)
    assert event_markers(few) and not any(t.cluster.enabled for t in event_markers(few))
    assert ui.lod_note(few, figures.CLUSTER_LIMIT) is None

    many = events(figures.CLUSTER_LIMIT + 1)
    fig = figures.layered_map(figures.MapData(admin1, events=many), spec)
    traces = event_markers(fig)
    assert len(traces) == len(DIRECTIONS) and all(t.cluster.enabled for t in traces)
    zoom = fig.layout.map.zoom
    for t in traces:
        # Clusters come apart into single events within two zoom levels of the fitted view.
        assert isinstance(t.cluster.maxzoom, int) and zoom < t.cluster.maxzoom + 1 <= zoom + 2
        assert list(t.cluster.size) == maps.CLUSTER_RADII
        assert list(t.cluster.step) == maps.CLUSTER_STEPS
        # The cluster is its direction's colour, light enough for Plotly's black count.
        rgb = np.array([int(t.cluster.color[i:i + 2], 16) for i in (1, 3, 5)]) / 255
        assert maps._luminance(rgb) >= maps.COUNT_LUMINANCE
        if COLORS[t.name] != "#000000":
            assert t.cluster.color == COLORS[t.name]
        # A point still carries its event id (a click opens its record); Plotly gives a
        # cluster no hover and no customdata of its own.
        assert [row[0] for row in t.customdata] == list(
            many.loc[many[DIRECTION] == t.name, "event_id"])
    # The direction with the most events is drawn last (its count shows where clusters
    # overlap); the legend keeps the documented order.
    assert [len(t.lat) for t in traces] == sorted(len(t.lat) for t in traces)
    by_rank = [t.name for t in sorted(traces, key=lambda t: t.legendrank)]
    assert by_rank == [d for d in DIRECTIONS if d in set(many[DIRECTION])]
    assert "grouped into circles" in ui.lod_note(fig, len(many))

    # Events without coordinates are not markers: they do not switch clustering on.
    padded = pd.concat([events(figures.CLUSTER_LIMIT), many.iloc[:50].assign(latitude=np.nan)])
    fig = figures.layered_map(figures.MapData(admin1, events=padded), spec)
    assert not any(t.cluster.enabled for t in event_markers(fig))
    # The threshold is the spec's: a page can choose another.
    fig = figures.layered_map(figures.MapData(admin1, events=events(50)),
                              figures.MapSpec(("events",), cluster_limit=10))
    assert all(t.cluster.enabled for t in event_markers(fig))


def test_above_the_point_limit_cells_replace_points_and_clusters(admin1):
    fig = figures.layered_map(figures.MapData(admin1, events=events(lod.POINT_LIMIT + 1)),
                              figures.MapSpec(("events",)))
    assert not event_markers(fig)
    assert any(t.name.startswith("Events (") and "cells" in t.name for t in fig.data)


def test_black_clusters_become_a_dark_grey_that_shows_a_black_count():
    grey = maps.readable_under_black("#000000")
    assert grey.startswith("#") and len(set((grey[1:3], grey[3:5], grey[5:7]))) == 1
    assert 0x40 <= int(grey[1:3], 16) < 0x99  # darker than "Other violence" grey
    assert maps.readable_under_black("#D55E00") == "#D55E00"


def test_the_animation_bounds_its_points_like_the_map(admin1):
    ev = events(600)
    spec = figures.MapSpec(height=520, width=700)
    fig = figures.animated_map(figures.MapData(admin1, events=ev), spec)
    busiest = int(ev["event_date"].dt.to_period("M").value_counts().max())
    smallest, largest = maps.marker_bounds(busiest, spec.zoom, figures.IRAQ_CENTER["lat"])
    sizes = np.concatenate([np.asarray(fr.data[0].marker.size, float) for fr in fig.frames])
    assert len(sizes) == len(ev)
    assert sizes.min() == pytest.approx(smallest) and sizes.max() == pytest.approx(largest)
    assert largest <= maps.LARGEST_KM * maps.px_per_km(spec.zoom, figures.IRAQ_CENTER["lat"]) + 0.01
