"""Shared fixtures: the real embedded data, the real CLI in a subprocess."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from geo.boundaries import load_admin1

ROOT = Path(__file__).resolve().parents[1]
GEO = Path(sys.executable).with_name("geo")


@pytest.fixture(scope="session", autouse=True)
def _empty_event_store(tmp_path_factory):
    """The app and CLI read GEO_STORE: tests start from an empty one, whatever a developer has
    imported into ./store."""
    import os

    os.environ["GEO_STORE"] = str(tmp_path_factory.mktemp("store"))
    yield


@pytest.fixture(scope="session")
def admin1():
    return load_admin1()


def run_geo(*args: str, input: str | None = None) -> subprocess.CompletedProcess:
    """Run the installed `geo` console script as a user would."""
    return subprocess.run([str(GEO), *args], capture_output=True, text=True, input=input,
                          timeout=300, cwd=ROOT)


@pytest.fixture
def geo_cli():
    return run_geo
