"""Nothing leaves the machine: every page requests only the app's own host, and Streamlit's
"Deploy" button is not shown."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from test_pages import PAGES, settle


@pytest.mark.parametrize("name", list(PAGES))
def test_every_request_goes_to_the_app_itself(app_url, browser, name):
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    page = context.new_page()
    hosts: list[str] = []
    page.on("request", lambda r: hosts.append(r.url))
    try:
        page.goto(f"{app_url}/{PAGES[name]}", wait_until="domcontentloaded")
        settle(page)
        own = urlsplit(app_url).netloc
        outside = sorted({u for u in hosts if urlsplit(u).scheme in ("http", "https", "ws", "wss")
                          and urlsplit(u).netloc != own})
        assert not outside, outside
        assert hosts  # the check saw the page's own requests
        assert page.get_by_role("button", name="Deploy").count() == 0
    finally:
        context.close()


def test_the_printed_brief_fetches_nothing_and_shows_its_arabic(browser, tmp_path):
    """The brief opened from disk: no request leaves the file (font, map and timeline are in
    it), the Arabic names are drawn with the embedded font, the two figures have a size."""
    from geo.app.brief import brief_html
    from geo.app.dataset import load_data
    from geo.app.filters import Filter

    path = tmp_path / "brief.html"
    path.write_text(brief_html(load_data(), Filter()), encoding="utf-8")
    context = browser.new_context(viewport={"width": 1100, "height": 900})
    page = context.new_page()
    urls: list[str] = []
    page.on("request", lambda r: urls.append(r.url))
    try:
        page.goto(path.as_uri(), wait_until="load")
        assert [u for u in urls if not u.startswith(("file:", "data:"))] == []
        status = page.evaluate("document.fonts.ready.then(() => [...document.fonts]"
                               ".filter(f => f.family.includes('Brief Sans')).map(f => f.status))")
        assert status == ["loaded"]  # the embedded font, used by the page's text
        assert page.get_by_text("بغداد").count() >= 1
        sizes = page.evaluate("[...document.querySelectorAll('svg')]"
                              ".map(s => s.getBoundingClientRect().height)")
        assert len(sizes) >= 2 and min(sizes) > 150
        page.get_by_text("Surge alerts").first.scroll_into_view_if_needed()
        page.screenshot(path=str(tmp_path / "brief.png"))
    finally:
        context.close()
