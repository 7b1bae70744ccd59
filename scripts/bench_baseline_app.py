"""The speed baseline for `make bench-ui`: a bare Streamlit page with one map and one chart.

SYNTHETIC: 300 random points in Iraq's bounding box, drawn the way the dashboard draws its own
(MapLibre on an inline style with an explicit centre and zoom) and one bar chart. Whatever this
page costs to settle in a browser, the dashboard cannot do better; `scripts/bench_ui.py` reports
the dashboard's pages as ratios to it, measured in the same run.
"""

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import streamlit as st

rng = np.random.default_rng(7)
points = pd.DataFrame({"lon": rng.uniform(38.8, 48.6, 300), "lat": rng.uniform(29.1, 37.4, 300),
                       "month": rng.integers(1, 13, 300)})
st.title("Baseline")
st.caption("Coverage: SYNTHETIC baseline page")
style = {"version": 8, "sources": {}, "layers": [
    {"id": "background", "type": "background", "paint": {"background-color": "#FFFFFF"}}]}
fig = go.Figure(go.Scattermap(lon=points["lon"], lat=points["lat"], mode="markers"))
fig.update_layout(map={"style": style, "center": {"lat": 33.3, "lon": 43.7}, "zoom": 5},
                  height=520, margin={"l": 0, "r": 0, "t": 0, "b": 0})
st.plotly_chart(fig, key="baseline_map")
counts = points["month"].value_counts().sort_index()
st.plotly_chart(go.Figure(go.Bar(x=counts.index, y=counts.to_numpy())), key="baseline_chart")
