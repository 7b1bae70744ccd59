"""Offline geocoding of place names against the gazetteer: exact, alias, spelling, then fuzzy.

Names are compared after `normalise`: case, diacritics, apostrophes and hamzas, punctuation,
Arabic article prefixes (al-, ar-, as-, …, ال) and Kurdish/Persian letter forms are folded, so
"Al-Fallūjah", "Falluja" and "الفلوجة" meet. Unit words are structure, not name ("Hawijah
district", "Badush town", "Nahiyat Rabia"): they are read off before the lookup. A name no
spelling of the gazetteer matches is tried on its transliteration key (`names.skeleton`:
Shirqat meets Sharqat), then fuzzily (rapidfuzz, with a threshold); below it the name is listed
as unmatched, never guessed. Precision first: a spelling or fuzzy match stays in Iraq and must be
the only place of its key, and with a governorate hint (`--admin1`) no answer lands outside that
governorate (a border's width of slack, `HINT_KM`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
import pandas as pd
from rapidfuzz import fuzz, process

from geo.spatial.boundaries import load_admin1
from geo.spatial.join import assign_admin1
from geo.text import installed_gazetteer
from geo.text.gazetteer import AREA_LEVEL
from geo.text.names import core_name, normalise, skeleton, spelling

FUZZY_THRESHOLD = 88.0
SHORT_NAME_THRESHOLD = 93.0  # names of 5 letters or fewer: one typo is already a lot
HINT_KM = 15.0  # how far outside a hinted governorate an answer may lie (embedded lines: ±10-15 km)
# Unit words say what a name is, they are not part of it: before the name ("Nahiyat Rabia",
# "Qadha Sinjar", "Markaz Tal Afar") or after it ("Badush town", "Hawijah district").
UNIT_BEFORE = re.compile(r"^(?:nahiy(?:at|a|ah)|qadh?a['’]?|qada|markaz|madinat|qaryat|qarya)\s+",
                         re.IGNORECASE)
UNIT_AFTER = re.compile(r"(?:\s+(?:town|village|city|district|sub-?district|subdistrict|"
                        r"nahiy(?:a|ah|e)|qadh?a|qada|area|neighbou?rhood|locality|province|"
                        r"governorate|region))+$", re.IGNORECASE)
AREA_UNITS = re.compile(r"\b(?:district|sub-?district|subdistrict|nahiy\w*|qadh?a|qada|area|"
                        r"province|governorate|region)\b|^(?:nahiy|qadh?a|qada)", re.IGNORECASE)
# the administrative units among AREA_UNITS: a unit of that name holds the town it is named after
ADMIN_UNITS = re.compile(r"\b(?:district|sub-?district|subdistrict|nahiy\w*|qadh?a|qada)\b",
                         re.IGNORECASE)
OUTPUT_COLUMNS = ["query", "matched_name", "lat", "lon", "admin1_code", "admin1_name", "region",
                  "match", "score", "precision", "place_id"]
# ACLED's geo_precision of an answer: a place (2: at or near it) or an area (3: a district, a
# governorate, a mountain range; its point only stands for it)
PLACE_PRECISION, AREA_PRECISION = 2, 3
AREA_KINDS = ("area", AREA_LEVEL)

@dataclass(frozen=True)
class NameIndex:
    places: pd.DataFrame  # with `admin1`: the governorate each place lies in ("" outside Iraq)
    names: pd.DataFrame  # norm, place index, is_primary
    choices: list[str]
    site_cores: pd.Series  # core name -> place index, curated sites only (`_site_cores`)
    skeletons: pd.Series = field(default_factory=pd.Series)  # key -> the one Iraqi place
    near: dict = field(default_factory=dict, compare=False, hash=False)  # hint -> allowed places


def default_index() -> NameIndex:
    """The index of the gazetteer in use: the embedded table, with the installed GeoNames set
    when there is one (`geo gazetteer`); rebuilt when that set is installed or switched."""
    return _index_for(installed_gazetteer.version())


@lru_cache(maxsize=2)
def _index_for(version: str) -> NameIndex:
    return build_index(installed_gazetteer.active_places())


def build_index(places: pd.DataFrame) -> NameIndex:
    places = places.reset_index(drop=True)
    located = assign_admin1(places, load_admin1(), geometry=False)
    places = places.assign(admin1=located["admin1_code"].astype(object).fillna("").to_numpy())
    alt = places["alternatenames"].fillna("").str.split("|")
    names = pd.DataFrame({"raw": places["name"], "place": places.index, "is_primary": True})
    alts = pd.DataFrame({"raw": alt, "place": places.index}).explode("raw")
    alts = alts[alts["raw"].fillna("") != ""].assign(is_primary=False)
    names = pd.concat([names, alts], ignore_index=True)
    names["norm"] = normalise(names["raw"])
    # Baladrūz is written Balad Ruz, Tuz Khurmatu Tuzkhurmatu: every name without its spaces too
    joined = names[names["norm"].str.contains(" ")].assign(
        norm=lambda d: d["norm"].str.replace(" ", "", regex=False), is_primary=False)
    names = pd.concat([names, joined[joined["norm"].str.len() >= 6]], ignore_index=True)
    names = names[names["norm"].str.len() >= 2].drop_duplicates(["norm", "place"])
    names = names[["norm", "place", "is_primary"]].reset_index(drop=True)
    return NameIndex(places, names, sorted(names["norm"].unique()), _site_cores(names, places),
                     _skeletons(names, places))


_LEADING_GENERIC = r"^(?:(?:khan|nahiyat|nahiya|qaryat|qarya|markaz|qada|qadha|madinat)\s+)+"


def _skeletons(names: pd.DataFrame, places: pd.DataFrame) -> pd.Series:
    """Transliteration key -> place, for Iraqi towns only (a site's or an area's names are
    spelled as curated); a key two places share is dropped (which one a spelling means cannot
    be told from it)."""
    town = (places["country"] == "IQ") & (places["kind"] == "populated place")
    iraqi = names[town.reindex(names["place"]).to_numpy()]
    # "Nāḩiyat Khān Banī Sa‘d" is Bani Saad, "Khan al-Baghdadi" al-Baghdadi: a town's name is
    # also spelled without its leading unit or caravanserai word (keys only: in running text
    # they need a place cue, `geoparse._spelled`)
    bare = iraqi.assign(norm=iraqi["norm"].str.replace(_LEADING_GENERIC, "", regex=True))
    iraqi = pd.concat([iraqi, bare[bare["norm"] != iraqi["norm"]]])
    keys = pd.DataFrame({"key": np.concatenate([skeleton(iraqi["norm"]).to_numpy(),
                                                spelling(iraqi["norm"]).to_numpy()]),
                         "place": np.tile(iraqi["place"].to_numpy(), 2)})
    keys = keys[keys["key"] != ""].drop_duplicates()
    return keys[~keys["key"].duplicated(keep=False)].set_index("key")["place"]


def spelled_places(norm: pd.Series, index: NameIndex) -> pd.Series:
    """The one Iraqi town each normalised name is a spelling of (NaN: none, or several): by its
    vowel-folded key (`names.spelling`) first, then by its consonant skeleton."""
    return (spelling(norm).map(index.skeletons)
            .fillna(skeleton(norm).map(index.skeletons)))


def allowed(index: NameIndex, admin1_hint: str | None, admin1=None, km: float = HINT_KM
            ) -> np.ndarray | None:
    """Which places may answer a query hinted to one governorate: those in it or within `km`
    of its line (None: no hint, every place). Cached per index, hint and distance."""
    if not admin1_hint:
        return None
    if (admin1_hint, km) not in index.near:
        areas = load_admin1() if admin1 is None else admin1
        polygon = areas[areas["admin1_code"] == admin1_hint]
        inside = (index.places["admin1"] == admin1_hint).to_numpy()
        if polygon.empty:
            index.near[admin1_hint, km] = inside
        else:
            import geopandas as gpd

            metric = "EPSG:32638"  # UTM 38N: metres over Iraq
            pts = gpd.GeoSeries(gpd.points_from_xy(index.places["longitude"],
                                                   index.places["latitude"]), crs="EPSG:4326")
            off = pts.to_crs(metric).distance(polygon.to_crs(metric).geometry.iloc[0]) / 1000
            index.near[admin1_hint, km] = inside | (off.to_numpy() <= km)
    return index.near[admin1_hint, km]


def _site_cores(names: pd.DataFrame, places: pd.DataFrame) -> pd.Series:
    """Core name -> place index for the curated sites' names that carry a descriptor ("camp
    taji" -> Camp Taji); a core shared by two sites is dropped: too ambiguous to pick one."""
    sites = names[names["place"].map(places["kind"]) != "populated place"]
    core = core_name(sites["norm"])
    cores = pd.DataFrame({"core": core.to_numpy(), "place": sites["place"].to_numpy()})
    cores = cores[(core != sites["norm"]).to_numpy() & (cores["core"].str.len() >= 3).to_numpy()]
    unique = cores.drop_duplicates(["core", "place"])
    return unique[~unique["core"].duplicated(keep=False)].set_index("core")["place"]


