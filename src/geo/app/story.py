"""The Overview's story: a few sentences and the transition status, generated from the data.

Nothing here is hand-written prose about events: every number, date and name comes from the
filtered events, the troop levels and the transition table, so the text follows the filter and
never goes stale. Counts of directions use `geo.app.direction`.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from geo.app import aggregate
from geo.app import direction as d
from geo.app.actors import family_of
from geo.data.schemas import INVALID_COORDINATES, NOT_ATTRIBUTABLE, OUTSIDE_IRAQ


def _n(count: int, one: str, many: str | None = None) -> str:
    return f"{count:,} {one if count == 1 else (many or one + 's')}"


def _day(when: pd.Timestamp) -> str:
    return f"{when.day} {when:%b %Y}"


def sentences(events: pd.DataFrame, troop_levels: pd.DataFrame,
              period: tuple[pd.Timestamp, pd.Timestamp] | None = None,
              coverage: tuple[pd.Timestamp, pd.Timestamp] | None = None) -> list[str]:
    """Two or three plain sentences for the filtered events (no Markdown, no HTML). When the
    chosen `period` runs past the data's `coverage`, the text says so: an empty month after the
    last recorded event is missing data, not a quiet month."""
    gap = _coverage_gap(period, coverage)
    if events.empty:
        return ["No event in the data matches the filter.", *gap]
    first, last = events["event_date"].min(), events["event_date"].max()
    directions = d.direction(events)
    count = directions.value_counts()
    attacks = events[directions == d.ATTACKS]
    by = family_of(attacks, "actor1").value_counts()
    claimed = int(by.get("PMF and Iran-aligned groups", 0))
    iran = int(by.get("Iran", 0))
    parts = [
        f"From {_day(first)} to {_day(last)} the data holds {_n(len(events), 'event')}: "
        f"{_n(int(count.get(d.ATTACKS, 0)), 'attack')} on US/coalition forces and diplomatic sites "
        f"({claimed:,} claimed by or attributed to Iran-aligned groups, {iran:,} by Iran, the rest "
        f"unclaimed), {_n(int(count.get(d.STRIKES, 0)), 'US, coalition or Israeli strike')}, "
        f"{_n(int(count.get(d.UNCLAIMED_STRIKES, 0)), 'unclaimed strike')} on the PMF and "
        f"militias, {_n(int(count.get(d.CROSS_BORDER, 0)), 'event')} of Iranian and Turkish "
        f"cross-border violence and {_n(int(count.get(d.ISLAMIC_STATE, 0)), 'event')} involving "
        "the Islamic State.",
    ]
    known, unknown = aggregate.fatality_summary(events)
    parts.append(f"Sources report {aggregate.fatality_text(known, unknown)}.")
    troops = aggregate.latest_troop_level(troop_levels)
    if troops is not None:
        parts.append(f"The latest US troop figure is {troop_figure(troops)} "
                     f"({_day(troops['as_of_date'])}, {troops['source_publisher']}).")
    return parts + gap


def _coverage_gap(period: tuple[pd.Timestamp, pd.Timestamp] | None,
                  coverage: tuple[pd.Timestamp, pd.Timestamp] | None) -> list[str]:
    if period is None or coverage is None:
        return []
    (start, end), (first, last) = period, coverage
    said = []
    if end.normalize() > last.normalize():
        said.append(f"The events data ends on {_day(last)}: nothing after that date is in it, "
                    "which does not mean nothing happened.")
    if start.normalize() < first.normalize():
        said.append(f"The events data starts on {_day(first)}.")
    return said


# A troop figure's qualifier in words and as a sign ('up to' in the data stands for the
# sources' 'fewer than'); an exact figure has neither.
_QUALIFIED = {"about": ("about ", "~"), "up to": ("fewer than ", "<"),
              "at least": ("at least ", "≥"), "estimate": ("an estimated ", "~")}


def troop_figure(troops: pd.Series, short: bool = False) -> str:
    """'about 2,500', 'fewer than 2,000', 'an estimated 1,600'; with `short`, the same figure
    in a headline's width: '~2,500', '<2,000', '≥2,000'."""
    words, sign = _QUALIFIED.get(str(troops["personnel_qualifier"]), ("", ""))
    return f"{sign if short else words}{int(troops['personnel']):,}"


@dataclass(frozen=True)
class PhaseStatus:
    phase: int
    area: str
    deadline: pd.Timestamp | None
    outcome: str
    source_publisher: str
    source_url: str


def transition_status(transition: pd.DataFrame) -> list[PhaseStatus]:
    """Each phase: the deadline of the first plan, then what was last reported about it — the
    date it was reported complete, or that its outcome is unknown, or that no report exists."""
    out = []
    for phase, rows in transition.groupby("phase", sort=True):
        planned = rows[rows["status_kind"] == "planned"]
        reported = rows[rows["status_kind"] == "reported"]
        deadline = planned["end_date"].dropna().iloc[0] if planned["end_date"].notna().any() else None
        area = str((planned if len(planned) else rows)["area"].iloc[0])
        done = reported[reported["end_date"].notna()].sort_values("end_date")
        unknown = reported[reported["description"].str.contains(r"\bunknown\b", case=False,
                                                                 na=False)]
        if len(done):
            row = done.iloc[-1]
            late = deadline is not None and row["end_date"] > deadline
            outcome = (f"reported complete on {_day(row['end_date'])}"
                       + (f", {(row['end_date'] - deadline).days} days after the deadline"
                          if late else ""))
        elif len(unknown):
            row = unknown.iloc[-1]
            outcome = "outcome unknown: no report found of what happened at the deadline"
        elif len(reported):
            row = reported.iloc[-1]
            outcome = "under way; no report of completion"
        else:
            row = planned.iloc[-1]
            outcome = "no report"
        out.append(PhaseStatus(int(phase), area, deadline, outcome, str(row["source_publisher"]),
                               str(row["source_url"])))
    return out


def unplaced(events: pd.DataFrame) -> str | None:
    """The filtered events no governorate counts, said apart (so that the governorate totals
    plus this sentence are the whole filter): placed only "in Iraq" by their source, outside
    Iraq (on the border or beyond), or without valid coordinates."""
    if events.empty or "admin1_code" not in events:
        return None
    none = events[events["admin1_code"].isna()]
    if none.empty:
        return None
    parts = []
    for region, what in ((NOT_ATTRIBUTABLE, "placed only in Iraq by their source (not "
                          "attributable to a governorate)"),
                         (OUTSIDE_IRAQ, "outside Iraq"),
                         (INVALID_COORDINATES, "without valid coordinates")):
        rows = none[none["region"] == region]
        if len(rows):
            deaths = int(rows["fatalities"].fillna(0).sum())
            border = (rows["attribution"] == "on the border").sum() if "attribution" in rows else 0
            near = f", {border:,} of them on the border" if border else ""
            parts.append(f"{_n(len(rows), 'event')} ({_n(deaths, 'death')}) {what}{near}")
    if not parts:
        return None
    return "Not in any governorate above: " + "; ".join(parts) + "."
