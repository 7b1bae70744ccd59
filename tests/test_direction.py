"""Direction of violence: one documented rule per direction, checked on real and made-up rows."""

from __future__ import annotations

import pandas as pd
import pytest

from geo.app import direction as d
from geo.app import filters
from geo.app.filters import Filter
from geo.sources.curated import load


def row(actor1, actor2="", target="", event_type="Explosions/Remote violence", **kw):
    return {"event_id": kw.get("event_id", "X"), "event_type": event_type, "actor1": actor1,
            "actor2": actor2 or None, "target": target or None}


@pytest.mark.parametrize(("event", "expected"), [
    (row("Military Forces of the United States (2021-2025)", "Kataib Hezbollah"), d.STRIKES),
    (row("Military Forces of Israel (2022-)", "Military Forces of Iraq (2022-) Popular "
         "Mobilization Forces"), d.STRIKES),
    (row("Unidentified Armed Group (Iraq)", "Military Forces of the United States (2025-)"),
     d.ATTACKS),
    (row("Military Forces of Iran (1989-) Islamic Revolutionary Guard Corps",
         "Military Forces of the United States (2025-)"), d.ATTACKS),  # rule 2 before rule 3
    (row("Unidentified Armed Group (Iraq)", "Civilians (Iraq)",
         "Convoy of an Iraqi contractor carrying equipment for the coalition"), d.ATTACKS),
    (row("Military Forces of Turkey (2016-)", "PKK: Kurdistan Workers Party"), d.CROSS_BORDER),
    (row("PKK: Kurdistan Workers Party", "Military Forces of Turkey (2016-)", "",
         "Battles"), d.CROSS_BORDER),
    (row("Military Forces of Iran (1989-) Islamic Revolutionary Guard Corps",
         "KDPI: Democratic Party of Iranian Kurdistan"), d.CROSS_BORDER),
    (row("Islamic State (Iraq)", "Civilians (Iraq)", "", "Explosions/Remote violence"),
     d.ISLAMIC_STATE),
    (row("Military Forces of Iraq (2022-)", "Islamic State (Iraq)", "", "Battles"),
     d.ISLAMIC_STATE),
    (row("Unidentified Armed Group (Iraq)", "Kataib Hezbollah"), d.UNCLAIMED_STRIKES),
    (row("Unidentified Armed Group (Iraq)", "", "Khor Mor gas field storage tank"), d.ENERGY),
    (row("Rioters (Iraq)", "", "", "Riots"), d.UNREST),
    (row("Unidentified Armed Group (Iraq)", "Civilians (Iraq)", "Home of a mukhtar",
         "Violence against civilians"), d.OTHER),
])
def test_rules(event, expected):
    assert d.direction(pd.DataFrame([event])).iloc[0] == expected


def test_every_curated_event_has_a_direction_and_the_known_ones_are_right(admin1):
    ev = load("events", admin1).data
    got = d.direction(ev).set_axis(ev.event_id)
    assert set(got) <= set(d.DIRECTIONS) and got.notna().all()
    assert got["IRQ-CUR-0004"] == d.STRIKES        # the January 2020 strike at Baghdad airport
    assert got["IRQ-CUR-0008"] == d.ATTACKS        # Camp Taji rockets, March 2020
    assert {d.ATTACKS, d.STRIKES, d.CROSS_BORDER, d.ISLAMIC_STATE, d.ENERGY, d.UNREST,
            d.UNCLAIMED_STRIKES} <= set(got)
    assert len(d.COLORS) == len(d.DIRECTIONS) == len(set(d.COLORS.values()))
    assert not any("," in x for x in d.DIRECTIONS)  # URL lists are comma-joined
    from geo.app.figures import SITE_COLOR
    assert SITE_COLOR not in d.COLORS.values()  # a site never looks like an event


def test_the_loaded_column_is_used_and_the_filter_and_url_carry_direction(admin1):
    ev = load("events", admin1).data
    ev = ev.assign(direction=d.direction(ev))
    assert d.direction(ev) is not None and d.direction(ev).equals(ev["direction"].astype(object))
    f = Filter(directions=(d.ATTACKS, d.STRIKES))
    got = filters.apply(ev, f)
    assert len(got) == ev.direction.isin(f.directions).sum() > 0
    params = filters.to_query_params(f)
    assert params == {"dir": f"{d.ATTACKS},{d.STRIKES}"}
    back, notices = filters.from_query_params({**params, "dir": params["dir"] + ",Bogus"})
    assert back.directions == f.directions and "Bogus" in notices[0]
    assert "direction: " in filters.describe(f)
