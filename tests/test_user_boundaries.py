"""Users can bring their own admin-1 file with a column map (GeoJSON, GPKG, Shapefile)."""

from __future__ import annotations

import io

import geopandas as gpd
import pandas as pd
import pytest

from geo.spatial.boundaries import BoundaryError, load_admin1, parse_column_map
from geo.spatial.join import locate

POINTS = [(33.3152, 44.3661), (36.19, 44.01), (30.5, 47.8), (35.0, 38.0)]


@pytest.fixture
def ocha_like(admin1):
    """The embedded polygons re-labelled the way OCHA's COD-AB names its columns."""
    codes = {c: f"IQG{i:02d}" for i, c in enumerate(sorted(admin1.admin1_code), start=1)}
    return gpd.GeoDataFrame({
        "ADM1_PCODE": admin1.admin1_code.map(codes), "ADM1_EN": admin1.admin1_name,
        "ADM0_EN": "Iraq"}, geometry=admin1.geometry, crs=4326), codes


@pytest.mark.parametrize("suffix", [".gpkg", ".shp", ".geojson", ".parquet"])
def test_user_file_with_column_map(tmp_path, ocha_like, admin1, suffix):
    gdf, codes = ocha_like
    path = tmp_path / f"adm1{suffix}"
    if suffix == ".parquet":
        gdf.to_parquet(path)
    else:
        gdf.to_crs(32638).to_file(path)  # a projected CRS: must be reprojected on load
    mine = load_admin1(path, parse_column_map("admin1_code=ADM1_PCODE,admin1_name=ADM1_EN"))
    assert list(mine.columns) == ["admin1_code", "admin1_name", "region", "geometry"]
    assert mine.crs.to_epsg() == 4326
    region = dict(zip(mine.admin1_code, mine.region, strict=True))
    assert region[codes["IQ-AR"]] == "Kurdistan Region" and region[codes["IQ-BA"]] == "Federal Iraq"
    table = locate(POINTS, mine)
    assert list(table.admin1_code.fillna("")) == [codes["IQ-BG"], codes["IQ-AR"], codes["IQ-BA"], ""]


def test_cli_uses_user_boundaries(tmp_path, ocha_like, geo_cli):
    gdf, codes = ocha_like
    path = tmp_path / "adm1.gpkg"
    gdf.to_file(path, layer="iraq_adm1")
    res = geo_cli("locate", "33.3152,44.3661", "--boundaries", str(path), "--boundary-layer",
                  "iraq_adm1", "--boundary-columns", "admin1_code=ADM1_PCODE,admin1_name=ADM1_EN")
    assert res.returncode == 0, res.stderr
    table = pd.read_csv(io.StringIO(res.stdout))
    assert table.admin1_code.iloc[0] == codes["IQ-BG"]


def test_bad_user_files_are_explained(tmp_path, ocha_like):
    gdf, _ = ocha_like
    path = tmp_path / "adm1.geojson"
    gdf.to_file(path)
    with pytest.raises(BoundaryError, match="column 'ADM1_XX' .*columns are: ADM1_PCODE"):
        load_admin1(path, {"admin1_code": "ADM1_XX", "admin1_name": "ADM1_EN"})
    points = tmp_path / "points.geojson"
    gpd.GeoDataFrame({"admin1_code": ["a"], "admin1_name": ["b"]},
                     geometry=gpd.points_from_xy([44], [33]), crs=4326).to_file(points)
    with pytest.raises(BoundaryError, match="expected polygons, found Point"):
        load_admin1(points)
    junk = tmp_path / "junk.gpkg"
    junk.write_bytes(b"not a geopackage")
    with pytest.raises(BoundaryError, match="cannot read"):
        load_admin1(junk)
    with pytest.raises(BoundaryError, match="unsupported type .csv"):
        load_admin1(_touch(tmp_path / "adm1.csv"))
    with pytest.raises(BoundaryError, match="not of the form"):
        parse_column_map("admin1_code")
    with pytest.raises(BoundaryError, match="expected one of"):
        parse_column_map("colour=RED")


def _touch(path):
    path.write_text("a,b\n")
    return path
