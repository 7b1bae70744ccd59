"""One event, counted once: records of different datasets that describe the same event are linked.

An ACLED or UCDP file that covers the curated table's years repeats its events, and GTD and UCDP
both code most deadly bombings; added together, deaths, attack counts and alerts count them
twice. The method follows MELTT (Donnay et al. 2019, "Integrating Conflict Event Data", Journal
of Conflict Resolution), which matches event datasets by windows of time and space and by
compatible event taxonomies, and never links two records of one dataset (each dataset already
lists distinct events). Two records are linked when:

- they come from different datasets (`origin`: curated, ACLED, UCDP GED, or an imported file);
- their dates are at most 1 day apart, or 7 when either is dated only to the week; a record
  dated only to the month or year (UCDP's monthly and yearly tallies) is never linked: it may
  sum many events;
- their points are at most `RADIUS_KM` apart, set by the less precise of the two (a few km for
  exact points, a district's size for points near a place); a point that stands for a larger
  area (geo precision 3: a district's or a province's centre) or only for "Iraq" is never
  linked: on the real files every such link checked by hand was wrong;
- their event types are compatible (`TYPE_GROUP`: all violent types are one group, because UCDP
  codes a strike as a battle where ACLED codes remote violence) and their sides are: when both
  name a specific side (a family other than unidentified, civilians or unresolved), they share
  one;
- their death tolls agree when both are known: at most 2 apart, or the larger at most twice the
  smaller. Sources count the dead differently, but in Mosul in 2017 or Baghdad in 2013 a day
  held many attacks a few km apart, and the toll is what tells a 3-death mortar strike from a
  51-death battle the same day.

Each record links to at most one record of every other dataset: its closest (distance over the
place window, plus twice the days over the time window: a same-day record is the likelier
partner), only when that choice is clear (no runner-up within `AMBIGUOUS`) and mutual (the
partner's closest in the first record's dataset is the first record). Linked records form
groups; the record kept for counting is the curated one, else the one of finer place and time
precision. A group that would hold two records of one dataset (a chain A1-B-A2) keeps only the
links to the kept record. Every rule was checked by hand on the real files (docs/duplicates.md).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components
from scipy.spatial import cKDTree

from geo.app.actors import family_of
from geo.data import store
from geo.data.schemas import NOT_ATTRIBUTABLE

ORIGIN = store.ORIGIN
DUPLICATE_OF = "duplicate_of"
ALSO = "also_reported_by"
CURATED = "curated"
# Time windows (days) by time precision: exact day, within the week. Month: not linked.
WINDOW_DAYS = {1: 1, 2: 7}
# Place windows (km) by geo precision: exact site or town, near the named place (a district's
# size). A point standing for a larger area (a district's or a province's centre) is not linked.
RADIUS_KM = {1: 5.0, 2: 25.0}
TYPE_GROUP = {"Battles": "violent", "Explosions/Remote violence": "violent",
              "Violence against civilians": "violent", "Riots": "unrest", "Protests": "unrest",
              "Strategic developments": "strategic"}
AMBIGUOUS = 0.25  # a best match must beat the next candidate by this much of a window
TOLL_SLACK, TOLL_RATIO = 2, 2.0  # tolls agree: at most 2 apart, or within a factor of 2
UNSPECIFIC = frozenset({"", "Unidentified", "Civilians", "Other", "Protesters and rioters"})
_KM_PER_DEG_LAT = 110.57
_KM_PER_DEG_LON = 111.32 * np.cos(np.radians(33.0))  # Iraq's middle latitude


def origin_of(events: pd.DataFrame) -> pd.Series:
    """The dataset each record comes from: the stored `origin` (set at import), else read from
    the record's id (UCDP-…, ACLED's ISO-3 + number) or its `dataset` label."""
    ids = events["event_id"].astype(str)
    guessed = np.select([events.get("dataset", pd.Series("", index=events.index)).astype(str)
                         .eq(CURATED).to_numpy(),
                         ids.str.startswith("UCDP-").to_numpy(),
                         ids.str.fullmatch(r"[A-Z]{3}\d+").to_numpy()],
                        [CURATED, store.ORIGINS["ucdp"], store.ORIGINS["acled"]],
                        default=store.UNKNOWN_ORIGIN)
    if ORIGIN not in events:
        return pd.Series(guessed, index=events.index, dtype=object)
    stored = events[ORIGIN].astype(object).where(events[ORIGIN].notna(), "").astype(str)
    return stored.where(stored.str.strip() != "", pd.Series(guessed, index=events.index)
                        ).astype(object)


def _prepared(events: pd.DataFrame) -> pd.DataFrame:
    """What linking reads, one row per record, in the records' order."""
    tp = pd.to_numeric(events["time_precision"], errors="coerce").fillna(3).astype(int)
    gp = pd.to_numeric(events["geo_precision"], errors="coerce").fillna(3).astype(int)
    lat = pd.to_numeric(events["latitude"], errors="coerce")
    lon = pd.to_numeric(events["longitude"], errors="coerce")
    region = events["region"].astype(str) if "region" in events else pd.Series("", index=events.index)
    origin = origin_of(events)
    eligible = (tp.isin(list(WINDOW_DAYS)) & gp.isin(list(RADIUS_KM)) & lat.notna()
                & lon.notna() & (region != NOT_ATTRIBUTABLE))
    fam = pd.concat([family_of(events, "actor1"), family_of(events, "actor2")], axis=1)
    return pd.DataFrame({
        "origin": origin.to_numpy(), "eligible": eligible.to_numpy(),
        "day": (pd.to_datetime(events["event_date"]).to_numpy().astype("datetime64[D]")
                .astype("int64")),
        "window": tp.map(WINDOW_DAYS).fillna(0).to_numpy(),
        "radius": gp.map(RADIUS_KM).fillna(0.0).to_numpy(), "gp": gp.to_numpy(),
        "tp": tp.to_numpy(), "x": (lon * _KM_PER_DEG_LON).to_numpy(),
        "y": (lat * _KM_PER_DEG_LAT).to_numpy(),
        "group": events["event_type"].map(TYPE_GROUP).fillna("other").to_numpy(),
        "f1": fam.iloc[:, 0].to_numpy(), "f2": fam.iloc[:, 1].to_numpy(),
        "deaths": pd.to_numeric(events["fatalities"], errors="coerce").to_numpy(dtype=float)
        if "fatalities" in events else np.full(len(events), np.nan),
        "id": events["event_id"].astype(str).to_numpy()})


