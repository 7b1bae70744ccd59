"""Score the geocoder and the geoparser on real third-party files (issue 24).

UCDP GED and GTD come with their own coordinates, so their place names and incident summaries
measure the geocoder and the geoparser on material nobody on the project wrote. The files are
read where they lie (`../shared/data/events/` for the project's tests); nothing of them is
stored. `scripts/score_geocoding.py` prints the figures; `tests/test_geo_real.py` checks them.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from geo.sources.attribution import admin1_codes
from geo.spatial.boundaries import load_admin1
from geo.spatial.join import assign_admin1
from geo.text.evaluate import score_names, score_summaries

UCDP_FILE = "ucdp_ged_iraq_hdx.csv"
GTD_FILE = "gtd_iraq_sample.csv"
# OCHA's governorates beside the events (../shared/data/boundaries/…): where a source's point
# truly lies. The embedded lines are approximate near Baghdad (±10-15 km), so a governorate the
# text names right could be scored wrong against them.
OCHA_ADMIN1 = Path("boundaries") / "ocha-cod-ab-irq" / "iraq_adm1_iso.geojson"


def truth_admin1(folder: Path):
    """OCHA's governorates when they lie beside the events folder, else the embedded ones."""
    path = folder.parent / OCHA_ADMIN1
    if not path.exists():
        return load_admin1()
    import geopandas as gpd

    ocha = gpd.read_file(path)
    return ocha.rename(columns={"iso_3166_2": "admin1_code", "name": "admin1_name"})[
        ["admin1_code", "admin1_name", "region", "geometry"]]


def _read(path: Path) -> pd.DataFrame:
    table = pd.read_csv(path, dtype=str, keep_default_na=False)
    return table[~table.iloc[:, 1].str.startswith("#")]  # HDX's hashtag row


def gtd_summaries(folder: Path, admin1=None) -> pd.DataFrame:
    """GTD's incident summaries with GTD's point and the point's governorate and region."""
    gtd = _read(folder / GTD_FILE)
    table = pd.DataFrame({"text": gtd["summary"], "lat": pd.to_numeric(gtd["latitude"], errors="coerce"),
                          "lon": pd.to_numeric(gtd["longitude"], errors="coerce")})
    table = table[(table["text"].str.strip() != "") & table["lat"].notna() & table["lon"].notna()]
    located = assign_admin1(table, admin1 if admin1 is not None else load_admin1(), lat="lat",
                            lon="lon", geometry=False)
    return table.assign(admin1_code=located["admin1_code"].astype(object).fillna(""),
                        region=located["region"].astype(object).fillna("")).reset_index(drop=True)


def _names(name: pd.Series, admin: pd.Series, lat: pd.Series, lon: pd.Series) -> pd.DataFrame:
    table = pd.DataFrame({"name": name.str.strip(), "admin1_hint": admin1_codes(admin),
                          "lat": pd.to_numeric(lat, errors="coerce"),
                          "lon": pd.to_numeric(lon, errors="coerce")})
    table = table[(table["name"] != "") & table["lat"].notna() & table["lon"].notna()]
    # one row per distinct name, at its most frequent point
    return (table.groupby(["name", "lat", "lon"], as_index=False)
            .agg(rows=("name", "size"), admin1_hint=("admin1_hint", "first"))
            .sort_values(["name", "rows"], ascending=[True, False])
            .drop_duplicates("name").reset_index(drop=True)[["name", "admin1_hint", "lat", "lon"]])


def ucdp_names(folder: Path) -> pd.DataFrame:
    """UCDP's `where_coordinates` for events it places exactly or near a place (where_prec 1-2),
    with its `adm_1` as the hint."""
    ucdp = _read(folder / UCDP_FILE)
    ucdp = ucdp[ucdp["where_prec"].isin(["1", "2"])]
    return _names(ucdp["where_coordinates"], ucdp["adm_1"], ucdp["latitude"], ucdp["longitude"])


def gtd_names(folder: Path) -> pd.DataFrame:
    """GTD's `city`, with its `state` as the hint ("Unknown" is no name)."""
    gtd = _read(folder / GTD_FILE)
    gtd = gtd[gtd["city"].str.strip().str.casefold() != "unknown"]
    return _names(gtd["city"], gtd["state"], gtd["latitude"], gtd["longitude"])


def score(folder: Path, truth: str = "ocha") -> dict[str, dict[str, float]]:
    """Every figure of issue 24 on the real files in `folder`; the governorate a source's point
    lies in from OCHA's lines (`truth="ocha"`, when present) or the embedded ones."""
    admin1 = load_admin1()
    lines = truth_admin1(folder) if truth == "ocha" else admin1
    _, summaries = score_summaries(gtd_summaries(folder, lines), admin1=admin1)
    _, ucdp = score_names(ucdp_names(folder), admin1=admin1)
    _, gtd = score_names(gtd_names(folder), admin1=admin1)
    return {"gtd_summaries": summaries, "ucdp_names": ucdp, "gtd_names": gtd}
