"""Write files so that a reader never sees half of one: temporary file, then rename."""

from __future__ import annotations

import hashlib
import os
import shutil
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


def replace_folder(target: Path, fill: Callable[[Path], None]) -> Path:
    """Fill a new folder beside `target`, then swap it in: a reader (or a crash) never sees half
    of it, and a failed `fill` leaves the old one as it was. Why: an installed boundary set or
    gazetteer is several files that must change together."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".installing-", dir=target.parent))
    try:
        fill(staging)
        old = target.parent / f".old-{staging.name}"
        if target.exists():
            target.rename(old)
        staging.rename(target)
        shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return target


def sha256_file(path: Path) -> str:
    """The file's SHA-256, read in 1 MB chunks (a checksum the status commands print)."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def write_geojson(gdf: gpd.GeoDataFrame, target: Path) -> Path:
    """RFC 7946 GeoJSON with 6-decimal coordinates (~0.1 m), diff-friendly."""
    return write_atomic(target, lambda tmp: gdf.to_file(
        tmp, driver="GeoJSON", engine="pyogrio", layer_options={
            "COORDINATE_PRECISION": 6, "RFC7946": "YES", "WRITE_NAME": "NO"}))
