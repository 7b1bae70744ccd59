"""Deployments: sites on a map, troop levels, the transition phases, planned versus reported."""

import pandas as pd
import streamlit as st

from geo.app import aggregate, figures, filters, ui
from geo.data.i18n import _
from geo.data.schemas import INVALID_COORDINATES

data = ui.get_data()
f = st.session_state["filter"]
sites = filters.apply_places(data.sites, f)
deployments = filters.apply_places(data.deployments, f)
ui.page_header(_("Deployments"), data, f)
key_dates = ui.key_dates(data)

left, right = st.columns([5, 6])
with left:
    personnel = aggregate.latest_personnel(deployments)
    layers = ("boundaries", "regions", "sites", "rings") if "rings" in f.layers else (
        "boundaries", "regions", "sites")
    # Translators: the title of the Deployments page's map
    ui.chart(st, ui.cached_figure("dep_map", lambda: figures.layered_map(
                        figures.MapData(data.admin1, data.regions, sites=sites,
                                        personnel=personnel),
                        figures.MapSpec(layers, rings_km=(50, 100), dark=ui.is_dark(),
                                        **ui.map_size(400, 520)))),
             _("Map of foreign-force sites"), key="dep_map")
with right:
    st.subheader(_("Foreign troops in Iraq (national totals)"))
    ui.chart(st, ui.cached_figure("dep_troops", lambda: figures.troop_chart(
        data.troop_levels, key_dates)), _("Troop levels"), key="dep_troops")
    st.caption(_("One line per force: US forces apart from coalition figures. No source "
                 "publishes troop numbers by region, so totals are national; per-site figures "
                 "appear on the map only where published. Figures from partisan outlets are shown "
                 "as crosses and kept out of the lines. Reports conflict in 2025–26 (see each "
                 "row's notes)."))
    ui.table(data.troop_levels, "dep_troops_table", newest_first="as_of_date",
             columns=["as_of_date", "force", "personnel", "personnel_qualifier", "status_kind",
                      "partisan", "source_publisher", "source_url", "notes"],
             # Translators: what a folded table holds, shown as "Table: … (n rows)"
             fold=_("every troop figure with its source"))

st.subheader(_("Transition of the coalition mission"))
ui.chart(st, ui.cached_figure("dep_transition", lambda: figures.transition_timeline(
    data.transition), pd.Timestamp.today().date()),  # draws "today"
    _("Transition phases"), key="dep_transition")
ui.table(data.transition, "dep_transition_table", newest_first="start_date",
         columns=["start_date", "end_date", "phase", "area", "status_kind", "description",
                  "source_publisher", "source_url"],
         # Translators: what a folded table holds, shown as "Table: … (n rows)"
         fold=_("the phases, planned and reported"))

st.subheader(_("Milestones"))
st.caption(_("Votes, warrants, calls, agreements, announcements, deadlines and ceasefires: dated "
             "developments that are not violent events. They are marked on every timeline."))
ui.table(data.milestones, "dep_milestones_table", newest_first="date",
         columns=["date", "kind", "area", "title", "description", "source_publisher", "source_url"],
         # Translators: what a folded table holds, shown as "Table: … (n rows)"
         fold=_("milestones with their sources"))

st.subheader(_("What the sources report, site by site"))
ui.chart(st, ui.cached_figure("dep_status", lambda: figures.site_status_chart(deployments)),
         # Translators: the title of a chart of each site's reported and planned status
         _("Status of each site"), key="dep_status")
status = aggregate.latest_site_status(deployments)
ui.table(status, "dep_status_table", newest_first="reported_as_of",
         columns=["site_name", "region", "admin1_name", "reported_status", "reported_as_of",
                  "personnel", "personnel_qualifier", "planned_status", "planned_by",
                  "source_publisher", "source_url", "site_id"],
         # Translators: what a folded table holds, shown as "Table: … (n rows)"
         fold=_("the latest report per site"))

st.subheader(_("Site exposure: attacks around each site, before and after each status change"))
# An analyst's tool with its own controls: drawn once opened (a chart less on a first visit).
with ui.folded(_("Open the exposure of one site (rings, status periods, rate ratios)"),
               "dep_exposure_open") as is_open:
    if is_open:
        ui.exposure_section(data, f, sites)

st.subheader(_("Sites: Kurdistan Region or federal Iraq"))
membership = pd.DataFrame(sites[["name", "kind", "admin1_name", "region", "geo_precision",
                                 "coord_source"]]).sort_values(["region", "name"])
ui.table(membership, "dep_sites_table",
         # Translators: what a folded table holds, shown as "Table: … (n rows)"
         fold=_("sites by region"))
# Translators: {region} is the region name given to sites without a position ("No valid coordinates")
st.caption(_("Sites with no published position are listed with region “{region}” and are not "
             "mapped.").format(region=_(INVALID_COORDINATES)))
