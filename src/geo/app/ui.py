"""Streamlit glue shared by the pages: cached data, the filter sidebar, URL sync, headers.

Everything that computes lives elsewhere in `geo`; this module only wires widgets to it.
"""

from __future__ import annotations

import atexit
import gc
import html
import re
import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import date
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from geo.app import aggregate, dataset, figures, filters
from geo.app import story as narrative
from geo.app.coverage import text as coverage_text
from geo.app.dataset import Data
from geo.app.dataset import imported_coverage as _imported_coverage
from geo.app.dataset import joined_imports as _joined_imports
from geo.app.direction import DIRECTIONS
from geo.app.figures import alternatives
from geo.app.figures.common import shown as figure_shown
from geo.app.figures.common import shown_all
from geo.app.filters import LAYERS, Filter
from geo.data import i18n
from geo.data.export import export_frame, to_csv_text
from geo.data.i18n import N_, _, day, ngettext, number
from geo.data.schemas import (
    ATTRIBUTIONS,
    DISPUTED,
    EVENT_TYPES,
    GEO_PRECISION,
    JURISDICTIONS,
    TIME_PRECISION,
)
from geo.data.store import EVENTS_FILE, read_events, store_dir, writes_allowed
from geo.data.validate import HTTP_URL
from geo.sources import disputed
from geo.spatial import installed, lod
from geo.spatial.boundaries import BOUNDARY_CAVEAT

# The map layers' checkboxes (shown with `_()`).
LAYER_LABELS = {
    "boundaries": N_("Governorate boundaries"),
    "regions": N_("Kurdistan Region / federal Iraq line"),
    # Translators: a map layer: governorates coloured by the metric chosen below the map
    "choropleth": N_("Choropleth (metric below)"),
    "events": N_("Events (colour = direction, size = deaths)"),
    "density": N_("Event density (heat)"),
    "sites": N_("Foreign-force sites"),
    "rings": N_("Rings around sites (attack ranges)"),
    "labels": N_("Governorate labels"),
    "basemap": N_("OpenStreetMap basemap (online only)"),
    "disputed": N_("Disputed territories (Article 140 districts)"),
    "alerts": N_("Surge alerts (last 4 weeks against the year before)"),
}


def store_version(store: Path | None = None) -> float:
    """Changes when the event store is written, so the cached data is reloaded after an import."""
    path = store_dir(store) / EVENTS_FILE
    return path.stat().st_mtime if path.exists() else 0.0


def get_data() -> Data:
    """The shared data, plus what this browser session imported on a read-only copy."""
    _leave_legacy_pages_mode()
    # shown only when the load takes over half a second (a cache miss), in the reader's language
    with st.spinner(_("Loading data…")):
        shared = _load_data(store_version(), boundary_version())
    private = st.session_state.get(_PRIVATE_STORE)
    if not private:
        return shared
    return _with_private(shared, (store_version(), boundary_version()), private,
                         store_version(Path(private)))


_PRIVATE_STORE = "_private_store"
_PRIVATE_DIRS: list[str] = []


def import_store() -> Path | None:
    """Where the app's imports and saved drafts go: the shared store when the operator allows
    writes (GEO_ALLOW_WRITE), else a store of this browser session's own, which nobody else
    sees and which is gone when the server stops (docs/security.md)."""
    if writes_allowed():
        return None
    if not st.session_state.get(_PRIVATE_STORE):
        folder = tempfile.mkdtemp(prefix="geo-session-")
        if not _PRIVATE_DIRS:
            atexit.register(lambda: [shutil.rmtree(d, ignore_errors=True) for d in _PRIVATE_DIRS])
        _PRIVATE_DIRS.append(folder)
        st.session_state[_PRIVATE_STORE] = folder
    return Path(st.session_state[_PRIVATE_STORE])


def import_notice() -> None:
    """Say where an import or a saved draft goes, before the user makes one."""
    if writes_allowed():
        st.caption(_("Imports go into the shared event store: everyone using this copy sees "
                     "them."))
    else:
        # Translators: GEO_ALLOW_WRITE=1 and docs/security.md are a setting and a file: keep
        # them as they are
        st.info(_("This copy is shared, so what you import or save stays in **your browser "
                  "session only**: nobody else sees it, and it is gone when the session ends. "
                  "Download what you need from the Data page. (The operator can allow imports "
                  "into the shared store with GEO_ALLOW_WRITE=1; see docs/security.md.)"),
                icon="🔒")


def boundary_version() -> str:
    """Changes when a boundary set is installed or switched: the data is joined again."""
    meta = installed.metadata() if installed.active() == "installed" else None
    return f"installed:{meta.get('checksum', '')}" if meta else "embedded"


def data_version() -> tuple[float, str, float, str]:
    """What the data a page shows depends on: the shared store and this session's own."""
    private = st.session_state.get(_PRIVATE_STORE) or ""
    return (store_version(), private, store_version(Path(private)) if private else 0.0,
            boundary_version())


@st.cache_resource(show_spinner=False, max_entries=32)
def _with_private(_shared: Data, shared_version: tuple, private: str, version: float) -> Data:
    """The shared data with one session's own imports added (a new Data; the shared one is
    never changed). Keyed by both stores' versions, not by hashing the data."""
    shared = _shared
    mine = read_events(Path(private))
    if not len(mine):
        return shared
    added = _joined_imports(mine, shared.admin1, "imported (this session only)", shared.admin2)
    # linked again over every record: a private import may repeat a shared event, or the other
    # way round
    events, repeats = dataset.counted_once(shared.events, shared.repeats, added,
                                           crs=shared.admin1.crs)
    cover = pd.concat([shared.coverage, _imported_coverage(added).assign(
        table="your imported events (this session only)")], ignore_index=True)
    return replace(shared, events=events, repeats=repeats, coverage=cover)


def _leave_legacy_pages_mode() -> None:
    """Until some session has run streamlit_app.py (which calls st.navigation), Streamlit treats
    the `pages/` folder as its legacy multipage layout and runs a page's file on its own: after
    a restart, every link to /map or /events failed (no sidebar, no filter) until someone opened
    the root URL. Leave that mode (st.navigation does the same) and rerun: the rerun goes
    through streamlit_app.py to the same page. Happens once per server start."""
    from streamlit.runtime.pages_manager import PagesManager

    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        if "filter" not in st.session_state:
            st.rerun()


@st.cache_resource(show_spinner=False, max_entries=2)  # the spinner is `get_data`'s
def _load_data(version: float, boundaries: str = "") -> Data:
    """One load per store version and boundary set (`geo.app.dataset.load_data`).

    Streamlit runs a full garbage collection after every script run (`runner.postScriptGC`),
    and with the libraries and the data in memory each took about 0.2 s of the server's only
    interpreter lock, while the page's last messages waited. What is alive after the load lives
    as long as the server, so it is frozen out of those collections; an earlier load's objects
    are unfrozen first, so a replaced load can still be collected (docs/decisions.md)."""
    data = dataset.load_data()
    gc.unfreeze()
    gc.collect()
    gc.freeze()
    return data


# ---------------------------------------------------------------- language

