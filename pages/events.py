"""Events: sortable table with sources, charts by type, actor, governorate and time, one event."""

import pandas as pd
import streamlit as st

from geo.app import aggregate, direction, figures, filters, ui
from geo.data.export import export_frame
from geo.data.i18n import _, ngettext, number

TABLE_LIMIT = 5_000


def shown_in_language(counts: pd.DataFrame, column: str) -> pd.DataFrame:
    """A chart's categories that the app owns (event types, actor families) in the reader's
    language; the counts are unchanged."""
    return counts.assign(**{column: counts[column].map(
        lambda value: _(value) if isinstance(value, str) and value else value)})


data = ui.get_data()
f = st.session_state["filter"]
events = filters.apply(data.events, f)
ui.page_header(_("Events"), data, f, len(events))

# Newest first, here and in the event picker below.
shown = events.nlargest(TABLE_LIMIT, "event_date")
if len(shown) < len(events):
    # Translators: {shown} rows of {total}; the plural form follows {total}
    st.caption(ngettext("The table lists the newest {shown} of {total} matching event (a browser "
                        "cannot scroll millions of rows); the charts count all of them, and the "
                        "Data page downloads all of them.",
                        "The table lists the newest {shown} of {total} matching events (a browser "
                        "cannot scroll millions of rows); the charts count all of them, and the "
                        "Data page downloads all of them.", len(events)).format(
        shown=number(len(shown)), total=number(len(events))))
table = pd.DataFrame(export_frame(shown, "events").drop(columns="geometry", errors="ignore"))
# What happened, where, the toll, who, the notes and the source first: on a laptop screen they
# are visible without scrolling sideways; codes and precision come last.
ui.table(table, "events_table", newest_first="event_date", columns=[
    "event_date", "direction", "location", "admin1_name", "fatalities", "fatalities_qualifier",
    "actor1", "actor2", "notes", "source_url", "source_publisher", "partisan", "event_type",
    "sub_event_type", "target", "region", "also_reported_by", "origin", "event_id",
    "time_precision", "geo_precision", "source_date"])

c1, c2 = st.columns(2)
ui.chart(c1, ui.cached_figure("ev_by_type", lambda: figures.bar_chart(
    shown_in_language(aggregate.counts_by(events, "event_type"), "event_type"), "event_type",
    title=_("By event type"))), _("By event type"), key="ev_by_type")
ui.chart(c2, ui.cached_figure("ev_by_actor", lambda: figures.bar_chart(
    shown_in_language(aggregate.counts_by_family(events, "actor1", top=10), "family"), "family",
    title=_("By side that acted (actor family)"), color=figures.OKABE_ITO[5])),
    _("By side that acted (actor family)"), key="ev_by_actor")
c3, c4 = st.columns(2)
ui.chart(c3, ui.cached_figure("ev_by_gov", lambda: figures.bar_chart(
    aggregate.counts_by(events, "admin1_name"), "admin1_name", title=_("By governorate"),
    color=figures.OKABE_ITO[2])), _("By governorate"), key="ev_by_gov")
ui.chart(c4, ui.cached_figure("ev_over_time", lambda: ui.timeline_figure(
    data, aggregate.timeline(events, "MS", by=direction.COLUMN), by=direction.COLUMN,
    title=_("Over time, by direction"))), _("Over time, by direction"), key="ev_over_time")

st.subheader(_("One event"))
if events.empty:
    st.info(_("No event matches the filter."))
else:
    labels = (shown["event_date"].dt.strftime("%Y-%m-%d") + " · " + shown["location"].astype(str)
              + " · " + shown["event_id"].astype(str))
    choice = st.selectbox(_("Event"), shown["event_id"], key="ev_detail",
                          format_func=dict(zip(shown["event_id"], labels, strict=True)).get)
    ui.event_record(table[table["event_id"] == choice].iloc[0], "ev_detail_table")
