"""Iraq security dashboard: entry point (`make run`)."""

from __future__ import annotations

import streamlit as st

from geo.boundaries import BOUNDARY_CAVEAT, BoundaryError, load_admin1, load_configured_admin1
from geo.datasets import load
from geo.export import export_frame, to_csv_text
from geo.figures import overview_map

st.set_page_config(page_title="Iraq security dashboard", layout="wide")


@st.cache_data(show_spinner=False)
def _admin1():
    try:
        return load_configured_admin1(), None
    except BoundaryError as exc:  # a bad GEO_BOUNDARIES setting must not take the app down
        return load_admin1(), str(exc)


@st.cache_data(show_spinner=False)
def _table(name: str):
    return load(name, _admin1()[0]).data


admin1, boundary_error = _admin1()
if boundary_error:
    st.warning(f"Custom boundaries not used: {boundary_error}. Showing the embedded governorates.")
events = _table("events")
sites = _table("sites")

st.title("Iraq: attacks, strikes and foreign forces")
as_of = events["event_date"].max()
st.caption(f"Curated events up to {as_of:%d %B %Y} · {len(events)} events · {len(sites)} sites. "
           "Every row carries its source.")
cols = st.columns(3)
cols[0].metric("Events", len(events))
cols[1].metric("Reported fatalities", int(events["fatalities"].fillna(0).sum()))
cols[2].metric("Sites", len(sites))
st.plotly_chart(overview_map(admin1, events, sites), width="stretch",
                config={"displaylogo": False})
st.info(BOUNDARY_CAVEAT)
shown = export_frame(events, "events")
st.dataframe(shown.drop(columns="geometry"), hide_index=True, width="stretch")
st.download_button("Download events (CSV)", to_csv_text(shown), file_name="iraq_events.csv",
                   mime="text/csv")
