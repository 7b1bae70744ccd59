"""Write tables as CSV, GeoJSON, GeoPackage or GeoParquet, the same columns in every format.

CSV cells that a spreadsheet would run as a formula are neutralised with a leading
apostrophe (OWASP's advice); files are written atomically.
"""

from __future__ import annotations

import io
from pathlib import Path

import geopandas as gpd
import pandas as pd

from geo.data.atomic import write_atomic
from geo.data.schemas import EVENT_EXPORT_COLUMNS

FORMATS = {"csv": ".csv", "geojson": ".geojson", "gpkg": ".gpkg", "parquet": ".parquet"}
BINARY_FORMATS = {"gpkg", "parquet"}
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

DEPLOYMENT_EXPORT_COLUMNS = [
    "deployment_id", "site_id", "site_name", "site_kind", "force", "start_date", "end_date", "as_of_date",
    "status_kind", "status", "personnel", "personnel_qualifier", "latitude", "longitude",
    "geo_precision", "admin1_code", "admin1_name", "region", "source", "notes",
    "source_publisher", "source_date", "source_title", "source_url",
]
SITE_EXPORT_COLUMNS = [
    "site_id", "name", "aliases", "kind", "latitude", "longitude", "geo_precision",
    "coord_source", "admin1_code", "admin1_name", "region", "coord_issue", "notes",
    "source_publisher", "source_date", "source_title", "source_url",
    "admin2_code", "admin2_name", "jurisdiction",
]
EXPORT_COLUMNS = {"events": EVENT_EXPORT_COLUMNS, "deployments": DEPLOYMENT_EXPORT_COLUMNS,
                  "sites": SITE_EXPORT_COLUMNS}


def source_citation(df: pd.DataFrame) -> pd.Series:
    """'Publisher, YYYY-MM-DD: Title <url>' from the source_* columns (blank parts left out)."""
    def part(col: str) -> pd.Series:
        if col not in df:
            return pd.Series("", index=df.index)
        s = df[col]
        if pd.api.types.is_datetime64_any_dtype(s):
            s = s.dt.strftime("%Y-%m-%d")
        return s.astype("string").fillna("")

    pub, date, title, url = (part(c) for c in ("source_publisher", "source_date",
                                              "source_title", "source_url"))
    head = pub + date.where(date == "", ", " + date)
    head = head + title.where(title == "", ": " + title)
    return (head + url.where(url == "", " <" + url + ">")).str.strip()


def export_frame(gdf: gpd.GeoDataFrame, dataset: str) -> gpd.GeoDataFrame:
    """Canonical export columns for a dataset, with a combined `source` citation."""
    out = gdf.assign(source=source_citation(gdf))
    cols = [c for c in EXPORT_COLUMNS.get(dataset, list(gdf.columns)) if c in out.columns]
    cols = [c for c in cols if c != "geometry"]
    return gpd.GeoDataFrame(out[cols], geometry=gdf.geometry, crs=gdf.crs)


def neutralise_formulas(df: pd.DataFrame) -> pd.DataFrame:
    """Prefix text cells starting with = + - @ tab or CR with ' so spreadsheets show them as text."""
    out = df.copy()
    for col in out.columns:
        s = out[col]
        if pd.api.types.is_object_dtype(s) or pd.api.types.is_string_dtype(s):
            text = s.astype("string")
            risky = text.str.startswith(_FORMULA_START).fillna(False)
            if risky.any():
                out[col] = text.mask(risky, "'" + text)
    return out


def to_csv_text(df: pd.DataFrame) -> str:
    table = pd.DataFrame(df.drop(columns=["geometry"], errors="ignore"))
    buf = io.StringIO()
    neutralise_formulas(table).to_csv(buf, index=False, date_format="%Y-%m-%d",
                                      lineterminator="\n")
    return buf.getvalue()


def _for_gis(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """GIS drivers want plain dtypes: dates as ISO text, nullable ints as floats or objects."""
    out = gdf.copy()
    for col in out.columns:
        if col == out.geometry.name:
            continue
        s = out[col]
        if pd.api.types.is_datetime64_any_dtype(s):
            out[col] = s.dt.strftime("%Y-%m-%d").astype(object).where(s.notna(), None)
        elif isinstance(s.dtype, pd.StringDtype):
            out[col] = s.astype(object).where(s.notna(), None)
    return out


def write(gdf: gpd.GeoDataFrame, fmt: str, out: Path, layer: str = "data") -> Path:
    """Write `gdf` to `out` in `fmt`, atomically."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    if fmt == "csv":
        text = to_csv_text(gdf)
        return write_atomic(out, lambda tmp: tmp.write_text(text, encoding="utf-8"))
    gis = _for_gis(gdf)
    if fmt == "parquet":
        return write_atomic(out, lambda tmp: gis.to_parquet(tmp, index=False,
                                                            write_covering_bbox=True))
    driver = {"geojson": "GeoJSON", "gpkg": "GPKG"}[fmt]
    return write_atomic(out, lambda tmp: gis.to_file(tmp, driver=driver, layer=layer,
                                                     engine="pyogrio"))


def read_back(path: Path) -> gpd.GeoDataFrame | pd.DataFrame:
    """Read an exported file (used by tests and `geo` users checking a round trip)."""
    suffix = Path(path).suffix.lower()
    if suffix == ".csv":
        return pd.read_csv(path, dtype=str, keep_default_na=False)
    if suffix == ".parquet":
        return gpd.read_parquet(path)
    return gpd.read_file(path, engine="pyogrio")
