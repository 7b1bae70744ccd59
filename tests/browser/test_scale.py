"""The app with a large SYNTHETIC store in a real browser: the Map page opens, shows grid cells,
reacts to filter changes, and what crosses the websocket stays bounded.

N is GEO_SCALE_N (default 200,000 so that CI stays short); `make bench-browser` runs it at
1,000,000 (docs/benchmarks.md). The events are made by `geo.tools.synth`, never shipped.
"""

from __future__ import annotations

import os
import time

import pytest
from conftest import ARTIFACTS, serve
from pixels import drawn_fraction, load
from test_pages import map_canvas, settle, shown_count

from geo.tools import synth

N = int(os.environ.get("GEO_SCALE_N", "200000"))
BOUND_BYTES = 5_000_000  # per rerun, whatever N is (the figure itself is < 3 MB)


@pytest.fixture(scope="module")
def scale_app(browser, tmp_path_factory):
    """URL of the app on the synthetic store, and a start date after which ~5,000 rioter events
    remain (a filter narrow enough for individual points at any N)."""
    store = tmp_path_factory.mktemp("scale-store")
    events = synth.synthesize(N, seed=3)
    synth.write(events, store / "events.parquet", "parquet")
    rioters = events.loc[events["actor1"].str.contains("Rioters", na=False), "event_date"]
    start = rioters.sort_values().iloc[max(len(rioters) - 5_000, 0)].date()
    del events
    with serve(browser, store, "streamlit_scale.log", ready_timeout_s=300) as url:
        yield url, start


def _received(page) -> list[int]:
    sizes: list[int] = []
    page.on("websocket", lambda ws: ws.on("framereceived", lambda data: sizes.append(len(data))))
    return sizes


def _filter_actor(page, text: str) -> float:
    box = page.get_by_label("Actor contains")
    start = time.perf_counter()
    box.fill(text)
    box.press("Enter")
    settle(page, ms=500)
    return time.perf_counter() - start


def test_map_page_at_scale_shows_cells_and_follows_filters(scale_app, page):
    scale_url, narrow_start = scale_app
    sizes = _received(page)
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(f"{scale_url}/map", wait_until="domcontentloaded")
    settle(page)
    assert not errors, errors
    total = shown_count(page)
    assert total >= N  # the synthetic store plus the curated events
    assert page.get_by_text("grid cells").count() >= 1
    opened = sum(sizes)
    cells = map_canvas(page).screenshot()
    (ARTIFACTS / "scale_map_cells.png").write_bytes(cells)
    assert drawn_fraction(cells) > 0.15
    assert opened < BOUND_BYTES, f"{opened:,} bytes to open the page"

    # a filter that keeps many events: still cells, still bounded, and the picture changes
    sizes.clear()
    seconds = _filter_actor(page, "Protesters")
    many = shown_count(page)
    assert 10_000 < many < total
    assert page.get_by_text("grid cells").count() >= 1
    assert sum(sizes) < BOUND_BYTES, f"{sum(sizes):,} bytes for one filter change"
    narrowed = map_canvas(page).screenshot()
    assert (abs(load(narrowed) - load(cells)).max(axis=2) > 40).mean() > 0.005

    # a filter that keeps few: individual events again
    page.goto(f"{scale_url}/map?actor=Rioters&start={narrow_start}", wait_until="domcontentloaded")
    settle(page)
    few = shown_count(page)
    assert 0 < few <= 10_000 < many
    assert page.get_by_text("grid cells").count() == 0
    (ARTIFACTS / "scale_map_points.png").write_bytes(map_canvas(page).screenshot())
    print(f"\nscale test: N={N:,}, {total:,} events, filter change to {many:,} events took "
          f"{seconds:.1f} s in the browser, {opened:,} bytes to open the Map page")
