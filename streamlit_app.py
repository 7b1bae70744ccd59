"""Iraq security dashboard: entry point (`make run`). Language and shared filter in the sidebar,
seven pages."""

from __future__ import annotations

import streamlit as st

from geo.app import ui
from geo.data.i18n import _

st.set_page_config(page_title="Iraq security dashboard", layout="wide")
ui.language()  # before any text: the page titles below are in the reader's language

PAGES = [
    st.Page("pages/overview.py", title=_("Overview"), default=True),
    st.Page("pages/map.py", title=_("Map"), url_path="map"),
    st.Page("pages/events.py", title=_("Events"), url_path="events"),
    st.Page("pages/deployments.py", title=_("Deployments"), url_path="deployments"),
    st.Page("pages/regions.py", title=_("Regions"), url_path="regions"),
    st.Page("pages/data.py", title=_("Data"), url_path="data"),
    st.Page("pages/geoparse.py", title=_("Geoparse"), url_path="geoparse"),
]

nav = st.navigation(PAGES)
ui.skip_link()
ui.language_picker()
ui.page_style()
data = ui.get_data()
st.session_state["filter"] = ui.sidebar_filter(data)
nav.run()
