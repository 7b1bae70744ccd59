"""The lowest layer: schemas, validation, the event store, exports and small shared helpers.

Imports nothing else from `geo`; every other layer may import it.
"""
