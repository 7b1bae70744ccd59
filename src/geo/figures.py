"""Plotly figure builders: pure functions from (Geo)DataFrames to figures, no Streamlit here.

Maps use MapLibre traces with the "white-bg" style and an explicit centre and zoom, so they
draw with no tile server (the dashboard must work offline).
"""

from __future__ import annotations

import json
import math

import geopandas as gpd
import pandas as pd
import plotly.graph_objects as go

IRAQ_BOUNDS = {"west": 38.79, "east": 48.57, "south": 29.06, "north": 37.38}
IRAQ_CENTER = {"lat": 33.3, "lon": 43.7}
# Okabe–Ito: distinguishable with the common colour-vision deficiencies.
OKABE_ITO = ["#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7",
             "#000000"]
REGION_COLORS = {"Kurdistan Region": "#E69F00", "Federal Iraq": "#56B4E9"}


def _geojson(gdf: gpd.GeoDataFrame) -> dict:
    return json.loads(gdf.to_json(drop_id=True))


def boundary_trace(admin1: gpd.GeoDataFrame, line_color: str = "#444444") -> go.Choroplethmap:
    """Governorate outlines with a light fill coloured by region, hover shows the names."""
    colors = admin1["region"].map(REGION_COLORS).fillna("#BBBBBB")
    codes = list(admin1["admin1_code"])
    return go.Choroplethmap(
        geojson=_geojson(admin1[["admin1_code", "geometry"]]),
        featureidkey="properties.admin1_code",
        locations=codes,
        z=list(range(len(codes))),
        colorscale=[[i / max(len(codes) - 1, 1), c] for i, c in enumerate(colors)],
        showscale=False,
        marker={"opacity": 0.25, "line": {"width": 1, "color": line_color}},
        customdata=admin1[["admin1_name", "region"]].to_numpy(),
        hovertemplate="%{customdata[0]}<br>%{customdata[1]}<extra></extra>",
        name="Governorates",
    )


def event_trace(events: pd.DataFrame) -> go.Scattermap:
    """Events as points; size grows with fatalities (unknown fatalities = smallest size)."""
    deaths = pd.to_numeric(events.get("fatalities"), errors="coerce").fillna(0)
    dates = pd.to_datetime(events["event_date"]).dt.strftime("%Y-%m-%d")
    return go.Scattermap(
        lat=events["latitude"], lon=events["longitude"], mode="markers",
        marker={"size": 8 + 3 * deaths.clip(upper=10) ** 0.8, "color": OKABE_ITO[5],
                "opacity": 0.85},
        customdata=pd.DataFrame({"d": dates, "t": events["sub_event_type"],
                                 "l": events["location"]}).to_numpy(),
        hovertemplate="%{customdata[0]} · %{customdata[1]}<br>%{customdata[2]}<extra></extra>",
        name="Events",
    )


def site_trace(sites: pd.DataFrame) -> go.Scattermap:
    return go.Scattermap(
        lat=sites["latitude"], lon=sites["longitude"], mode="markers",
        marker={"size": 11, "color": OKABE_ITO[4], "opacity": 0.9},
        customdata=sites[["name", "kind"]].to_numpy(),
        hovertemplate="%{customdata[0]}<br>%{customdata[1]}<extra></extra>",
        name="Sites",
    )


def fit_zoom(bounds: dict[str, float], height: int, width: int | None = None,
             margin: float = 0.92) -> float:
    """MapLibre zoom that fits `bounds` in a height x width px map (512 px world at zoom 0)."""
    def merc(lat: float) -> float:
        return math.degrees(math.log(math.tan(math.pi / 4 + math.radians(lat) / 2)))

    lat_span = merc(bounds["north"]) - merc(bounds["south"])
    lon_span = bounds["east"] - bounds["west"]
    width = width or int(height * 1.6)
    z_lat = math.log2(height * margin * 360 / (lat_span * 512))
    z_lon = math.log2(width * margin * 360 / (lon_span * 512))
    return round(min(z_lat, z_lon), 2)


def overview_map(admin1: gpd.GeoDataFrame, events: pd.DataFrame | None = None,
                 sites: pd.DataFrame | None = None, height: int = 560) -> go.Figure:
    fig = go.Figure(boundary_trace(admin1))
    if sites is not None and len(sites):
        fig.add_trace(site_trace(sites))
    if events is not None and len(events):
        fig.add_trace(event_trace(events))
    fig.update_layout(
        map={"style": "white-bg", "center": IRAQ_CENTER, "zoom": fit_zoom(IRAQ_BOUNDS, height)},
        margin={"l": 0, "r": 0, "t": 0, "b": 0}, height=height,
        legend={"orientation": "h", "y": 0.01, "x": 0.01, "bgcolor": "rgba(255,255,255,0.7)"},
        uirevision="iraq-map",  # keeps the user's pan/zoom across reruns
    )
    return fig
