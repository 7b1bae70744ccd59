"""Which governorate an imported event belongs to, given how precisely its source placed it.

The spatial join alone misleads for coarse places: UCDP puts events it can only place "in
Iraq" at the country's centroid (33.0, 44.0, in Babil), and an admin-1–level event sits at
its governorate's centroid, which a different boundary set may put next door. So (rules in
data/README.md, "Attribution of imported events"):

- only the country known (UCDP where_prec 6–7, ACLED geo_precision 3 without admin-1):
  no governorate, region `NOT_ATTRIBUTABLE`;
- the source places the event at admin-1 level or coarser within one (UCDP where_prec 3–5,
  ACLED geo_precision 3, a generic file's precision 3 with a mapped admin-1): the source's own
  admin-1, when it names an Iraqi governorate;
- a point outside the national line by at most `BORDER_KM`: "on the border", and the source's
  admin-1 when it names one (else it stays outside Iraq, flagged);
- everything else: the point decides.

Source names are matched after folding diacritics, transliterations and suffixes such as
" province" (`admin1_codes`, alias table in `geo.spatial.admin1_table`).
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo.data.crs import WGS84
from geo.data.schemas import NOT_ATTRIBUTABLE, OUTSIDE_IRAQ
from geo.sources.formats import PLACE_SCOPE, SCOPE_OF_ATTRIBUTION
from geo.spatial.admin1_table import ADMIN1, ADMIN1_ALIASES
from geo.spatial.join import assign_admin1, assign_admin2
from geo.text.names import normalise

BORDER_KM = 2.0
_METRIC_CRS = "EPSG:32638"  # UTM 38N: Iraq's middle; under 1 % scale error across the country
# "Nīnawá province", "Muhafazat Baghdad", "Baghdad Governorate": the kind of unit is not the name.
_UNIT_WORDS = r"^(?:muhafazat|muhafazah|governorate of|province of)\s+|\s+(?:province|governorate|" \
              r"muhafazat|muhafazah|gov|prov)$"


def _unit_free(names: pd.Series) -> pd.Series:
    return normalise(names).str.replace(_UNIT_WORDS, "", regex=True).str.strip()


def _lookup() -> dict[str, str]:
    pairs = [(c, n) for c, n in zip(ADMIN1.admin1_code, ADMIN1.admin1_name, strict=True)]
    pairs += [(c, n) for c, ns in ADMIN1_ALIASES.items() for n in ns]
    pairs += [(c, n) for c, n in zip(ADMIN1.admin1_code, ADMIN1.name_ar, strict=True)]
    pairs += [(c, n) for c, n in zip(ADMIN1.admin1_code, ADMIN1.name_ku, strict=True)]
    keys = _unit_free(pd.Series([n for _, n in pairs]))
    return dict(zip(keys, [c for c, _ in pairs], strict=True))


_CODES = _lookup()


def admin1_codes(names: pd.Series) -> pd.Series:
    """A source's admin-1 names -> ISO 3166-2 codes (IQ-BG …); NA when not an Iraqi governorate
    the table knows."""
    return _unit_free(names.fillna("").astype(str)).map(_CODES).astype(object)


def border_km(lat: pd.Series, lon: pd.Series, admin1: gpd.GeoDataFrame) -> pd.Series:
    """Kilometres from each point to the national line (the union of the governorates)."""
    country = admin1.to_crs(_METRIC_CRS).union_all()
    points = gpd.GeoSeries(gpd.points_from_xy(lon.astype("float64"), lat.astype("float64")),
                           index=lat.index, crs=WGS84).to_crs(_METRIC_CRS)
    return pd.Series(shapely.distance(points.values, country) / 1000.0, index=lat.index)


def join(events: pd.DataFrame, admin1: gpd.GeoDataFrame, geometry: bool = True,
         admin2: gpd.GeoDataFrame | None = None) -> gpd.GeoDataFrame | pd.DataFrame:
    """The spatial join, then the attribution rules, then the districts when a district set is
    given: what every import and every re-join of stored events uses."""
    out = attribute(assign_admin1(events, admin1, geometry=geometry), admin1)
    return with_districts(out, admin2) if admin2 is not None else out


def with_districts(places: pd.DataFrame, admin2: gpd.GeoDataFrame) -> pd.DataFrame:
    """admin2_code, admin2_name and `jurisdiction` for located rows (events or sites). A row
    placed by its point gets the district holding it; one attributed by its source's admin-1,
    or not attributable, gets none (its point says nothing about a district). `jurisdiction`:
    "Disputed territories" in a district of the Article 140 table (`geo.sources.disputed`), else
    the row's region when it is Kurdistan Region or Federal Iraq."""
    from geo.sources import disputed

    out = places.copy()
    found = assign_admin2(out, admin2)
    point = (out["attribution"].eq("point") if "attribution" in out
             else pd.Series(True, index=out.index)) & out["admin1_code"].notna()
    out["admin2_code"] = found["admin2_code"].astype(object).where(point, None)
    out["admin2_name"] = found["admin2_name"].astype(object).where(point, None)
    out["jurisdiction"] = disputed.jurisdiction(out, admin2)
    return out


