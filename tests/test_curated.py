"""The shipped curated data: valid, sourced, and where it should be on the map."""

from __future__ import annotations

import pandas as pd
import pytest

from geo.datasets import DATASETS, load

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
    planned = plan[plan.status_kind == "planned"].set_index("phase")
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
