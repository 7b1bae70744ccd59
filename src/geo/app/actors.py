"""Actor families: ACLED-style actor names grouped into the sides an analyst of Iraq follows.

ACLED splits one force into several names (US forces by presidency, the PMF as a unit of the
Iraqi military, each militia and each of its front names on its own); counts by family say who
acted without that noise. The rules are data, with a source each:
`data/curated/actor_families.csv` (patterns tried in order, the first match wins).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pandas as pd

from geo.data import paths
from geo.data.schemas import ACTOR_FAMILY_NAMES
from geo.data.textops import per_value
from geo.sources.curated import load

OTHER = "Other"
FAMILY_ORDER = (*ACTOR_FAMILY_NAMES, OTHER)


@lru_cache(maxsize=4)
def _rules(directory: str) -> tuple[tuple[str, str], ...]:
    table = load("actor_families", directory=Path(directory)).data
    return tuple(zip(table["pattern"], table["family"], strict=True))


def rules() -> tuple[tuple[str, str], ...]:
    """(pattern, family) pairs of the curated table, in order."""
    return _rules(str(paths.curated_dir()))


def actor_family(actors: pd.Series) -> pd.Series:
    """The family of each actor name (`Other` when no rule matches, blank for a blank name)."""
    table = rules()

    def classify(values: pd.Series) -> pd.Series:
        text = values.fillna("").astype(str)
        out = pd.Series(OTHER, index=values.index, dtype=object)
        done = text.str.strip() == ""
        out[done] = ""
        for pattern, family in table:
            hit = ~done & text.str.contains(pattern, case=False, regex=True)
            out[hit] = family
            done |= hit
        return out
    return per_value(actors, classify).astype(object)
