"""Hostile text in the event store, in a real browser: nothing it carries is executed, rendered
as markup or made into a link; it shows as the literal text it is.

The store holds a few SYNTHETIC events (`geo.tools.synth`) whose free-text fields are script tags,
event-handler attributes, broken-out quotes and Markdown, and whose source_url is a javascript:
or data: address. `geo.data.validate` refuses such addresses at ingest (checked below), but the store
is a file anyone can write, so the app must not trust it. Every page is opened, map points and
chart bars are hovered (Plotly hover labels understand some HTML), the hostile event is picked in
the Events page's detail view and an article full of tags is geoparsed. docs/security-browser.md
describes the threats and defences.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from urllib.parse import quote, urlsplit

import pandas as pd
import pytest
from conftest import ARTIFACTS, serve
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from test_pages import settle

from geo.app import ui
from geo.app.actors import FAMILY_ORDER
from geo.data.schemas import EVENTS
from geo.data.validate import validate
from geo.tools import synth

SCRIPT = "<script>window.__xss=1;alert(1)</script>"
IMG = '<img src=x onerror="window.__xss=1;alert(1)">'
SVG = "<svg onload=alert(1)>"
BREAKOUT = '"><b>bold</b>'
MARKDOWN = "**bold** [link](javascript:alert(1))"
ANCHOR = '<a href="javascript:alert(1)">click</a>'
HOSTILE = (SCRIPT, IMG, SVG, BREAKOUT, MARKDOWN, ANCHOR)
TEXT_COLUMNS = ("location", "actor1", "notes", "source_publisher", "source_title", "target")
MARKER = "SYNTHETIC-XSS"  # in every hostile actor2: ?actor=SYNTHETIC-XSS shows exactly them
EVIL_HTTPS = 'https://synthetic.invalid/x?"><img src=x onerror=alert(1)>'
GOOD_HTTPS = "https://synthetic.invalid/q?x=%3Cscript%3E"  # the one address that may be a link
URLS = ("javascript:alert(1)", "data:text/html,<script>alert(1)</script>", " JavaScript:alert(1)",
        EVIL_HTTPS, GOOD_HTTPS, "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==")
# open desert and farmland, far from each other and from the curated sites, so hovers are unique
POINTS = ((31.0, 46.0), (35.0, 42.5), (32.5, 45.5), (29.9, 45.2), (33.8, 40.5), (34.3, 44.9))
FILTER = f"actor={MARKER}"
CANARY = "xss-canary.png"  # an image a crafted link tries to load from the app's own server

# Anything the hostile text could have become in the DOM. Legitimate Streamlit/Plotly markup
# has no inline handlers, no javascript:/data: links, no <img src=x> and no element whose whole
# text is a word of the payloads.
_INJECTED = """() => {
  const found = [];
  for (const el of document.querySelectorAll('*')) {
    const tag = el.tagName.toLowerCase();
    for (const attr of el.getAttributeNames()) {
      const value = (el.getAttribute(attr) || '').replace(/[\\x00-\\x20]/g, '').toLowerCase();
      if (attr.startsWith('on')) found.push(`${tag}[${attr}]`);
      if (/(^|:)href$|^src$|^action$|^formaction$/.test(attr)
          && /^(javascript|data|vbscript):/.test(value)
          && !(tag === 'img' && value.startsWith('data:image/')))
        found.push(`${tag}[${attr}=${value.slice(0, 40)}]`);
    }
    if (tag === 'img' && el.getAttribute('src') === 'x') found.push('img[src=x]');
    if (tag === 'script' && el.textContent.includes('__xss')) found.push('script with __xss');
    if (['bold', 'link', 'click'].includes(el.textContent.trim()) && el.children.length === 0)
      found.push(`${tag} "${el.textContent.trim()}"`);
  }
  return found;
}"""


@dataclass
class Watch:
    """What a browser context saw that it should not have: dialogs, page errors, requests to
    the canary path."""

    dialogs: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    canary: list[str] = field(default_factory=list)


def hostile_events() -> pd.DataFrame:
    """SYNTHETIC events (geo.tools.synth) whose free text is hostile and whose URLs are not http(s)."""
    events = synth.synthesize(len(HOSTILE), seed=11, start="2025-01-01", end="2025-06-30")
    for i in range(len(HOSTILE)):
        for j, col in enumerate(TEXT_COLUMNS):
            events.loc[i, col] = HOSTILE[(i + j) % len(HOSTILE)]
        events.loc[i, "actor2"] = f"{HOSTILE[(i + 3) % len(HOSTILE)]} {MARKER}"
        events.loc[i, "source_url"] = URLS[i]
        events.loc[i, "latitude"], events.loc[i, "longitude"] = POINTS[i]
    return events


@pytest.fixture(scope="module")
def hostile_app(browser, tmp_path_factory) -> Iterator[str]:
    """The app serving a store written directly (not through ingest) with the hostile events."""
    store = tmp_path_factory.mktemp("xss-store")
    synth.write(hostile_events(), store / "events.parquet", "parquet")
    with serve(browser, store, "streamlit_xss.log") as url:
        yield url


@pytest.fixture
def watched(browser) -> Iterator[tuple[object, Watch]]:
    """A page whose context records (and dismisses) every dialog, in any tab it opens."""
    context = browser.new_context(viewport={"width": 1600, "height": 1100})
    watch = Watch()
    context.on("dialog", lambda d: (watch.dialogs.append(d.message), d.dismiss()))
    context.on("request", lambda r: watch.canary.append(r.url) if CANARY in urlsplit(r.url).path else None)
    page = context.new_page()
    page.on("pageerror", lambda exc: watch.errors.append(str(exc)))
    yield page, watch
    context.close()


def assert_inert(page, watch: Watch, where: str) -> None:
    """Nothing ran, nothing became markup, no script link exists, no Streamlit exception."""
    page.wait_for_timeout(300)  # an onerror/onload would have fired by now
    assert watch.dialogs == [], f"{where}: dialogs {watch.dialogs}"
    assert page.evaluate("() => typeof window.__xss") == "undefined", where
    assert page.evaluate(_INJECTED) == [], where
    assert page.locator('[data-testid="stException"]').count() == 0, where
    assert watch.errors == [], f"{where}: {watch.errors}"
    assert watch.canary == [], where


def open_filtered(page, url: str, path: str, query: str = FILTER) -> None:
    page.goto(f"{url}/{path}?{query}", wait_until="domcontentloaded")
    settle(page, ms=800)


def chart(page, key: str):
    """The Plotly element Streamlit drew for `key`."""
    return page.locator(f".st-key-{key} .js-plotly-plot").first


def hover_text(page, gd, x: float, y: float) -> str:
    """Move the mouse to (x, y) and return the text of the hover label that appears there."""
    page.mouse.move(1, 1)
    page.mouse.move(x, y, steps=4)
    gd.locator(".hoverlayer .hovertext").first.wait_for(timeout=10_000)
    return gd.locator(".hoverlayer").text_content()


def hover_map_points(page, key: str) -> list[str]:
    """The hover label of each hostile event on the map drawn for `key`."""
    gd = chart(page, key)
    spots = gd.evaluate("""(gd, points) => {
      const map = gd._fullLayout.map._subplot.map, box = map.getContainer().getBoundingClientRect();
      return points.map(([lat, lon]) => { const p = map.project([lon, lat]);
                                          return [box.left + p.x, box.top + p.y]; });
    }""", [list(p) for p in POINTS])
    return [hover_text(page, gd, x, y) for x, y in spots]


def grid_cells(grid) -> list[str]:
    """Text of every cell of a Streamlit dataframe. The grid is drawn on a canvas; its
    accessible copy (a hidden table) holds the rows in view, so it is read top and bottom."""
    cells, seen = grid.locator("td"), []
    cells.first.wait_for(state="attached", timeout=30_000)
    for where in ("0", "el.scrollHeight"):
        grid.locator(".dvn-scroller").evaluate(f"el => {{ el.scrollTop = {where}; }}")
        grid.page.wait_for_timeout(500)
        seen += cells.all_text_contents()
    return seen


def literal_shown(texts: list[str], needles=HOSTILE) -> None:
    blob = "\n".join(texts).replace("\u200b", "")
    missing = [n for n in needles if n not in blob]
    assert not missing, f"not shown literally: {missing}"


# ---------------------------------------------------------------- without a browser

def test_ingest_refuses_script_and_data_urls():
    """The first line of defence: such addresses never enter the store through ingest."""
    text = synth.to_text(hostile_events())
    result = validate(text, EVENTS, "hostile.csv")
    bad = result.issues[result.issues["column"] == "source_url"]
    assert len(bad) == len(URLS) - 1  # EVIL_HTTPS too: quotes and angle brackets are refused
    assert GOOD_HTTPS not in set(bad["value"])


def test_helpers_neutralise_links_and_markdown():
    links = ui.http_links(pd.Series([*URLS, "https://example.org/a?b=1", None], dtype=object))
    assert links.dropna().tolist() == [GOOD_HTTPS, "https://example.org/a?b=1"]
    escaped = ui.md_escape("[x](https://evil.invalid) **b** www.evil.invalid a@b.invalid :red[c]")
    assert "](" not in escaped and "**" not in escaped and "https://" not in escaped
    assert "www." not in escaped and "a@b" not in escaped


# ---------------------------------------------------------------- in the browser

def test_maps_and_charts_show_hostile_text_as_text(hostile_app, watched):
    page, watch = watched
    open_filtered(page, hostile_app, "")
    assert_inert(page, watch, "overview")
    labels = hover_map_points(page, "overview_map")
    literal_shown(labels, (SCRIPT, IMG, SVG, BREAKOUT, MARKDOWN, ANCHOR))
    assert_inert(page, watch, "overview hover")

    open_filtered(page, hostile_app, "map")
    literal_shown(page.locator('.geo-feed li').all_text_contents())  # the feed
    labels = hover_map_points(page, "main_map")
    page.screenshot(path=str(ARTIFACTS / "xss_map_hover.png"))
    literal_shown(labels)
    assert_inert(page, watch, "map hover")

    # The actor chart counts families (the curated table's names), so hostile actor names are
    # grouped under "Other" there: they reach the page through hovers, tables and the record.
    open_filtered(page, hostile_app, "events")
    gd = chart(page, "ev_by_actor")
    ticks = gd.locator(".ytick text").all_text_contents()
    assert ticks and set(ticks) <= set(FAMILY_ORDER), ticks
    bars = gd.locator(".bars .point path")
    for i in range(bars.count()):
        box = bars.nth(i).bounding_box()
        hover_text(page, gd, box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.screenshot(path=str(ARTIFACTS / "xss_bar_hover.png"))
    assert_inert(page, watch, "events charts")


def test_events_table_and_detail_view(hostile_app, browser):
    # wide enough that the table draws every column (its accessible copy lists drawn cells)
    context = browser.new_context(viewport={"width": 3400, "height": 1200})
    watch = Watch()
    context.on("dialog", lambda d: (watch.dialogs.append(d.message), d.dismiss()))
    page = context.new_page()
    page.on("pageerror", lambda exc: watch.errors.append(str(exc)))
    try:
        open_filtered(page, hostile_app, "events")
        table = page.get_by_test_id("stDataFrame").first
        table.locator("td").first.wait_for(state="attached", timeout=30_000)
        cells = table.locator("td").all_text_contents()
        literal_shown(cells)
        header = table.locator("th").all_text_contents()
        assert "Source" in header
        source = [c for i, c in enumerate(cells) if i % len(header) == header.index("Source")]
        # the link column keeps valid http(s) addresses only: nothing else can be clicked open
        assert source.count("") == len(URLS) - 1 and "synthetic.invalid" in "".join(source)
        assert_inert(page, watch, "events table")

        box = page.get_by_test_id("stSelectbox").filter(has_text="Event")
        for location, url in ((SVG, URLS[2]), (BREAKOUT, EVIL_HTTPS), (MARKDOWN, GOOD_HTTPS),
                              (SCRIPT, URLS[0])):
            options = page.get_by_role("option")
            for attempt in range(4):  # the list closes itself when the page scrolls or reruns
                box.scroll_into_view_if_needed()
                page.wait_for_timeout(300 + 700 * attempt)
                box.get_by_role("button", name="Open").click()
                try:
                    options.first.wait_for(timeout=5_000)
                    texts = options.all_inner_texts()
                    options.filter(has_text=location).first.click(timeout=5_000)
                    break
                except PlaywrightTimeout:
                    if attempt == 3:
                        raise
            literal_shown(texts, (SCRIPT, IMG, SVG, BREAKOUT, MARKDOWN, ANCHOR))
            settle(page, ms=500)
            assert location in box.get_by_role("combobox").input_value()
            detail = grid_cells(page.get_by_test_id("stDataFrame").nth(1))
            assert location in detail
            assert url in detail  # the address is shown, as text
            link = page.get_by_role("link", name="Open the source")
            if url == GOOD_HTTPS:
                assert link.get_attribute("href") == url
            else:
                assert link.count() == 0
            assert_inert(page, watch, f"detail of {location!r}")
        page.screenshot(path=str(ARTIFACTS / "xss_events_detail.png"))
    finally:
        context.close()


def test_other_pages_and_downloads(hostile_app, watched, tmp_path):
    page, watch = watched
    for path in ("deployments", "regions", "geoparse"):
        open_filtered(page, hostile_app, path)
        assert_inert(page, watch, path)
    open_filtered(page, hostile_app, "data")
    assert_inert(page, watch, "data")
    with page.expect_download() as dl:
        page.get_by_role("button", name="Events as CSV").click()
    got = pd.read_csv(dl.value.path(), dtype=str, keep_default_na=False)
    literal_shown(got["notes"].tolist())  # the download keeps the text as it is
    assert set(got["source_url"]) == set(URLS)


def test_geoparse_shows_a_hostile_article_as_text(hostile_app, watched):
    page, watch = watched
    open_filtered(page, hostile_app, "geoparse", "")
    article = f"{SCRIPT} Rockets hit Mosul at dawn. {IMG} {MARKDOWN} Protest in Basra {SVG}."
    box = page.get_by_label("Article", exact=True)
    box.fill(article)
    box.press("Control+Enter")
    cells = page.get_by_test_id("stDataFrame").first.locator("td")
    cells.first.wait_for(state="attached", timeout=60_000)
    settle(page, ms=800)
    literal_shown(cells.all_text_contents(), (SCRIPT, IMG, SVG))
    page.screenshot(path=str(ARTIFACTS / "xss_geoparse.png"))
    assert_inert(page, watch, "geoparse")


def test_a_crafted_link_adds_no_markup_to_the_page(hostile_app, watched):
    """?actor= and unknown parameters are echoed in the caption and warnings, which Streamlit
    renders as Markdown: a shared link must not put a link or an image into the app's words."""
    page, watch = watched
    actor = f"[Sign in](https://evil.invalid/) ![i]({hostile_app}/{CANARY}) **bold**"
    query = f"actor={quote(actor)}&{quote('[x](https://evil.invalid/)')}=1&start={quote(MARKDOWN)}"
    open_filtered(page, hostile_app, "events", query)
    caption = page.get_by_text("Coverage:").first
    assert caption.locator("a, img, strong").count() == 0
    literal_shown([caption.inner_text()], (actor,))
    warnings = page.get_by_test_id("stAlert")
    assert warnings.locator("a, img, strong").count() == 0
    literal_shown(warnings.all_inner_texts(), ("[x](https://evil.invalid/)", MARKDOWN))
    page.screenshot(path=str(ARTIFACTS / "xss_crafted_link.png"))
    assert_inert(page, watch, "crafted link")
