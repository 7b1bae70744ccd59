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

from geo.data.crs import distance_km
from geo.data.i18n import _
from geo.spatial import installed
from geo.spatial.admin1_table import ADMIN1_ALIASES
from geo.spatial.boundaries import load_admin1, load_regions
from geo.spatial.join import assign_admin1
from geo.text.gazetteer import AREA_LEVEL
from geo.text.geocode import NameIndex, allowed, default_index, ranked, spelled_places
from geo.text.names import core_name, normalise

MAX_WORDS = 6
# a capitalised name of up to three words, with lower-case articles ("Albu Slaib", "al-Rashad")
_NAME_PATTERN = r"(?:(?:al|el|ar|as|an|ad|at|az)-)?[A-Z][\w'’-]+(?:\s+(?:(?:al|el)-)?[A-Z][\w'’-]+){0,2}"
OUTPUT_COLUMNS = ["mention", "start", "end", "matched_name", "lat", "lon", "admin1_code", "region",
                  "precision", "note"]
# ACLED's geo_precision of what a mention names: a place (2: the event is at or near it) or an
# area (3: a district, governorate or region; its point is only representative).
PLACE_PRECISION, AREA_PRECISION = 2, 3
_WORD = re.compile(r"[^\W\d_][\w'’‘ʿʾ]*(?:-[\w'’‘ʿʾ]+)*", re.UNICODE)
# English words that are also Iraqi place names: kept only when capitalised mid-sentence.
_AMBIGUOUS_WORDS = {"hit", "ana", "balad", "rabia", "tal", "mar", "sharia", "bard"}
_NOT_PLACES = {"iraq", "العراق"}  # the country itself is context, not a place to map
# Arabic and Kurdish words that begin place names ("Hay al-Jihad" is the Jihad quarter, "Tal
# Afar", "Ras al-Ain", "Umm Qasr", "Abu Ghraib", "Bab al-Sharqi"): alone, they name no place.
GENERIC_WORDS = {"hay", "hayy", "hai", "bab", "tal", "tall", "tel", "tell", "ras", "umm", "um",
                 "abu", "ain", "ayn", "wadi", "jisr", "qarya", "qaryat", "mahalla", "mahallah",
                 "sheikh", "shaikh", "shaykh", "sheik", "nahr", "jabal", "jebel", "kani", "souq",
                 "suq", "madinat", "nahiyat", "kafr", "bir"}
# A name right after one of these is a person's ("Sheikh Qasim", "Colonel Ahmad", "Mullah
# Hamza"), and so is a name followed by a patronymic or another given name ("Qasim al-Araji",
# "Hamza Ali").
_TITLES = re.compile(r"(?:\b(?:sheikh|shaikh|shaykh|imam|mullah|mulla|sayyid|sayed|haji|hajji|"
                     r"mr|mrs|ms|dr|colonel|col|general|gen|major|maj|captain|capt|lieutenant|lt|"
                     r"brigadier|sergeant|commander|leader|governor|minister|president|mp|judge|"
                     r"cleric|identified as|son of|brother|father)\.?\s+)$",
                     re.IGNORECASE)
_PATRONYMIC = re.compile(r"^\s+(?:(?:al|el)-[A-Z]|(?:bin|ibn|bint|abu)\s+[A-Z])")
# Countries whose towns the gazetteer holds: a town there needs the text to name its country
# (or to be a capital or a city of a million), or Zarkah becomes Zarqa and Mullah Muğla.
COUNTRY_WORDS = {"SY": ("syria", "syrian"), "IR": ("iran", "iranian", "persian"),
                 "TR": ("turkey", "turkish", "turkiye", "türkiye"), "JO": ("jordan", "jordanian"),
                 "SA": ("saudi",), "KW": ("kuwait", "kuwaiti")}
WELL_KNOWN_POPULATION = 1_000_000
_BEFORE_COUNTRY = re.compile(r"\s*,?\s*(?:Iraq|العراق)\b")
_GENERIC_BEFORE = re.compile(r"(?:^|[^\w'’-])(?:hay|hayy|hai|bab|tal|tall|tel|ras|umm|abu|ain|wadi|"
                             r"jisr|qaryat|mahallat|mahalla|sheikh|souq|suq|kani|nahr)[\s-]+$",
                             re.IGNORECASE)
