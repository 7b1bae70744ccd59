"""The shipped curated data: valid, sourced, and where it should be on the map."""

from __future__ import annotations

import pandas as pd
import pytest

from geo.sources.curated import DATASETS, load

EXPECTED_SITE_GOVERNORATE = {
    # Coordinates from Wikipedia infoboxes (sites.csv); governorates are the sites' known ones.
    "camp-taji": "IQ-BG", "baghdad-airport": "IQ-BG", "victory-base": "IQ-BG",
    "union-iii": "IQ-BG", "us-embassy-baghdad": "IQ-BG", "ain-al-asad": "IQ-AN",
    "al-taqaddum": "IQ-AN", "al-qaim": "IQ-AN", "erbil-air-base": "IQ-AR", "harir": "IQ-AR",
    "k1-air-base": "IQ-KI", "kirkuk-air-base": "IQ-KI", "q-west": "IQ-NI", "balad": "IQ-SD",
    "mosul-airport": "IQ-NI", "ibrahim-khalil-border-crossing": "IQ-DA",
    "sulaymaniyah-airport": "IQ-SU", "basra-airport": "IQ-BA",
}


@pytest.fixture(scope="module")
def loaded(admin1):
    return {name: load(name, admin1) for name in DATASETS}


@pytest.mark.parametrize("name", DATASETS)
def test_dataset_has_no_errors_and_every_row_is_sourced(loaded, name):
    x = loaded[name]
    assert x.rejected.empty, x.issues.to_string()
    assert (x.issues.severity != "error").all()
    assert len(x.data) > 0
    if "source_url" in x.data:
        assert x.data.source_url.str.match(r"^https?://").all()


def test_sites_fall_in_their_governorate(loaded):
    sites = loaded["sites"].data.set_index("site_id")
    for site, code in EXPECTED_SITE_GOVERNORATE.items():
        assert sites.loc[site, "admin1_code"] == code, site
    assert sites.loc["harir", "region"] == "Kurdistan Region"
    assert sites.loc["ain-al-asad", "region"] == "Federal Iraq"


def test_sites_without_published_position_are_listed_not_invented(loaded):
    sites = loaded["sites"].data
    missing = sites[sites.latitude.isna()]
    assert (missing.region == "No valid coordinates").all()
    assert missing.geo_precision.isna().all()
    placed = sites[sites.latitude.notna()]
    assert placed.region.isin(["Federal Iraq", "Kurdistan Region"]).all()
    assert placed.coord_source.notna().all()


def test_deployments_keep_planned_and_reported_apart(loaded):
    dep = loaded["deployments"].data
    assert set(dep.status_kind) == {"planned", "reported"}
    assert dep.site_name.notna().all()
    handed = dep[(dep.status == "handed over") & (dep.as_of_date.dt.year == 2020)]
    assert {"al-qaim", "q-west", "k1-air-base", "al-taqaddum", "camp-taji"} <= set(handed.site_id)
    # personnel only where a figure was published, always with its qualifier
    assert (dep.personnel.isna() == dep.personnel_qualifier.isna()).all()


def test_transition_plan_as_data(loaded):
    plan = loaded["transition"].data
    planned = plan[plan.status_kind == "planned"].groupby("phase").first()  # the 2024 plan
    assert planned.loc[1, "area"] == "Federal Iraq"
    assert planned.loc[1, "end_date"] == pd.Timestamp("2025-09-30")
    assert planned.loc[2, "area"] == "Kurdistan Region"
    assert planned.loc[2, "end_date"] == pd.Timestamp("2026-09-30")
    assert (plan.status_kind == "reported").any()


def test_national_troop_levels(loaded):
    levels = loaded["troop_levels"].data
    reported = levels[levels.status_kind == "reported"]
    by_year = reported.groupby(reported.as_of_date.dt.year)["personnel"].max()
    assert by_year[2020] == 5200
    assert 2500 in set(reported[reported.as_of_date.dt.year == 2021].personnel)
    assert (levels.personnel_qualifier == "about").any()


# ---------------------------------------------------------------- issue 10: content checks

RETIRED_EVENT_IDS = {
    # not violent events: moved to milestones.csv (a vote, a warrant, an agreement, a phone call)
    "IRQ-CUR-0005", "IRQ-CUR-0016", "IRQ-CUR-0043", "IRQ-CUR-0044",
}
_NUMBER = (r"(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|"
           r"fourteen|fifteen|twenty|thirty|dozens?)")
_NOT_A_COUNT = (r"(?!\s*(?:January|February|March|April|May|June|July|August|September|October|"
                r"November|December|km|kilomet|per ?cent|%|:\d))")  # dates, distances, times
