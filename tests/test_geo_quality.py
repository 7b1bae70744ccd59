"""Measured quality of the geocoder and the geoparser on labelled fixtures (docs/geocoding.md).

The thresholds sit a little below today's figures so a regression fails the suite."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from geo.text.evaluate import evaluate_geocoder, evaluate_geoparser

FIXTURES = Path(__file__).parent / "fixtures" / "geocoding"


@pytest.fixture(scope="module")
def geocoded():
    return evaluate_geocoder(pd.read_csv(FIXTURES / "labelled_places.csv"))


def test_geocoder_on_labelled_spellings(geocoded):
    table, m = geocoded
    assert m["places"] >= 60
    assert m["both"] >= 0.93, m  # within 10 km AND right governorate (0.95 measured)
    assert m["none_correct"] == 1.0  # names outside Iraq / made up are never put in Iraq
    wrong = table[(table.match != "none") & table.expected_lat.notna() & ~table.ok]
    assert wrong.empty, wrong[["query", "matched_name", "km"]]  # misses are unmatched, not wrong


def test_geoparser_precision_and_recall():
    table, m = evaluate_geoparser(FIXTURES)
    assert m["mentions"] >= 40
    assert m["precision"] >= 0.95, table  # 1.00 measured
    assert m["recall"] >= 0.85, table  # 0.91 measured
