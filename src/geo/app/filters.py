"""One filter model for every page, the CLI and the exports.

A `Filter` is plain data. It is applied with vectorised masks, written to and read from URL
query parameters (bad values are dropped and explained, never raised), and described in words
and in a file-name slug so a download says what it holds.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, fields, replace
from datetime import date, timedelta

import pandas as pd

from geo.app.direction import DIRECTIONS, direction
from geo.data.i18n import _, localise_digits, ngettext, number
from geo.data.schemas import (
    EVENT_TYPES,
    GEO_PRECISION,
    JURISDICTIONS,
    NOT_ATTRIBUTABLE,
    SUB_EVENT_TYPES,
)
from geo.data.textops import per_value

REGION_CHOICES = ("Federal Iraq", "Kurdistan Region", "Outside Iraq", NOT_ATTRIBUTABLE)
LAYERS = ("boundaries", "regions", "disputed", "alerts", "choropleth", "events", "density", "sites",
          "rings", "labels", "basemap")
DEFAULT_LAYERS = ("boundaries", "regions", "events", "sites", "labels")
_MAX_ACTOR_QUERY = 100
# Quick ranges of the date filter. 27 Sep 2024 is the US–Iraq joint statement that set the two
# phases of the coalition's exit (milestone MS-0003 in data/curated/milestones.csv, sourced).
ANNOUNCEMENT = date(2024, 9, 27)
QUICK_RANGES = ("All dates", "Last 30 days", "Since the Sept 2024 announcement", "Since Jan 2026")


def quick_range(label: str, lo: date, hi: date, today: date) -> tuple[date, date]:
    """The (start, end) a quick-range button sets, kept inside the slider's [lo, hi]."""
    start = {"All dates": lo, "Last 30 days": today - timedelta(days=30),
             "Since the Sept 2024 announcement": ANNOUNCEMENT,
             "Since Jan 2026": date(2026, 1, 1)}[label]
    end = hi if label != "Last 30 days" else today
    start, end = min(max(start, lo), hi), min(max(end, lo), hi)
    return start, max(start, end)


def ordered_dates(start: date | None, end: date | None, lo: date, hi: date) -> tuple[date, date]:
    """Typed dates made usable: a blank box is the range's end, both are kept inside [lo, hi],
    and a start after the end swaps them (rather than showing nothing)."""
    start = min(max(start or lo, lo), hi)
    end = min(max(end or hi, lo), hi)
    return (start, end) if start <= end else (end, start)


@dataclass(frozen=True)
class Filter:
    start: date | None = None
    end: date | None = None
    directions: tuple[str, ...] = ()
    event_types: tuple[str, ...] = ()
    sub_event_types: tuple[str, ...] = ()
    actor: str = ""
    admin1: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    jurisdictions: tuple[str, ...] = ()  # needs an installed district set (jurisdiction column)
    admin2: tuple[str, ...] = ()  # district codes of the installed set
    fatalities_min: int | None = None
    fatalities_max: int | None = None
    include_unknown_fatalities: bool = True
    geo_precision: tuple[int, ...] = ()
    layers: tuple[str, ...] = field(default=DEFAULT_LAYERS)

    def is_default(self) -> bool:
        return replace(self, layers=DEFAULT_LAYERS) == Filter()


