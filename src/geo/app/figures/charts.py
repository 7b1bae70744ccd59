"""Charts that are not maps or timelines: bars, troop levels, site status, site exposure."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from geo.app import aggregate
from geo.app.direction import ATTACKS
from geo.app.direction import COLORS as DIRECTION_COLORS
from geo.app.figures.common import OKABE_ITO, plain, shown, shown_all, word
from geo.data.i18n import N_, _, localise_digits


def bar_chart(df: pd.DataFrame, label_col: str, value_col: str = "events", title: str = "",
              color: str = OKABE_ITO[4]) -> go.Figure:
    """Horizontal bars, largest at the top: long labels (actors, governorates) stay readable.
    Labels the app owns (event types, regions, actor families) are shown translated."""
    data = df.sort_values(value_col)
    fig = go.Figure(go.Bar(x=data[value_col], y=plain(shown_all(data[label_col])), orientation="h",
                           marker_color=color,
                           hovertemplate="%{y}: %{x}<extra></extra>"))
    fig.update_layout(title=title, height=max(220, 28 * len(data) + 80),
                      margin={"l": 10, "r": 10, "t": 40 if title else 10, "b": 10})
    return fig


def troop_chart(levels: pd.DataFrame, key_dates: pd.DataFrame) -> go.Figure:
    """National totals per force (US forces apart from coalition figures): US reports as a step
    line, other forces' reports as dots, plans as open diamonds, and figures from partisan
    outlets as crosses, shown but kept out of the lines. Key dates as dotted lines."""
    fig = go.Figure()
    dated = levels[levels["as_of_date"].notna()].sort_values("as_of_date")
    partisan = dated.get("partisan", pd.Series("", index=dated.index)).fillna("").astype(str)
    is_partisan = partisan.str.strip() != ""
    forces = list(dict.fromkeys(dated["force"]))
    for i, force in enumerate(forces):
        color = (OKABE_ITO[4], OKABE_ITO[0], OKABE_ITO[2], OKABE_ITO[6])[i % 4]
        # Translators: a figure or status as the news reported it, or as a plan announced it
        for kind in (N_("reported"), N_("planned")):
            grp = dated[(dated["force"] == force) & (dated["status_kind"] == kind) & ~is_partisan]
            if grp.empty:
                continue
            custom = np.stack([plain(shown_all(grp["personnel_qualifier"])),
                               plain(grp["source_publisher"])], axis=1)
            # US totals are reported often enough to hold until the next report (a step line);
            # sparse coalition figures and plans stand alone (a line would invent continuity).
            step = kind == "reported" and force == aggregate.US_FORCES
            fig.add_scatter(x=grp["as_of_date"], y=grp["personnel"],
                            mode="lines+markers" if step else "markers",
                            # Translators: a force's troop figures in the legend, e.g.
                            # "US forces (reported)"; {kind} is "reported" or "planned"
                            name=_("{force} ({kind})").format(force=shown(force), kind=_(kind)),
                            line={"color": color},
                            marker={"symbol": "circle" if kind == "reported" else "diamond-open",
                                    "size": 8 if kind == "reported" else 12, "color": color},
                            line_shape="hv", customdata=custom,
                            hovertemplate="%{x|%d %b %Y}: %{customdata[0]} %{y}<br>"
                                          "%{customdata[1]}<extra></extra>")
    flagged = dated[is_partisan]
    if len(flagged):
        custom = np.stack([plain(shown_all(flagged["force"])),
                           plain(shown_all(flagged["personnel_qualifier"])),
                           plain(partisan[is_partisan])], axis=1)
        fig.add_scatter(x=flagged["as_of_date"], y=flagged["personnel"], mode="markers",
                        name=_("partisan outlet (not in the lines)"),
                        marker={"symbol": "x", "size": 10, "color": "#999999"},
                        customdata=custom,
                        hovertemplate="%{x|%d %b %Y}: %{customdata[0]}, %{customdata[1]} %{y}"
                                      "<br>" + _source("%{customdata[2]}") + "<extra></extra>")
    key = key_dates[key_dates["key"].astype(bool)] if "key" in key_dates else key_dates
    for when in key["date"]:
        fig.add_vline(x=when, line_dash="dot", line_color="#888888")
    fig.update_layout(height=360, yaxis_title=_("troops in Iraq (national totals)"),
                      yaxis_rangemode="tozero", margin={"l": 10, "r": 10, "t": 10, "b": 10},
                      legend={"orientation": "h"})
    return fig


STATUS_COLORS = {N_("present"): OKABE_ITO[2], N_("reduced"): OKABE_ITO[0],
                 N_("handed over"): OKABE_ITO[4], N_("withdrawn"): OKABE_ITO[5],
                 N_("unknown"): "#999999"}


def _source(value: str) -> str:
    """"source: …" in a hover label."""
    # Translators: in a chart's hover label; {source} is the publisher
    return _("source: {source}").format(source=value)


def _status(status: object, kind: object) -> str:
    """A site's status and whether it is reported or planned, e.g. "present (reported)"."""
    # Translators: a site's status, e.g. "handed over (reported)"; {kind} is "reported" or
    # "planned"
    return _("{status} ({kind})").format(status=word(status), kind=word(kind))


