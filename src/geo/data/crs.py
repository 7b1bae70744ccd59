"""Coordinate reference systems used across the package."""

WGS84 = "EPSG:4326"
# Albers equal-area centred on Iraq: areas in km2 and Voronoi cells without latitude distortion.
EQUAL_AREA = "+proj=aea +lat_0=33 +lon_0=44 +lat_1=30 +lat_2=36 +datum=WGS84 +units=m +no_defs"
