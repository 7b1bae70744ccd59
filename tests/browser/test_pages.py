"""Every page in a real browser, offline: maps draw, layers toggle, filters apply, a governorate
click filters, downloads equal the filtered table. Screenshots land in tests/artifacts/."""

from __future__ import annotations

import io
import math
import zipfile
from urllib.parse import quote

import numpy as np
import pandas as pd
import pytest
from conftest import ARTIFACTS
from pixels import colour_share, drawn_fraction
from pixels import load as load_png

from geo.app import filters
from geo.app.dataset import load_data
from geo.app.figures import IRAQ_BOUNDS, IRAQ_CENTER, fit_zoom
from geo.data.export import export_frame
from geo.sources.curated import load

PAGES = {"overview": "", "map": "map", "events": "events", "deployments": "deployments",
         "regions": "regions", "data": "data", "geoparse": "geoparse"}
VERMILLION = (213, 94, 0)  # points of attacks on US/coalition and diplomatic sites
DIRECTION_RGB = (VERMILLION, (0, 114, 178), (204, 121, 167))  # + strikes, cross-border


def event_colour_share(png: bytes) -> float:
    """Share of the picture in the colours of the three commonest directions of violence."""
    return sum(colour_share(png, rgb, tolerance=30) for rgb in DIRECTION_RGB)


_CHARTS_READY = """() => {
  if (document.querySelector('[data-testid="stStatusWidget"]')) return false;
  if (document.querySelector('[data-testid="stSkeleton"], [data-stale="true"]')) return false;
  const plots = [...document.querySelectorAll('.js-plotly-plot')];
  return plots.every(gd => {
    if (!gd._fullLayout) return false;
    const sub = gd._fullLayout.map && gd._fullLayout.map._subplot;
    return !sub || (sub.map && sub.map.loaded() && sub.map.areTilesLoaded());
  });
}"""


def settle(page, ms: int = 1500) -> None:
    """Wait until Streamlit has finished its run and every chart and map has drawn."""
    page.wait_for_selector("text=Coverage:", timeout=90_000)
    page.wait_for_timeout(500)
    page.wait_for_function(_CHARTS_READY, timeout=90_000, polling=250)
    page.wait_for_timeout(ms)
    page.wait_for_function(_CHARTS_READY, timeout=90_000, polling=250)


def open_page(page, app_url: str, path: str, query: str = "") -> None:
    page.goto(f"{app_url}/{path}{'?' + query if query else ''}", wait_until="domcontentloaded")
    settle(page)


def map_canvas(page, index: int = 0):
    canvas = page.locator("canvas.maplibregl-canvas").nth(index)
    canvas.wait_for(state="visible", timeout=60_000)
    return canvas


def shown_count(page) -> int:
    caption = page.get_by_text("Coverage:").first.inner_text()
    part = next(p for p in caption.split(" · ") if p.endswith(" events shown"))
    return int(part.split(" of ")[0])


@pytest.fixture
def tall_page(browser):
    """A tall window, so a page's screenshot shows all of it (Streamlit scrolls inside)."""
    context = browser.new_context(viewport={"width": 1400, "height": 2600})
    yield context.new_page()
    context.close()


@pytest.mark.parametrize("name", list(PAGES))
def test_page_renders_without_errors(app_url, tall_page, name):
    page = tall_page
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    open_page(page, app_url, PAGES[name])
    assert not errors, errors  # checked before the full-page shot, which resizes the viewport
    page.screenshot(path=str(ARTIFACTS / f"page_{name}.png"), full_page=True)
    assert page.locator('[data-testid="stException"]').count() == 0
    assert page.locator("h1").count() == 1
    assert "Filter: no filter" in page.get_by_text("Coverage:").first.inner_text()
    if name in ("overview", "map", "deployments", "regions"):
        shot = map_canvas(page).screenshot()
        (ARTIFACTS / f"map_{name}.png").write_bytes(shot)
        assert drawn_fraction(shot) > 0.15, f"{name}: map canvas is blank"


def test_layer_toggle_changes_the_picture(app_url, page):
    open_page(page, app_url, "map")
    before = map_canvas(page).screenshot()
    assert event_colour_share(before) > 0.0005
    page.get_by_test_id("stSidebar").get_by_text("Map layers").click()
    page.get_by_text("Events (colour = direction, size = deaths)").click()
    settle(page)
    after = map_canvas(page).screenshot()
    (ARTIFACTS / "map_without_events.png").write_bytes(after)
    assert event_colour_share(after) < 0.0001
    assert "layers=" in page.url
    # remembered across pages
    page.get_by_role("link", name="Regions").click()
    settle(page)
    page.get_by_role("link", name="Map").click()
    settle(page)
    again = map_canvas(page).screenshot()
    assert event_colour_share(again) < 0.0001