LANG_KEY, DIGITS_KEY = "lang", "digits_arab"
_LANG_LABEL = "Language · اللغة · زمان"  # in every language: a reader must find it in theirs
RTL_CSS = """<style>
[data-testid="stMain"], [data-testid="stSidebarContent"], [data-testid="stToast"] {
  direction: rtl; text-align: right; }
/* Streamlit sets text-align: left on every element's container and on a table's text cells:
   headings, paragraphs and cells would stay ragged on the right, their last line at the left */
[data-testid="stMain"] [data-testid="stElementContainer"],
[data-testid="stSidebarContent"] [data-testid="stElementContainer"] { text-align: right; }
[data-testid="stTable"] th, [data-testid="stTable"] td { text-align: right !important; }
/* charts and maps keep time and space running left to right, as Arabic news graphics do */
[data-testid="stPlotlyChart"], [data-testid="stSlider"] [data-baseweb="slider"] {
  direction: ltr; }
/* ISO dates read left to right in every language (2026-03-14, not 14-03-2026 mirrored) */
[data-testid="stDateInputField"], [data-testid="stSlider"] [data-testid="stSliderTickBar"] {
  direction: ltr; }
</style>"""


def language() -> str:
    """The language of this run (sidebar choice, kept in the URL as `lang`). A first visit
    without `lang` follows the browser's language when it is one of ours. It never changes the
    data or the filter: a link copied in any language shows the same events."""
    if LANG_KEY not in st.session_state:
        locale = getattr(st.context, "locale", None)
        lang, notice = i18n.language_from(st.query_params.get("lang"), locale)
        st.session_state[LANG_KEY] = lang
        st.session_state[DIGITS_KEY] = st.query_params.get("digits") == "arab"
        st.session_state["_lang_notice"] = notice
    lang = st.session_state[LANG_KEY]
    i18n.set_language(lang, "arab" if st.session_state.get(DIGITS_KEY) else "latn")
    return lang


CONTENT_ANCHOR = "content"


def skip_link() -> None:
    """"Skip to the content": the first stop in the sidebar after the page links, so a keyboard
    user passes the filters in one key (WCAG 2.4.1)."""
    label = _("Skip to the content")
    st.sidebar.markdown(f"[{label}](#{CONTENT_ANCHOR})")


def language_picker() -> str:
    """The sidebar's language choice, digits option and right-to-left layout."""
    lang = language()
    st.sidebar.selectbox(_LANG_LABEL, list(i18n.LANGUAGES), key=LANG_KEY,
                         format_func=i18n.LANGUAGES.get)
    lang = language()  # the widget may have changed it on this run
    if i18n.is_rtl(lang):
        st.sidebar.toggle(i18n._("Arabic-Indic digits (٠١٢٣)"), key=DIGITS_KEY)
        lang = language()
    if lang != i18n.DEFAULT:  # said once, beside the choice, rather than on every value
        st.sidebar.caption(i18n._("Actor names, notes and source titles are shown as the sources "
                                  "wrote them, mostly in English."))
    return lang


LANG_FRAME_TITLE = "page language"  # the hidden frame that sets <html lang> (page_style)
# Our own page furniture: the events feed's scrolling list, and a focus ring a keyboard user
# sees on it and on links (WCAG 2.4.7).
BASE_CSS = """<style>
.geo-feed { overflow-y: auto; border: 1px solid rgba(128, 128, 128, 0.45); border-radius: 0.5rem;
  padding: 0.25rem 0.75rem; }
.geo-feed ul { margin: 0; padding-inline-start: 1.1rem; }
.geo-feed li { margin: 0.2rem 0; line-height: 1.45; }
.geo-feed:focus-visible, [data-testid="stMarkdownContainer"] a:focus-visible {
  outline: 3px solid #0072B2; outline-offset: 2px; }
""" + f'[data-testid="stElementContainer"]:has(iframe[title="{LANG_FRAME_TITLE}"]) ' + """{
  display: none; }
/* A reader who asked their system for less motion gets no Play button on the month-by-month
   map: the slider under it still steps through the months, each drawn at once (WCAG 2.3.3). */
@media (prefers-reduced-motion: reduce) {
  .js-plotly-plot .updatemenu-container { display: none !important; } }
</style>"""


def page_style() -> None:
    """The app's CSS for this run (the feed and focus rings; right to left in Arabic and
    Kurdish), and the page's language on its <html> element, which Streamlit leaves "en": a
    screen reader reads Arabic with an English voice otherwise (WCAG 3.1.1). Streamlit offers
    no setting for it, so a one-line script in a hidden same-origin frame sets it; the code is
    one of three fixed language codes, never text from a reader or the data."""
    lang = i18n.current() if i18n.current() in i18n.LANGUAGES else i18n.DEFAULT
    st.html(BASE_CSS + (RTL_CSS if i18n.is_rtl() else ""))
    st.iframe(f"<script>window.parent.document.documentElement.lang = '{lang}';</script>",
              height=1, tab_index=-1, alt=LANG_FRAME_TITLE)


def _language_params() -> dict[str, str]:
    lang = st.session_state.get(LANG_KEY, i18n.DEFAULT)
    params = {"lang": lang} if lang != i18n.DEFAULT or "lang" in st.query_params else {}
    if i18n.is_rtl(lang) and st.session_state.get(DIGITS_KEY):
        params["digits"] = "arab"
    return params


# ---------------------------------------------------------------- filter sidebar and URL

_WIDGET_KEYS = ("f_dates", "f_from", "f_to", "f_quick", "f_dir", "f_types", "f_subtypes",
                "f_actor", "f_admin1", "f_regions", "f_jur", "f_admin2", "f_fat", "f_unknown",
                "f_prec")


def _date_bounds(data: Data) -> tuple[date, date]:
    lo = data.events["event_date"].min().date()
    hi = max(data.events["event_date"].max().date(), date.today())
    return lo, hi


def _fat_max(data: Data) -> int:
    return int(max(10, data.events["fatalities"].max(skipna=True) or 0))


def _seed_from_url(data: Data) -> None:
    """First run of a session: the URL decides the initial widget values."""
    if st.session_state.get("_seeded"):
        return
    st.session_state["_seeded"] = True
    params = {k: st.query_params.get_all(k) for k in st.query_params}
    # the language is not a filter: `lang` and `digits` are read by `language()`
    seeded = ({k: v for k, v in params.items() if k not in ("lang", "digits")},
              tuple(data.admin1["admin1_code"]),
              tuple(data.admin2["admin2_code"].astype(str)) if data.admin2 is not None else ())
    f, notices = filters.from_query_params(*seeded)
    st.session_state["_url_notices"] = notices
    st.session_state["_url_params"] = seeded
    lo, hi = _date_bounds(data)
    start = min(max(f.start or lo, lo), hi)
    end = max(min(f.end or hi, hi), start)
    st.session_state["f_dates"] = (start, end)
    st.session_state["f_from"], st.session_state["f_to"] = start, end
    st.session_state["f_dir"] = list(f.directions)
    st.session_state["f_types"] = list(f.event_types)
    st.session_state["f_subtypes"] = list(f.sub_event_types)
    st.session_state["f_actor"] = f.actor
    st.session_state["f_admin1"] = list(f.admin1)
    st.session_state["f_regions"] = list(f.regions)
    st.session_state["f_jur"] = list(f.jurisdictions)
    st.session_state["f_admin2"] = list(f.admin2)
    top = _fat_max(data)
    st.session_state["f_fat"] = (min(f.fatalities_min or 0, top),
                                 min(f.fatalities_max if f.fatalities_max is not None else top, top))
    st.session_state["f_unknown"] = f.include_unknown_fatalities
    st.session_state["f_prec"] = list(f.geo_precision)
    for layer in LAYERS:
        st.session_state[f"layer_{layer}"] = layer in f.layers


