"""Find the places a news text mentions, offline, with their character offsets.

Every run of one to six words is normalised like a gazetteer name and looked up (exact and
alias names only: fuzzy matching in running text finds places in ordinary words). The longest
match wins, so "Baghdad international airport" is the airport, not Baghdad. Latin-script
mentions must start with a capital letter, and a few English words that are also place names
("Hit", "Ana") are ignored unless they read like a name.
"""

from __future__ import annotations

import re
from functools import lru_cache

import numpy as np
import pandas as pd

from geo.spatial.boundaries import load_admin1, load_regions
from geo.spatial.join import assign_admin1
from geo.text.geocode import NameIndex, _rank, default_index
from geo.text.names import normalise

MAX_WORDS = 6
OUTPUT_COLUMNS = ["mention", "start", "end", "matched_name", "lat", "lon", "admin1_code", "region"]
_WORD = re.compile(r"[^\W\d_][\w'’‘ʿʾ]*(?:-[\w'’‘ʿʾ]+)*", re.UNICODE)
# English words that are also Iraqi place names: kept only when capitalised mid-sentence.
_AMBIGUOUS_WORDS = {"hit", "ana", "balad", "rabia", "tal", "mar", "sharia", "bard"}
_NOT_PLACES = {"iraq", "العراق"}  # the country itself is context, not a place to map
# A place name followed by one of these words names an organisation, not the place.
_ORGANISATION_WORDS = {"government", "regional", "company", "oil", "university", "council",
                       "ministry", "bank", "club", "brigade", "brigades", "forces", "police",
                       "province's", "governor", "airways", "media", "tv", "news", "times"}


def _next_word(text: str, end: int) -> str:
    m = re.match(r"\s+([^\W\d_][\w']*)", text[end:end + 40])
    return m.group(1).casefold() if m else ""


REGION_NAMES = {
    "kurdistan region": "Kurdistan Region", "kurdistan": "Kurdistan Region",
    "iraqi kurdistan": "Kurdistan Region", "kurdistan region of iraq": "Kurdistan Region",
    "kri": "Kurdistan Region", "krg": "Kurdistan Region", "اقليم كوردستان": "Kurdistan Region",
    "اقليم كردستان": "Kurdistan Region", "كردستان": "Kurdistan Region",
    "federal iraq": "Federal Iraq",
}


@lru_cache(maxsize=1)
def _areas() -> pd.DataFrame:
    """Regions and governorates by every name we know them by, with a point inside each."""
    regions = load_regions()
    rows = [(norm, name, "", name) for norm, name in REGION_NAMES.items()]
    admin1 = load_admin1()
    for _, g in admin1.iterrows():  # 18 rows
        for name in {g.admin1_name, g.name_ar, g.name_ku, g.source_name}:
            for suffix in ("", " governorate", " province"):
                rows.append((name + suffix, g.admin1_name, g.admin1_code, g.region))
    table = pd.DataFrame(rows, columns=["raw", "name", "admin1_code", "region"])
    table["norm"] = normalise(table["raw"])
    pts = pd.concat([
        pd.DataFrame({"key": regions["region"], "geom": regions.geometry.representative_point()}),
        pd.DataFrame({"key": admin1["admin1_name"], "geom": admin1.geometry.representative_point()}),
    ])
    where = dict(zip(pts["key"], pts["geom"], strict=True))
    table["lat"] = table["name"].map(lambda n: where[n].y)
    table["lon"] = table["name"].map(lambda n: where[n].x)
    return table.drop_duplicates("norm").set_index("norm")


# Words that say what kind of facility a name is ("the Taji military base", "Kalsu base",
# "Khor Mor gas field"): a mention with one of them is looked up without them among the sites.
_DESCRIPTORS = {"camp", "base", "air", "airbase", "military", "army", "complex", "airfield",
                "airport", "international", "field", "oil", "gas", "border", "crossing", "dam",
                "refinery", "station", "facility", "compound"}


def _core(norm: pd.Series) -> pd.Series:
    """A normalised name without its descriptor words ("camp taji" -> "taji")."""
    words = norm.str.split(" ")
    return words.map(lambda ws: " ".join(w for w in ws if w not in _DESCRIPTORS))


@lru_cache(maxsize=4)
def _site_cores(index_id: int) -> pd.Series:
    """Core name -> place index, for the curated sites (and their aliases) only; a core shared
    by two sites, or equal to a town's name, is dropped: too ambiguous to pick one."""
    index = _INDEXES[index_id]
    names = index.names.join(index.places[["kind"]], on="place")
    sites = names[names["kind"] != "populated place"]
    cores = pd.DataFrame({"core": _core(sites["norm"]).to_numpy(), "place": sites["place"].to_numpy(),
                          "had_descriptor": (_core(sites["norm"]) != sites["norm"]).to_numpy()})
    cores = cores[cores["had_descriptor"] & (cores["core"].str.len() >= 3)]
    unique = cores.drop_duplicates(["core", "place"])
    unique = unique[~unique["core"].duplicated(keep=False)]
    return unique.set_index("core")["place"]


