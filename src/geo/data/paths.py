"""Where the embedded data lives; `GEO_DATA_DIR` lets tests and users point elsewhere."""

from __future__ import annotations

import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[3]


def data_dir() -> Path:
    return Path(os.environ.get("GEO_DATA_DIR", REPO_ROOT / "data"))


def data_folder_holding(path: str | Path) -> Path | None:
    """The project's data folder that `path` lies in (symlinks and '..' resolved), or None.
    Writers refuse such paths: the embedded data is never written, synthetic rows never land
    beside it."""
    where = Path(path).resolve()
    for data in (data_dir().resolve(), (REPO_ROOT / "data").resolve()):
        if where == data or where.is_relative_to(data):
            return data
    return None


def curated_dir() -> Path:
    return data_dir() / "curated"


def boundaries_dir() -> Path:
    return data_dir() / "boundaries"


ADMIN1_FILE = "iraq_admin1.geojson"
REGIONS_FILE = "iraq_regions.geojson"
OUTLINE_FILE = "iraq_outline.geojson"