def _set_dates(start: date, end: date, quick: str | None = None) -> None:
    st.session_state["f_dates"] = (start, end)
    st.session_state["f_from"], st.session_state["f_to"] = start, end
    st.session_state["f_quick"] = quick


def _dates_from_slider() -> None:
    _set_dates(*st.session_state["f_dates"])


def _dates_from_boxes(lo: date, hi: date) -> None:
    _set_dates(*filters.ordered_dates(st.session_state.get("f_from"), st.session_state.get("f_to"),
                                      lo, hi))


def _dates_from_quick(lo: date, hi: date) -> None:
    label = st.session_state.get("f_quick")
    if label:
        _set_dates(*filters.quick_range(label, lo, hi, date.today()), quick=label)


def date_filter(sb, lo: date, hi: date) -> tuple[date, date]:
    """The period: a slider for the sweep, two date boxes for exact days (the slider moves ~11
    days per pixel over seven years), and quick ranges. All three stay in step."""
    sb.slider(_("Date range"), min_value=lo, max_value=hi, key="f_dates", format="YYYY-MM-DD",
              on_change=_dates_from_slider)
    # One box a row: side by side the sidebar cut the dates off.
    # Translators: the first day of the filter's period (a date box)
    sb.date_input(_("From"), min_value=lo, max_value=hi, key="f_from", format="YYYY-MM-DD",
                  on_change=_dates_from_boxes, args=(lo, hi))
    # Translators: the last day of the filter's period (a date box)
    sb.date_input(_("To"), min_value=lo, max_value=hi, key="f_to", format="YYYY-MM-DD",
                  on_change=_dates_from_boxes, args=(lo, hi))
    # the quick ranges stay English values (the session state); the buttons show them translated
    sb.pills(_("Quick range"), filters.QUICK_RANGES, key="f_quick", format_func=_,
             on_change=_dates_from_quick, args=(lo, hi), label_visibility="collapsed")
    return st.session_state["f_dates"]


def sidebar_filter(data: Data) -> Filter:
    """Render the shared filter and layer panel; return the active Filter and sync the URL."""
    _seed_from_url(data)
    lo, hi = _date_bounds(data)
    sb = st.sidebar
    sb.header(_("Filter"))
    start, end = date_filter(sb, lo, hi)
    # The choices are the data's own values (English, as in the URL); `format_func=_` shows
    # them in the reader's language.
    dirs = sb.multiselect(_("Direction of violence"), list(DIRECTIONS), key="f_dir",
                          format_func=_, placeholder=_("All directions"),
                          help=_("Who did what to whom, derived from the actors and the target "
                                 "(rules in data/README.md)."))
    # Translators: ACLED's event types (Battles, Protests…)
    types = sb.multiselect(_("Event type"), list(EVENT_TYPES), key="f_types", format_func=_,
                           placeholder=_("All types"))
    sub_choices = [s for t in (types or EVENT_TYPES) for s in EVENT_TYPES[t]]
    st.session_state["f_subtypes"] = [s for s in st.session_state.get("f_subtypes", [])
                                      if s in sub_choices]
    # Translators: ACLED's sub-event types (Air/drone strike, Shelling/artillery/missile attack…)
    subs = sb.multiselect(_("Sub-type"), sub_choices, key="f_subtypes", format_func=_,
                          placeholder=_("All sub-types"))
    # Translators: a search in the names of the actors (armed groups, forces)
    actor = sb.text_input(_("Actor contains"), key="f_actor", max_chars=100,
                          placeholder=_("e.g. Kataib Hezbollah"))
    names = admin1_names(data)
    admin1 = sb.multiselect(_("Governorate"), list(names), key="f_admin1",
                            format_func=lambda c: names.get(c, c),
                            placeholder=_("All governorates"))
    regions = sb.multiselect(_("Region"), list(filters.REGION_CHOICES), key="f_regions",
                             format_func=_, placeholder=_("Whole country"))
    jur = st.session_state.get("f_jur", [])
    districts = st.session_state.get("f_admin2", [])
    if data.admin2 is not None:  # the columns exist only with an installed district set
        labels = district_labels(data)
        districts = sb.multiselect(_("District"), list(labels), key="f_admin2",
                                   format_func=lambda c: labels.get(c, c),
                                   placeholder=_("All districts"))
        jur = sb.multiselect(_("Jurisdiction"), list(JURISDICTIONS), key="f_jur", format_func=_,
                             placeholder=_("Any (incl. disputed territories)"),
                             help=_("Kurdistan Region, federal Iraq, or the districts disputed "
                                    "between them under Article 140 (UNAMI 2009; "
                                    "data/README.md)."))
    top = _fat_max(data)
    # Translators: the filter's range of deaths per event (a slider)
    fmin, fmax = sb.slider(_("Fatalities"), 0, top, key="f_fat")
    unknown = sb.checkbox(_("Include events with unknown fatalities"), key="f_unknown")
    # Translators: how exactly an event's place is known: 1 exact site or town, 2 near the
    # named place, 3 larger area only
    prec = sb.multiselect(_("Geo precision"), list(GEO_PRECISION), key="f_prec",
                          format_func=lambda p: f"{number(p)} · {_(GEO_PRECISION[p])}",
                          # Translators: the placeholder of the geo precision filter: no
                          # precision chosen, any passes
                          placeholder=_("Any"))
    with sb.expander(_("Map layers"), expanded=False):
        layers = tuple(layer for layer in LAYERS
                       if st.checkbox(_(LAYER_LABELS[layer]), key=f"layer_{layer}"))
    f = Filter(
        start=None if start == lo else start, end=None if end == hi else end,
        directions=tuple(dirs), event_types=tuple(types), sub_event_types=tuple(subs),
        actor=actor.strip(),
        admin1=tuple(admin1), regions=tuple(regions), jurisdictions=tuple(jur),
        admin2=tuple(districts),
        fatalities_min=fmin or None, fatalities_max=None if fmax == top else fmax,
        include_unknown_fatalities=unknown, geo_precision=tuple(sorted(prec)), layers=layers,
    )
    if sb.button(_("Reset filter"), width="stretch"):
        for key in (*_WIDGET_KEYS, *(f"layer_{x}" for x in LAYERS), "_seeded"):
            st.session_state.pop(key, None)
        st.query_params.clear()
        st.rerun()
    _write_url(f)
    return f


def _write_url(f: Filter) -> None:
    wanted = {**filters.to_query_params(f), **_language_params()}
    current = {k: st.query_params.get(k) for k in st.query_params}
    if current != wanted:
        st.query_params.from_dict(wanted)


SELECTED_EVENT = "selected_event"


def select_governorates_from_map(map_key: str) -> None:
    """on_select callback: clicking governorates on a map filters to them; clicking an event
    selects it (its record is shown below the map)."""
    _select_from_map(map_key, "f_admin1", set(get_data().admin1["admin1_code"]))


def district_view(data: Data, events: pd.DataFrame, sites: pd.DataFrame
                  ) -> tuple[gpd.GeoDataFrame, pd.DataFrame, pd.DataFrame]:
    """The districts, events and sites keyed by district in `admin1_code`, so the governorate
    maps and tables (`aggregate.admin1_table`, `figures.layered_map`) draw and count districts."""
    return (district_polygons(data), events.assign(admin1_code=events["admin2_code"]),
            sites.assign(admin1_code=sites["admin2_code"]))


def select_districts_from_map(map_key: str) -> None:
    """on_select callback of a district map: clicking districts filters every page to them;
    clicking an event selects it."""
    data = get_data()
    codes = set(data.admin2["admin2_code"].astype(str)) if data.admin2 is not None else set()
    _select_from_map(map_key, "f_admin2", codes)


