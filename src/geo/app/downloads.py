"""Download bundles: exactly the filtered rows, in a chosen format, with a README that says what
they are (filter, sources, licence, time of export)."""

from __future__ import annotations

import io
import tempfile
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import geopandas as gpd
import pandas as pd

from geo.data.export import FORMATS, export_frame, to_csv_text, write

LICENCE_TEXT = (
    "Curated tables: CC BY 4.0 (Iraq security dashboard project); each row cites its source, "
    "which keeps its own rights. Boundaries: Natural Earth (public domain), repaired near Baghdad "
    "with GeoNames (CC BY 4.0, geonames.org) and SimpleMaps World Cities (CC BY 4.0, "
    "simplemaps.com) towns."
)


def file_name(dataset: str, slug: str, ext: str) -> str:
    return f"iraq_{dataset}_{slug}.{ext.lstrip('.')}"


def readme_text(filter_text: str, counts: dict[str, int], as_of: pd.Timestamp | None,
                fmt: str, now: datetime | None = None, coverage: str | None = None) -> str:
    now = now or datetime.now(UTC)
    lines = [
        "Iraq security dashboard - data export",
        "",
        f"Exported: {now:%Y-%m-%d %H:%M} UTC",
        f"Data as of: {as_of:%Y-%m-%d}" if as_of is not None else "Data as of: unknown",
        *([coverage, "(Outside these dates the data is silent, which is not the same as quiet.)"]
          if coverage else []),
        f"Filter: {filter_text}",
        f"Format: {fmt}",
        "Rows: " + ", ".join(f"{k} {v}" for k, v in counts.items()),
        "",
        "Sources: every row carries source_publisher, source_date, source_title and source_url;",
        "the `source` column combines them. Precision: time_precision 1 day / 2 week / 3 month;",
        "geo_precision 1 exact site or town / 2 near the named place / 3 larger area only.",
        "fatalities: blank = no source gives a figure (unknown, never 0); fatalities_qualifier",
        "says exact / at least / estimate; `partisan` names the party or aligned outlet that is",
        "the only source of a figure.",
        "actor1_family, actor2_family and direction are computed as the dashboard computes them.",
        "duplicate_of: blank for the record the dashboard counts; otherwise the event_id of the",
        "record counted for the same event, reported by another dataset too. Keep the rows with a",
        "blank duplicate_of to reproduce the dashboard's figures.",
        "Governorate and region come from a point-in-polygon join on the embedded boundaries;",
        "near Baghdad's edges the governorate lines are approximate (see data/README.md).",
        "",
        f"Licence: {LICENCE_TEXT}",
        "",
        "CSV cells that begin with = + - @ or a tab were prefixed with ' so spreadsheets do not",
        "run them as formulas.",
    ]
    return "\n".join(lines) + "\n"


def table_bytes(frame: gpd.GeoDataFrame, dataset: str, fmt: str) -> bytes:
    """One dataset in one format, as bytes (written through the same code as `geo export`)."""
    if fmt == "csv":
        return to_csv_text(frame).encode("utf-8")
    with tempfile.TemporaryDirectory() as tmp:
        path = write(frame, fmt, Path(tmp) / f"{dataset}{FORMATS[fmt]}", layer=dataset)
        return path.read_bytes()


def bundle(tables: dict[str, gpd.GeoDataFrame], fmt: str, filter_text: str,
           as_of: pd.Timestamp | None, slug: str, coverage: str | None = None) -> bytes:
    """A zip with one file per dataset plus README.txt."""
    frames = {name: export_frame(df, name) for name, df in tables.items()}
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, frame in frames.items():
            zf.writestr(file_name(name, slug, FORMATS[fmt]), table_bytes(frame, name, fmt))
        zf.writestr("README.txt", readme_text(filter_text, {k: len(v) for k, v in frames.items()},
                                              as_of, fmt, coverage=coverage))
    return buf.getvalue()