def _candidates(p: pd.DataFrame) -> pd.DataFrame:
    """Pairs (i < j by position) of records from different datasets within the widest windows,
    found per pair of datasets with k-d trees (no pass over all pairs of records)."""
    max_r, max_w = max(RADIUS_KM.values()), max(WINDOW_DAYS.values())
    pts = np.stack([p["x"] / max_r, p["y"] / max_r, p["day"] / max_w], axis=1)
    ok = p["eligible"].to_numpy()
    origins = sorted(set(p.loc[ok, "origin"]))
    found = []
    for k, a in enumerate(origins):  # a handful of datasets, not rows
        ia = np.flatnonzero(ok & (p["origin"].to_numpy() == a))
        ta = cKDTree(pts[ia])
        for b in origins[k + 1:]:
            ib = np.flatnonzero(ok & (p["origin"].to_numpy() == b))
            near = ta.sparse_distance_matrix(cKDTree(pts[ib]), 1.0, p=np.inf,
                                             output_type="ndarray")
            if len(near):
                found.append(np.stack([ia[near["i"]], ib[near["j"]]], axis=1))
    if not found:
        return pd.DataFrame({"i": [], "j": []}, dtype="int64")
    pairs = np.concatenate(found)
    return pd.DataFrame({"i": pairs.min(axis=1), "j": pairs.max(axis=1)})


