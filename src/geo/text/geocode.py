"""Offline geocoding of place names against the gazetteer: exact, alias, then fuzzy.

Names are compared after `normalise`: case, diacritics, apostrophes and hamzas, punctuation,
Arabic article prefixes (al-, ar-, as-, …, ال) and Kurdish/Persian letter forms are folded, so
"Al-Fallūjah", "Falluja" and "الفلوجة" meet. Fuzzy matching uses rapidfuzz with a threshold;
below it the name is listed as unmatched, never guessed.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd
from rapidfuzz import fuzz, process

from geo.spatial.join import assign_admin1
from geo.text.gazetteer import load_places
from geo.text.names import normalise

FUZZY_THRESHOLD = 88.0
SHORT_NAME_THRESHOLD = 93.0  # names of 5 letters or fewer: one typo is already a lot
OUTPUT_COLUMNS = ["query", "matched_name", "lat", "lon", "admin1_code", "admin1_name", "region",
                  "match", "score", "place_id"]

# Words that say what kind of facility a name is ("the Taji military base", "Kalsu base",
# "Khor Mor gas field"): a mention with one of them is looked up without them among the sites.
_DESCRIPTORS = {"camp", "base", "air", "airbase", "military", "army", "complex", "airfield",
                "airport", "international", "field", "oil", "gas", "border", "crossing", "dam",
                "refinery", "station", "facility", "compound"}


def core_name(norm: pd.Series) -> pd.Series:
    """A normalised name without its descriptor words ("camp taji" -> "taji")."""
    return norm.str.split(" ").map(lambda ws: " ".join(w for w in ws if w not in _DESCRIPTORS))


@dataclass(frozen=True)
class NameIndex:
    places: pd.DataFrame
    names: pd.DataFrame  # norm, place index, is_primary
    choices: list[str]
    site_cores: pd.Series  # core name -> place index, curated sites only (`_site_cores`)


@lru_cache(maxsize=1)
def default_index() -> NameIndex:
    return build_index(load_places())


def build_index(places: pd.DataFrame) -> NameIndex:
    places = places.reset_index(drop=True)
    alt = places["alternatenames"].fillna("").str.split("|")
    names = pd.DataFrame({"raw": places["name"], "place": places.index, "is_primary": True})
    alts = pd.DataFrame({"raw": alt, "place": places.index}).explode("raw")
    alts = alts[alts["raw"].fillna("") != ""].assign(is_primary=False)
    names = pd.concat([names, alts], ignore_index=True)
    names["norm"] = normalise(names["raw"])
    names = names[names["norm"].str.len() >= 2].drop_duplicates(["norm", "place"])
    names = names[["norm", "place", "is_primary"]].reset_index(drop=True)
    return NameIndex(places, names, sorted(names["norm"].unique()), _site_cores(names, places))


def _site_cores(names: pd.DataFrame, places: pd.DataFrame) -> pd.Series:
    """Core name -> place index for the curated sites' names that carry a descriptor ("camp
    taji" -> Camp Taji); a core shared by two sites is dropped: too ambiguous to pick one."""
    sites = names[names["place"].map(places["kind"]) != "populated place"]
    core = core_name(sites["norm"])
    cores = pd.DataFrame({"core": core.to_numpy(), "place": sites["place"].to_numpy()})
    cores = cores[(core != sites["norm"]).to_numpy() & (cores["core"].str.len() >= 3).to_numpy()]
    unique = cores.drop_duplicates(["core", "place"])
    return unique[~unique["core"].duplicated(keep=False)].set_index("core")["place"]


def _rank(index: NameIndex, admin1_hint: str | None) -> pd.DataFrame:
    """For each normalised name, the single best place: Iraq first, then the hinted governorate,
    then towns before sites (a site list may carry its town's names as aliases: "Irbil" is the
    city, not the air base), then the primary name, then population."""
    p = index.places
    cand = index.names.join(p[["country", "gn_admin1", "population", "kind"]], on="place")
    cand = cand.assign(
        in_iraq=cand["country"] == "IQ",
        hinted=(cand["gn_admin1"] == admin1_hint) if admin1_hint else False,
        site=cand["kind"] != "populated place",
    )
    cand = cand.sort_values(["norm", "in_iraq", "hinted", "site", "is_primary", "population"],
                            ascending=[True, False, False, True, False, False], kind="stable")
    return cand.drop_duplicates("norm").set_index("norm")


def geocode(queries: list[str] | pd.Series, admin1_hint: str | None = None,
            index: NameIndex | None = None, admin1=None) -> pd.DataFrame:
    """One row per query: the matched place, its governorate and region, and how it matched."""
    index = index or default_index()
    q = pd.Series(list(queries), dtype=object).fillna("").astype(str)
    norm = normalise(q)
    best = _rank(index, admin1_hint)
    hit = best.reindex(norm)
    place = pd.Series(hit["place"].to_numpy(), index=q.index)
    match = np.where(place.isna(), "none", np.where(hit["is_primary"].fillna(False).to_numpy(),
                                                     "exact", "alias"))
    score = np.where(place.isna(), 0.0, 100.0)

    todo = place.isna() & (norm.str.len() >= 3)
    if todo.any():
        unique = norm[todo].unique()
        found: dict[str, tuple[str, float]] = {}
        for start in range(0, len(unique), 2000):  # bounded memory for large batches
            chunk = list(unique[start:start + 2000])
            scores = process.cdist(chunk, index.choices, scorer=fuzz.ratio, workers=-1,
                                   score_cutoff=FUZZY_THRESHOLD - 0.5)
            best_col = scores.argmax(axis=1)
            for name, col, row in zip(chunk, best_col, scores, strict=True):
                found[name] = (index.choices[col], float(row[col]))
        got = norm[todo].map(found)
        cand = got.map(lambda x: x[0] if isinstance(x, tuple) else None)
        sc = got.map(lambda x: x[1] if isinstance(x, tuple) else 0.0).astype(float)
        limit = np.where(norm[todo].str.len() <= 5, SHORT_NAME_THRESHOLD, FUZZY_THRESHOLD)
        ok = sc.to_numpy() >= limit
        fuzzy_place = best.reindex(cand[ok])["place"].to_numpy()
        idx = cand[ok].index
        place[idx] = fuzzy_place
        match[idx] = "fuzzy"
        score[idx] = sc[ok].round(1).to_numpy()

    places = index.places
    matched = place.notna()
    rows = places.reindex(place.fillna(-1).astype(int))
    out = pd.DataFrame({
        "query": q, "matched_name": rows["name"].to_numpy(),
        "lat": rows["latitude"].to_numpy(dtype=float), "lon": rows["longitude"].to_numpy(dtype=float),
        "match": match, "score": score, "place_id": rows["place_id"].to_numpy(),
    })
    out.loc[~matched.to_numpy(), ["matched_name", "place_id"]] = ""
    located = assign_admin1(out.loc[matched.to_numpy()], admin1, lat="lat", lon="lon", geometry=False)
    for col in ("admin1_code", "admin1_name", "region"):
        out[col] = pd.Series(located[col], index=located.index).reindex(out.index).astype(object)
        out[col] = out[col].where(out[col].notna(), "")
    return out[OUTPUT_COLUMNS]
