"""What every figure shares: the palettes and the escaping of text from data.

Kept apart so that maps, charts and timelines draw the same direction, region and event-type
in the same colour, and escape data text the same way.
"""

from __future__ import annotations

import html
from functools import cache

import pandas as pd

from geo.app import vocabulary
from geo.app.direction import COLORS as DIRECTION_COLORS
from geo.app.direction import DIRECTIONS, ISLAMIC_STATE
from geo.data import i18n
from geo.data.i18n import _

# Okabe–Ito: distinguishable with the common colour-vision deficiencies.
OKABE_ITO = ["#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7",
             "#000000"]
REGION_COLORS = {"Kurdistan Region": "#E69F00", "Federal Iraq": "#56B4E9"}
EVENT_TYPE_COLORS = {
    "Explosions/Remote violence": "#D55E00", "Battles": "#CC79A7",
    "Violence against civilians": "#000000", "Protests": "#009E73", "Riots": "#F0E442",
    "Strategic developments": "#0072B2",
}
SITE_COLOR = "#009E73"


def plain(values: pd.Series) -> pd.Series:
    """Text from data, escaped: Plotly hover labels understand a little HTML, data must not.
    Only & < > are escaped: with no tag possible a quote is harmless, and Plotly would show
    `&quot;` literally (it decodes only a few entities)."""
    return values.fillna("").astype(str).map(lambda v: html.escape(v, quote=False))


def legend_order(values: pd.Series) -> list[str]:
    """Directions in their documented order, then anything else alphabetically."""
    present = set(values.dropna().astype(str))
    return [x for x in DIRECTIONS if x in present] + sorted(present - set(DIRECTIONS))


def direction_colors(dark: bool = False) -> dict[str, str]:
    """The directions' colours; on a dark map the Islamic State's black would vanish, so it is
    drawn near-white there (the legend follows)."""
    return {**DIRECTION_COLORS, **({ISLAMIC_STATE: "#F2F2F2"} if dark else {})}


@cache
def _vocabulary() -> frozenset[str]:
    return frozenset(vocabulary.values())


def shown(value: object) -> str:
    """A value the app owns (direction, event type, region, family, qualifier…) in the reader's
    language, for a figure's visible labels only; anything else (names from the data) as it is.
    The data, customdata used for clicks, and URLs keep the English value."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    text = str(value)
    return _(text) if text in _vocabulary() else text


def shown_all(values: pd.Series) -> pd.Series:
    """`shown` for a column: each distinct value translated once; missing values stay missing."""
    return values.map({v: shown(v) for v in values.dropna().unique()})


def word(value: object) -> str:
    """A word of ours from the data (a status, "reported"/"planned") translated; blank stays blank
    (gettext of "" would be the catalog's header)."""
    text = "" if value is None or value is pd.NA else str(value)
    return _(text) if text else text


def numbers(values: pd.Series) -> pd.Series:
    """Whole numbers with the locale's grouping and digits (`i18n.number`), for a column at once:
    Babel once, not per value."""
    sep = i18n.number(1234567)[1]  # "1,234,567" or "1٬234٬567"
    out = values.astype("int64").map("{:,}".format).astype(object)
    if sep != ",":
        out = out.map(lambda v: v.replace(",", sep))
    return out.map(i18n.localise_digits) if i18n.localise_digits("1") != "1" else out
