"""Turn third-party conflict-data exports (ACLED, UCDP GED, any CSV/Excel) into EVENTS rows.

Every mapper returns text only: the EVENTS columns in schema order, then a few extra columns
that are not in the schema (listed in `EXTRA_COLUMNS`). Nothing is typed, fixed or dropped
here: `geo.data.validate.validate` decides, so a bad value is reported with its file, row and
column. Rows keep their order and get a fresh 0..n-1 index, so validation's row numbers are
the lines of the original file (header = row 1).

UCDP GED -> ACLED taxonomy. A documented approximation, not an equivalence: UCDP classifies
by who fights whom, ACLED by what happened, and UCDP records only lethal events.
- type_of_violence 1 (state-based conflict) and 2 (non-state conflict) -> Battles / Armed clash
- type_of_violence 3 (one-sided violence against civilians)         -> Violence against
  civilians / Attack
- date_prec 1 exact day -> 1; 2 within 2-6 days -> 2; 3 within a week -> 2;
  4 within a month -> 3; 5 within a year -> 3 plus a note (ACLED has no coarser level)
- where_prec 1 exact -> 1; 2 near a place -> 2; 3 ADM2, 4 ADM1, 5 between places or a larger
  area -> 3; 6 whole country, 7 water or airspace -> 3 plus a note
Codes are those of the UCDP GED codebook; unknown codes are passed through unchanged so that
validation reports them.
"""

from __future__ import annotations

import hashlib
import re

import numpy as np
import pandas as pd

from geo.data.schemas import EVENTS
from geo.data.textops import per_value
from geo.data.validate import SchemaError

ACLED_EXPORT_URL = "https://acleddata.com/data-export-tool/"
UCDP_DOWNLOADS_URL = "https://ucdp.uu.se/downloads/"
NOTES_MAX = 500

ACLED_COLUMNS = (
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type",
    "sub_event_type", "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2",
    "interaction", "civilian_targeting", "iso", "region", "country", "admin1", "admin2", "admin3",
    "location", "latitude", "longitude", "geo_precision", "source", "source_scale", "notes",
    "fatalities", "tags", "timestamp",
)
ACLED_POPULATION_COLUMNS = ("population_1km", "population_2km", "population_5km",
                            "population_best")
UCDP_COLUMNS = (
    "id", "relid", "year", "active_year", "code_status", "type_of_violence", "conflict_dset_id",
    "conflict_new_id", "conflict_name", "dyad_dset_id", "dyad_new_id", "dyad_name",
    "side_a_dset_id", "side_a_new_id", "side_a", "side_b_dset_id", "side_b_new_id", "side_b",
    "number_of_sources", "source_article", "source_office", "source_date", "source_headline",
    "source_original", "where_prec", "where_coordinates", "where_description", "adm_1", "adm_2",
    "latitude", "longitude", "geom_wkt", "priogrid_gid", "country", "country_id", "region",
    "event_clarity", "date_prec", "date_start", "date_end", "deaths_a", "deaths_b",
    "deaths_civilians", "deaths_unknown", "best", "high", "low", "gwnoa", "gwnob",
)
# Columns a file must have for the mapper to run; the rest may be absent (older releases).
ACLED_REQUIRED = ("event_id_cnty", "event_date", "time_precision", "event_type", "sub_event_type",
                  "actor1", "actor2", "location", "latitude", "longitude", "geo_precision",
                  "source", "notes", "fatalities")
UCDP_REQUIRED = ("id", "type_of_violence", "side_a", "side_b", "where_prec", "latitude",
                 "longitude", "date_prec", "date_start", "best")

# `place_scope` tells `geo.sources.attribution` how far the coordinates can be trusted for a
# governorate: "country" (only the country is known), "admin1" (the source's admin-1 is the
# place), blank (a point). It is used at import and not stored.
PLACE_SCOPE = "place_scope"
EXTRA_COLUMNS = {
    "acled": ("source_admin1", "inter1", "inter2", PLACE_SCOPE),
    "ucdp": ("source_admin1", "fatalities_low", "fatalities_high", "import_note", PLACE_SCOPE),
    "csv": ("source_admin1", PLACE_SCOPE),
}
# A stored or exported event's `attribution` says which scope it was attributed at: a store or
# a dataset read again is attributed the same way.
SCOPE_OF_ATTRIBUTION = {"not attributable": "country", "source admin-1": "admin1"}
# Fields a generic file can map besides the EVENTS columns.
GENERIC_EXTRA = ("source_admin1",)
# Fields that classify an event: a suggestion fills them only from a header that is the
# field's name or a listed synonym ("type"), never from a longer look-alike ("attack_type",
# "target_type" in GTD files); anything else takes --map or the Data page's choice.
CLASSIFICATIONS = ("event_type", "sub_event_type")

