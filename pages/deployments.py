"""Deployments: sites on a map, troop levels, the transition phases, planned versus reported."""

import pandas as pd
import streamlit as st

from geo.app import aggregate, figures, filters, ui

data = ui.get_data()
f = st.session_state["filter"]
sites = filters.apply_places(data.sites, f)
deployments = filters.apply_places(data.deployments, f)
ui.page_header("Deployments", data, f)
key_dates = ui.key_dates(data)

left, right = st.columns([5, 6])
with left:
    personnel = aggregate.latest_personnel(deployments)
    layers = ("boundaries", "regions", "sites", "rings") if "rings" in f.layers else (
        "boundaries", "regions", "sites")
    st.plotly_chart(figures.layered_map(data.admin1, data.regions, data.events.iloc[:0], sites,
                                        layers, rings_km=(50, 100), personnel=personnel,
                                        height=520, width=400, dark=ui.is_dark()),
                    key="dep_map", config={"displaylogo": False})
with right:
    st.subheader("Foreign troops in Iraq (national totals)")
    st.plotly_chart(figures.troop_chart(data.troop_levels, key_dates), key="dep_troops")
    st.caption("One line per force: US forces apart from coalition figures. No source publishes "
               "troop numbers by region, so totals are national; per-site figures appear on the "
               "map only where published. Figures from partisan outlets are shown as crosses and "
               "kept out of the lines. Reports conflict in 2025–26 (see each row's notes).")
    st.dataframe(data.troop_levels[["as_of_date", "force", "personnel", "personnel_qualifier",
                                    "status_kind", "partisan", "source_publisher", "source_url",
                                    "notes"]],
                 hide_index=True, key="dep_troops_table",
                 column_config={"source_url": st.column_config.LinkColumn("source"),
                                "as_of_date": st.column_config.DateColumn(format="YYYY-MM-DD")})

st.subheader("Transition of the coalition mission")
st.plotly_chart(figures.transition_timeline(data.transition), key="dep_transition")
st.dataframe(data.transition[["phase", "area", "status_kind", "start_date", "end_date",
                              "description", "source_publisher", "source_url"]],
             hide_index=True, key="dep_transition_table",
             column_config={"source_url": st.column_config.LinkColumn("source"),
                            "start_date": st.column_config.DateColumn(format="YYYY-MM-DD"),
                            "end_date": st.column_config.DateColumn(format="YYYY-MM-DD")})

st.subheader("Milestones")
st.caption("Votes, warrants, calls, agreements, announcements, deadlines and ceasefires: dated "
           "developments that are not violent events. They are marked on every timeline.")
st.dataframe(data.milestones[["date", "kind", "area", "title", "description", "source_publisher",
                              "source_url"]].sort_values("date", ascending=False),
             hide_index=True, key="dep_milestones_table",
             column_config={"source_url": st.column_config.LinkColumn("source"),
                            "date": st.column_config.DateColumn(format="YYYY-MM-DD")})

st.subheader("What the sources report, site by site")
st.plotly_chart(figures.site_status_chart(deployments), key="dep_status")
status = aggregate.latest_site_status(deployments)
st.dataframe(status, hide_index=True, key="dep_status_table",
             column_config={"source_url": st.column_config.LinkColumn("source"),
                            "reported_as_of": st.column_config.DateColumn(format="YYYY-MM-DD"),
                            "planned_by": st.column_config.DateColumn(format="YYYY-MM-DD")})

st.subheader("Sites: Kurdistan Region or federal Iraq")
membership = pd.DataFrame(sites[["name", "kind", "admin1_name", "region", "geo_precision",
                                 "coord_source"]]).sort_values(["region", "name"])
st.dataframe(membership, hide_index=True, key="dep_sites_table")
st.caption("Sites with no published position are listed with region “No valid coordinates” "
           "and are not mapped.")
