"""Maps: the offline MapLibre style, its labels, fitting a view to the page, every map trace and
the maps the pages draw (`layered_map`, `map_page_figure`, `overview_map`, `animated_map`).

Maps use MapLibre traces on an inline style (water, neighbouring countries, rivers and cities
from a file the app serves itself; our own glyphs), with an explicit centre and zoom, so they
draw with no outside network. The optional OpenStreetMap raster layer shows nothing offline.
"""

from __future__ import annotations

import base64
import hashlib
import json
import math
from dataclasses import dataclass, field, replace
from functools import cache

import geopandas as gpd
import numpy as np
import pandas as pd
import plotly.graph_objects as go
import shapely
from pyproj import Geod

from geo.app import aggregate
from geo.app.alerts import flag_text
from geo.app.direction import COLUMN as DIRECTION
from geo.app.figures.common import (
    EVENT_TYPE_COLORS,
    REGION_COLORS,
    SITE_COLOR,
    direction_colors,
    legend_order,
    numbers,
    plain,
    shown,
    shown_all,
    word,
)
from geo.app.figures.shaping import has_arabic_script, shaped
from geo.data import i18n
from geo.data.i18n import N_, _, localise_digits, month, ngettext, number
from geo.spatial import context, lod

IRAQ_BOUNDS = {"west": 38.79, "east": 48.57, "south": 29.06, "north": 37.38}
IRAQ_CENTER = {"lat": 33.3, "lon": 43.7}
FILL_OPACITY = 0.25
OSM_TILES = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
_GEOD = Geod(ellps="WGS84")


GLYPHS_URL = "app/static/glyphs/{fontstack}/{range}.pbf"  # served by Streamlit from static/
CONTEXT_URL = context.URL
LABEL_FONT = "DejaVu Sans Book"


# Colours of the geography around the events: quiet, so the data stays in front.
_CONTEXT_COLORS = {
    False: {"water": "#DCEAF5", "land": "#F4F3EF", "iraq": "#FFFFFF", "border": "#8C8C8C",
            "river": "#6FA8DC", "river_text": "#2B6CB0", "country_text": "#7A7A7A",
            "city": "#333333", "city_text": "#555555", "admin1_text": "#1F1F1F",
            "site_text": "#00664A", "halo": "#FFFFFF"},
    True: {"water": "#0D2233", "land": "#1A1D24", "iraq": "#0E1117", "border": "#6B7280",
           "river": "#3A78B5", "river_text": "#8CC4F2", "country_text": "#9CA3AF",
           "city": "#E5E7EB", "city_text": "#C4C8CF", "admin1_text": "#F3F4F6",
           "site_text": "#5EEAB5", "halo": "#0E1117"},
}


# The names the context file writes (countries, rivers): translated in Arabic and Kurdish.
CONTEXT_NAMES = (N_("Armenia"), N_("Azerbaijan"), N_("Iran"), N_("Jordan"), N_("Kuwait"),
                 N_("Lebanon"), N_("Saudi Arabia"), N_("Syria"), N_("Turkey"), N_("Euphrates"),
                 N_("Tigris"), N_("Shatt al-Arab"))


def _context_name(upcase: bool = False) -> list:
    """The style expression for a context feature's name: in Arabic and Kurdish the translated
    and shaped name (`shaping`), else the file's English (upper case for countries)."""
    name = ["get", "name"]
    if not i18n.is_rtl():
        return ["upcase", name] if upcase else name
    pairs = [x for n in CONTEXT_NAMES for x in (n, shaped(_(n)))]
    return ["match", name, *pairs, name]


@cache
def _city_names() -> pd.DataFrame:
    from geo.data.paths import REPO_ROOT

    return context.local_city_names(REPO_ROOT)


def _city_name() -> list:
    """The style expression for a city's label: in Arabic the town's Arabic name from GeoNames,
    in Kurdish its Sorani name or else the Arabic one (same script), shaped (`shaping`); else,
    and where GeoNames has neither (the neighbours' towns), the file's Latin label."""
    name = ["get", "name"]
    lang = i18n.current()
    if lang not in i18n.RTL:
        return name
    cities = _city_names()
    local = cities["name_ar"] if lang == "ar" else cities["name_ckb"].where(
        cities["name_ckb"] != "", cities["name_ar"])
    pairs = [x for label, text in zip(cities["name"], local, strict=True) if text
             for x in (label, shaped(text))]
    return ["match", name, *pairs, name] if pairs else name


def map_style(dark: bool = False, labels: pd.DataFrame | None = None) -> dict:
    """Inline MapLibre style, nothing fetched from another host: water, the neighbouring
    countries, lakes, the Tigris and Euphrates and major cities from the built context file
    (`geo.spatial.context`, served by Streamlit beside our own glyphs), then the `labels` of the
    figure's own governorates and sites (`map_labels`). MapLibre hides a label that would
    collide with another, top layer first (sites, then governorates, then cities), so labels
    show where they fit and more appear on zoom. Plotly's own text traces cannot do that: they
    are drawn over each other."""
    c = _CONTEXT_COLORS[dark]
    kind = ["get", "kind"]
    font = [LABEL_FONT]

    def spacing(em: float) -> float:
        # letters of a joined (cursive) script must touch: no tracking in Arabic and Kurdish
        return 0.0 if i18n.is_rtl() else em

    def only(value: str) -> list:
        return ["==", kind, value]

    return {"version": 8, "id": f"iraq-offline-{'dark' if dark else 'light'}", "name": "offline",
            "sources": {"context": {"type": "geojson", "data": CONTEXT_URL,
                                    "attribution": "Natural Earth · GeoNames, SimpleMaps (CC BY 4.0)"},
                        "labels": {"type": "geojson", "data": _label_features(labels)}},
            "glyphs": GLYPHS_URL, "layers": [
        {"id": "background", "type": "background", "paint": {"background-color": c["water"]}},
        {"id": "land", "type": "fill", "source": "context", "filter": only("land"),
         "paint": {"fill-color": ["case", ["==", ["get", "name"], "Iraq"], c["iraq"], c["land"]]}},
        {"id": "borders", "type": "line", "source": "context", "filter": only("land"),
         "paint": {"line-color": c["border"], "line-width": 0.8}},
        {"id": "lakes", "type": "fill", "source": "context", "filter": only("lake"),
         "paint": {"fill-color": c["water"], "fill-outline-color": c["river"]}},
        {"id": "rivers", "type": "line", "source": "context", "filter": only("river"),
         "paint": {"line-color": c["river"],
                   "line-width": ["case", ["==", ["get", "name"], ""], 1.0, 1.8]}},
        {"id": "river-names", "type": "symbol", "source": "context",
         "filter": ["all", only("river"), ["!=", ["get", "name"], ""]],
         "layout": {"symbol-placement": "line", "text-field": _context_name(), "text-font": font,
                    "text-size": 12, "symbol-spacing": 400},
         "paint": {"text-color": c["river_text"], "text-halo-color": c["halo"],
                   "text-halo-width": 1.2}},
        {"id": "country-names", "type": "symbol", "source": "context", "filter": only("country"),
         "layout": {"text-field": _context_name(upcase=True), "text-font": font,
                    "text-size": 12, "text-letter-spacing": spacing(0.15)},
         "paint": {"text-color": c["country_text"], "text-halo-color": c["halo"],
                   "text-halo-width": 1}},
        {"id": "city-dots", "type": "circle", "source": "context", "filter": only("city"),
         "paint": {"circle-radius": 2.5, "circle-color": c["city"]}},
        {"id": "city-names", "type": "symbol", "source": "context", "filter": only("city"),
         "layout": {"text-field": _city_name(), "text-font": font,
                    "text-size": ["case", ["==", ["get", "role"], "national capital"], 13, 11],
                    "symbol-sort-key": ["get", "rank"],
                    "text-variable-anchor": ["left", "right", "top", "bottom"],
                    "text-radial-offset": 0.5},
         "paint": {"text-color": c["city_text"], "text-halo-color": c["halo"],
                   "text-halo-width": 1.2}},
        {"id": "governorate-names", "type": "symbol", "source": "labels",
         "filter": ["==", kind, "admin1"],
         "layout": {"text-field": ["get", "name"], "text-font": font, "text-size": 13,
                    "text-letter-spacing": spacing(0.04)},
         "paint": {"text-color": c["admin1_text"], "text-halo-color": c["halo"],
                   "text-halo-width": 1.5}},
        {"id": "site-names", "type": "symbol", "source": "labels", "filter": ["==", kind, "site"],
         "layout": {"text-field": ["get", "name"], "text-font": font, "text-size": 11,
                    "text-variable-anchor": ["left", "right", "top", "bottom"],
                    "text-radial-offset": 0.7},
         "paint": {"text-color": c["site_text"], "text-halo-color": c["halo"],
                   "text-halo-width": 1.5}},
    ]}


