"""A GeoNames gazetteer the user installed (`geo gazetteer install`): where it lives, whether it
is the one in use, and the table the geocoder and the geoparser then search.

The set lives under `$GEO_HOME/gazetteer/installed/` (beside the installed boundary sets, see
`geo.spatial.installed`): `places.csv` (the embedded table's columns), `metadata.json` (sources,
licence, date, counts, checksum) and `rejected.csv` (the rows that failed validation).
`$GEO_HOME/gazetteer/active.json` says whether it is used: yes once installed, until
`geo gazetteer use embedded`. The installer is `geo.sources.gazetteer_sets`.

The installed rows are merged with the embedded table, never substituted for it: the curated
sites and places and the places the curated events name stay, and a GeoNames place both tables
have is one row (the installed one, with the embedded row's spellings added).
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd

from geo.spatial.installed import geo_home
from geo.text.gazetteer import COLUMNS, load_places
from geo.text.names import core_name, normalise

SET_DIR = "installed"
PLACES_FILE = "places.csv"
META_FILE = "metadata.json"
REJECTED_FILE = "rejected.csv"
ACTIVE_FILE = "active.json"
CHOICES = ("embedded", "installed")
LICENCE = "GeoNames, CC BY 4.0"
CREDIT = "GeoNames (geonames.org), CC BY 4.0"
POPULATED = "populated place"


def home() -> Path:
    return geo_home() / "gazetteer"


def set_dir() -> Path:
    return home() / SET_DIR


def metadata() -> dict | None:
    """The installed set's metadata, or None when nothing is installed (or it is unreadable)."""
    path = set_dir() / META_FILE
    try:
        meta = json.loads(path.read_text(encoding="utf-8")) if path.exists() else None
    except (OSError, ValueError):
        return None
    return meta if isinstance(meta, dict) and (set_dir() / PLACES_FILE).exists() else None


def active() -> str:
    """"installed" when a set is installed and not switched off, else "embedded"."""
    if metadata() is None:
        return "embedded"
    try:
        choice = json.loads((home() / ACTIVE_FILE).read_text(encoding="utf-8")).get("use")
    except (OSError, ValueError, AttributeError):
        choice = "installed"
    return choice if choice in CHOICES else "installed"


def version() -> str:
    """Changes when a set is installed or switched: what caches of the gazetteer are keyed on."""
    meta = metadata() if active() == "installed" else None
    return f"installed:{meta.get('checksum', '')}" if meta else "embedded"


def load_installed() -> pd.DataFrame:
    """The installed rows alone (cached until the file changes)."""
    return load_places(set_dir() / PLACES_FILE)


def active_places() -> pd.DataFrame:
    """The table in use: the embedded one, merged with the installed rows when those are active."""
    embedded = load_places()
    return merge(embedded, load_installed()) if version() != "embedded" else embedded


def merge(embedded: pd.DataFrame, extra: pd.DataFrame) -> pd.DataFrame:
    """The embedded table with an installed GeoNames set.

    A GeoNames place both have (same geonameid) becomes the installed row, in the embedded row's
    position, with the embedded row's alternate names added (they carry the curated spellings of
    data/curated/places.csv). An installed facility or area (not a populated place) that shares
    a name, or a name without its facility word, with a curated site, place or event place is
    left out: the curated row is sourced, and "the Taji military base" must keep naming one site.
    The other installed rows follow the embedded ones, so on a tie the embedded row still wins.
    """
    extra = extra[COLUMNS].drop_duplicates("place_id")
    by_id = extra.set_index("place_id")
    both = embedded["place_id"].isin(by_id.index).to_numpy()
    merged = embedded.copy()
    new = by_id.reindex(merged.loc[both, "place_id"])
    old_names = merged.loc[both, "alternatenames"].fillna("").to_numpy()
    for col in COLUMNS[1:]:
        merged.loc[both, col] = new[col].to_numpy()
    merged.loc[both, "alternatenames"] = _union(new["alternatenames"].fillna("").to_numpy(), old_names)

    rest = extra[~extra["place_id"].isin(embedded["place_id"])]
    curated = embedded[~embedded["place_id"].str.startswith("geonames:")]
    curated_names = _names(curated)
    taken = set(curated_names) | set(core_name(curated_names))
    facility = rest[rest["kind"] != POPULATED]
    names = _names(facility)
    clash = names.isin(taken) | core_name(names).isin(taken)
    dropped = set(names[clash.to_numpy()].index)
    rest = rest[~rest.index.isin(dropped)]
    return pd.concat([merged, rest], ignore_index=True)[COLUMNS]


def _names(table: pd.DataFrame) -> pd.Series:
    """Every normalised name of each row (main and alternates), indexed by the row's label."""
    alts = table["alternatenames"].fillna("").str.split("|").explode()
    every = pd.concat([table["name"], alts[alts.fillna("") != ""]])
    return normalise(every)


def _union(first: np.ndarray, second: np.ndarray) -> np.ndarray:
    """Two aligned arrays of "|"-separated names joined, each name once, in order."""
    both = pd.Series(first, dtype=object).str.cat(pd.Series(second, dtype=object), sep="|")
    parts = both.str.split("|").explode().rename("name").reset_index()
    parts = parts[parts["name"] != ""].drop_duplicates()
    joined = parts.groupby("index", sort=False)["name"].agg("|".join)
    return joined.reindex(range(len(both)), fill_value="").to_numpy()


def attribution() -> str | None:
    """What a page or export using the installed set must credit, or None for the embedded one."""
    meta = metadata() if active() == "installed" else None
    if not meta:
        return None
    files = ", ".join(i.get("file", "") for i in meta.get("inputs", []))
    return (f"Places: {CREDIT}; installed extract(s) {files} of {meta.get('date') or 'unknown date'}, "
            f"{meta.get('counts', {}).get('kept', '?')} places, installed {meta.get('installed', '')} "
            "(`geo gazetteer status`).")
