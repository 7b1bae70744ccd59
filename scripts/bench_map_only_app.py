"""For `scripts/bench_ui.py --probe` and `--map-variants`: the dashboard's Map-page map alone,
without the sidebar, the filter or any other element, so a run can tell the map's own cost from
the page's. `?v=` picks what is drawn (default `as-is`):

- `as-is`: the Map page's figure (default layers), geography included;
- `no-geography`: the same traces on a plain background (no context file, labels or glyphs);
- `one-trace`: the events as one trace (no legend, no other layer), with the geography;
- `one-trace-plain`: the events as one trace on a plain background: what the bare page draws,
  with the dashboard's data and hover.
"""

import numpy as np
import plotly.graph_objects as go
import streamlit as st

from geo.app import figures, filters, ui

PLAIN = {"version": 8, "sources": {}, "layers": [
    {"id": "background", "type": "background", "paint": {"background-color": "#FFFFFF"}}]}

data = ui.get_data()
events = filters.apply(data.events, filters.Filter(), columns=figures.map_columns(data.events))
variant = st.query_params.get("v", "as-is")
variant = variant if variant in ("no-geography", "one-trace", "one-trace-plain") else "as-is"
st.title("Map only")
st.caption(f"Coverage: the dashboard's map, nothing else ({variant})")
fig = figures.map_page_figure(figures.MapData(data.admin1, data.regions, events, data.sites),
                              data.deployments,
                              figures.MapSpec(filters.DEFAULT_LAYERS, rings_km=(50, 100),
                                              height=520, width=700))
if variant.startswith("one-trace"):
    traces = figures.event_traces(events)
    fig = go.Figure(go.Scattermap(
        lon=np.concatenate([t.lon for t in traces]), lat=np.concatenate([t.lat for t in traces]),
        mode="markers", customdata=np.concatenate([t.customdata for t in traces]),
        hovertemplate=traces[0].hovertemplate,
        marker={"size": np.concatenate([t.marker.size for t in traces]), "opacity": 0.85,
                "color": [t.marker.color for t in traces for _ in t.lon]}), layout=fig.layout)
if variant.endswith(("plain", "geography")):
    fig.update_layout(map_style=PLAIN)
st.plotly_chart(fig, key="map_only")