def _rank(index: NameIndex, admin1_hint: str | None, only: np.ndarray | None = None
          ) -> pd.DataFrame:
    """For each normalised name, the single best place: Iraq first, then the hinted governorate,
    then towns before sites (a site list may carry its town's names as aliases: "Irbil" is the
    city, not the air base), then the primary name, then population. With `only` (a mask over
    the places, `allowed`), no other place answers."""
    p = index.places
    cand = index.names.join(p[["country", "admin1", "population", "kind"]], on="place")
    if only is not None:
        cand = cand[only[cand["place"].to_numpy()]]
    cand = cand.assign(
        in_iraq=cand["country"] == "IQ",
        hinted=(cand["admin1"] == admin1_hint) if admin1_hint else False,
        site=cand["kind"] != "populated place",
    )
    cand = cand.sort_values(["norm", "in_iraq", "hinted", "site", "is_primary", "population"],
                            ascending=[True, False, False, True, False, False], kind="stable")
    return cand.drop_duplicates("norm").set_index("norm")


def ranked(index: NameIndex, admin1_hint: str | None = None, iraq_only: bool = False,
           admin1=None) -> pd.DataFrame:
    """`_rank` among the places `allowed` for the hint (all places without one), only Iraq's
    with `iraq_only`; cached per index: ranking a full GeoNames extract's names costs a fifth
    of a second, and the geoparser asks for it once per text."""
    key = ("ranked", admin1_hint, iraq_only)
    if key not in index.near:
        only = allowed(index, admin1_hint, admin1)
        if iraq_only:
            iraq = (index.places["country"] == "IQ").to_numpy()
            only = iraq if only is None else iraq & only
        index.near[key] = _rank(index, admin1_hint, only)
    return index.near[key]


