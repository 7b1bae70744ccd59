"""In Chromium, the dashboard in Arabic and Sorani Kurdish (issue 26): map labels drawn in
Arabic script (shaped by the app, glyphs served by the app), and the tour's Arabic and Kurdish
screenshots. That every page reads right to left with no English interface text left is checked
on the accessibility test's page loads (`assert_reads_in`), which visit every page in both."""

from __future__ import annotations

import re

import pytest
from babel.messages.pofile import read_po
from conftest import ARTIFACTS
from test_pages import _CHARTS_READY

from geo.data import i18n

PLACEHOLDER = re.compile(r"\{[^}]*\}|%\(|\n|`|\*\*")


def english_messages(lang: str) -> list[str]:
    """Interface messages a reader would spot if left in English: whole phrases (two words or
    more, no placeholder or markup), translated differently in `lang`'s catalog."""
    with i18n.po_path(lang).open("rb") as fh:
        catalog = read_po(fh, locale=lang)
    return [m.id for m in catalog if isinstance(m.id, str) and m.id and isinstance(m.string, str)
            and m.string and m.string != m.id and len(m.id.split()) >= 2
            and not PLACEHOLDER.search(m.id)]


def visible_text(page) -> str:
    """The text a reader sees in the sidebar and the page (tables draw on a canvas, charts in
    SVG: their titles and axes are part of it)."""
    return page.evaluate("""() => ['[data-testid="stSidebarContent"]', '[data-testid="stMain"]']
        .map(s => document.querySelector(s)?.innerText || '').join('\\n')""")


def wait_for_page(page, url: str) -> None:
    page.goto(url, wait_until="domcontentloaded")
    page.wait_for_selector('[data-testid="stMain"] h1', timeout=120_000)
    page.wait_for_function("""() => !document.querySelector('[data-testid="stStatusWidget"]')""",
                           timeout=120_000)
    page.wait_for_function(_CHARTS_READY, timeout=90_000, polling=250)
    page.wait_for_timeout(1500)
    page.wait_for_function(_CHARTS_READY, timeout=90_000, polling=250)


def assert_reads_in(page, lang: str, english: list[str], where: str) -> None:
    """The page reads right to left in `lang`, says so on <html>, and shows none of the
    interface's English phrases (run on every page by the accessibility test's sessions)."""
    direction = page.evaluate("""() => ['stMain', 'stSidebarContent'].map(id =>
        getComputedStyle(document.querySelector(`[data-testid="${id}"]`)).direction)""")
    assert direction == ["rtl", "rtl"], (where, direction)
    # and it is aligned to the right: Streamlit sets text-align: left on every element's
    # container, which left headings and paragraphs ragged on the right
    aligned = page.evaluate("""() => [...document.querySelectorAll(
        '[data-testid="stMain"] h1, [data-testid="stMain"] [data-testid="stMarkdownContainer"] p')]
        .slice(0, 6).map(e => getComputedStyle(e).textAlign)""")
    assert aligned and "left" not in aligned, (where, aligned)  # (an uploader's hint is centred)
    # the page says its language, so a screen reader reads it with the right voice
    assert page.evaluate("() => document.documentElement.lang") == lang, where
    text = visible_text(page)
    assert not [m for m in english if m in text], (where, [m for m in english if m in text])


@pytest.mark.parametrize("lang", ["ar", "ckb"])
def test_map_labels_are_drawn_in_arabic_script_on_a_phone(browser, app_url, lang):
    """The governorate and site labels reach MapLibre shaped (private-use glyph ids, in visual
    order) and their glyph ranges come from the app itself, on the 390 px phone of the tour."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True,
                                  has_touch=True, device_scale_factor=2, user_agent=(
                                      "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) "
                                      "AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148"))
    page = context.new_page()
    glyphs: list[tuple[str, int]] = []
    page.on("response", lambda r: glyphs.append((r.url, r.status)) if r.url.endswith(".pbf")
            else None)
    wait_for_page(page, f"{app_url}/map?lang={lang}")
    page.locator("canvas.maplibregl-canvas").first.wait_for(state="visible", timeout=90_000)
    page.wait_for_timeout(5000)
    names = page.evaluate("""() => {
        for (const gd of document.querySelectorAll('.js-plotly-plot')) {
            const sub = gd._fullLayout?.map?._subplot;
            if (sub?.map) return sub.map.queryRenderedFeatures(
                {layers: ['governorate-names', 'site-names']}).map(f => f.properties.name);
        }
        return null; }""")
    page.screenshot(path=str(ARTIFACTS / f"page_map_phone_{lang}.png"), full_page=True)
    context.close()
    # the tour's Overview in this language, on a desktop
    desktop = browser.new_context(viewport={"width": 1400, "height": 1000})
    overview = desktop.new_page()
    wait_for_page(overview, f"{app_url}/?lang={lang}")
    overview.screenshot(path=str(ARTIFACTS / f"page_overview_{lang}.png"), full_page=True)
    desktop.close()
    assert names, "no governorate or site label drawn"
    shaped = [n for n in names if n and all(0xE000 <= ord(c) <= 0xF8FF for c in n)]
    assert len(shaped) >= 0.8 * len(names), names  # Arabic script, shaped; fallbacks are rare
    own = [(u, s) for u, s in glyphs if "/app/static/glyphs/" in u]
    assert own and all(s == 200 for _, s in own), own
    assert any(int(re.search(r"/(\d+)-\d+\.pbf", u).group(1)) >= 0xE000 for u, _ in own)
    assert all("/app/static/glyphs/" in u for u, _ in glyphs)  # no glyph from another host
