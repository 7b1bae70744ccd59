"""Iraq security dashboard: entry point (`make run`). Shared filter in the sidebar, seven pages."""

from __future__ import annotations

import streamlit as st

from geo.app import ui

st.set_page_config(page_title="Iraq security dashboard", layout="wide")

PAGES = [
    st.Page("pages/overview.py", title="Overview", icon=":material/home:", default=True),
    st.Page("pages/map.py", title="Map", icon=":material/map:", url_path="map"),
    st.Page("pages/events.py", title="Events", icon=":material/table:", url_path="events"),
    st.Page("pages/deployments.py", title="Deployments", icon=":material/flag:", url_path="deployments"),
    st.Page("pages/regions.py", title="Regions", icon=":material/layers:", url_path="regions"),
    st.Page("pages/data.py", title="Data", icon=":material/download:", url_path="data"),
    st.Page("pages/geoparse.py", title="Geoparse", icon=":material/article:", url_path="geoparse"),
]

nav = st.navigation(PAGES)
data = ui.get_data()
st.session_state["filter"] = ui.sidebar_filter(data)
nav.run()
