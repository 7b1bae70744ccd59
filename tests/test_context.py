"""The map's geography (neighbours, rivers, lakes, cities): built from the registries, named by
documented rules, served by the app itself, and drawn under the data in the map style."""

from __future__ import annotations

import json
import shutil

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

from geo.app import figures
from geo.data import paths
from geo.data.crs import EQUAL_AREA, WGS84
from geo.spatial import context
from geo.spatial.boundaries import load_outline
from geo.spatial.boundaries_build import geonames_places

CITIES = paths.data_dir() / "context" / "cities.csv"


@pytest.fixture(scope="module")
def ctx() -> gpd.GeoDataFrame:
    return context.load(paths.REPO_ROOT)


def test_shipped_context_has_every_kind_and_the_rivers_are_named(ctx):
    counts = context.summary(ctx)
    assert set(counts) == {"land", "lake", "river", "country", "city"}
    assert {"Syria", "Iran", "Turkey", "Jordan", "Saudi Arabia", "Kuwait"} <= set(
        ctx.loc[ctx.kind == "country", "name"])
    assert context.river_names(ctx) == ["Euphrates", "Shatt al-Arab", "Tigris"]
    # The named lines really pass the cities on them: Baghdad and Mosul on the Tigris, Ramadi
    # and Nasiriyah on the Euphrates, and neither name is put on the other river.
    cities = ctx[ctx.kind == "city"].set_index("name").to_crs(EQUAL_AREA).geometry
    rivers = ctx[ctx.kind == "river"].to_crs(EQUAL_AREA)

    def km(river: str, city: str) -> float:
        line = shapely.union_all(rivers.loc[rivers.name == river].geometry.to_numpy())
        return line.distance(cities[city]) / 1000

    assert km("Tigris", "Baghdad") < 6 and km("Tigris", "Mosul") < 6
    assert km("Euphrates", "Ramadi") < 6 and km("Euphrates", "Nasiriyah") < 6
    assert km("Tigris", "Ramadi") > 30 and km("Euphrates", "Mosul") > 100


def test_iraq_is_our_outline_and_no_neighbour_covers_it(ctx):
    outline = load_outline().geometry.union_all()
    land = ctx[ctx.kind == "land"].set_index("name")
    iraq = land.geometry["Iraq"]
    assert iraq.symmetric_difference(outline).area / outline.area < 0.005
    others = shapely.union_all(land.drop(index="Iraq").geometry.to_numpy())
    assert others.intersection(outline).area / outline.area < 0.002


def test_city_positions_are_geonames_positions(ctx):
    listed = context.read_cities(CITIES)
    places = geonames_places(("IQ", "SY", "JO", "KW", "IR", "TR", "SA")).set_index("geonameid")
    shown = ctx[ctx.kind == "city"].set_index("name")
    assert len(shown) == len(listed)
    for gid, label in zip(listed.geonameid, listed.label, strict=True):
        pt = shown.geometry[label]
        assert (pt.x, pt.y) == pytest.approx((places.longitude[gid], places.latitude[gid]), abs=1e-6)
    # Label priority: the capital first, then governorate seats before towns.
    ranks = shown["rank"]
    assert ranks["Baghdad"] < ranks["Mosul"] < ranks["Fallujah"]


@pytest.mark.parametrize("text, message", [
    ("geonameid,label,role\nabc,Mosul,governorate seat\n", "row 2: needs a numeric geonameid"),
    ("geonameid,label,role\n99072,Mosul,capital city\n", "row 2: needs a numeric geonameid"),
    ("geonameid,label,role\n99072,Mosul,town\n99072,Mosul,town\n", "listed twice"),
    ("id,label\n1,x\n", "columns must be geonameid,label,role"),
])
def test_bad_city_lists_are_refused_with_the_row(tmp_path, text, message):
    path = tmp_path / "cities.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ValueError, match=message):
        context.read_cities(path)


def test_rivers_are_named_only_where_they_pass_two_of_their_towns():
    towns = pd.DataFrame({"label": ["Mosul", "Baghdad", "Ramadi"],
                          "longitude": [43.1189, 44.4009, 43.3078],
                          "latitude": [36.335, 33.3406, 33.4206]})
    through = shapely.LineString([(43.1189, 36.36), (44.40, 33.36)])  # by Mosul and Baghdad
    once = shapely.LineString([(43.30, 33.44), (42.0, 33.0)])  # by Ramadi only
    got = context.rivers(gpd.GeoDataFrame(geometry=[through, once], crs=WGS84), towns)
    assert list(got["name"]) == ["Tigris", ""]