def _select_from_map(map_key: str, state_key: str, allowed: set[str]) -> None:
    """Polygons clicked (only those of the map's own level: a disputed district clicked on a
    governorate map is not a governorate) filter to them; an event clicked is selected."""
    state = st.session_state.get(map_key)
    points = (state or {}).get("selection", {}).get("points", []) if state else []
    codes = [p.get("location") for p in points if p.get("location") in allowed]
    if codes:
        st.session_state[state_key] = list(dict.fromkeys(codes))
    ids = [p["customdata"][0] for p in points if not p.get("location")
           and isinstance(p.get("customdata"), list) and p["customdata"]]
    if ids:
        st.session_state[SELECTED_EVENT] = str(ids[-1])


def every_record(data: Data, f: Filter, events: pd.DataFrame) -> pd.DataFrame:
    """The filtered `events` and the filtered records that repeat one of them in another dataset
    (`duplicate_of` says which): what the downloads hold, so no record is lost."""
    if data.repeats is None or data.repeats.empty:
        return events
    repeats = filters.apply(data.repeats, f)
    if repeats.empty:
        return events
    return gpd.GeoDataFrame(pd.concat([events, repeats], ignore_index=True).sort_values(
        ["event_date", "event_id"], kind="stable"), geometry="geometry", crs=events.crs)


def record_of(data: Data, event_id: object) -> pd.Series | None:
    """One event as its export row (the columns and order of every download), or None."""
    if not event_id:
        return None
    rows = data.events[data.events["event_id"] == str(event_id)]
    if rows.empty:
        return None
    return pd.DataFrame(export_frame(rows.iloc[:1], "events")).drop(
        columns="geometry", errors="ignore").iloc[0]


# ---------------------------------------------------------------- tables

# What a reader sees above each column: the data keeps its schema names (exports, the CLI and
# the URL use them), the screen says what they mean.
COLUMN_LABELS = {
    "event_id": N_("Event id"), "event_date": N_("Date"), "direction": N_("What happened"),
    "event_type": N_("Event type"), "sub_event_type": N_("Sub-type"), "actor1": N_("Who acted"),
    "actor2": N_("Against whom"), "target": N_("Target"), "location": N_("Place"),
    "admin1_code": N_("Governorate code"), "admin1_name": N_("Governorate"), "region": N_("Region"),
    "fatalities": N_("Deaths"), "fatalities_qualifier": N_("Toll is"),
    "fatalities_low": N_("Deaths (low)"), "fatalities_high": N_("Deaths (high)"),
    "fatalities_group": N_("Shared toll group"), "partisan": N_("Partisan source"),
    "notes": N_("Notes"), "source_url": N_("Source"), "source_publisher": N_("Publisher"),
    "source_date": N_("Published"), "source_title": N_("Headline"),
    "time_precision": N_("Date precision"), "geo_precision": N_("Place precision"),
    "coord_source": N_("Position from"), "latitude": N_("Latitude"), "longitude": N_("Longitude"),
    "source_admin1": N_("Governorate (per source)"),
    "attack_on_foreign_forces": N_("Attack on US/coalition"), "area_km2": N_("Area (km²)"),
    "events": N_("Events"), "unknown_toll": N_("Events with unknown toll"),
    "attacks_on_foreign_forces": N_("Attacks on US/coalition"), "sites": N_("Foreign-force sites"),
    "events_per_site": N_("Events per site"), "events_per_10k_km2": N_("Events per 10,000 km²"),
    "as_of_date": N_("As of"), "force": N_("Force"), "personnel": N_("Personnel"),
    "personnel_qualifier": N_("Figure is"), "status_kind": N_("Reported or planned"),
    "status": N_("Status"), "phase": N_("Phase"), "area": N_("Area"), "start_date": N_("From"),
    "end_date": N_("Until"), "description": N_("What"), "date": N_("Date"), "kind": N_("Kind"),
    "title": N_("Title"), "site_id": N_("Site id"), "site_name": N_("Site"), "name": N_("Name"),
    "reported_status": N_("Reported status"), "reported_as_of": N_("Reported as of"),
    "planned_status": N_("Planned status"), "planned_by": N_("Planned by"),
    "source": N_("Citation"), "coord_issue": N_("Position issue"),
    "attribution": N_("Governorate from"), "inter1": N_("Actor 1 type"),
    "inter2": N_("Actor 2 type"), "import_note": N_("Import note"), "dataset": N_("Dataset"),
    "parent": N_("Governorate"), "admin2_code": N_("District code"), "admin2_name": N_("District"),
    "jurisdiction": N_("Jurisdiction"), "actor1_family": N_("Who acted (side)"),
    "actor2_family": N_("Against whom (side)"), "origin": N_("From dataset"),
    "duplicate_of": N_("Repeats the record counted"), "also_reported_by": N_("Also reported by"),
    # the site exposure table's (`geo.app.exposure`): the words the headers had before they
    # were listed here
    "period_start": N_("Period start"), "period_end": N_("Period end"), "days": N_("Days"),
    "radius_km": N_("Radius km"), "attacks": N_("Attacks"),
    "attacks_per_30d": N_("Attacks per 30d"),
    "rate_ratio_vs_previous": N_("Rate ratio vs previous"), "ci_low": N_("Ci low"),
    "ci_high": N_("Ci high"), "note": N_("Note"),
}
_HELP = {
    # Translators: the help of the Deaths column
    "fatalities": N_("Blank = no source gives a figure (never counted as 0)"),
    "partisan": N_("Only a party to the fighting, or an outlet aligned with one, gives this figure"),
    "unknown_toll": N_("Events whose toll no source gives: not counted in Deaths"),
}


def _help(col: str) -> str | None:
    """A column's help in the reader's language: the codes of the precision and attribution
    columns with their meanings (the codes and attribution values stay as the data has them)."""
    if col == "geo_precision":
        return "; ".join(f"{k} = {_(v)}" for k, v in GEO_PRECISION.items())
    if col == "time_precision":
        return "; ".join(f"{k} = {_(v)}" for k, v in TIME_PRECISION.items())
    if col == "attribution":
        return "; ".join(f"{k}: {_(v)}" for k, v in ATTRIBUTIONS.items())
    return _(_HELP[col]) if col in _HELP else None


_DATES = {"event_date", "source_date", "as_of_date", "start_date", "end_date", "date",
          "reported_as_of", "planned_by"}
_WIDE = {"notes", "description", "source_title", "title"}


def column_config(columns: list[str]) -> dict[str, object]:
    """Readable headers for `columns`: dates as dates, counts as integers, URLs as links."""
    config: dict[str, object] = {}
    for col in columns:
        label = _(COLUMN_LABELS[col]) if col in COLUMN_LABELS else col.replace("_", " ").capitalize()
        tip = _help(col)
        if col in _DATES:
            config[col] = st.column_config.DateColumn(label, format="YYYY-MM-DD", help=tip)
        elif col == "source_url":
            config[col] = st.column_config.LinkColumn(
                label, display_text=r"https?://(?:www\.)?([^/]+)", help=_("Opens the source"))
        elif col in ("fatalities", "events", "unknown_toll", "attacks_on_foreign_forces",
                     "sites", "personnel", "fatalities_low", "fatalities_high"):
            config[col] = st.column_config.NumberColumn(label, format="%d", help=tip)
        else:
            config[col] = st.column_config.TextColumn(
                label, help=tip, width="large" if col in _WIDE else None)
    return config


