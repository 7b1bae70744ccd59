"""How far two governorate sets agree: the share of a regular grid of points inside both to
which they give the same code, over the country or within a radius of a centre (the ring
around Baghdad, where most events of federal Iraq cluster). Used to measure the embedded
boundaries against an authoritative set (data/README.md states the figures)."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
from pyproj import Geod

from geo.spatial.join import assign_admin1

BAGHDAD = (33.3152, 44.3661)  # lat, lon of central Baghdad (GeoNames 98182)
_GEOD = Geod(ellps="WGS84")


def grid(bounds: tuple[float, float, float, float], step: float = 0.02) -> pd.DataFrame:
    """Points every `step` degrees over (west, south, east, north)."""
    west, south, east, north = bounds
    lon, lat = np.meshgrid(np.arange(west, east, step) + step / 2,
                           np.arange(south, north, step) + step / 2)
    return pd.DataFrame({"latitude": lat.ravel(), "longitude": lon.ravel()})


def agreement(ours: gpd.GeoDataFrame, reference: gpd.GeoDataFrame, step: float = 0.02,
              centre: tuple[float, float] | None = None, radius_km: float | None = None
              ) -> dict[str, float]:
    """Share of grid points inside both sets (and within `radius_km` of `centre`) that get the
    same admin1_code; with the point count and, per reference code, the share it keeps."""
    points = grid(tuple(reference.total_bounds), step)
    if centre is not None and radius_km is not None:
        _, _, dist = _GEOD.inv(np.full(len(points), centre[1]), np.full(len(points), centre[0]),
                               points["longitude"].to_numpy(), points["latitude"].to_numpy())
        points = points[dist <= radius_km * 1000]
    a = assign_admin1(points, ours, geometry=False)["admin1_code"]
    b = assign_admin1(points, reference, geometry=False)["admin1_code"]
    both = a.notna() & b.notna()
    same = (a[both].astype(str) == b[both].astype(str))
    per = same.groupby(b[both].astype(str)).mean().round(4).to_dict()
    return {"agreement": round(float(same.mean()), 4), "points": int(both.sum()), "by_code": per}
