"""Turn places found in a text into draft events the user completes; validated like any import."""

from __future__ import annotations

import hashlib

import pandas as pd

from geo.data.schemas import EVENTS
from geo.sources.ingest import coordinate_text


def draft_events(text: str, found: pd.DataFrame, fields: dict[str, str]) -> pd.DataFrame:
    """One draft per selected mention, in the event schema as text. `fields` holds what the user
    typed (event_date, event_type, sub_event_type, actor1, …); nothing else is invented: the
    place comes from the gazetteer, the note is the sentence that mentions it."""
    out = pd.DataFrame(index=found.index, columns=EVENTS.columns, dtype=object).fillna("")
    for key, value in fields.items():
        if key in out.columns:
            out[key] = str(value).strip()
    area = found["admin1_code"].eq("") & ~found["region"].eq("Outside Iraq")
    if "precision" in found:  # what the mention names: a place (2) or an area (3)
        area = found["precision"].astype(int).eq(3)
    out["location"] = found["matched_name"].astype(str)
    out["latitude"] = coordinate_text(found["lat"])
    out["longitude"] = coordinate_text(found["lon"])
    out["geo_precision"] = area.map({True: "3", False: "2"})
    out["coord_source"] = "geoparse: " + found["matched_name"].astype(str)
    out["notes"] = found["sentence"].astype(str).str.slice(0, 500)
    key = (text[:2000] + "|" + found["start"].astype(str) + "|" + out["event_date"]
           + "|" + out["event_type"])
    out["event_id"] = "DRAFT-" + key.map(lambda k: hashlib.sha1(k.encode()).hexdigest()[:12])
    if out["fatalities"].str.strip().ne("").any():
        out.loc[out["fatalities"].str.strip() != "", "fatalities_qualifier"] = "exact"
    return out.reset_index(drop=True)