def _label_features(labels: pd.DataFrame | None) -> dict:
    """Label points as an inline GeoJSON FeatureCollection (a few dozen points)."""
    rows = [] if labels is None else labels[["lon", "lat", "name", "kind"]].to_numpy().tolist()
    return {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"name": str(name), "kind": kind},
         "geometry": {"type": "Point", "coordinates": [round(float(x), 5), round(float(y), 5)]}}
        for x, y, name, kind in rows]}


# Where a governorate's name in each language comes from: the boundary set's own columns
# (OCHA's Arabic names when a set is installed; the embedded table's Arabic and Kurdish names).
LOCAL_NAME_COLUMNS = {"ar": ("name_ar",), "ckb": ("name_ku", "name_ar")}


# A district's: OCHA's Arabic name when the installed set has one (ADM2_AR); Kurdish readers get
# it too, as for the sites: OCHA gives no Kurdish names, and Arabic script reads better to them
# than Latin.
DISTRICT_NAME_COLUMNS = {"ar": ("admin2_name_ar",), "ckb": ("admin2_name_ar",)}


def district_names(districts: pd.DataFrame) -> pd.Series:
    """The districts' names in the reader's language (English where the set has none)."""
    english = districts["admin2_name"].astype(str)
    columns = DISTRICT_NAME_COLUMNS.get(i18n.current())
    return local_names(english, districts, columns) if columns else english


def local_names(names: pd.Series, frame: pd.DataFrame, columns: tuple[str, ...]) -> pd.Series:
    """The first non-blank name among `columns` of `frame`, else the English one: a missing
    name falls back visibly, in Latin letters, never to nothing."""
    out = pd.Series(np.nan, index=names.index, dtype=object)
    for column in columns:
        if column in frame:
            out = out.fillna(frame[column].where(frame[column].astype(str).str.strip() != ""))
    return out.fillna(names).astype(str)


def site_local_names(sites: pd.DataFrame, english: pd.Series) -> pd.Series:
    """A site's name in Arabic script: its first Arabic-script alias (sites.csv gives the names
    Arabic sources use, e.g. قاعدة عين الأسد الجوية), else the English short name. Kurdish uses
    it too: the curated aliases hold no Kurdish names yet, and Arabic script reads to a Kurdish
    reader better than Latin."""
    if "aliases" not in sites:
        return english
    first = sites["aliases"].fillna("").astype(str).str.split("|").map(
        lambda names: next((n.strip() for n in names if has_arabic_script(n)), ""))
    return first.where(first != "", english)


def map_labels(admin1: gpd.GeoDataFrame | None, sites: pd.DataFrame | None,
               lang: str | None = None) -> pd.DataFrame:
    """The names a map writes: governorates at a point inside each, sites at their position,
    in `lang` (default the reader's): Arabic and Kurdish names shaped for MapLibre
    (`shaping`). Style text is not HTML, so names need no escaping here."""
    lang = lang or i18n.current()
    parts = []
    if admin1 is not None and len(admin1):
        pts = admin1.geometry.representative_point()
        names = admin1["admin1_name"].astype(str)
        if lang in LOCAL_NAME_COLUMNS:
            names = local_names(names, admin1, LOCAL_NAME_COLUMNS[lang])
        parts.append(pd.DataFrame({"lon": pts.x, "lat": pts.y, "name": names,
                                   "kind": "admin1"}))
    if sites is not None and len(sites):
        placed = sites[sites["latitude"].notna()]
        # The name up to its first bracket or slash ("Kirkuk Air Base (FOB Warrior) / Kirkuk
        # International Airport" -> "Kirkuk Air Base"): the full name is in the hover.
        short = placed["name"].astype(str).str.split(r" \(| / ", regex=True).str[0]
        if lang in LOCAL_NAME_COLUMNS:
            short = site_local_names(placed, short)
        parts.append(pd.DataFrame({"lon": placed["longitude"], "lat": placed["latitude"],
                                   "name": short, "kind": "site"}))
    if not parts:
        return pd.DataFrame(columns=["lon", "lat", "name", "kind"])
    labels = pd.concat(parts, ignore_index=True)
    if lang in i18n.RTL:
        labels["name"] = labels["name"].map(shaped)
    return labels


def _mercator_y(lat: float) -> float:
    """Web Mercator y of a latitude, in radians."""
    return math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))


