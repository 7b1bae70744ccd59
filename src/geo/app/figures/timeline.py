"""Timelines: events per period with the key dates and milestones, and the transition phases."""

from __future__ import annotations

import html
import math

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from geo.app.figures.common import (
    EVENT_TYPE_COLORS,
    OKABE_ITO,
    REGION_COLORS,
    direction_colors,
    legend_order,
    plain,
    shown,
    word,
)
from geo.data.i18n import _, day

DAY = "dd MMM y"  # 04 Mar 2026, as strftime's %d %b %Y wrote it


def timeline_chart(tl: pd.DataFrame, key_dates: pd.DataFrame, by: str = "event_type",
                   title: str = "", coverage: tuple[pd.Timestamp, pd.Timestamp] | None = None,
                   period: tuple[pd.Timestamp, pd.Timestamp] | None = None,
                   dark: bool = False) -> go.Figure:
    """Stacked bars of events per period. Key dates are labelled vertical lines, the other
    milestones small markers along the top (hover for what happened). Outside `coverage` (the
    data's first and last date) the axis is shaded: no data there is not the same as quiet.
    With a filtered `period` the axis is that period, and only its key dates are drawn."""
    fig = go.Figure()
    if period is not None:
        key_dates = key_dates[key_dates["date"].between(*period)]
    for value in legend_order(tl[by]) if len(tl) else []:
        grp = tl[tl[by].astype(str) == value]
        name = shown(value)
        fig.add_bar(x=grp["period"], y=grp["events"], name=name,
                    marker_color={**EVENT_TYPE_COLORS, **REGION_COLORS,
                                  **direction_colors(dark)}.get(str(value)),
                    # Translators: a chart's hover label; {count} is a number of events the
                    # chart fills in (any number), {month} its month
                    hovertemplate=_("{month}: {count} events").format(month="%{x|%b %Y}",
                                                                      count="%{y}")
                    + "<extra>" + name + "</extra>")
    if "key" not in key_dates:
        key_dates = key_dates.assign(key=True, description="")
    dates = pd.concat([tl["period"], key_dates["date"]]).dropna()
    lo, hi = (dates.min(), dates.max()) if len(dates) else (None, None)
    if period is not None:
        lo, hi = period
    # Milestone markers go on up to three rows so that no two overlap.
    minor = key_dates[~key_dates["key"].astype(bool)].sort_values("date")
    span = (hi - lo) if lo is not None else pd.Timedelta(days=365)
    rows = marker_rows(minor["date"], max(span / 70, pd.Timedelta(days=1)))
    # Shapes and annotations are collected and set once: Plotly's add_vline/add_annotation
    # copy the whole layout on every call (30 milestones cost ~0.2 s).
    shapes: list[dict] = []
    notes: list[dict] = []
    # Key dates: a numbered line each, and the numbered list under the chart (labels written
    # beside the lines covered each other as soon as two lines were close).
    lines = key_dates[key_dates["key"].astype(bool)].reset_index(drop=True)
    listed = []
    for i, row in lines.iterrows():
        shapes.append({"type": "line", "x0": row["date"], "x1": row["date"], "xref": "x",
                       "y0": 0, "y1": 1, "yref": "paper",
                       "line": {"dash": "dot", "color": "#666666"}})
        notes.append({"x": row["date"], "y": 1.0, "yref": "paper", "yanchor": "top",
                      "text": str(i + 1), "showarrow": False, "font": {"size": 10},
                      "bgcolor": "rgba(128,128,128,0.25)",
                      "hovertext": html.escape(f"{row['label']}: {row['description']}"[:200],
                                               quote=False)})
        listed.append(f"{i + 1} {day(row['date'], DAY)}: "
                      f"{html.escape(str(row['label']), quote=False)}")
    # Below the plot: ticks, the legend two entries a row (so its height is known whatever the
    # chart's width), then the numbered list of key dates.
    plot_px, top = 300, (44 if title else 24) + 14 * (max(rows, default=0))
    legend_px = 20 * math.ceil(len(fig.data) / 2)
    list_at = 30 + legend_px + 8
    if listed:
        notes.append({"x": 0, "xref": "paper", "xanchor": "left", "y": -list_at / plot_px,
                      "yref": "paper", "yanchor": "top", "align": "left", "showarrow": False,
                      "font": {"size": 11}, "text": "<br>".join(listed)})
    for (_i, row), level in zip(minor.iterrows(), rows, strict=True):
        notes.append({"x": row["date"], "y": 1.0 + 0.055 * level, "yref": "paper",
                      "yanchor": "bottom", "text": "◆", "showarrow": False,
                      "font": {"size": 10, "color": OKABE_ITO[5]},
                      "hovertext": html.escape(f"{day(row['date'], DAY)}: {row['label']}",
                                               quote=False)})
    x_range = None
    if lo is not None:
        start, end = lo - pd.Timedelta(days=45), hi + pd.Timedelta(days=60)
        if coverage is not None:  # shade what the axis shows beyond the data, and say so
            for x0, x1, text, wide in (
                    (start, coverage[0], _("no data before {date}").format(
                        date=day(coverage[0], DAY)), 90),
                    (coverage[1], end, _("no data after {date}").format(
                        date=day(coverage[1], DAY)), 30)):
                if x1 > x0:
                    shapes.append({"type": "rect", "x0": x0, "x1": x1, "xref": "x", "y0": 0,
                                   "y1": 1, "yref": "paper", "fillcolor": "#999999",
                                   "opacity": 0.18, "line": {"width": 0}, "layer": "below"})
                if x1 - x0 > pd.Timedelta(days=wide):  # a narrow margin is only axis padding
                    notes.append({"x": x0 + (x1 - x0) / 2, "y": 0.5, "yref": "paper",
                                  "text": text, "textangle": -90, "showarrow": False,
                                  "font": {"size": 10, "color": "#777777"}})
        x_range = [start, end]
    bottom = list_at + 16 * len(listed) + 10
    # Whole events only: a short period with one or two events showed ticks at 0.2 events.
    peak = tl.groupby("period")["events"].sum().max() if len(tl) else 0
    fig.update_layout(
        shapes=shapes, annotations=notes, barmode="stack", title=title,
        height=top + plot_px + bottom, margin={"l": 10, "r": 10, "t": top, "b": bottom},
        xaxis={"range": x_range},
        yaxis={"title": {"text": _("events")}, "rangemode": "tozero", "tickformat": ",d",
               "dtick": 1 if peak <= 8 else None},
        legend={"orientation": "h", "y": -28 / plot_px, "yanchor": "top", "entrywidth": 0.5,
                "entrywidthmode": "fraction", "traceorder": "normal", "font": {"size": 10}})
    return fig