@contextmanager
def folded(label: str, key: str) -> Iterator[bool]:
    """A closed expander whose content the page sends only once the reader opens it (yields
    whether it is open; its state is `key` in the session state). Why: a data grid or a chart
    below the fold costs a first visit more than the rest of a page (docs/bench_ui.md)."""
    with st.expander(label, key=key, on_change="rerun") as box:
        yield box.open


def table(frame: pd.DataFrame, key: str, columns: list[str] | None = None,
          newest_first: str | None = None, fold: str | None = None, **kwargs) -> object:
    """A data table as every page shows one: readable headers, the newest row first when the
    table has a date, source addresses as links (only http(s); anything else as text). With
    `fold` (what the table holds), the table is `folded` ("Table: … (n rows)", state
    `<key>_open`): pages whose tables back up a chart fold them."""
    if fold is not None:
        rows = ngettext("{n} row", "{n} rows", len(frame)).format(n=number(len(frame)))
        # Translators: the title of a folded table: {what} says what it holds ("every troop
        # figure with its source"), {rows} is "12 rows"
        with folded(_("Table: {what} ({rows})").format(what=fold, rows=rows),
                    f"{key}_open") as is_open:
            return table(frame, key, columns, newest_first, **kwargs) if is_open else None
    cols = [c for c in (columns or list(frame.columns)) if c in frame.columns]
    shown = frame
    if newest_first and newest_first in frame.columns:
        shown = frame.sort_values(newest_first, ascending=False, kind="stable",
                                  na_position="last")
    if "source_url" in cols:
        shown = shown.assign(source_url=http_links(shown["source_url"]))
    if {"fatalities", "fatalities_qualifier"} <= set(cols):  # a blank toll reads "unknown"
        unknown = pd.to_numeric(shown["fatalities"], errors="coerce").isna()
        shown = shown.assign(fatalities_qualifier=shown["fatalities_qualifier"].astype(
            "string").mask(unknown, "unknown"))
    if i18n.current() != i18n.DEFAULT:  # the app's own values in the reader's language
        text = [c for c in cols if c != "source_url" and (
            shown[c].dtype == object or pd.api.types.is_string_dtype(shown[c]))]
        shown = shown.assign(**{c: shown_all(shown[c].astype(object)) for c in text})
    return st.dataframe(shown, hide_index=True, key=key, column_order=cols,
                        column_config=column_config(cols), **kwargs)


def event_record(record: pd.Series, key: str) -> None:
    """One event in full: every field shown as text (never Markdown or HTML), then its source
    as a link when it is an http(s) address."""
    values = [v.strftime("%Y-%m-%d") if isinstance(v, pd.Timestamp) else ("" if pd.isna(v) else
              figure_shown(str(v))) for v in record]  # the app's own values translated
    fields = [_(COLUMN_LABELS[c]) if c in COLUMN_LABELS else c for c in record.index]
    detail = pd.DataFrame({"field": fields, "value": values})
    # the frame keeps its column names; the headers are shown in the reader's language
    st.dataframe(detail, hide_index=True, key=key,
                 # Translators: the headers of one event's record: each field's name, its value
                 column_config={"field": st.column_config.TextColumn(_("field")),
                                "value": st.column_config.TextColumn(_("value"))},
                 height=35 * (len(detail) + 1) + 3)  # every field at once, no inner scrolling
    url = http_links(pd.Series([record["source_url"]])).iloc[0]
    if not pd.isna(url):  # the table above shows any other address as text
        st.link_button(_("Open the source"), url)


# ---------------------------------------------------------------- text and links from data

_MD_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")  # every ASCII punctuation mark
# where GFM would still turn plain text into a link (https://…, www.…, a@b.c): escapes do not
# stop it (it runs on the parsed text), a zero-width space there does
_AUTOLINK = re.compile(r"(?i)(?<=:)(?=//)|(?<=www)(?=\.)|(?<=@)")


def md_escape(text: object) -> str:
    """Text for Streamlit's Markdown elements (caption, warning, error), shown as typed: a link
    parameter or a file must not add links, images or formatting to the app's own words."""
    return md_escape_all(pd.Series([str(text)], dtype=object)).iloc[0]


def md_escape_all(texts: pd.Series) -> pd.Series:
    """`md_escape` of every text of a column, vectorised (the one definition of the escape)."""
    flat = texts.astype(str).str.split().str.join(" ")
    return flat.str.replace(_AUTOLINK, "\u200b", regex=True).str.replace(
        _MD_PUNCTUATION, r"\\\1", regex=True)


def feed_labels(latest: pd.DataFrame) -> pd.Series:
    """One line per event of a feed (`aggregate.feed`): date · what happened · where · toll, as
    plain text (a blank toll reads "toll unknown", never 0)."""
    deaths = pd.to_numeric(latest["fatalities"], errors="coerce").astype(float)
    # Translators: an event's toll in the list of the newest events
    toll = deaths.map(lambda x: ngettext("{n} death", "{n} deaths", int(x)).format(n=number(x))
                      if pd.notna(x) else "").astype(str)
    # the direction names are the app's own: shown translated
    what = latest["direction"].astype(str).map(_)
    return (latest["event_date"].dt.strftime("%Y-%m-%d").astype(str) + " · "
            + what + " · " + latest["location"].astype(str) + " · "
            # Translators: an event's toll in the list of the newest events, when no source
            # gives a figure
            + toll.where(deaths.notna(), _("toll unknown")))


FEED_CLASS = "geo-feed"


def event_feed(latest: pd.DataFrame, key: str, height: int = 470) -> None:
    """A newest-first list of events beside a map, and a picker that opens one's record below
    (`SELECTED_EVENT`, as a click on the map does). Text, not a data grid: the grid's code
    costs a first visit more than the map does (docs/bench_ui.md). The list scrolls in a
    region the keyboard can reach and scroll (WCAG 2.1.1; a Streamlit container of fixed height
    takes no focus), named for screen readers; its text is escaped, never read as HTML."""
    if latest.empty:
        st.caption(_("No event matches the filter."))
        return
    labels = feed_labels(latest)
    items = "".join(f"<li>{html.escape(text)}</li>" for text in labels.str.split().str.join(" "))
    # Translators: what a screen reader says for the scrolling list of events beside the map
    name = html.escape(_("Newest events, newest first"))
    st.html(f'<div class="{FEED_CLASS}" role="region" tabindex="0" aria-label="{name}" '
            f'style="max-height: {int(height)}px"><ul>{items}</ul></div>')
    names = dict(zip(latest["event_id"], labels, strict=True))
    # Translators: a picker under the list of the newest events: read one event's record
    st.selectbox(_("Read one"), list(names), index=None, key=key, format_func=names.get,
                 placeholder=_("Pick an event to read its record"), on_change=_pick_event,
                 args=(key,))


def _pick_event(key: str) -> None:
    if st.session_state.get(key):
        st.session_state[SELECTED_EVENT] = st.session_state[key]


def http_links(urls: pd.Series) -> pd.Series:
    """The http(s) addresses of `urls`, anything else (javascript:, data:, blank) as <NA>: a
    link column opens whatever it holds, and the store is read without re-validation."""
    text = urls.astype("string")
    return text.where(text.str.match(HTTP_URL).fillna(False).astype(bool), pd.NA)


# ---------------------------------------------------------------- page furniture

def timeline_figure(data: Data, tl: pd.DataFrame, **kwargs) -> go.Figure:
    """A page's timeline: the key dates and milestones, and the data's coverage shaded; the
    axis is the filter's period when dates are set."""
    period = filter_period(data, st.session_state.get("filter"))
    return figures.timeline_chart(tl, key_dates(data), coverage=events_coverage(data),
                                  period=period, dark=is_dark(), **kwargs)


