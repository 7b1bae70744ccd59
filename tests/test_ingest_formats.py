"""Format mappers: ACLED, UCDP GED and generic CSV exports become EVENTS rows that validate.

All fixtures are SYNTHETIC (tests/fixtures/formats/make_fixtures.py); only place names and
their coordinates are real.
"""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pandas as pd
import pytest

from geo.data.schemas import EVENTS
from geo.data.validate import SchemaError, read_csv_text, validate
from geo.sources import formats as fmt
from geo.spatial.join import assign_admin1

FIXTURES = Path(__file__).parent / "fixtures" / "formats"
_spec = importlib.util.spec_from_file_location("make_fixtures", FIXTURES / "make_fixtures.py")
make_fixtures = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(make_fixtures)

GENERIC_MAPPING = {"event_date": "Date", "location": "Place", "fatalities": "Killed",
                   "notes": "Description", "source_url": "Link", "source_publisher": "Source"}
GENERIC_DEFAULTS = {"event_type": "Strategic developments", "sub_event_type": "Other",
                    "actor1": "SYNTHETIC unidentified actor", "time_precision": "1",
                    "geo_precision": "2"}
OUTSIDE = {"SYR-SYN-0009", "IRN-SYN-0107", "SYR-SYN-0209", "UCDP-SYN8", "UCDP-SYN15"}


def load(name: str) -> pd.DataFrame:
    return read_csv_text(FIXTURES / name)


def mapped(name: str) -> pd.DataFrame:
    raw = load(name)
    kind = fmt.detect_format(list(raw.columns))
    if kind == "acled":
        return fmt.from_acled(raw, name)
    if kind == "ucdp":
        return fmt.from_ucdp(raw, name)
    return fmt.from_generic(raw, fmt.suggest_mapping(list(raw.columns)), name, GENERIC_DEFAULTS)


# --- fixtures ---------------------------------------------------------------------------------

def test_fixtures_are_generated_by_the_committed_script(tmp_path):
    for path in make_fixtures.write_all(tmp_path):
        assert path.read_bytes() == (FIXTURES / path.name).read_bytes(), path.name


@pytest.mark.parametrize(("name", "columns"), [
    ("acled_old.csv", fmt.ACLED_COLUMNS),
    ("mixed_bad.csv", fmt.ACLED_COLUMNS),
    ("acled_new.csv", fmt.ACLED_COLUMNS + fmt.ACLED_POPULATION_COLUMNS),
    ("ucdp_new.csv", fmt.UCDP_COLUMNS),
])
def test_fixture_layouts_follow_the_published_exports(name, columns):
    raw = load(name)
    assert tuple(raw.columns) == columns
    assert 5 <= len(raw) <= 15


def test_old_fixtures_are_older_subsets():
    ucdp_old = load("ucdp_old.csv")
    assert set(ucdp_old.columns) < set(fmt.UCDP_COLUMNS)
    assert {"code_status", "active_year", "number_of_sources", "gwnob"}.isdisjoint(ucdp_old.columns)
    assert load("acled_old.csv").inter1.str.fullmatch(r"\d").all()
    assert not load("acled_new.csv").inter1.str.fullmatch(r"\d").any()


@pytest.mark.parametrize("name", ["acled_old.csv", "acled_new.csv", "mixed_bad.csv",
                                  "ucdp_new.csv", "ucdp_old.csv", "generic_places.csv"])
def test_fixtures_are_marked_synthetic(name):
    out = mapped(name)
    assert out.notes.str.startswith("SYNTHETIC").all()
    assert out.actor1.str.contains("SYNTHETIC").all()
    ids = out.event_id[out.event_id != ""]
    assert ids.str.contains("SYN|GEN-").all()


# --- detection --------------------------------------------------------------------------------

@pytest.mark.parametrize(("name", "kind"), [
    ("acled_old.csv", "acled"), ("acled_new.csv", "acled"), ("mixed_bad.csv", "acled"),
    ("ucdp_new.csv", "ucdp"), ("ucdp_old.csv", "ucdp"), ("generic_places.csv", "csv"),
])
def test_detect_format(name, kind):
    assert fmt.detect_format(list(load(name).columns)) == kind


def test_detect_format_is_not_fooled_by_the_projects_own_columns():
    assert fmt.detect_format(EVENTS.columns) == "csv"
    assert fmt.detect_format([" Event_ID_Cnty", "EVENT_DATE", "Event Type"]) == "acled"