def _compatible(p: pd.DataFrame, c: pd.DataFrame) -> pd.DataFrame:
    """The candidate pairs that pass every rule of the module docstring, with a score."""
    i, j = c["i"].to_numpy(), c["j"].to_numpy()
    days = np.abs(p["day"].to_numpy()[i] - p["day"].to_numpy()[j])
    window = np.maximum(p["window"].to_numpy()[i], p["window"].to_numpy()[j])
    km = np.hypot(p["x"].to_numpy()[i] - p["x"].to_numpy()[j],
                  p["y"].to_numpy()[i] - p["y"].to_numpy()[j])
    radius = np.maximum(p["radius"].to_numpy()[i], p["radius"].to_numpy()[j])
    group = p["group"].to_numpy()
    f1, f2 = p["f1"].to_numpy(), p["f2"].to_numpy()

    def specific(f: np.ndarray) -> np.ndarray:
        return ~pd.Series(f).isin(UNSPECIFIC).to_numpy()

    s1i, s2i, s1j, s2j = specific(f1[i]), specific(f2[i]), specific(f1[j]), specific(f2[j])
    shared = ((s1i & ((f1[i] == f1[j]) & s1j | (f1[i] == f2[j]) & s2j))
              | (s2i & ((f2[i] == f1[j]) & s1j | (f2[i] == f2[j]) & s2j)))
    sides = ~(s1i | s2i) | ~(s1j | s2j) | shared
    di, dj = p["deaths"].to_numpy()[i], p["deaths"].to_numpy()[j]
    lo, hi = np.fmin(di, dj), np.fmax(di, dj)
    tolls = np.isnan(di) | np.isnan(dj) | (hi - lo <= TOLL_SLACK) | (hi <= TOLL_RATIO * lo)
    keep = ((days <= window) & (km <= radius)
            & (group[i] == group[j]) & (group[i] != "other") & sides)
    # a day apart weighs twice the whole distance window: the ±1 day absorbs reporting lag, so
    # a record of the same day is the likelier partner
    score = km[keep] / radius[keep] + 2 * days[keep] / np.maximum(window[keep], 1)
    return pd.DataFrame({"i": i[keep], "j": j[keep], "score": score, "km": km[keep],
                         "days": days[keep], "tolls": tolls[keep]})


def _mutual_best(p: pd.DataFrame, pairs: pd.DataFrame) -> pd.DataFrame:
    """Each record's closest partner in every other dataset, kept when the choice is mutual,
    clear and the tolls agree. Clear: a runner-up within `AMBIGUOUS` of the best (two records
    at a city's point on one day, as UCDP's "Mosul town" in 2017), whatever their tolls, leaves
    the record unlinked: in a busy place and day, a toll that happens to fit is no evidence."""
    if pairs.empty:
        return pairs
    origin = p["origin"].to_numpy()
    both = pd.concat([pairs.assign(a=pairs["i"], b=pairs["j"]),
                      pairs.assign(a=pairs["j"], b=pairs["i"])], ignore_index=True)
    both["b_origin"] = origin[both["b"].to_numpy()]
    ranked = both.sort_values(["score", "a", "b"], kind="stable")
    place = ranked.groupby(["a", "b_origin"], sort=False).cumcount()
    best = ranked[place == 0].set_index(["a", "b_origin"])
    second = ranked[place == 1].set_index(["a", "b_origin"])["score"].reindex(best.index)
    clear = ~(second - best["score"] < AMBIGUOUS)  # no runner-up (NaN) is clear
    best = best[clear & best["tolls"]].reset_index()[["a", "b"]]
    forward = pairs.reset_index().merge(best, left_on=["i", "j"], right_on=["a", "b"])
    mutual = forward.drop(columns=["a", "b"]).merge(best, left_on=["j", "i"], right_on=["a", "b"])
    return pairs.loc[mutual["index"].sort_values()]


