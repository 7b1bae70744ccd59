"""Level of detail: counts in cells are exact, and the map payload stays bounded at any N."""

import json

import numpy as np
import pandas as pd
import plotly
import pytest

from geo.app import figures
from geo.spatial import lod
from geo.spatial.boundaries import load_admin1, load_regions

TYPES = np.array(["Battles", "Explosions/Remote violence", "Protests"])


def scattered(n: int, seed: int = 0, spread: float = 1.5) -> pd.DataFrame:
    """SYNTHETIC points around Baghdad, generated here for the test only."""
    rng = np.random.default_rng(seed)
    deaths = rng.poisson(0.5, n).astype(float)
    deaths[rng.random(n) < 0.1] = np.nan
    return pd.DataFrame({
        "event_id": [f"SYN-{i}" for i in range(n)],
        "event_date": pd.Timestamp("2024-01-01") + pd.to_timedelta(rng.integers(0, 365, n), "D"),
        "latitude": rng.normal(33.3, spread, n), "longitude": rng.normal(44.4, spread, n),
        "fatalities": deaths, "event_type": TYPES[rng.integers(0, 3, n)],
        "sub_event_type": "x", "location": "SYNTHETIC", "actor1": "SYNTHETIC actor",
    })


def streamlit_json(fig) -> str:
    """What st.plotly_chart sends to the browser."""
    as_dict = plotly.tools.return_figure_from_figure_or_data(fig, validate_figure=True)
    return plotly.io.to_json(as_dict, validate=False)


def test_cells_count_every_event_and_fatality_exactly() -> None:
    ev = scattered(50_000)
    ev.loc[:9, "latitude"] = np.nan  # no coordinates: not in any cell
    cells, size = lod.grid_cells(ev)
    assert cells["events"].sum() == 50_000 - 10
    assert cells["fatalities"].sum() == int(ev["fatalities"].iloc[10:].sum())
    assert (cells["weight"] == cells["events"] + cells["fatalities"]).all()
    # independent check with pandas: counts per cell, and the commonest type where it is unique
    ix = np.floor(ev["longitude"] / size)
    iy = np.floor(ev["latitude"] / size)
    per_type = (ev.assign(ix=ix, iy=iy).dropna(subset=["latitude"])
                .groupby(["ix", "iy", "event_type"]).size().unstack(fill_value=0))
    got = cells.assign(ix=np.round(cells["lon0"] / size), iy=np.round(cells["lat0"] / size))
    got = got.set_index(["ix", "iy"]).loc[per_type.index]
    assert (got["events"].to_numpy() == per_type.sum(axis=1).to_numpy()).all()
    ordered = np.sort(per_type.to_numpy(), axis=1)
    unique_top = ordered[:, -1] > ordered[:, -2]
    assert unique_top.sum() > 100
    assert (got["top_type"].to_numpy()[unique_top] == per_type.idxmax(axis=1).to_numpy()[unique_top]).all()


@pytest.mark.parametrize("spread,expected", [(0.05, 0.01), (1.5, 0.2), (8.0, 1.0)])
def test_cell_size_follows_the_extent(spread: float, expected: float) -> None:
    ev = scattered(20_000, spread=spread)
    cells, size = lod.grid_cells(ev)
    assert size == expected
    span = max(np.ptp(ev["longitude"]), np.ptp(ev["latitude"]))
    assert span / size <= lod.MAX_COLUMNS


def test_map_switches_to_cells_and_stays_bounded() -> None:
    admin1, regions = load_admin1(), load_regions()
    layers = ("boundaries", "regions", "events", "density", "labels")
    spec = figures.MapSpec(layers)
    small = figures.layered_map(figures.MapData(admin1, regions, scattered(lod.POINT_LIMIT)), spec)
    assert any(t.type == "scattermap" and t.mode == "markers" for t in small.data)
    sizes = {}
    for n in (lod.POINT_LIMIT + 1, 200_000):
        fig = figures.layered_map(figures.MapData(admin1, regions, scattered(n)), spec)
        kinds = {t.name for t in fig.data}
        assert any(name.startswith("Events (") and "cells" in name for name in kinds)
        assert not any(t.type == "scattermap" and t.mode == "markers"
                       and not t.name.endswith("shading)") for t in fig.data)
        sizes[n] = len(streamlit_json(fig))
    assert max(sizes.values()) < 3_000_000
    # more events do not mean more bytes: the payload depends on occupied cells, not on N
    assert sizes[200_000] < 2 * sizes[lod.POINT_LIMIT + 1]


def test_cells_hover_is_escaped_and_geojson_is_inline() -> None:
    ev = scattered(lod.POINT_LIMIT + 10)
    ev["event_type"] = "<img src=x onerror=alert(1)>"
    cells, size = lod.grid_cells(ev)
    trace = figures.cell_trace(cells, size)
    assert trace.geojson.startswith("data:application/geo+json;base64,")
    assert not any("<img" in str(v) for row in trace.customdata for v in row)


def test_animation_at_scale_sends_cells_per_frame() -> None:
    admin1 = load_admin1()
    ev = scattered(100_000)
    fig = figures.animated_map(figures.MapData(admin1, events=ev), figures.MapSpec(height=520))
    assert len(fig.frames) == 12
    per_frame = [len(fr.data[0].lat) for fr in fig.frames]
    assert max(per_frame) < 2_000  # cells, not the ~8,000 events of a month
    assert sum(per_frame) < len(ev) / 10
    assert len(json.dumps(fig.to_plotly_json(), cls=plotly.utils.PlotlyJSONEncoder)) < 3_000_000
