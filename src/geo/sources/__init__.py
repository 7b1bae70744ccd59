"""Where events come from: the curated tables, third-party format readers, ingest into the
store, the batch pipeline and drafts from geoparsed text.

Imports `geo.data`, `geo.spatial` and `geo.text`.
"""
