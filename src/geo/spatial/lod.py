"""Level of detail: above `POINT_LIMIT` events a map shows square grid cells, not points.

Why: a browser given a million markers (each with its hover text) stalls, and the figure JSON
grows without bound. Cells keep the payload bounded whatever the number of events: the cell
size is chosen so that the filtered events' extent spans at most `MAX_COLUMNS` cells per side,
so there are at most MAX_COLUMNS² cells, and in practice far fewer (only occupied cells are sent).

Cells are squares on a global grid anchored at 0°,0° with a "nice" size in degrees (0.1° is
about 11 km north-south in Iraq), so the same place falls in the same cell whatever the filter.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

POINT_LIMIT = 10_000
KM_PER_DEGREE = 111.2  # of latitude: what a cell's side is on the ground (the app says so)
MAX_COLUMNS = 100
NICE_CELLS = (0.01, 0.02, 0.05, 0.1, 0.2, 0.25, 0.5, 1.0, 2.0, 5.0)
CELL_COLUMNS = ["lon0", "lat0", "events", "fatalities", "weight", "top_type"]


def use_cells(n_events: int, limit: int = POINT_LIMIT) -> bool:
    return n_events > limit


def points_of(events: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, pd.Index]:
    """lon, lat, fatalities, type code (into the returned type names) of events with coordinates."""
    lon = pd.to_numeric(events["longitude"], errors="coerce").to_numpy(dtype="float64")
    lat = pd.to_numeric(events["latitude"], errors="coerce").to_numpy(dtype="float64")
    ok = np.isfinite(lon) & np.isfinite(lat)
    deaths = pd.to_numeric(events["fatalities"], errors="coerce").to_numpy(dtype="float64")
    codes, names = pd.factorize(events["event_type"], use_na_sentinel=False)
    return lon[ok], lat[ok], np.nan_to_num(deaths[ok]), codes[ok], pd.Index(names)


def cell_size(lon: np.ndarray, lat: np.ndarray, max_columns: int = MAX_COLUMNS) -> float:
    """The smallest nice size that covers the points' extent with at most `max_columns` cells."""
    if len(lon) == 0:
        return NICE_CELLS[-1]
    span = max(lon.max() - lon.min(), lat.max() - lat.min())
    return next((size for size in NICE_CELLS if span / size <= max_columns - 1), NICE_CELLS[-1])


def grid_cells(events: pd.DataFrame, size: float | None = None,
               max_columns: int = MAX_COLUMNS) -> tuple[pd.DataFrame, float]:
    """One row per occupied cell: south-west corner, events, known fatalities, the weight the
    density layer uses (events + fatalities) and the most frequent event type; and the cell size.
    Counted with `np.bincount` over a dense local grid: linear in the number of events."""
    lon, lat, deaths, types, names = points_of(events)
    size = size or cell_size(lon, lat, max_columns)
    if len(lon) == 0:
        return pd.DataFrame(columns=CELL_COLUMNS), size
    ix, iy = np.floor(lon / size).astype(np.int64), np.floor(lat / size).astype(np.int64)
    x_min, y_min = ix.min(), iy.min()
    width = int(ix.max() - x_min + 1)
    key = (iy - y_min) * width + (ix - x_min)
    n_cells = int(key.max()) + 1
    counts = np.bincount(key, minlength=n_cells)
    occupied = np.flatnonzero(counts)
    by_type = np.bincount(key * len(names) + types, minlength=n_cells * len(names))
    top = by_type.reshape(n_cells, len(names))[occupied].argmax(axis=1)  # ties: first type seen
    events_n = counts[occupied]
    fatalities = np.bincount(key, weights=deaths, minlength=n_cells)[occupied].round().astype(np.int64)
    cells = pd.DataFrame({
        "lon0": ((occupied % width + x_min) * size).round(6),
        "lat0": ((occupied // width + y_min) * size).round(6),
        "events": events_n, "fatalities": fatalities, "weight": events_n + fatalities,
        "top_type": names.astype(str).to_numpy()[top]})
    return cells, size

