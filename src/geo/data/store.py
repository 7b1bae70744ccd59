"""The event store: the user's imported events as one GeoParquet file, written atomically.

`--store DIR` (or GEO_STORE) selects it; the default is `store/` in the project folder. The
embedded curated data is never written. Writers take an exclusive lock so two ingests cannot
interleave, and replace the file by rename so a crash leaves the previous version intact.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyarrow as pa

from geo.data.atomic import write_atomic
from geo.data.crs import WGS84
from geo.data.schemas import EVENTS

EVENTS_FILE = "events.parquet"
STORE_ENV = "GEO_STORE"
# Whether the app may change the shared store (docs/security.md). Off unless the operator says
# so: a hosted copy's visitors then import into a view of their own. `make run` turns it on.
WRITE_ENV = "GEO_ALLOW_WRITE"
# The dataset a stored row comes from (ACLED, UCDP GED, or the imported file's name): records of
# different datasets may describe one event (geo.app.duplicates), records of one dataset do not.
ORIGIN = "origin"
# The origin of rows read by a source's own reader; any other file's rows take its name.
ORIGINS = {"acled": "ACLED", "ucdp": "UCDP GED"}
UNKNOWN_ORIGIN = "imported"
# Columns that only say which file a row came from: a change there alone is not an update.
IMPORT_PROVENANCE = ("source_title", ORIGIN)


def store_dir(path: str | Path | None = None) -> Path:
    from geo.data.paths import REPO_ROOT

    return Path(path or os.environ.get(STORE_ENV) or REPO_ROOT / "store")


def writes_allowed() -> bool:
    """Whether the app's visitors may change the shared store: GEO_ALLOW_WRITE=1 (or true,
    yes, on). The CLI is the operator's own tool and always writes where it is told."""
    return os.environ.get(WRITE_ENV, "").strip().lower() in ("1", "true", "yes", "on")


def writable_store(path: str | Path | None = None) -> Path:
    """`store_dir(path)`, refused (ValueError) inside the project's data folder, where the
    embedded curated data lives (symlinks and '..' resolved), or when it is not a folder."""
    from geo.data import paths

    store = store_dir(path)
    if (data := paths.data_folder_holding(store)) is not None:
        raise ValueError(f"{store}: inside the project's data folder ({data}); the embedded "
                         "data is never written, choose another --store")
    if store.exists() and not store.is_dir():
        raise ValueError(f"{store}: not a folder; --store needs a folder")
    return store


# What `geo.data.atomic` leaves beside a file when its writer is killed (kill -9, power cut).
STALE_TEMPS = (f".{EVENTS_FILE}.*.tmp.parquet", "rejected/.*.rejected.csv.*.tmp.csv")


@contextmanager
def locked(store: Path) -> Iterator[None]:
    """Hold the store's exclusive lock. Every writer of the store holds it, so a temporary
    file found here is one a killed writer left: it is removed (the store file never was it)."""
    store.mkdir(parents=True, exist_ok=True)
    with open(store / ".lock", "w") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            for pattern in STALE_TEMPS:
                for stale in store.glob(pattern):
                    stale.unlink(missing_ok=True)
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def read_events(store: Path, columns: list[str] | None = None, start: pd.Timestamp | None = None,
                end: pd.Timestamp | None = None) -> gpd.GeoDataFrame:
    """The stored events; only `columns` (plus geometry) are read, and with `start`/`end` only the
    row groups whose date range overlaps them (the file is sorted by date)."""
    path = store / EVENTS_FILE
    if not path.exists():
        names = columns or list(EVENTS.columns)
        empty = pd.DataFrame({c: pd.Series(dtype=object) for c in names})
        return gpd.GeoDataFrame(empty, geometry=gpd.GeoSeries([], crs=WGS84), crs=WGS84)
    wanted = None if columns is None else list(dict.fromkeys([*columns, "geometry"]))
    window = [("event_date", op, pd.Timestamp(day)) for op, day in ((">=", start), ("<=", end))
              if day is not None]
    try:
        return gpd.read_parquet(path, columns=wanted, filters=window or None)
    except (pa.ArrowException, OSError, ValueError) as exc:
        raise ValueError(f"{path}: the event store cannot be read ({str(exc)[:200]}); it was "
                         "left as it is: restore it from a backup or move it away") from exc


def merge(existing: gpd.GeoDataFrame, incoming: gpd.GeoDataFrame
          ) -> tuple[gpd.GeoDataFrame, int, int, int]:
    """Incoming rows replace stored rows with the same event_id. Returns merged, added,
    updated, unchanged."""
    cols = [c for c in incoming.columns if c != "geometry"]
    old = existing.set_index("event_id") if len(existing) else None
    if old is None:
        added, updated, unchanged = len(incoming), 0, 0
    else:
        known = incoming["event_id"].isin(old.index)
        before = old.reindex(incoming.loc[known, "event_id"])[
            [c for c in cols if c not in ("event_id", *IMPORT_PROVENANCE) and c in old.columns]]
        after = incoming.loc[known].set_index("event_id")[before.columns]
        same = (_canon(before).to_numpy() == _canon(after).to_numpy()).all(axis=1)
        added, updated, unchanged = int((~known).sum()), int((~same).sum()), int(same.sum())
    keep = existing[~existing["event_id"].isin(incoming["event_id"])] if len(existing) else existing
    merged = pd.concat([keep, incoming], ignore_index=True) if len(keep) else incoming
    merged = merged.sort_values(["event_date", "event_id"], kind="stable").reset_index(drop=True)
    return gpd.GeoDataFrame(merged, geometry="geometry", crs=WGS84), added, updated, unchanged


def _canon(df: pd.DataFrame) -> pd.DataFrame:
    """Values as comparable text whatever their dtype after a Parquet round trip."""
    out = pd.DataFrame(index=df.index)
    for col in df.columns:
        s = df[col]
        if pd.api.types.is_datetime64_any_dtype(s):
            out[col] = s.dt.strftime("%Y-%m-%d")
        elif pd.api.types.is_numeric_dtype(s):
            out[col] = pd.to_numeric(s, errors="coerce").astype("float64").map(repr)
        else:
            out[col] = s.astype(object).where(s.notna(), "").astype(str)
        out[col] = out[col].fillna("").replace({"nan": "", "NaT": ""})
    return out


ROW_GROUP_ROWS = 65_536


def write_events(store: Path, events: gpd.GeoDataFrame) -> Path:
    """Sorted by date (`merge` sorts), in row groups of `ROW_GROUP_ROWS` with per-group min/max
    statistics and a bbox column, so readers skip the groups a date or area filter excludes."""
    out = events
    return write_atomic(store / EVENTS_FILE,
                        lambda tmp: out.to_parquet(tmp, index=False, write_covering_bbox=True,
                                                   row_group_size=ROW_GROUP_ROWS))