# --- ACLED ------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["acled_old.csv", "acled_new.csv"])
def test_acled_fixtures_validate_without_issues(name):
    raw = load(name)
    out = fmt.from_acled(raw, name)
    assert list(out.columns) == EVENTS.columns + list(fmt.EXTRA_COLUMNS["acled"])
    checked = validate(out, EVENTS, name)
    assert checked.issues.empty
    assert len(checked.data) == len(raw)
    assert list(out.event_id) == list(raw.event_id_cnty)
    assert (out.coord_source == "acled").all() and (out.target == "").all()
    assert (out.fatalities_qualifier == "exact").all()
    assert (out.source_url == "https://acleddata.com/data-export-tool/").all()
    assert (out.source_title == "ACLED data export").all()  # never the file's name
    assert list(out.source_admin1) == list(raw.admin1)


def test_acled_new_dates_and_text_actor_types():
    out = fmt.from_acled(load("acled_new.csv"), "exports/acled_new.csv")
    assert list(out.event_date[:3]) == ["2024-01-20", "2024-01-20", "2024-02-04"]
    assert out.source_title.iloc[0] == "ACLED data export"  # the same whatever the file's name
    assert out.source_date.iloc[0] == "2024-01-23"  # timestamp 1705968000 (UTC)
    assert list(out.inter1[:3]) == ["Political militia", "Political militia", "Protesters"]
    assert "population_best" not in out.columns


def test_acled_old_numeric_actor_types_become_text():
    out = fmt.from_acled(load("acled_old.csv"), "acled_old.csv")
    assert list(out.inter1[:3]) == ["Rebel group", "State forces", "Protesters"]
    assert out.inter2.iloc[2] == ""  # code 0 / blank: no second actor


def test_normalise_dates():
    got = fmt.normalise_dates(pd.Series([
        "2024-01-20", "20 January 2024", "20-January-2024", "20 Jan 2024", "January 20, 2024",
        " 2019-12-27 00:00:00.000 ", "2024-02-30", "31 February 2024", "03/04/2024", "", None]))
    assert list(got) == ["2024-01-20"] * 5 + ["2019-12-27", "2024-02-30", "31 February 2024",
                                              "03/04/2024", "", ""]


def test_acled_missing_columns_is_a_file_error():
    raw = load("acled_old.csv").drop(columns=["latitude", "fatalities"])
    with pytest.raises(SchemaError, match="missing column.*latitude, fatalities"):
        fmt.from_acled(raw, "cut.csv")


def test_acled_blank_fatalities_get_no_qualifier():
    raw = load("acled_old.csv").assign(fatalities="", timestamp="")
    out = fmt.from_acled(raw, "x.csv")
    assert (out.fatalities_qualifier == "").all() and (out.source_date == "").all()
    assert validate(out, EVENTS, "x.csv").issues.empty


# --- mixed_bad.csv ----------------------------------------------------------------------------

def test_mixed_bad_rejects_each_bad_row_where_it_is():
    out = fmt.from_acled(load("mixed_bad.csv"), "mixed_bad.csv")
    checked = validate(out, EVENTS, "mixed_bad.csv")
    errors = checked.errors
    got = set(zip(errors.file, errors.row, errors.column, strict=True))
    assert got == {
        ("mixed_bad.csv", 3, "event_date"),
        ("mixed_bad.csv", 4, "latitude"),
        ("mixed_bad.csv", 6, "fatalities"),
        ("mixed_bad.csv", 7, "event_id"),
        ("mixed_bad.csv", 8, "event_type"),
        ("mixed_bad.csv", 8, "sub_event_type"),
    }
    reason = {(r.row, r.column): (r.value, r.reason) for r in errors.itertuples()}
    assert reason[(3, "event_date")] == ("31 February 2024", "not a date in YYYY-MM-DD form")
    assert reason[(4, "latitude")] == ("95.0000", "above the maximum 90")
    assert reason[(6, "fatalities")] == ("-3", "below the minimum 0")
    assert reason[(7, "event_id")] == ("", "required value is missing")
    assert reason[(8, "event_type")][0] == "Shooting"
    assert reason[(8, "event_type")][1].startswith("not one of")
    assert list(checked.rejected._row) == [3, 4, 6, 7, 8]
    assert list(checked.data.event_id) == ["IRQ-SYN-0201", "IRQ-SYN-0204", "IRQ-SYN-0208",
                                           "SYR-SYN-0209"]