def apply(events: pd.DataFrame, f: Filter, columns: list[str] | None = None) -> pd.DataFrame:
    """The events that pass every active criterion (an empty criterion passes everything); only
    `columns` of them when given (copying 30 columns of a million rows costs more than filtering).
    Text criteria are evaluated once per distinct value (`per_value`)."""
    keep = pd.Series(True, index=events.index)
    day = events["event_date"].dt.normalize()
    if f.start:
        keep &= day >= pd.Timestamp(f.start)
    if f.end:
        keep &= day <= pd.Timestamp(f.end)
    if f.directions:
        keep &= per_value(direction(events), lambda v: v.isin(f.directions))
    if f.event_types:
        keep &= per_value(events["event_type"], lambda v: v.isin(f.event_types))
    if f.sub_event_types:
        keep &= per_value(events["sub_event_type"], lambda v: v.isin(f.sub_event_types))
    if f.actor:
        needle = f.actor.casefold()

        def mentions(names: pd.Series) -> pd.Series:
            return names.fillna("").astype(str).str.casefold().str.contains(needle, regex=False)

        keep &= per_value(events["actor1"], mentions) | per_value(events["actor2"], mentions)
    keep &= _place_mask(events, f)
    deaths = events["fatalities"]
    known = deaths.notna()
    if f.fatalities_min is not None:
        keep &= ~known | (deaths >= f.fatalities_min)
    if f.fatalities_max is not None:
        keep &= ~known | (deaths <= f.fatalities_max)
    if not f.include_unknown_fatalities:
        keep &= known
    if f.geo_precision:
        keep &= events["geo_precision"].isin(f.geo_precision)
    mask = keep.fillna(False).astype(bool).to_numpy()
    return events[mask] if columns is None else events[columns][mask]


def _place_mask(df: pd.DataFrame, f: Filter) -> pd.Series:
    keep = pd.Series(True, index=df.index)
    for column, wanted in (("admin1_code", f.admin1), ("region", f.regions),
                           ("admin2_code", f.admin2), ("jurisdiction", f.jurisdictions)):
        if wanted:
            keep &= _one_of(df, column, wanted)
    return keep


def _one_of(df: pd.DataFrame, column: str, wanted: tuple[str, ...]) -> pd.Series | bool:
    """Rows whose `column` is one of `wanted`; without the column (districts and jurisdiction
    exist only with an installed district set) nothing is known to match."""
    if column not in df:
        return False
    return per_value(df[column], lambda v: v.isin(wanted).fillna(False).astype(bool))


def apply_places(df: pd.DataFrame, f: Filter) -> pd.DataFrame:
    """Sites and deployments follow the place criteria only (governorate, region)."""
    return df[_place_mask(df, f)]


# ---------------------------------------------------------------- URL query parameters

_KEYS = {
    "start": "start", "end": "end", "directions": "dir", "event_types": "type", "sub_event_types": "subtype",
    "actor": "actor", "admin1": "gov", "regions": "region", "jurisdictions": "jur",
    "admin2": "district",
    "fatalities_min": "fmin",
    "fatalities_max": "fmax", "include_unknown_fatalities": "unknown", "geo_precision": "prec",
    "layers": "layers",
}


def to_query_params(f: Filter) -> dict[str, str]:
    """Only what differs from the default, lists comma-joined: short, readable, shareable links."""
    out: dict[str, str] = {}
    default = Filter()
    for fld in fields(Filter):
        value = getattr(f, fld.name)
        if value == getattr(default, fld.name):
            continue
        key = _KEYS[fld.name]
        if isinstance(value, tuple):
            out[key] = ",".join(str(v) for v in value)
        elif isinstance(value, bool):
            out[key] = "1" if value else "0"
        elif isinstance(value, date):
            out[key] = value.isoformat()
        else:
            out[key] = str(value)
    return out