# Unit words after a name: what it is (an area, or a place in it), never part of the name.
_UNIT_AFTER = re.compile(r"^\s+(?P<unit>sub-?district|subdistrict|district|qadha|nahiya|province|"
                         r"governorate|region|area|areas|town|village|city|neighbou?rhood|"
                         r"quarter|locality)\b", re.IGNORECASE)
_AREA_UNITS = {"sub-district", "subdistrict", "district", "qadha", "nahiya", "province",
               "governorate", "region", "area", "areas"}
# A place name followed by one of these words names an organisation, not the place.
_ORGANISATION_WORDS = {"government", "regional", "company", "oil", "university", "council",
                       "ministry", "bank", "club", "brigade", "brigades", "forces", "police",
                       "province's", "governor", "airways", "media", "tv", "news", "times",
                       "resistance", "operations", "command", "health", "directorate",
                       "democratic", "workers", "workers'", "party", "union", "islamic",
                       "patriotic", "freedom", "free", "24", "movement", "front", "army",
                       "liberation", "alliance", "coalition", "channel", "agency", "network"}
# "west of Mosul", "20 km north of Baiji": the event is near the place, not at it
_RELATIVE_BEFORE = re.compile(r"(?:\b(?:north|south|east|west)(?:-?(?:east|west))?(?:ern)?\s+of|"
                              r"\boutskirts\s+of|\boutside(?:\s+of)?|\b(?:km|kilometres|"
                              r"kilometers|miles)(?:\s+from)?)\s+(?:the\s+)?$", re.IGNORECASE)
CHAIN_KM = 30.0  # how far outside the governorate its address names a known town may lie


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
    address_only: list[tuple[str, str, str, str]] = []
    admin1 = load_admin1()
    for _row, g in admin1.iterrows():  # 18 rows
        for name in {g.admin1_name, g.name_ar, g.name_ku, g.source_name}:
            for suffix in ("", " governorate", " province", " region"):
                rows.append((name + suffix, g.admin1_name, g.admin1_code, g.region))
        # "Diwaniyah province", "Missan province": other spellings, only with the unit word
        # (alone, most of them are the capital's name: the town wins), or as the last part of
        # an address before the country ("Huweish, Saladin, Iraq": `_BEFORE_COUNTRY`)
        for name in ADMIN1_ALIASES.get(g.admin1_code, ()):
            for suffix in (" governorate", " province", " region"):
                rows.append((name + suffix, g.admin1_name, g.admin1_code, g.region))
            address_only.append((name, g.admin1_name, g.admin1_code, g.region))
    pts = [pd.DataFrame({"key": regions["region"], "geom": regions.geometry.representative_point()}),
           pd.DataFrame({"key": admin1["admin1_name"],
                         "geom": admin1.geometry.representative_point()})]
    table = pd.DataFrame(rows, columns=["raw", "name", "admin1_code", "region"]).assign(strict=False)
    table = pd.concat([table, pd.DataFrame(address_only, columns=["raw", "name", "admin1_code",
                                                                  "region"]).assign(strict="address")],
                      ignore_index=True)
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
    best = ranked(index)
    cand["place"] = best["place"].reindex(cand["norm"]).to_numpy()
    # "Balad Ruz" is Baladrūz: a name of several words also without its spaces
    several = cand["place"].isna() & (cand["words"] > 1)
    cand.loc[several, "place"] = best["place"].reindex(
        cand.loc[several, "norm"].str.replace(" ", "", regex=False)).to_numpy()
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
    address_only = cand["norm"].map(areas["strict"]).eq("address")
    before_country = cand["end"].map(lambda e: bool(_BEFORE_COUNTRY.match(text[e:e + 12])))
    cand.loc[address_only & ~before_country, "region_hit"] = np.nan
    # a town written as the gazetteer's transliteration key, where the text says it is a place:
    # after "in", "near", "at" …, or as a part of an address ("Shirqat, Saladin, Iraq")
    _spelled(text, cand, index)
    ok = (cand["place"].notna() | cand["region_hit"].notna()) & (~latin | capital | area_only)
    ok &= ~ambiguous & ~surname & ~cand["norm"].isin(_NOT_PLACES)
    following = cand["end"].map(lambda e: _next_word(text, e))
    ok &= ~following.isin(_ORGANISATION_WORDS)  # "Basra Oil Company" is not Basra
    ok &= ~((cand["words"] == 1) & (cand["norm"].str.len() <= 2))
    ok &= ~((cand["words"] == 1) & cand["norm"].isin(_generic_norms()))  # "Hay", "Tal", "Bab"
    ok &= ~_person(text, cand)  # "Colonel Qasim", "Ahmad al-Jubouri"
    # "Bab Sinjar", "Hay al-Jihad": after a generic word the name is part of a longer one (a
    # gate, a quarter) that the gazetteer does not hold; the rest alone is not that place
    prefix = cand["start"].map(lambda s: text[max(0, s - 12):s])
    ok &= ~prefix.str.contains(_GENERIC_BEFORE)
    hits = cand[ok].sort_values(["words", "start"], ascending=[False, True])
    taken = np.zeros(len(text) + 1, dtype=bool)
    keep = []
    for idx, s, e in zip(hits.index, hits["start"], hits["end"], strict=True):  # few hits per text
        if not taken[s:e].any():
            taken[s:e] = True
            keep.append(idx)
    found = _structured(text, cand.loc[keep].sort_values("start"), index, areas)
    places = index.places
    rows = places.reindex(found["place"].fillna(-1).astype(int))
    out = pd.DataFrame({
        "mention": found["mention"].to_numpy(), "start": found["start"].to_numpy(),
        "end": found["end"].to_numpy(), "matched_name": rows["name"].to_numpy(),
        "lat": rows["latitude"].to_numpy(dtype=float), "lon": rows["longitude"].to_numpy(dtype=float),
    })
    # Areas (regions, governorates) win over a town of the same name only when no town matched.
    is_area = (found["region_hit"].notna() & found["place"].isna()).to_numpy()
    area = areas.reindex(found["area_key"]).reset_index(drop=True)
    out.loc[is_area, ["matched_name", "lat", "lon"]] = area.loc[is_area, ["name", "lat", "lon"]].to_numpy()
    located = assign_admin1(out, admin1, lat="lat", lon="lon")
    out["admin1_code"] = np.where(is_area, area["admin1_code"].fillna(""),
                                  located["admin1_code"].astype(object).fillna(""))
    out["region"] = np.where(is_area, area["region"].fillna(""),
                             located["region"].astype(object).fillna(""))
    # mountains and regions in the gazetteer, villages the events place only by their area, and
    # what a unit word says is an area ("Tikrit district")
    wide = (is_area | rows["kind"].isin(["area", AREA_LEVEL]).to_numpy()
            | found["unit"].isin(_AREA_UNITS).to_numpy())
    out["precision"] = np.where(wide, AREA_PRECISION, PLACE_PRECISION)
    out["note"] = found["note"].to_numpy()
    return out[OUTPUT_COLUMNS].reset_index(drop=True)