def test_mixed_bad_swapped_and_foreign_rows_are_left_to_the_join(admin1):
    checked = validate(fmt.from_acled(load("mixed_bad.csv"), "mixed_bad.csv"), EVENTS)
    joined = assign_admin1(checked.data, admin1).set_index("event_id")
    assert joined.loc["IRQ-SYN-0201", "admin1_code"] == "IQ-BG"
    swapped = joined.loc["IRQ-SYN-0204"]
    assert swapped.region == "Outside Iraq"
    assert "may be swapped" in swapped.coord_issue and "Baghdad" in swapped.coord_issue
    assert joined.loc["IRQ-SYN-0208", "admin1_code"] == "IQ-BA"
    assert joined.loc["SYR-SYN-0209", "region"] == "Outside Iraq"
    assert joined.loc["SYR-SYN-0209", "coord_issue"] == ""


@pytest.mark.parametrize("name", ["acled_old.csv", "acled_new.csv", "ucdp_new.csv",
                                  "ucdp_old.csv"])
def test_fixture_points_land_where_expected(admin1, name):
    checked = validate(mapped(name), EVENTS, name)
    joined = assign_admin1(checked.data, admin1)
    outside = joined.event_id.isin(OUTSIDE)
    assert outside.any()
    assert (joined.region[outside] == "Outside Iraq").all()
    assert joined.admin1_code[~outside].notna().all()


# --- UCDP -------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["ucdp_new.csv", "ucdp_old.csv"])
def test_ucdp_fixtures_validate_without_issues(name):
    raw = load(name)
    out = fmt.from_ucdp(raw, name)
    assert list(out.columns) == EVENTS.columns + list(fmt.EXTRA_COLUMNS["ucdp"])
    checked = validate(out, EVENTS, name)
    assert checked.issues.empty
    assert len(checked.data) == len(raw)
    assert list(out.event_id) == ["UCDP-" + i for i in raw.id]
    assert (out.coord_source == "ucdp").all()
    assert (out.fatalities_qualifier == "estimate").all()
    assert (out.source_url == "https://ucdp.uu.se/downloads/").all()
    assert (out.notes.str.len() <= fmt.NOTES_MAX).all()
    assert list(out.source_admin1) == list(raw.adm_1)


def test_ucdp_keeps_best_low_high():
    raw = load("ucdp_new.csv")
    out = fmt.from_ucdp(raw, "ucdp_new.csv")
    assert list(out.fatalities) == list(raw.best)
    assert list(out.fatalities_low) == list(raw.low)
    assert list(out.fatalities_high) == list(raw.high)
    typed = validate(out, EVENTS).data
    assert list(typed.fatalities) == [3, 2, 4, 3, 2, 1, 1, 5]


def test_ucdp_fields():
    out = fmt.from_ucdp(load("ucdp_new.csv"), "ucdp_new.csv").set_index("event_id")
    first = out.loc["UCDP-SYN1"]
    assert first.event_date == "2019-12-27"  # from "2019-12-27 00:00:00.000"
    assert (first.actor1, first.actor2) == ("SYNTHETIC Government Force A",
                                            "SYNTHETIC Armed Group B")
    assert first.location == "Mosul town"
    assert first.source_publisher == "UCDP GED; SYNTHETIC Wire A; SYNTHETIC Outlet B"
    assert first.source_title == "SYNTHETIC headline 1;SYNTHETIC follow-up 1"
    assert out.loc["UCDP-SYN2", "source_date"] == "2019-11-06"  # first of "2019-11-06;2019-11-09"
    # where_coordinates blank -> where_description
    assert out.loc["UCDP-SYN5", "location"].startswith("SYNTHETIC: villages between")
    long = out.loc["UCDP-SYN3", "notes"]
    assert len(long) == fmt.NOTES_MAX and long.endswith("…")


def test_ucdp_old_release_without_where_description_or_office():
    raw = load("ucdp_old.csv").drop(columns=["source_office", "low", "high"])
    out = fmt.from_ucdp(raw, "ucdp_old.csv")
    assert (out.source_publisher == "UCDP GED").all()
    assert (out.fatalities_low == "").all() and (out.fatalities_high == "").all()
    assert validate(out, EVENTS, "ucdp_old.csv").issues.empty


