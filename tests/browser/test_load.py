"""The app under concurrent use: a short run of scripts/load_test.py (8 sessions for 30 s on
50,000 SYNTHETIC events) must end with no error and every session having done something. And
a shared link must work as the very first request after a (re)start.

Times are printed, never asserted: on a 2-core machine that also runs the browser they say more
about the machine than about the app (docs/load.md). `make load-test` runs the full version.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ARTIFACTS, CHROMIUM, ROOT
from test_pages import settle

sys.path.insert(0, str(ROOT / "scripts"))
from load_test import app_server  # noqa: E402

SESSIONS = int(os.environ.get("GEO_LOAD_SESSIONS", "8"))
SECONDS = float(os.environ.get("GEO_LOAD_SECONDS", "30"))


def test_concurrent_sessions_complete_without_errors(tmp_path: Path) -> None:
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail("chromium is not installed (.ci/run installs it)")
        pytest.skip("chromium is not installed: apt-get install -y chromium")
    out = tmp_path / "load.json"
    # its own process: the script drives Playwright's async API, the other browser tests the sync one
    run = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "load_test.py"), "--sessions", str(SESSIONS),
         "--seconds", str(SECONDS), "--json", str(out), "--markdown", str(ARTIFACTS / "load_test.md")],
        cwd=ROOT, capture_output=True, text=True, timeout=900)
    print("\n" + run.stdout + run.stderr[-3000:])
    assert out.exists(), f"the load test did not finish (exit {run.returncode})"
    report = json.loads(out.read_text())
    errors = [a for a in report["actions"] if a["error"]]
    assert errors == [], errors[:5]
    assert run.returncode == 0
    # each session opened its page and then completed at least one action in the timed part
    per_session = {int(k): v for k, v in report["per_session_timed"].items()}
    assert sorted(per_session) == list(range(SESSIONS))
    assert min(per_session.values()) >= 1, per_session
    assert sum(a["kind"] == "open" for a in report["actions"]) == SESSIONS


def test_a_page_link_works_as_the_first_request_after_a_start(browser, tmp_path: Path) -> None:
    """Before any session has run streamlit_app.py, Streamlit runs a `pages/` file on its own;
    the app leaves that mode and reruns (`geo.app.ui._leave_legacy_pages_mode`). No warm-up visit
    here, unlike every other browser test."""
    with app_server(tmp_path, ARTIFACTS / "streamlit_first_request.log") as (url, _pid):
        page = browser.new_page()
        try:
            for path, title, described in (("events?type=Battles", "Events", "types: Battles"),
                                           ("map?start=2022-01-01", "Map", "2022-01-01 to")):
                page.goto(f"{url}/{path}", wait_until="domcontentloaded")
                settle(page, ms=300)
                assert page.locator('[data-testid="stException"]').count() == 0
                assert page.locator("h1").first.inner_text() == title
                assert described in page.get_by_text("Coverage:").first.inner_text()
        finally:
            page.close()
