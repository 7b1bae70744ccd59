"""Regions: governorate choropleths and the federal Iraq / Kurdistan Region comparison."""

import streamlit as st

from geo.app import aggregate, figures, filters, story, ui
from geo.app.downloads import file_name
from geo.data.export import to_csv_text

data = ui.get_data()
f = st.session_state["filter"]
events = filters.apply(data.events, f)
sites = filters.apply_places(data.sites, f)
ui.page_header("Regions", data, f, len(events))

table = aggregate.admin1_table(events, sites, data.admin1)
metric = st.selectbox("Metric", list(aggregate.METRICS), key="reg_metric",
                      format_func=aggregate.METRICS.get)
left, right = st.columns([5, 4])
with left:
    st.plotly_chart(ui.cached_figure("reg_map", lambda: figures.layered_map(
                        data.admin1, data.regions, events.iloc[:0], sites.iloc[:0],
                        ("choropleth", "boundaries", "regions", "labels"), table=table,
                        metric=metric, metric_label=aggregate.METRICS[metric], dark=ui.is_dark(),
                        **ui.map_size(480, 560)), metric),
                    key="reg_map", on_select=lambda: ui.select_governorates_from_map("reg_map"),
                    selection_mode=("points",), config={"displaylogo": False})
with right:
    comparison = aggregate.region_table(table)
    st.subheader("Federal Iraq and the Kurdistan Region")
    ui.table(comparison, "reg_comparison")
    st.plotly_chart(figures.bar_chart(comparison, "region", metric,
                                      title=aggregate.METRICS[metric]), key="reg_bar")

st.subheader("Trend by region")
tl = aggregate.timeline(events[events["region"].isin(["Federal Iraq", "Kurdistan Region"])], "MS",
                        by="region")
st.plotly_chart(ui.cached_figure("reg_trend", lambda: ui.timeline_figure(data, tl, by="region")),
                key="reg_trend")

st.subheader("Governorates")
st.caption("Most events first; click a header to sort by another column.")
if (apart := story.unplaced(events)) is not None:
    st.caption(ui.md_escape(apart))
ui.table(table.sort_values(["events", "admin1_name"], ascending=[False, True]), "reg_table",
         columns=["admin1_name", "region", "events", "fatalities", "unknown_toll",
                  "attacks_on_foreign_forces", "sites", "events_per_site", "events_per_10k_km2",
                  "area_km2", "admin1_code"])
st.download_button("Download governorate table (CSV)", to_csv_text(table),
                   file_name=file_name("governorates", filters.slug(f), "csv"), mime="text/csv",
                   key="reg_download", on_click="ignore")
ui.boundary_caveat()
