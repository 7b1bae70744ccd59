"""Load admin-1 boundaries: the embedded governorates, or a user's own file with a column map.

Whatever the source, callers get one shape: `admin1_code`, `admin1_name`, `region`, geometry
in WGS 84, valid polygons only.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio
import shapely

from geo.data import paths
from geo.data.crs import WGS84
from geo.data.i18n import N_
from geo.data.schemas import OUTSIDE_IRAQ
from geo.spatial import installed

ADMIN1_COLUMNS = ["admin1_code", "admin1_name", "region"]
BOUNDARY_SUFFIXES = {".geojson", ".json", ".gpkg", ".shp", ".zip", ".parquet"}

BOUNDARY_CAVEAT = N_(
    "Governorate lines come from Natural Earth (public domain). Its Baghdad covers only the city; "
    "within 50 km of it Baghdad's outer line was redrawn from GeoNames and SimpleMaps towns and is "
    "approximate (roughly ±10–15 km; 82 % of points within 60 km of Baghdad get OCHA's "
    "governorate): treat governorate assignments near Baghdad's edges as uncertain. "
    "Halabja is shown inside Sulaymaniyah."
)


class BoundaryError(ValueError):
    """A boundary file cannot be used; the message says why and where."""


def parse_column_map(spec: str | None) -> dict[str, str]:
    """`admin1_code=ADM1_PCODE,admin1_name=ADM1_EN[,region=REGION]` -> dict."""
    if not spec:
        return {}
    mapping: dict[str, str] = {}
    for part in spec.split(","):
        key, sep, value = part.partition("=")
        key, value = key.strip(), value.strip()
        if not sep or not key or not value:
            raise BoundaryError(f"column map entry {part!r} is not of the form name=COLUMN")
        if key not in ADMIN1_COLUMNS:
            raise BoundaryError(f"column map names {key!r}; expected one of "
                                f"{', '.join(ADMIN1_COLUMNS)}")
        mapping[key] = value
    return mapping


@lru_cache(maxsize=4)
def _read_embedded(name: str, mtime: float) -> gpd.GeoDataFrame:
    return gpd.read_file(paths.boundaries_dir() / name, engine="pyogrio")


def _embedded(name: str) -> gpd.GeoDataFrame:
    path = paths.boundaries_dir() / name
    if not path.exists():
        raise BoundaryError(f"{path}: embedded boundary file is missing (run `make data`)")
    return _read_embedded(name, path.stat().st_mtime).copy()


def load_admin1(path: str | Path | None = None, columns: dict[str, str] | None = None,
                layer: str | None = None) -> gpd.GeoDataFrame:
    """The embedded governorates, or a user's admin-1 file mapped onto the same columns."""
    if path is None:
        return _embedded(paths.ADMIN1_FILE)
    return read_user_admin1(Path(path), columns or {}, layer)


def load_configured_admin1(path: str | Path | None = None, columns: str | None = None,
                           layer: str | None = None) -> gpd.GeoDataFrame:
    """Admin-1 as configured: arguments first, then GEO_BOUNDARIES / GEO_BOUNDARY_COLUMNS /
    GEO_BOUNDARY_LAYER, then an installed set (`geo boundaries install`) unless switched off,
    else the embedded governorates. The app and the CLI both use this."""
    path = path or os.environ.get("GEO_BOUNDARIES") or None
    if path is None:
        if columns or layer:
            raise BoundaryError("a boundary column map or layer needs a boundary file")
        if installed.active() == "installed":
            try:
                return installed.load("admin1")[ADMIN1_COLUMNS + ["geometry"]]
            except (OSError, ValueError) as exc:
                raise BoundaryError(f"the installed boundary set cannot be read ({exc}); run "
                                    "`geo boundaries use embedded` or install it again") from exc
        return load_admin1()
    columns = columns if columns is not None else os.environ.get("GEO_BOUNDARY_COLUMNS")
    layer = layer or os.environ.get("GEO_BOUNDARY_LAYER") or None
    return load_admin1(path, parse_column_map(columns), layer)


def load_configured_admin2() -> gpd.GeoDataFrame | None:
    """The districts of the installed set when it is the one in use (no GEO_BOUNDARIES file
    overrides it) and has them; else None: districts are not known."""
    if os.environ.get("GEO_BOUNDARIES") or "admin2" not in installed.levels():
        return None
    try:
        return installed.load("admin2")
    except (OSError, ValueError):
        return None


