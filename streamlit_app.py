"""Iraq security dashboard: entry point (`make run`). Shared filter in the sidebar, seven pages."""

from __future__ import annotations

import streamlit as st

from geo.app import ui

st.set_page_config(page_title="Iraq security dashboard", layout="wide")

PAGES = [
    st.Page("pages/overview.py", title="Overview", default=True),
    st.Page("pages/map.py", title="Map", url_path="map"),
    st.Page("pages/events.py", title="Events", url_path="events"),
    st.Page("pages/deployments.py", title="Deployments", url_path="deployments"),
    st.Page("pages/regions.py", title="Regions", url_path="regions"),
    st.Page("pages/data.py", title="Data", url_path="data"),
    st.Page("pages/geoparse.py", title="Geoparse", url_path="geoparse"),
]

nav = st.navigation(PAGES)
data = ui.get_data()
st.session_state["filter"] = ui.sidebar_filter(data)
nav.run()
