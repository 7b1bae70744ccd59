"""In a real browser, offline: the map canvas draws the governorates and the points."""

from __future__ import annotations

from conftest import ARTIFACTS
from pixels import colour_share, drawn_fraction

FILL_OPACITY = 0.25  # geo.app.figures.boundary_trace


def on_white(rgb: tuple[int, int, int], alpha: float) -> tuple[int, int, int]:
    return tuple(round(alpha * c + (1 - alpha) * 255) for c in rgb)


def test_overview_map_draws_offline(app_url, page):
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(app_url, wait_until="domcontentloaded")
    canvas = page.locator("canvas.maplibregl-canvas").first
    canvas.wait_for(state="visible", timeout=90_000)
    page.wait_for_timeout(4000)  # MapLibre draws after the style and sources load
    shot = canvas.screenshot()
    (ARTIFACTS / "overview_map.png").write_bytes(shot)
    assert not errors, errors  # before the full-page shot, which resizes the viewport
    assert drawn_fraction(shot) > 0.15, "map canvas is (almost) blank"
    kurdistan = on_white((230, 159, 0), FILL_OPACITY)  # Okabe-Ito orange
    assert colour_share(shot, (255, 255, 255), tolerance=3) > 0.05  # federal Iraq, untinted
    assert colour_share(shot, kurdistan, tolerance=10) > 0.005
    # The geography around Iraq, served by the app itself: neighbours' land and water.
    assert colour_share(shot, (0xF4, 0xF3, 0xEF), tolerance=4) > 0.05
    assert colour_share(shot, (0xDC, 0xEA, 0xF5), tolerance=4) > 0.002
    # Event points (vermillion): a few dozen pixels, since circles are bounded by the zoom
    # (issue 23: at most 35 km across, about 9-14 px on this small map; 8-36 px before).
    assert colour_share(shot, (213, 94, 0), tolerance=30) > 0.0001