STATED_DEATHS = (rf"\b{_NUMBER}\b{_NOT_A_COUNT}[^.;]{{0,60}}?\b(?:killed|dead|died|deaths?|fatalities|"
                 rf"lost their lives)\b|\bkill(?:ed|ing)\s+(?:at least\s+|about\s+|around\s+)?"
                 rf"{_NUMBER}\b")


def test_every_event_at_a_named_site_takes_the_sites_position(loaded):
    """`site:<id>` rows carry the site's coordinates, and a row whose location names a site
    (its first part is the site's name or one of its aliases) is placed at that site."""
    events, sites = loaded["events"], loaded["sites"].data
    assert not events.issues["column"].eq("coord_source").any(), events.issues.to_string()
    names = {}
    for row in sites[sites.latitude.notna()].itertuples():
        for name in [row.name, *str(row.aliases or "").split("|")]:
            if name.strip():
                names[name.strip().casefold()] = row.site_id
    first = events.data.location.str.split(",").str[0].str.strip().str.casefold()
    named = first.map(names)
    wrong = events.data[named.notna() & (events.data.coord_source != "site:" + named)]
    assert wrong.empty, wrong[["event_id", "location", "coord_source"]].to_string()


def test_no_blank_toll_where_the_notes_state_one(loaded):
    ev = loaded["events"].data
    blank = ev[ev.fatalities.isna()]
    stated = blank[blank.notes.str.contains(STATED_DEATHS, case=False, regex=True)]
    assert stated.empty, stated[["event_id", "notes"]].to_string()
    # the check is live: it catches a stated toll
    assert pd.Series(["Two drones hit the base; 3 guards were killed."]).str.contains(
        STATED_DEATHS, case=False).all()
    assert not pd.Series(["Two drones hit the base; 3 guards were wounded.",
                          "On 15 June it was unclear whether anyone was killed."]).str.contains(
        STATED_DEATHS, case=False).any()


def test_fatality_qualifiers_and_splits_follow_the_documented_rules(loaded):
    ev = loaded["events"].data
    assert set(ev.fatalities_qualifier.dropna()) <= {"exact", "at least", "estimate"}
    grouped = ev[ev.fatalities_group.notna()].sort_values(["event_date", "event_id"])
    for group, rows in grouped.groupby("fatalities_group"):
        assert len(rows) >= 2, group
        assert (rows.fatalities_qualifier == "estimate").all(), group
        deaths = rows.fatalities.astype(int).tolist()
        total, n = sum(deaths), len(deaths)
        # ACLED's rule: evenly, the remainder to the first row
        assert deaths == [total // n + total % n] + [total // n] * (n - 1), (group, deaths)


def test_events_are_current_and_complete(loaded):
    ev = loaded["events"].data
    assert len(ev) >= 150
    assert not RETIRED_EVENT_IDS & set(ev.event_id)
    assert set(ev.event_date.dt.year) >= set(range(2019, 2027))
    # the non-events now live among the milestones, with their sources
    ms = loaded["milestones"].data
    assert {"2020-01-05", "2021-01-07", "2024-09-27", "2024-11-08"} <= set(
        ms.date.dt.strftime("%Y-%m-%d"))


def test_milestones_are_short_sourced_labels(loaded):
    ms = loaded["milestones"].data
    assert ms.title.str.len().max() <= 60
    assert ms.milestone_id.is_unique and ms.source_url.str.match(r"^https?://").all()
    assert 3 <= (ms.key == "yes").sum() <= 6  # the few labelled lines; the rest are markers


def test_data_readme_coverage_matches_the_data(loaded):
    from geo.app import coverage
    from geo.data.paths import curated_dir

    tables = {n: loaded[n].data for n in coverage.DATE_COLUMNS}
    block = coverage.readme_block(curated_dir().parent / "README.md")
    assert block == coverage.markdown(tables), "run `geo data coverage --write`"


def test_partisan_figures_are_shown_but_not_counted(loaded):
    from geo.app import aggregate

    levels = loaded["troop_levels"].data
    flagged = levels[levels.partisan.notna()]
    latest = aggregate.latest_troop_level(levels)
    assert latest is not None and pd.isna(latest.partisan) and latest.force == "US forces"
    dep = loaded["deployments"].data
    partisan = dep[dep.partisan.notna()]
    assert len(partisan) >= 2  # ISWNews, Press TV
    personnel = aggregate.latest_personnel(dep)
    for row in partisan.dropna(subset=["personnel"]).itertuples():
        later = dep[(dep.site_id == row.site_id) & dep.partisan.isna() & dep.personnel.notna()]
        assert row.site_id not in personnel.index or len(later), row.deployment_id
    assert flagged.empty or not aggregate.counted(flagged).shape[0]
