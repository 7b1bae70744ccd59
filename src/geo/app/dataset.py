"""Everything the pages (and `geo brief`) show, loaded in one place: the boundaries, the curated
tables, the imported events of a store, their joins and derived columns, and the coverage dates.
No Streamlit here: the app caches `load_data` (`geo.app.ui`), the CLI calls it directly."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

import geopandas as gpd
import pandas as pd

from geo.app import actors, aggregate, coverage, direction, duplicates
from geo.data.store import read_events, store_dir
from geo.sources import attribution
from geo.sources.curated import DATASETS, load
from geo.spatial.boundaries import (
    BoundaryError,
    load_admin1,
    load_configured_admin1,
    load_configured_admin2,
    load_regions,
)


@dataclass(frozen=True)
class Data:
    """Everything the pages show, loaded once per process."""

    admin1: gpd.GeoDataFrame
    regions: gpd.GeoDataFrame
    events: gpd.GeoDataFrame
    sites: gpd.GeoDataFrame  # foreign-force sites (with a deployment row), see aggregate
    deployments: gpd.GeoDataFrame
    troop_levels: pd.DataFrame
    transition: pd.DataFrame
    issues: pd.DataFrame
    boundary_error: str | None
    as_of: pd.Timestamp | None
    milestones: pd.DataFrame
    coverage: pd.DataFrame  # per table: rows, first and last reported date (geo.app.coverage)
    admin2: gpd.GeoDataFrame | None = None  # districts, when an installed set has them
    # Records that repeat an event of `events` in another dataset (geo.app.duplicates): kept
    # for the downloads, never counted; `events` holds one record per event.
    repeats: gpd.GeoDataFrame | None = None

    @property
    def admin1_names(self) -> dict[str, str]:
        return dict(zip(self.admin1["admin1_code"], self.admin1["admin1_name"], strict=True))


def joined_imports(imported: gpd.GeoDataFrame, admin1: gpd.GeoDataFrame, label: str,
                    admin2: gpd.GeoDataFrame | None = None) -> gpd.GeoDataFrame:
    """Stored events joined to the current boundaries (attribution kept), labelled, with the
    derived columns every page reads. Every stored column comes along (low/high tolls, the
    source's admin-1, attribution): the downloads carry what the store holds."""
    joined = attribution.join(imported.drop(columns="geometry"), admin1, geometry=False,
                              admin2=admin2)
    return with_meaning(gpd.GeoDataFrame(joined.assign(dataset=label),
                                         geometry=imported.geometry, crs=imported.crs))


def with_meaning(events: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """`events` with the columns derived from actors and targets: both actors' families,
    whether it is an attack on US/coalition forces, its direction of violence. Computed once
    per load (regular expressions cost more than a filter change) and exported as they are, so
    an analyst's pivot shows what the dashboard shows."""
    out = actors.with_families(events)
    out[aggregate.ATTACK_COLUMN] = aggregate.attacks_on_foreign_forces(out)
    out[direction.COLUMN] = direction.direction(out)
    return out


def curated_events(events: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The curated events (as loaded and joined) labelled, with their meaning."""
    return with_meaning(events.assign(dataset="curated"))


def stored_events(store: Path | None, admin1: gpd.GeoDataFrame,
                  admin2: gpd.GeoDataFrame | None = None) -> gpd.GeoDataFrame:
    """A store's events joined and labelled "imported", with their meaning (empty: none)."""
    imported = read_events(store_dir(store))
    return joined_imports(imported, admin1, "imported", admin2) if len(imported) else imported


def counted_once(*parts: pd.DataFrame, crs=None) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    """All records of `parts` linked across datasets (`geo.app.duplicates`): (one record per
    event, the records that repeat one of them)."""
    frames = [p.drop(columns=[duplicates.DUPLICATE_OF, duplicates.ALSO], errors="ignore")
              for p in parts if len(p)]
    every = gpd.GeoDataFrame(pd.concat(frames, ignore_index=True) if len(frames) > 1
                             else frames[0], geometry="geometry", crs=crs or parts[0].crs)
    kept, repeats = duplicates.split(every)
    return (gpd.GeoDataFrame(kept.reset_index(drop=True), geometry="geometry", crs=every.crs),
            gpd.GeoDataFrame(repeats.reset_index(drop=True), geometry="geometry", crs=every.crs))


def every_event_record(admin1: gpd.GeoDataFrame, admin2: gpd.GeoDataFrame | None = None,
                       store: Path | None = None, curated: bool = True,
                       imported: bool = True) -> gpd.GeoDataFrame:
    """Every event record the dashboard holds with `store`, linked as the app links them
    (`duplicate_of`), with their meaning: what `geo export` writes. `curated` and `imported`
    choose which records are returned; the links always consider both."""
    cur = load("events", admin1).data
    if admin2 is not None:
        cur = attribution.with_districts(cur, admin2)
    mine = stored_events(store, admin1, admin2) if store is not None else pd.DataFrame()
    kept, repeats = counted_once(curated_events(cur), mine, crs=admin1.crs)
    every = pd.concat([kept, repeats], ignore_index=True)
    is_curated = every["dataset"] == "curated"
    every = every[(is_curated & curated) | (~is_curated & imported)]
    return gpd.GeoDataFrame(every.sort_values(["event_date", "event_id"], kind="stable")
                            .reset_index(drop=True), geometry="geometry", crs=admin1.crs)


def imported_coverage(imported: pd.DataFrame) -> pd.DataFrame:
    return coverage.coverage_table({"events": imported.assign(
        event_date=pd.to_datetime(imported["event_date"]))})


def load_data(store: Path | None = None) -> Data:
    """Read and join everything once; `store` is the event store (default: GEO_STORE or
    ./store). Files are read here and nowhere else (pages never do I/O)."""
    try:
        admin1, error = load_configured_admin1(), None
    except BoundaryError as exc:  # a bad GEO_BOUNDARIES setting must not take the app down
        admin1, error = load_admin1(), str(exc)
    loaded = {name: load(name, admin1) for name in DATASETS}
    admin2 = load_configured_admin2() if error is None else None
    if admin2 is not None:
        for name in ("events", "sites"):
            loaded[name] = replace(loaded[name],
                                   data=attribution.with_districts(loaded[name].data, admin2))
    issues = pd.concat([x.issues.assign(dataset=name) for name, x in loaded.items()],
                       ignore_index=True)
    imported = stored_events(store, admin1, admin2)
    events, repeats = counted_once(curated_events(loaded["events"].data), imported,
                                   crs=admin1.crs)
    reported = {name: loaded[name].data[loaded[name].data["status_kind"] == "reported"]
                for name in ("deployments", "troop_levels")}
    as_of = aggregate.as_of((events, "event_date"), (reported["deployments"], "as_of_date"),
                            (reported["troop_levels"], "as_of_date"))
    tables = {name: loaded[name].data for name in coverage.DATE_COLUMNS}
    cover = coverage.coverage_table(tables)
    if len(imported):
        cover = pd.concat([cover, imported_coverage(imported).assign(table="imported events")],
                          ignore_index=True)
    sites = aggregate.foreign_force_sites(loaded["sites"].data, loaded["deployments"].data)
    return Data(admin1, load_regions(), events, sites, loaded["deployments"].data,
                loaded["troop_levels"].data, loaded["transition"].data, issues, error, as_of,
                loaded["milestones"].data, cover, admin2, repeats)
