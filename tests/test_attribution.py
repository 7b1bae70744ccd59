"""Precision-aware attribution, the governorate alias table, and the import conventions of
real sources (spreadsheet dates, HXL rows, UCDP's null date), on SYNTHETIC rows: these run
everywhere; tests/test_real_files.py runs the real files when they are present."""

from __future__ import annotations

import pandas as pd
import pytest
from cli_run import run_geo

from geo.data.schemas import NOT_ATTRIBUTABLE, OUTSIDE_IRAQ
from geo.sources import formats as fmt
from geo.sources.attribution import admin1_codes, border_km, disagreements, join
from geo.sources.ingest import SchemaError, generic_mapping

# Governorate names as ACLED, UCDP GED (HDX), GTD and OCHA's COD-AB write them.
SPELLINGS = {
    "IQ-AN": ["Anbar", "Al Anbār province", "Al Anbar", "Al-Anbar"],
    "IQ-BA": ["Basrah", "Al Başrah  province", "Basra", "Al-Basrah"],
    "IQ-MU": ["Muthanna", "Al Muthanná province", "Al-Muthanna"],
    "IQ-QA": ["Qadissiya", "Al Qādisīyah province", "Al Qadisiyah", "Al-Qadissiya"],
    "IQ-SU": ["Sulaymaniyah", "As Sulaymānīyah province", "Al-Sulaymaniyah", "Halabja"],
    "IQ-BB": ["Babylon", "Bābil province", "Babil"],
    "IQ-BG": ["Baghdad", "Baghdād province", "Muhafazat Baghdad", "Baghdad Governorate"],
    "IQ-DA": ["Dahuk", "Dahūk province", "Dihok", "Duhok"],
    "IQ-DQ": ["Thi-Qar", "Dhī Qār province", "Dhi Qar", "Thi Qar"],
    "IQ-DI": ["Diyala", "Diyālá province"],
    "IQ-AR": ["Erbil", "Arbīl province", "Arbil"],
    "IQ-KA": ["Karbala", "Karbalā’ province", "Kerbala"],
    "IQ-KI": ["Kirkuk", "Kirkūk province", "At-Ta'mim province"],
    "IQ-MA": ["Missan", "Maysān  province", "Maysan"],
    "IQ-NI": ["Ninewa", "Nīnawá province", "Nineveh", "NIneveh"],
    "IQ-WA": ["Wassit", "Wāsiţ province", "Wasit"],
    "IQ-NA": ["Najaf", "An Najaf province", "Al-Najaf"],
    "IQ-SD": ["Sala al-Din", "Şalāḩ ad Dīn province", "Saladin", "Salah Al-Din"],
}


@pytest.mark.parametrize("code", sorted(SPELLINGS))
def test_every_sources_spelling_names_its_governorate(code):
    names = pd.Series(SPELLINGS[code])
    assert admin1_codes(names).tolist() == [code] * len(names)


def test_unknown_names_are_not_guessed():
    got = admin1_codes(pd.Series(["Aleppo", "", "province", None, "Khuzestan province"]))
    assert got.isna().all()


def _events(rows: list[dict]) -> pd.DataFrame:
    base = {"event_id": "X", "source_admin1": "", fmt.PLACE_SCOPE: ""}
    return pd.DataFrame([{**base, **r} for r in rows])


def test_attribution_rules(admin1):
    events = _events([
        # a point in Baghdad whose source says Baghdad: the point decides
        {"latitude": 33.31, "longitude": 44.37, "source_admin1": "Baghdād province"},
        # UCDP's "somewhere in Iraq" (33.0, 44.0 is in Babil): no governorate
        {"latitude": 33.0, "longitude": 44.0, "source_admin1": "", fmt.PLACE_SCOPE: "country"},
        # an admin-1-level event whose centroid sits next door: the source's admin-1
        {"latitude": 33.0, "longitude": 44.0, "source_admin1": "Diyālá province",
         fmt.PLACE_SCOPE: "admin1"},
        # 30 km into Syria: outside Iraq whatever the source says
        {"latitude": 34.40, "longitude": 40.60, "source_admin1": "Al Anbār province"},
        # a point in Baghdad whose source says Anbar: kept, flagged
        {"latitude": 33.31, "longitude": 44.37, "source_admin1": "Anbar"},
    ])
    out = join(events, admin1)
    assert out["attribution"].tolist() == ["point", "not attributable", "source admin-1",
                                           "point", "point"]
    assert out["admin1_code"].tolist()[:3] == ["IQ-BG", None, "IQ-DI"]
    assert out["region"].tolist()[1:4] == [NOT_ATTRIBUTABLE, "Federal Iraq", OUTSIDE_IRAQ]
    assert disagreements(out).tolist() == [False, False, False, False, True]
    assert fmt.PLACE_SCOPE not in out


