"""The Overview's story: a few sentences and the transition status, generated from the data.

Nothing here is hand-written prose about events: every number, date and name comes from the
filtered events, the troop levels and the transition table, so the text follows the filter and
never goes stale. Counts of directions use `geo.app.direction`.

The sentences are in the reader's language (`geo.data.i18n`): every count goes through
`ngettext` (Arabic has six plural forms, with a dual), each sentence is one message with named
placeholders, so a translator can reorder it.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from geo.app import aggregate
from geo.app import direction as d
from geo.app.actors import family_of
from geo.data.i18n import N_, _, day, isolate, ngettext, number
from geo.data.schemas import INVALID_COORDINATES, NOT_ATTRIBUTABLE, OUTSIDE_IRAQ


def _day(when: pd.Timestamp) -> str:
    """'14 Mar 2026' in the reader's language."""
    return day(when)


def sentences(events: pd.DataFrame, troop_levels: pd.DataFrame,
              period: tuple[pd.Timestamp, pd.Timestamp] | None = None,
              coverage: tuple[pd.Timestamp, pd.Timestamp] | None = None) -> list[str]:
    """Two or three plain sentences for the filtered events (no Markdown, no HTML). When the
    chosen `period` runs past the data's `coverage`, the text says so: an empty month after the
    last recorded event is missing data, not a quiet month."""
    gap = _coverage_gap(period, coverage)
    if events.empty:
        return [_("No event in the data matches the filter."), *gap]
    first, last = events["event_date"].min(), events["event_date"].max()
    directions = d.direction(events)
    count = directions.value_counts()
    attacks = events[directions == d.ATTACKS]
    by = family_of(attacks, "actor1").value_counts()
    claimed = int(by.get("PMF and Iran-aligned groups", 0))
    iran = int(by.get("Iran", 0))
    n = {k: int(count.get(k, 0)) for k in (d.ATTACKS, d.STRIKES, d.UNCLAIMED_STRIKES,
                                           d.CROSS_BORDER, d.ISLAMIC_STATE)}
    # Each count of the first sentence is a phrase of its own, in the plural form its number
    # needs; the sentence then puts them in order.
    # Translators: a count in the Overview's first sentence: "the data holds {n} events: …"
    held = ngettext("{n} event", "{n} events", len(events))
    # Translators: a count in the Overview's first sentence (attacks by militias and others on
    # US and coalition troops, bases and US diplomatic sites)
    on_us = ngettext("{n} attack on US/coalition forces and diplomatic sites",
                     "{n} attacks on US/coalition forces and diplomatic sites", n[d.ATTACKS])
    # Translators: in brackets after "{n} attacks on US/coalition forces…": {n} of those attacks
    # were claimed by, or attributed to, Iran-aligned armed groups (the PMF and militias)
    by_militias = ngettext("{n} claimed by or attributed to Iran-aligned groups",
                           "{n} claimed by or attributed to Iran-aligned groups", claimed)
    # Translators: in brackets after "{n} attacks on US/coalition forces…": {n} of those attacks
    # were carried out by Iran itself
    by_iran = ngettext("{n} by Iran", "{n} by Iran", iran)
    # Translators: a count in the Overview's first sentence: air and drone strikes by US,
    # coalition or Israeli forces
    strikes = ngettext("{n} US, coalition or Israeli strike",
                       "{n} US, coalition or Israeli strikes", n[d.STRIKES])
    # Translators: a count in the Overview's first sentence: strikes nobody claimed, on the
    # Popular Mobilization Forces (PMF) and militias
    unclaimed = ngettext("{n} unclaimed strike on the PMF and militias",
                         "{n} unclaimed strikes on the PMF and militias", n[d.UNCLAIMED_STRIKES])
    # Translators: a count in the Overview's first sentence
    cross_border = ngettext("{n} event of Iranian and Turkish cross-border violence",
                            "{n} events of Iranian and Turkish cross-border violence",
                            n[d.CROSS_BORDER])
    # Translators: a count in the Overview's first sentence
    islamic_state = ngettext("{n} event involving the Islamic State",
                             "{n} events involving the Islamic State", n[d.ISLAMIC_STATE])
    parts = [
        # Translators: the Overview's first sentence, generated from the filtered events.
        # {first}, {last}: dates ("14 Mar 2026"). Every other placeholder is a count phrase
        # translated on its own, in its plural form: {events} "1,234 events", {attacks}
        # "56 attacks on US/coalition forces and diplomatic sites", {by_militias} "40 claimed
        # by or attributed to Iran-aligned groups", {by_iran} "3 by Iran", {strikes} "12 US,
        # coalition or Israeli strikes", {unclaimed_strikes} "5 unclaimed strikes on the PMF
        # and militias", {cross_border} "300 events of Iranian and Turkish cross-border
        # violence", {islamic_state} "800 events involving the Islamic State".
        _("From {first} to {last} the data holds {events}: {attacks} ({by_militias}, {by_iran}, "
          "the rest unclaimed), {strikes}, {unclaimed_strikes}, {cross_border} and "
          "{islamic_state}.").format(
            first=_day(first), last=_day(last),
            events=held.format(n=number(len(events))),
            attacks=on_us.format(n=number(n[d.ATTACKS])),
            by_militias=by_militias.format(n=number(claimed)),
            by_iran=by_iran.format(n=number(iran)),
            strikes=strikes.format(n=number(n[d.STRIKES])),
            unclaimed_strikes=unclaimed.format(n=number(n[d.UNCLAIMED_STRIKES])),
            cross_border=cross_border.format(n=number(n[d.CROSS_BORDER])),
            islamic_state=islamic_state.format(n=number(n[d.ISLAMIC_STATE]))),
    ]
    known, unknown = aggregate.fatality_summary(events)
    # Translators: the Overview's second sentence; {fatalities} is "at least 93 deaths (12
    # events with unknown toll)", translated on its own
    parts.append(_("Sources report {fatalities}.").format(
        fatalities=aggregate.fatality_text(known, unknown)))
    troops = aggregate.latest_troop_level(troop_levels)
    if troops is not None:
        # Translators: the Overview's third sentence. {figure}: the number of US troops in Iraq
        # with its qualifier ("fewer than 2,000", "about 2,500"); {date}: when it was reported;
        # {publisher}: the news outlet that reported it (as the source writes its name)
        parts.append(_("The latest US troop figure is {figure} ({date}, {publisher}).").format(
            figure=troop_figure(troops), date=_day(troops["as_of_date"]),
            publisher=isolate(troops["source_publisher"])))
    return parts + gap