def test_density_and_labels_layers_draw(app_url, page):
    open_page(page, app_url, "map", "layers=boundaries,density")
    without = map_canvas(page).screenshot()
    open_page(page, app_url, "map", "layers=boundaries,density,labels")
    shot = map_canvas(page).screenshot()
    (ARTIFACTS / "map_density_labels.png").write_bytes(shot)
    assert drawn_fraction(shot) > 0.15
    assert colour_share(shot, (250, 200, 120), tolerance=60) > 0.0005  # the heat around Baghdad
    a, b = load_png(without), load_png(shot)
    changed = np.abs(a - b).max(axis=2) > 60
    assert changed.mean() > 0.002, "governorate labels did not draw (glyphs not served?)"
    assert b[changed].mean() < a[changed].mean()  # dark text over the light fill


def test_filter_in_sidebar_applies_everywhere(app_url, page):
    open_page(page, app_url, "events")
    total = shown_count(page)
    box = page.get_by_label("Actor contains")
    box.fill("Kataib Hezbollah")
    box.press("Enter")
    settle(page)
    narrowed = shown_count(page)
    assert 0 < narrowed < total
    assert "actor=Kataib" in page.url
    page.get_by_role("link", name="Overview").click()
    settle(page)
    assert shown_count(page) == narrowed


def _pixel_of(lon: float, lat: float, width: int, height: int) -> tuple[float, float]:
    zoom = fit_zoom(IRAQ_BOUNDS, height)
    world = 512 * 2 ** zoom

    def merc_y(la: float) -> float:
        return math.log(math.tan(math.pi / 4 + math.radians(la) / 2))

    x = (lon - IRAQ_CENTER["lon"]) / 360 * world + width / 2
    y = -(merc_y(lat) - merc_y(IRAQ_CENTER["lat"])) / (2 * math.pi) * world + height / 2
    return x, y


def test_clicking_a_governorate_filters_to_it(app_url, page):
    open_page(page, app_url, "map", "layers=boundaries")
    canvas = map_canvas(page)
    box = canvas.bounding_box()
    x, y = _pixel_of(41.5, 32.5, round(box["width"]), round(box["height"]))  # western Anbar
    page.mouse.click(box["x"] + x, box["y"] + y)  # Plotly's overlay, not the canvas, gets it
    page.wait_for_url("**gov=IQ-AN**", timeout=30_000)
    settle(page)
    page.screenshot(path=str(ARTIFACTS / "map_after_click.png"))
    caption = page.get_by_text("Coverage:").first.inner_text()
    assert "governorates: Anbar" in caption
    assert "gov=IQ-AN" in page.url


def test_clicking_an_event_on_the_map_opens_its_record(app_url, page):
    event = load("events").data.set_index("event_id").loc["IRQ-CUR-0004"]  # 3 Jan 2020
    day = f"{event.event_date:%Y-%m-%d}"
    open_page(page, app_url, "map", f"start={day}&end={day}&layers=events")
    gd = page.locator(".js-plotly-plot").first
    spot = gd.evaluate("""(gd, p) => {
      const map = gd._fullLayout.map._subplot.map, box = map.getContainer().getBoundingClientRect();
      const xy = map.project([p[1], p[0]]); return [box.left + xy.x, box.top + xy.y];
    }""", [float(event.latitude), float(event.longitude)])
    page.mouse.click(*spot)
    page.get_by_text("Selected event").wait_for(timeout=30_000)
    settle(page)
    record = page.get_by_test_id("stDataFrame").last
    record.locator("td").first.wait_for(state="attached", timeout=30_000)
    cells = " ".join(record.locator("td").all_text_contents())
    assert "IRQ-CUR-0004" in cells and "Soleimani" in cells
    assert page.get_by_role("link", name="Open the source").get_attribute("href") == event.source_url
    page.screenshot(path=str(ARTIFACTS / "map_event_record.png"), full_page=True)