# ACLED's numeric actor-type codes (files before 2024) -> the text ACLED uses since then.
ACLED_ACTOR_TYPES = {"0": "", "1": "State forces", "2": "Rebel group", "3": "Political militia",
                     "4": "Identity militia", "5": "Rioters", "6": "Protesters",
                     "7": "Civilians", "8": "External/Other forces"}

UCDP_EVENT_TYPE = {"1": "Battles", "2": "Battles", "3": "Violence against civilians"}
UCDP_SUB_EVENT_TYPE = {"1": "Armed clash", "2": "Armed clash", "3": "Attack"}
UCDP_TIME_PRECISION = {"1": "1", "2": "2", "3": "2", "4": "3", "5": "3"}
UCDP_GEO_PRECISION = {"1": "1", "2": "2", "3": "3", "4": "3", "5": "3", "6": "3", "7": "3"}
UCDP_DATE_NOTES = {"5": "UCDP date_prec 5: only the year is known; event_date is the earliest "
                        "possible date"}
# where_prec 6-7: only the country (or water/airspace) is known; 3-5: an ADM2, ADM1 or a
# larger area, which UCDP names in adm_1 (geo.sources.attribution).
UCDP_PLACE_SCOPE = {"6": "country", "7": "country", "3": "admin1", "4": "admin1", "5": "admin1"}
# UCDP writes "no date" as 1753-01-01 (the earliest SQL Server datetime).
UCDP_NULL_DATES = ("1753-01-01",)
UCDP_WHERE_NOTES = {"6": "UCDP where_prec 6: only the country is known; coordinates are its "
                         "centroid",
                    "7": "UCDP where_prec 7: over water or in international airspace; "
                         "coordinates are estimated"}
_NOTE_ROOM = (max(map(len, UCDP_DATE_NOTES.values())) + max(map(len, UCDP_WHERE_NOTES.values()))
              + 5)

# Unambiguous written dates only: 03/04/2024 could be March or April, so it is left for
# validation to report rather than guessed.
_DATE_FORMATS = ("%Y-%m-%d", "%d %B %Y", "%d-%B-%Y", "%d %b %Y", "%d-%b-%Y", "%B %d, %Y")
# Spreadsheets re-save ACLED's dates as 9-May-20: the century comes from the row's year column.
_SHORT_YEAR_FORMATS = ("%d-%b-%y", "%d %b %y", "%d/%b/%y", "%d-%B-%y", "%d %B %y")
_ISO_WITH_TIME = r"^(\d{4}-\d{2}-\d{2})[ T]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?$"

# Schema field -> normalised header names that mean it, best first (`suggest_mapping`).
SYNONYMS: dict[str, tuple[str, ...]] = {
    "event_id": ("event_id", "id", "event_id_cnty", "eventid", "uid", "identifier", "reference",
                 "ref"),
    "event_date": ("event_date", "date", "day", "date_start", "incident_date", "when"),
    "latitude": ("latitude", "lat", "y", "lat_dd"),
    "longitude": ("longitude", "lon", "lng", "long", "x", "lon_dd"),
    "location": ("location", "place", "town", "city", "village", "site", "place_name",
                 "locality", "where", "where_coordinates"),
    "actor1": ("actor1", "actor_1", "actor", "perpetrator", "attacker", "side_a"),
    "actor2": ("actor2", "actor_2", "side_b"),
    "event_type": ("event_type", "type", "category"),
    "sub_event_type": ("sub_event_type", "subtype", "sub_type"),
    "fatalities": ("fatalities", "deaths", "killed", "dead", "death_toll", "casualties", "best"),
    "notes": ("notes", "description", "summary", "details", "comments", "comment", "text"),
    "source_url": ("source_url", "url", "link", "source_link", "href", "web"),
    "source_publisher": ("source_publisher", "publisher", "source", "outlet", "media"),
    "source_admin1": ("source_admin1", "admin1", "adm_1", "governorate", "province", "state"),
}


def _norm_name(name: str) -> str:
    return re.sub(r"[^0-9a-z]+", "_", str(name).strip().lower()).strip("_")