def attribute(events: pd.DataFrame, admin1: gpd.GeoDataFrame) -> pd.DataFrame:
    """Set admin1_code, admin1_name, region and `attribution` by the rules above on joined
    events; say why in coord_issue for points on the border. Drops the import-only
    `place_scope` column."""
    out = events.copy()
    index = out.index
    if PLACE_SCOPE in out:
        scope = out[PLACE_SCOPE].fillna("").astype(str)
    elif "attribution" in out:
        # a stored event keeps its attribution: on a new join it is redone from it
        scope = out["attribution"].map(SCOPE_OF_ATTRIBUTION).fillna("")
    else:
        scope = pd.Series("", index=index)
    theirs = (out["source_admin1"] if "source_admin1" in out else pd.Series("", index=index))
    code = admin1_codes(theirs)
    known = code.notna()
    names = dict(zip(admin1["admin1_code"], admin1["admin1_name"], strict=False))
    regions = dict(zip(admin1["admin1_code"], admin1["region"], strict=False))
    known &= code.isin(list(names))

    attribution = pd.Series("point", index=index, dtype=object)
    country = scope.eq("country").to_numpy()
    at_admin1 = scope.eq("admin1").to_numpy() & known.to_numpy()
    outside = (out["region"] == OUTSIDE_IRAQ).to_numpy() & ~country & ~at_admin1
    border = pd.Series(False, index=index)
    if outside.any():
        km = border_km(pd.to_numeric(out.loc[outside, "latitude"], errors="coerce"),
                       pd.to_numeric(out.loc[outside, "longitude"], errors="coerce"), admin1)
        border.loc[km.index] = (km <= BORDER_KM).to_numpy()
        near = km[km <= BORDER_KM]
        if len(near):
            note = ("on the border: " + near.map(lambda d: f"{d:.1f}") + " km outside the "
                    "national line")
            # assign_admin1 has just written coord_issue afresh: the note is never there yet
            old = out.loc[near.index, "coord_issue"].fillna("").astype(str)
            out.loc[near.index, "coord_issue"] = np.where(old == "", note, old + "; " + note)
    border_np = border.to_numpy()
    take_source = at_admin1 | (border_np & known.to_numpy())
    out["admin1_code"] = out["admin1_code"].astype(object)
    out["admin1_name"] = out["admin1_name"].astype(object)
    out["region"] = out["region"].astype(object)
    out.loc[take_source, "admin1_code"] = code[take_source]
    out.loc[take_source, "admin1_name"] = code[take_source].map(names)
    out.loc[take_source, "region"] = code[take_source].map(regions)
    out.loc[country, ["admin1_code", "admin1_name"]] = None
    out.loc[country, "region"] = NOT_ATTRIBUTABLE
    attribution[at_admin1] = "source admin-1"
    attribution[border_np] = "on the border"
    attribution[country] = "not attributable"
    out["attribution"] = attribution
    return out.drop(columns=[PLACE_SCOPE], errors="ignore")


def disagreements(events: pd.DataFrame) -> pd.Series:
    """Point-attributed events whose source names another governorate than the join found
    (or a name the alias table does not know): worth a look, the join is kept."""
    if "source_admin1" not in events or events.empty:
        return pd.Series(False, index=events.index)
    theirs = events["source_admin1"].fillna("").astype(str).str.strip()
    point = events.get("attribution", pd.Series("point", index=events.index)).eq("point")
    joined = events["admin1_code"].astype(object).fillna("").astype(str)
    same = admin1_codes(theirs).fillna("").astype(str) == joined
    return (theirs != "") & events["admin1_code"].notna() & point & ~same
