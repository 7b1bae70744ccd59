"""Overview: the story for the filter, the transition status, headline figures, a compact map
and the timeline by direction of violence with the key dates."""

import streamlit as st

from geo.app import aggregate, brief, direction, figures, filters, story, ui

data = ui.get_data()
f = st.session_state["filter"]
events = filters.apply(data.events, f, columns=figures.map_columns(data.events))
sites = filters.apply_places(data.sites, f)
ui.page_header("Iraq: attacks, strikes and foreign forces", data, f, len(events))

ui.story(events, data, f)

troops = aggregate.latest_troop_level(data.troop_levels)
c1, c2, c3, c4 = st.columns(4)
c1.metric("Events", f"{len(events):,}")
known, unknown = aggregate.fatality_summary(events)
# "at least" in the label: a six-digit toll with it did not fit a quarter of the page
c2.metric("Deaths reported (at least)", f"{known:,}",
          help=f"{aggregate.fatality_text(known, unknown).capitalize()}: the sum of the figures "
               "sources give. An event whose toll no source gives is not counted as 0.")
if unknown:
    c2.caption(f"{unknown:,} event{'s' if unknown != 1 else ''} with unknown toll")
c3.metric("Attacks on US/coalition forces", int(aggregate.attacks_on_foreign_forces(events).sum()),
          help="Violent events whose target or second actor is US/coalition forces or the US embassy.")
if troops is not None:
    c4.metric("US troops in Iraq (latest report)", story.troop_figure(troops, short=True),
              help=f"As of {troops['as_of_date']:%d %b %Y}, {troops['source_publisher']}. "
                   "National total; see Deployments for conflicting reports.")
    c4.caption(ui.md_escape(f"{story.troop_figure(troops)}, {troops['as_of_date']:%d %b %Y} "
                            f"({troops['source_publisher']})"))

ui.alerts_caption(data, ui.surge_alerts(data, f))

left, right = st.columns([5, 6])
with left:
    st.plotly_chart(ui.cached_figure("overview_map", lambda: figures.overview_map(
                        figures.MapData(data.admin1, events=events, sites=sites),
                        figures.MapSpec(dark=ui.is_dark(), bounds=ui.map_bounds(data, f, events),
                                        **ui.map_size(400, 420)))),
                    key="overview_map",
                    config={"displaylogo": False})
with right:
    freq = st.segmented_control("Timeline by", ["Month", "Week"], default="Month", key="ov_freq")
    step = "W-MON" if freq == "Week" else "MS"
    st.plotly_chart(ui.cached_figure("overview_timeline", lambda: ui.timeline_figure(
                        data, aggregate.timeline(events, step, by=direction.COLUMN),
                        by=direction.COLUMN), step), key="overview_timeline",
                    config={"displaylogo": False})
st.download_button("Download a printable brief of this view (HTML)",
                   lambda: brief.brief_html(data, f), file_name=f"iraq_brief_{filters.slug(f)}.html",
                   mime="text/html", key="ov_brief",
                   help="The story, transition status, a static map, the timeline, top actors, "
                        "surge alerts, site exposure, the filtered events and every source, in one "
                        "file that reads offline with no script. Print it to PDF from the browser, "
                        "or run `geo brief --out brief.pdf`.")
ui.boundary_caveat()
