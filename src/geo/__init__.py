"""Geo core of the Iraq security dashboard: schemas, boundaries, spatial join, exports."""

__version__ = "0.1.0"
