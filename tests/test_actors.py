"""Actor families: ACLED names grouped into sides, sub-units before the state they belong to."""

from __future__ import annotations

import pandas as pd
import pytest

from geo.app.actors import FAMILY_ORDER, OTHER, actor_family
from geo.sources.curated import load


@pytest.mark.parametrize(("actor", "family"), [
    ("Military Forces of the United States (2017-2021)", "US forces"),
    ("Military Forces of the United States (2025-)", "US forces"),
    ("Global Coalition Against Daesh", "Coalition partners"),
    ("Military Forces of France (2017-)", "Coalition partners"),
    ("Military Forces of Iran (1989-) Islamic Revolutionary Guard Corps", "Iran"),
    ("Military Forces of Turkey (2016-)", "Turkey"),
    ("Military Forces of Israel (2022-)", "Israel"),
    ("Military Forces of Iraq (2020-2022) Popular Mobilization Forces", "PMF and Iran-aligned groups"),
    ("Kataib Hezbollah", "PMF and Iran-aligned groups"),
    ("Islamic Resistance in Iraq", "PMF and Iran-aligned groups"),
    ("Military Forces of Iraq (2022-) Peshmerga", "Kurdistan Region forces"),
    ("Military Forces of Iraq (2022-) Counter-Terrorism Service", "Iraqi state"),
    ("Police Forces of Iraq (2018-2020)", "Iraqi state"),
    ("Islamic State (Iraq)", "Islamic State"),
    ("PKK: Kurdistan Workers Party", "PKK and affiliates"),
    ("YBS: Sinjar Resistance Units", "PKK and affiliates"),
    ("KDPI: Democratic Party of Iranian Kurdistan", "Iranian Kurdish opposition"),
    ("Unidentified Armed Group (Iraq)", "Unidentified"),
    ("Unidentified Tribal Militia (Iraq)", "Unidentified"),
    ("Saraya Salam", "Other armed groups"),
    ("Protesters (Iraq)", "Protesters and rioters"),
    ("Civilians (Iraq)", "Civilians"),
    ("Somebody Else", OTHER),
])
def test_families(actor, family):
    assert actor_family(pd.Series([actor])).iloc[0] == family
    assert family in FAMILY_ORDER


def test_blank_actor_has_no_family_and_order_is_kept():
    out = actor_family(pd.Series(["Kataib Hezbollah", None, "", "Islamic State (Iraq)"] * 3000))
    assert list(out[:4]) == ["PMF and Iran-aligned groups", "", "", "Islamic State"]
    assert len(out) == 12_000


def test_every_curated_actor_has_a_family(admin1):
    events = load("events", admin1).data
    for column in ("actor1", "actor2"):
        names = events[column].dropna()
        unknown = sorted(set(names[actor_family(names) == OTHER]))
        assert not unknown, (column, unknown)