def split_units(queries: pd.Series) -> tuple[pd.Series, pd.Series]:
    """(each query without its unit words, whether a unit word makes it an area)."""
    q = queries.fillna("").astype(str).str.strip()
    core = q.str.replace(UNIT_BEFORE, "", regex=True).str.replace(UNIT_AFTER, "", regex=True)
    core = core.where(core.str.strip() != "", q)
    return core, q.str.contains(AREA_UNITS)


def geocode(queries: list[str] | pd.Series, admin1_hint: str | None = None,
            index: NameIndex | None = None, admin1=None) -> pd.DataFrame:
    """One row per query: the matched place, its governorate and region, and how it matched
    (exact, alias, spelling, fuzzy or none)."""
    index = index or default_index()
    q = pd.Series(list(queries), dtype=object).fillna("").astype(str)
    core, area_unit = split_units(q)
    norm, core_norm = normalise(q), normalise(core)
    only = allowed(index, admin1_hint, admin1)
    best = ranked(index, admin1_hint, admin1=admin1)
    # the name as written, else without its unit words ("Badush town" is Badush), else without
    # spaces ("Balad Ruz" is Baladrūz): the first that a place answers to
    tries = [best.reindex(n) for n in (norm, core_norm, core_norm.str.replace(" ", "", regex=False))]
    found_at = np.select([t["place"].notna().to_numpy() for t in tries], [0, 1, 2], default=0)
    hit = pd.DataFrame({col: np.choose(found_at, [t[col].to_numpy(dtype=object) for t in tries])
                        for col in ("place", "is_primary")})
    place = pd.Series(pd.to_numeric(hit["place"]).to_numpy(), index=q.index)
    match = np.where(place.isna(), "none", np.where(hit["is_primary"].fillna(False).to_numpy(),
                                                     "exact", "alias")).astype(object)
    # "Al-Asad military base": a name with a facility word, found among the curated sites by
    # its core when one site has it (as the geoparser reads "the Taji military base")
    cores = core_name(norm)
    described = place.isna() & (cores != norm)
    if described.any():
        site = cores[described].map(index.site_cores).dropna().astype(int)
        if only is not None:
            site = site[only[site.to_numpy()]]
        place[site.index] = site
        match[site.index.to_numpy()] = "alias"
    score = np.where(place.isna(), 0.0, 100.0)

    # a transliteration of an Iraqi place only (no border crossed), the one place of its key
    iraq = (index.places["country"] == "IQ").to_numpy()
    ok_places = iraq if only is None else iraq & only
    spelled = spelled_places(core_norm, index)
    spelled = spelled.where(spelled.notna() & place.isna())
    known = spelled.dropna().astype(int)
    fits = pd.Series(ok_places[known.to_numpy()], index=known.index)
    spelled = spelled.where(fits.reindex(spelled.index, fill_value=False).astype(bool))
    got = spelled.notna().to_numpy()
    place[got] = spelled[got]
    match[got] = "spelling"
    score[got] = 100.0

    todo = place.isna() & (core_norm.str.len() >= 3)
    fuzzy_best = ranked(index, admin1_hint, iraq_only=True, admin1=admin1) if todo.any() else None
    if fuzzy_best is not None and len(fuzzy_best):  # empty: a hint no place lies in
        choices = list(fuzzy_best.index)
        unique = core_norm[todo].unique()
        found: dict[str, tuple[str, float]] = {}
        for start in range(0, len(unique), 2000):  # bounded memory for large batches
            chunk = list(unique[start:start + 2000])
            scores = process.cdist(chunk, choices, scorer=fuzz.ratio, workers=-1,
                                   score_cutoff=FUZZY_THRESHOLD - 0.5)
            best_col = scores.argmax(axis=1)
            for name, col, row in zip(chunk, best_col, scores, strict=True):
                found[name] = (choices[col], float(row[col]))
        got = core_norm[todo].map(found)
        cand = got.map(lambda x: x[0] if isinstance(x, tuple) else None)
        sc = got.map(lambda x: x[1] if isinstance(x, tuple) else 0.0).astype(float)
        limit = np.where(core_norm[todo].str.len() <= 5, SHORT_NAME_THRESHOLD, FUZZY_THRESHOLD)
        # a final -i is the nisba, "of": al-Baghdadi (a town in Anbar, or a man) is not Baghdad
        nisba = (core_norm[todo].str.contains(r"[iy]$")
                 != cand.fillna("").str.contains(r"[iy]$"))
        ok = (sc.to_numpy() >= limit) & ~nisba.to_numpy()
        fuzzy_place = fuzzy_best.reindex(cand[ok])["place"].to_numpy()
        idx = cand[ok].index
        place[idx] = fuzzy_place
        match[idx] = "fuzzy"
        score[idx] = sc[ok].round(1).to_numpy()

    places = index.places
    rows = places.reindex(place.fillna(-1).astype(int))
    # "Gara village" is no mountain range, "Trebil village" no border area: a place's unit word
    # does not take an area; but a sub-district or district is named after its seat, so
    # "Ishaqi town" may take "Ishaqi sub-district" (at area precision: coarser, not wrong)
    place_unit = q.str.contains(UNIT_AFTER).to_numpy() & ~area_unit.to_numpy()
    administrative = rows["name"].fillna("").str.contains(ADMIN_UNITS).to_numpy()
    wrong_kind = place_unit & rows["kind"].isin(AREA_KINDS).to_numpy() & ~administrative
    place[wrong_kind] = np.nan
    match[wrong_kind] = "none"
    score[wrong_kind] = 0.0
    matched = place.notna()
    rows = places.reindex(place.fillna(-1).astype(int))
    out = pd.DataFrame({
        "query": q, "matched_name": rows["name"].to_numpy(),
        "lat": rows["latitude"].to_numpy(dtype=float), "lon": rows["longitude"].to_numpy(dtype=float),
        "match": match, "score": score, "place_id": rows["place_id"].to_numpy(),
    })
    out["precision"] = np.where(area_unit.to_numpy() | rows["kind"].isin(AREA_KINDS).to_numpy(),
                                AREA_PRECISION, PLACE_PRECISION)
    out.loc[~matched.to_numpy(), ["matched_name", "place_id"]] = ""
    located = assign_admin1(out.loc[matched.to_numpy()], admin1, lat="lat", lon="lon", geometry=False)
    for col in ("admin1_code", "admin1_name", "region"):
        out[col] = pd.Series(located[col], index=located.index).reindex(out.index).astype(object)
        out[col] = out[col].where(out[col].notna(), "")
    return out[OUTPUT_COLUMNS]