def _groups(p: pd.DataFrame, pairs: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Group label per record (-1: not linked) and whether it is the record kept for counting."""
    n = len(p)
    label, kept = np.full(n, -1), np.ones(n, dtype=bool)
    if pairs.empty:
        return label, kept
    # Kept first: curated, then finer place, then finer time precision, then the id.
    order = pd.DataFrame({"cur": (p["origin"] != CURATED).astype(int), "gp": p["gp"],
                          "tp": p["tp"], "id": p["id"]}).sort_values(
        ["cur", "gp", "tp", "id"], kind="stable").index.to_numpy()
    rank = np.empty(n, dtype=int)
    rank[order] = np.arange(n)
    members, anchor = _components(p, pairs, rank, order)
    chained = members.duplicated(["comp", "origin"], keep=False)
    if chained.any():  # A1-B-A2: only the links to the kept record, the closest per dataset
        bad = members.loc[chained, "comp"].unique()
        in_bad = pd.Series(members["comp"].isin(bad).to_numpy(), index=members.index)
        to_anchor = pd.Series(anchor.to_numpy(), index=members.index)
        i_bad = in_bad.reindex(pairs["i"]).to_numpy()
        star = pairs[i_bad & ((to_anchor.reindex(pairs["i"]).to_numpy() == pairs["i"].to_numpy())
                              | (to_anchor.reindex(pairs["j"]).to_numpy() == pairs["j"].to_numpy()))]
        a = to_anchor.reindex(star["i"]).to_numpy()
        other = np.where(star["i"].to_numpy() == a, star["j"].to_numpy(), star["i"].to_numpy())
        star = (star.assign(a=a, o=p["origin"].to_numpy()[other])
                .sort_values("score", kind="stable").drop_duplicates(["a", "o"]))
        pairs = pd.concat([pairs[~i_bad], star[pairs.columns]])
        members, anchor = _components(p, pairs, rank, order)
    label[members.index] = members["comp"].to_numpy()
    kept[members.index] = members.index.to_numpy() == anchor.to_numpy()
    return label, kept


def _components(p: pd.DataFrame, pairs: pd.DataFrame, rank: np.ndarray, order: np.ndarray
                ) -> tuple[pd.DataFrame, pd.Series]:
    """The linked records with their component, and each one's kept record (lowest rank)."""
    n = len(p)
    graph = coo_matrix((np.ones(len(pairs)), (pairs["i"], pairs["j"])), shape=(n, n))
    _, comp = connected_components(graph, directed=False)
    linked = np.zeros(n, dtype=bool)
    linked[pairs["i"].to_numpy()] = True
    linked[pairs["j"].to_numpy()] = True
    members = pd.DataFrame({"comp": comp, "rank": rank, "origin": p["origin"]})[linked]
    anchor_rank = members.groupby("comp")["rank"].transform("min")
    return members, pd.Series(order[anchor_rank.to_numpy()], index=members.index)


def link(events: pd.DataFrame) -> pd.DataFrame:
    """`events` with `origin`, `duplicate_of` (the id of the record kept for counting; blank
    for a kept or unlinked record) and `also_reported_by` (the other records of its group, as
    "origin id"; blank when it has none)."""
    out = events.drop(columns=[DUPLICATE_OF, ALSO], errors="ignore").reset_index(drop=True)
    p = _prepared(out)
    pairs = _mutual_best(p, _compatible(p, _candidates(p)))
    label, kept = _groups(p, pairs)
    out[ORIGIN] = p["origin"].to_numpy()
    dup = np.full(len(out), "", dtype=object)
    also = np.full(len(out), "", dtype=object)
    linked = np.flatnonzero(label >= 0)
    if len(linked):
        g = pd.DataFrame({"label": label[linked], "kept": kept[linked],
                          "id": p["id"].to_numpy()[linked],
                          "who": (p["origin"].to_numpy()[linked] + " "
                                  + p["id"].to_numpy()[linked])}, index=linked)
        anchor_id = g[g["kept"]].set_index("label")["id"]
        dup[linked] = np.where(g["kept"], "", g["label"].map(anchor_id).to_numpy())
        pairs_in = g.reset_index().merge(g[["label", "who"]], on="label", suffixes=("", "_other"))
        others = (pairs_in[pairs_in["who"] != pairs_in["who_other"]]
                  .groupby("index")["who_other"].agg(", ".join))
        also[others.index.to_numpy()] = others.to_numpy()
    out[DUPLICATE_OF] = dup
    out[ALSO] = also
    return out.set_axis(events.index)


def split(events: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(the records counted, the records that repeat one of them), both with the link columns."""
    linked = link(events)
    repeat = linked[DUPLICATE_OF] != ""
    return linked[~repeat], linked[repeat]
