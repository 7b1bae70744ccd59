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
