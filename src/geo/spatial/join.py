"""Give every point its governorate and region with one vectorised point-in-polygon lookup
(`geo.spatial.region_index`: a grid plus exact tests near borders; same answers as `geopandas.sjoin`).

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
import pyarrow as pa

from geo.data.crs import WGS84
from geo.data.schemas import INVALID_COORDINATES, OUTSIDE_IRAQ
from geo.spatial.boundaries import load_admin1
from geo.spatial.region_index import build_index, cell_size

_PROBLEMS = ("", "missing or not a number", "latitude or longitude out of range",
             "0,0 (a blank value, not a place)")


def coordinate_problems(lat: pd.Series, lon: pd.Series) -> pd.Series:
    """Why each coordinate pair is unusable ("" when it is fine), as a string Series."""
    index = lat.index
    lat = pd.to_numeric(lat, errors="coerce").to_numpy(dtype="float64")
    lon = pd.to_numeric(lon, errors="coerce").to_numpy(dtype="float64")
    missing = ~np.isfinite(lat) | ~np.isfinite(lon)
    with np.errstate(invalid="ignore"):
        code = np.select([missing, (np.abs(lat) > 90) | (np.abs(lon) > 180),
                          (lat == 0) & (lon == 0)], [1, 2, 3], 0)
    return _strings(list(_PROBLEMS), pa.array(code), index)


def _lookup(admin1: gpd.GeoDataFrame, lon: pd.Series, lat: pd.Series) -> pd.DataFrame:
    """admin1_code, admin1_name, region per point (missing where the point is in none)."""
    index = build_index(admin1, cell_size(len(lon)))
    number = index.lookup(lon.to_numpy(), lat.to_numpy())
    table = admin1.sort_values("admin1_code", kind="stable")  # the index's order, position by position
    pick = pa.array(np.where(number >= 0, number, len(index.codes)))  # the extra None: no polygon
    return pd.DataFrame({name: _strings([*values, None], pick, lon.index) for name, values in (
        ("admin1_code", index.codes), ("admin1_name", table["admin1_name"]),
        ("region", table["region"]))}, index=lon.index)


def _strings(values: list, pick: pa.Array, index: pd.Index) -> pd.Series:
    """values[pick] as a string Series, taken in Arrow (a million Python strings cost seconds)."""
    taken = pa.array([None if pd.isna(v) else str(v) for v in values], type=pa.large_string())
    return pd.Series(pd.arrays.ArrowStringArray(taken.take(pick)), index=index)


def assign_admin1(df: pd.DataFrame, admin1: gpd.GeoDataFrame | None = None,
                  lat: str = "latitude", lon: str = "longitude", geometry: bool = True
                  ) -> gpd.GeoDataFrame | pd.DataFrame:
    """Return `df` with admin1_code, admin1_name, region, coord_issue; as a point GeoDataFrame
    unless `geometry=False` (building a million shapely points costs more than the lookup)."""
    admin1 = load_admin1() if admin1 is None else admin1
    index = df.index
    la = pd.to_numeric(df[lat], errors="coerce").astype("float64")
    lo = pd.to_numeric(df[lon], errors="coerce").astype("float64")
    issue = coordinate_problems(la, lo)
    ok = (issue == "").to_numpy(dtype=bool)
    found = _lookup(admin1, lo.where(ok), la.where(ok))

    outside = ok & found["admin1_code"].isna().to_numpy()
    region = found["region"].mask(outside, OUTSIDE_IRAQ).mask(~ok, INVALID_COORDINATES)
    if outside.any():
        swap = _lookup(admin1, la[outside], lo[outside]).dropna(subset=["admin1_code"])
        issue[swap.index] = ("outside Iraq; latitude and longitude may be swapped "
                             "(swapped, the point falls in " + swap["admin1_name"] + ")")
    out = df.drop(columns=[c for c in ("admin1_code", "admin1_name", "region", "coord_issue",
                                       "geometry") if c in df.columns])
    out = out.assign(admin1_code=found["admin1_code"], admin1_name=found["admin1_name"],
                     region=region, coord_issue=issue)
    if not geometry:
        return out
    geom = gpd.GeoSeries(gpd.points_from_xy(lo.where(ok), la.where(ok)), index=index, crs=WGS84)
    geom[~ok] = None
    return gpd.GeoDataFrame(out, geometry=geom, crs=WGS84)


def assign_admin2(df: pd.DataFrame, admin2: gpd.GeoDataFrame, lat: str = "latitude",
                  lon: str = "longitude") -> pd.DataFrame:
    """admin2_code and admin2_name (the district set's own codes, e.g. OCHA P-codes) for each
    point, with the same grid lookup as the governorates; missing outside every district."""
    la = pd.to_numeric(df[lat], errors="coerce").astype("float64")
    lo = pd.to_numeric(df[lon], errors="coerce").astype("float64")
    ok = (coordinate_problems(la, lo) == "").to_numpy(dtype=bool)
    polys = admin2[["admin2_code", "admin2_name", "geometry"]].rename(
        columns={"admin2_code": "admin1_code", "admin2_name": "admin1_name"})
    found = _lookup(polys.assign(region=""), lo.where(ok), la.where(ok))
    return pd.DataFrame({"admin2_code": found["admin1_code"], "admin2_name": found["admin1_name"]},
                        index=df.index)


def locate(points: list[tuple[float, float]], admin1: gpd.GeoDataFrame | None = None
           ) -> pd.DataFrame:
    """(lat, lon) pairs -> table lat, lon, admin1_code, admin1_name, region."""
    df = pd.DataFrame(points, columns=["lat", "lon"])
    joined = assign_admin1(df, admin1, lat="lat", lon="lon")
    return pd.DataFrame(joined[["lat", "lon", "admin1_code", "admin1_name", "region"]])
