"""Events: sortable table with sources, charts by type, actor, governorate and time, one event."""

import pandas as pd
import streamlit as st

from geo.app import aggregate, direction, figures, filters, ui
from geo.data.export import export_frame

TABLE_LIMIT = 5_000

data = ui.get_data()
f = st.session_state["filter"]
events = filters.apply(data.events, f)
ui.page_header("Events", data, f, len(events))

# Newest first, here and in the event picker below.
shown = events.nlargest(TABLE_LIMIT, "event_date")
if len(shown) < len(events):
    st.caption(f"The table lists the newest {len(shown):,} of {len(events):,} matching events (a "
               "browser cannot scroll millions of rows); the charts count all of them, and the Data "
               "page downloads all of them.")
table = pd.DataFrame(export_frame(shown, "events").drop(columns="geometry", errors="ignore"))
# What happened, where, the toll, who, the notes and the source first: on a laptop screen they
# are visible without scrolling sideways; codes and precision come last.
ui.table(table, "events_table", newest_first="event_date", columns=[
    "event_date", "direction", "location", "admin1_name", "fatalities", "fatalities_qualifier",
    "actor1", "actor2", "notes", "source_url", "source_publisher", "partisan", "event_type",
    "sub_event_type", "target", "region", "also_reported_by", "origin", "event_id",
    "time_precision", "geo_precision", "source_date"])

c1, c2 = st.columns(2)
c1.plotly_chart(ui.cached_figure("ev_by_type", lambda: figures.bar_chart(
    aggregate.counts_by(events, "event_type"), "event_type", title="By event type")),
    key="ev_by_type")
c2.plotly_chart(ui.cached_figure("ev_by_actor", lambda: figures.bar_chart(
    aggregate.counts_by_family(events, "actor1", top=10), "family",
    title="By side that acted (actor family)", color=figures.OKABE_ITO[5])), key="ev_by_actor")
c3, c4 = st.columns(2)
c3.plotly_chart(ui.cached_figure("ev_by_gov", lambda: figures.bar_chart(
    aggregate.counts_by(events, "admin1_name"), "admin1_name", title="By governorate",
    color=figures.OKABE_ITO[2])), key="ev_by_gov")
c4.plotly_chart(ui.cached_figure("ev_over_time", lambda: ui.timeline_figure(
    data, aggregate.timeline(events, "MS", by=direction.COLUMN), by=direction.COLUMN,
    title="Over time, by direction")), key="ev_over_time")

st.subheader("One event")
if events.empty:
    st.info("No event matches the filter.")
else:
    labels = (shown["event_date"].dt.strftime("%Y-%m-%d") + " · " + shown["location"].astype(str)
              + " · " + shown["event_id"].astype(str))
    choice = st.selectbox("Event", shown["event_id"], key="ev_detail",
                          format_func=dict(zip(shown["event_id"], labels, strict=True)).get)
    ui.event_record(table[table["event_id"] == choice].iloc[0], "ev_detail_table")
