"""Measured quality of the geocoder and the geoparser on labelled fixtures (docs/geocoding.md).

The thresholds sit a little below today's figures so a regression fails the suite."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from geo.text.evaluate import evaluate_geocoder, evaluate_geoparser, evaluate_wire

FIXTURES = Path(__file__).parent / "fixtures" / "geocoding"


@pytest.fixture(scope="module")
def geocoded():
    return evaluate_geocoder(pd.read_csv(FIXTURES / "labelled_places.csv"))


def test_geocoder_on_labelled_spellings(geocoded):
    table, m = geocoded
    assert m["places"] >= 60
    assert m["both"] >= 0.96, m  # within 10 km AND right governorate (0.98 measured)
    assert m["none_correct"] == 1.0  # names outside Iraq / made up are never put in Iraq
    wrong = table[(table.match != "none") & table.expected_lat.notna() & ~table.ok]
    assert wrong.empty, wrong[["query", "matched_name", "km"]]  # misses are unmatched, not wrong


def test_geoparser_precision_and_recall():
    table, m = evaluate_geoparser(FIXTURES)
    assert m["mentions"] >= 40
    assert m["precision"] >= 0.95, table  # 1.00 measured
    assert m["recall"] >= 0.93, table  # 0.96 measured


WIRE = FIXTURES / "wire"


@pytest.fixture(scope="module")
def wire():
    return evaluate_wire(WIRE)


def test_wire_fixture_is_what_it_claims():
    """41 passages in wire style, each citing the real report it retells; every label's offsets
    hold its mention; every governorate and every kind is there."""
    passages = pd.read_csv(WIRE / "passages.csv", keep_default_na=False)
    labels = pd.read_csv(WIRE / "labels.csv", keep_default_na=False).merge(passages, on="passage_id")
    assert len(passages) >= 30 and passages["passage_id"].is_unique
    assert passages["based_on_url"].str.match(r"^https?://").all()
    assert all(t[s:e] == m for t, s, e, m in zip(labels.text, labels.start, labels.end,
                                                  labels.mention, strict=True))
    codes = set(labels["expected"].str.split("|").explode())
    assert {c for c in codes if c.startswith("IQ-")} == {
        "IQ-AN", "IQ-AR", "IQ-BA", "IQ-BB", "IQ-BG", "IQ-DA", "IQ-DI", "IQ-DQ", "IQ-KA", "IQ-KI",
        "IQ-MA", "IQ-MU", "IQ-NA", "IQ-NI", "IQ-QA", "IQ-SD", "IQ-SU", "IQ-WA"}
    assert set(labels["kind"]) == {"town", "facility", "area", "foreign"}


def test_wire_passages_recall_and_precision(wire):
    """Issue 14's bar: at least 0.90 recall and 0.98 precision on the Iraqi places the passages
    name (0.94 and 1.00 measured, docs/geocoding.md); nothing foreign is put in Iraq."""
    table, m = wire
    assert m["all_places"] >= 100
    assert m["all_recall"] >= 0.90, table[~table.found & (table.kind != "foreign")]
    assert m["all_precision"] >= 0.98, table[table.placed_in_iraq > table.right_in_iraq]
    for kind in ("town", "facility", "area"):
        assert m[f"{kind}_recall"] >= 0.85, (kind, m)
    assert m["foreign_kept_out"] == 1.0


def test_the_issues_seed_sentences_are_all_found():
    """Every place issue 14 reported missed on wire copy is found, in the right governorate."""
    from geo.text.geoparse import geoparse

    text = ("SYNTHETIC TEST TEXT. Clashes erupted between Hawija and the hills while families fled "
            "Makhmour; a drone struck a convoy near al-Qaim. Rockets hit the Taji military base "
            "north of Baghdad and the Imam Ali air base near Nasiriyah, and a blast shook the Kalsu "
            "base. Drones hit the Khor Mor gas field, the Sarsang and Tawke oil fields and the "
            "Khurmala field. Turkish jets bombed the Qandil mountains and Sidakan, and US aircraft "
            "struck Jurf al-Sakhar.")
    found = geoparse(text).set_index("mention")
    expected = {"Hawija": "IQ-KI", "Makhmour": "IQ-AR", "al-Qaim": "IQ-AN",
                "Taji military base": "IQ-BG", "Imam Ali air base": "IQ-DQ", "Kalsu base": "IQ-BB",
                "Khor Mor gas field": "IQ-SU", "Sarsang": "IQ-DA", "Khurmala field": "IQ-AR",
                "Qandil mountains": "IQ-SU", "Sidakan": "IQ-AR", "Jurf al-Sakhar": "IQ-BB"}
    assert {m: found["admin1_code"].get(m) for m in expected} == expected
    assert found.loc["Qandil mountains", "precision"] == 3