def from_query_params(params: dict[str, str | list[str]], admin1_codes: tuple[str, ...] = (),
                      admin2_codes: tuple[str, ...] = ()) -> tuple[Filter, list[str]]:
    """Parse URL parameters; every value that cannot be used is skipped with a notice."""
    notices: list[str] = []
    values: dict[str, object] = {}
    known = {v: k for k, v in _KEYS.items()}

    def text(key: str) -> str:
        raw = params.get(key, "")
        return (raw[-1] if isinstance(raw, list) and raw else raw if isinstance(raw, str) else "")

    # The notices are shown under "Link parameter ignored: …"; the parameter names (start, gov,
    # fmin…) are the link's own and stay as they are.
    for key in params:
        if key not in known:
            # Translators: a link parameter the dashboard does not know; {name} is its name
            notices.append(_("unknown parameter '{name}'").format(name=_short(key)))
    for key in ("start", "end"):
        raw = text(key)
        if raw:
            try:
                values[key] = date.fromisoformat(raw)
            except ValueError:
                # Translators: {key} is a link parameter (start, end), {value} what it said
                notices.append(_("{key}='{value}' is not a date (YYYY-MM-DD)").format(
                    key=key, value=_short(raw)))
    choice_lists = {
        "directions": DIRECTIONS, "event_types": tuple(EVENT_TYPES), "sub_event_types": SUB_EVENT_TYPES,
        "regions": REGION_CHOICES, "jurisdictions": JURISDICTIONS, "layers": LAYERS,
    }
    if admin1_codes:
        choice_lists["admin1"] = admin1_codes
    if admin2_codes:
        choice_lists["admin2"] = admin2_codes
    for name, allowed in choice_lists.items():
        raw = text(_KEYS[name])
        if _KEYS[name] not in params:
            continue
        items = [s.strip() for s in raw.split(",") if s.strip()]
        good = tuple(dict.fromkeys(s for s in items if s in allowed))
        bad = [s for s in items if s not in allowed]
        if bad:
            notices.append(_ignored(_KEYS[name], bad))
        values[name] = good
    if "gov" in params and not admin1_codes:
        values["admin1"] = tuple(s for s in text("gov").split(",") if re.fullmatch(r"[\w-]{1,20}", s))
    if "district" in params and not admin2_codes:
        values["admin2"] = tuple(s for s in text("district").split(",")
                                 if re.fullmatch(r"[\w-]{1,20}", s))
    actor = text("actor")
    if actor:
        if len(actor) > _MAX_ACTOR_QUERY:
            # Translators: a link's actor search was too long; {n} is 100
            notices.append(ngettext("actor search longer than {n} character was cut",
                                    "actor search longer than {n} characters was cut",
                                    _MAX_ACTOR_QUERY).format(n=number(_MAX_ACTOR_QUERY)))
        values["actor"] = actor[:_MAX_ACTOR_QUERY]
    for name in ("fatalities_min", "fatalities_max"):
        raw = text(_KEYS[name])
        if raw:
            if raw.isdigit() and int(raw) <= 1_000_000:
                values[name] = int(raw)
            else:
                # Translators: {key} is a link parameter (fmin, fmax), {value} what it said
                notices.append(_("{key}='{value}' is not a whole number ≥ 0").format(
                    key=_KEYS[name], value=_short(raw)))
    raw = text("unknown")
    if raw:
        if raw in ("0", "1"):
            values["include_unknown_fatalities"] = raw == "1"
        else:
            # Translators: {key} is the link parameter "unknown", {value} what it said
            notices.append(_("{key}='{value}' must be 0 or 1").format(key="unknown",
                                                                     value=_short(raw)))
    raw = text("prec")
    if "prec" in params:
        items = [s for s in raw.split(",") if s]
        good = tuple(sorted({int(s) for s in items if s in {str(k) for k in GEO_PRECISION}}))
        bad = [s for s in items if s not in {str(k) for k in GEO_PRECISION}]
        if bad:
            notices.append(_ignored("prec", bad))
        values["geo_precision"] = good
    f = Filter(**values)  # type: ignore[arg-type]
    if f.start and f.end and f.start > f.end:
        # Translators: start and end are the link's parameters: keep them as they are
        notices.append(_("start is after end; both were ignored"))
        f = replace(f, start=None, end=None)
    if (f.fatalities_min is not None and f.fatalities_max is not None
            and f.fatalities_min > f.fatalities_max):
        # Translators: fmin and fmax are the link's parameters: keep them as they are
        notices.append(_("fmin is above fmax; both were ignored"))
        f = replace(f, fatalities_min=None, fatalities_max=None)
    return f, notices


