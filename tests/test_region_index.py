"""The grid lookup gives exactly the answers of geopandas.sjoin plus the lowest-code border rule."""

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from shapely.geometry import box

from geo.spatial.boundaries import load_admin1
from geo.spatial.join import assign_admin1
from geo.spatial.region_index import EMPTY, MIXED, build_index


def sjoin_reference(lon: np.ndarray, lat: np.ndarray, admin1: gpd.GeoDataFrame) -> np.ndarray:
    """What GeoPandas says: intersects, and on shared borders the lowest code."""
    pts = gpd.GeoDataFrame(geometry=gpd.points_from_xy(lon, lat), crs=admin1.crs)
    hits = gpd.sjoin(pts, admin1[["admin1_code", "geometry"]], predicate="intersects", how="left")
    hits = hits.sort_values("admin1_code", kind="stable", na_position="last")
    hits = hits[~hits.index.duplicated()].sort_index()
    return hits["admin1_code"].astype(object).fillna("-").to_numpy()


def hard_points(admin1: gpd.GeoDataFrame, n: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Random points plus every vertex and every edge midpoint of every polygon: the border."""
    rng = np.random.default_rng(seed)
    xmin, ymin, xmax, ymax = admin1.total_bounds
    lon = rng.uniform(xmin - 0.5, xmax + 0.5, n)
    lat = rng.uniform(ymin - 0.5, ymax + 0.5, n)
    rings = admin1.geometry.boundary.explode(index_parts=False)
    verts = shapely.get_coordinates(rings.to_numpy())
    mids = (verts[:-1] + verts[1:]) / 2
    pts = np.vstack([verts, mids])
    return np.concatenate([lon, pts[:, 0]]), np.concatenate([lat, pts[:, 1]])


@pytest.mark.parametrize("cell", [0.1, 0.05, 0.37])
def test_same_answers_as_sjoin_on_governorates(cell: float) -> None:
    admin1 = load_admin1()
    lon, lat = hard_points(admin1, 60_000, seed=int(cell * 100))
    index = build_index(admin1, cell)
    assert (index.state == MIXED).any() and (index.state >= 0).any() and (index.state == EMPTY).any()
    number = index.lookup(lon, lat)
    got = np.where(number >= 0, np.append(index.codes, "-")[number], "-")
    want = sjoin_reference(lon, lat, admin1)
    assert (got == want).all(), f"{(got != want).sum()} points differ"
    # the border points really exercised the rule: some lie in two governorates at once
    border = shapely.intersects_xy(admin1.geometry.to_numpy()[:, None], lon, lat).sum(axis=0) > 1
    assert border.sum() > 100


def test_shared_edges_and_corners_of_a_toy_grid() -> None:
    """Four unit squares meeting at (1, 1): edges and the corner go to the lowest code."""
    squares = gpd.GeoDataFrame(
        {"admin1_code": ["D", "B", "C", "A"], "admin1_name": list("dbca"), "region": "r"},
        geometry=[box(1, 1, 2, 2), box(1, 0, 2, 1), box(0, 1, 1, 2), box(0, 0, 1, 1)],
        crs="EPSG:4326")
    lon = np.array([1.0, 0.5, 1.0, 1.5, 1.5, 2.0, 2.0000001, 0.5, 1.5, 0.0, np.nan])
    lat = np.array([1.0, 1.0, 0.5, 1.0, 1.5, 2.0, 1.0, 0.5, 1.5, 0.0, 1.0])
    index = build_index(squares, 0.25)
    got = np.append(index.codes, "-")[index.lookup(lon, lat)]
    assert list(got) == ["A", "A", "A", "B", "D", "D", "-", "A", "D", "A", "-"]
    assert list(got[:-1]) == list(sjoin_reference(lon[:-1], lat[:-1], squares))


def test_assign_admin1_uses_the_index_and_keeps_its_contract() -> None:
    admin1 = load_admin1()
    lon, lat = hard_points(admin1, 5_000, seed=7)
    df = pd.DataFrame({"latitude": lat, "longitude": lon})
    with_geom = assign_admin1(df, admin1)
    table = assign_admin1(df, admin1, geometry=False)
    assert isinstance(with_geom, gpd.GeoDataFrame) and not isinstance(table, gpd.GeoDataFrame)
    assert (with_geom["admin1_code"].fillna("-").to_numpy() == sjoin_reference(lon, lat, admin1)).all()
    pd.testing.assert_frame_equal(pd.DataFrame(with_geom.drop(columns="geometry")), table)
    assert str(table["admin1_code"].dtype) == "string" and str(table["region"].dtype) == "string"


def test_index_is_cached_per_polygon_set() -> None:
    admin1 = load_admin1()
    assert build_index(admin1, 0.1) is build_index(admin1.copy(), 0.1)
    moved = admin1.copy()
    moved["geometry"] = moved.translate(0.01, 0)
    assert build_index(moved, 0.1) is not build_index(admin1, 0.1)
