"""Start the real app with `streamlit run` and drive it with Debian's Chromium via Playwright."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "tests" / "artifacts"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--use-angle=swiftshader", "--enable-unsafe-swiftshader",
                 "--disable-background-networking", "--disable-component-update", "--no-first-run"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def serve(browser, store: Path, log_name: str = "streamlit.log",
          ready_timeout_s: float = 120) -> Iterator[str]:
    """`streamlit run` the app on a free port with its own event store; yield its URL once a
    first visit has loaded the data."""
    port = _free_port()
    # as a hosted copy runs: visitors' imports stay in their session (docs/security.md)
    env = {**{k: v for k, v in os.environ.items() if k != "GEO_ALLOW_WRITE"},
           "PYTHONUNBUFFERED": "1", "GEO_STORE": str(store)}
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    log = open(ARTIFACTS / log_name, "w")  # noqa: SIM115 - closed at teardown
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(ROOT / "streamlit_app.py"),
         "--server.port", str(port), "--server.address", "127.0.0.1", "--server.headless", "true",
         "--browser.gatherUsageStats", "false"], cwd=ROOT, env=env, stdout=log,
        stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + 90
        while time.time() < deadline:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                time.sleep(0.5)
        else:
            pytest.fail(f"streamlit did not start; see tests/artifacts/{log_name}")
        # Warm-up visit: the first run loads the data (seconds); while it does, Plotly may
        # re-render a map that is still initialising and log a harmless "Map error." to the
        # console. Tests assert on what a user sees after that.
        warm = browser.new_page()
        warm.goto(url, wait_until="domcontentloaded")
        warm.wait_for_selector("text=Coverage:", timeout=ready_timeout_s * 1000)
        warm.close()
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=20)
        log.close()


@pytest.fixture(scope="session")
def app_url(browser, tmp_path_factory):
    # The server gets an event store of its own: the upload test writes to it.
    with serve(browser, tmp_path_factory.mktemp("browser-store")) as url:
        yield url


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail("chromium is not installed (.ci/run installs it)")
        pytest.skip("chromium is not installed: apt-get install -y chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    pg = context.new_page()
    yield pg
    context.close()


AXE_PACKAGE = "axe-core@4.14.1"  # Deque's engine behind most accessibility audits (MPL-2.0)


@pytest.fixture(scope="session")
def axe_script(tmp_path_factory) -> str:
    """axe-core from the npm registry, as the app takes its other JavaScript from npm; injected
    into pages by the accessibility tests, never served by the app."""
    import tarfile

    if shutil.which("npm") is None:
        if os.environ.get("CI"):
            pytest.fail("npm is not installed (.ci/run installs it)")
        pytest.skip("npm is not installed")
    folder = tmp_path_factory.mktemp("axe")
    done = subprocess.run(["npm", "pack", AXE_PACKAGE, "--pack-destination", str(folder)],
                          capture_output=True, text=True, timeout=300)
    if done.returncode != 0:
        pytest.fail(f"npm pack {AXE_PACKAGE} failed: {done.stderr.strip()[-300:]}")
    tarball = next(folder.glob("axe-core-*.tgz"))
    with tarfile.open(tarball) as tar:
        return tar.extractfile("package/axe.min.js").read().decode("utf-8")
