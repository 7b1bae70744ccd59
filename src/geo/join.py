"""Give every point its governorate and region with one vectorised point-in-polygon join.

Rules (documented in README):
- a point inside a governorate gets its code, name and region;
- a point on a shared border goes to the governorate whose code sorts first;
- a point outside every governorate gets region "Outside Iraq"; if swapping latitude and
  longitude would put it inside, `coord_issue` says so (it is not silently "fixed");
- missing, non-finite, out-of-range or (0, 0) coordinates get region "No valid coordinates".
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd

from geo.boundaries import load_admin1
from geo.crs import WGS84
from geo.schemas import INVALID_COORDINATES, OUTSIDE_IRAQ


def coordinate_problems(lat: pd.Series, lon: pd.Series) -> pd.Series:
    """Why each coordinate pair is unusable ("" when it is fine)."""
    lat = pd.to_numeric(lat, errors="coerce").astype("float64")
    lon = pd.to_numeric(lon, errors="coerce").astype("float64")
    issue = pd.Series("", index=lat.index, dtype=object)
    missing = ~np.isfinite(lat) | ~np.isfinite(lon)
    out_of_range = ~missing & ((lat.abs() > 90) | (lon.abs() > 180))
    null_island = ~missing & (lat == 0) & (lon == 0)
    issue[missing] = "missing or not a number"
    issue[out_of_range] = "latitude or longitude out of range"
    issue[null_island] = "0,0 (a blank value, not a place)"
    return issue


def _first_hit(points: gpd.GeoDataFrame, admin1: gpd.GeoDataFrame) -> pd.DataFrame:
    hits = gpd.sjoin(points, admin1[["admin1_code", "admin1_name", "region", "geometry"]],
                     predicate="intersects", how="inner")
    hits = hits.sort_values("admin1_code", kind="stable")
    hits = hits[~hits.index.duplicated(keep="first")]
    return hits[["admin1_code", "admin1_name", "region"]]


def assign_admin1(df: pd.DataFrame, admin1: gpd.GeoDataFrame | None = None,
                  lat: str = "latitude", lon: str = "longitude") -> gpd.GeoDataFrame:
    """Return `df` as point GeoDataFrame with admin1_code, admin1_name, region, coord_issue."""
    admin1 = load_admin1() if admin1 is None else admin1
    index = df.index
    la = pd.to_numeric(df[lat], errors="coerce").astype("float64")
    lo = pd.to_numeric(df[lon], errors="coerce").astype("float64")
    issue = coordinate_problems(la, lo)
    ok = issue == ""
    geom = gpd.GeoSeries(gpd.points_from_xy(lo.where(ok), la.where(ok)), index=index, crs=WGS84)
    geom[~ok] = None
    points = gpd.GeoDataFrame(geometry=geom[ok], crs=WGS84)
    found = _first_hit(points, admin1).reindex(index)

    outside = ok & found["admin1_code"].isna()
    region = found["region"].astype(object)
    region[outside] = OUTSIDE_IRAQ
    region[~ok] = INVALID_COORDINATES
    if outside.any():
        swapped = gpd.GeoDataFrame(
            geometry=gpd.points_from_xy(la[outside], lo[outside]), index=index[outside], crs=WGS84)
        swap_hit = _first_hit(swapped, admin1)
        issue[swap_hit.index] = ("outside Iraq; latitude and longitude may be swapped "
                                 "(swapped, the point falls in " + swap_hit["admin1_name"] + ")")
    out = df.drop(columns=[c for c in ("admin1_code", "admin1_name", "region", "coord_issue",
                                       "geometry") if c in df.columns])
    out = out.assign(admin1_code=found["admin1_code"].astype("string"),
                     admin1_name=found["admin1_name"].astype("string"),
                     region=region.astype("string"), coord_issue=issue.astype("string"))
    return gpd.GeoDataFrame(out, geometry=geom, crs=WGS84)


def locate(points: list[tuple[float, float]], admin1: gpd.GeoDataFrame | None = None
           ) -> pd.DataFrame:
    """(lat, lon) pairs -> table lat, lon, admin1_code, admin1_name, region."""
    df = pd.DataFrame(points, columns=["lat", "lon"])
    joined = assign_admin1(df, admin1, lat="lat", lon="lon")
    return pd.DataFrame(joined[["lat", "lon", "admin1_code", "admin1_name", "region"]])
