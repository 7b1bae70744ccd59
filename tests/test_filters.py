"""The one filter model: masks, URL round trip, bad URL values, words and file names."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest

from geo.app import filters
from geo.app.filters import Filter
from geo.sources.curated import load


@pytest.fixture(scope="module")
def events(admin1):
    return load("events", admin1).data


def test_default_filter_keeps_everything(events):
    assert len(filters.apply(events, Filter())) == len(events)


def test_each_criterion(events):
    f = Filter(start=date(2024, 1, 1), end=date(2024, 12, 31))
    got = filters.apply(events, f)
    assert len(got) and got.event_date.dt.year.eq(2024).all()
    assert len(got) == events.event_date.dt.year.eq(2024).sum()

    got = filters.apply(events, Filter(event_types=("Riots",)))
    assert set(got.event_type) == {"Riots"} and len(got) == events.event_type.eq("Riots").sum() >= 4

    got = filters.apply(events, Filter(sub_event_types=("Suicide bomb",)))
    assert "2021-01-21" in set(got.event_date.dt.strftime("%Y-%m-%d"))  # Tayaran Square
    assert set(got.sub_event_type) == {"Suicide bomb"}

    got = filters.apply(events, Filter(actor="kataib hezbollah"))
    hay = (events.actor1.fillna("") + events.actor2.fillna("")).str.lower()
    assert len(got) == hay.str.contains("kataib hezbollah").sum() > 0

    got = filters.apply(events, Filter(admin1=("IQ-BB",)))
    assert set(got.admin1_code) == {"IQ-BB"} and len(got) >= 3  # Jurf al-Sakhar is in Babil

    got = filters.apply(events, Filter(regions=("Kurdistan Region",)))
    assert set(got.admin1_code) <= {"IQ-AR", "IQ-DA", "IQ-SU"} and len(got) > 0

    got = filters.apply(events, Filter(fatalities_min=3, include_unknown_fatalities=False))
    assert (got.fatalities >= 3).all() and got.fatalities.notna().all()

    got = filters.apply(events, Filter(fatalities_max=0))
    assert ((got.fatalities == 0) | got.fatalities.isna()).all()

    got = filters.apply(events, Filter(geo_precision=(3,)))
    assert set(got.geo_precision) == {3}


def test_criteria_combine_with_and(events):
    f = Filter(regions=("Federal Iraq",), event_types=("Explosions/Remote violence",),
               start=date(2023, 10, 1))
    got = filters.apply(events, f)
    expected = events[(events.region == "Federal Iraq")
                       & (events.event_type == "Explosions/Remote violence")
                       & (events.event_date >= pd.Timestamp("2023-10-01"))]
    assert list(got.event_id) == list(expected.event_id)


def test_url_round_trip():
    f = Filter(start=date(2020, 1, 1), end=date(2021, 6, 30),
               event_types=("Explosions/Remote violence",), sub_event_types=("Air/drone strike",),
               actor="Kataib", admin1=("IQ-BG", "IQ-AN"), regions=("Federal Iraq",),
               jurisdictions=("Disputed territories",), admin2=("IQG13Q04",),
               fatalities_min=1, fatalities_max=20, include_unknown_fatalities=False,
               geo_precision=(1, 2), layers=("boundaries", "disputed", "density"))
    params = filters.to_query_params(f)
    assert params["jur"] == "Disputed territories" and params["district"] == "IQG13Q04"
    back, notices = filters.from_query_params(params, ("IQ-BG", "IQ-AN"), ("IQG13Q04",))
    assert back == f and notices == []
    _, notices = filters.from_query_params({"jur": "Narnia", "district": "IQG99Q99"}, (),
                                           ("IQG13Q04",))
    assert notices == ["jur: ignored 'Narnia'", "district: ignored 'IQG99Q99'"]
    assert filters.to_query_params(Filter()) == {}


@pytest.mark.parametrize(("params", "notice"), [
    ({"start": "2020-13-01"}, "not a date"),
    ({"type": "Explosions/Remote violence,Bogus"}, "ignored 'Bogus'"),
    ({"gov": "IQ-BG,XX-99"}, "ignored 'XX-99'"),
    ({"fmin": "-3"}, "not a whole number"),
    ({"fmin": "5", "fmax": "2"}, "fmin is above fmax"),
    ({"start": "2024-01-01", "end": "2020-01-01"}, "start is after end"),
    ({"unknown": "maybe"}, "must be 0 or 1"),
    ({"prec": "1,7"}, "ignored '7'"),
    ({"layers": "events,<script>"}, "ignored '<script>'"),
    ({"utm_source": "x"}, "unknown parameter"),
    ({"actor": "x" * 500}, "was cut"),
])
def test_bad_url_values_are_dropped_with_a_notice(params, notice):
    f, notices = filters.from_query_params(params, ("IQ-BG",))
    assert any(notice in n for n in notices), notices
    assert isinstance(f, Filter)
    assert len(f.actor) <= 100


def test_jurisdiction_and_district_criteria(events):
    with_columns = events.assign(
        admin2_code=np.where(events["admin1_code"] == "IQ-KI", "IQG13Q04", "IQG07Q01"),
        jurisdiction=np.where(events["admin1_code"] == "IQ-KI", "Disputed territories",
                              events["region"]))
    got = filters.apply(with_columns, Filter(jurisdictions=("Disputed territories",)))
    assert len(got) and (got["admin1_code"] == "IQ-KI").all()
    got = filters.apply(with_columns, Filter(admin2=("IQG13Q04",)))
    assert (got["admin1_code"] == "IQ-KI").all()
    # without an installed district set nothing is known to be in a jurisdiction
    assert filters.apply(events, Filter(jurisdictions=("Federal Iraq",))).empty
    assert "jurisdiction: Disputed territories" in filters.describe(
        Filter(jurisdictions=("Disputed territories",)))


def test_describe_and_slug():
    f = Filter(start=date(2024, 1, 1), admin1=("IQ-BG",), event_types=("Battles",),
               actor="a/b\\c <x>")
    text = filters.describe(f, {"IQ-BG": "Baghdad"})
    assert "2024-01-01" in text and "Baghdad" in text and "Battles" in text
    slug = filters.slug(f)
    assert "/" not in slug and "\\" not in slug and "<" not in slug and " " not in slug
    assert "IQ-BG" in slug and len(slug) <= 120
    assert filters.describe(Filter()) == "no filter (all data)" and filters.slug(Filter()) == "all"


def test_quick_ranges_and_typed_dates_stay_inside_the_slider():
    from datetime import date

    from geo.app.filters import ANNOUNCEMENT, QUICK_RANGES, ordered_dates, quick_range
    from geo.sources.curated import load

    lo, hi, today = date(2019, 12, 6), date(2026, 12, 1), date(2026, 12, 1)
    got = {label: quick_range(label, lo, hi, today) for label in QUICK_RANGES}
    assert got["All dates"] == (lo, hi)
    assert got["Last 30 days"] == (date(2026, 11, 1), today)
    assert got["Since the Sept 2024 announcement"] == (ANNOUNCEMENT, hi)
    assert got["Since Jan 2026"] == (date(2026, 1, 1), hi)
    # The announcement date is the sourced key milestone, not a typed-in guess.
    ms = load("milestones").data
    row = ms[ms["date"] == pd.Timestamp(ANNOUNCEMENT)]
    assert list(row["key"]) == ["yes"] and "joint statement" in row["title"].iloc[0]
    # A range before the slider's start is clamped, never outside [lo, hi].
    assert quick_range("Last 30 days", lo, date(2020, 1, 1), date(2030, 1, 1)) == (
        date(2020, 1, 1), date(2020, 1, 1))
    assert ordered_dates(date(2024, 3, 1), date(2024, 2, 1), lo, hi) == (
        date(2024, 2, 1), date(2024, 3, 1))
    assert ordered_dates(None, None, lo, hi) == (lo, hi)
    assert ordered_dates(date(2001, 1, 1), date(2099, 1, 1), lo, hi) == (lo, hi)
