"""Aggregations behind the charts agree with direct counts on the real data."""

from __future__ import annotations

import pandas as pd
import pytest

from geo.app import aggregate
from geo.sources.curated import load


@pytest.fixture(scope="module")
def data(admin1):
    return {n: load(n, admin1).data for n in ("events", "sites", "deployments", "troop_levels",
                                              "transition", "milestones")}


def test_attacks_on_foreign_forces(data):
    ev = data["events"]
    mask = aggregate.attacks_on_foreign_forces(ev)
    picked = ev[mask]
    assert len(picked) >= 10
    assert picked.event_type.isin(aggregate.VIOLENT_TYPES).all()
    assert not picked.actor1.str.contains("Military Forces of the United States").any()
    ids = set(picked.event_id)
    assert "IRQ-CUR-0008" in ids  # March 2020 Camp Taji rockets
    assert "IRQ-CUR-0004" not in ids  # the US strike is by, not on, US forces


def test_admin1_table_counts_match(data, admin1):
    table = aggregate.admin1_table(data["events"], data["sites"], admin1)
    assert len(table) == 18 and table.events.sum() == data["events"].admin1_code.notna().sum()
    bg = table.set_index("admin1_code").loc["IQ-BG"]
    assert bg.events == (data["events"].admin1_code == "IQ-BG").sum()
    assert bg.sites == (data["sites"].admin1_code == "IQ-BG").sum()
    placed = data["events"][data["events"].admin1_code.notna()]
    assert table.unknown_toll.sum() == placed.fatalities.isna().sum() > 0
    assert table.fatalities.sum() == placed.fatalities.sum()
    regions = aggregate.region_table(table).set_index("region")
    assert regions.events.sum() == table.events.sum()
    assert regions.loc["Kurdistan Region", "events"] == table[table.region == "Kurdistan Region"].events.sum()


def test_timeline_sums_to_total(data):
    ev = data["events"]
    for freq in ("MS", "W-MON"):
        tl = aggregate.timeline(ev, freq)
        assert tl.events.sum() == len(ev)
    assert aggregate.timeline(ev.iloc[:0]).empty


def test_key_dates_come_from_the_data(data):
    kd = aggregate.key_dates(data["events"], data["transition"])
    assert list(kd.date.dt.strftime("%Y-%m-%d")) == ["2020-01-03", "2025-09-30", "2026-09-30"]
    assert kd.key.all()
    ms = data["milestones"]
    kd = aggregate.key_dates(data["events"], data["transition"], ms)
    deadlines = ms.kind.eq("deadline") & ms.date.isin(kd.date)  # drawn once, as the phase's line
    assert len(kd) == 3 + len(ms) - deadlines.sum() and kd.date.is_monotonic_increasing
    assert deadlines.sum() == 2 and kd.label.str.startswith("Phase").sum() == 2
    lines = set(kd[kd.key].date.dt.strftime("%Y-%m-%d"))
    assert {"2020-01-03", "2024-09-27", "2025-09-30", "2026-09-30"} <= lines  # the 2024 statement
    minor = kd[~kd.key]
    assert set(minor.label) == set(ms[ms.key.isna() & ~deadlines].title)
    assert 3 <= kd.key.sum() <= 8  # a handful of labelled lines, or they cover the bars


def test_fatalities_unknown_is_never_zero(data):
    ev = data["events"]
    known, unknown = aggregate.fatality_summary(ev)
    assert unknown == ev.fatalities.isna().sum() and known == ev.fatalities.sum()
    assert aggregate.fatality_text(93, 12) == "at least 93 deaths (12 events with unknown toll)"
    assert aggregate.fatality_text(1, 0) == "at least 1 death"
    by_type = aggregate.counts_by(ev, "event_type")
    assert by_type.unknown_toll.sum() == unknown


def test_latest_troop_level_ignores_plans(data):
    row = aggregate.latest_troop_level(data["troop_levels"], pd.Timestamp("2021-06-01"))
    assert row.personnel == 2500 and row.status_kind == "reported"
    assert aggregate.latest_troop_level(data["troop_levels"], pd.Timestamp("2000-01-01")) is None


def test_latest_site_status_keeps_planned_and_reported_apart(data):
    status = aggregate.latest_site_status(data["deployments"]).set_index("site_id")
    assert status.loc["camp-taji", "reported_status"] == "handed over"
    assert status.loc["ain-al-asad", "planned_status"] == "withdrawn"
    assert status.loc["ain-al-asad", "reported_status"] == "withdrawn"


def test_latest_personnel_is_the_newest_published_figure(data):
    people = aggregate.latest_personnel(data["deployments"])
    assert people["ain-al-asad"] == 350  # Oct 2025 "up to 350" after the Aug 2025 "about 2,000"
    assert "camp-taji" not in people.index  # no per-site figure published