@lru_cache(maxsize=1)
def _generic_norms() -> frozenset[str]:
    return frozenset(normalise(pd.Series(sorted(GENERIC_WORDS))))


_IN_PLACE = re.compile(r"\b(?:in|near|at|outside|around|into)\s+(?:the\s+)?$", re.IGNORECASE)
_LOCATIVE = re.compile(r"\b(?:in|at|near|from|outside|of|into|to|towards?)\s+(?:the\s+)?$", re.IGNORECASE)


def _spelled(text: str, cand: pd.DataFrame, index: NameIndex) -> None:
    """Fill `place` for capitalised candidates that no spelling matched but whose
    spelling keys (`geocode.spelled_places`) name one Iraqi town, when the text reads them as a
    place: after a locative preposition, or followed by a comma and more of an address."""
    todo = (cand["place"].isna() & cand["region_hit"].isna() & cand["mention"].str.match(r"^[A-Z]")
            & ~cand["norm"].isin(_areas().index))  # "Saladin" away from an address is no town
    if not todo.any():
        return
    town = spelled_places(cand.loc[todo, "norm"], index).dropna()
    if town.empty:
        return
    rows = cand.loc[town.index]
    cue = (rows["start"].map(lambda s: bool(_IN_PLACE.search(text[max(0, s - 12):s])))
           | rows["end"].map(lambda e: bool(re.match(r"\s*,\s*[A-Z]", text[e:e + 4]))))
    cand.loc[town.index[cue.to_numpy()], "place"] = town[cue.to_numpy()].to_numpy()