def detect_format(columns: list[str]) -> str:
    """"acled", "ucdp" or "csv" (anything else, mapped by hand), from the header alone."""
    names = {_norm_name(c) for c in columns}
    if {"event_id_cnty", "event_date", "event_type"} <= names:
        return "acled"
    if {"type_of_violence", "date_start", "side_a"} <= names:
        return "ucdp"
    return "csv"


def normalise_dates(values: pd.Series, years: pd.Series | None = None) -> pd.Series:
    """Unambiguous written dates -> YYYY-MM-DD; anything else unchanged, for validation to report.

    With `years` (the row's own year column, as ACLED and GTD carry), dates with a two-digit
    year as spreadsheets write them ("9-May-20") take their century from it, when the two
    agree on the last two digits; without it they stay unread rather than guessed."""
    text = values.fillna("").astype(str)
    out = per_value(text, _normalise_dates)
    if years is None:
        return out
    todo = out.str.fullmatch(r"\d{1,2}[-/ ][A-Za-z]{3,9}[-/ ]\d{2}")
    if not todo.any():
        return out
    short = out[todo].str.strip()
    parsed = pd.Series(pd.NaT, index=short.index, dtype="datetime64[us]")
    for fmt in _SHORT_YEAR_FORMATS:
        parsed = parsed.fillna(pd.to_datetime(short, format=fmt, errors="coerce"))
    year = pd.to_numeric(years.reindex(short.index).astype(str).str.strip()
                         .str.replace(r"\.0+$", "", regex=True), errors="coerce")
    agree = parsed.notna() & year.between(1000, 9999) & (year % 100 == parsed.dt.year % 100)
    full = (year[agree].astype("int64").astype(str).str.zfill(4) + "-"
            + parsed[agree].dt.strftime("%m-%d"))
    checked = pd.to_datetime(full, format="%Y-%m-%d", errors="coerce")  # 29 Feb of a common year
    out.loc[checked.index[checked.notna()]] = full[checked.notna()]
    return out


def hxl_rows(raw: pd.DataFrame) -> pd.Series:
    """Rows of HXL hashtags (HDX's second header line, e.g. "#date+year"): every filled cell
    is a hashtag and at least one is filled. They describe the columns; they are not data."""
    if raw.empty:
        return pd.Series(False, index=raw.index)
    cells = {c: raw[c].fillna("").astype(str).str.strip() for c in raw.columns}
    filled = pd.DataFrame({c: v != "" for c, v in cells.items()}, index=raw.index)
    tag = pd.DataFrame({c: v.str.fullmatch(r"#[A-Za-z][\w+-]*") for c, v in cells.items()},
                       index=raw.index)
    return filled.any(axis=1) & (tag | ~filled).all(axis=1)


def _normalise_dates(values: pd.Series) -> pd.Series:
    t = values.str.strip()
    t = t.str.replace(_ISO_WITH_TIME, r"\1", regex=True)
    parsed = pd.Series(pd.NaT, index=t.index, dtype="datetime64[us]")  # years 1-9999
    for fmt in _DATE_FORMATS:
        parsed = parsed.fillna(pd.to_datetime(t, format=fmt, errors="coerce"))
    return parsed.dt.strftime("%Y-%m-%d").where(parsed.notna(), t)


def _prepare(raw: pd.DataFrame, required: tuple[str, ...], kind: str,
             source_label: str) -> pd.DataFrame:
    """Text-only copy with normalised header names; a missing mapped column is a file error."""
    df = raw.reset_index(drop=True).copy()
    df.columns = [_norm_name(c) for c in df.columns]
    missing = [c for c in required if c not in df.columns]
    if missing:
        raise SchemaError(f"{source_label}: not a complete {kind} export, missing column(s): "
                          f"{', '.join(missing)}")
    return df


def _col(df: pd.DataFrame, name: str) -> pd.Series:
    """Stripped text of a column, or blanks when an older release lacks it."""
    if name not in df.columns:
        return pd.Series("", index=df.index, dtype=object)
    return df[name].fillna("").astype(str).str.strip()


def _code(values: pd.Series) -> pd.Series:
    """Numeric codes as written by spreadsheets ("1.0") back to "1"."""
    return per_value(values, lambda v: v.str.replace(r"^(-?\d+)\.0+$", r"\1", regex=True))


def _recode(values: pd.Series, table: dict[str, str]) -> pd.Series:
    """Translate known codes; unknown ones stay as they are so validation shows them."""
    return values.map(table).fillna(values)


def _trim(text: pd.Series, limit: int) -> pd.Series:
    return text.where(text.str.len() <= limit, text.str.slice(0, limit - 1) + "…")