def site_status_chart(deployments: pd.DataFrame) -> go.Figure:
    """Every dated report about a site as a dot: where the data says forces were, and when."""
    dep = deployments.assign(when=deployments["as_of_date"].fillna(deployments["end_date"])
                             .fillna(deployments["start_date"])).dropna(subset=["when"])
    dep = dep.sort_values(["region", "site_name"])
    palette = STATUS_COLORS
    fig = go.Figure()
    for (kind, status), grp in dep.groupby(["status_kind", "status"], sort=True):
        label = _status(status, kind)
        fig.add_scatter(x=grp["when"],
                        y=plain(grp["site_name"] + " · " + shown_all(grp["region"].astype(str))),
                        mode="markers", name=label,
                        marker={"color": palette.get(status, "#999999"), "size": 11,
                                "symbol": "circle" if kind == "reported" else "circle-open",
                                "line": {"width": 2, "color": palette.get(status, "#999999")}},
                        customdata=np.stack([plain(grp["source_publisher"])], axis=1),
                        hovertemplate="%{y}<br>%{x|%d %b %Y}: " + label
                                      + "<br>%{customdata[0]}<extra></extra>")
    fig.update_layout(height=max(320, 26 * dep["site_name"].nunique() + 120),
                      margin={"l": 10, "r": 10, "t": 10, "b": 10}, legend={"orientation": "h"})
    return fig


def exposure_timeline(periods: pd.DataFrame, attacks: pd.DataFrame, radii_km: tuple[float, ...],
                      coverage: tuple[pd.Timestamp, pd.Timestamp] | None = None) -> go.Figure:
    """One site over time: its reported status as coloured bands, each attack within the
    largest radius as a tick at its date and distance, the radii as dashed lines. Time outside
    the events' coverage is greyed out: no tick there means no data, not no attack."""
    fig = go.Figure()
    for row in periods.itertuples():  # a few periods per site
        color = STATUS_COLORS.get(row.status, "#999999")
        fig.add_vrect(x0=row.period_start, x1=pd.Timestamp(row.period_end) + pd.Timedelta(days=1),
                      fillcolor=color, opacity=0.18, line_width=0, layer="below")
        fig.add_scatter(x=[row.period_start], y=[None], mode="markers",
                        name=_status(row.status, "reported"),
                        marker={"color": color, "size": 12, "symbol": "square", "opacity": 0.5},
                        hoverinfo="skip")
    if coverage is not None and len(periods):
        first = pd.Timestamp(min(periods["period_start"]))
        if first < coverage[0]:
            fig.add_vrect(x0=first, x1=coverage[0], fillcolor="#BBBBBB", opacity=0.35,
                          line_width=0, layer="below")
    top = max(radii_km) if radii_km else 50
    for r in radii_km:
        fig.add_hline(y=r, line_dash="dot", line_color="#777777", line_width=1,
                      # Translators: a radius around a site on a chart, e.g. "25 km"
                      annotation_text=_("{radius} km").format(radius=localise_digits(f"{r:g}")),
                      annotation_position="top left")
    if len(attacks):
        fig.add_scatter(
            x=attacks["event_date"], y=attacks["distance_km"], mode="markers",
            name=_("Attack on US/coalition or diplomatic site"),
            marker={"symbol": "line-ns-open", "size": 14, "line": {"width": 2},
                    "color": DIRECTION_COLORS[ATTACKS]},
            customdata=np.stack([plain(attacks["location"]), attacks["distance_km"]], axis=1),
            hovertemplate="%{x|%d %b %Y}: %{customdata[0]}<br>"
                          # Translators: in a hover label; {distance} is a number of kilometres
                          + _("{distance} km from the site").format(distance="%{customdata[1]}")
                          + "<extra></extra>")
    fig.update_layout(height=300, margin={"l": 10, "r": 10, "t": 10, "b": 10},
                      legend={"orientation": "h", "y": -0.2},
                      yaxis={"title": _("km from the site"), "range": [0, top * 1.08]})
    return fig