def _person(text: str, cand: pd.DataFrame) -> pd.Series:
    """Candidates that read as a person's name: after a title ("Sheikh", "Colonel", "Mullah"),
    or one word followed by a patronymic ("Qasim al-Araji", "Hamza bin …") without a locative
    preposition before it. Why: Ahmad, Qasim and Hamza are also place names."""
    before = cand["start"].map(lambda s: text[max(0, s - 30):s])  # a few hundred per text
    after = cand["end"].map(lambda e: text[e:e + 16])
    titled = before.str.contains(_TITLES)
    patronymic = (cand["words"] == 1) & after.str.contains(_PATRONYMIC) & ~before.str.contains(_LOCATIVE)
    return titled | patronymic


def _structured(text: str, found: pd.DataFrame, index: NameIndex, areas: pd.DataFrame
                ) -> pd.DataFrame:
    """What the text's own structure says of its mentions (issue 24):

    - a unit word after a name is structure: "Tikrit district" is an area, "Badush town" a place;
    - a town abroad needs the text to name its country, or to be a capital-sized city outside an
      Iraqi address;
    - an address ("Kharbat Aziz village, Kirkuk, Iraq"; "Hay al-Jihad, Baghdad governorate") names
      the governorate its places lie in: its last part before "Iraq" is the governorate when one
      has that name, and a place in it is taken in that governorate; a place the gazetteer has
      only elsewhere, or not at all, falls back to that governorate at area precision, with a note
      that the town itself was not found. A coarser answer is right; a far one is not."""
    found = found.assign(unit="", note="", area_key=found["norm"], chain=0).reset_index(drop=True)
    if found.empty:
        return found
    units = found["end"].map(lambda e: _UNIT_AFTER.match(text[e:e + 24]))
    has_unit = units.notna()
    found.loc[has_unit, "unit"] = [m["unit"].casefold() for m in units[has_unit]]
    found.loc[has_unit, "end"] = found.loc[has_unit, "end"] + [m.end() for m in units[has_unit]]
    found["mention"] = [text[s:e] for s, e in zip(found["start"], found["end"], strict=True)]

    places = index.places
    country = found["place"].map(places["country"]).fillna("IQ")
    named = {c for c, words in COUNTRY_WORDS.items()
             if re.search(r"\b(?:" + "|".join(words) + r")", text, re.IGNORECASE)}
    big = found["place"].map(places["population"]).fillna(0) >= WELL_KNOWN_POPULATION

    # addresses: mentions joined by commas, ending before "Iraq" or not
    gap = [text[e:s] for e, s in zip(found["end"].iloc[:-1], found["start"].iloc[1:], strict=True)]
    joined = np.array([False, *[bool(re.fullmatch(r"\s*,\s*", g)) for g in gap]])
    chain = np.cumsum(~joined)
    found["chain"] = chain
    tail = found.groupby("chain")["end"].transform("max").astype(int)
    ends_iraq = tail.map(lambda e: bool(re.match(r"\s*,?\s*(?:Iraq|العراق)\b", text[e:e + 12])))
    size = found.groupby("chain")["start"].transform("size")
    last = ~found["chain"].duplicated(keep="last")
    governorate_name = found["norm"].map(_governorates(areas)).eq(True)
    # "…, Kirkuk, Iraq": after another place (known or not), the part before the country is
    # the governorate
    after_name = found["start"].map(lambda s: bool(_ADDRESS_PART.search(text[max(0, s - 60):s])))
    as_governorate = (last & ends_iraq & ((size >= 2) | after_name) & governorate_name
                      & found["unit"].isin(["", "province", "governorate"]))
    found.loc[as_governorate, "place"] = np.nan
    found.loc[as_governorate, "region_hit"] = found.loc[as_governorate, "norm"].map(areas["name"])

    is_area = found["region_hit"].notna() & found["place"].isna()
    # a governorate says where an address lies when it is its last part before "Iraq" or says
    # it is one ("Saladin governorate"); "Baghdad, Anbar and Nineveh" is a list of peers
    strong = (ends_iraq & last) | found["mention"].str.contains(
        r"\b(?:governorate|province|muhafaza)\b", case=False)
    area_code = (found["area_key"].map(areas["admin1_code"]).where(is_area & strong, "")
                 .fillna(""))
    chain_gov = (area_code.where(area_code != "").groupby(found["chain"]).transform("last")
                 .fillna(""))
    found["chain_gov"] = chain_gov
    place_admin1 = found["place"].map(places["admin1"]).fillna("")
    for i in np.flatnonzero(~is_area & (chain_gov != "")):  # the places of addresses: a few
        gov = chain_gov.iloc[i]
        if place_admin1.iloc[i] == gov:
            continue
        near = allowed(index, gov, km=CHAIN_KM)
        if country.iloc[i] == "IQ" and near[int(found["place"].iloc[i])]:
            continue
        other = ranked(index, gov).reindex([found["norm"].iloc[i]])["place"].iloc[0]
        if pd.notna(other):
            found.loc[i, "place"] = other
            country.iloc[i] = places["country"].iloc[int(other)]
            continue
        _fall_back(found, i, gov, areas)
    # "Jisr Diyala area, Baghdad governorate": a governorate's name inside another's address
    # is a place named after it
    other_gov = (is_area & found["area_key"].map(_governorates(areas)).eq(True)
                 & (area_code != "") & (chain_gov != "") & (area_code != chain_gov))
    for i in np.flatnonzero(other_gov):
        _fall_back(found, i, chain_gov.iloc[i], areas)
    _contained(found, index, chain)
    near_it = found["start"].map(lambda s: bool(_RELATIVE_BEFORE.search(text[max(0, s - 30):s])
                                                or _UNKNOWN_IN.search(text[max(0, s - 50):s])))
    found.loc[near_it & found["unit"].eq(""), "unit"] = "area"  # "west of Mosul": around it
    abroad = (country != "IQ") & found["place"].notna()
    lost = abroad & ~country.isin(named) & ~(big & (chain_gov == ""))
    found = found[~lost.to_numpy()]
    return pd.concat([found, _unmatched_in_addresses(text, found, areas)],
                     ignore_index=True).sort_values("start").reset_index(drop=True)


