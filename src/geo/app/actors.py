"""Actor families: the actor names of ACLED, UCDP GED, GTD and the curated table grouped into
the sides an analyst of Iraq follows.

Each source names one force its own way: ACLED splits it by presidency ("Military Forces of the
United States (2021-2025)") and unit, UCDP writes "Government of United States of America", an
abbreviation ("IS", "KDP") or several governments in one side, GTD adds the acronym in brackets
and generic labels ("Unknown", "Muslim extremists"). Counts by family say who acted without that
noise. The rules are data, with a source each: `data/curated/actor_families.csv` (patterns tried
in order, the first match wins). Two general rules sit around the table:

- a side naming several actors (UCDP's multi-party sides, comma or semicolon separated) takes
  the family of its leading member, the first of `FAMILY_ORDER` among its parts (a US-led
  coalition side is US forces);
- a name the table does not know stays `Other`; `geo actors` lists such names per file.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from geo.data import paths
from geo.data.schemas import ACTOR_FAMILY_NAMES
from geo.data.textops import per_value
from geo.sources.curated import load

OTHER = "Other"
FAMILY_ORDER = (*ACTOR_FAMILY_NAMES, OTHER)
COLUMNS = {"actor1": "actor1_family", "actor2": "actor2_family"}
# UCDP's multi-party sides ("Government of Australia, Government of United Kingdom, …") and
# ACLED's associated actors are lists; no single actor name in the sources holds a comma or a
# semicolon.
_SEPARATOR = r"\s*[;,]\s*"
_RANK = {family: rank for rank, family in enumerate(FAMILY_ORDER)}


@lru_cache(maxsize=4)
def _rules(directory: str) -> tuple[tuple[str, str], ...]:
    table = load("actor_families", directory=Path(directory)).data
    return tuple(zip(table["pattern"], table["family"], strict=True))


def rules() -> tuple[tuple[str, str], ...]:
    """(pattern, family) pairs of the curated table, in order."""
    return _rules(str(paths.curated_dir()))


def _first_match(text: pd.Series) -> pd.Series:
    """The family of the first rule matching each (single) name; `Other` when none does."""
    out = pd.Series(OTHER, index=text.index, dtype=object)
    done = np.zeros(len(text), dtype=bool)
    for pattern, family in rules():
        hit = ~done & text.str.contains(pattern, case=False, regex=True).to_numpy(dtype=bool)
        out[hit] = family
        done |= hit
    return out


def _classify(values: pd.Series) -> pd.Series:
    text = values.fillna("").astype(str).str.strip()
    parts = text.str.split(_SEPARATOR, regex=True).explode()
    parts = parts[parts.fillna("") != ""]
    if parts.empty:
        return pd.Series("", index=values.index, dtype=object)
    family = _first_match(parts.astype(str))
    rank = family.map(_RANK)
    leading = rank.groupby(level=0).min()
    out = pd.Series("", index=values.index, dtype=object)
    out[leading.index] = np.asarray(FAMILY_ORDER, dtype=object)[leading.to_numpy()]
    return out


def actor_family(actors: pd.Series) -> pd.Series:
    """The family of each actor name (`Other` when no rule matches, blank for a blank name)."""
    values = actors.reset_index(drop=True)
    out = per_value(values, _classify).astype(object)
    out.index = actors.index
    return out


def family_of(events: pd.DataFrame, column: str) -> pd.Series:
    """The family of `column` ("actor1" or "actor2"), read from the loader's derived column when
    it has computed it once (the app, `geo export`), else computed."""
    derived = COLUMNS[column]
    if derived in events:
        return events[derived].fillna("").astype(object)
    return actor_family(events[column]) if column in events else pd.Series(
        "", index=events.index, dtype=object)


def with_families(events: pd.DataFrame) -> pd.DataFrame:
    """`events` with `actor1_family` and `actor2_family` (the columns exports carry)."""
    return events.assign(**{derived: actor_family(events[column]) if column in events else ""
                            for column, derived in COLUMNS.items()})
