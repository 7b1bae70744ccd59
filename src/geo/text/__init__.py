"""Place names: the offline gazetteer, geocoding and geoparsing.

Imports `geo.data` and `geo.spatial`.
"""
