"""Regions: governorate (or district) choropleths and the federal Iraq / Kurdistan Region
comparison (with the disputed territories apart when districts are installed)."""

import streamlit as st

from geo.app import aggregate, figures, filters, story, ui
from geo.app.downloads import file_name
from geo.data.export import to_csv_text
from geo.data.i18n import N_, _

data = ui.get_data()
f = st.session_state["filter"]
events = filters.apply(data.events, f)
sites = filters.apply_places(data.sites, f)
ui.page_header(_("Regions"), data, f, len(events))

c1, c2 = st.columns([3, 2])
metric = c1.selectbox(_("Metric"), list(aggregate.METRICS), key="reg_metric",
                      format_func=lambda m: _(aggregate.METRICS[m]))
districts = data.admin2 is not None and c2.segmented_control(
    _("Level"), [N_("Governorates"), N_("Districts")], default="Governorates", key="reg_level",
    format_func=_) == "Districts"
if districts:  # the district set's polygons, counted like governorates
    polys, by_district, sites_by_district = ui.district_view(data, events, sites)
    table = aggregate.admin1_table(by_district, sites_by_district, polys)
    table = table.merge(polys[["admin1_code", "parent"]], on="admin1_code", how="left")
    unit, select = "Districts", ui.select_districts_from_map
else:
    polys, unit, select = data.admin1, "Governorates", ui.select_governorates_from_map
    table = aggregate.admin1_table(events, sites, data.admin1)
left, right = st.columns([5, 4])
with left:
    ui.chart(st, ui.cached_figure("reg_map", lambda: figures.layered_map(
                        figures.MapData(polys, data.regions, table=table),
                        figures.MapSpec(("choropleth", "boundaries", "regions", "labels"),
                                        metric=metric, dark=ui.is_dark(),
                                        **ui.map_size(480, 560))), metric, unit),
             _(aggregate.METRICS[metric]), key="reg_map", on_select=lambda: select("reg_map"),
             selection_mode=("points",))
with right:
    comparison = aggregate.region_table(table)
    st.subheader(_("Federal Iraq, the Kurdistan Region and the disputed territories") if districts
                 else _("Federal Iraq, the Kurdistan Region"))
    # Translators: what a folded table holds, shown as "Table: … (n rows)"
    ui.table(comparison, "reg_comparison", fold=_("the comparison"))
    regions_shown = comparison.assign(region=comparison["region"].map(
        lambda value: _(value) if isinstance(value, str) and value else value))
    ui.chart(st, figures.bar_chart(regions_shown, "region", metric,
                                   title=_(aggregate.METRICS[metric])),
             _(aggregate.METRICS[metric]), key="reg_bar")

st.subheader(_("Trend by region"))
tl = aggregate.timeline(events[events["region"].isin(["Federal Iraq", "Kurdistan Region"])], "MS",
                        by="region")
ui.chart(st, ui.cached_figure("reg_trend", lambda: ui.timeline_figure(data, tl, by="region")),
         _("Trend by region"), key="reg_trend")

st.subheader(_(unit))
st.caption(_("Most events first; click a header to sort by another column."))
if (apart := story.unplaced(events)) is not None:
    st.caption(ui.md_escape(apart))
shown = table.sort_values(["events", "admin1_name"], ascending=[False, True])
if districts:  # headers that say what the rows are
    shown = shown.rename(columns={"admin1_name": "admin2_name", "admin1_code": "admin2_code",
                                  "region": "jurisdiction"})
name, code, region = (("admin2_name", "admin2_code", "jurisdiction") if districts
                      else ("admin1_name", "admin1_code", "region"))
ui.table(shown, "reg_table",
         columns=[name, *(["parent"] if districts else []), region, "events", "fatalities",
                  "unknown_toll", "attacks_on_foreign_forces", "sites", "events_per_site",
                  "events_per_10k_km2", "area_km2", code],
         # Translators: what a folded table holds, shown as "Table: … (n rows)"
         fold=_("districts") if districts else _("governorates"))
st.download_button(_("Download districts table (CSV)") if districts
                   else _("Download governorates table (CSV)"), to_csv_text(table),
                   file_name=file_name(unit.lower(), filters.slug(f), "csv"), mime="text/csv",
                   key="reg_download", on_click="ignore")
ui.boundary_caveat()