_INDEXES: dict[int, NameIndex] = {}


def _candidates(text: str) -> pd.DataFrame:
    words = [(m.start(), m.end()) for m in _WORD.finditer(text)]
    rows = [(words[i][0], words[j][1], j - i + 1)
            for i in range(len(words)) for j in range(i, min(i + MAX_WORDS, len(words)))]
    cand = pd.DataFrame(rows, columns=["start", "end", "words"])
    cand["mention"] = [text[s:e] for s, e in zip(cand["start"], cand["end"], strict=True)]
    return cand


def geoparse(text: str, index: NameIndex | None = None, admin1=None) -> pd.DataFrame:
    """Every place mentioned in `text`: mention, offsets, matched place, governorate, region."""
    index = index or default_index()
    if not text.strip():
        return pd.DataFrame(columns=OUTPUT_COLUMNS)
    cand = _candidates(text)
    cand["norm"] = normalise(cand["mention"])
    best = _rank(index, None)
    cand["place"] = best["place"].reindex(cand["norm"]).to_numpy()
    # "the Taji military base": a mention with a descriptor, found among the sites by its core
    _INDEXES.setdefault(id(index), index)
    described = cand["place"].isna() & (_core(cand["norm"]) != cand["norm"])
    if described.any():
        cores = _site_cores(id(index))
        cand.loc[described, "place"] = _core(cand.loc[described, "norm"]).map(cores).to_numpy()
    areas = _areas()
    cand["region_hit"] = cand["norm"].map(areas["name"])
    latin = cand["mention"].str.match(r"^[A-Za-z]")
    # "al-Qaim", "el-Hawija": a lower-case article before a capitalised name
    capital = cand["mention"].str.match(r"^(?:[A-Z]|(?:al|el|ar|as|an|ad|at|az|ash)-[A-Z])")
    sentence_start = cand["start"].map(lambda s: s == 0 or bool(re.search(r"[.!?\n]\s*$",
                                                                            text[max(0, s - 3):s])))
    ambiguous = (cand["words"] == 1) & cand["norm"].isin(_AMBIGUOUS_WORDS) & (sentence_start | ~capital)
    area_only = cand["region_hit"].notna() & cand["place"].isna()
    ok = (cand["place"].notna() | cand["region_hit"].notna()) & (~latin | capital | area_only)
    ok &= ~ambiguous & ~cand["norm"].isin(_NOT_PLACES)
    following = cand["end"].map(lambda e: _next_word(text, e))
    ok &= ~following.isin(_ORGANISATION_WORDS)  # "Basra Oil Company" is not Basra
    ok &= ~((cand["words"] == 1) & (cand["norm"].str.len() <= 2))
    hits = cand[ok].sort_values(["words", "start"], ascending=[False, True])
    taken = np.zeros(len(text) + 1, dtype=bool)
    keep = []
    for idx, s, e in zip(hits.index, hits["start"], hits["end"], strict=True):  # few hits per text
        if not taken[s:e].any():
            taken[s:e] = True
            keep.append(idx)
    found = cand.loc[keep].sort_values("start")
    places = index.places
    rows = places.reindex(found["place"].fillna(-1).astype(int))
    out = pd.DataFrame({
        "mention": found["mention"].to_numpy(), "start": found["start"].to_numpy(),
        "end": found["end"].to_numpy(), "matched_name": rows["name"].to_numpy(),
        "lat": rows["latitude"].to_numpy(dtype=float), "lon": rows["longitude"].to_numpy(dtype=float),
    })
    # Areas (regions, governorates) win over a town of the same name only when no town matched.
    is_area = (found["region_hit"].notna() & found["place"].isna()).to_numpy()
    area = areas.reindex(found["norm"]).reset_index(drop=True)
    out.loc[is_area, ["matched_name", "lat", "lon"]] = area.loc[is_area, ["name", "lat", "lon"]].to_numpy()
    located = assign_admin1(out, admin1, lat="lat", lon="lon")
    out["admin1_code"] = np.where(is_area, area["admin1_code"].fillna(""),
                                  located["admin1_code"].astype(object).fillna(""))
    out["region"] = np.where(is_area, area["region"].fillna(""),
                             located["region"].astype(object).fillna(""))
    return out[OUTPUT_COLUMNS].reset_index(drop=True)


def sentences(text: str, starts: pd.Series) -> pd.Series:
    """The sentence around each offset (for showing a mention in context)."""
    bounds = [0] + [m.end() for m in re.finditer(r"[.!?؟]\s+|\n+", text)] + [len(text)]
    edges = np.asarray(bounds)
    i = np.searchsorted(edges, np.asarray(starts, dtype=int), side="right") - 1
    return pd.Series([text[edges[k]:edges[k + 1]].strip() for k in i], index=starts.index)