def _ucdp_frame(**columns: list[str]) -> pd.DataFrame:
    n = len(next(iter(columns.values())))
    base = {"id": [str(i) for i in range(n)], "type_of_violence": ["1"] * n,
            "side_a": ["SYNTHETIC A"] * n, "side_b": ["SYNTHETIC B"] * n,
            "where_prec": ["1"] * n, "where_coordinates": ["Mosul town"] * n,
            "latitude": ["36.335"] * n, "longitude": ["43.11889"] * n, "date_prec": ["1"] * n,
            "date_start": ["2019-12-27"] * n, "best": ["1"] * n,
            "source_article": ["SYNTHETIC article"] * n}
    return pd.DataFrame(base | columns)


def test_ucdp_type_of_violence_mapping():
    out = fmt.from_ucdp(_ucdp_frame(type_of_violence=["1", "2", "3", "4"]), "t.csv")
    assert list(out.event_type) == ["Battles", "Battles", "Violence against civilians", "4"]
    assert list(out.sub_event_type) == ["Armed clash", "Armed clash", "Attack", ""]
    errors = validate(out, EVENTS, "t.csv").errors
    assert set(zip(errors.row, errors.column, strict=True)) == {(5, "event_type"),
                                                                (5, "sub_event_type")}


def test_ucdp_precision_mapping_and_notes():
    dates = fmt.from_ucdp(_ucdp_frame(date_prec=["1", "2", "3", "4", "5", "1.0", "9"]), "d.csv")
    assert list(dates.time_precision) == ["1", "2", "2", "3", "3", "1", "9"]
    assert [n != "" for n in dates.import_note] == [False] * 4 + [True, False, False]
    assert dates.notes.iloc[4].startswith("SYNTHETIC article [UCDP date_prec 5")
    places = fmt.from_ucdp(_ucdp_frame(where_prec=[str(i) for i in range(1, 8)]), "p.csv")
    assert list(places.geo_precision) == ["1", "2", "3", "3", "3", "3", "3"]
    assert [n != "" for n in places.import_note] == [False] * 5 + [True, True]
    assert "country" in places.notes.iloc[5] and "water" in places.notes.iloc[6]
    both = fmt.from_ucdp(_ucdp_frame(date_prec=["5"], where_prec=["7"],
                                     source_article=["x" * 900]), "b.csv")
    assert len(both.notes.iloc[0]) <= fmt.NOTES_MAX
    assert "date_prec 5" in both.notes.iloc[0] and "where_prec 7" in both.notes.iloc[0]


def test_ucdp_missing_columns_is_a_file_error():
    with pytest.raises(SchemaError, match="missing column.*best"):
        fmt.from_ucdp(load("ucdp_new.csv").drop(columns=["best"]), "cut.csv")


# --- generic CSV ------------------------------------------------------------------------------

def test_suggest_mapping_on_the_generic_header():
    assert fmt.suggest_mapping(list(load("generic_places.csv").columns)) == GENERIC_MAPPING


@pytest.mark.parametrize(("columns", "expected"), [
    (["ID", "Day", "lat", "lng", "Town", "Deaths", "Summary", "URL"],
     {"event_id": "ID", "event_date": "Day", "latitude": "lat", "longitude": "lng",
      "location": "Town", "fatalities": "Deaths", "notes": "Summary", "source_url": "URL"}),
    (["y", "x", "Village", "Casualties", "Details", "Publisher", "Source"],
     {"latitude": "y", "longitude": "x", "location": "Village", "fatalities": "Casualties",
      "notes": "Details", "source_publisher": "Publisher"}),
    (["Date of incident", "Number killed", "Source URL", "Source", "City"],
     {"event_date": "Date of incident", "location": "City", "fatalities": "Number killed",
      "source_url": "Source URL", "source_publisher": "Source"}),
    (EVENTS.columns, {f: f for f in fmt.SYNONYMS if f in EVENTS.columns}),
])
def test_suggest_mapping_synonyms(columns, expected):
    assert fmt.suggest_mapping(columns) == expected


def test_suggest_mapping_never_uses_a_header_twice():
    got = fmt.suggest_mapping(["Date", "Day", "Long", "Site", "Place"])
    assert got == {"event_date": "Date", "longitude": "Long", "location": "Place"}
    assert len(set(got.values())) == len(got)
    assert fmt.suggest_mapping(["Source"]) == {"source_publisher": "Source"}