def marker_rows(dates: pd.Series, gap: pd.Timedelta, levels: int = 3) -> list[int]:
    """A row (0 = lowest) for each of the sorted `dates` so that markers on one row are at
    least `gap` apart; markers that still cannot fit share the top row."""
    last: list[pd.Timestamp | None] = [None] * levels
    rows = []
    for when in dates:
        row = next((i for i, prev in enumerate(last) if prev is None or when - prev >= gap),
                   levels - 1)
        last[row] = when
        rows.append(row)
    return rows


def transition_timeline(transition: pd.DataFrame, today: pd.Timestamp | None = None) -> go.Figure:
    """Phases as bars: planned and reported on separate rows, so they are never confused. A
    reported row with a start but no end runs to today; a row with no dates is left to the table."""
    today = today or pd.Timestamp.today().normalize()
    transition = transition.copy()
    planned = transition["status_kind"] == "planned"
    # A planned phase without a stated start follows the previous planned phase.
    previous_end = transition[planned].sort_values("phase")["end_date"].shift()
    transition.loc[planned, "start_date"] = transition.loc[planned, "start_date"].fillna(previous_end)
    df = transition[transition["start_date"].notna() & (transition["end_date"].notna()
                                                        | (transition["status_kind"] == "reported"))].copy()
    df["finish"] = df["end_date"].fillna(today)
    # Translators: a row of the transition chart, e.g. "Phase 1 · Federal Iraq (planned)";
    # {kind} is "planned" or "reported"
    row = _("Phase {phase} · {area} ({kind})")
    df["row"] = [row.format(phase=phase, area=shown(area), kind=word(kind))
                 for phase, area, kind in zip(df["phase"], df["area"], df["status_kind"], strict=True)]
    fig = go.Figure()
    for kind, color in (("planned", OKABE_ITO[1]), ("reported", OKABE_ITO[4])):
        grp = df[df["status_kind"] == kind]
        if grp.empty:
            continue
        # Translators: the end of a phase still under way: today's date, then "(ongoing)"
        ongoing = _("{date} (ongoing)")
        finish = [(ongoing if pd.isna(end) else "{date}").format(date=day(when, DAY))
                  for when, end in zip(grp["finish"], grp["end_date"], strict=True)]
        fig.add_bar(y=grp["row"], x=(grp["finish"] - grp["start_date"]).dt.days * 86_400_000,
                    base=grp["start_date"], orientation="h", name=word(kind), marker_color=color,
                    customdata=np.stack([plain(grp["description"].str.slice(0, 160)),
                                         finish], axis=1),
                    hovertemplate="%{base|%d %b %Y} → %{customdata[1]}<br>%{customdata[0]}"
                                  "<extra></extra>")
    fig.add_vline(x=today, line_color="#D55E00", line_dash="dot")
    fig.add_annotation(x=today, y=1.02, yref="paper", text=_("today"), showarrow=False)
    fig.update_layout(barmode="overlay", height=300, xaxis_type="date",
                      margin={"l": 10, "r": 10, "t": 20, "b": 10}, legend={"orientation": "h"})
    return fig
