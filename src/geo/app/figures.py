"""Plotly figure builders: pure functions from (Geo)DataFrames to figures, no Streamlit here.

Maps use MapLibre traces on an inline style (water, neighbouring countries, rivers and cities
from a file the app serves itself; our own glyphs), with an explicit centre and zoom, so they
draw with no outside network. The optional OpenStreetMap raster layer shows nothing offline.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import math

import geopandas as gpd
import numpy as np
import pandas as pd
import plotly.graph_objects as go
import shapely
from pyproj import Geod

from geo.app import aggregate
from geo.app import direction as d
from geo.app.direction import ATTACKS, DIRECTIONS
from geo.app.direction import COLORS as DIRECTION_COLORS
from geo.app.direction import COLUMN as DIRECTION
from geo.spatial import context, lod

IRAQ_BOUNDS = {"west": 38.79, "east": 48.57, "south": 29.06, "north": 37.38}
IRAQ_CENTER = {"lat": 33.3, "lon": 43.7}
# Okabe–Ito: distinguishable with the common colour-vision deficiencies.
OKABE_ITO = ["#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7",
             "#000000"]
REGION_COLORS = {"Kurdistan Region": "#E69F00", "Federal Iraq": "#56B4E9"}
EVENT_TYPE_COLORS = {
    "Explosions/Remote violence": "#D55E00", "Battles": "#CC79A7",
    "Violence against civilians": "#000000", "Protests": "#009E73", "Riots": "#F0E442",
    "Strategic developments": "#0072B2",
}
SITE_COLOR = "#009E73"
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
         "layout": {"symbol-placement": "line", "text-field": ["get", "name"], "text-font": font,
                    "text-size": 12, "symbol-spacing": 400},
         "paint": {"text-color": c["river_text"], "text-halo-color": c["halo"],
                   "text-halo-width": 1.2}},
        {"id": "country-names", "type": "symbol", "source": "context", "filter": only("country"),
         "layout": {"text-field": ["upcase", ["get", "name"]], "text-font": font,
                    "text-size": 12, "text-letter-spacing": 0.15},
         "paint": {"text-color": c["country_text"], "text-halo-color": c["halo"],
                   "text-halo-width": 1}},
        {"id": "city-dots", "type": "circle", "source": "context", "filter": only("city"),
         "paint": {"circle-radius": 2.5, "circle-color": c["city"]}},
        {"id": "city-names", "type": "symbol", "source": "context", "filter": only("city"),
         "layout": {"text-field": ["get", "name"], "text-font": font,
                    "text-size": ["case", ["==", ["get", "role"], "national capital"], 13, 11],
                    "symbol-sort-key": ["get", "rank"],
                    "text-variable-anchor": ["left", "right", "top", "bottom"],
                    "text-radial-offset": 0.5},
         "paint": {"text-color": c["city_text"], "text-halo-color": c["halo"],
                   "text-halo-width": 1.2}},
        {"id": "governorate-names", "type": "symbol", "source": "labels",
         "filter": ["==", kind, "admin1"],
         "layout": {"text-field": ["get", "name"], "text-font": font, "text-size": 13,
                    "text-letter-spacing": 0.04},
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


def map_labels(admin1: gpd.GeoDataFrame | None, sites: pd.DataFrame | None) -> pd.DataFrame:
    """The names a map writes: governorates at a point inside each, sites at their position.
    Style text is not HTML, so names need no escaping here."""
    parts = []
    if admin1 is not None and len(admin1):
        pts = admin1.geometry.representative_point()
        parts.append(pd.DataFrame({"lon": pts.x, "lat": pts.y, "name": admin1["admin1_name"],
                                   "kind": "admin1"}))
    if sites is not None and len(sites):
        placed = sites[sites["latitude"].notna()]
        # The name up to its first bracket or slash ("Kirkuk Air Base (FOB Warrior) / Kirkuk
        # International Airport" -> "Kirkuk Air Base"): the full name is in the hover.
        short = placed["name"].astype(str).str.split(r" \(| / ", regex=True).str[0]
        parts.append(pd.DataFrame({"lon": placed["longitude"], "lat": placed["latitude"],
                                   "name": short, "kind": "site"}))
    if not parts:
        return pd.DataFrame(columns=["lon", "lat", "name", "kind"])
    return pd.concat(parts, ignore_index=True)


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


def plain(values: pd.Series) -> pd.Series:
    """Text from data, escaped: Plotly hover labels understand a little HTML, data must not.
    Only & < > are escaped: with no tag possible a quote is harmless, and Plotly would show
    `&quot;` literally (it decodes only a few entities)."""
    return values.fillna("").astype(str).map(lambda v: html.escape(v, quote=False))


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
        customdata=np.stack([plain(admin1["admin1_name"]), plain(admin1["region"])], axis=1),
        hovertemplate="%{customdata[0]}<br>%{customdata[1]}<extra></extra>",
        name="Governorates", showlegend=False,
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
        customdata=np.stack([plain(districts["admin2_name"])], axis=1),
        hovertemplate="%{customdata[0]}: disputed territory (Article 140)<extra></extra>",
        name="Disputed territories (Article 140, UNAMI 2009)", showlegend=True)


ALERT_COLOR = "#CC79A7"  # Okabe-Ito reddish purple: apart from the disputed orange and the events


def alert_trace(flagged: gpd.GeoDataFrame) -> go.Choroplethmap:
    """Governorates (or districts) with a surge alert: outlined and lightly filled; hover says
    the counts and which flag."""
    codes = flagged["admin1_code"].astype(str).tolist()
    text = [f"{n}: {int(last)} violent events in the last 4 weeks against {mean:.1f} a 4-week "
            f"period in the year before ({flag})" for n, last, mean, flag in zip(
                plain(flagged["admin1_name"]), flagged["last_4w"], flagged["baseline_4w_mean"],
                flagged["flag"], strict=True)]
    return go.Choroplethmap(
        geojson=_geojson(flagged.assign(admin1_code=codes), "admin1_code"),
        featureidkey="properties.admin1_code", locations=codes, z=[1] * len(codes),
        colorscale=[[0, ALERT_COLOR], [1, ALERT_COLOR]], showscale=False,
        marker={"opacity": 0.25, "line": {"width": 2.4, "color": ALERT_COLOR}},
        customdata=np.stack([text], axis=1), hovertemplate="%{customdata[0]}<extra></extra>",
        name="Surge alert (last 4 weeks)", showlegend=True)


def _shading(dark: bool) -> dict[str, str]:
    return {"Kurdistan Region": REGION_COLORS["Kurdistan Region"],
            "Federal Iraq": _CONTEXT_COLORS[dark]["iraq"]}


def region_key_traces(dark: bool = False) -> list[go.Scattermap]:
    """Legend-only entries for the governorates' fill: the Kurdistan Region is tinted, federal
    Iraq is not."""
    border = _CONTEXT_COLORS[dark]["border"]
    return [go.Scattermap(lat=[None], lon=[None], mode="markers", name=name, hoverinfo="skip",
                          marker={"size": 12, "color": color, "opacity": 0.6 if tint else 1})
            for name, color, tint in (
                ("Kurdistan Region (shading)", REGION_COLORS["Kurdistan Region"], True),
                ("Federal Iraq (no shading)", border, False))]


def choropleth_trace(admin1: gpd.GeoDataFrame, table: pd.DataFrame, metric: str, label: str
                     ) -> go.Choroplethmap:
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
    lons, lats = _lines(regions)
    return go.Scattermap(lon=lons, lat=lats, mode="lines", hoverinfo="skip",
                         line={"width": 2.5, "color": "#F5F5F5" if dark else "#222222"},
                         name="Kurdistan Region / federal Iraq line")


def _text(frame: pd.DataFrame, column: str) -> pd.Series:
    """A text column for hover labels, escaped; blank when the frame does not carry it."""
    return plain(frame[column]) if column in frame else pd.Series("", index=frame.index)


def _legend_order(values: pd.Series) -> list[str]:
    """Directions in their documented order, then anything else alphabetically."""
    present = set(values.dropna().astype(str))
    return [d for d in DIRECTIONS if d in present] + sorted(present - set(DIRECTIONS))


def direction_colors(dark: bool = False) -> dict[str, str]:
    """The directions' colours; on a dark map the Islamic State's black would vanish, so it is
    drawn near-white there (the legend follows)."""
    return {**DIRECTION_COLORS, **({d.ISLAMIC_STATE: "#F2F2F2"} if dark else {})}


def event_traces(events: pd.DataFrame, dark: bool = False) -> list[go.Scattermap]:
    """One trace per direction of violence (or event type when no direction was derived), so
    the legend explains the colours; size ~ fatalities. Hover: date and type, place, who against
    whom, the target, the toll and the source; `customdata[0]` is the event id (click → record)."""
    by = DIRECTION if DIRECTION in events else "event_type"
    colors = direction_colors(dark) if by == DIRECTION else EVENT_TYPE_COLORS
    traces = []
    for value in _legend_order(events[by]):
        grp = events[events[by].astype(str) == value]
        deaths = grp["fatalities"].astype("float64")
        size = 8 + 4 * np.sqrt(deaths.fillna(0).clip(upper=50))
        qualifier = (grp["fatalities_qualifier"].fillna("").astype(str)
                     if "fatalities_qualifier" in grp else pd.Series("", index=grp.index))
        toll = np.where(deaths.isna(), "unknown",
                        deaths.map(lambda d: "" if pd.isna(d) else f"{d:.0f}") + np.where(
                            qualifier.isin(["at least", "estimate"]), " (" + qualifier + ")", ""))
        custom = np.stack([grp["event_id"].astype(str), grp["event_date"].dt.strftime("%Y-%m-%d"),
                           *(_text(grp, c) for c in ("sub_event_type", "location", "actor1",
                                                     "actor2", "target")),
                           toll, _text(grp, "source_publisher")], axis=1)
        traces.append(go.Scattermap(
            lat=grp["latitude"], lon=grp["longitude"], mode="markers",
            marker={"size": size, "color": colors.get(value, "#999999"), "opacity": 0.85},
            customdata=custom, name=value,
            hovertemplate=("<b>%{customdata[1]}</b> · %{customdata[2]}<br>%{customdata[3]}<br>"
                           "%{customdata[4]} → %{customdata[5]}<br>target: %{customdata[6]}<br>"
                           "deaths: %{customdata[7]}<br>source: %{customdata[8]}"
                           "<extra></extra>"),
        ))
    return traces


def density_trace(events: pd.DataFrame, radius: int = 25) -> go.Densitymap:
    weight = 1 + events["fatalities"].astype("float64").fillna(0)
    return go.Densitymap(lat=events["latitude"], lon=events["longitude"], z=weight, radius=radius,
                         colorscale="Inferno", reversescale=True, showscale=False, opacity=0.6,
                         name="Event density (weighted by fatalities)", hoverinfo="skip")


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
                       cells["events"].map("{:,}".format), cells["fatalities"].map("{:,}".format),
                       plain(cells["top_type"])], axis=1)
    return go.Choroplethmap(
        geojson=geojson, locations=ids, z=np.log10(count), zmin=0, zmax=top,
        colorscale="Inferno", reversescale=not dark,
        marker={"opacity": 0.8, "line": {"width": 0}},
        colorbar={"title": {"text": "events per cell"}, "thickness": 12, "len": 0.6,
                  "tickvals": ticks, "ticktext": [f"{10 ** t:,}" for t in ticks]},
        customdata=custom, name=f"Events ({size:g}° cells)", meta={"cell_deg": size},
        hovertemplate=(f"{size:g}° cell at %{{customdata[0]}}°N %{{customdata[1]}}°E<br>"
                       "%{customdata[2]} events, %{customdata[3]} known fatalities<br>"
                       "most often: %{customdata[4]}<extra></extra>"),
    )


def cell_density_trace(cells: pd.DataFrame, size: float, radius: int = 25) -> go.Densitymap:
    """The density layer at scale: cell centres weighted like single events (1 + fatalities)."""
    return go.Densitymap(lat=cells["lat0"] + size / 2, lon=cells["lon0"] + size / 2,
                         z=cells["weight"], radius=radius, colorscale="Inferno",
                         reversescale=True, showscale=False, opacity=0.6,
                         name="Event density (weighted by fatalities)", hoverinfo="skip",
                         meta={"cell_deg": size})


def site_trace(sites: pd.DataFrame, personnel: pd.Series | None = None) -> go.Scattermap:
    """Foreign-force sites as green circles (their names are style labels, `map_labels`); size
    grows with published personnel where known."""
    placed = sites[sites["latitude"].notna()]
    people = (personnel.reindex(placed["site_id"]).to_numpy(dtype=float)
              if personnel is not None else np.full(len(placed), np.nan))
    size = np.where(np.isnan(people), 12, 12 + 3 * np.sqrt(np.nan_to_num(people) / 50))
    label = np.where(np.isnan(people), "personnel: not published",
                     np.char.add("personnel (latest published): ",
                                 np.nan_to_num(people).astype(int).astype(str)))
    return go.Scattermap(
        lat=placed["latitude"], lon=placed["longitude"], mode="markers",
        marker={"size": size, "color": SITE_COLOR, "opacity": 0.9},
        customdata=np.stack([plain(placed["name"]), plain(placed["kind"]), label], axis=1),
        hovertemplate="%{customdata[0]}<br>%{customdata[1]}<br>%{customdata[2]}<extra></extra>",
        name="Foreign-force sites",
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
    lon, lat, _ = _GEOD.fwd(lon0, lat0, np.tile(az, n * len(radii_km)), dist)
    lons, lats = _with_breaks(lon, part), _with_breaks(lat, part)
    km = ", ".join(f"{r:g}" for r in radii_km)
    return go.Scattermap(lon=lons, lat=lats, mode="lines", hoverinfo="skip",
                         line={"width": 1.2, "color": "#CC79A7"}, name=f"Rings {km} km")


def layered_map(admin1: gpd.GeoDataFrame, regions: gpd.GeoDataFrame, events: pd.DataFrame,
                sites: pd.DataFrame, layers: tuple[str, ...], *, table: pd.DataFrame | None = None,
                metric: str = "events", metric_label: str = "Events",
                rings_km: tuple[float, ...] = (), personnel: pd.Series | None = None,
                height: int = 620, width: int | None = None, dark: bool = False,
                point_limit: int = lod.POINT_LIMIT, bounds: dict[str, float] | None = None,
                legend_columns: int = 2, disputed: gpd.GeoDataFrame | None = None,
                alerts: gpd.GeoDataFrame | None = None) -> go.Figure:
    """The map with the requested layers, drawn bottom to top. `width` is the expected width in
    pixels: the centre and zoom are chosen so that `bounds` (Iraq by default) fit; Plotly itself
    fills the container. Above `point_limit` events, events and density are drawn from grid
    cells (`geo.spatial.lod`). `disputed` holds the disputed districts' polygons (an installed
    district set), drawn by the "disputed" layer."""
    fig = go.Figure()
    cells, size = None, None
    if lod.use_cells(len(events), point_limit) and {"events", "density"} & set(layers):
        cells, size = lod.grid_cells(events)
    if "choropleth" in layers and table is not None:
        fig.add_trace(choropleth_trace(admin1, table, metric, metric_label))
    elif "boundaries" in layers:
        fig.add_trace(boundary_trace(admin1, dark))
    if "boundaries" in layers and "choropleth" not in layers:
        fig.add_traces(region_key_traces(dark))
    if "boundaries" in layers and "choropleth" in layers:
        lons, lats = _lines(admin1)
        fig.add_trace(go.Scattermap(lon=lons, lat=lats, mode="lines", hoverinfo="skip",
                                    line={"width": 0.8, "color": "#555555"}, showlegend=False,
                                    name="Governorate lines"))
    if "regions" in layers:
        fig.add_trace(region_outline_trace(regions, dark))
    if "disputed" in layers and disputed is not None and len(disputed):
        fig.add_trace(disputed_trace(disputed))
    if "alerts" in layers and alerts is not None and len(alerts):
        fig.add_trace(alert_trace(alerts))
    if "density" in layers and len(events):
        fig.add_trace(density_trace(events) if cells is None else cell_density_trace(cells, size))
    if "rings" in layers and rings_km and len(sites):
        fig.add_trace(ring_trace(sites, rings_km))
    if "sites" in layers and len(sites):
        fig.add_trace(site_trace(sites, personnel))
    if "events" in layers and cells is not None:
        fig.add_trace(cell_trace(cells, size, dark))
    elif "events" in layers and len(events):
        for trace in event_traces(events, dark):
            fig.add_trace(trace)
    # Every MapLibre symbol layer asks for glyphs of its font: point them all at the shipped one.
    fig.update_traces(textfont_family=LABEL_FONT, selector={"type": "scattermap"})
    view = bounds or IRAQ_BOUNDS
    labels = map_labels(admin1 if "labels" in layers else None,
                        sites if "sites" in layers else None)
    map_layout: dict = {"style": map_style(dark, labels),
                        "center": IRAQ_CENTER if bounds is None else center_of(view),
                        "zoom": fit_zoom(view, height, width)}
    if "basemap" in layers:
        map_layout["layers"] = [{"below": "traces", "sourcetype": "raster", "source": [OSM_TILES],
                                 "sourceattribution": "© OpenStreetMap contributors",
                                 "opacity": 0.8}]
    # The legend goes under the map, two entries a row (one on a phone), so its height is known
    # whatever the width: drawn over the map it hid the south of Iraq, and on a phone most of it.
    entries = sum(1 for t in fig.data if t.showlegend is not False)
    legend_px = 22 * math.ceil(entries / legend_columns) + 8 if entries else 0
    fig.update_layout(
        map=map_layout, height=height + legend_px,
        margin={"l": 0, "r": 0, "t": 0, "b": legend_px},
        legend={"orientation": "h", "y": -0.01, "x": 0.0, "yanchor": "top",
                "entrywidth": 1 / legend_columns, "entrywidthmode": "fraction",
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


def map_page_figure(admin1: gpd.GeoDataFrame, regions: gpd.GeoDataFrame, events: pd.DataFrame,
                    sites: pd.DataFrame, deployments: pd.DataFrame, layers: tuple[str, ...],
                    metric: str = "events", rings_km: tuple[float, ...] = (50, 100),
                    width: int = 900, dark: bool = False, height: int = 520,
                    bounds: dict[str, float] | None = None, legend_columns: int = 2,
                    disputed: gpd.GeoDataFrame | None = None,
                    alerts: gpd.GeoDataFrame | None = None) -> go.Figure:
    """Everything the Map page draws for a filtered set of events (the app and `geo bench`)."""
    table = aggregate.admin1_table(events, sites, admin1)
    return layered_map(admin1, regions, events, sites, layers, table=table, metric=metric,
                       metric_label=aggregate.METRICS[metric], rings_km=rings_km,
                       personnel=aggregate.latest_personnel(deployments), width=width, dark=dark,
                       height=height, bounds=bounds, legend_columns=legend_columns,
                       disputed=disputed, alerts=alerts)


def overview_map(admin1: gpd.GeoDataFrame, events: pd.DataFrame | None = None,
                 sites: pd.DataFrame | None = None, height: int = 420, width: int = 400,
                 dark: bool = False, bounds: dict[str, float] | None = None,
                 legend_columns: int = 2) -> go.Figure:
    """A compact map: governorates with their names, events and sites."""
    layers = ("boundaries", "events", "sites", "labels")
    empty = pd.DataFrame(columns=["latitude", "longitude"])
    return layered_map(admin1, admin1.iloc[:0], events if events is not None else empty,
                       sites if sites is not None else empty, layers, height=height, width=width,
                       dark=dark, bounds=bounds, legend_columns=legend_columns)


def timeline_chart(tl: pd.DataFrame, key_dates: pd.DataFrame, by: str = "event_type",
                   title: str = "", coverage: tuple[pd.Timestamp, pd.Timestamp] | None = None,
                   period: tuple[pd.Timestamp, pd.Timestamp] | None = None,
                   dark: bool = False) -> go.Figure:
    """Stacked bars of events per period. Key dates are labelled vertical lines, the other
    milestones small markers along the top (hover for what happened). Outside `coverage` (the
    data's first and last date) the axis is shaded: no data there is not the same as quiet.
    With a filtered `period` the axis is that period, and only its key dates are drawn."""
    fig = go.Figure()
    if period is not None:
        key_dates = key_dates[key_dates["date"].between(*period)]
    for value in _legend_order(tl[by]) if len(tl) else []:
        grp = tl[tl[by].astype(str) == value]
        fig.add_bar(x=grp["period"], y=grp["events"], name=str(value),
                    marker_color={**EVENT_TYPE_COLORS, **REGION_COLORS,
                                  **direction_colors(dark)}.get(str(value)),
                    hovertemplate="%{x|%b %Y}: %{y} events<extra>" + str(value) + "</extra>")
    if "key" not in key_dates:
        key_dates = key_dates.assign(key=True, description="")
    dates = pd.concat([tl["period"], key_dates["date"]]).dropna()
    lo, hi = (dates.min(), dates.max()) if len(dates) else (None, None)
    if period is not None:
        lo, hi = period
    # Milestone markers go on up to three rows so that no two overlap.
    minor = key_dates[~key_dates["key"].astype(bool)].sort_values("date")
    span = (hi - lo) if lo is not None else pd.Timedelta(days=365)
    rows = marker_rows(minor["date"], max(span / 70, pd.Timedelta(days=1)))
    # Shapes and annotations are collected and set once: Plotly's add_vline/add_annotation
    # copy the whole layout on every call (30 milestones cost ~0.2 s).
    shapes: list[dict] = []
    notes: list[dict] = []
    # Key dates: a numbered line each, and the numbered list under the chart (labels written
    # beside the lines covered each other as soon as two lines were close).
    lines = key_dates[key_dates["key"].astype(bool)].reset_index(drop=True)
    listed = []
    for i, row in lines.iterrows():
        shapes.append({"type": "line", "x0": row["date"], "x1": row["date"], "xref": "x",
                       "y0": 0, "y1": 1, "yref": "paper",
                       "line": {"dash": "dot", "color": "#666666"}})
        notes.append({"x": row["date"], "y": 1.0, "yref": "paper", "yanchor": "top",
                      "text": str(i + 1), "showarrow": False, "font": {"size": 10},
                      "bgcolor": "rgba(128,128,128,0.25)",
                      "hovertext": html.escape(f"{row['label']}: {row['description']}"[:200],
                                               quote=False)})
        listed.append(f"{i + 1} {row['date']:%d %b %Y}: {html.escape(str(row['label']), quote=False)}")
    # Below the plot: ticks, the legend two entries a row (so its height is known whatever the
    # chart's width), then the numbered list of key dates.
    plot_px, top = 300, (44 if title else 24) + 14 * (max(rows, default=0))
    legend_px = 20 * math.ceil(len(fig.data) / 2)
    list_at = 30 + legend_px + 8
    if listed:
        notes.append({"x": 0, "xref": "paper", "xanchor": "left", "y": -list_at / plot_px,
                      "yref": "paper", "yanchor": "top", "align": "left", "showarrow": False,
                      "font": {"size": 11}, "text": "<br>".join(listed)})
    for (_, row), level in zip(minor.iterrows(), rows, strict=True):
        notes.append({"x": row["date"], "y": 1.0 + 0.055 * level, "yref": "paper",
                      "yanchor": "bottom", "text": "◆", "showarrow": False,
                      "font": {"size": 10, "color": OKABE_ITO[5]},
                      "hovertext": html.escape(f"{row['date']:%d %b %Y}: {row['label']}",
                                               quote=False)})
    x_range = None
    if lo is not None:
        start, end = lo - pd.Timedelta(days=45), hi + pd.Timedelta(days=60)
        if coverage is not None:  # shade what the axis shows beyond the data, and say so
            for x0, x1, text, wide in (
                    (start, coverage[0], f"no data before {coverage[0]:%d %b %Y}", 90),
                    (coverage[1], end, f"no data after {coverage[1]:%d %b %Y}", 30)):
                if x1 > x0:
                    shapes.append({"type": "rect", "x0": x0, "x1": x1, "xref": "x", "y0": 0,
                                   "y1": 1, "yref": "paper", "fillcolor": "#999999",
                                   "opacity": 0.18, "line": {"width": 0}, "layer": "below"})
                if x1 - x0 > pd.Timedelta(days=wide):  # a narrow margin is only axis padding
                    notes.append({"x": x0 + (x1 - x0) / 2, "y": 0.5, "yref": "paper",
                                  "text": text, "textangle": -90, "showarrow": False,
                                  "font": {"size": 10, "color": "#777777"}})
        x_range = [start, end]
    bottom = list_at + 16 * len(listed) + 10
    # Whole events only: a short period with one or two events showed ticks at 0.2 events.
    peak = tl.groupby("period")["events"].sum().max() if len(tl) else 0
    fig.update_layout(
        shapes=shapes, annotations=notes, barmode="stack", title=title,
        height=top + plot_px + bottom, margin={"l": 10, "r": 10, "t": top, "b": bottom},
        xaxis={"range": x_range},
        yaxis={"title": {"text": "events"}, "rangemode": "tozero", "tickformat": ",d",
               "dtick": 1 if peak <= 8 else None},
        legend={"orientation": "h", "y": -28 / plot_px, "yanchor": "top", "entrywidth": 0.5,
                "entrywidthmode": "fraction", "traceorder": "normal", "font": {"size": 10}})
    return fig


def marker_rows(dates: pd.Series, gap: pd.Timedelta, levels: int = 3) -> list[int]:
    """A row (0 = lowest) for each of the sorted `dates` so that markers on one row are at
    least `gap` apart; markers that still cannot fit share the top row."""
    last: list[pd.Timestamp | None] = [None] * levels
    rows = []
    for when in dates:
        row = next((i for i, prev in enumerate(last) if prev is None or when - prev >= gap),
                   levels - 1)
        last[row] = when
        rows.append(row)
    return rows


def bar_chart(df: pd.DataFrame, label_col: str, value_col: str = "events", title: str = "",
              color: str = OKABE_ITO[4]) -> go.Figure:
    data = df.sort_values(value_col)
    fig = go.Figure(go.Bar(x=data[value_col], y=plain(data[label_col]), orientation="h",
                           marker_color=color,
                           hovertemplate="%{y}: %{x}<extra></extra>"))
    fig.update_layout(title=title, height=max(220, 28 * len(data) + 80),
                      margin={"l": 10, "r": 10, "t": 40 if title else 10, "b": 10})
    return fig


def troop_chart(levels: pd.DataFrame, key_dates: pd.DataFrame) -> go.Figure:
    """National totals per force (US forces apart from coalition figures): US reports as a step
    line, other forces' reports as dots, plans as open diamonds, and figures from partisan
    outlets as crosses, shown but kept out of the lines. Key dates as dotted lines."""
    fig = go.Figure()
    dated = levels[levels["as_of_date"].notna()].sort_values("as_of_date")
    partisan = dated.get("partisan", pd.Series("", index=dated.index)).fillna("").astype(str)
    is_partisan = partisan.str.strip() != ""
    forces = list(dict.fromkeys(dated["force"]))
    for i, force in enumerate(forces):
        color = (OKABE_ITO[4], OKABE_ITO[0], OKABE_ITO[2], OKABE_ITO[6])[i % 4]
        for kind in ("reported", "planned"):
            grp = dated[(dated["force"] == force) & (dated["status_kind"] == kind) & ~is_partisan]
            if grp.empty:
                continue
            custom = np.stack([plain(grp["personnel_qualifier"]), plain(grp["source_publisher"])],
                              axis=1)
            # US totals are reported often enough to hold until the next report (a step line);
            # sparse coalition figures and plans stand alone (a line would invent continuity).
            step = kind == "reported" and force == aggregate.US_FORCES
            fig.add_scatter(x=grp["as_of_date"], y=grp["personnel"],
                            mode="lines+markers" if step else "markers",
                            name=f"{force} ({kind})", line={"color": color},
                            marker={"symbol": "circle" if kind == "reported" else "diamond-open",
                                    "size": 8 if kind == "reported" else 12, "color": color},
                            line_shape="hv", customdata=custom,
                            hovertemplate="%{x|%d %b %Y}: %{customdata[0]} %{y}<br>"
                                          "%{customdata[1]}<extra></extra>")
    flagged = dated[is_partisan]
    if len(flagged):
        custom = np.stack([plain(flagged["force"]), plain(flagged["personnel_qualifier"]),
                           plain(partisan[is_partisan])], axis=1)
        fig.add_scatter(x=flagged["as_of_date"], y=flagged["personnel"], mode="markers",
                        name="partisan outlet (not in the lines)",
                        marker={"symbol": "x", "size": 10, "color": "#999999"},
                        customdata=custom,
                        hovertemplate="%{x|%d %b %Y}: %{customdata[0]}, %{customdata[1]} %{y}"
                                      "<br>source: %{customdata[2]}<extra></extra>")
    key = key_dates[key_dates["key"].astype(bool)] if "key" in key_dates else key_dates
    for _, row in key.iterrows():
        fig.add_vline(x=row["date"], line_dash="dot", line_color="#888888")
    fig.update_layout(height=360, yaxis_title="troops in Iraq (national totals)",
                      yaxis_rangemode="tozero", margin={"l": 10, "r": 10, "t": 10, "b": 10},
                      legend={"orientation": "h"})
    return fig


def transition_timeline(transition: pd.DataFrame, today: pd.Timestamp | None = None) -> go.Figure:
    """Phases as bars: planned and reported on separate rows, so they are never confused. A
    reported row with a start but no end runs to today; a row with no dates is left to the table."""
    today = today or pd.Timestamp.today().normalize()
    transition = transition.copy()
    planned = transition["status_kind"] == "planned"
    # A planned phase without a stated start follows the previous planned phase.
    previous_end = transition[planned].sort_values("phase")["end_date"].shift()
    transition.loc[planned, "start_date"] = transition.loc[planned, "start_date"].fillna(previous_end)
    df = transition[transition["start_date"].notna() & (transition["end_date"].notna()
                                                        | (transition["status_kind"] == "reported"))].copy()
    df["finish"] = df["end_date"].fillna(today)
    df["row"] = ("Phase " + df["phase"].astype(str) + " · " + df["area"] + " (" + df["status_kind"]
                 + ")")
    fig = go.Figure()
    for kind, color in (("planned", OKABE_ITO[1]), ("reported", OKABE_ITO[4])):
        grp = df[df["status_kind"] == kind]
        if grp.empty:
            continue
        ongoing = np.where(grp["end_date"].isna(), " (ongoing)", "")
        fig.add_bar(y=grp["row"], x=(grp["finish"] - grp["start_date"]).dt.days * 86_400_000,
                    base=grp["start_date"], orientation="h", name=kind, marker_color=color,
                    customdata=np.stack([plain(grp["description"].str.slice(0, 160)),
                                         grp["finish"].dt.strftime("%d %b %Y") + ongoing], axis=1),
                    hovertemplate="%{base|%d %b %Y} → %{customdata[1]}<br>%{customdata[0]}"
                                  "<extra></extra>")
    fig.add_vline(x=today, line_color="#D55E00", line_dash="dot")
    fig.add_annotation(x=today, y=1.02, yref="paper", text="today", showarrow=False)
    fig.update_layout(barmode="overlay", height=300, xaxis_type="date",
                      margin={"l": 10, "r": 10, "t": 20, "b": 10}, legend={"orientation": "h"})
    return fig


STATUS_COLORS = {"present": OKABE_ITO[2], "reduced": OKABE_ITO[0], "handed over": OKABE_ITO[4],
                 "withdrawn": OKABE_ITO[5], "unknown": "#999999"}


def site_status_chart(deployments: pd.DataFrame) -> go.Figure:
    """Every dated report about a site as a dot: where the data says forces were, and when."""
    dep = deployments.assign(when=deployments["as_of_date"].fillna(deployments["end_date"])
                             .fillna(deployments["start_date"])).dropna(subset=["when"])
    dep = dep.sort_values(["region", "site_name"])
    palette = STATUS_COLORS
    fig = go.Figure()
    for (kind, status), grp in dep.groupby(["status_kind", "status"], sort=True):
        fig.add_scatter(x=grp["when"], y=plain(grp["site_name"] + " · " + grp["region"].astype(str)),
                        mode="markers", name=f"{status} ({kind})",
                        marker={"color": palette.get(status, "#999999"), "size": 11,
                                "symbol": "circle" if kind == "reported" else "circle-open",
                                "line": {"width": 2, "color": palette.get(status, "#999999")}},
                        customdata=np.stack([plain(grp["source_publisher"])], axis=1),
                        hovertemplate="%{y}<br>%{x|%d %b %Y}: " + status + " (" + kind + ")"
                                      "<br>%{customdata[0]}<extra></extra>")
    fig.update_layout(height=max(320, 26 * dep["site_name"].nunique() + 120),
                      margin={"l": 10, "r": 10, "t": 10, "b": 10}, legend={"orientation": "h"})
    return fig


def exposure_timeline(periods: pd.DataFrame, attacks: pd.DataFrame, radii_km: tuple[float, ...],
                      coverage: tuple[pd.Timestamp, pd.Timestamp] | None = None) -> go.Figure:
    """One site over time: its reported status as coloured bands, each attack within the
    largest radius as a tick at its date and distance, the radii as dashed lines. Time outside
    the events' coverage is greyed out: no tick there means no data, not no attack."""
    fig = go.Figure()
    for row in periods.itertuples():  # a few periods per site
        color = STATUS_COLORS.get(row.status, "#999999")
        fig.add_vrect(x0=row.period_start, x1=pd.Timestamp(row.period_end) + pd.Timedelta(days=1),
                      fillcolor=color, opacity=0.18, line_width=0, layer="below")
        fig.add_scatter(x=[row.period_start], y=[None], mode="markers", name=f"{row.status} (reported)",
                        marker={"color": color, "size": 12, "symbol": "square", "opacity": 0.5},
                        hoverinfo="skip")
    if coverage is not None and len(periods):
        first = pd.Timestamp(min(periods["period_start"]))
        if first < coverage[0]:
            fig.add_vrect(x0=first, x1=coverage[0], fillcolor="#BBBBBB", opacity=0.35,
                          line_width=0, layer="below")
    top = max(radii_km) if radii_km else 50
    for r in radii_km:
        fig.add_hline(y=r, line_dash="dot", line_color="#777777", line_width=1,
                      annotation_text=f"{r:g} km", annotation_position="top left")
    if len(attacks):
        fig.add_scatter(
            x=attacks["event_date"], y=attacks["distance_km"], mode="markers",
            name="Attack on US/coalition or diplomatic site",
            marker={"symbol": "line-ns-open", "size": 14, "line": {"width": 2},
                    "color": DIRECTION_COLORS[ATTACKS]},
            customdata=np.stack([plain(attacks["location"]), attacks["distance_km"]], axis=1),
            hovertemplate="%{x|%d %b %Y}: %{customdata[0]}<br>%{customdata[1]} km from the "
                          "site<extra></extra>")
    fig.update_layout(height=300, margin={"l": 10, "r": 10, "t": 10, "b": 10},
                      legend={"orientation": "h", "y": -0.2},
                      yaxis={"title": "km from the site", "range": [0, top * 1.08]})
    return fig


def animated_map(admin1: gpd.GeoDataFrame, events: pd.DataFrame, freq: str = "MS",
                 height: int = 520, dark: bool = False, width: int | None = None,
                 point_limit: int = lod.POINT_LIMIT) -> go.Figure:
    """Client-side animation through periods: the frames play in the browser, no reruns. Every
    period from the first event to the last is a frame, empty ones included (a quiet month
    must look quiet, not be skipped). The view is all of Iraq in every frame, and the play
    buttons and slider sit under the map, not on it. Above `point_limit` events each frame
    shows grid cells (coarse: every frame is sent at once)."""
    base = layered_map(admin1, admin1.iloc[:0], events.iloc[:0], events.iloc[:0], ("boundaries",),
                       height=height, width=width, dark=dark)
    step = "M" if freq == "MS" else "W"
    periods = events["event_date"].dt.to_period(step)
    order = (list(pd.period_range(periods.min(), periods.max(), freq=step)) if len(events)
             else [])
    if lod.use_cells(len(events), point_limit):
        lon, lat, *_ = lod.points_of(events)
        size = lod.cell_size(lon, lat, max_columns=lod.MAX_COLUMNS // 3)
        cells = [lod.grid_cells(events[periods == p], size)[0] for p in order]
        biggest = max((int(c["events"].max()) for c in cells if len(c)), default=1)
        traces = [_frame_cells(c, size, biggest) for c in cells]
    else:
        traces = [_frame_points(events[periods == p], dark) for p in order]
    frames = [go.Frame(name=f"{p.start_time:%Y-%m-%d}", data=[t], traces=[1])
              for p, t in zip(order, traces, strict=True)]
    base.add_trace(_frame_points(events.iloc[:0], dark))
    counts = periods.value_counts()
    steps = [{"args": [[fr.name], {"frame": {"duration": 0, "redraw": True}, "mode": "immediate"}],
              "label": (f"{p.start_time:%b %Y}" if freq == "MS" else fr.name)
              + f" ({int(counts.get(p, 0))})", "method": "animate"}
             for p, fr in zip(order, frames, strict=True)]
    base.frames = frames
    controls = 90
    base.update_layout(
        height=height + controls, margin={"l": 0, "r": 0, "t": 0, "b": controls},
        showlegend=False,
        updatemenus=[{"type": "buttons", "direction": "left", "x": 0.0, "y": -0.01,
                      "xanchor": "left", "yanchor": "top", "showactive": False, "buttons": [
            {"label": "▶ Play", "method": "animate",
             "args": [None, {"frame": {"duration": 700, "redraw": True}, "fromcurrent": True}]},
            {"label": "❚❚ Pause", "method": "animate",
             "args": [[None], {"frame": {"duration": 0, "redraw": False}, "mode": "immediate"}]},
        ]}],
        sliders=[{"steps": steps, "x": 0.18, "len": 0.82, "y": -0.01, "yanchor": "top",
                  "currentvalue": {"prefix": "Month: " if freq == "MS" else "Week of: "}}],
    )
    return base


def _frame_points(events: pd.DataFrame, dark: bool = False) -> go.Scattermap:
    colors = (events[DIRECTION].map(direction_colors(dark)) if DIRECTION in events
              else events["event_type"].map(EVENT_TYPE_COLORS)).fillna("#999999")
    deaths = events["fatalities"].astype("float64").fillna(0)
    return go.Scattermap(lat=events["latitude"], lon=events["longitude"], mode="markers",
                         textfont={"family": LABEL_FONT},
                         marker={"size": 9 + 4 * np.sqrt(deaths.clip(upper=50)), "color": colors},
                         text=plain(events["location"]), hovertemplate="%{text}<extra></extra>",
                         name="Events in period")


def _frame_cells(cells: pd.DataFrame, size: float, biggest: int) -> go.Scattermap:
    """One period at scale: a circle per occupied cell, area ~ events (the same scale in every
    frame: `biggest` is the largest cell count of all frames), colour = commonest type."""
    text = (cells["events"].map("{:,} events".format) + ", " + plain(cells["top_type"])
            + " most often")
    return go.Scattermap(lat=cells["lat0"] + size / 2, lon=cells["lon0"] + size / 2,
                         mode="markers", textfont={"family": LABEL_FONT},
                         marker={"size": 5 + 35 * np.sqrt(cells["events"].to_numpy(float) / biggest),
                                 "sizemode": "diameter", "opacity": 0.8,
                                 "color": cells["top_type"].map(EVENT_TYPE_COLORS).fillna("#999999")},
                         text=text, hovertemplate="%{text}<extra></extra>",
                         name=f"Events in period ({size:g}° cells)")