def fit_zoom(bounds: dict[str, float], height: int, width: int | None = None,
             margin: float = 0.92) -> float:
    """MapLibre zoom that fits `bounds` in a height x width px map (512 px world at zoom 0)."""
    lat_span = math.degrees(_mercator_y(bounds["north"]) - _mercator_y(bounds["south"]))
    lon_span = bounds["east"] - bounds["west"]
    width = width or int(height * 1.6)
    z_lat = math.log2(height * margin * 360 / (lat_span * 512))
    z_lon = math.log2(width * margin * 360 / (lon_span * 512))
    return round(min(z_lat, z_lon), 2)


def extent(lon: np.ndarray, lat: np.ndarray, pad: float = 0.12, min_span: float = 3.0
           ) -> dict[str, float]:
    """Bounds that show the given points with a margin and at least `min_span` degrees each way
    (a few events in one town still show the towns around them); never wider than Iraq with its
    neighbours' edges. Iraq's bounds when there is no point."""
    ok = np.isfinite(lon) & np.isfinite(lat)
    if not ok.any():
        return dict(IRAQ_BOUNDS)
    w, e, s, n = lon[ok].min(), lon[ok].max(), lat[ok].min(), lat[ok].max()
    cx, cy = (w + e) / 2, (s + n) / 2
    half_x = max((e - w) * (1 + 2 * pad), min_span) / 2
    half_y = max((n - s) * (1 + 2 * pad), min_span) / 2
    frame = {"west": IRAQ_BOUNDS["west"] - 3, "east": IRAQ_BOUNDS["east"] + 3,
             "south": IRAQ_BOUNDS["south"] - 3, "north": IRAQ_BOUNDS["north"] + 3}
    return {"west": max(cx - half_x, frame["west"]), "east": min(cx + half_x, frame["east"]),
            "south": max(cy - half_y, frame["south"]), "north": min(cy + half_y, frame["north"])}


def center_of(bounds: dict[str, float]) -> dict[str, float]:
    """The centre of `bounds` on a Mercator map (the middle latitude in Mercator, not degrees)."""
    mid = (_mercator_y(bounds["north"]) + _mercator_y(bounds["south"])) / 2
    lat = math.degrees(2 * math.atan(math.exp(mid)) - math.pi / 2)
    return {"lat": round(lat, 4), "lon": round((bounds["west"] + bounds["east"]) / 2, 4)}


def geojson_url(collection: dict) -> str:
    """A GeoJSON FeatureCollection as a data: URL, which plotly.js fetches like any URL. Why: a
    nested dict of coordinates is deep-copied by Plotly several times per figure (a thousand
    grid cells cost a third of a second); one string is copied for free. Same bytes on the wire."""
    text = json.dumps(collection, separators=(",", ":"), allow_nan=False)
    return "data:application/geo+json;base64," + base64.b64encode(text.encode()).decode("ascii")


_GEOJSON_MEMO: dict[str, str] = {}


def _geojson(gdf: gpd.GeoDataFrame, key: str) -> str:
    """Polygons as a GeoJSON data: URL, remembered per (keys, geometry): every rerun of every
    map page draws the same governorates."""
    wkb = shapely.to_wkb(gdf.geometry.to_numpy())
    sig = hashlib.sha1(b"|".join([*(str(k).encode() for k in gdf[key]), *wkb])).hexdigest()
    if sig not in _GEOJSON_MEMO:
        if len(_GEOJSON_MEMO) > 16:
            _GEOJSON_MEMO.clear()
        _GEOJSON_MEMO[sig] = geojson_url(json.loads(gdf[[key, "geometry"]].to_json(drop_id=True)))
    return _GEOJSON_MEMO[sig]


