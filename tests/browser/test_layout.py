"""What a reader sees in the first screen, on a laptop and on a phone, in light and dark themes:
the map with all of Iraq in frame and the geography around it, its legend under it (never over
it), the story and the transition strip on the Overview. Screenshots go to tests/artifacts/
(`layout_*.png`) and feed the README tour."""

from __future__ import annotations

import pytest
from conftest import ARTIFACTS
from pixels import colour_share
from test_pages import map_canvas, settle

from geo.app import direction
from geo.app.figures import IRAQ_BOUNDS
from geo.app.figures.maps import _CONTEXT_COLORS

PHONE_UA = ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 "
            "(KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1")
SCREENS = {"desktop": {"viewport": {"width": 1440, "height": 900}},
           "phone": {"viewport": {"width": 390, "height": 844}, "is_mobile": True,
                     "has_touch": True, "user_agent": PHONE_UA}}

# Where Iraq's extremes land on the map's canvas, and where the canvas and legend are.
_GEOMETRY = """([west, east, south, north]) => {
  const gd = [...document.querySelectorAll('.js-plotly-plot')]
    .find(g => g._fullLayout && g._fullLayout.map);
  const map = gd._fullLayout.map._subplot.map;
  const canvas = map.getCanvas().getBoundingClientRect();
  const p = (lon, lat) => map.project([lon, lat]);
  const legend = gd.querySelector('g.legend');
  return {canvas: {top: canvas.top, bottom: canvas.bottom, width: canvas.width,
                   height: canvas.height},
          west: p(west, 33).x, east: p(east, 30.5).x, north: p(44, north).y,
          south: p(46, south).y,
          legend: legend ? legend.getBoundingClientRect().top : null,
          entries: [...gd.querySelectorAll('.legendtext')].map(t => t.textContent)};
}"""


def hex_rgb(value: str) -> tuple[int, int, int]:
    return tuple(int(value[i:i + 2], 16) for i in (1, 3, 5))


@pytest.mark.parametrize("theme", ["light", "dark"])
@pytest.mark.parametrize("screen", list(SCREENS))
def test_first_screen_shows_the_map_whole_with_its_geography(browser, app_url, screen, theme):
    context = browser.new_context(color_scheme=theme, **SCREENS[screen])
    page = context.new_page()
    try:
        page.goto(f"{app_url}/map", wait_until="domcontentloaded")
        settle(page)
        map_canvas(page)
        page.wait_for_timeout(1000)  # the context file arrives after the style
        page.screenshot(path=str(ARTIFACTS / f"layout_map_{screen}_{theme}.png"))
        got = page.evaluate(_GEOMETRY, [IRAQ_BOUNDS[k] for k in ("west", "east", "south",
                                                                 "north")])
        canvas, height = got["canvas"], SCREENS[screen]["viewport"]["height"]
        assert canvas["top"] < height * 0.6, "the map is not on the first screen"
        # All of Iraq inside the canvas, whatever the screen (a desktop zoom on a phone cut the
        # west off).
        assert 0 <= got["west"] < got["east"] <= canvas["width"], got
        assert 0 <= got["north"] < got["south"] <= canvas["height"], got
        # The legend is under the map, not over it, and names the directions of violence.
        assert got["legend"] is not None and got["legend"] >= canvas["bottom"] - 2, got
        assert direction.ATTACKS in got["entries"] and direction.STRIKES in got["entries"]
        assert "Kurdistan Region (shading)" in got["entries"]
        # The geography: water, neighbours and Iraq in the theme's colours.
        shot = map_canvas(page).screenshot()
        colours = _CONTEXT_COLORS[theme == "dark"]
        assert colour_share(shot, hex_rgb(colours["land"]), tolerance=6) > 0.03, "no neighbours"
        assert colour_share(shot, hex_rgb(colours["water"]), tolerance=6) > 0.002, "no water"
        if screen == "desktop" and theme == "light":
            page.goto(app_url, wait_until="domcontentloaded")
            settle(page)
            page.screenshot(path=str(ARTIFACTS / f"layout_overview_{screen}_{theme}.png"))
            # The story, then each phase of the transition with its deadline and outcome.
            story = page.get_by_text("the data holds").first
            assert story.is_visible() and story.bounding_box()["y"] < height
            for phase in ("Phase 1 · Federal Iraq", "Phase 2 · Kurdistan Region"):
                strip = page.get_by_text(phase).first
                assert strip.is_visible() and strip.bounding_box()["y"] < height
            assert page.get_by_text("deadline 30 Sep 2025").first.is_visible()
    finally:
        context.close()
