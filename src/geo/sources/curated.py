"""Load the curated tables: read as text, validate against the schema, join to governorates.

Loading never raises on a bad row: the row is set aside in `rejected` and explained in
`issues`, and every good row is kept.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import pandas as pd

from geo.data import paths
from geo.data.schemas import ALL_SCHEMAS, DEPLOYMENTS, EVENTS, SITES, Schema
from geo.data.validate import ISSUE_COLUMNS, Validated, read_csv_text, validate
from geo.spatial.join import assign_admin1

DATASETS = ("events", "sites", "deployments", "troop_levels", "transition", "milestones",
            "actor_families")
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
    if name == "events":
        data, site_issues = _site_positions(data, path)
        issues.append(site_issues)
    if name == "actor_families":
        data, bad = _compiled_patterns(data, path)
        issues.append(bad)
    if name in SPATIAL:
        data = assign_admin1(data, admin1)
        issues.append(_coordinate_issues(data, schema.key, path.name))
    return Loaded(name, data, _concat(issues), result.rejected)


SITE_REF = r"^site:(?P<site>.+)$"
SITE_TOLERANCE_DEG = 1e-5  # the fifth decimal: what the curated files keep


def _site_positions(events: pd.DataFrame, path: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """An event placed at a site (`coord_source` = `site:<id>`) takes the site's position from
    sites.csv: one position per place, one place to fix it. A reference to an unknown site, or
    a row whose own coordinates differ from the site's, is reported."""
    site_id = events["coord_source"].str.extract(SITE_REF, expand=False)
    at_site = site_id.notna()
    if not at_site.any():
        return events, pd.DataFrame(columns=ISSUE_COLUMNS)
    sites = read_table(path.parent / "sites.csv", SITES).data.set_index("site_id")
    lat = site_id.map(sites["latitude"])
    lon = site_id.map(sites["longitude"])
    unknown = at_site & ~site_id.isin(sites.index)
    unplaced = at_site & ~unknown & (lat.isna() | lon.isna())
    moved = at_site & ~unknown & ~unplaced & (
        ((events["latitude"] - lat).abs() > SITE_TOLERANCE_DEG)
        | ((events["longitude"] - lon).abs() > SITE_TOLERANCE_DEG))
    problems = []
    for mask, reason in ((unknown, "coord_source names a site that is not in sites.csv"),
                         (unplaced, "coord_source names a site with no published position"),
                         (moved, "coordinates differ from the site's in sites.csv; the site's "
                                 "are used")):
        if mask.any():
            problems.append(pd.DataFrame({
                "file": path.name, "row": pd.NA, "column": "coord_source",
                "value": events.loc[mask, "event_id"].astype(str), "reason": reason,
                "severity": "warning"}, columns=ISSUE_COLUMNS))
    use = at_site & ~unknown & ~unplaced
    events = events.copy()
    events.loc[use, "latitude"] = lat[use]
    events.loc[use, "longitude"] = lon[use]
    return events, _concat(problems)


def _compiled_patterns(families: pd.DataFrame, path: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A pattern that is not a valid regular expression is an error; its row is set aside."""
    def broken(pattern: str) -> str | None:
        try:
            re.compile(pattern)
        except re.error as exc:
            return str(exc)
        return None
    reasons = families["pattern"].map(broken)
    bad = reasons.notna()
    issues = pd.DataFrame({"file": path.name, "row": pd.NA, "column": "pattern",
                           "value": families.loc[bad, "pattern"].astype(str).str.slice(0, 80),
                           "reason": "not a regular expression: " + reasons[bad].astype(str),
                           "severity": "error"}, columns=ISSUE_COLUMNS)
    return families[~bad].reset_index(drop=True), issues


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
