"""A readable map at any size (issue 23, step 4), in a real browser with a real file: UCDP GED's
7,473 events for Iraq (../shared/data/events/, never copied into the project) imported into a
temporary store, served once for this module.

At country zoom the events leave most of Iraq visible; crowded events are grouped into circles
whose counts are drawn with the app's own glyphs; a cluster has no event hover (so a click on
it cannot open a record); two zoom levels in, every event is a point again. The Map and the
Overview on this store are the README tour's `map_ucdp.png` and `overview_ucdp.png`."""

from __future__ import annotations

import math

import pytest
from conftest import ARTIFACTS, ROOT, serve
from pixels import colour_mask, covered_share
from test_pages import map_canvas, open_page, shown_count

from geo.app import figures
from geo.sources.ingest import ingest_file

UCDP = ROOT.parent / "shared" / "data" / "events" / "ucdp_ged_iraq_hdx.csv"
pytestmark = pytest.mark.skipif(not UCDP.is_file(),
                                reason=f"the real UCDP GED file is not present ({UCDP})")

MOST_COVERED = 1 / 3  # of Iraq's area on the map; the old fixed sizes covered 41 %
WITHOUT_EVENTS = "layers=boundaries,regions,sites,labels"  # the default layers but events
KURDISTAN_TINT = tuple(round(figures.FILL_OPACITY * c + (1 - figures.FILL_OPACITY) * 255)
                       for c in (230, 159, 0))  # Okabe-Ito orange on white

# What MapLibre has drawn: clusters (with their place on the page), their counts, single events.
_RENDERED = """() => {
  const gd = [...document.querySelectorAll('.js-plotly-plot')]
    .find(g => g._fullLayout && g._fullLayout.map);
  const map = gd._fullLayout.map._subplot.map;
  const ids = map.getStyle().layers.map(l => l.id);
  const drawn = end => map.queryRenderedFeatures(null, {layers: ids.filter(i => i.endsWith(end))});
  const box = map.getCanvas().getBoundingClientRect();
  const at = f => { const p = map.project(f.geometry.coordinates);
                    return {x: box.left + p.x, y: box.top + p.y}; };
  return {zoom: map.getZoom(),
          clusters: drawn('-cluster').map(f => ({...at(f), n: f.properties.point_count})),
          counts: drawn('-cluster-count').length, singles: drawn('-circle').map(at)};
}"""
_ZOOM_IN = """async levels => {
  const gd = [...document.querySelectorAll('.js-plotly-plot')]
    .find(g => g._fullLayout && g._fullLayout.map);
  const map = gd._fullLayout.map._subplot.map;
  const idle = new Promise(resolve => map.once('idle', resolve));
  map.jumpTo({zoom: map.getZoom() + levels});
  await idle;
}"""
_HOVER = "() => [...document.querySelectorAll('g.hoverlayer')].map(g => g.textContent).join('|')"


@pytest.fixture(scope="module")
def ucdp_url(browser, tmp_path_factory):
    store = tmp_path_factory.mktemp("ucdp-store")
    report = ingest_file(UCDP, store=store)
    assert report.imported == 7_473, report.summary()
    with serve(browser, store, "streamlit_ucdp.log") as url:
        yield url


def test_thousands_of_real_events_leave_the_map_readable(ucdp_url, browser):
    errors: list[str] = []
    context = browser.new_context(viewport={"width": 1400, "height": 2600})  # whole pages
    page = context.new_page()
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        # The README tour's pictures first: a failing run still shows what went wrong.
        open_page(page, ucdp_url, "")
        page.screenshot(path=str(ARTIFACTS / "page_overview_ucdp.png"), full_page=True)
        overview = page.evaluate(_RENDERED)
        open_page(page, ucdp_url, "map", WITHOUT_EVENTS)
        bare = map_canvas(page).screenshot()
        open_page(page, ucdp_url, "map")
        page.screenshot(path=str(ARTIFACTS / "page_map_ucdp.png"), full_page=True)
        shot = map_canvas(page).screenshot()
        (ARTIFACTS / "map_ucdp.png").write_bytes(shot)
        assert not errors, errors
        assert shown_count(page) > 7_473

        # Events cover less than a third of Iraq at country zoom (they covered 41 % with fixed
        # circles of up to 36 px).
        iraq = colour_mask(bare, (255, 255, 255), 3) | colour_mask(bare, KURDISTAN_TINT, 12)
        covered = covered_share(shot, bare, iraq)
        print(f"\nUCDP map: events cover {covered:.1%} of Iraq at country zoom")
        assert covered < MOST_COVERED

        # Grouped, with counts drawn in our own font, on both maps, and the page says so.
        assert page.get_by_text("grouped into circles with their count").count() == 1
        drawn = page.evaluate(_RENDERED)
        assert drawn["clusters"] and drawn["counts"] >= len(drawn["clusters"]) // 2, drawn
        assert overview["clusters"] and overview["counts"], overview
        assert sum(c["n"] for c in drawn["clusters"]) > 5_000

        # Hovering a cluster (what a click would select) shows no event: the clustered events
        # are not hoverable, so no click on a cluster opens a record.
        far = max(drawn["clusters"], key=lambda c: min(
            (math.dist((c["x"], c["y"]), (s["x"], s["y"])) for s in drawn["singles"]),
            default=math.inf))
        page.mouse.move(far["x"], far["y"])
        page.wait_for_timeout(800)
        assert "deaths:" not in page.evaluate(_HOVER)

        # Two zoom levels in, the clusters have come apart into single events.
        page.evaluate(_ZOOM_IN, 2)
        closer = page.evaluate(_RENDERED)
        assert not closer["clusters"] and len(closer["singles"]) > 1_000, closer["zoom"]
    finally:
        context.close()
