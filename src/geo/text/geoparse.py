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

from geo.spatial import installed
from geo.spatial.admin1_table import ADMIN1_ALIASES
from geo.spatial.boundaries import load_admin1, load_regions
from geo.spatial.join import assign_admin1
from geo.text.gazetteer import AREA_LEVEL
from geo.text.geocode import NameIndex, _rank, core_name, default_index
from geo.text.names import normalise

MAX_WORDS = 6
OUTPUT_COLUMNS = ["mention", "start", "end", "matched_name", "lat", "lon", "admin1_code", "region",
                  "precision"]
# ACLED's geo_precision of what a mention names: a place (2: the event is at or near it) or an
# area (3: a district, governorate or region; its point is only representative).
PLACE_PRECISION, AREA_PRECISION = 2, 3
_WORD = re.compile(r"[^\W\d_][\w'’‘ʿʾ]*(?:-[\w'’‘ʿʾ]+)*", re.UNICODE)
# English words that are also Iraqi place names: kept only when capitalised mid-sentence.
_AMBIGUOUS_WORDS = {"hit", "ana", "balad", "rabia", "tal", "mar", "sharia", "bard"}
_NOT_PLACES = {"iraq", "العراق"}  # the country itself is context, not a place to map
# A place name followed by one of these words names an organisation, not the place.
_ORGANISATION_WORDS = {"government", "regional", "company", "oil", "university", "council",
                       "ministry", "bank", "club", "brigade", "brigades", "forces", "police",
                       "province's", "governor", "airways", "media", "tv", "news", "times",
                       "resistance", "operations", "command", "health", "directorate"}


def _next_word(text: str, end: int) -> str:
    m = re.match(r"\s+([^\W\d_][\w']*)", text[end:end + 40])
    return m.group(1).casefold() if m else ""


REGION_NAMES = {
    "kurdistan region": "Kurdistan Region", "kurdistan": "Kurdistan Region",
    "iraqi kurdistan": "Kurdistan Region", "kurdistan region of iraq": "Kurdistan Region",
    "kri": "Kurdistan Region", "اقليم كوردستان": "Kurdistan Region",
    "اقليم كردستان": "Kurdistan Region", "كردستان": "Kurdistan Region",
    "federal iraq": "Federal Iraq",
}


def _areas() -> pd.DataFrame:
    """Regions, governorates and (with an installed district set) districts by every name we
    know them by, with a point inside each."""
    meta = installed.metadata() if {"admin2", "admin3"} & set(installed.levels()) else None
    return _areas_for(meta.get("checksum", "") if meta else "")


@lru_cache(maxsize=2)
def _areas_for(district_set: str) -> pd.DataFrame:
    regions = load_regions()
    rows = [(norm, name, "", name) for norm, name in REGION_NAMES.items()]
    admin1 = load_admin1()
    for _, g in admin1.iterrows():  # 18 rows
        for name in {g.admin1_name, g.name_ar, g.name_ku, g.source_name}:
            for suffix in ("", " governorate", " province", " region"):
                rows.append((name + suffix, g.admin1_name, g.admin1_code, g.region))
        # "Diwaniyah province", "Missan province": other spellings, only with the unit word
        # (alone, most of them are the capital's name: the town wins)
        for name in ADMIN1_ALIASES.get(g.admin1_code, ()):
            for suffix in (" governorate", " province", " region"):
                rows.append((name + suffix, g.admin1_name, g.admin1_code, g.region))
    pts = [pd.DataFrame({"key": regions["region"], "geom": regions.geometry.representative_point()}),
           pd.DataFrame({"key": admin1["admin1_name"],
                         "geom": admin1.geometry.representative_point()})]
    table = pd.DataFrame(rows, columns=["raw", "name", "admin1_code", "region"]).assign(strict=False)
    if district_set:
        units, unit_pts = _installed_units(dict(zip(admin1["admin1_code"], admin1["region"],
                                                    strict=True)))
        units = units[~normalise(units["raw"]).isin(set(normalise(table["raw"])))]
        table = pd.concat([table, units], ignore_index=True)
        pts.append(unit_pts)
    table["norm"] = normalise(table["raw"])
    pts = pd.concat(pts).drop_duplicates("key")
    where = dict(zip(pts["key"], pts["geom"], strict=True))
    table["lat"] = table["name"].map(lambda n: where[n].y)
    table["lon"] = table["name"].map(lambda n: where[n].x)
    return table.drop_duplicates("norm").set_index("norm")


