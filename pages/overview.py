"""Overview: the story for the filter, the transition status, headline figures, a compact map
and the timeline by direction of violence with the key dates."""

from functools import partial

import streamlit as st

from geo.app import aggregate, brief, direction, figures, filters, story, ui
from geo.data import i18n
from geo.data.i18n import N_, _, day, ngettext, number

data = ui.get_data()
f = st.session_state["filter"]
events = filters.apply(data.events, f, columns=figures.map_columns(data.events))
sites = filters.apply_places(data.sites, f)
ui.page_header(_("Iraq: attacks, strikes and foreign forces"), data, f, len(events))

ui.story(events, data, f)

troops = aggregate.latest_troop_level(data.troop_levels)
c1, c2, c3, c4 = st.columns(4)
c1.metric(_("Events"), number(len(events)))
known, unknown = aggregate.fatality_summary(events)
# "at least" in the label: a six-digit toll with it did not fit a quarter of the page
c2.metric(_("Deaths reported (at least)"), number(known),
          # Translators: {toll} is the toll, e.g. "At least 93 deaths (12 events with unknown toll)"
          help=_("{toll}: the sum of the figures sources give. An event whose toll no source gives "
                 "is not counted as 0.").format(
              toll=aggregate.fatality_text(known, unknown).capitalize()))
if unknown:
    c2.caption(ngettext("{n} event with unknown toll", "{n} events with unknown toll",
                        unknown).format(n=number(unknown)))
c3.metric(_("Attacks on US/coalition forces"), int(aggregate.attacks_on_foreign_forces(events).sum()),
          help=_("Violent events whose target or second actor is US/coalition forces or the US "
                 "embassy."))
if troops is not None:
    as_of = day(troops["as_of_date"], "dd MMM y")
    c4.metric(_("US troops in Iraq (latest report)"), story.troop_figure(troops, short=True),
              # Translators: {date} is the date of the report, {publisher} who published it
              help=_("As of {date}, {publisher}. National total; see Deployments for conflicting "
                     "reports.").format(date=as_of, publisher=i18n.isolate(troops["source_publisher"])))
    # Translators: a troop figure (e.g. "about 2,500 US troops"), its date and its publisher
    c4.caption(ui.md_escape(_("{figure}, {date} ({publisher})").format(
        figure=story.troop_figure(troops), date=as_of,
        publisher=i18n.isolate(troops["source_publisher"]))))

ui.alerts_caption(data, ui.surge_alerts(data, f))

left, right = st.columns([5, 6])
with left:
    ui.chart(st, ui.cached_figure("overview_map", lambda: figures.overview_map(
                        figures.MapData(data.admin1, events=events, sites=sites),
                        figures.MapSpec(dark=ui.is_dark(), bounds=ui.map_bounds(data, f, events),
                                        **ui.map_size(400, 420)))),
             _("Map of the filtered events"), summary=True, key="overview_map")
with right:
    freq = st.segmented_control(_("Timeline by"), [N_("Month"), N_("Week")], default="Month",
                                key="ov_freq", format_func=_)
    step = "W-MON" if freq == "Week" else "MS"
    ui.chart(st, ui.cached_figure("overview_timeline", lambda: ui.timeline_figure(
                 data, aggregate.timeline(events, step, by=direction.COLUMN),
                 by=direction.COLUMN), step),
             # Translators: the title of the Overview's timeline
             _("Events over time, by direction"), summary=True, key="overview_timeline")
st.download_button(_("Download a printable brief of this view (HTML)"),
                   # built when clicked, outside this run: the reader's language goes with it
                   partial(brief.brief_html, data, f, lang=i18n.current()),
                   file_name=f"iraq_brief_{filters.slug(f)}.html",
                   mime="text/html", key="ov_brief",
                   help=_("The story, transition status, a static map, the timeline, top actors, "
                          "surge alerts, site exposure, the filtered events and every source, in "
                          "one file that reads offline with no script. Print it to PDF from the "
                          "browser, or run `geo brief --out brief.pdf`."))
ui.boundary_caveat()
