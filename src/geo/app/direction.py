"""Direction of violence: who did what to whom, derived from actor families and targets.

ACLED's event type says how (rockets, drones, clashes), not who against whom, so militia rockets
on a US base and a US strike on that militia share one colour. Every event gets one direction,
by the first rule that applies:

1. US/coalition and Israeli strikes: actor1 is US forces, a coalition partner or Israel.
2. Attacks on US/coalition and diplomatic sites: a violent event aimed at them
   (`aggregate.attacks_on_foreign_forces`: actor2's family or the target).
3. Iranian and Turkish cross-border violence: Iran or Turkey is actor1 or actor2 (Turkish
   strikes, PKK attacks on Turkish troops, IRGC strikes on Kurdish opposition groups).
4. Islamic State and counter-IS: the Islamic State is actor1 or actor2.
5. Unclaimed strikes on the PMF and militias: an unidentified air/drone strike, shelling or
   bombing whose second actor is the PMF or an Iran-aligned group.
6. Attacks on energy sites: the target names an oil or gas field, a refinery or an energy firm.
7. Protests and riots: ACLED's two unrest types.
8. Other violence: everything else (unclaimed killings, clashes between Iraqi factions…).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from geo.app.actors import family_of
from geo.app.aggregate import attacks_on_foreign_forces
from geo.data.i18n import N_
from geo.data.textops import per_value

# The names are data values (the filter, the URL, the exports keep them in English); N_ marks
# them for the catalogs, and the pages show them with `_()`.
STRIKES = N_("US/coalition and Israeli strikes")  # no comma: URL lists are comma-joined
ATTACKS = N_("Attacks on US/coalition and diplomatic sites")
CROSS_BORDER = N_("Iranian and Turkish cross-border violence")
ISLAMIC_STATE = N_("Islamic State and counter-IS")
UNCLAIMED_STRIKES = N_("Unclaimed strikes on PMF and militias")
ENERGY = N_("Attacks on energy sites")
UNREST = N_("Protests and riots")
OTHER = N_("Other violence")
DIRECTIONS = (ATTACKS, STRIKES, UNCLAIMED_STRIKES, CROSS_BORDER, ISLAMIC_STATE, ENERGY, UNREST,
              OTHER)
# Okabe–Ito plus grey: the two sides of the US–militia conflict in contrasting hues; none is
# the green of the foreign-force sites.
COLORS = {ATTACKS: "#D55E00", STRIKES: "#0072B2", UNCLAIMED_STRIKES: "#56B4E9",
          CROSS_BORDER: "#CC79A7", ISLAMIC_STATE: "#000000", ENERGY: "#E69F00", UNREST: "#F0E442",
          OTHER: "#999999"}
COLUMN = "direction"

_ENERGY_TARGET = (r"\b(?:oil|gas|condensate|LPG)\b|oil ?field|gas ?field|refinery|pipeline|"
                  r"Dana Gas|Pearl Petroleum|Halliburton|KBR|HKN|DNO|Hunt Oil")
_REMOTE = ("Explosions/Remote violence",)


def direction(events: pd.DataFrame) -> pd.Series:
    """One direction per event (see the module docstring for the rules, in order). Read from
    the `direction` column when the loader has computed it once."""
    if COLUMN in events:
        return events[COLUMN].astype(object)
    by = family_of(events, "actor1")
    on = family_of(events, "actor2")
    attack = attacks_on_foreign_forces(events).to_numpy()
    energy = per_value(events["target"], lambda v: v.fillna("").str.contains(
        _ENERGY_TARGET, case=False, regex=True)).to_numpy(dtype=bool)
    conditions = [
        by.isin(("US forces", "Coalition partners", "Israel")).to_numpy(),
        attack,
        (by.isin(("Iran", "Turkey")) | on.isin(("Iran", "Turkey"))).to_numpy(),
        ((by == "Islamic State") | (on == "Islamic State")).to_numpy(),
        ((by == "Unidentified") & (on == "PMF and Iran-aligned groups")
         & events["event_type"].isin(_REMOTE)).to_numpy(),
        energy,
        events["event_type"].isin(("Protests", "Riots")).to_numpy(),
    ]
    choices = [STRIKES, ATTACKS, CROSS_BORDER, ISLAMIC_STATE, UNCLAIMED_STRIKES, ENERGY, UNREST]
    return pd.Series(np.select(conditions, choices, default=OTHER), index=events.index,
                     dtype=object)