def filter_period(data: Data, f: Filter | None) -> tuple[pd.Timestamp, pd.Timestamp] | None:
    """The filter's (start, end) when it sets dates; None when it leaves the dates open."""
    if f is None or not (f.start or f.end):
        return None
    lo, hi = _date_bounds(data)
    return pd.Timestamp(f.start or lo), pd.Timestamp(f.end or hi)


def key_dates(data: Data) -> pd.DataFrame:
    return aggregate.key_dates(data.events, data.transition, data.milestones)


def events_coverage(data: Data) -> tuple[pd.Timestamp, pd.Timestamp] | None:
    """First and last event date over the curated and imported events (for timelines)."""
    rows = data.coverage[data.coverage["table"].isin(["events", "imported events"])].dropna()
    return (rows["first"].min(), rows["last"].max()) if len(rows) else None


# Translators: the command in backquotes is typed as it is: keep it unchanged
NEEDS_DISTRICTS = N_("The disputed territories and the jurisdiction filter need district "
                     "boundaries: install a set with them, e.g. OCHA's COD-AB (`geo boundaries "
                     "install irq_adm_cso_20190603_SHP.zip`, see README). Nothing is shown for "
                     "them until then.")


def page_header(title: str, data: Data, f: Filter, shown: int | None = None) -> None:
    """Title plus the data's coverage dates and the active filter, on every page."""
    st.title(title, anchor=CONTENT_ANCHOR)
    parts = [coverage_text(data.coverage)]
    if shown is not None and data.repeats is not None and len(data.repeats):
        repeats = len(data.repeats)
        # Translators: in every page's header: records of one dataset (ACLED, UCDP, the
        # curated table) that describe an event another one holds, counted once
        parts.append(ngettext("{n} record that repeats another dataset's event not counted again",
                              "{n} records that repeat another dataset's event not counted again",
                              repeats).format(n=number(repeats)))
    if shown is not None:
        total = len(data.events)
        # Translators: in every page's header: {shown} events pass the filter out of {total}
        # (the plural form follows {total})
        parts.append(ngettext("{shown} of {total} event shown", "{shown} of {total} events shown",
                              total).format(shown=i18n.localise_digits(str(shown)),
                                            total=i18n.localise_digits(str(total))))
    # Translators: in every page's header; {filter} is the active filter in words
    parts.append(_("Filter: {filter}").format(
        filter=filters.describe(f, admin1_names(data), district_labels(data))))
    # md_escape: the filter holds whatever a shared link's ?actor= said
    st.caption(md_escape(" · ".join(parts)))
    lang_notice = st.session_state.get("_lang_notice")
    for notice in [*url_notices(data), *([lang_notice] if lang_notice else [])]:
        # Translators: a warning on top of a page: a value of the link (URL) was not used;
        # {notice} says which and why
        st.warning(_("Link parameter ignored: {notice}").format(notice=md_escape(notice)),
                   icon="⚠️")
    if (f.jurisdictions or "disputed" in f.layers) and data.admin2 is None:
        st.info(_(NEEDS_DISTRICTS), icon="🗺️")
    if data.boundary_error:
        # Translators: {error} says why the boundaries the operator installed could not be used
        st.warning(_("Custom boundaries not used: {error}. Showing the embedded "
                     "governorates.").format(error=md_escape(data.boundary_error)))


def url_notices(data: Data) -> list[str]:
    """What the link the session opened with said that could not be used, in the reader's
    language: read again from the link's parameters as they were at the first run (the URL
    has been rewritten since), so a language change also changes the notices."""
    seeded = st.session_state.get("_url_params")
    if seeded is None:
        return list(st.session_state.get("_url_notices", []))
    return filters.from_query_params(*seeded)[1]


PHONE_WIDTH = 360  # px of map on a phone held upright (390 px screen less the page margins)


def on_phone() -> bool:
    """Whether the viewer's browser says it is a phone: "Mobi" in the user agent (MDN's advice)
    or the `Sec-CH-UA-Mobile: ?1` client hint. The server cannot measure the window, and a map
    zoomed for a desktop column cuts Iraq's west off on a phone (docs/decisions.md)."""
    try:
        headers = st.context.headers
    except AttributeError:
        return False
    return "Mobi" in headers.get("User-Agent", "") or headers.get("Sec-CH-UA-Mobile") == "?1"


def map_size(desktop_width: int, desktop_height: int) -> dict[str, int]:
    """Width, height and legend columns of a map: lower and one legend entry a row on a phone,
    so the map and its legend fit the first screens."""
    if on_phone():
        return {"width": PHONE_WIDTH, "height": 400, "legend_columns": 1}
    return {"width": desktop_width, "height": desktop_height, "legend_columns": 2}


def map_bounds(data: Data, f: Filter, events: pd.DataFrame) -> dict[str, float] | None:
    """What a filtered map should show: the filtered events and the chosen governorates, with a
    margin (`figures.extent`); None (all of Iraq) without a filter."""
    if f.is_default() or (not len(events) and not f.admin1):
        return None
    lon, lat = events["longitude"].to_numpy(float), events["latitude"].to_numpy(float)
    chosen = data.admin1[data.admin1["admin1_code"].isin(f.admin1)]
    if len(chosen):
        w, s, e, n = chosen.total_bounds
        lon, lat = np.append(lon, [w, e]), np.append(lat, [s, n])
    return figures.extent(lon, lat)


def main_map(data: Data, f: Filter, events: pd.DataFrame, sites: pd.DataFrame, metric: str,
             rings_km: tuple[float, ...], width: int = 700, height: int = 520,
             districts: bool = False) -> tuple[go.Figure, str | None]:
    """The Map page's figure, cached per filter like every page figure (`cached_figure`), and
    its level-of-detail note. The layers in the key are the usable ones (the basemap drops out
    offline). With `districts` (an installed district set), the boundaries and the choropleth
    are the districts'."""
    layers = usable_layers(f.layers)
    polys = data.admin1
    if districts and data.admin2 is not None:
        polys, events, sites = district_view(data, events, sites)
    surges = flagged_areas(data, surge_alerts(data, f, districts), districts) \
        if "alerts" in layers else None
    fig = cached_figure("main_map", lambda: figures.map_page_figure(
        figures.MapData(polys, data.regions, events, sites, disputed=disputed_areas(data),
                        alerts=surges),
        data.deployments,
        figures.MapSpec(layers, metric=metric, rings_km=rings_km, dark=is_dark(),
                        bounds=map_bounds(data, f, events), **map_size(width, height))),
        metric, rings_km, layers, width, height, districts)
    return fig, lod_note(fig, len(events))


def district_labels(data: Data) -> dict[str, str]:
    """District code -> "District (Governorate)", sorted by governorate then district."""
    if data.admin2 is None:
        return {}
    table = data.admin2.assign(gov=data.admin2["admin1_code"].map(admin1_names(data)).fillna("?"),
                               name=figures.district_names(data.admin2)).sort_values(["gov", "name"])
    return dict(zip(table["admin2_code"].astype(str), table["name"] + " (" + table["gov"] + ")",
                    strict=True))


