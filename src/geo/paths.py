"""Where the embedded data lives; `GEO_DATA_DIR` lets tests and users point elsewhere."""

from __future__ import annotations

import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]


def data_dir() -> Path:
    return Path(os.environ.get("GEO_DATA_DIR", REPO_ROOT / "data"))


def curated_dir() -> Path:
    return data_dir() / "curated"


def boundaries_dir() -> Path:
    return data_dir() / "boundaries"


ADMIN1_FILE = "iraq_admin1.geojson"
REGIONS_FILE = "iraq_regions.geojson"
OUTLINE_FILE = "iraq_outline.geojson"