def test_map_style_draws_context_then_our_labels_top_priority_last():
    admin1 = gpd.read_file(paths.boundaries_dir() / paths.ADMIN1_FILE)
    sites = pd.DataFrame({"name": ["Kirkuk Air Base (FOB Warrior) / Kirkuk International Airport",
                                   "Unplaced site"], "latitude": [35.47, np.nan],
                          "longitude": [44.35, np.nan]})
    style = figures.map_style(False, figures.map_labels(admin1, sites))
    assert style["sources"]["context"]["data"] == context.URL == "app/static/context/context.geojson"
    ids = [layer["id"] for layer in style["layers"]]
    assert ids.index("land") < ids.index("rivers") < ids.index("city-names") \
        < ids.index("governorate-names") < ids.index("site-names")
    feats = style["sources"]["labels"]["data"]["features"]
    assert sum(f["properties"]["kind"] == "admin1" for f in feats) == len(admin1)
    assert [f["properties"]["name"] for f in feats if f["properties"]["kind"] == "site"] == [
        "Kirkuk Air Base"]  # short name; the unplaced site has no label
    json.dumps(style)  # plain JSON, as Plotly sends it
    assert figures.map_style(True)["layers"][0]["paint"]["background-color"] != \
        style["layers"][0]["paint"]["background-color"]


def test_context_file_is_served_by_the_app_and_small():
    served = context.static_path(paths.REPO_ROOT)
    assert served.parent.parent.name == "static"  # Streamlit serves ./static at app/static/
    assert served.stat().st_size < 400_000  # fetched once per browser, then cached


@pytest.mark.skipif(shutil.which("npm") is None, reason="npm is not installed")
def test_rebuild_matches_the_shipped_file(tmp_path):
    outline = load_outline().geometry.union_all()
    fresh = gpd.read_file(context.build(tmp_path, outline, context.read_cities(CITIES)))
    shipped = context.load(paths.REPO_ROOT)
    assert list(fresh["kind"]) == list(shipped["kind"]) and list(fresh["name"]) == list(shipped["name"])
    assert fresh.geometry.geom_equals_exact(shipped.geometry, tolerance=1e-6).all()


def test_iraqi_towns_carry_their_arabic_and_kurdish_names():
    """The city labels in Arabic and Kurdish come from GeoNames' untagged alternate names by a
    general rule (`context.arabic_name`, `kurdish_name`): checked against the governorates'
    own Arabic names (OCHA's, in the boundary table) where a seat shares its governorate's name,
    and against the rule's cases."""
    from geo.data.paths import REPO_ROOT
    from geo.spatial.admin1_table import ADMIN1

    names = context.local_city_names(REPO_ROOT).set_index("name")
    official = dict(zip(ADMIN1.admin1_name, ADMIN1.name_ar, strict=True))
    same = [n for n in names.index if n in official]
    assert len(same) >= 8
    for town in same:
        assert names.loc[town, "name_ar"].replace("إ", "ا").replace("أ", "ا") == \
            official[town].replace("إ", "ا").replace("أ", "ا"), town
    assert names.loc["Mosul", "name_ar"] == "الموصل" and names.loc["Erbil", "name_ckb"] == "هەولێر"
    assert names.loc["Tehran", "name_ar"] == ""  # outside Iraq: the Latin label stays
    # the rule: no Persian or Kurdish letter in Arabic, the article first, no office names
    assert context.arabic_name("موصل|الموصل|موسڵ|مووسڵ") == "الموصل"
    assert context.arabic_name("القائم|حصيبة|مركز قضاء القائم") == "القائم"
    assert context.arabic_name("بعقوبه|بعقوبة|بەعقووبە") == "بعقوبة"
    assert context.kurdish_name("دهۆك|دووهۆک|دھۆک") == "دهۆک"  # ك is Arabic, ھ is ه
    assert context.arabic_name("Mosul|Musil") == "" and context.kurdish_name("الموصل") == ""