def _frame(fields: dict[str, pd.Series | str], extras: dict[str, pd.Series],
           index: pd.Index) -> pd.DataFrame:
    """EVENTS columns in schema order (blank when not given), then the extras; all text."""
    data = {c: fields.get(c, "") for c in EVENTS.columns} | extras
    out = pd.DataFrame(data, index=index)
    return out.fillna("").astype(str)


def _unix_date(ts: pd.Series) -> pd.Series:
    """ACLED `timestamp` (Unix seconds, UTC) -> YYYY-MM-DD; other text via normalise_dates."""
    return per_value(ts, _unix_date_each)


def _unix_date_each(ts: pd.Series) -> pd.Series:
    num = pd.to_numeric(ts.where(ts.str.fullmatch(r"\d+(?:\.\d+)?"), ""), errors="coerce")
    when = pd.to_datetime(num, unit="s", utc=True, errors="coerce")
    return when.dt.strftime("%Y-%m-%d").where(when.notna(), normalise_dates(ts))


def from_acled(raw: pd.DataFrame, source_label: str) -> pd.DataFrame:
    """ACLED CSV export (old numeric or new text actor types, any date style) -> EVENTS text."""
    df = _prepare(raw, ACLED_REQUIRED, "ACLED", source_label)
    fat = _col(df, "fatalities")
    publisher = per_value(_col(df, "source"), lambda v: v.str.replace(r"\s*;\s*", "; ", regex=True))
    fields = {
        "event_id": _col(df, "event_id_cnty"),
        "event_date": normalise_dates(_col(df, "event_date"), _col(df, "year")),
        "time_precision": _code(_col(df, "time_precision")),
        "event_type": _col(df, "event_type"),
        "sub_event_type": _col(df, "sub_event_type"),
        "actor1": _col(df, "actor1"),
        "actor2": _col(df, "actor2"),
        "location": _col(df, "location"),
        "latitude": _col(df, "latitude"),
        "longitude": _col(df, "longitude"),
        "geo_precision": _code(_col(df, "geo_precision")),
        "coord_source": "acled",
        "fatalities": fat,
        # ACLED codes the reported figure as is (its convention: a number, 0 when none).
        "fatalities_qualifier": pd.Series(np.where(fat != "", "exact", ""), index=df.index),
        "source_publisher": publisher,
        "source_date": _unix_date(_col(df, "timestamp")),
        # Not the file's name: the same rows imported from a renamed file are the same rows.
        "source_title": "ACLED data export",
        "source_url": ACLED_EXPORT_URL,
        "notes": _col(df, "notes"),
    }
    admin1 = _col(df, "admin1")
    # geo_precision 3: a larger area; ACLED then names its admin-1, or only the country.
    wide = _code(_col(df, "geo_precision")) == "3"
    scope = np.where(wide & (admin1 != ""), "admin1", np.where(wide, "country", ""))
    extras = {
        "source_admin1": admin1,
        "inter1": _recode(_code(_col(df, "inter1")), ACLED_ACTOR_TYPES),
        "inter2": _recode(_code(_col(df, "inter2")), ACLED_ACTOR_TYPES),
        PLACE_SCOPE: pd.Series(scope, index=df.index),
    }
    return _frame(fields, extras, df.index)


def _join_notes(*parts: pd.Series) -> pd.Series:
    joined = parts[0]
    for p in parts[1:]:
        joined = joined.str.cat(p, sep="; ")
    return joined.str.replace(r"^(?:; )+|(?:; )+$", "", regex=True).str.replace(
        r"(?:; ){2,}", "; ", regex=True)


