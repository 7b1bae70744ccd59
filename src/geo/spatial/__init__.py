"""Boundaries, the point-in-governorate join and its grid index, level of detail for maps.

Imports only `geo.data`.
"""
