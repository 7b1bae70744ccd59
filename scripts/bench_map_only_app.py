"""For `scripts/bench_ui.py --probe`: the dashboard's Map-page map alone, without the sidebar,
the filter or any other element, so a probe can tell the map's own cost from the page's."""

import streamlit as st

from geo.app import figures, filters, ui

data = ui.get_data()
events = filters.apply(data.events, filters.Filter(), columns=figures.map_columns(data.events))
st.title("Map only")
st.caption("Coverage: the dashboard's map, nothing else")
st.plotly_chart(figures.map_page_figure(data.admin1, data.regions, events, data.sites,
                                        data.deployments, filters.DEFAULT_LAYERS, width=700),
                key="map_only")