def _ignored(key: str, bad: list[str]) -> str:
    # Translators: {key} is a link parameter (type, gov, prec…), {values} the values dropped
    return _("{key}: ignored {values}").format(key=key, values=", ".join(
        repr(_short(b)) for b in bad))


def _short(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[:limit] + "…"


# ---------------------------------------------------------------- words and file names

def describe(f: Filter, admin1_names: dict[str, str] | None = None,
             admin2_names: dict[str, str] | None = None) -> str:
    """The active filter in one line of plain text (shown on every page and in exports), in the
    reader's language; the values the app owns (directions, types, regions) are translated,
    place names and the actor search are shown as they are."""
    def owned(values: tuple[str, ...]) -> str:
        return ", ".join(_(v) for v in values)

    parts: list[str] = []
    if f.start or f.end:
        # Translators: the filter's period; {start} and {end} are dates (YYYY-MM-DD) or "…"
        parts.append(_("{start} to {end}").format(start=f.start or "…", end=f.end or "…"))
    if f.directions:
        # Translators: the filter's directions of violence, a list of them follows
        parts.append(_("direction: {values}").format(values=owned(f.directions)))
    if f.event_types:
        parts.append(_("types: {values}").format(values=owned(f.event_types)))
    if f.sub_event_types:
        parts.append(_("sub-types: {values}").format(values=owned(f.sub_event_types)))
    if f.actor:
        # Translators: the filter's actor search; {text} is what the reader typed
        parts.append(_("actor contains “{text}”").format(text=f.actor))
    if f.admin1:
        names = admin1_names or {}
        parts.append(_("governorates: {values}").format(
            values=", ".join(names.get(c, c) for c in f.admin1)))
    if f.regions:
        parts.append(_("regions: {values}").format(values=owned(f.regions)))
    if f.jurisdictions:
        parts.append(_("jurisdiction: {values}").format(values=owned(f.jurisdictions)))
    if f.admin2:
        names = admin2_names or {}
        parts.append(_("districts: {values}").format(
            values=", ".join(names.get(c, c) for c in f.admin2)))
    if f.fatalities_min is not None or f.fatalities_max is not None:
        top = "…" if f.fatalities_max is None else localise_digits(str(f.fatalities_max))
        # Translators: the filter's range of deaths per event, e.g. "fatalities 0–10" ({high}
        # may be "…": no upper bound)
        parts.append(_("fatalities {low}–{high}").format(
            low=localise_digits(str(f.fatalities_min or 0)), high=top))
    if not f.include_unknown_fatalities:
        parts.append(_("known fatalities only"))
    if f.geo_precision:
        # Translators: the filter's place precision levels, e.g. "geo precision 1, 2"
        parts.append(_("geo precision {levels}").format(
            levels=localise_digits(", ".join(map(str, f.geo_precision)))))
    return "; ".join(parts) if parts else _("no filter (all data)")


def slug(f: Filter) -> str:
    """A short, file-system-safe summary of the filter for download names."""
    parts: list[str] = []
    if f.start or f.end:
        parts.append(f"{f.start or 'start'}_{f.end or 'end'}")
    for values in (f.directions, f.event_types, f.sub_event_types, f.admin1, f.regions,
                   f.jurisdictions, f.admin2):
        if values:
            parts.append("+".join(values))
    if f.actor:
        parts.append("actor-" + f.actor)
    if f.fatalities_min is not None or f.fatalities_max is not None:
        top = "max" if f.fatalities_max is None else f.fatalities_max
        parts.append(f"fat{f.fatalities_min or 0}-{top}")
    if not f.include_unknown_fatalities:
        parts.append("known-fat")
    if f.geo_precision:
        parts.append("prec" + "".join(map(str, f.geo_precision)))
    text = "_".join(parts) or "all"
    text = re.sub(r"[^A-Za-z0-9+._-]+", "-", text).strip("-_.")
    return text[:120] or "all"
