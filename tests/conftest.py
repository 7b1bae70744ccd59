"""Shared fixtures: the real embedded data, the real CLI in a subprocess."""

from __future__ import annotations

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
def geo_cli():
    return run_geo