def from_ucdp(raw: pd.DataFrame, source_label: str) -> pd.DataFrame:
    """UCDP GED CSV (49-column or older subset) -> EVENTS text; best/low/high kept."""
    df = _prepare(raw, UCDP_REQUIRED, "UCDP GED", source_label)
    if "where_coordinates" not in df.columns and "where_description" not in df.columns:
        raise SchemaError(f"{source_label}: not a complete UCDP GED export, missing column(s): "
                          "where_coordinates or where_description")
    violence = _code(_col(df, "type_of_violence"))
    date_prec = _code(_col(df, "date_prec"))
    where_prec = _code(_col(df, "where_prec"))
    where = _col(df, "where_coordinates")
    description = _col(df, "where_description")
    best = _code(_col(df, "best"))
    office = _col(df, "source_office").str.replace(r"\s*;\s*", "; ", regex=True)
    article = _col(df, "source_article")
    note = _join_notes(date_prec.map(UCDP_DATE_NOTES).fillna(""),
                       where_prec.map(UCDP_WHERE_NOTES).fillna(""))
    # No article and no description (HDX's subset lacks it): say what UCDP's own columns say.
    generated = ("UCDP GED event " + _col(df, "id") + ": " + _col(df, "side_a") + " against "
                 + _col(df, "side_b") + ", " + where.where(where != "", "place not named")
                 + "; no source article listed")
    base = article.where(article != "", description)
    base = base.where(base != "", generated)
    with_note = (_trim(base, NOTES_MAX - _NOTE_ROOM) + " [" + note + "]").str.strip()
    event_id = _code(_col(df, "id"))
    fields = {
        "event_id": ("UCDP-" + event_id).where(event_id != "", ""),
        "event_date": normalise_dates(_col(df, "date_start")),
        "time_precision": _recode(date_prec, UCDP_TIME_PRECISION),
        "event_type": _recode(violence, UCDP_EVENT_TYPE),
        "sub_event_type": violence.map(UCDP_SUB_EVENT_TYPE).fillna(""),
        "actor1": _col(df, "side_a"),
        "actor2": _col(df, "side_b"),
        "location": where.where(where != "", description),
        "latitude": _col(df, "latitude"),
        "longitude": _col(df, "longitude"),
        "geo_precision": _recode(where_prec, UCDP_GEO_PRECISION),
        "coord_source": "ucdp",
        "fatalities": best,
        "fatalities_qualifier": pd.Series(np.where(best != "", "estimate", ""), index=df.index),
        "source_publisher": ("UCDP GED; " + office).where(office != "", "UCDP GED"),
        "source_date": _null_dates(normalise_dates(_col(df, "source_date").str.split(";").str[0])),
        "source_title": _col(df, "source_headline"),
        "source_url": UCDP_DOWNLOADS_URL,
        "notes": _trim(base, NOTES_MAX).where(note == "", with_note),
    }
    extras = {
        "source_admin1": _col(df, "adm_1"),
        "fatalities_low": _code(_col(df, "low")),
        "fatalities_high": _code(_col(df, "high")),
        "import_note": note,
        PLACE_SCOPE: where_prec.map(UCDP_PLACE_SCOPE).fillna(""),
    }
    return _frame(fields, extras, df.index)


def _null_dates(dates: pd.Series) -> pd.Series:
    """UCDP's "no date" sentinel is a missing date, not a date in 1753."""
    return dates.where(~dates.str.strip().isin(UCDP_NULL_DATES), "")


def suggest_mapping(columns: list[str]) -> dict[str, str]:
    """Schema field -> header, from names and common synonyms; a header is used at most once.

    Exact (normalised) names win over synonyms, earlier synonyms over later ones, and whole-word
    matches inside longer headers ("Date of incident", "Number killed") come last. It is a
    suggestion for the user to confirm, never applied silently.
    """
    headers = {c: _norm_name(c) for c in columns}
    used: set[str] = set()
    found: dict[str, str] = {}

    def take(field: str, test) -> None:
        for header, norm in headers.items():
            if header not in used and test(norm):
                found[field] = header
                used.add(header)
                return

    depth = max(map(len, SYNONYMS.values()))
    for rank in range(depth):
        for field, names in SYNONYMS.items():
            if field not in found and rank < len(names):
                take(field, lambda norm, want=names[rank]: norm == want)
    for field, names in SYNONYMS.items():
        if field in CLASSIFICATIONS:
            continue
        for want in (n for n in names if len(n) > 3):
            if field not in found:
                take(field, lambda norm, want=want: want in norm.split("_"))
    return {f: found[f] for f in SYNONYMS if f in found}


_QUALIFIER_WORDS = {"at least": "at least", "about": "about", "around": "about",
                    "approximately": "about", "approx.": "about", "approx": "about", "~": "about",
                    "up to": "up to"}
# "6.0": a spreadsheet's or pandas' float for a whole count.
_FATALITIES = re.compile(r"^(?P<q>at least|about|around|approximately|approx\.?|~|up to)?\s*"
                         r"(?P<n>\d+)(?:\.0+)?\s*(?P<plus>\+)?$", re.IGNORECASE)
_NOT_DEFAULTABLE = ("event_id", "coord_source")


