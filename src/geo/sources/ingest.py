"""Bring a user's file into the event store: read, map, validate, geocode, join, merge, report.

Nothing is lost silently: every rejected row is written to `<store>/rejected/` with its file,
row, column and reason, and the report counts what happened to every row.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import pandas as pd

from geo.data.atomic import write_atomic
from geo.data.i18n import _, ngettext, number
from geo.data.schemas import EVENTS, OUTSIDE_IRAQ
from geo.data.store import (
    ORIGIN,
    ORIGINS,
    UNKNOWN_ORIGIN,
    locked,
    merge,
    read_events,
    writable_store,
    write_events,
)
from geo.data.validate import ISSUE_COLUMNS, SchemaError, read_csv_noted, validate
from geo.sources import attribution
from geo.sources import formats as fmt
from geo.spatial.boundaries import load_admin1, load_configured_admin2
from geo.text.geocode import geocode

FORMATS = ("auto", "acled", "ucdp", "csv")
MAX_FILE_BYTES = 500_000_000
# An .xlsx is a zip: what its parts inflate to is checked in the zip directory before openpyxl
# opens it (Python's zipfile stops at the declared size, so the directory cannot understate it).
MAX_XLSX_EXPANDED = 200_000_000
MAX_XLSX_PARTS = 10_000


@dataclass
class IngestReport:
    file: str
    format: str
    rows_read: int = 0
    imported: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    geocoded: dict[str, int] = field(default_factory=dict)
    outside_iraq: int = 0
    swapped: int = 0
    admin1_disagreements: int = 0
    not_attributable: int = 0
    on_border: int = 0
    skipped: int = 0  # rows that are not data (an HXL hashtag row), said once in the issues
    mapping: dict[str, str] | None = None  # field -> column used for a generic file
    issues: pd.DataFrame = field(default_factory=pd.DataFrame)
    rejected_file: Path | None = None

    @property
    def accepted(self) -> int:
        """Rows of the file now in the store (new, updated or already there)."""
        return self.imported + self.updated + self.unchanged

    def summary(self) -> str:
        geo = ", ".join(f"{k} {v}" for k, v in self.geocoded.items()) or "none needed"
        none = (f"none of the {self.rows_read} rows could be imported; "
                if self.rows_read and not self.accepted else "")
        skipped = f", {self.skipped} skipped (not data)" if self.skipped else ""
        return (f"{self.file} ({self.format}): {none}{self.rows_read} rows read, {self.imported} "
                f"imported, {self.updated} updated, {self.unchanged} unchanged, {self.rejected} "
                f"rejected{skipped}; geocoded: {geo}; outside Iraq {self.outside_iraq}; on the "
                f"border {self.on_border}; governorate not attributable {self.not_attributable}; "
                f"possibly swapped lat/lon {self.swapped}; admin-1 disagreements "
                f"{self.admin1_disagreements}")


GENERIC_FIELDS = ("event_id", "event_date", "latitude", "longitude", "location", "event_type",
                  "sub_event_type", "actor1", "actor2", "fatalities", "notes", "source_publisher",
                  "source_url", "source_admin1")


def save_upload(name: str, content: bytes) -> Path:
    """An uploaded file on disk under a safe name (the user's name is only kept as a suffix).

    The name never chooses the folder: '../../etc/passwd.csv' becomes `passwd.csv` in a fresh
    temporary folder. Content over MAX_FILE_BYTES is refused before anything is written."""
    import tempfile

    if len(content) > MAX_FILE_BYTES:
        raise SchemaError(_("{file}: larger than {mb} MB").format(
            file=Path(name).name or "upload", mb=MAX_FILE_BYTES // 1_000_000))
    suffix = ".xlsx" if name.lower().endswith(".xlsx") else ".csv"
    stem = re.sub(r"[^A-Za-z0-9_-]+", "_", Path(name).stem)[:60] or "upload"
    folder = Path(tempfile.mkdtemp(prefix="geo-upload-"))
    path = folder / f"{stem}{suffix}"
    path.write_bytes(content)
    return path


def read_table(path: Path) -> pd.DataFrame:
    """CSV (UTF-8, with or without BOM) or Excel, every cell as text."""
    return read_table_noted(path)[0]


def read_table_noted(path: Path) -> tuple[pd.DataFrame, list[str]]:
    """`read_table` plus notes on how the file was read (encoding, delimiter). The size is
    checked on the file system before a byte is read."""
    path = Path(path)
    if not path.exists():
        raise SchemaError(_("{file}: file not found").format(file=path))
    if not path.is_file():
        raise SchemaError(_("{file}: not a regular file").format(file=path))
    if path.stat().st_size > MAX_FILE_BYTES:
        raise SchemaError(_("{file}: larger than {mb} MB").format(file=path,
                                                                 mb=MAX_FILE_BYTES // 1_000_000))
    if path.suffix.lower() in (".xlsx", ".xls"):
        _check_workbook(path)
        try:
            table = pd.read_excel(path, dtype=str, engine="openpyxl").fillna("")
        except Exception as exc:  # openpyxl raises KeyError, ParseError, TypeError… on bad parts
            raise SchemaError(f"{path}: cannot read as Excel ({type(exc).__name__}: "
                              f"{str(exc)[:200]})") from exc
        names = [str(c) for c in table.columns]
        repeated = sorted({m.group(1) for c in names if (m := re.fullmatch(r"(.+)\.\d+", c))
                           and m.group(1) in names})  # pandas renames a repeated 'x' to 'x.1'
        if repeated:
            raise SchemaError(_("{file}: column(s) {columns} appear more than once in the "
                                "header; keep one of each").format(file=path,
                                                                   columns=", ".join(repeated)))
        return table, []
    return read_csv_noted(path, str(path))


def _check_workbook(path: Path) -> None:
    """Refuse a workbook that is not a zip, or whose parts inflate beyond MAX_XLSX_EXPANDED."""
    try:
        with zipfile.ZipFile(path) as zf:
            parts = zf.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError) as exc:
        raise SchemaError(f"{path}: cannot read as Excel (not an .xlsx workbook: {exc})") from exc
    expanded = sum(p.file_size for p in parts)
    if expanded > MAX_XLSX_EXPANDED or len(parts) > MAX_XLSX_PARTS:
        raise SchemaError(f"{path}: refused: the workbook expands to {expanded / 1e6:,.0f} MB in "
                          f"{len(parts):,} parts (limit {MAX_XLSX_EXPANDED // 1_000_000} MB, "
                          f"{MAX_XLSX_PARTS:,} parts); a zip bomb? Save large tables as CSV")


def to_events(raw: pd.DataFrame, kind: str, label: str, mapping: dict[str, str] | None = None,
              defaults: dict[str, str] | None = None) -> pd.DataFrame:
    if kind == "acled":
        return fmt.from_acled(raw, label)
    if kind == "ucdp":
        return fmt.from_ucdp(raw, label)
    return fmt.from_generic(raw, mapping or fmt.suggest_mapping(list(raw.columns)), label, defaults)


def generic_mapping(columns: list[str], overrides: dict[str, str] | None = None
                    ) -> dict[str, str]:
    """The suggestion for a generic file, with the user's `field=column` choices on top
    (`field=` with no column leaves the field unmapped)."""
    overrides = dict(overrides or {})
    known = set(EVENTS.columns) | set(fmt.GENERIC_EXTRA)
    unknown = sorted(set(overrides) - known)
    if unknown:
        raise SchemaError(f"--map: not a field of the event table: {', '.join(unknown)} "
                          f"(fields: {', '.join(GENERIC_FIELDS)}, …)")
    absent = sorted(c for c in overrides.values() if c and c not in columns)
    if absent:
        raise SchemaError(f"--map: no column {', '.join(map(repr, absent))} in the file "
                          f"(its columns: {', '.join(columns[:30])})")
    chosen = {**fmt.suggest_mapping(columns), **overrides}
    taken = set(overrides.values())  # a column the user gave a field leaves its suggestion
    return {f: c for f, c in chosen.items() if c and (f in overrides or c not in taken)}


def coordinate_text(values: pd.Series) -> pd.Series:
    """Coordinates as the text the schema validates: 5 decimals (~1 m), blank when unknown."""
    return values.map(lambda v: "" if pd.isna(v) else f"{v:.5f}")


def geocode_missing(mapped: pd.DataFrame) -> tuple[pd.DataFrame, dict[str, int]]:
    """Fill coordinates from `location` where the file has none; count how each matched."""
    lat = mapped.get("latitude", pd.Series("", index=mapped.index)).fillna("").astype(str)
    lon = mapped.get("longitude", pd.Series("", index=mapped.index)).fillna("").astype(str)
    need = (lat.str.strip() == "") | (lon.str.strip() == "")
    need &= mapped.get("location", pd.Series("", index=mapped.index)).fillna("").str.strip() != ""
    if not need.any():
        return mapped, {}
    found = geocode(mapped.loc[need, "location"].tolist())
    found.index = mapped.index[need]
    ok = found["match"] != "none"
    out = mapped.copy()
    hits = found[ok]
    out.loc[hits.index, "latitude"] = coordinate_text(hits["lat"])
    out.loc[hits.index, "longitude"] = coordinate_text(hits["lon"])
    out.loc[hits.index, "coord_source"] = "gazetteer:" + hits["place_id"] + " (" + hits["match"] + ")"
    blank_precision = out.loc[hits.index, "geo_precision"].fillna("").astype(str).str.strip() == ""
    out.loc[hits.index[blank_precision.to_numpy()], "geo_precision"] = "2"
    return out, found["match"].value_counts().to_dict()


def ingest_file(path: str | Path, kind: str = "auto", store: str | Path | None = None,
                admin1: gpd.GeoDataFrame | None = None, mapping: dict[str, str] | None = None,
                defaults: dict[str, str] | None = None,
                progress: Callable[[float, str], None] | None = None,
                overrides: dict[str, str] | None = None) -> IngestReport:
    """Import one file into the store and say what happened to every row. A generic file is
    mapped by `mapping`, else by the suggestion with the user's `overrides` on top."""
    path = Path(path)
    if kind not in FORMATS:
        raise ValueError(f"unknown format {kind!r}; choose one of {', '.join(FORMATS)}")
    writable_store(store)  # refuse data/ before reading a large file
    step = progress or (lambda share, what: None)
    # Translators: the import's progress bar, step by step
    step(0.05, _("reading"))
    raw, notes = read_table_noted(path)
    if raw.empty:
        raise SchemaError(_("{file}: no data rows (only a header)").format(file=path))
    kind = fmt.detect_format(list(raw.columns)) if kind == "auto" else kind
    step(0.2, ngettext("mapping {n} row ({format})", "mapping {n} rows ({format})",
                       len(raw)).format(n=number(len(raw)), format=kind))
    if overrides and kind != "csv":
        raise SchemaError(f"{path.name}: --map applies to generic files (--format csv), not to "
                          f"{kind.upper()} exports, whose columns are mapped by their codebook")
    if kind == "csv" and mapping is None:
        mapping = generic_mapping([str(c) for c in raw.columns], overrides)
    mapped = to_events(raw, kind, path.name, mapping, defaults)
    hxl = fmt.hxl_rows(raw)
    if hxl.any():  # HDX's hashtag row: one notice, and the data rows keep their line numbers
        lines = ", ".join(str(i + 2) for i in raw.index[hxl][:5])
        notes = [*notes, _("row {rows}: HXL hashtag row (e.g. {tag}) skipped: it describes the "
                           "columns, it is not an event").format(rows=lines,
                                                                 tag=_first_tag(raw[hxl]))]
        mapped = mapped[~hxl.to_numpy()]
    report = ingest_frame(mapped, path.name, kind, store, admin1, step, rows_read=len(raw),
                          original=raw)
    report.skipped = int(hxl.sum())
    report.mapping = mapping if kind == "csv" else None
    if notes:
        noted = pd.DataFrame({"file": path.name, "row": pd.array([pd.NA] * len(notes), "Int64"),
                              "column": "", "value": "", "reason": notes, "severity": "warning"})
        report.issues = (pd.concat([noted, report.issues], ignore_index=True)
                         if len(report.issues) else noted)
    return report


def _counts(events: pd.DataFrame) -> pd.DataFrame:
    """UCDP's low and high estimates as whole numbers (blank = unknown), like `fatalities`."""
    out = events.copy()
    for col in ("fatalities_low", "fatalities_high"):
        if col in out:
            out[col] = pd.to_numeric(out[col].astype(str).str.strip(), errors="coerce"
                                     ).round().astype("Int64")
    return out


def _first_tag(rows: pd.DataFrame) -> str:
    cells = rows.iloc[0].fillna("").astype(str)
    return next((c for c in cells if c.strip()), "")


def ingest_frame(mapped: pd.DataFrame, label: str, kind: str = "csv",
                 store: str | Path | None = None, admin1: gpd.GeoDataFrame | None = None,
                 progress: Callable[[float, str], None] | None = None,
                 rows_read: int | None = None, original: pd.DataFrame | None = None
                 ) -> IngestReport:
    """Geocode, validate, join and merge rows already in the event schema (as text).

    `original` is the file as read, row for row: rejected rows are written as they were there
    (their own columns, plus `row` and `problems`), so they can be fixed and imported again."""
    target = writable_store(store)
    step = progress or (lambda share, what: None)
    report = IngestReport(label, kind, rows_read=len(mapped) if rows_read is None else rows_read)
    step(0.35, _("geocoding place names"))
    mapped, report.geocoded = geocode_missing(mapped)
    step(0.6, _("validating"))
    checked = validate(mapped, EVENTS, label, keep_extra=tuple(fmt.EXTRA_COLUMNS.get(kind, ())),
                       row_numbers=True, rows_from_index=True)
    report.issues = checked.issues
    report.rejected = len(checked.rejected)
    step(0.75, _("joining to governorates"))
    admin1 = load_admin1() if admin1 is None else admin1
    events = attribution.join(_counts(checked.data), admin1, admin2=load_configured_admin2())
    report.outside_iraq = int((events["region"] == OUTSIDE_IRAQ).sum())
    report.not_attributable = int((events["attribution"] == "not attributable").sum())
    report.on_border = int((events["attribution"] == "on the border").sum())
    swapped = events["coord_issue"].fillna("").str.contains("swapped")
    report.swapped = int(swapped.sum())
    if swapped.any():
        report.issues = pd.concat([report.issues, pd.DataFrame({
            "file": label, "row": events.loc[swapped, "source_row"], "column": "latitude",
            "value": events.loc[swapped, "latitude"].astype(str),
            "reason": events.loc[swapped, "coord_issue"] + "; " + _("kept as given"),
            "severity": "warning"})], ignore_index=True)
    differ = attribution.disagreements(events)
    report.admin1_disagreements = int(differ.sum())
    if differ.any():
        report.issues = pd.concat([report.issues, admin1_warnings(events, differ, label)],
                                  ignore_index=True)
    step(0.9, _("saving to the store"))
    events = events.drop(columns=["source_row"], errors="ignore")
    events[ORIGIN] = origin_label(kind, label)
    with locked(target):
        stored = read_events(target)
        # The rejected rows first: a crash between the two writes leaves them listed for a
        # retry rather than good rows stored with their rejects unreported.
        if len(checked.rejected):
            rejected = _rejected_rows(checked, original)
            report.rejected_file = target / "rejected" / f"{Path(label).stem}.rejected.csv"
            write_atomic(report.rejected_file, lambda tmp: rejected.to_csv(tmp, index=False))
        if len(events):
            merged, report.imported, report.updated, report.unchanged = merge(stored, events)
            write_events(target, merged)
    step(1.0, _("done"))
    return report


def origin_label(kind: str, label: str) -> str:
    """The dataset rows of this import belong to: the source for ACLED and UCDP exports and
    pulls, the file's name (without extension) for any other file."""
    return ORIGINS.get(kind) or Path(label).stem or UNKNOWN_ORIGIN


def _rejected_rows(checked, original: pd.DataFrame | None) -> pd.DataFrame:
    """The rejected rows (as in the file when it is given), then their row and problems."""
    rows = checked.rejected["_row"].to_numpy()
    problems = checked.issues[checked.issues["severity"] == "error"].groupby("row")["reason"].agg(
        "; ".join).reindex(rows).to_numpy()
    if original is None:
        table = checked.rejected.drop(columns="_row")
    else:
        table = original.reset_index(drop=True).iloc[rows - 2].reset_index(drop=True)
    names = [n if n not in table.columns else f"rejected_{n}" for n in ("row", "problems")]
    return table.assign(**{names[0]: rows, names[1]: problems})


def admin1_warnings(events: pd.DataFrame, differ: pd.Series, label: str) -> pd.DataFrame:
    """One warning per event whose source names another governorate than its point's."""
    theirs = events.loc[differ, "source_admin1"].astype(str)
    # Translators: {governorate} is the governorate the event's point lies in
    before, _sep, after = _("the file's admin-1 differs from the spatial join ({governorate}); "
                            "the join is kept").partition("{governorate}")
    return pd.DataFrame({
        "file": label, "row": events.loc[differ, "source_row"].astype("int64"), "column": "admin1",
        "value": theirs, "severity": "warning",
        "reason": before + events.loc[differ, "admin1_name"].astype(str) + after},
        columns=ISSUE_COLUMNS)
