"""Write files so that a reader never sees half of one: temporary file, then rename."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path

import geopandas as gpd


@contextmanager
def atomic_path(target: Path):
    """Yield a temporary path beside `target`; rename it over `target` only on success."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    # keep the real suffix last: some drivers (GeoPackage) check it
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=f".tmp{target.suffix}",
                               dir=target.parent)
    os.close(fd)
    os.unlink(tmp)  # writers such as GDAL refuse to overwrite; they create the file themselves
    try:
        yield Path(tmp)
        _fsync(tmp)  # the bytes are on disk before the name points at them (power cuts)
        os.replace(tmp, target)
        _fsync(target.parent)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def _fsync(path) -> None:
    if not os.path.isfile(path) and not os.path.isdir(path):
        return  # e.g. a writer that made a folder of parts
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_atomic(target: Path, write: Callable[[Path], None]) -> Path:
    with atomic_path(target) as tmp:
        write(tmp)
    return Path(target)


def write_geojson(gdf: gpd.GeoDataFrame, target: Path) -> Path:
    """RFC 7946 GeoJSON with 6-decimal coordinates (~0.1 m), diff-friendly."""
    return write_atomic(target, lambda tmp: gdf.to_file(
        tmp, driver="GeoJSON", engine="pyogrio", layer_options={
            "COORDINATE_PRECISION": 6, "RFC7946": "YES", "WRITE_NAME": "NO"}))