def _stable_ids(values: pd.DataFrame) -> pd.Series:
    """GEN- + 16 hex of sha1 over every column of the row as in the file: the same file gives
    the same ids, and two rows that differ anywhere get different ones (hashing only the
    mapped columns lost real events that differed in an unmapped one).

    sha1 has no vectorised form, so the hashing itself is a per-value map; the joining is not.
    """
    key = pd.Series("", index=values.index, dtype=object)
    for name in values.columns:
        key = key + name + "=" + values[name] + "\x1f"
    return "GEN-" + key.map(lambda s: hashlib.sha1(s.encode("utf-8")).hexdigest()[:16])


def from_generic(raw: pd.DataFrame, mapping: dict[str, str], source_label: str,
                 defaults: dict[str, str] | None = None) -> pd.DataFrame:
    """Apply a confirmed field -> header mapping; defaults fill blank cells only.

    Coordinates may be missing (the caller geocodes `location` and then sets coord_source).
    Fatalities written as "at least 4", "about 3", "up to 5" or "4+" get that qualifier; a
    plain number gets "exact" unless a default qualifier is given.
    """
    defaults = dict(defaults or {})
    mapping = {f: h for f, h in mapping.items() if h}  # "field=" leaves a field unmapped
    unknown = sorted((set(mapping) | set(defaults)) - set(EVENTS.columns) - set(GENERIC_EXTRA))
    if unknown:
        raise ValueError(f"not EVENTS fields: {', '.join(unknown)}")
    fixed = [f for f in _NOT_DEFAULTABLE if f in defaults]
    if fixed:
        raise ValueError(f"no default allowed for {', '.join(fixed)} (it must differ per row)")
    df = raw.reset_index(drop=True)
    absent = [h for h in mapping.values() if h not in df.columns]
    if absent:
        raise SchemaError(f"{source_label}: mapped column(s) not in the file: {', '.join(absent)}")

    mapped = pd.DataFrame({f: _col(df, mapping[f]) for f in EVENTS.columns if f in mapping},
                          index=df.index)
    fields: dict[str, pd.Series] = {f: mapped[f].copy() for f in mapped.columns}
    blank = pd.Series("", index=df.index, dtype=object)
    for f in EVENTS.columns:
        fields.setdefault(f, blank.copy())
    years = next((df[c] for c in df.columns if _norm_name(c) == "year"), None)
    fields["event_date"] = normalise_dates(fields["event_date"], years)
    fields["source_date"] = normalise_dates(fields["source_date"])

    parts = fields["fatalities"].str.extract(_FATALITIES)
    parsed = parts["n"].notna()
    word = parts["q"].str.lower().map(_QUALIFIER_WORDS)
    word = word.where(parts["plus"].isna(), "at least").fillna("")
    fields["fatalities"] = parts["n"].where(parsed, fields["fatalities"])
    given = fields["fatalities_qualifier"]
    fields["fatalities_qualifier"] = given.where(given != "", word.where(parsed, ""))

    if "notes" not in mapping and "notes" not in defaults:
        # A file without descriptions (a trimmed export): say what its own columns say.
        fields["notes"] = (fields["event_type"] + " (" + fields["sub_event_type"] + "): "
                           + fields["actor1"] + " against " + fields["actor2"].where(
                               fields["actor2"] != "", "no named party") + ", at "
                           + fields["location"] + "; no description in the file")
    for f, value in defaults.items():
        if f in fields:
            fields[f] = fields[f].where(fields[f] != "", str(value))
    qualifier = fields["fatalities_qualifier"]
    fields["fatalities_qualifier"] = qualifier.where(
        (qualifier != "") | (fields["fatalities"] == ""), "exact")

    has_coords = (fields["latitude"] != "") & (fields["longitude"] != "")
    source_coord = pd.Series(np.where(has_coords, "source file", ""), index=df.index)
    fields["coord_source"] = fields["coord_source"].where(fields["coord_source"] != "",
                                                          source_coord)
    if "event_id" not in mapping:
        fields["event_id"] = _stable_ids(df.fillna("").astype(str))
    admin1 = _col(df, mapping["source_admin1"]) if "source_admin1" in mapping else blank
    admin1 = admin1.where(admin1 != "", str(defaults.get("source_admin1", "")))
    wide = fields["geo_precision"].str.strip() == "3"
    scope = pd.Series(np.where(wide & (admin1 != ""), "admin1", ""), index=df.index)
    if "attribution" in df.columns:  # this project's own output, read again
        scope = df["attribution"].map(SCOPE_OF_ATTRIBUTION).fillna(scope)
    return _frame(fields, {"source_admin1": admin1, PLACE_SCOPE: scope}, df.index)
