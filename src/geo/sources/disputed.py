"""The disputed territories between Baghdad and Erbil (Article 140 of Iraq's constitution), as a
sourced table of districts (`data/curated/disputed_districts.csv`, cited in data/README.md),
matched to whatever district set is installed by name.

A district the sources list whole is "Disputed territories" in the `jurisdiction` column; one
of which only a part is listed (a sub-district such as Mandali) is kept in the table with that
part named, but not marked: a district set cannot say which of its points lie in the part.
The de jure `region` column is never changed.
"""

from __future__ import annotations

from functools import lru_cache

import geopandas as gpd
import numpy as np
import pandas as pd

from geo.data import paths
from geo.data.schemas import DISPUTED, REGIONS
from geo.text.names import normalise

TABLE = "disputed_districts.csv"


@lru_cache(maxsize=1)
def table() -> pd.DataFrame:
    """The sourced table (every column as text)."""
    return pd.read_csv(paths.curated_dir() / TABLE, dtype=str, keep_default_na=False)


def _keys(frame: pd.DataFrame) -> pd.Series:
    names = frame["district"] + "|" + frame["aliases"]
    return names.str.split("|")


def disputed_codes(admin2: gpd.GeoDataFrame) -> set[str]:
    """The district codes of `admin2` that the table lists whole (matched by folded name)."""
    whole = table()[table()["extent"] == "whole"]
    names = set(normalise(pd.Series([n for ns in _keys(whole) for n in ns if n])))
    theirs = normalise(admin2["admin2_name"].astype(str))
    return set(admin2.loc[theirs.isin(names).to_numpy(), "admin2_code"].astype(str))


def unmatched(admin2: gpd.GeoDataFrame) -> list[str]:
    """Districts the table lists whole that `admin2` has under no known name (for a check)."""
    whole = table()[table()["extent"] == "whole"]
    theirs = set(normalise(admin2["admin2_name"].astype(str)))
    return [row.district for row, keys in zip(whole.itertuples(), _keys(whole), strict=True)
            if not set(normalise(pd.Series([k for k in keys if k]))) & theirs]


def jurisdiction(places: pd.DataFrame, admin2: gpd.GeoDataFrame) -> pd.Series:
    """"Disputed territories" for rows in a disputed district, else their region when it is
    the Kurdistan Region or federal Iraq. A row with a governorate but no district (placed by
    its source's admin-1) is disputed when all of its governorate's districts are (Kirkuk),
    takes its region when none are, and stays unknown otherwise; outside Iraq or not
    attributable, unknown."""
    codes = disputed_codes(admin2)
    share = admin2.assign(d=admin2["admin2_code"].astype(str).isin(codes)).groupby(
        "admin1_code")["d"].mean()
    region = places["region"].astype(object)
    kept = region.where(region.isin(REGIONS), None)
    district = places["admin2_code"].astype(object)
    whole = places["admin1_code"].astype(object).map(share)
    out = np.select([district.isin(codes).to_numpy(),
                     (district.isna() & whole.eq(1.0)).to_numpy(),
                     (district.isna() & whole.gt(0) & whole.lt(1)).to_numpy()],
                    [DISPUTED, DISPUTED, None], default=kept.to_numpy(dtype=object))
    return pd.Series(out, index=places.index, dtype=object)
