"""An authoritative boundary set the user installed (`geo boundaries install`): where it lives,
whether it is the active one, and reading it.

The set lives under `$GEO_HOME/boundaries/installed/` (default: the user's data directory,
`$XDG_DATA_HOME/iraq-geo-dashboard` or `~/.local/share/iraq-geo-dashboard`): `admin1.parquet`,
`admin2.parquet` when the set has districts, and `metadata.json` (source, licence, date,
checksum, counts). `active.json` says which set the CLI and the app use: the installed one
once installed, until `geo boundaries use embedded`. The installer is `geo.sources.boundary_sets`.
"""

from __future__ import annotations

import json
import os
from functools import lru_cache
from pathlib import Path

import geopandas as gpd

HOME_ENV = "GEO_HOME"
APP_DIR = "iraq-geo-dashboard"
SET_DIR = "installed"
META_FILE = "metadata.json"
ACTIVE_FILE = "active.json"
CHOICES = ("embedded", "installed")


def geo_home() -> Path:
    """$GEO_HOME, else the user's data directory (XDG)."""
    if os.environ.get(HOME_ENV):
        return Path(os.environ[HOME_ENV])
    base = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(base) / APP_DIR


def sets_dir() -> Path:
    return geo_home() / "boundaries"


def set_dir() -> Path:
    return sets_dir() / SET_DIR


def metadata() -> dict | None:
    """The installed set's metadata, or None when nothing is installed (or it is unreadable)."""
    path = set_dir() / META_FILE
    try:
        return json.loads(path.read_text(encoding="utf-8")) if path.exists() else None
    except (OSError, ValueError):
        return None


def active() -> str:
    """"installed" when a set is installed and not switched off, else "embedded"."""
    if metadata() is None:
        return "embedded"
    try:
        choice = json.loads((sets_dir() / ACTIVE_FILE).read_text(encoding="utf-8")).get("use")
    except (OSError, ValueError, AttributeError):
        choice = "installed"
    return choice if choice in CHOICES else "installed"


def levels() -> tuple[str, ...]:
    """The levels of the active set ("admin1"; "admin2" with districts, "admin3" with
    sub-districts, which only name areas for the geoparser)."""
    if active() != "installed":
        return ("admin1",)
    return tuple((metadata() or {}).get("levels", ["admin1"]))


def load(level: str = "admin1") -> gpd.GeoDataFrame:
    """One level of the installed set (cached until the file changes)."""
    path = set_dir() / f"{level}.parquet"
    if not path.exists():
        raise FileNotFoundError(f"{path}: the installed boundary set has no {level} level")
    return _read(str(path), path.stat().st_mtime).copy()


@lru_cache(maxsize=4)
def _read(path: str, mtime: float) -> gpd.GeoDataFrame:
    return gpd.read_parquet(path)


def attribution() -> str | None:
    """What a map drawn with the installed set must credit, or None for the embedded set."""
    meta = metadata() if active() == "installed" else None
    if not meta:
        return None
    title = meta.get("title") or "installed set"
    licence = meta.get("licence") or "licence not given"
    return (f"Boundaries: {title} ({licence}), dated {meta.get('date') or 'unknown'}; installed "
            f"{meta.get('installed', '')} (`geo boundaries status`).")