def _coverage_gap(period: tuple[pd.Timestamp, pd.Timestamp] | None,
                  coverage: tuple[pd.Timestamp, pd.Timestamp] | None) -> list[str]:
    if period is None or coverage is None:
        return []
    (start, end), (first, last) = period, coverage
    said = []
    if end.normalize() > last.normalize():
        # Translators: said when the filter's period runs past the data: {date} is the last
        # event's date; an empty stretch after it is missing data, not a quiet time
        said.append(_("The events data ends on {date}: nothing after that date is in it, "
                      "which does not mean nothing happened.").format(date=_day(last)))
    if start.normalize() < first.normalize():
        # Translators: said when the filter's period starts before the data; {date} is the
        # first event's date
        said.append(_("The events data starts on {date}.").format(date=_day(first)))
    return said


# A troop figure's qualifier in words and as a sign ('up to' in the data stands for the
# sources' 'fewer than'); an exact figure has neither. {n} is the number of soldiers.
_QUALIFIED = {
    # Translators: a number of US troops ("about 2,500"), said in the Overview's story
    "about": (N_("about {n}"), "~{n}"),
    # Translators: a number of US troops ("fewer than 2,000"), said in the Overview's story
    "up to": (N_("fewer than {n}"), "<{n}"),
    # Translators: a number of US troops ("at least 2,000"), said in the Overview's story
    "at least": (N_("at least {n}"), "≥{n}"),
    # Translators: a number of US troops ("an estimated 1,600"), said in the Overview's story
    "estimate": (N_("an estimated {n}"), "~{n}"),
}