CONTAINED_KM = {"neighbourhood": 15.0, "neighborhood": 15.0, "quarter": 15.0, "village": 60.0,
                "area": 60.0, "locality": 60.0}


def _contained(found: pd.DataFrame, index: NameIndex, chain: np.ndarray) -> None:
    """In an address, a part lies within the next one ("Bab Sinjar neighborhood, Mosul"): a
    known place further from the next part than a neighbourhood (or a village or an area) can
    be is another place of the same name, so the next part answers for it. Only parts that say
    they are inside something (their unit word): a comma between peers ("Qandil, Mount Sinjar")
    is a list, not an address."""
    places = index.places
    nxt = found["place"].shift(-1)
    inside = found["unit"].isin(list(CONTAINED_KM)).to_numpy() & found["unit"].ne("").to_numpy()
    same = np.r_[chain[1:] == chain[:-1], False] & inside
    for i in np.flatnonzero(same & found["place"].notna().to_numpy() & nxt.notna().to_numpy()):
        a, b = places.iloc[int(found["place"].iloc[i])], places.iloc[int(nxt.iloc[i])]
        km = float(distance_km(a["latitude"], a["longitude"], b["latitude"], b["longitude"]))
        limit = CONTAINED_KM[found["unit"].iloc[i]]
        if km > limit:
            found.loc[i, "place"] = nxt.iloc[i]
            # Translators: a geoparsed mention placed at the larger place it lies in
            found.loc[i, "note"] = _("{mention} is not in the gazetteer near {place}: placed at "
                                     "{place}").format(mention=found.loc[i, "mention"],
                                                       place=b["name"])


def _fall_back(found: pd.DataFrame, i: int, gov: str, areas: pd.DataFrame) -> None:
    """Row `i` names a place that the gazetteer has not in governorate `gov`: the governorate."""
    key = _governorate_key(areas, gov)
    found.loc[i, ["place", "region_hit", "area_key"]] = [np.nan, areas.loc[key, "name"], key]
    # Translators: a geoparsed mention placed at the governorate its text names
    found.loc[i, "note"] = _("{mention} is not in the gazetteer in {governorate}: placed at the "
                             "governorate").format(mention=found.loc[i, "mention"],
                                                   governorate=areas.loc[key, "name"])


def _governorates(areas: pd.DataFrame) -> pd.Series:
    """Whether each name of the areas table names a governorate (not a region or a district)."""
    return (areas["admin1_code"].fillna("") != "") & ~areas["name"].str.endswith("district")