def district_polygons(data: Data) -> gpd.GeoDataFrame:
    """The districts shaped like governorates (admin1_code = the district's code, region = its
    jurisdiction), so the governorate maps and tables draw and count them."""
    d = data.admin2
    shaped = gpd.GeoDataFrame({
        "admin1_code": d["admin2_code"].astype(str).to_numpy(),
        "admin1_name": d["admin2_name"].astype(str).to_numpy(),
        # the map's labels in Arabic and Kurdish (figures.LOCAL_NAME_COLUMNS): OCHA's ADM2_AR
        "name_ar": d.get("admin2_name_ar", pd.Series("", index=d.index)).fillna("").to_numpy(),
        "parent": d["admin1_code"].map(data.admin1_names).to_numpy()},
        geometry=d.geometry.to_numpy(), crs=d.crs)
    region = d["admin1_code"].map(dict(zip(data.admin1["admin1_code"], data.admin1["region"],
                                           strict=True)))
    codes = disputed.disputed_codes(d)
    shaped["region"] = np.where(d["admin2_code"].astype(str).isin(codes), DISPUTED,
                                region.fillna("").to_numpy())
    return shaped


def disputed_areas(data: Data) -> gpd.GeoDataFrame | None:
    """The disputed districts' polygons of the installed district set, or None without one."""
    if data.admin2 is None:
        return None
    return data.admin2[data.admin2["admin2_code"].astype(str).isin(
        disputed.disputed_codes(data.admin2))]


def cached_figure(name: str, build: Callable[[], go.Figure], *key: object) -> go.Figure:
    """A page's figure, built once per (name, data version, filter, theme, `key`): every other
    visit with the same filter (a shared link opened again, a page switched back to, a widget
    elsewhere on the page changed) reuses it. `key` must hold whatever else `build` reads."""
    f = st.session_state.get("filter")
    fkey = tuple(sorted(filters.to_query_params(f).items())) if f is not None else ()
    return _cached_figure(name, data_version(), fkey, is_dark(), on_phone(), key,
                          (i18n.current(), i18n.localise_digits("0")), _build=build)


@st.cache_data(max_entries=64, show_spinner=False)
def _cached_figure(name: str, version: tuple, fkey: tuple, dark: bool, phone: bool, key: tuple,
                   lang: tuple, *, _build: Callable[[], go.Figure]) -> go.Figure:
    return _build()


SUMMARY_ANCHOR = "summary"


def chart(where, fig: go.Figure, title: str, summary: bool = False, **kwargs) -> object:
    """A chart or map, with its text alternative under it (what it shows for this filter and its
    main figures, `figures.alternatives`) and the data it draws one click away as a table
    (WCAG 1.1.1). With `summary`, the description also links the page's story sentences, which
    say in words what the chart draws. `where` is st or a column; `kwargs` go to `plotly_chart`."""
    kwargs.setdefault("config", {"displaylogo": False})
    shown = where.plotly_chart(fig, **kwargs)
    described = md_escape(alternatives.describe(fig, title))
    if summary:
        # Translators: a link under the Overview's map and timeline to the story sentences
        link = _("The summary of this view")
        described += f" [{md_escape(link)}](#{SUMMARY_ANCHOR})"
    where.caption(described)
    # Translators: a folded section under every chart and map: the values it draws, as a table
    with where.expander(_("Data behind this chart")):
        st.table(alternatives.chart_table(fig))
    return shown


def lod_note(fig: go.Figure, n_events: int) -> str | None:
    """Say so when a map shows grid cells instead of events (`geo.spatial.lod`), or groups
    crowded events into circles with counts (`figures.cluster_style`)."""
    sizes = [t.meta["cell_deg"] for t in fig.data if isinstance(t.meta, dict) and "cell_deg" in t.meta]
    if sizes:
        # Translators: {size} is a grid cell's side in degrees, {km} about how many km that is,
        # {limit} the most events the map draws one by one
        return ngettext("{n} event is drawn as {size}° grid cells (about {km} km across); "
                        "filter to {limit} or fewer to see individual events.",
                        "{n} events are drawn as {size}° grid cells (about {km} km across); "
                        "filter to {limit} or fewer to see individual events.", n_events).format(
            n=i18n.number(n_events), size=i18n.localise_digits(f"{sizes[0]:g}"),
            km=i18n.number(sizes[0] * lod.KM_PER_DEGREE), limit=i18n.number(lod.POINT_LIMIT))
    grouped = any(t.type == "scattermap" and t.cluster.enabled for t in fig.data)
    return figures.cluster_note(n_events) if grouped else None


def story(events: pd.DataFrame, data: Data, f: Filter) -> None:
    """The Overview's generated sentences and the transition status strip. Data text (publishers)
    is escaped: it is shown as typed, never as Markdown."""
    said = narrative.sentences(events, data.troop_levels, filter_period(data, f),
                               events_coverage(data))
    # Translators: the heading of the Overview's story sentences, linked from its charts
    st.header(_("In short"), anchor=SUMMARY_ANCHOR)
    st.markdown(md_escape(" ".join(said)))
    phases = narrative.transition_status(data.transition)
    for column, phase in zip(st.columns(len(phases) or 1), phases, strict=False):
        if phase.deadline is not None:
            # Translators: a transition phase's card: the date its plan set for the end
            deadline = _("deadline {date}").format(date=day(phase.deadline, "dd MMM y"))
        else:
            # Translators: a transition phase's card: its plan gives no end date
            deadline = _("no deadline stated")
        # Translators: the title of a transition phase's card: {phase} is 1 or 2, {area} where
        # the phase applies (Federal Iraq, Kurdistan Region)
        title = _("Phase {phase} · {area}").format(phase=number(phase.phase), area=_(phase.area))
        with column.container(border=True, key=f"phase_{phase.phase}"):
            st.markdown(f"**{md_escape(title)}** — {md_escape(deadline)}")
            # Translators: under a transition phase's card: {outcome} what was last reported
            # ("reported complete on 18 Jan 2026"), {publisher} the outlet that reported it
            st.caption(md_escape(_("{outcome} (source: {publisher})").format(
                outcome=phase.outcome, publisher=i18n.isolate(phase.source_publisher))))


def surge_alerts(data: Data, f: Filter, districts: bool = False) -> pd.DataFrame:
    """Surge alerts for the filter (`geo.app.alerts`): every criterion but the dates (the
    baseline needs the year before), as of the filter's end or the last event. With
    `districts`, per district of the installed set, under the governorate column names."""
    fkey = tuple(sorted(filters.to_query_params(replace(f, start=None, end=None,
                                                        layers=())).items()))
    cover = events_coverage(data)
    end = min(pd.Timestamp(f.end), cover[1]) if f.end and cover else (cover[1] if cover else None)
    return _surge_alerts(data_version(), fkey, end, districts and data.admin2 is not None,
                         _data=data, _f=replace(f, start=None, end=None))


@st.cache_data(max_entries=16, show_spinner=False)
def _surge_alerts(version: tuple, fkey: tuple, as_of: pd.Timestamp | None, districts: bool, *,
                  _data: Data, _f: Filter) -> pd.DataFrame:
    from geo.app.alerts import alerts

    cols = ["event_date", "event_type", "sub_event_type", "admin1_code"]
    if districts:  # keyed by district in admin1_code, as `district_view` does for the maps
        events = filters.apply(_data.events, _f, columns=[*cols, "admin2_code"])
        events, areas = events.assign(admin1_code=events["admin2_code"]), district_polygons(_data)
    else:
        events, areas = filters.apply(_data.events, _f, columns=cols), _data.admin1
    return alerts(events, pd.DataFrame(areas[["admin1_code", "admin1_name"]]), as_of)


