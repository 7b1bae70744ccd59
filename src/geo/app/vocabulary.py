"""The values the app owns, translated like interface text (issue 26).

Apart from `geo.data.i18n` so that i18n stays at the bottom of the app package: the modules that
define these values (filters, direction, actors) import i18n, and this module imports them.
"""

from __future__ import annotations

from functools import cache

from geo.app.actors import FAMILY_ORDER
from geo.app.direction import DIRECTIONS
from geo.app.filters import QUICK_RANGES, REGION_CHOICES
from geo.data import schemas


@cache
def values() -> tuple[str, ...]:
    """The values the app owns and shows (event types, directions, actor families, precision
    and region names, quick ranges): translated like interface text, though they are data
    values in the code and the URL. Source text (actor names, notes, titles) is not here."""
    values = [*schemas.EVENT_TYPES, *schemas.SUB_EVENT_TYPES, *DIRECTIONS, *FAMILY_ORDER,
              *schemas.TIME_PRECISION.values(), *schemas.GEO_PRECISION.values(),
              *schemas.JURISDICTIONS, *REGION_CHOICES, schemas.INVALID_COORDINATES,
              *schemas.ATTRIBUTIONS.values(), *QUICK_RANGES, *schemas.QUALIFIERS,
              *schemas.MILESTONE_KINDS, *schemas.SITE_KINDS, *schemas.PLACE_KINDS,
              *schemas.MILESTONE_AREAS, "unknown"]  # a blank toll's qualifier in tables
    return tuple(dict.fromkeys(str(v) for v in values))