def _lines(gdf: gpd.GeoDataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Polygon boundaries as one line trace: coordinates joined by NaN breaks (numpy arrays,
    which Plotly passes on as one binary block instead of copying a list item by item)."""
    rings = gdf.geometry.boundary.explode(index_parts=False).to_numpy()
    xy, which = shapely.get_coordinates(rings, return_index=True)
    return _with_breaks(xy[:, 0], which), _with_breaks(xy[:, 1], which)


def _with_breaks(values: np.ndarray, part: np.ndarray) -> np.ndarray:
    """NaN after the last value of each part: plotly.js does not connect across NaN."""
    ends = np.flatnonzero(np.diff(part)) + 1
    return np.insert(values.astype(float), np.append(ends, len(values)), np.nan)


def boundary_trace(admin1: gpd.GeoDataFrame, dark: bool = False) -> go.Choroplethmap:
    """Governorates with a light fill by region; hover shows the names; clickable."""
    codes = list(admin1["admin1_code"])
    # Only the Kurdistan Region is tinted: a blue federal Iraq read as water beside the rivers.
    colors = admin1["region"].map(_shading(dark)).fillna("#BBBBBB").tolist()
    scale = [[i / max(len(codes) - 1, 1), c] for i, c in enumerate(colors)]
    return go.Choroplethmap(
        geojson=_geojson(admin1, "admin1_code"), featureidkey="properties.admin1_code",
        locations=codes, z=list(range(len(codes))), colorscale=scale, showscale=False,
        marker={"opacity": FILL_OPACITY, "line": {"width": 0.8,
                                                  "color": "#BBBBBB" if dark else "#555555"}},
        customdata=np.stack([plain(admin1["admin1_name"]), plain(shown_all(admin1["region"]))],
                            axis=1),
        hovertemplate="%{customdata[0]}<br>%{customdata[1]}<extra></extra>",
        name=_("Governorates"), showlegend=False,
    )


DISPUTED_COLOR = "#D55E00"  # Okabe-Ito vermilion: apart from the regions' blue and the events


def disputed_trace(districts: gpd.GeoDataFrame) -> go.Choroplethmap:
    """The disputed districts (Article 140) as a hatched-looking orange fill with an outline;
    hover names each district; in the legend."""
    codes = districts["admin2_code"].astype(str).tolist()
    return go.Choroplethmap(
        geojson=_geojson(districts.assign(admin2_code=codes), "admin2_code"),
        featureidkey="properties.admin2_code", locations=codes, z=[1] * len(codes),
        colorscale=[[0, DISPUTED_COLOR], [1, DISPUTED_COLOR]], showscale=False,
        marker={"opacity": 0.22, "line": {"width": 1.6, "color": DISPUTED_COLOR}},
        customdata=np.stack([plain(district_names(districts))], axis=1),
        hovertemplate="%{customdata[0]}: " + _("disputed territory (Article 140)")
                      + "<extra></extra>",
        name=_("Disputed territories (Article 140, UNAMI 2009)"), showlegend=True)


ALERT_COLOR = "#CC79A7"  # Okabe-Ito reddish purple: apart from the disputed orange and the events


def alert_trace(flagged: gpd.GeoDataFrame) -> go.Choroplethmap:
    """Governorates (or districts) with a surge alert: outlined and lightly filled; hover says
    the counts and which flag."""
    codes = flagged["admin1_code"].astype(str).tolist()
    # Translators: a surge alert in a map's hover; {name} is a governorate, {n} the violent events
    # of the last 4 weeks, {mean} the mean of a 4-week period in the year before, {flag} why
    # it was flagged
    text = [ngettext("{name}: {n} violent event in the last 4 weeks against {mean} a 4-week "
                     "period in the year before ({flag})",
                     "{name}: {n} violent events in the last 4 weeks against {mean} a 4-week "
                     "period in the year before ({flag})", int(last)).format(
                name=n, n=number(int(last)), mean=number(mean, 1), flag=flag_text(flag))
            for n, last, mean, flag in zip(
                plain(flagged["admin1_name"]), flagged["last_4w"], flagged["baseline_4w_mean"],
                flagged["flag"], strict=True)]
    return go.Choroplethmap(
        geojson=_geojson(flagged.assign(admin1_code=codes), "admin1_code"),
        featureidkey="properties.admin1_code", locations=codes, z=[1] * len(codes),
        colorscale=[[0, ALERT_COLOR], [1, ALERT_COLOR]], showscale=False,
        marker={"opacity": 0.25, "line": {"width": 2.4, "color": ALERT_COLOR}},
        customdata=np.stack([text], axis=1), hovertemplate="%{customdata[0]}<extra></extra>",
        name=_("Surge alert (last 4 weeks)"), showlegend=True)


def _shading(dark: bool) -> dict[str, str]:
    """Region -> fill: only the Kurdistan Region is tinted, federal Iraq is the land colour."""
    return {"Kurdistan Region": REGION_COLORS["Kurdistan Region"],
            "Federal Iraq": _CONTEXT_COLORS[dark]["iraq"]}


def region_key_traces(dark: bool = False) -> list[go.Scattermap]:
    """Legend-only entries for the governorates' fill: the Kurdistan Region is tinted, federal
    Iraq is not."""
    border = _CONTEXT_COLORS[dark]["border"]
    return [go.Scattermap(lat=[None], lon=[None], mode="markers", name=_(name), hoverinfo="skip",
                          marker={"size": 12, "color": color, "opacity": 0.6 if tint else 1})
            for name, color, tint in (
                (N_("Kurdistan Region (shading)"), REGION_COLORS["Kurdistan Region"], True),
                (N_("Federal Iraq (no shading)"), border, False))]


def choropleth_trace(admin1: gpd.GeoDataFrame, table: pd.DataFrame, metric: str, label: str
                     ) -> go.Choroplethmap:
    """Governorates filled by `metric` of `table` (Cividis, reversed: more is darker, and it
    reads with the common colour-vision deficiencies); a governorate absent from `table` is 0."""
    merged = admin1[["admin1_code", "admin1_name", "geometry"]].merge(
        table[["admin1_code", metric]], on="admin1_code", how="left")
    values = merged[metric].fillna(0).astype(float)
    return go.Choroplethmap(
        geojson=_geojson(merged, "admin1_code"), featureidkey="properties.admin1_code",
        locations=merged["admin1_code"], z=values, colorscale="Cividis", reversescale=True,
        marker={"opacity": 0.75, "line": {"width": 0.8, "color": "#555555"}},
        colorbar={"title": {"text": label}, "thickness": 12, "len": 0.6},
        customdata=np.stack([plain(merged["admin1_name"]), values], axis=1),
        hovertemplate="%{customdata[0]}<br>" + label + ": %{customdata[1]}<extra></extra>",
        name=label,
    )


def region_outline_trace(regions: gpd.GeoDataFrame, dark: bool = False) -> go.Scattermap:
    """The Kurdistan Region / federal Iraq line, heavy, in the theme's ink."""
    lons, lats = _lines(regions)
    return go.Scattermap(lon=lons, lat=lats, mode="lines", hoverinfo="skip",
                         line={"width": 2.5, "color": "#F5F5F5" if dark else "#222222"},
                         name=_("Kurdistan Region / federal Iraq line"))


# Issue 23 — a readable map at any size. An event's circle is bounded by what the view can hold:
# never wider than LARGEST_KM on the ground at the map's fitted zoom, and smaller the more
# markers there are; above CLUSTER_LIMIT markers MapLibre groups crowded events into circles
# with counts (docs/decisions.md).
EARTH_KM = 40_075.017  # the equator, WGS84
# the widest an event's circle may be on the ground: narrower than 9 in 10 of Iraq's districts
# (OCHA's 101 districts: a circle of equal area spans 35 km at the 10th percentile, 52 km at
# the median)
LARGEST_KM = 35.0
LARGEST_PX = 8 + 4 * math.sqrt(50)  # the old largest circle (~36 px), for views zoomed far in
SMALLEST_PX = 3.0  # still a visible dot
SMALLEST_SHARE = 0.6  # of the largest: a toll-less event stays visible, a big toll still shows
DEATHS_FOR_LARGEST = 50  # sizes stop growing at this toll
FULL_SIZE_MARKERS = 300  # up to this many markers (the curated set's size) keep full sizes
CLUSTER_LIMIT = 1_000  # above this many event markers, crowded events are grouped
CLUSTER_STEPS = [10, 100, 1000]  # events per cluster where its circle grows
CLUSTER_RADII = [9, 11, 14, 17]  # px: room for a count of 1, 2, 3 and 4 characters ("1.7k")
COUNT_LUMINANCE = 0.10  # a cluster at least this light shows its black count at 3:1 (WCAG)


def px_per_km(zoom: float, lat: float = 33.0) -> float:
    """Screen pixels per kilometre on a MapLibre map at `zoom` (a 512 px world at zoom 0),
    at latitude `lat`."""
    return 512 * 2 ** zoom / (EARTH_KM * math.cos(math.radians(lat)))


def marker_bounds(n_markers: int, zoom: float, lat: float = 33.0) -> tuple[float, float]:
    """(smallest, largest) diameter in px of an event's circle on a map at `zoom` that draws
    `n_markers` events. Why: a toll-sized circle of fixed pixels (up to 36 px) covered whole
    governorates at country zoom once thousands of events were drawn. The largest circle spans
    at most LARGEST_KM on the ground; both bounds shrink by a quarter for every tenfold more
    markers than FULL_SIZE_MARKERS, down to half; the smallest is at most SMALLEST_SHARE of the
    largest, so size still tells the toll on a small map."""
    crowd = min(1.0, max(0.5, 1 - 0.25 * math.log10(max(n_markers, 1) / FULL_SIZE_MARKERS)))
    largest = max(min(LARGEST_KM * px_per_km(zoom, lat), LARGEST_PX) * crowd, 2 * SMALLEST_PX)
    smallest = max(SMALLEST_PX, min(8.0 * crowd, largest * SMALLEST_SHARE))
    return round(smallest, 2), round(largest, 2)


def marker_sizes(deaths: pd.Series, bounds: tuple[float, float]) -> np.ndarray:
    """Diameters within `bounds`, growing with the square root of the toll (area ~ deaths) up
    to DEATHS_FOR_LARGEST; an unknown toll gets the smallest circle."""
    smallest, largest = bounds
    share = np.sqrt(deaths.astype("float64").fillna(0).clip(0, DEATHS_FOR_LARGEST).to_numpy()
                    / DEATHS_FOR_LARGEST)
    return smallest + (largest - smallest) * share


def clustered(n_markers: int, limit: int = CLUSTER_LIMIT) -> bool:
    """Whether a map of `n_markers` events groups crowded ones. Why 1,000: at the Map page's
    country zoom Iraq is about 116,000 px², and 1,000 circles of the bounded mean size (~7 px)
    would cover a third of it even if none overlapped."""
    return n_markers > limit


def markers_of(events: pd.DataFrame) -> int:
    """How many event markers a map draws: the events with both coordinates."""
    lat = pd.to_numeric(events["latitude"], errors="coerce")
    lon = pd.to_numeric(events["longitude"], errors="coerce")
    return int((lat.notna() & lon.notna()).sum())


def cluster_note(n_events: int) -> str:
    """What a reader is told when the map groups events (the Map page shows it above the map)."""
    # Translators: above a map; {limit} is the number of events above which they are grouped
    return ngettext("{n} event: where they crowd, they are grouped into circles with their count, "
                    "in their direction's colour. Zoom in, or filter to {limit} or fewer, to see "
                    "each event.",
                    "{n} events: where they crowd, they are grouped into circles with their count, "
                    "in their direction's colour. Zoom in, or filter to {limit} or fewer, to see "
                    "each event.", n_events).format(n=number(n_events), limit=number(CLUSTER_LIMIT))


def cluster_style(color: str, zoom: float) -> dict:
    """Plotly's MapLibre clustering for one event trace: circles with counts, in the trace's
    colour lightened just enough that Plotly's black count reads on it (black becomes a dark
    grey). Clusters come apart into single events two zoom levels above `zoom` at most
    (`maxzoom` is the last zoom that clusters; MapLibre wants a whole number)."""
    return {"enabled": True, "maxzoom": math.floor(zoom) + 1, "step": CLUSTER_STEPS,
            "size": CLUSTER_RADII, "color": readable_under_black(color), "opacity": 0.9}


def _luminance(rgb: np.ndarray) -> float:
    """WCAG relative luminance of an sRGB colour given as 0..1 floats."""
    linear = np.where(rgb <= 0.04045, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)
    return float(linear @ np.array([0.2126, 0.7152, 0.0722]))


def readable_under_black(color: str) -> str:
    """`color` (#RRGGBB) mixed with white in the smallest step that makes black text on it
    reach COUNT_LUMINANCE; unchanged when it already does."""
    rgb = np.array([int(color[i:i + 2], 16) for i in (1, 3, 5)])
    for white in np.linspace(0, 1, 41):
        mixed = np.round(rgb + (255 - rgb) * white)
        if _luminance(mixed / 255) >= COUNT_LUMINANCE:
            break
    return "#" + "".join(f"{int(c):02X}" for c in mixed)


def _text(frame: pd.DataFrame, column: str) -> pd.Series:
    """A text column for hover labels, escaped; blank when the frame does not carry it."""
    return plain(frame[column]) if column in frame else pd.Series("", index=frame.index)


def event_traces(events: pd.DataFrame, dark: bool = False,
                 sizes: tuple[float, float] | None = None,
                 cluster_zoom: float | None = None) -> list[go.Scattermap]:
    """One trace per direction of violence (or event type when no direction was derived), so
    the legend explains the colours; size ~ fatalities within `sizes` (`marker_bounds`; by
    default those of all of Iraq on a default map). With `cluster_zoom` (the map's fitted
    zoom) crowded events are grouped into circles with counts in their direction's colour
    (`cluster_style`). Hover: date and type, place, who against whom, the target, the toll and
    the source; `customdata[0]` is the event id (click → record). A cluster has no hover and no
    customdata: clicking one never opens a record."""
    by = DIRECTION if DIRECTION in events else "event_type"
    colors = direction_colors(dark) if by == DIRECTION else EVENT_TYPE_COLORS
    sizes = sizes or marker_bounds(len(events), MapSpec().zoom)
    unknown, arab = _("unknown"), localise_digits("1") != "1"
    hover = ("<b>%{customdata[1]}</b> · %{customdata[2]}<br>%{customdata[3]}<br>"
             "%{customdata[4]} → %{customdata[5]}<br>"
             # Translators: in an event's hover label; {target} is what was attacked
             + _("target: {target}").format(target="%{customdata[6]}") + "<br>"
             # Translators: in an event's hover label; {deaths} is the toll or "unknown"
             + _("deaths: {deaths}").format(deaths="%{customdata[7]}") + "<br>"
             # Translators: in a chart's hover label; {source} is the publisher
             + _("source: {source}").format(source="%{customdata[8]}") + "<extra></extra>")
    traces = []
    for value in legend_order(events[by]):
        grp = events[events[by].astype(str) == value]
        deaths = grp["fatalities"].astype("float64")
        size = marker_sizes(deaths, sizes)
        color = colors.get(value, "#999999")
        qualifier = (grp["fatalities_qualifier"].fillna("").astype(str)
                     if "fatalities_qualifier" in grp else pd.Series("", index=grp.index))
        figure = deaths.map(lambda d: "" if pd.isna(d) else f"{d:.0f}")
        toll = np.where(deaths.isna(), unknown,
                        (figure.map(localise_digits) if arab else figure) + np.where(
                            qualifier.isin(["at least", "estimate"]),
                            " (" + shown_all(qualifier) + ")", ""))
        sub_type = (plain(shown_all(grp["sub_event_type"])) if "sub_event_type" in grp
                    else pd.Series("", index=grp.index))
        custom = np.stack([grp["event_id"].astype(str), grp["event_date"].dt.strftime("%Y-%m-%d"),
                           sub_type, *(_text(grp, c) for c in ("location", "actor1", "actor2",
                                                               "target")),
                           toll, _text(grp, "source_publisher")], axis=1)
        traces.append(go.Scattermap(
            lat=grp["latitude"], lon=grp["longitude"], mode="markers",
            marker={"size": size, "color": color, "opacity": 0.85},
            cluster=(cluster_style(color, cluster_zoom) if cluster_zoom is not None
                     else None),
            customdata=custom, name=shown(value), legendrank=1001 + len(traces),
            hovertemplate=hover,
        ))
    if cluster_zoom is not None:
        # Directions share places (a source puts a town's events on one point), so their
        # clusters overlap and MapLibre shows only the top count: draw the direction with the
        # most events last, so the count shown is the largest. The legend keeps its order.
        traces.sort(key=lambda t: len(t.lat))
    return traces


def density_trace(events: pd.DataFrame, radius: int = 25) -> go.Densitymap:
    """Heat of events weighted by 1 + deaths: an event with an unknown toll still counts."""
    weight = 1 + events["fatalities"].astype("float64").fillna(0)
    return go.Densitymap(lat=events["latitude"], lon=events["longitude"], z=weight, radius=radius,
                         colorscale="Inferno", reversescale=True, showscale=False, opacity=0.6,
                         name=_("Event density (weighted by fatalities)"), hoverinfo="skip")


def cell_trace(cells: pd.DataFrame, size: float, dark: bool = False) -> go.Choroplethmap:
    """Occupied grid cells as squares coloured by log10(events): the map at scale (`geo.spatial.lod`)."""
    ids = np.arange(len(cells)).astype(str)
    x0, y0 = cells["lon0"].to_numpy(float), cells["lat0"].to_numpy(float)
    ring = np.stack([np.stack([x0, y0], 1), np.stack([x0 + size, y0], 1),
                     np.stack([x0 + size, y0 + size], 1), np.stack([x0, y0 + size], 1),
                     np.stack([x0, y0], 1)], axis=1).round(5)
    geojson = geojson_url({"type": "FeatureCollection", "features": [
        {"type": "Feature", "id": i, "geometry": {"type": "Polygon", "coordinates": [r]}}
        for i, r in zip(ids, ring.tolist(), strict=True)]})
    count = cells["events"].to_numpy(float)
    top = max(float(np.log10(count.max())), 1.0) if len(count) else 1.0
    ticks = [t for t in range(int(top) + 1)]
    custom = np.stack([(y0 + size / 2).round(2).astype(str), (x0 + size / 2).round(2).astype(str),
                       numbers(cells["events"]), numbers(cells["fatalities"]),
                       plain(shown_all(cells["top_type"]))], axis=1)
    deg = localise_digits(f"{size:g}")
    return go.Choroplethmap(
        geojson=geojson, locations=ids, z=np.log10(count), zmin=0, zmax=top,
        colorscale="Inferno", reversescale=not dark,
        marker={"opacity": 0.8, "line": {"width": 0}},
        colorbar={"title": {"text": _("events per cell")}, "thickness": 12, "len": 0.6,
                  "tickvals": ticks, "ticktext": [number(10 ** t) for t in ticks]},
        # Translators: a map legend entry; {size} is the grid cells' size in degrees, e.g. 0.1
        customdata=custom, name=_("Events ({size}° cells)").format(size=deg),
        meta={"cell_deg": size},
        # Translators: a grid cell's hover label; {size} in degrees, {lat} and {lon} its centre
        hovertemplate=(_("{size}° cell at {lat}°N {lon}°E").format(
                           size=deg, lat="%{customdata[0]}", lon="%{customdata[1]}") + "<br>"
                       # Translators: a grid cell's hover label; the chart fills in the numbers
                       + _("{events} events, {deaths} known fatalities").format(
                           events="%{customdata[2]}", deaths="%{customdata[3]}") + "<br>"
                       # Translators: a grid cell's commonest event type, e.g. "most often: Battles"
                       + _("most often: {kind}").format(kind="%{customdata[4]}")
                       + "<extra></extra>"),
    )


def cell_density_trace(cells: pd.DataFrame, size: float, radius: int = 25) -> go.Densitymap:
    """The density layer at scale: cell centres weighted like single events (1 + fatalities)."""
    return go.Densitymap(lat=cells["lat0"] + size / 2, lon=cells["lon0"] + size / 2,
                         z=cells["weight"], radius=radius, colorscale="Inferno",
                         reversescale=True, showscale=False, opacity=0.6,
                         name=_("Event density (weighted by fatalities)"), hoverinfo="skip",
                         meta={"cell_deg": size})


def site_trace(sites: pd.DataFrame, personnel: pd.Series | None = None) -> go.Scattermap:
    """Foreign-force sites as green circles (their names are style labels, `map_labels`); size
    grows with published personnel where known."""
    placed = sites[sites["latitude"].notna()]
    people = (personnel.reindex(placed["site_id"]).to_numpy(dtype=float)
              if personnel is not None else np.full(len(placed), np.nan))
    size = np.where(np.isnan(people), 12, 12 + 3 * np.sqrt(np.nan_to_num(people) / 50))
    # Translators: a site's hover label; {n} is the latest published number of personnel
    published = _("personnel (latest published): {n}")
    label = [_("personnel: not published") if np.isnan(n) else published.format(n=number(int(n)))
             for n in people]
    return go.Scattermap(
        lat=placed["latitude"], lon=placed["longitude"], mode="markers",
        marker={"size": size, "color": SITE_COLOR, "opacity": 0.9},
        customdata=np.stack([plain(placed["name"]), plain(shown_all(placed["kind"])), label],
                            axis=1),
        hovertemplate="%{customdata[0]}<br>%{customdata[1]}<br>%{customdata[2]}<extra></extra>",
        name=_("Foreign-force sites"),
    )


def ring_trace(sites: pd.DataFrame, radii_km: tuple[float, ...], points: int = 72) -> go.Scattermap:
    """Geodesic circles around sites (attack ranges), drawn as one line trace."""
    placed = sites[sites["latitude"].notna()]
    az = np.linspace(0, 360, points + 1)
    n = len(placed)
    part = np.repeat(np.arange(n * len(radii_km)), points + 1)
    lon0 = np.tile(np.repeat(placed["longitude"].to_numpy(float), points + 1), len(radii_km))
    lat0 = np.tile(np.repeat(placed["latitude"].to_numpy(float), points + 1), len(radii_km))
    dist = np.repeat(np.asarray(radii_km, dtype=float) * 1000.0, n * (points + 1))
    lon, lat, _back_az = _GEOD.fwd(lon0, lat0, np.tile(az, n * len(radii_km)), dist)
    lons, lats = _with_breaks(lon, part), _with_breaks(lat, part)
    km = localise_digits(", ".join(f"{r:g}" for r in radii_km))
    return go.Scattermap(lon=lons, lat=lats, mode="lines", hoverinfo="skip",
                         line={"width": 1.2, "color": "#CC79A7"},
                         # Translators: a map legend entry; {radii} lists the rings' radii,
                         # e.g. "10, 25, 50"
                         name=_("Rings {radii} km").format(radii=km))


def _no_points() -> pd.DataFrame:
    """An empty point frame: a map without events or sites."""
    return pd.DataFrame(columns=["latitude", "longitude"])


@dataclass(frozen=True, eq=False)
class MapData:
    """The frames a map draws from. Only `admin1` is required: a page passes what its layers
    need (the Deployments map has no events, the Regions map no points)."""

    admin1: gpd.GeoDataFrame
    regions: gpd.GeoDataFrame | None = None
    events: pd.DataFrame = field(default_factory=_no_points)
    sites: pd.DataFrame = field(default_factory=_no_points)
    table: pd.DataFrame | None = None  # per governorate, for the choropleth
    personnel: pd.Series | None = None  # latest published personnel by site_id
    disputed: gpd.GeoDataFrame | None = None  # the disputed districts, for the "disputed" layer
    alerts: gpd.GeoDataFrame | None = None  # areas with a surge alert, for the "alerts" layer


@dataclass(frozen=True)
class MapSpec:
    """How a map is drawn: its layers, metric, rings, size, theme and view. One value instead of
    a long list of keyword arguments, so a page states its map in one place and a new option
    reaches every map without touching every caller."""

    layers: tuple[str, ...] = ()
    metric: str = "events"
    metric_label: str | None = None  # None: the metric's label in `aggregate.METRICS`
    rings_km: tuple[float, ...] = ()
    height: int = 620
    width: int | None = None  # the expected width in pixels, for the zoom; Plotly fills its box
    dark: bool = False
    point_limit: int = lod.POINT_LIMIT
    bounds: dict[str, float] | None = field(default=None, hash=False)  # None: all of Iraq
    legend_columns: int = 2
    cluster_limit: int = CLUSTER_LIMIT  # above this many event markers, crowded ones are grouped

    @property
    def view(self) -> dict[str, float]:
        """The extent the map fits: `bounds`, or Iraq."""
        return self.bounds or IRAQ_BOUNDS

    @property
    def zoom(self) -> float:
        """The zoom at which `view` fits the map's expected size (`fit_zoom`)."""
        return fit_zoom(self.view, self.height, self.width)

    @property
    def label(self) -> str:
        """The metric's label in the choropleth's colour bar and hover, in the reader's language."""
        return self.metric_label or word(aggregate.METRICS.get(self.metric, self.metric))


def layered_map(data: MapData, spec: MapSpec) -> go.Figure:
    """The map with `spec.layers`, drawn bottom to top. The centre and zoom are chosen so that
    `spec.view` fits a `spec.width` x `spec.height` map. Above `spec.point_limit` events, events
    and density are drawn from grid cells (`geo.spatial.lod`)."""
    layers, dark, events, sites = spec.layers, spec.dark, data.events, data.sites
    admin1 = data.admin1
    fig = go.Figure()
    cells, size = None, None
    if lod.use_cells(len(events), spec.point_limit) and {"events", "density"} & set(layers):
        cells, size = lod.grid_cells(events)
    if "choropleth" in layers and data.table is not None:
        fig.add_trace(choropleth_trace(admin1, data.table, spec.metric, spec.label))
    elif "boundaries" in layers:
        fig.add_trace(boundary_trace(admin1, dark))
    if "boundaries" in layers and "choropleth" not in layers:
        fig.add_traces(region_key_traces(dark))
    if "boundaries" in layers and "choropleth" in layers:
        lons, lats = _lines(admin1)
        fig.add_trace(go.Scattermap(lon=lons, lat=lats, mode="lines", hoverinfo="skip",
                                    line={"width": 0.8, "color": "#555555"}, showlegend=False,
                                    name=_("Governorate lines")))
    if "regions" in layers and data.regions is not None:
        fig.add_trace(region_outline_trace(data.regions, dark))
    if "disputed" in layers and data.disputed is not None and len(data.disputed):
        fig.add_trace(disputed_trace(data.disputed))
    if "alerts" in layers and data.alerts is not None and len(data.alerts):
        fig.add_trace(alert_trace(data.alerts))
    if "density" in layers and len(events):
        fig.add_trace(density_trace(events) if cells is None else cell_density_trace(cells, size))
    if "rings" in layers and spec.rings_km and len(sites):
        fig.add_trace(ring_trace(sites, spec.rings_km))
    if "sites" in layers and len(sites):
        fig.add_trace(site_trace(sites, data.personnel))
    if "events" in layers and cells is not None:
        fig.add_trace(cell_trace(cells, size, dark))
    elif "events" in layers and len(events):
        # Sizes and grouping follow how many markers the fitted view must hold (issue 23).
        n, zoom = markers_of(events), spec.zoom
        fig.add_traces(event_traces(
            events, dark, marker_bounds(n, zoom, center_of(spec.view)["lat"]),
            zoom if clustered(n, spec.cluster_limit) else None))
    # Every MapLibre symbol layer asks for glyphs of its font: point them all at the shipped one.
    fig.update_traces(textfont_family=LABEL_FONT, selector={"type": "scattermap"})
    view = spec.view
    labels = map_labels(admin1 if "labels" in layers else None,
                        sites if "sites" in layers else None)
    map_layout: dict = {"style": map_style(dark, labels),
                        "center": IRAQ_CENTER if spec.bounds is None else center_of(view),
                        "zoom": spec.zoom}
    if "basemap" in layers:
        map_layout["layers"] = [{"below": "traces", "sourcetype": "raster", "source": [OSM_TILES],
                                 "sourceattribution": "© OpenStreetMap contributors",
                                 "opacity": 0.8}]
    # The legend goes under the map, two entries a row (one on a phone), so its height is known
    # whatever the width: drawn over the map it hid the south of Iraq, and on a phone most of it.
    entries = sum(1 for t in fig.data if t.showlegend is not False)
    columns = spec.legend_columns
    legend_px = 22 * math.ceil(entries / columns) + 8 if entries else 0
    fig.update_layout(
        map=map_layout, height=spec.height + legend_px,
        margin={"l": 0, "r": 0, "t": 0, "b": legend_px},
        legend={"orientation": "h", "y": -0.01, "x": 0.0, "yanchor": "top",
                "entrywidth": 1 / columns, "entrywidthmode": "fraction",
                "font": {"size": 11}},
        # The user's pan and zoom are kept across reruns until the extent to show changes.
        uirevision="map-" + ",".join(f"{v:.3f}" for v in view.values()),
        clickmode="event+select",
    )
    return fig


MAP_COLUMNS = ("event_id", "event_date", "event_type", "sub_event_type", "location", "actor1",
               "actor2", "target", "fatalities", "fatalities_qualifier", "source_publisher",
               "latitude", "longitude", "admin1_code", "admin1_name", "region",
               aggregate.ATTACK_COLUMN, DIRECTION, "admin2_code", "jurisdiction")


def map_columns(events: pd.DataFrame) -> list[str]:
    """The columns the maps and the governorate table read: what a map page needs to filter."""
    return [c for c in MAP_COLUMNS if c in events.columns]


def map_page_figure(data: MapData, deployments: pd.DataFrame, spec: MapSpec) -> go.Figure:
    """Everything the Map page draws for a filtered set of events (the app and `geo bench`): the
    governorate table for the choropleth and the sites' personnel are derived here, so the app
    and the benchmark time the same work."""
    table = aggregate.admin1_table(data.events, data.sites, data.admin1)
    return layered_map(replace(data, table=table,
                               personnel=aggregate.latest_personnel(deployments)), spec)


OVERVIEW_LAYERS = ("boundaries", "events", "sites", "labels")


def overview_map(data: MapData, spec: MapSpec) -> go.Figure:
    """A compact map: governorates with their names, events and sites, whatever `spec.layers`
    says (the Overview is a summary; the Map page has the layer choices)."""
    return layered_map(data, replace(spec, layers=OVERVIEW_LAYERS))


def animated_map(data: MapData, spec: MapSpec, freq: str = "MS") -> go.Figure:
    """Client-side animation of `data.events` through periods: the frames play in the browser,
    no reruns. Every period from the first event to the last is a frame, empty ones included
    (a quiet month must look quiet, not be skipped). The view is all of Iraq in every frame,
    and the play buttons and slider sit under the map, not on it. Above `spec.point_limit`
    events each frame shows grid cells (coarse: every frame is sent at once)."""
    events, dark = data.events, spec.dark
    base = layered_map(MapData(data.admin1),
                       replace(spec, layers=("boundaries",), bounds=None, legend_columns=2))
    step = "M" if freq == "MS" else "W"
    periods = events["event_date"].dt.to_period(step)
    order = (list(pd.period_range(periods.min(), periods.max(), freq=step)) if len(events)
             else [])
    if lod.use_cells(len(events), spec.point_limit):
        lon, lat, *_rest = lod.points_of(events)
        size = lod.cell_size(lon, lat, max_columns=lod.MAX_COLUMNS // 3)
        cells = [lod.grid_cells(events[periods == p], size)[0] for p in order]
        biggest = max((int(c["events"].max()) for c in cells if len(c)), default=1)
        traces = [_frame_cells(c, size, biggest) for c in cells]
    else:  # one size scale for every frame: the bounds of the busiest period at Iraq's zoom
        busiest = int(periods.value_counts().max()) if len(events) else 0
        sizes = marker_bounds(busiest, replace(spec, bounds=None).zoom, IRAQ_CENTER["lat"])
        traces = [_frame_points(events[periods == p], dark, sizes) for p in order]
    frames = [go.Frame(name=f"{p.start_time:%Y-%m-%d}", data=[t], traces=[1])
              for p, t in zip(order, traces, strict=True)]
    base.add_trace(_frame_points(events.iloc[:0], dark))
    counts = periods.value_counts()
    steps = [{"args": [[fr.name], {"frame": {"duration": 0, "redraw": True}, "mode": "immediate"}],
              "label": (month(p.start_time) if freq == "MS" else fr.name)
              + f" ({number(int(counts.get(p, 0)))})", "method": "animate"}
             for p, fr in zip(order, frames, strict=True)]
    base.frames = frames
    controls = 90
    base.update_layout(
        height=spec.height + controls, margin={"l": 0, "r": 0, "t": 0, "b": controls},
        showlegend=False,
        updatemenus=[{"type": "buttons", "direction": "left", "x": 0.0, "y": -0.01,
                      "xanchor": "left", "yanchor": "top", "showactive": False, "buttons": [
            {"label": "▶ " + _("Play"), "method": "animate",
             "args": [None, {"frame": {"duration": 700, "redraw": True}, "fromcurrent": True}]},
            {"label": "❚❚ " + _("Pause"), "method": "animate",
             "args": [[None], {"frame": {"duration": 0, "redraw": False}, "mode": "immediate"}]},
        ]}],
        sliders=[{"steps": steps, "x": 0.18, "len": 0.82, "y": -0.01, "yanchor": "top",
                  "currentvalue": {"prefix": (_("Month:") if freq == "MS" else _("Week of:"))
                                   + " "}}],
    )
    return base


def _frame_points(events: pd.DataFrame, dark: bool = False,
                  sizes: tuple[float, float] = (SMALLEST_PX, LARGEST_PX)) -> go.Scattermap:
    """One period's events, coloured by direction, size ~ deaths within `sizes`."""
    colors = (events[DIRECTION].map(direction_colors(dark)) if DIRECTION in events
              else events["event_type"].map(EVENT_TYPE_COLORS)).fillna("#999999")
    return go.Scattermap(lat=events["latitude"], lon=events["longitude"], mode="markers",
                         textfont={"family": LABEL_FONT},
                         marker={"size": marker_sizes(events["fatalities"], sizes),
                                 "color": colors},
                         text=plain(events["location"]), hovertemplate="%{text}<extra></extra>",
                         name=_("Events in period"))


def _frame_cells(cells: pd.DataFrame, size: float, biggest: int) -> go.Scattermap:
    """One period at scale: a circle per occupied cell, area ~ events (the same scale in every
    frame: `biggest` is the largest cell count of all frames), colour = commonest type."""
    # Translators: a grid cell of the animated map; {kind} is its commonest event type
    forms = {n: ngettext("{n} event, {kind} most often", "{n} events, {kind} most often", n)
             for n in cells["events"].unique().tolist()}
    text = [forms[n].format(n=count, kind=kind) for n, count, kind in zip(
        cells["events"].tolist(), numbers(cells["events"]), plain(shown_all(cells["top_type"])),
        strict=True)]
    return go.Scattermap(lat=cells["lat0"] + size / 2, lon=cells["lon0"] + size / 2,
                         mode="markers", textfont={"family": LABEL_FONT},
                         marker={"size": 5 + 35 * np.sqrt(cells["events"].to_numpy(float) / biggest),
                                 "sizemode": "diameter", "opacity": 0.8,
                                 "color": cells["top_type"].map(EVENT_TYPE_COLORS).fillna("#999999")},
                         text=text, hovertemplate="%{text}<extra></extra>",
                         # Translators: {size} is the grid cells' size in degrees
                         name=_("Events in period ({size}° cells)").format(
                             size=localise_digits(f"{size:g}")))
