"""Map: every layer, toggled in the sidebar; click governorates to filter to them."""

import streamlit as st

from geo.app import aggregate, figures, filters, ui

data = ui.get_data()
f = st.session_state["filter"]
events = filters.apply(data.events, f, columns=figures.map_columns(data.events))
sites = filters.apply_places(data.sites, f)
ui.page_header("Map", data, f, len(events))

c1, c2, c3 = st.columns([2, 2, 2])
metric = c1.selectbox("Choropleth metric", list(aggregate.METRICS), key="map_metric",
                      format_func=aggregate.METRICS.get)
rings = c2.multiselect("Ring distances (km)", [25, 50, 100, 150, 250, 500], default=[50, 100],
                       key="map_rings")
animate = c3.toggle("Animate through months", key="map_animate",
                    help="Plays the filtered events month by month in the browser.")

if animate:
    fig = figures.animated_map(data.admin1, events, dark=ui.is_dark())
    st.plotly_chart(fig, key="map_animated", config={"displaylogo": False})
else:
    fig, note = ui.main_map(data, f, events, sites, metric, tuple(sorted(rings)))
    if note:
        st.info(note, icon="🔲")
    st.plotly_chart(fig, key="main_map", on_select=lambda: ui.select_governorates_from_map("main_map"),
                    selection_mode=("points",), config={"displaylogo": False, "scrollZoom": True})
    st.caption("Click a governorate (or shift-click several) to filter every page to it; clear it "
               "in the sidebar. Layers are chosen under **Map layers** in the sidebar.")
ui.boundary_caveat()