def troop_figure(troops: pd.Series, short: bool = False) -> str:
    """'about 2,500', 'fewer than 2,000', 'an estimated 1,600'; with `short`, the same figure
    in a headline's width: '~2,500', '<2,000', '≥2,000'."""
    words, sign = _QUALIFIED.get(str(troops["personnel_qualifier"]), ("{n}", "{n}"))
    figure = number(int(troops["personnel"]))
    if short:
        return sign.format(n=figure)
    return (_(words) if words != "{n}" else words).format(n=figure)


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
            if late:
                days = int((row["end_date"] - deadline).days)
                # Translators: a transition phase's status (the coalition's withdrawal from an
                # area): {date} the day it was reported complete, {n} the days past its deadline
                outcome = ngettext("reported complete on {date}, {n} day after the deadline",
                                   "reported complete on {date}, {n} days after the deadline",
                                   days).format(date=_day(row["end_date"]), n=number(days))
            else:
                # Translators: a transition phase's status; {date} the day it was reported
                # complete
                outcome = _("reported complete on {date}").format(date=_day(row["end_date"]))
        elif len(unknown):
            row = unknown.iloc[-1]
            # Translators: a transition phase's status: its deadline passed, nobody reported
            # what happened
            outcome = _("outcome unknown: no report found of what happened at the deadline")
        elif len(reported):
            row = reported.iloc[-1]
            # Translators: a transition phase's status
            outcome = _("under way; no report of completion")
        else:
            row = planned.iloc[-1]
            # Translators: a transition phase's status: planned, nothing reported since
            outcome = _("no report")
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
    for region in (NOT_ATTRIBUTABLE, OUTSIDE_IRAQ, INVALID_COORDINATES):
        rows = none[none["region"] == region]
        if len(rows):
            deaths = int(rows["fatalities"].fillna(0).sum())
            border = int((rows["attribution"] == "on the border").sum()) \
                if "attribution" in rows else 0
            part = _unplaced_part(region, len(rows), deaths)
            if border:
                # Translators: {events} is "3 events (2 deaths) outside Iraq"; {n} of those
                # events lie on the border
                part = ngettext("{events}, {n} of them on the border",
                                "{events}, {n} of them on the border", border).format(
                    events=part, n=number(border))
            parts.append(part)
    if not parts:
        return None
    # Translators: under the governorate table: the filtered events no governorate counts;
    # {parts} is one or more "3 events (2 deaths) outside Iraq" joined by "; "
    return _("Not in any governorate above: {parts}.").format(parts="; ".join(parts))


def _unplaced_part(region: str, n: int, deaths: int) -> str:
    """'3 events (2 deaths) outside Iraq': one kind of event no governorate counts."""
    # Translators: in brackets after a count of events: the deaths reported in them
    toll = ngettext("{n} death", "{n} deaths", deaths).format(n=number(deaths))
    if region == NOT_ATTRIBUTABLE:
        # Translators: events whose source says only "in Iraq"; {deaths} is "2 deaths"
        text = ngettext("{n} event ({deaths}) placed only in Iraq by their source (not "
                        "attributable to a governorate)",
                        "{n} events ({deaths}) placed only in Iraq by their source (not "
                        "attributable to a governorate)", n)
    elif region == OUTSIDE_IRAQ:
        # Translators: events placed outside Iraq's borders; {deaths} is "2 deaths"
        text = ngettext("{n} event ({deaths}) outside Iraq", "{n} events ({deaths}) outside Iraq",
                        n)
    else:
        # Translators: events whose coordinates are missing or invalid; {deaths} is "2 deaths"
        text = ngettext("{n} event ({deaths}) without valid coordinates",
                        "{n} events ({deaths}) without valid coordinates", n)
    return text.format(n=number(n), deaths=toll)