def test_points_just_outside_the_line_are_on_the_border(admin1):
    iraq = admin1.to_crs("EPSG:32638").union_all()
    # walk from a point of the national line outwards: 1 km and 5 km outside
    edge = iraq.exterior if iraq.geom_type == "Polygon" else max(iraq.geoms, key=lambda g: g.area).exterior
    import geopandas as gpd
    from shapely.geometry import Point

    p = edge.interpolate(0.37, normalized=True)
    centre = iraq.centroid
    dx, dy = p.x - centre.x, p.y - centre.y
    norm = (dx * dx + dy * dy) ** 0.5
    pts = gpd.GeoSeries([Point(p.x + dx / norm * d, p.y + dy / norm * d) for d in (1000, 5000)],
                        crs="EPSG:32638").to_crs("EPSG:4326")
    events = _events([{"latitude": pts[0].y, "longitude": pts[0].x, "source_admin1": "Nineveh"},
                      {"latitude": pts[0].y, "longitude": pts[0].x},
                      {"latitude": pts[1].y, "longitude": pts[1].x, "source_admin1": "Nineveh"}])
    km = border_km(events["latitude"], events["longitude"], admin1)
    assert 0.5 < km[0] < 2 and km[2] > 2
    out = join(events, admin1)
    assert out["attribution"].tolist() == ["on the border", "on the border", "point"]
    assert out["admin1_code"].tolist()[0] == "IQ-NI"
    assert out["region"].tolist()[1:] == [OUTSIDE_IRAQ, OUTSIDE_IRAQ]
    assert out["coord_issue"].iloc[1].startswith("on the border: ")
    # a stored event re-joined (other boundaries, the app's load) keeps its attribution
    again = join(out.drop(columns=["admin1_code", "admin1_name", "region", "coord_issue",
                                   "geometry"]), admin1)
    assert again["attribution"].tolist() == out["attribution"].tolist()


def test_spreadsheet_dates_take_their_century_from_the_year_column():
    dates = pd.Series(["9-May-20", "05-Jan-22", "31-Dec-99", "29-Feb-21", "9-May-20", "3/4/20",
                       "2020-05-09"])
    years = pd.Series(["2020", "2022", "1999", "2021", "2019", "2020", "2020"])
    assert fmt.normalise_dates(dates, years).tolist() == [
        "2020-05-09", "2022-01-05", "1999-12-31",
        "29-Feb-21",  # no such day: left for validation to report
        "9-May-20",  # the year column disagrees: not guessed
        "3/4/20",  # March or April: not guessed
        "2020-05-09"]
    assert fmt.normalise_dates(dates[:1]).tolist() == ["9-May-20"]  # no year column: not guessed


def test_hxl_rows_are_recognised():
    raw = pd.DataFrame({"id": ["", "1", "#x"], "year": ["#date+year", "2014", "2014"],
                        "adm_1": ["#adm1+name", "Bābil province", ""]})
    assert fmt.hxl_rows(raw).tolist() == [True, False, False]


def test_ucdp_null_date_and_missing_article():
    raw = pd.DataFrame([{**{c: "" for c in fmt.UCDP_COLUMNS}, "id": "7", "type_of_violence": "1",
                         "side_a": "Government of Iraq", "side_b": "IS", "where_prec": "6",
                         "latitude": "33", "longitude": "44", "date_prec": "1",
                         "date_start": "2015-03-01", "best": "4", "source_date": "1753-01-01",
                         "where_coordinates": "Iraq"}])
    out = fmt.from_ucdp(raw, "SYNTHETIC.csv")
    assert out["source_date"].iloc[0] == ""
    assert out["notes"].iloc[0].startswith("UCDP GED event 7: Government of Iraq against IS, Iraq")
    assert out[fmt.PLACE_SCOPE].iloc[0] == "country"


def test_generic_ids_differ_when_any_column_differs():
    raw = pd.DataFrame({"date": ["2024-01-01"] * 2, "place": ["Mosul"] * 2,
                        "unmapped_note": ["first", "second"]})
    out = fmt.from_generic(raw, {"event_date": "date", "location": "place"}, "SYNTHETIC.csv")
    assert out["event_id"].is_unique


def test_suggestions_do_not_classify_by_look_alike_columns():
    got = fmt.suggest_mapping(["date", "state", "city", "attack_type", "target_type", "killed"])
    assert "event_type" not in got and "sub_event_type" not in got
    assert got["source_admin1"] == "state" and got["fatalities"] == "killed"
    assert fmt.suggest_mapping(["type", "subtype"]) == {"event_type": "type",
                                                        "sub_event_type": "subtype"}


def test_map_overrides_and_unmaps():
    columns = ["date", "city", "group_name", "summary", "killed"]
    got = generic_mapping(columns, {"actor1": "group_name", "notes": "", "location": "summary"})
    assert got["actor1"] == "group_name" and "notes" not in got
    assert got["location"] == "summary" and "city" not in got.values()
    with pytest.raises(SchemaError, match="not a field of the event table: colour"):
        generic_mapping(columns, {"colour": "city"})
    with pytest.raises(SchemaError, match="no column 'town' in the file"):
        generic_mapping(columns, {"location": "town"})


def test_cli_map_errors_are_one_line(tmp_path):
    src = tmp_path / "SYNTHETIC.csv"
    src.write_text("date,city\n2024-01-01,Mosul\n", encoding="utf-8")
    bad = run_geo("ingest", str(src), "--store", str(tmp_path / "s"), "--map", "location")
    assert bad.returncode == 2 and "--map 'location' is not FIELD=COLUMN" in bad.stderr
    bad = run_geo("ingest", str(src), "--store", str(tmp_path / "s"), "--map", "location=town")
    assert bad.returncode == 1 and "no column 'town' in the file" in bad.stderr
    assert "Traceback" not in bad.stderr