def _governorate_key(areas: pd.DataFrame, gov: str) -> str:
    """The areas table's key of governorate `gov`: its own name, normalised."""
    name = areas.loc[_governorates(areas) & (areas["admin1_code"] == gov), "name"].iloc[0]
    return normalise(pd.Series([name])).iloc[0]


_ADDRESS_PART = re.compile(rf"(?P<name>{_NAME_PATTERN})(?:\s+(?P<unit>village|town|city|area|district|"
                           r"sub-?district|neighbou?rhood|quarter|locality|region|valley|"
                           r"oil ?field|gas ?field|field|mountains?|camp|dam|base|market|"
                           r"checkpoint|bridge))?\s*,\s*$")
# "the Alas Oilfield in Tikrit", "Khara'ib Jabr village in Mosul": a named place the gazetteer
# does not know, said to lie in a place it knows: the event is somewhere in that place's area
# ("near Fallujah" stays a place: ACLED's "near the named place")
_UNKNOWN_IN = re.compile(rf"{_NAME_PATTERN}\s+(?:oil ?field|gas ?field|field|village|area|camp|base|"
                         r"dam|checkpoint|market|bridge|mountains?|valley|station|refinery|airport|"
                         r"prison|hospital|university|mosque|shrine|farm|compound)\s+"
                         r"in\s+(?:the\s+)?$", re.IGNORECASE)


def _unmatched_in_addresses(text: str, found: pd.DataFrame, areas: pd.DataFrame) -> pd.DataFrame:
    """A capitalised name the gazetteer does not know, right before a mention of an address
    with a governorate ("Albu Slaib area, Saladin governorate"): that governorate, at area
    precision, with a note. Found by looking just before each address part."""
    rows = []
    taken = np.zeros(len(text) + 1, dtype=bool)
    for s, e in zip(found["start"], found["end"], strict=True):
        taken[int(s):int(e)] = True
    for start, g in zip(found["start"], found["chain_gov"], strict=True):
        if not g:
            continue
        m = _ADDRESS_PART.search(text[max(0, start - 60):start])
        if not m:
            continue
        s = max(0, start - 60) + m.start("name")
        e = max(0, start - 60) + m.end(m.lastgroup if m["unit"] else "name")
        name = m["name"]
        if taken[s:e].any() or name.split()[0].casefold() in _NOT_NAMES:
            continue
        key = _governorate_key(areas, g)
        rows.append({"mention": text[s:e], "start": s, "end": e, "norm": "", "place": np.nan,
                     "region_hit": areas.loc[key, "name"], "area_key": key,
                     "unit": (m["unit"] or "").casefold(), "words": len(name.split()),
                     # Translators: a geoparsed name placed at the governorate of its address
                     "note": _("{mention} is not in the gazetteer: placed at {governorate}").format(
                         mention=name, governorate=areas.loc[key, "name"])})
        taken[s:e] = True
    return pd.DataFrame(rows, columns=[*found.columns])


# What reads like a place the gazetteer does not know: a capitalised name after "in", "near",
# "at" …, or before a facility or area word ("Khor Mor gas field", "Qandil mountains").
_NAME = _NAME_PATTERN
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
    the user so a missing place can be added, never placed on the map; and the towns placed at
    their governorate because the gazetteer lacks them (their note as the cue)."""
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
    # a town placed at its governorate because the gazetteer lacks it is unresolved too
    noted = found[found["note"].fillna("") != ""] if "note" in found else found.iloc[:0]
    rows += [(m, int(s), int(e), n) for m, s, e, n in zip(noted["mention"], noted["start"],
                                                        noted["end"], noted["note"], strict=True)]
    out = pd.DataFrame(rows, columns=["mention", "start", "end", "cue"])
    return out.sort_values("start").drop_duplicates("mention").reset_index(drop=True)


def sentences(text: str, starts: pd.Series) -> pd.Series:
    """The sentence around each offset (for showing a mention in context)."""
    bounds = [0] + [m.end() for m in re.finditer(r"[.!?؟]\s+|\n+", text)] + [len(text)]
    edges = np.asarray(bounds)
    i = np.searchsorted(edges, np.asarray(starts, dtype=int), side="right") - 1
    return pd.Series([text[edges[k]:edges[k + 1]].strip() for k in i], index=starts.index)