_MARKAZ = re.compile(r"^markaz\s+", re.IGNORECASE)  # "Markaz Sinjar": the district's centre


def _installed_units(region_of: dict[str, str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Districts and (when the set has them) sub-districts of the installed set by every name a
    text uses: "Makhmour district", "qadha of Sinjar", "قضاء سنجار", "Bradost sub-district",
    "ناحية سيدكان", and the bare English name ("Haji Omaran"), which counts only capitalised and
    only where no town has the name. A name two units share is left out: it says neither."""
    rows, pts = [], []
    levels = installed.levels()
    if "admin2" in levels:
        admin2 = installed.load("admin2")
        # sets installed before Arabic names were kept have none
        arabic = admin2.get("admin2_name_ar", pd.Series("", index=admin2.index))
        for name, ar, parent in zip(admin2["admin2_name"], arabic, admin2["admin1_code"], strict=True):
            key, where = f"{name} district", region_of.get(parent, "")
            rows += [(raw, key, parent, where, False) for raw in (
                key, f"{name} qadha", f"qadha of {name}", f"district of {name}")]
            rows += [(f"قضاء {ar}", key, parent, where, False)] if ar else []
            rows.append((name, key, parent, where, True))
        pts.append(pd.DataFrame({"key": admin2["admin2_name"] + " district",
                                 "geom": admin2.geometry.representative_point()}))
    if "admin3" in levels:
        admin3 = installed.load("admin3")
        admin3 = admin3[~admin3["admin3_name"].str.contains(_MARKAZ)]
        for name, ar, parent in zip(admin3["admin3_name"], admin3["admin3_name_ar"],
                                    admin3["admin1_code"], strict=True):
            key, where = f"{name} sub-district", region_of.get(parent, "")
            rows += [(raw, key, parent, where, False) for raw in (
                key, f"{name} subdistrict", f"{name} nahiya", f"nahiya of {name}",
                f"sub-district of {name}")]
            rows += [(f"ناحية {ar}", key, parent, where, False)] if ar else []
            rows.append((name, key, parent, where, True))
        pts.append(pd.DataFrame({"key": admin3["admin3_name"] + " sub-district",
                                 "geom": admin3.geometry.representative_point()}))
    units = pd.DataFrame(rows, columns=["raw", "name", "admin1_code", "region", "strict"])
    norm = normalise(units["raw"])
    shared = units.assign(norm=norm).groupby("norm")["name"].transform("nunique") > 1
    return units[~shared.to_numpy()], pd.concat(pts) if pts else pd.DataFrame(columns=["key", "geom"])


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
    described = cand["place"].isna() & (core_name(cand["norm"]) != cand["norm"])
    if described.any():
        cand.loc[described, "place"] = core_name(cand.loc[described, "norm"]).map(
            index.site_cores).to_numpy()
    areas = _areas()
    cand["region_hit"] = cand["norm"].map(areas["name"])
    latin = cand["mention"].str.match(r"^[A-Za-z]")
    # "al-Qaim", "el-Hawija": a lower-case article before a capitalised name
    capital = cand["mention"].str.match(r"^(?:[A-Z]|(?:al|el|ar|as|an|ad|at|az|ash)-[A-Z])")
    sentence_start = cand["start"].map(lambda s: s == 0 or bool(re.search(r"[.!?\n]\s*$",
                                                                            text[max(0, s - 3):s])))
    ambiguous = (cand["words"] == 1) & cand["norm"].isin(_AMBIGUOUS_WORDS) & (sentence_start | ~capital)
    # "Moqtada al-Sadr", "Abu Mahdi al-Muhandis": an article-name right after a capitalised
    # word that does not start the sentence is a person's name, not a place
    after_name = cand["start"].map(lambda s: bool(re.search(r"[A-Z][\w'’]+ $", text[max(0, s - 30):s])))
    surname = cand["mention"].str.match(r"^(?:al|el|ar|as|an|ad|at|az|ash)-") & after_name & ~sentence_start
    # a region or governorate may be written in lower case ("the kurdistan region"); a bare
    # district or sub-district name may not
    area_only = (cand["region_hit"].notna() & cand["place"].isna()
                 & ~cand["norm"].map(areas["strict"]).eq(True))
    ok = (cand["place"].notna() | cand["region_hit"].notna()) & (~latin | capital | area_only)
    ok &= ~ambiguous & ~surname & ~cand["norm"].isin(_NOT_PLACES)
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
    # mountains and regions in the gazetteer, and villages the events place only by their area
    wide = is_area | rows["kind"].isin(["area", AREA_LEVEL]).to_numpy()
    out["precision"] = np.where(wide, AREA_PRECISION, PLACE_PRECISION)
    return out[OUTPUT_COLUMNS].reset_index(drop=True)


# What reads like a place the gazetteer does not know: a capitalised name after "in", "near",
# "at" …, or before a facility or area word ("Khor Mor gas field", "Qandil mountains").
_NAME = r"(?:(?:al|el|ar|as|an|ad|at|az)-)?[A-Z][\w'’-]+(?:\s+(?:(?:al|el)-)?[A-Z][\w'’-]+){0,2}"
_CUES = re.compile(rf"\b(?:in|near|at|outside|around|towards|toward|from|between|and|of)\s+"
                   rf"(?:the\s+)?(?P<a>{_NAME})|(?P<b>{_NAME})\s+(?:gas field|oil field|field|"
                   rf"air base|base|camp|crossing|border crossing|dam|refinery|airport|district|"
                   rf"province|governorate|mountains?|area|region|sub-district|town|village)\b")
_NOT_NAMES = {"the", "a", "an", "iraq", "iraqi", "us", "u.s", "american", "turkish", "iranian",
              "kurdish", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday",
              "sunday", "january", "february", "march", "april", "may", "june", "july", "august",
              "september", "october", "november", "december", "islamic", "state", "reuters",
              "afp", "ap", "washington", "peshmerga", "pmf", "popular", "mobilization"}


def unresolved(text: str, found: pd.DataFrame) -> pd.DataFrame:
    """Mentions that read like places but matched nothing (mention, start, end, cue): shown to
    the user so a missing place can be added, never placed on the map."""
    taken = np.zeros(len(text) + 1, dtype=bool)
    for s, e in zip(found["start"], found["end"], strict=True):
        taken[int(s):int(e)] = True
    rows = []
    for m in _CUES.finditer(text):  # a few per text
        group = "a" if m.group("a") else "b"
        s, e = m.span(group)
        name = m.group(group)
        first = name.split()[0].casefold().strip("'’")
        if taken[s:e].any() or first in _NOT_NAMES or len(name) < 3:
            continue
        rows.append((name, s, e, m.group(0).strip()))
    out = pd.DataFrame(rows, columns=["mention", "start", "end", "cue"])
    return out.drop_duplicates("mention").reset_index(drop=True)


def sentences(text: str, starts: pd.Series) -> pd.Series:
    """The sentence around each offset (for showing a mention in context)."""
    bounds = [0] + [m.end() for m in re.finditer(r"[.!?؟]\s+|\n+", text)] + [len(text)]
    edges = np.asarray(bounds)
    i = np.searchsorted(edges, np.asarray(starts, dtype=int), side="right") - 1
    return pd.Series([text[edges[k]:edges[k + 1]].strip() for k in i], index=starts.index)
