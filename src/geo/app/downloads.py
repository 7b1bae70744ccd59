"""Download bundles: exactly the filtered rows, in a chosen format, with a README that says what
they are (filter, sources, licence, time of export).

The README is in the reader's language (`geo.data.i18n`); the files' contents, column names
and file names are not: they are read by programs."""

from __future__ import annotations

import io
import tempfile
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import geopandas as gpd
import pandas as pd

from geo.data.export import FORMATS, export_frame, to_csv_text, write
from geo.data.i18n import N_, _

LICENCE_TEXT = N_(
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
    # Times and dates stay ISO (2026-03-14): a reader may paste them into a program.
    lines = [
        _("Iraq security dashboard - data export"),
        "",
        _("Exported: {time} UTC").format(time=f"{now:%Y-%m-%d %H:%M}"),
        # Translators: {date} is the date of the newest data, as 2026-03-14
        _("Data as of: {date}").format(date=f"{as_of:%Y-%m-%d}") if as_of is not None
        else _("Data as of: unknown"),
        *([coverage, _("(Outside these dates the data is silent, which is not the same as "
                       "quiet.)")] if coverage else []),
        # Translators: {filter} describes the filter, e.g. "governorates: Baghdad"
        _("Filter: {filter}").format(filter=filter_text),
        # Translators: {format} is a file format: csv, geojson, gpkg…
        _("Format: {format}").format(format=fmt),
        # Translators: {counts} lists the files' rows, e.g. "events 120, sites 14" (the names
        # are the files' dataset names)
        _("Rows: {counts}").format(counts=", ".join(f"{k} {v}" for k, v in counts.items())),
        "",
        # Translators: the README of a download. Keep the column names (source_publisher,
        # time_precision…) and values (exact / at least / estimate) as they are: they are what
        # the files hold. The line breaks may go where they suit.
        _("Sources: every row carries source_publisher, source_date, source_title and source_url;\n"
          "the `source` column combines them. Precision: time_precision 1 day / 2 week / 3 month;\n"
          "geo_precision 1 exact site or town / 2 near the named place / 3 larger area only."),
        # Translators: the README of a download; keep the column names and values as they are
        _("fatalities: blank = no source gives a figure (unknown, never 0); fatalities_qualifier\n"
          "says exact / at least / estimate; `partisan` names the party or aligned outlet that is\n"
          "the only source of a figure."),
        # Translators: the README of a download; keep the column names as they are
        _("actor1_family, actor2_family and direction are computed as the dashboard computes them."),
        # Translators: the README of a download; keep the column names as they are
        _("duplicate_of: blank for the record the dashboard counts; otherwise the event_id of the\n"
          "record counted for the same event, reported by another dataset too. Keep the rows with a\n"
          "blank duplicate_of to reproduce the dashboard's figures."),
        _("Governorate and region come from a point-in-polygon join on the embedded boundaries;\n"
          "near Baghdad's edges the governorate lines are approximate (see data/README.md)."),
        "",
        # Translators: {licence} is the licence text of the download
        _("Licence: {licence}").format(licence=_(LICENCE_TEXT)),
        "",
        _("CSV cells that begin with = + - @ or a tab were prefixed with ' so spreadsheets do not\n"
          "run them as formulas."),
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
