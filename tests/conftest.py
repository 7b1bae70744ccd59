"""Shared fixtures: the real embedded data, the real CLI in a subprocess, a GEO_HOME and a local
HTTP server of the test's own."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from cli_run import GEO, ROOT, run_geo  # noqa: F401  (re-exported for older imports)

from geo.spatial.boundaries import load_admin1


@pytest.fixture(scope="session", autouse=True)
def _empty_event_store(tmp_path_factory):
    """The app and CLI read GEO_STORE: tests start from an empty one, whatever a developer has
    imported into ./store."""
    import os

    os.environ["GEO_STORE"] = str(tmp_path_factory.mktemp("store"))
    # and from the embedded boundaries, whatever set a developer has installed
    os.environ["GEO_HOME"] = str(tmp_path_factory.mktemp("geo-home"))
    os.environ.pop("GEO_ALLOW_WRITE", None)
    yield


@pytest.fixture(scope="session")
def admin1():
    return load_admin1()


@pytest.fixture
def keep_running_entrypoint(monkeypatch):
    """AppTest resets `PagesManager.uses_pages_directory` before every run and then derives it
    from the existence of a `pages/` folder, so every run after the first takes the legacy
    multipage path and skips streamlit_app.py (the sidebar). The real server sets the flag to
    False once st.navigation is used; do the same here."""
    from streamlit.runtime.pages_manager import PagesManager

    original = PagesManager.__init__

    def init(self, *args, **kwargs):
        original(self, *args, **kwargs)
        PagesManager.uses_pages_directory = False

    monkeypatch.setattr(PagesManager, "__init__", init)


@pytest.fixture
def app_page(keep_running_entrypoint):
    """Open a page of the real app through streamlit.testing, with URL parameters; it must
    run without an exception."""
    from streamlit.testing.v1 import AppTest

    def open_page(path: str, **params: str) -> AppTest:
        at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=120)
        for key, value in params.items():
            at.query_params[key] = value
        at.run()
        at.switch_page(path).run()
        assert not at.exception, [e.value for e in at.exception]
        return at

    return open_page


@pytest.fixture
def home(tmp_path, monkeypatch) -> Path:
    """A GEO_HOME of the test's own: installed boundary sets and gazetteers go there."""
    monkeypatch.setenv("GEO_HOME", str(tmp_path / "home"))
    return tmp_path / "home"


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def served(tmp_path) -> Iterator[str]:
    """A local HTTP server over tmp_path/www (what a URL install downloads)."""
    www = tmp_path / "www"
    www.mkdir()
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(_Quiet, directory=str(www)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture
def geo_cli():
    return run_geo


def pytest_collection_modifyitems(config, items):
    """`make test` runs on two workers (pytest-xdist, `--dist loadgroup`): every browser test
    goes to one of them, so the app server and the browser their session fixtures start are
    started once, and the other worker takes the rest of the suite meanwhile."""
    for item in items:
        if "browser" in item.path.parts:
            item.add_marker(pytest.mark.xdist_group("browser"))
