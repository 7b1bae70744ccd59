"""Check a raw table against its declared schema, keeping good rows and reporting bad ones.

Each problem is reported with the file, the row (the header is row 1) and the column, so a user
can find and fix it; a bad row never takes good rows down with it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa

from geo.schemas import EVENT_TYPES, Schema
from geo.textops import per_value

ISSUE_COLUMNS = ["file", "row", "column", "value", "reason", "severity"]


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
    source = source or str(path)
    try:
        # Arrow's parser reads a million-row export several times faster (multi-threaded); any
        # file it refuses goes through pandas' own parser, whose messages name the line.
        return pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[],
                           encoding="utf-8-sig", engine="pyarrow")
    except (pa.ArrowInvalid, ValueError, UnicodeDecodeError, pd.errors.ParserError):
        pass
    except FileNotFoundError as exc:
        raise SchemaError(f"{source}: file not found") from exc
    try:
        return pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[],
                           encoding="utf-8-sig")
    except FileNotFoundError as exc:
        raise SchemaError(f"{source}: file not found") from exc
    except UnicodeDecodeError as exc:
        raise SchemaError(f"{source}: not UTF-8 text ({exc.reason} at byte {exc.start})") from exc
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise SchemaError(f"{source}: not a readable CSV ({str(exc).strip()})") from exc


def _issue(source: str, rows: pd.Series, column: str, values: pd.Series, reason: str,
           severity: str = "error") -> pd.DataFrame:
    return pd.DataFrame({
        "file": source, "row": rows.to_numpy(), "column": column,
        "value": values.astype(str).str.slice(0, 80).to_numpy(), "reason": reason,
        "severity": severity,
    })


def validate(raw: pd.DataFrame, schema: Schema, source: str = "<data>",
             keep_extra: tuple[str, ...] = ()) -> Validated:
    """Type and check `raw` (all text) against `schema`; rows with errors go to `rejected`.
    Columns named in `keep_extra` ride along untouched (e.g. a source's own admin-1)."""
    missing = [c for c in schema.required_columns if c not in raw.columns]
    if missing:
        raise SchemaError(f"{source}: missing required column(s): {', '.join(missing)}")
    raw = raw.reset_index(drop=True)
    rows = pd.Series(np.arange(len(raw)) + 2, index=raw.index)
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
            flag(blank, f.name, "required value is missing")
        if f.kind in ("int", "float"):
            num = per_value(t, lambda v: pd.to_numeric(v.str.replace(r"^\+", "", regex=True),
                                                       errors="coerce"))
            bad = ~blank & (num.isna() | ~np.isfinite(num.fillna(0)))
            if f.kind == "int":
                bad |= ~blank & ~bad & (num.fillna(0) % 1 != 0)
                flag(bad, f.name, "not a whole number")
            else:
                flag(bad, f.name, "not a finite number")
            num = num.where(~bad)
            if f.min is not None:
                flag(num < f.min, f.name, f"below the minimum {f.min:g}")
            if f.max is not None:
                flag(num > f.max, f.name, f"above the maximum {f.max:g}")
            out[f.name] = num.astype("Int64") if f.kind == "int" else num.astype("float64")
        elif f.kind == "date":
            when = per_value(t, lambda v: pd.to_datetime(v, format="%Y-%m-%d", errors="coerce"))
            flag(~blank & when.isna(), f.name, "not a date in YYYY-MM-DD form")
            out[f.name] = when
        else:
            if f.allowed is not None:
                shown = ", ".join(f.allowed) if len(f.allowed) <= 8 else "the documented list"
                flag(~blank & ~t.isin(f.allowed), f.name, f"not one of: {shown}")
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
                     if not keep_extra else out.loc[keep].reset_index(drop=True),
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
                                "sub-event type does not belong to the event type"))
    for col, dep in schema.paired_blank:
        bad = (text[col] == "") != (text[dep] == "")
        if bad.any():
            found.append(_issue(source, rows[bad], col, text.loc[bad, col],
                                f"must be filled exactly when {dep} is filled"))
    if "source_url" in text.columns:
        url = text["source_url"]
        bad = (url != "") & ~per_value(url, lambda v: v.str.match(r"^https?://[^\s<>\"']+$"))
        if bad.any():
            found.append(_issue(source, rows[bad], "source_url", url[bad],
                                "only http:// or https:// addresses are accepted"))
    if schema.key:
        dup = (text[schema.key] != "") & text[schema.key].duplicated(keep="first")
        if dup.any():
            found.append(_issue(source, rows[dup], schema.key, text.loc[dup, schema.key],
                                "duplicate identifier (first occurrence kept)"))
    return found