def test_download_equals_the_filtered_table(app_url, page, tmp_path):
    query = "region=" + quote("Kurdistan Region") + "&start=2020-01-01"
    open_page(page, app_url, "data", query)
    f, notices = filters.from_query_params({"region": "Kurdistan Region", "start": "2020-01-01"})
    assert not notices
    # the app's records: the curated events with what the dashboard derives (families,
    # direction, origin, links), as `geo export` writes them
    expected = export_frame(filters.apply(load_data(tmp_path / "empty-store").events, f),
                            "events")
    assert 0 < len(expected) < len(load("events").data)
    with page.expect_download() as dl:
        page.get_by_role("button", name="Events as CSV").click()
    path = tmp_path / dl.value.suggested_filename
    dl.value.save_as(path)
    assert "Kurdistan" in path.name and path.suffix == ".csv"
    got = pd.read_csv(path, dtype=str, keep_default_na=False)
    assert list(got.event_id) == list(expected.event_id)
    assert list(got.columns) == [c for c in expected.columns if c != "geometry"]
    # and the table the Events page shows has the same rows
    open_page(page, app_url, "events", query)
    assert shown_count(page) == len(expected)
    # the zip bundle carries the same rows and a README
    open_page(page, app_url, "data", query)
    with page.expect_download() as dl:
        page.get_by_role("button", name="Events and sites as csv (zip)").click()
    with zipfile.ZipFile(io.BytesIO(open(dl.value.path(), "rb").read())) as zf:
        names = zf.namelist()
        events_name = next(n for n in names if n.startswith("iraq_events_"))
        bundled = pd.read_csv(zf.open(events_name), dtype=str, keep_default_na=False)
        readme = zf.read("README.txt").decode()
    assert list(bundled.event_id) == list(expected.event_id)
    assert "Kurdistan Region" in readme


def test_dark_theme_renders(browser, app_url):
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, color_scheme="dark")
    page = context.new_page()
    try:
        open_page(page, app_url, "")
        page.screenshot(path=str(ARTIFACTS / "page_overview_dark.png"), full_page=True)
        shot = map_canvas(page).screenshot()
        assert drawn_fraction(shot, background=(14, 17, 23)) > 0.1
        # The map follows the dark theme: its corner is the dark land or water around Iraq.
        assert load_png(shot)[5, 5].tolist() in ([0x1A, 0x1D, 0x24], [0x0D, 0x22, 0x33])
    finally:
        context.close()


def test_basemap_offline_degrades_to_the_offline_map(app_url, page):
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    open_page(page, app_url, "map", "layers=boundaries,events,basemap")
    assert drawn_fraction(map_canvas(page).screenshot()) > 0.15
    assert page.get_by_text("basemap is not reachable").count() == 1
    assert not errors, errors


def test_an_upload_on_a_shared_copy_is_seen_by_its_visitor_only(app_url, browser):
    """Without GEO_ALLOW_WRITE (a hosted copy), an import is a private view: the visitor who
    made it sees it on every page of the session; another visitor, and the shared store, don't."""
    from conftest import ROOT

    one = browser.new_context(viewport={"width": 1400, "height": 1600})
    other = browser.new_context(viewport={"width": 1400, "height": 1600})
    try:
        page = one.new_page()
        open_page(page, app_url, "data")
        before = shown_count(page)
        assert page.get_by_text("your browser session only").count() == 1
        page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(
            str(ROOT / "tests" / "fixtures" / "formats" / "acled_old.csv"))
        page.get_by_role("button", name="Import").wait_for(timeout=60_000)
        page.get_by_role("button", name="Import").click()
        page.get_by_text("rows read").first.wait_for(timeout=90_000)
        page.screenshot(path=str(ARTIFACTS / "data_import.png"), full_page=True)
        summary = page.get_by_text("rows read").first.inner_text()
        assert "0 rejected" in summary
        imported = int(summary.split(" rows read: ")[1].split(" imported")[0].replace(",", ""))
        assert imported > 0
        settle(page)
        assert shown_count(page) == before + imported  # the page itself counts them at once
        # the same session, another page (the sidebar's link keeps the session)
        page.get_by_test_id("stSidebarNav").get_by_text("Events").click()
        page.wait_for_selector("h1:has-text('Events')", timeout=60_000)
        settle(page)
        assert shown_count(page) == before + imported
        # another visitor sees the shared data unchanged
        theirs = other.new_page()
        open_page(theirs, app_url, "events")
        assert shown_count(theirs) == before
        # and so does the first visitor in a new session (a reload)
        open_page(page, app_url, "events")
        assert shown_count(page) == before
    finally:
        one.close()
        other.close()