def load_regions() -> gpd.GeoDataFrame:
    return _embedded(paths.REGIONS_FILE)


def load_outline() -> gpd.GeoDataFrame:
    return _embedded(paths.OUTLINE_FILE)


def read_user_admin1(path: Path, columns: dict[str, str], layer: str | None = None
                     ) -> gpd.GeoDataFrame:
    """Read a GeoJSON/GeoPackage/Shapefile of admin-1 polygons and map its columns."""
    if not path.exists():
        raise BoundaryError(f"{path}: file not found")
    if path.suffix.lower() not in BOUNDARY_SUFFIXES:
        raise BoundaryError(f"{path}: unsupported type {path.suffix or '(none)'}; use GeoJSON, "
                            "GeoPackage, Shapefile or GeoParquet")
    try:
        if path.suffix.lower() == ".parquet":
            gdf = gpd.read_parquet(path)
        else:
            gdf = gpd.read_file(path, layer=layer, engine="pyogrio")
    except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError, ValueError,
            OSError) as exc:
        raise BoundaryError(f"{path}: cannot read as a vector file ({exc})") from exc
    if gdf.empty:
        raise BoundaryError(f"{path}: no features")
    code_col = columns.get("admin1_code", "admin1_code")
    name_col = columns.get("admin1_name", "admin1_name")
    for wanted, col in (("admin1_code", code_col), ("admin1_name", name_col)):
        if col not in gdf.columns:
            raise BoundaryError(
                f"{path}: column {col!r} (for {wanted}) not found; columns are: "
                f"{', '.join(c for c in gdf.columns if c != 'geometry')}")
    if gdf.crs is None:
        raise BoundaryError(f"{path}: no coordinate reference system; save it with one "
                            "(WGS 84 expected)")
    empty = gdf.geometry.isna() | gdf.geometry.is_empty
    if empty.any():
        raise BoundaryError(f"{path}: {int(empty.sum())} feature(s) have no geometry ("
                            f"{code_col} {', '.join(gdf.loc[empty, code_col].astype(str)[:5])}); "
                            "remove them or give them their polygons")
    gdf = gdf.to_crs(WGS84)
    west, south, east, north = gdf.total_bounds
    if not (-180 <= west <= east <= 180 and -90 <= south <= north <= 90):
        raise BoundaryError(f"{path}: coordinates reach {west:,.0f}, {south:,.0f} to {east:,.0f}, "
                            f"{north:,.0f}, not longitude/latitude: the file's CRS is missing or "
                            "wrong (GeoJSON without one is read as WGS 84); save it with its real CRS")
    kinds = set(gdf.geometry.geom_type.dropna())
    if not kinds or not kinds <= {"Polygon", "MultiPolygon"}:
        raise BoundaryError(f"{path}: expected polygons, found {', '.join(sorted(kinds)) or 'none'}")
    out = gpd.GeoDataFrame({
        "admin1_code": gdf[code_col].astype(str).str.strip(),
        "admin1_name": gdf[name_col].astype(str).str.strip(),
    }, geometry=shapely.make_valid(gdf.geometry.values), crs=WGS84)
    region_col = columns.get("region")
    if region_col:
        if region_col not in gdf.columns:
            raise BoundaryError(f"{path}: column {region_col!r} (for region) not found")
        out["region"] = gdf[region_col].astype(str).str.strip()
    else:
        out["region"] = infer_region(out)
    if out["admin1_code"].duplicated().any():
        out = out.dissolve(["admin1_code", "admin1_name", "region"], as_index=False)
    return out[ADMIN1_COLUMNS + ["geometry"]]


def infer_region(polys: gpd.GeoDataFrame) -> pd.Series:
    """Region of each user polygon = embedded region holding its representative point."""
    regions = load_regions()[["region", "geometry"]]
    points = gpd.GeoDataFrame(geometry=polys.geometry.representative_point(), crs=WGS84)
    hit = gpd.sjoin(points, regions, predicate="within", how="left")
    hit = hit[~hit.index.duplicated()]
    return hit["region"].reindex(polys.index).fillna(OUTSIDE_IRAQ)