def test_generic_ids_are_stable_across_imports():
    raw = load("generic_places.csv")
    first = fmt.from_generic(raw, GENERIC_MAPPING, "generic_places.csv")
    again = fmt.from_generic(read_csv_text(FIXTURES / "generic_places.csv"), GENERIC_MAPPING,
                             "renamed.csv", GENERIC_DEFAULTS)
    assert list(first.event_id) == list(again.event_id)
    assert first.event_id.str.fullmatch(r"GEN-[0-9a-f]{16}").all()
    assert first.event_id.is_unique
    edited = raw.copy()
    edited.loc[2, "Killed"] = "1"
    changed = fmt.from_generic(edited, GENERIC_MAPPING, "generic_places.csv").event_id
    assert list(changed != first.event_id) == [False, False, True, False, False, False]


def test_generic_mapping_dates_fatalities_and_coordinates():
    out = fmt.from_generic(load("generic_places.csv"), GENERIC_MAPPING, "g.csv")
    assert list(out.event_date) == ["2024-05-02", "2024-05-05", "2024-05-09", "2024-05-12",
                                    "2024-05-15", "2024-05-20"]
    assert list(out.fatalities) == ["2", "4", "", "0", "3", "1"]
    assert list(out.fatalities_qualifier) == ["exact", "at least", "", "exact", "about",
                                              "exact"]
    assert (out.latitude == "").all() and (out.coord_source == "").all()
    assert (out.event_type == "").all() and (out.sub_event_type == "").all()


def test_generic_rows_need_defaults_and_geocoding_before_they_validate():
    raw = load("generic_places.csv")
    bare = validate(fmt.from_generic(raw, GENERIC_MAPPING, "g.csv"), EVENTS, "g.csv")
    assert bare.data.empty
    missing = set(bare.errors.column[bare.errors.reason == "required value is missing"])
    assert {"event_type", "sub_event_type", "latitude", "longitude", "coord_source"} <= missing

    out = fmt.from_generic(raw, GENERIC_MAPPING, "g.csv", GENERIC_DEFAULTS)
    assert (out.event_type == "Strategic developments").all()
    # The caller's geocoding step, stood in for by the fixture's own place table.
    places = pd.DataFrame([(v[0], f"{v[1]}", f"{v[2]}", v[3])
                           for v in make_fixtures.PLACES.values()],
                          columns=["location", "latitude", "longitude", "coord_source"])
    geocoded = out.drop(columns=["latitude", "longitude", "coord_source"]).merge(
        places, on="location", how="left", validate="many_to_one")[EVENTS.columns]
    checked = validate(geocoded, EVENTS, "g.csv")
    assert checked.issues.empty and len(checked.data) == len(raw)


def test_generic_keeps_given_coordinates_and_explicit_values():
    raw = pd.DataFrame({"when": ["2024-01-02"], "lat": ["36.335"], "lon": ["43.11889"],
                        "town": ["Mosul"], "dead": ["up to 5"], "id": ["SYN-X1"],
                        "kind": ["Protests"], "sub": [""]})
    mapping = {"event_date": "when", "latitude": "lat", "longitude": "lon", "location": "town",
               "fatalities": "dead", "event_id": "id", "event_type": "kind",
               "sub_event_type": "sub"}
    out = fmt.from_generic(raw, mapping, "g.csv", {"event_type": "Battles",
                                                   "sub_event_type": "Peaceful protest"})
    row = out.iloc[0]
    assert (row.event_id, row.coord_source) == ("SYN-X1", "source file")
    assert (row.fatalities, row.fatalities_qualifier) == ("5", "up to")
    assert (row.event_type, row.sub_event_type) == ("Protests", "Peaceful protest")


def test_generic_rejects_bad_mappings():
    raw = load("generic_places.csv")
    with pytest.raises(SchemaError, match="not in the file: Deaths"):
        fmt.from_generic(raw, {"fatalities": "Deaths"}, "g.csv")
    with pytest.raises(ValueError, match="not EVENTS fields: casualties"):
        fmt.from_generic(raw, {"casualties": "Killed"}, "g.csv")
    with pytest.raises(ValueError, match="no default allowed for event_id"):
        fmt.from_generic(raw, GENERIC_MAPPING, "g.csv", {"event_id": "X"})


def test_mappers_do_not_loop_over_rows():
    source = Path(fmt.__file__).read_text(encoding="utf-8")
    assert not re.search(r"\.(iterrows|itertuples|apply)\(", source)
