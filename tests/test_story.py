"""The Overview's generated story and transition status follow the data and the filter."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from geo.app import direction as d
from geo.app import filters, story
from geo.app.filters import Filter
from geo.sources.curated import load


@pytest.fixture(scope="module")
def data(admin1):
    return {n: load(n, admin1).data for n in ("events", "troop_levels", "transition")}


def test_sentences_count_what_the_filter_holds(data):
    ev = data["events"]
    text = " ".join(story.sentences(ev, data["troop_levels"]))
    dirs = d.direction(ev).value_counts()
    assert f"{len(ev):,} events" in text
    assert f"{dirs[d.ATTACKS]:,} attacks on US/coalition forces" in text
    assert "at least" in text and "with unknown toll" in text
    assert ("The latest US troop figure is fewer than 1,000 (20 Mar 2026, The New York Times "
            "(copy at dnyuz.com)).") in text
    narrow = filters.apply(ev, Filter(start=date(2024, 1, 1), end=date(2024, 1, 31)))
    text = " ".join(story.sentences(narrow, data["troop_levels"]))
    assert text.startswith(f"From {narrow.event_date.min().day} Jan 2024")
    assert f"{len(narrow):,} event" in text
    assert story.sentences(ev.iloc[:0], data["troop_levels"]) == [
        "No event in the data matches the filter."]
    # A period past the data's end is said to be uncovered, whether or not events fall in it.
    cover = (ev.event_date.min(), ev.event_date.max())
    late = (pd.Timestamp("2026-01-01"), pd.Timestamp("2026-12-01"))
    said = " ".join(story.sentences(ev[ev.event_date >= late[0]], data["troop_levels"], late, cover))
    assert f"The events data ends on {cover[1].day} {cover[1]:%b %Y}" in said
    inside = (pd.Timestamp("2021-01-01"), pd.Timestamp("2021-12-31"))
    assert "ends on" not in " ".join(story.sentences(ev, data["troop_levels"], inside, cover))


def test_transition_status_reports_outcome_or_unknown(data):
    phases = {p.phase: p for p in story.transition_status(data["transition"])}
    assert phases[1].area == "Federal Iraq" and phases[1].deadline == pd.Timestamp("2025-09-30")
    assert phases[1].outcome.startswith("reported complete on 18 Jan 2026")
    assert "days after the deadline" in phases[1].outcome
    assert phases[2].area == "Kurdistan Region" and phases[2].deadline == pd.Timestamp("2026-09-30")
    assert phases[2].outcome.startswith("outcome unknown")
    assert all(p.source_url.startswith("http") for p in phases.values())
    # without the 'unknown' row the strip says the phase is under way, not finished
    rows = data["transition"]
    rows = rows[~rows.description.str.contains("unknown", case=False)]
    assert {p.phase: p for p in story.transition_status(rows)}[2].outcome.startswith("under way")


def test_headline_troop_figure_is_short_and_keeps_its_qualifier(data):
    levels = data["troop_levels"]
    row = levels.iloc[0].copy()
    for qualifier, long, short in (("up to", "fewer than 2,000", "<2,000"),
                                   ("about", "about 2,000", "~2,000"),
                                   ("at least", "at least 2,000", "≥2,000"),
                                   ("exact", "2,000", "2,000")):
        row["personnel"], row["personnel_qualifier"] = 2000, qualifier
        assert story.troop_figure(row) == long and story.troop_figure(row, short=True) == short
