"""Check a raw table against its declared schema, keeping good rows and reporting bad ones.

Each problem is reported with the file, the row (the header is row 1) and the column, so a user
can find and fix it; a bad row never takes good rows down with it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa

from geo.data.i18n import N_, _, ngettext
from geo.data.schemas import EVENT_TYPES, Schema
from geo.data.textops import per_value

# The only source addresses accepted (and the only ones the app turns into links).
HTTP_URL = r"^https?://[^\s<>\"']+$"
ISSUE_COLUMNS = ["file", "row", "column", "value", "reason", "severity"]
MAX_TEXT_CHARS = 10_000  # per cell: a note is a paragraph, not a book (and a map tooltip)
MAX_WHOLE = 2**53  # counts above this are not exact in a float64, nor plausible
EARLIEST_DATE = pd.Timestamp("1900-01-01")
NOT_AFTER_TODAY = ("event_date", "source_date")  # planned deployments may be dated ahead
_THOUSANDS = r"[+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?"
_COMMA_NUMBER = r"[+-]?\d+(?:,\d+)+(?:\.\d+)?"
_CONTROL = r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]"


class SchemaError(ValueError):
    """The file as a whole cannot be used (unreadable, required columns missing)."""


@dataclass
class Validated:
    data: pd.DataFrame
    issues: pd.DataFrame
    rejected: pd.DataFrame

    @property
    def errors(self) -> pd.DataFrame:
        return self.issues[self.issues["severity"] == "error"]


def read_csv_text(path, source: str | None = None) -> pd.DataFrame:
    """Read a CSV as text only, so that validation, not the parser, decides what a value means."""
    return read_csv_noted(path, source)[0]


SNIFF_BYTES = 1 << 20
# File signatures: a file that starts like this is not a CSV, whatever its name says.
_MAGIC = ((b"\x89PNG\r\n\x1a\n", "a PNG image"), (b"\x7fELF", "an ELF executable"),
          (b"PK\x03\x04", "a zip archive (an Excel workbook must be named .xlsx)"),
          (b"%PDF-", "a PDF document"), (b"GIF87a", "a GIF image"), (b"GIF89a", "a GIF image"),
          (b"\xff\xd8\xff", "a JPEG image"), (b"\x1f\x8b", "a gzip archive"),
          (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Office file (.xls); save it as .xlsx or CSV"),
          (b"SQLite format 3\x00", "an SQLite database"), (b"PAR1", "a Parquet file"))
_BINARY_BYTES = bytes(set(range(32)) - {9, 10, 12, 13})  # C0 controls but tab, LF, FF, CR
_SEPARATORS = {";": N_("';'-separated"), "\t": N_("tab-separated"), "|": N_("'|'-separated")}


def read_csv_noted(path, source: str | None = None) -> tuple[pd.DataFrame, list[str]]:
    """`read_csv_text` plus notes on how the file was read (encoding, delimiter) for the report.

    Refuses, with one line naming the file (and the line where it applies): binary files, empty
    files, unterminated quotes, rows with more fields than the header and repeated column names.
    A file that is not UTF-8 is decoded as Windows-1256 (Arabic) or Windows-1252/Latin-1, and a
    ';', tab or '|' separated file is read as such; each says so in a note."""
    source = source or str(path)
    head = _head(path, source)
    if not head.lstrip(b"\xef\xbb\xbf \t\r\n"):
        raise SchemaError(_("{file}: empty file (no header, no rows)").format(file=source))
    notes: list[str] = []
    encoding, errors = "utf-8-sig", "strict"
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):  # Excel's "Unicode text"
        encoding = "utf-16"
        notes.append(_("read as UTF-16 (Excel's 'Unicode text'); save as CSV UTF-8 to be sure"))
    sep = _separator(head, encoding)
    if sep != ",":
        notes.append(_("read as {separated} (the header has no commas)").format(
            separated=_(_SEPARATORS[sep])))
    try:
        df = _parse(path, source, encoding, sep, errors)
    except UnicodeDecodeError:
        if encoding == "utf-16":
            raise SchemaError(_("{file}: starts like UTF-16 text but is not").format(
                file=source)) from None
        encoding, errors, note = _guess_encoding(path)
        df = _parse(path, source, encoding, sep, errors)
        if errors != "replace":
            note = _(note)
        else:
            bad = sum(int(df[c].str.count("\ufffd").sum()) for c in df.columns)
            bad += sum(str(c).count("\ufffd") for c in df.columns)
            note = ngettext("UTF-8 with {n} byte not UTF-8, replaced by \ufffd (check that cell)",
                            "UTF-8 with {n} bytes not UTF-8, replaced by \ufffd (check those "
                            "cells)", bad).format(n=bad)
        notes.insert(0, note)
    _refuse_repeated_columns(path, source, encoding, sep, errors)
    return df, notes


def _head(path, source: str) -> bytes:
    """The first MB, refused if it is a known binary format or mostly control bytes."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(SNIFF_BYTES)
    except FileNotFoundError as exc:
        raise SchemaError(_("{file}: file not found").format(file=source)) from exc
    except IsADirectoryError as exc:
        raise SchemaError(_("{file}: not a regular file").format(file=source)) from exc
    except OSError as exc:
        raise SchemaError(f"{source}: cannot read ({exc.strerror or exc})") from exc
    for magic, what in _MAGIC:
        if head.startswith(magic):
            raise SchemaError(_("{file}: this is {what}, not CSV text").format(file=source,
                                                                                 what=what))
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return head  # UTF-16: every other byte of ASCII text is NUL
    sample = head[:65_536]
    if sample and (sample.count(0) > len(sample) // 100
                   or len(sample) - len(sample.translate(None, _BINARY_BYTES)) > len(sample) // 20):
        raise SchemaError(_("{file}: binary data (control bytes), not CSV text").format(
            file=source))
    return head


def _guess_encoding(path) -> tuple[str, str, str]:
    """(encoding, errors, note) for a file that is not UTF-8, from its non-ASCII byte runs."""
    runs: list[bytes] = []
    with open(path, "rb") as fh:
        while sum(map(len, runs)) < 65_536 and (chunk := fh.read(SNIFF_BYTES)):
            runs += re.findall(rb"[\x80-\xff]+", chunk)
    utf8 = 0
    for run in runs:
        try:
            run.decode("utf-8")
            utf8 += 1
        except UnicodeDecodeError:
            pass
    if runs and utf8 * 2 > len(runs):
        return "utf-8-sig", "replace", ""  # the note counts the bytes, once they are read
    text = b"".join(runs).decode("cp1256", errors="replace")
    arabic = sum(len(re.findall("[\u0621-\u064a]", r.decode("cp1256", errors="replace")))
                 for r in runs if len(r) > 1)
    if arabic * 2 > len(text):
        return "cp1256", "strict", N_("not UTF-8: read as Windows-1256 (Arabic); save as UTF-8 to "
                                      "be sure")
    try:
        b"".join(runs).decode("cp1252")
    except UnicodeDecodeError:
        return "latin-1", "strict", N_("not UTF-8: read as Latin-1 (ISO-8859-1); save as UTF-8 to "
                                       "be sure")
    return "cp1252", "strict", N_("not UTF-8: read as Windows-1252 (Latin-1); save as UTF-8 to be "
                                  "sure")


def _quotes_balanced(path) -> bool:
    """An odd number of double quotes means a quote may be left open (or stray in a field)."""
    count = 0
    with open(path, "rb") as fh:
        while chunk := fh.read(16 * SNIFF_BYTES):
            count += chunk.count(b'"')
    return count % 2 == 0


def _parse(path, source: str, encoding: str, sep: str, errors: str) -> pd.DataFrame:
    options = dict(dtype=str, keep_default_na=False, na_values=[], encoding=encoding, sep=sep)
    if encoding == "utf-8-sig" and errors == "strict" and _quotes_balanced(path):
        # Arrow's parser reads a million-row export several times faster (multi-threaded); any
        # file it refuses goes through pandas' own parser, whose messages name the line. Arrow
        # lets a quote left open run to the end of the file, so an odd count goes to pandas.
        try:
            return pd.read_csv(path, engine="pyarrow", **options)
        except (pa.ArrowInvalid, ValueError, UnicodeDecodeError, pd.errors.ParserError):
            pass
    try:
        return pd.read_csv(path, encoding_errors=errors, **options)
    except UnicodeDecodeError:
        raise
    except (pd.errors.ParserError, pd.errors.EmptyDataError, ValueError) as exc:
        raise SchemaError(_("{file}: not a readable CSV ({why})").format(
            file=source, why=_parser_message(str(exc)))) from exc


def _parser_message(text: str) -> str:
    text = text.strip().replace("Error tokenizing data. C error: ", "")
    found = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", text)
    if found:
        want, line, got = found.groups()
        return f"line {line} has {got} fields but the header has {want}"
    found = re.search(r"EOF inside string starting at row (\d+)", text)
    if found:
        return (f"a quote opened on line {int(found.group(1)) + 1} is never closed "
                "(unterminated quote)")
    return text


def _separator(head: bytes, encoding: str) -> str:
    """',' unless the header line has none and has ';', tab or '|' (the most of them)."""
    text = head.decode("utf-16", errors="ignore") if encoding == "utf-16" else head.decode(
        "latin-1")
    header = re.split(r"[\r\n]", text.lstrip("\ufeff\r\n"), maxsplit=1)[0]
    if "," in header:
        return ","
    counts = {sep: header.count(sep) for sep in _SEPARATORS}
    best = max(counts, key=counts.get)
    return best if counts[best] else ","


def _refuse_repeated_columns(path, source: str, encoding: str, sep: str, errors: str) -> None:
    """pandas renames a repeated column to 'name.1'; which one holds the data is a guess."""
    names = pd.read_csv(path, header=None, nrows=1, dtype=str, keep_default_na=False, sep=sep,
                        encoding=encoding, encoding_errors=errors).iloc[0]
    names = names.str.lower().str.replace(r"[^0-9a-z]+", "_", regex=True).str.strip("_")
    repeated = sorted(set(names[names.duplicated() & (names != "")]))
    if repeated:
        raise SchemaError(_("{file}: column(s) {columns} appear more than once in the header; "
                            "keep one of each").format(file=source, columns=", ".join(repeated)))


def _issue(source: str, rows: pd.Series, column: str, values: pd.Series, reason: str,
           severity: str = "error") -> pd.DataFrame:
    return pd.DataFrame({
        "file": source, "row": rows.to_numpy(), "column": column,
        "value": values.astype(str).str.slice(0, 80).to_numpy(), "reason": reason,
        "severity": severity,
    })


def validate(raw: pd.DataFrame, schema: Schema, source: str = "<data>",
             keep_extra: tuple[str, ...] = (), row_numbers: bool = False,
             rows_from_index: bool = False) -> Validated:
    """Type and check `raw` (all text) against `schema`; rows with errors go to `rejected`.
    Columns named in `keep_extra` ride along untouched (e.g. a source's own admin-1); with
    them, or with `row_numbers`, the good rows keep their file row in `source_row`. Rows are
    numbered from 2 in order, or with `rows_from_index` as index + 2 (the caller dropped rows
    that are not data, and the others keep their line in the file)."""
    missing = [c for c in schema.required_columns if c not in raw.columns]
    if missing:
        raise SchemaError(_("{file}: missing required column(s): {columns}").format(
            file=source, columns=", ".join(missing)))
    file_rows = (np.asarray(raw.index, dtype="int64") + 2 if rows_from_index
                 else np.arange(len(raw)) + 2)
    raw = raw.reset_index(drop=True)
    rows = pd.Series(file_rows, index=raw.index)
    text = pd.DataFrame(index=raw.index)
    for f in schema.fields:
        col = raw[f.name] if f.name in raw.columns else pd.Series("", index=raw.index)
        text[f.name] = col.fillna("").astype(str).str.strip()

    out = pd.DataFrame(index=raw.index)
    problems: list[pd.DataFrame] = []

    def flag(mask: pd.Series, column: str, reason: str, severity: str = "error") -> None:
        if mask.any():
            problems.append(_issue(source, rows[mask], column, text.loc[mask, column], reason,
                                   severity))

    for f in schema.fields:
        t = text[f.name]
        blank = t == ""
        if f.required:
            flag(blank, f.name, _("required value is missing"))
        if f.kind in ("int", "float"):
            num = per_value(t, lambda v: pd.to_numeric(v.str.replace(r"^\+", "", regex=True),
                                                       errors="coerce"))
            if f.kind == "int":
                grouped = ~blank & per_value(t, lambda v: v.str.fullmatch(_THOUSANDS))
                flag(grouped, f.name, _("has a thousands separator; write 1234, not 1,234"))
            else:
                grouped = ~blank & per_value(t, lambda v: v.str.fullmatch(_COMMA_NUMBER))
                flag(grouped, f.name, _("has a comma; write decimals with a point (33.34) and no "
                                        "thousands separators"))
            bad = ~blank & ~grouped & (num.isna() | ~np.isfinite(num.fillna(0)))
            if f.kind == "int":
                bad |= ~blank & ~grouped & ~bad & (num.fillna(0) % 1 != 0)
                flag(bad, f.name, _("not a whole number"))
                huge = ~blank & ~grouped & ~bad & (num.abs() > MAX_WHOLE)
                flag(huge, f.name, _("too large (more than {limit})").format(limit=f"{MAX_WHOLE:,}"))
                bad |= huge
            else:
                flag(bad, f.name, _("not a finite number"))
            num = num.where(~(bad | grouped))
            if f.min is not None:
                flag(num < f.min, f.name, _("below the minimum {min}").format(min=f"{f.min:g}"))
            if f.max is not None:
                flag(num > f.max, f.name, _("above the maximum {max}").format(max=f"{f.max:g}"))
            out[f.name] = num.astype("Int64") if f.kind == "int" else num.astype("float64")
        elif f.kind == "date":
            when = per_value(t, lambda v: pd.to_datetime(v, format="%Y-%m-%d", errors="coerce"))
            flag(~blank & when.isna(), f.name, _("not a date in YYYY-MM-DD form"))
            early = when < EARLIEST_DATE
            flag(early, f.name, _("before {date} (a typo in the year?)").format(
                date=f"{EARLIEST_DATE:%Y-%m-%d}"))
            late = pd.Series(False, index=t.index)
            if f.name in NOT_AFTER_TODAY:
                latest = pd.Timestamp.now(tz="UTC").tz_localize(None).normalize() + pd.Timedelta(
                    days=1)  # a day's grace: the event's local date may be ahead of UTC
                late = when > latest
                flag(late, f.name, _("in the future (after {date})").format(date=f"{latest:%Y-%m-%d}"))
            out[f.name] = when.where(~(early | late))
        else:
            flag(t.str.len() > MAX_TEXT_CHARS, f.name, _("longer than {limit} characters").format(
                limit=f"{MAX_TEXT_CHARS:,}"))
            flag(t.str.contains(_CONTROL, regex=True), f.name,
                 _("contains a control character (NUL, BEL, ESC…); remove it"))
            if f.allowed is not None:
                shown = ", ".join(f.allowed) if len(f.allowed) <= 8 else _("the documented list")
                flag(~blank & ~t.isin(f.allowed), f.name, _("not one of: {values}").format(
                    values=shown))
            out[f.name] = t.where(~blank).astype("string")

    for col in keep_extra:
        if col in raw.columns and col not in out.columns:
            out[col] = raw[col]
    out["source_row"] = rows.astype("Int64")
    problems += _cross_checks(text, out, schema, source, rows)
    issues = (pd.concat(problems, ignore_index=True) if problems
              else pd.DataFrame(columns=ISSUE_COLUMNS))
    bad_rows = issues.loc[issues["severity"] == "error", "row"].unique()
    keep = ~rows.isin(bad_rows)
    rejected = raw.loc[~keep].assign(_row=rows[~keep])
    return Validated(out.loc[keep].drop(columns="source_row").reset_index(drop=True)
                     if not (keep_extra or row_numbers) else out.loc[keep].reset_index(drop=True),
                     issues.sort_values(["row", "column"], kind="stable").reset_index(drop=True),
                     rejected.reset_index(drop=True))


def _cross_checks(text: pd.DataFrame, out: pd.DataFrame, schema: Schema, source: str,
                  rows: pd.Series) -> list[pd.DataFrame]:
    found: list[pd.DataFrame] = []
    if {"event_type", "sub_event_type"} <= set(text.columns):
        parent = {sub: typ for typ, subs in EVENT_TYPES.items() for sub in subs}
        expected = text["sub_event_type"].map(parent)
        mismatch = expected.notna() & (expected != text["event_type"])
        if mismatch.any():
            found.append(_issue(source, rows[mismatch], "sub_event_type",
                                text.loc[mismatch, "sub_event_type"],
                                _("sub-event type does not belong to the event type")))
    for col, dep in schema.paired_blank:
        bad = (text[col] == "") != (text[dep] == "")
        if bad.any():
            found.append(_issue(source, rows[bad], col, text.loc[bad, col],
                                _("must be filled exactly when {column} is filled").format(
                                    column=dep)))
    if "source_url" in text.columns:
        url = text["source_url"]
        bad = (url != "") & ~per_value(url, lambda v: v.str.match(HTTP_URL))
        if bad.any():
            found.append(_issue(source, rows[bad], "source_url", url[bad],
                                _("only http:// or https:// addresses are accepted")))
    if schema.key:
        dup = (text[schema.key] != "") & text[schema.key].duplicated(keep="first")
        if dup.any():
            found.append(_issue(source, rows[dup], schema.key, text.loc[dup, schema.key],
                                _("duplicate identifier (first occurrence kept)")))
    return found
