"""Load the curated tables: read as text, validate against the schema, join to governorates.

Loading never raises on a bad row: the row is set aside in `rejected` and explained in
`issues`, and every good row is kept.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import pandas as pd

from geo import paths
from geo.join import assign_admin1
from geo.schemas import ALL_SCHEMAS, DEPLOYMENTS, EVENTS, SITES, Schema
from geo.validate import ISSUE_COLUMNS, Validated, read_csv_text, validate

DATASETS = ("events", "sites", "deployments", "troop_levels", "transition")
SPATIAL = {"events", "sites", "deployments"}


@dataclass
class Loaded:
    """A validated table plus everything that was wrong with its file."""

    name: str
    data: pd.DataFrame | gpd.GeoDataFrame
    issues: pd.DataFrame
    rejected: pd.DataFrame


def curated_path(name: str) -> Path:
    return paths.curated_dir() / f"{name}.csv"


def read_table(path: Path, schema: Schema, label: str | None = None) -> Validated:
    label = label or path.name
    return validate(read_csv_text(path, label), schema, label)


def _coordinate_issues(gdf: gpd.GeoDataFrame, key: str, label: str) -> pd.DataFrame:
    bad = gdf["coord_issue"].fillna("") != ""
    return pd.DataFrame({
        "file": label, "row": pd.NA, "column": "latitude,longitude",
        "value": gdf.loc[bad, key].astype(str), "reason": gdf.loc[bad, "coord_issue"],
        "severity": "warning",
    }, columns=ISSUE_COLUMNS)


def load(name: str, admin1: gpd.GeoDataFrame | None = None,
         directory: Path | None = None) -> Loaded:
    """Load one curated table by name (see DATASETS)."""
    if name not in DATASETS:
        raise ValueError(f"unknown dataset {name!r}; choose one of {', '.join(DATASETS)}")
    schema = ALL_SCHEMAS[name]
    path = (directory or paths.curated_dir()) / f"{name}.csv"
    if name == "deployments":
        return _load_deployments(admin1, path)
    result = read_table(path, schema)
    issues = [result.issues]
    data: pd.DataFrame = result.data
    if name in SPATIAL:
        data = assign_admin1(data, admin1)
        issues.append(_coordinate_issues(data, schema.key, path.name))
    return Loaded(name, data, _concat(issues), result.rejected)


def _load_deployments(admin1: gpd.GeoDataFrame | None, path: Path) -> Loaded:
    """Deployments take their position from sites.csv; an unknown site is an error."""
    result = read_table(path, DEPLOYMENTS)
    sites = load("sites", admin1, path.parent)
    site_cols = ["site_id", "name", "kind", "latitude", "longitude", "geo_precision",
                 "admin1_code", "admin1_name", "region", "coord_issue", "geometry"]
    site_table = sites.data[site_cols].rename(columns={"name": "site_name", "kind": "site_kind"})
    data = result.data.merge(site_table, on="site_id", how="left", validate="many_to_one")
    unknown = data["site_name"].isna()
    issues = [result.issues]
    if unknown.any():
        issues.append(pd.DataFrame({
            "file": path.name, "row": pd.NA, "column": "site_id",
            "value": data.loc[unknown, "site_id"].astype(str),
            "reason": "site_id not found in sites.csv", "severity": "error"},
            columns=ISSUE_COLUMNS))
    data = gpd.GeoDataFrame(data[~unknown].reset_index(drop=True), geometry="geometry",
                            crs=sites.data.crs)
    return Loaded("deployments", data, _concat(issues), result.rejected)


def _concat(frames: list[pd.DataFrame]) -> pd.DataFrame:
    frames = [f for f in frames if not f.empty]
    if not frames:
        return pd.DataFrame(columns=ISSUE_COLUMNS)
    return pd.concat(frames, ignore_index=True)


def load_events(admin1: gpd.GeoDataFrame | None = None) -> gpd.GeoDataFrame:
    return load("events", admin1).data


def load_sites(admin1: gpd.GeoDataFrame | None = None) -> gpd.GeoDataFrame:
    return load("sites", admin1).data


def load_deployments(admin1: gpd.GeoDataFrame | None = None) -> gpd.GeoDataFrame:
    return load("deployments", admin1).data


__all__ = ["DATASETS", "EVENTS", "SITES", "Loaded", "load", "load_deployments", "load_events",
           "load_sites", "curated_path"]
