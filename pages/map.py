"""Map: every layer, toggled in the sidebar; click governorates to filter to them, events to
read them."""

import streamlit as st

from geo.app import aggregate, figures, filters, ui
from geo.data.i18n import N_, _, number

data = ui.get_data()
f = st.session_state["filter"]
events = filters.apply(data.events, f, columns=figures.map_columns(data.events))
sites = filters.apply_places(data.sites, f)
ui.page_header(_("Map"), data, f, len(events))

# The map comes first, on the first screen; its options are drawn under it but read first.
map_area = st.container()
c1, c2, c3 = st.columns([2, 2, 2])
metric = c1.selectbox(_("Choropleth metric"), list(aggregate.METRICS), key="map_metric",
                      format_func=lambda m: _(aggregate.METRICS[m]))
districts = data.admin2 is not None and c1.segmented_control(
    _("Boundaries and choropleth by"), [N_("Governorates"), N_("Districts")],
    default="Governorates", key="map_level", format_func=_) == "Districts"
rings = c2.multiselect(_("Ring distances (km)"), [25, 50, 100, 150, 250, 500], default=[50, 100],
                       key="map_rings", format_func=number)
animate = c3.toggle(_("Animate through months"), key="map_animate",
                    help=_("Plays the filtered events month by month in the browser."))

with map_area:
    if animate:
        size = ui.map_size(900, 520)
        fig = figures.animated_map(figures.MapData(data.admin1, events=events),
                                   figures.MapSpec(dark=ui.is_dark(), width=size["width"],
                                                   height=size["height"]))
        # Translators: the title of the Map page's animated map
        ui.chart(st, fig, _("Events month by month"), key="map_animated")
    else:
        fig, note = ui.main_map(data, f, events, sites, metric, tuple(sorted(rings)),
                                districts=districts)
        select = ui.select_districts_from_map if districts else ui.select_governorates_from_map
        if note:
            st.info(note, icon="🔲")
        if "alerts" in f.layers:
            ui.alerts_caption(data, ui.surge_alerts(data, f, districts))
        left, right = st.columns([3, 1])
        # Translators: the title of the map of the filtered events (Map page, Overview)
        ui.chart(left, fig, _("Map of the filtered events"), key="main_map",
                 on_select=lambda: select("main_map"), selection_mode=("points",),
                 config={"displaylogo": False, "scrollZoom": True})
        left.caption(_("Click an event (or pick one under the list) to read its record below; "
                       "click a governorate (or shift-click several) to filter every page to it. "
                       "Layers are under **Map layers** in the sidebar. Base map: Natural Earth; "
                       "GeoNames and SimpleMaps (CC BY 4.0)."))
        with right:
            st.markdown(_("**Latest events** (newest first)"))
            ui.event_feed(aggregate.feed(events), "map_feed")

if not animate:
    record = ui.record_of(data, st.session_state.get(ui.SELECTED_EVENT))
    if record is not None:
        st.subheader(_("Selected event"))
        ui.event_record(record, "map_event_record")
ui.boundary_caveat()