def flagged_areas(data: Data, table: pd.DataFrame, districts: bool = False) -> gpd.GeoDataFrame:
    """The polygons of the flagged areas with their alert columns (the Map's alerts layer)."""
    polys = district_polygons(data) if districts and data.admin2 is not None else data.admin1
    flagged = table[table["flag"] != ""].drop(columns="admin1_name")
    return polys[["admin1_code", "admin1_name", "geometry"]].merge(flagged, on="admin1_code")


def admin1_names(data: Data) -> dict[str, str]:
    """Governorate code -> name in the reader's language (the boundary set's Arabic or Kurdish
    name; English where a set has none), for what the page writes. Filters, URLs and downloads
    keep the codes and English names."""
    english = data.admin1["admin1_name"].astype(str)
    lang = i18n.current()
    if lang in figures.LOCAL_NAME_COLUMNS:
        english = figures.local_names(english, data.admin1, figures.LOCAL_NAME_COLUMNS[lang])
    return dict(zip(data.admin1["admin1_code"], english, strict=True))


def alerts_caption(data: Data, table: pd.DataFrame) -> None:
    """One paragraph: the window, the flagged areas with their counts, and a warning when the
    window runs past the data (missing is not quiet)."""
    from geo.app.alerts import flag_text

    start, end = table.attrs["window"]
    flagged = table[table["flag"] != ""]
    if flagged.empty:
        said = _("no governorate flagged")
    else:
        # Translators: one flagged area of the surge alerts: {area} a governorate's name, {n}
        # its violent events in the last 4 weeks, {mean} the 4-week mean of the year before
        # ("1.5"), {flag} which rule flagged it ("ACLED rule; unlikely at baseline")
        said = "; ".join(ngettext("{area} {n} violent event against {mean} ({flag})",
                                  "{area} {n} violent events against {mean} ({flag})",
                                  int(last)).format(area=name, n=number(int(last)),
                                                    mean=number(mean, 1), flag=flag_text(flag))
                         for name, last, mean, flag
                         in zip(flagged["admin1_code"].map(admin1_names(data)).fillna(
                                    flagged["admin1_name"]).map(i18n.isolate), flagged["last_4w"],
                                flagged["baseline_4w_mean"], flagged["flag"], strict=True))
    # Translators: the Overview's and the Map's surge alerts: {end} the last day of the 4 weeks,
    # {alerts} the flagged areas ("Anbar 6 violent events against 1.5 (ACLED rule)", joined
    # by "; ") or "no governorate flagged"
    st.markdown(md_escape(_("Surge alerts, 4 weeks to {end} against the 4-week mean of the 52 "
                            "weeks before: {alerts}.").format(end=day(end, "dd MMM y"),
                                                              alerts=said)),
                # Translators: the help of the surge alerts; docs/analyst_tools.md is a file
                help=_("ACLED rule: at least twice the year's 4-week mean, where that mean is at "
                       "least one event. Unlikely at baseline: a negative binomial (or Poisson) "
                       "tail probability below 1 %, which also speaks for small counts. Violent "
                       "events only (no peaceful protests). Method: docs/analyst_tools.md."))
    today = pd.Timestamp.today().normalize()
    if end < today - pd.Timedelta(days=7):
        days = int((today - end).days)
        # Translators: under the surge alerts when the data stop before today: {end} the last
        # event's date, {n} the days from then to today
        st.caption(ngettext("These are the data's last 4 weeks: the events end on {end}, and "
                            "the {n} day since is missing, not quiet.",
                            "These are the data's last 4 weeks: the events end on {end}, and "
                            "the {n} days since are missing, not quiet.",
                            days).format(end=day(end, "dd MMM y"), n=number(days)))


EXPOSURE_RADII = (10, 25, 50, 100)


def exposure_section(data: Data, f: Filter, sites: pd.DataFrame) -> None:
    """Deployments page: one site's status periods with the attacks around it (figure), and
    the exposure table of every period and radius (`geo exposure` prints the same)."""
    from geo.app import exposure

    placed = sites.dropna(subset=["latitude", "longitude"])
    with_rows = placed[placed["site_id"].isin(data.deployments["site_id"])].sort_values("name")
    if with_rows.empty:
        st.info(_("No foreign-force site with a position matches the filter."))
        return
    names = dict(zip(with_rows["site_id"], with_rows["name"], strict=True))
    c1, c2 = st.columns([3, 2])
    # Translators: a foreign-force site (a base, an embassy) to read the attacks around
    site_id = c1.selectbox(_("Site"), list(names), format_func=names.get, key="exp_site")
    # Translators: distances around the site within which attacks are counted
    radii = tuple(sorted(c2.multiselect(_("Radii (km)"), EXPOSURE_RADII, default=[10, 25, 50],
                                        format_func=number, key="exp_radii") or [25]))
    events = filters.apply(data.events, replace(f, start=None, end=None, admin1=(), regions=(),
                                                jurisdictions=(), admin2=()),
                           columns=[c for c in exposure.EVENT_COLUMNS if c in data.events])
    rows = exposure.exposure(events, data.sites, data.deployments, radii, [site_id])
    site = with_rows.set_index("site_id").loc[site_id]
    periods = rows.drop_duplicates("period_start")[["status", "period_start", "period_end"]]
    near = exposure.attacks_near(events, site, max(radii))
    cover = events_coverage(data)
    chart(st, figures.exposure_timeline(periods, near, radii, cover),
          # Translators: the title of a chart of the events near one site, over time
          _("Events near the site over time"), key="exp_timeline")
    # Translators: under the site exposure chart: bands and ticks are what the chart draws
    st.caption(_("Bands: the site's reported status (plans are not counted). Ticks: attacks on "
                 "US/coalition and diplomatic sites at their distance from the site. Each row "
                 "below compares a period's attack rate with the period before, with an exact "
                 "95 % interval; the note says when counts are too small to conclude. The place "
                 "filters do not apply here (the rings cross governorate lines); the other "
                 "filters do."))
    # the table shows its notes translated; the download keeps the values (`exposure.shown`)
    table(exposure.shown(rows.drop(columns=["site_id"])), "exp_table",
          fold=_("every period and radius"))
    st.download_button(_("Download the exposure table (CSV)"), to_csv_text(rows),
                       file_name=f"iraq_site_exposure_{site_id}.csv", mime="text/csv",
                       key="exp_download")


def boundary_caveat() -> None:
    """Credit and caveat of the boundaries in use: an installed set's, or the embedded one's."""
    st.caption(md_escape(installed.attribution() or i18n._(BOUNDARY_CAVEAT)))


@st.cache_data(ttl=600, show_spinner=False)
def basemap_reachable(host: str = "tile.openstreetmap.org", timeout: float = 1.5) -> bool:
    """Can the tile server be reached? Plotly gives up drawing a map whose tiles fail to load,
    so offline the basemap layer is dropped (with a notice) rather than breaking the map."""
    import socket

    try:
        with socket.create_connection((host, 443), timeout=timeout):
            return True
    except OSError:
        return False


def usable_layers(layers: tuple[str, ...]) -> tuple[str, ...]:
    if "basemap" in layers and not basemap_reachable():
        st.info(_("The online basemap is not reachable from here, so the map is drawn without "
                  "it."))
        return tuple(x for x in layers if x != "basemap")
    return layers


def is_dark() -> bool:
    try:
        return st.context.theme.type == "dark"
    except AttributeError:
        return False


def with_layers(f: Filter, *layers: str) -> Filter:
    return replace(f, layers=tuple(dict.fromkeys((*f.layers, *layers))))
