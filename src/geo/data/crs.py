"""Coordinate reference systems, and distances on the ellipsoid, used across the package."""

import numpy as np
from pyproj import Geod

WGS84 = "EPSG:4326"
# Albers equal-area centred on Iraq: areas in km2 and Voronoi cells without latitude distortion.
EQUAL_AREA = "+proj=aea +lat_0=33 +lon_0=44 +lat_1=30 +lat_2=36 +datum=WGS84 +units=m +no_defs"

_GEOD = Geod(ellps="WGS84")


def distance_km(lat1, lon1, lat2, lon2) -> np.ndarray:
    """Geodesic kilometres between pairs of points (NaN where either is missing)."""
    lat1, lon1, lat2, lon2 = (np.asarray(x, dtype=float) for x in (lat1, lon1, lat2, lon2))
    _, _, d = _GEOD.inv(lon1, lat1, lon2, lat2)
    return np.where(np.isnan(lat1) | np.isnan(lat2), np.nan, d / 1000)
