"""The point-in-governorate join: real points, border rule, bad coordinates."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

from geo.spatial.admin1_table import GEONAMES_TO_ISO
from geo.spatial.boundaries_build import geonames_places
from geo.spatial.join import assign_admin1, coordinate_problems, locate

# GeoNames populated places near the places the issue names and near the Kurdistan Region line.
NEAR_BAGHDAD = ["Aţ Ţārmīyah", "Al Maḩmūdīyah", "Abū Ghurayb", "Sadr City", "Al Fallūjah",
                "Baqubah", "Nāḩiyat al Iskandarīyah", "Aş Şuwayrah", "Ad Dujayl", "Al-Musayab"]
NEAR_KURDISTAN_LINE = ["Koysinceq", "Jamjamāl", "Kelar", "Khānaqīn", "Kifrī", "Ţūz Khūrmātū",
                       "Dibis", "Mexmur", "Al Qayyārah", "Rānyah", "Halabja"]


@pytest.fixture(scope="module")
def places():
    p = geonames_places()
    return p.assign(expected=p.admin1code.map(GEONAMES_TO_ISO))


@pytest.mark.parametrize("name", NEAR_BAGHDAD + NEAR_KURDISTAN_LINE)
def test_named_places_land_in_their_geonames_governorate(places, admin1, name):
    row = places[places.name == name]
    assert len(row) == 1, name
    got = assign_admin1(row, admin1)
    assert got.admin1_code.iloc[0] == row.expected.iloc[0], name


def test_agreement_with_geonames_overall(places, admin1):
    got = assign_admin1(places, admin1)
    agree = (got.admin1_code == places.expected).mean()
    assert agree >= 0.98  # 167 of 169; the rest are Natural Earth's own Duhok/Nineveh lines


def test_region_follows_governorate(admin1):
    table = locate([(36.19, 44.01), (35.47, 44.39), (35.56, 45.43), (36.87, 42.95),
                    (33.31, 44.37)], admin1)
    assert list(table.admin1_code) == ["IQ-AR", "IQ-KI", "IQ-SU", "IQ-DA", "IQ-BG"]
    assert list(table.region) == ["Kurdistan Region", "Federal Iraq", "Kurdistan Region",
                                  "Kurdistan Region", "Federal Iraq"]


def test_outside_invalid_and_swapped(admin1):
    df = pd.DataFrame({
        "latitude": [35.0, 44.36, np.nan, 95.0, 0.0, np.inf, 31.95],
        "longitude": [38.0, 33.31, 44.0, 44.0, 0.0, 44.0, 35.93],
    })
    got = assign_admin1(df, admin1)
    assert list(got.region) == ["Outside Iraq", "Outside Iraq", "No valid coordinates",
                                "No valid coordinates", "No valid coordinates",
                                "No valid coordinates", "Outside Iraq"]
    assert "may be swapped" in got.coord_issue.iloc[1] and "Baghdad" in got.coord_issue.iloc[1]
    assert got.coord_issue.iloc[0] == "" and got.coord_issue.iloc[6] == ""
    assert got.geometry.iloc[2] is None and len(got) == len(df)  # reported, not dropped


def test_coordinate_problems_messages():
    issues = coordinate_problems(pd.Series(["x", "33", "0", "91"]),
                                 pd.Series(["44", "44", "0", "1"]))
    assert list(issues) == ["missing or not a number", "", "0,0 (a blank value, not a place)",
                            "latitude or longitude out of range"]


def test_shared_border_goes_to_first_code(admin1):
    a = admin1.set_index("admin1_code").geometry
    shared = a["IQ-BG"].boundary.intersection(a["IQ-DI"].boundary)
    point = shapely.get_coordinates(shared)[0]
    table = locate([(point[1], point[0])], admin1)
    assert table.admin1_code.iloc[0] == "IQ-BG"  # "IQ-BG" < "IQ-DI"


def test_matches_geopandas_within_on_random_points(admin1):
    rng = np.random.default_rng(7)
    df = pd.DataFrame({"latitude": rng.uniform(28.5, 38, 5000),
                       "longitude": rng.uniform(38, 49.5, 5000)})
    got = assign_admin1(df, admin1)
    pts = gpd.GeoDataFrame(geometry=gpd.points_from_xy(df.longitude, df.latitude), crs=4326)
    ref = gpd.sjoin(pts, admin1[["admin1_code", "geometry"]], predicate="within", how="left")
    ref = ref[~ref.index.duplicated()]
    assert (got.admin1_code.fillna("-").to_numpy() == ref.admin1_code.fillna("-").to_numpy()).all()
    assert (got.region == "Outside Iraq").sum() == ref.admin1_code.isna().sum()
