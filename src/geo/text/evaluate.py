"""Measure the geocoder and the geoparser on labelled fixtures (numbers quoted in docs/)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from geo.data.crs import distance_km
from geo.spatial.join import assign_admin1
from geo.text.geocode import geocode
from geo.text.geoparse import OUTPUT_COLUMNS as OUTPUT_COLUMNS_PARSE
from geo.text.geoparse import geoparse


def evaluate_geocoder(labelled: pd.DataFrame) -> tuple[pd.DataFrame, dict[str, float]]:
    got = geocode(labelled["query"].tolist())
    table = pd.concat([labelled.reset_index(drop=True), got.drop(columns="query")], axis=1)
    expect_none = labelled["expected_lat"].isna().to_numpy()
    table["km"] = distance_km(table["expected_lat"], table["expected_lon"], table["lat"], table["lon"])
    table["within_10km"] = table["km"] <= 10
    table["right_admin1"] = table["admin1_code"] == table["expected_admin1_code"]
    table["ok"] = np.where(expect_none, (table["match"] == "none") | (table["region"] == "Outside Iraq"),
                           table["within_10km"] & table["right_admin1"])
    places = table[~expect_none]
    metrics = {
        "places": float(len(places)),
        "within_10km": float(places["within_10km"].mean()),
        "right_admin1": float(places["right_admin1"].mean()),
        "both": float((places["within_10km"] & places["right_admin1"]).mean()),
        "unmatched": float((places["match"] == "none").mean()),
        "none_expected": float(expect_none.sum()),
        "none_correct": float(table.loc[expect_none, "ok"].mean()) if expect_none.any() else 1.0,
    }
    for kind in ("exact", "alias", "fuzzy"):
        metrics[f"share_{kind}"] = float((places["match"] == kind).mean())
    return table, metrics


def evaluate_geoparser(folder: Path) -> tuple[pd.DataFrame, dict[str, float]]:
    rows = []
    for text_file in sorted(folder.glob("news_*.txt")):
        text = text_file.read_text(encoding="utf-8")
        labels = pd.read_csv(text_file.with_suffix(".labels.csv"))
        found = geoparse(text)
        gold = set(zip(labels["start"], labels["end"], strict=True))
        pred = set(zip(found["start"], found["end"], strict=True))
        rows.append({"file": text_file.name, "gold": len(gold), "found": len(pred),
                     "correct": len(gold & pred),
                     "missed": "; ".join(text[s:e] for s, e in sorted(gold - pred)),
                     "spurious": "; ".join(text[s:e] for s, e in sorted(pred - gold))})
    table = pd.DataFrame(rows)
    correct, found, gold = table["correct"].sum(), table["found"].sum(), table["gold"].sum()
    precision = correct / found if found else 0.0
    recall = correct / gold if gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return table, {"precision": float(precision), "recall": float(recall), "f1": float(f1),
                   "mentions": float(gold)}


WIRE_KINDS = ("town", "facility", "area")


def _fits(expected: str, got: str) -> bool:
    return got != "" and got in expected.split("|")


def evaluate_wire(folder: Path) -> tuple[pd.DataFrame, dict[str, float]]:
    """Score the geoparser on wire-style passages (`passages.csv`, `labels.csv`; README there).

    A labelled Iraqi place is found when a mention overlapping its span is placed in the
    expected governorate (or region) and is not finer than the truth: a town point for an area
    is wrong, an area-level point for a village is coarse but right. A mention placed in Iraq is
    right when it is such a find, wrong otherwise: a wrong governorate, a wrong precision, a
    place that must stay outside Iraq (kind `foreign`), or no labelled place at all. Mentions
    placed outside Iraq count for neither. Returns one row per label and per unlabelled mention,
    and recall and precision overall and per kind."""
    passages = pd.read_csv(folder / "passages.csv", keep_default_na=False)
    labels = pd.read_csv(folder / "labels.csv", keep_default_na=False, dtype={"precision": str})
    rows = []
    for pid, text in zip(passages["passage_id"], passages["text"], strict=True):
        found = geoparse(text)
        found = found.assign(area=found["admin1_code"].fillna("").astype(str),
                             where=found["region"].fillna("").astype(str),
                             prec=found["precision"].astype(str))
        used = np.zeros(len(found), dtype=bool)
        for lab in labels[labels["passage_id"] == pid].itertuples():
            overlap = ((found["start"] < lab.end) & (found["end"] > lab.start)).to_numpy()
            hit = found[overlap]
            used |= overlap
            in_iraq = hit[hit["where"] != "Outside Iraq"]
            right = [(_fits(lab.expected, a) or _fits(lab.expected, w))
                     and (lab.precision == "" or int(p) >= min(int(x) for x in lab.precision.split("|")))
                     for a, w, p in zip(in_iraq["area"], in_iraq["where"], in_iraq["prec"], strict=True)]
            rows.append({"passage_id": pid, "mention": lab.mention, "kind": lab.kind,
                         "expected": lab.expected, "got": "; ".join(
                             f"{m} -> {n} ({a or w}, {p})" for m, n, a, w, p in zip(
                                 hit["mention"], hit["matched_name"], hit["area"], hit["where"],
                                 hit["prec"], strict=True)),
                         "found": lab.kind != "foreign" and any(right),
                         "placed_in_iraq": len(in_iraq), "right_in_iraq": sum(right)})
        for extra in found[~used].itertuples():
            if extra.where != "Outside Iraq":
                rows.append({"passage_id": pid, "mention": extra.mention, "kind": "unlabelled",
                             "expected": "", "got": f"{extra.matched_name} ({extra.area or extra.where})",
                             "found": False, "placed_in_iraq": 1, "right_in_iraq": 0})
    table = pd.DataFrame(rows)
    metrics: dict[str, float] = {}
    for kind in (*WIRE_KINDS, "all"):
        sub = table[table["kind"].isin(WIRE_KINDS if kind == "all" else (kind,))]
        placed = sub["placed_in_iraq"].sum() + (table.loc[table["kind"].isin(
            ("foreign", "unlabelled")), "placed_in_iraq"].sum() if kind == "all" else 0)
        metrics[f"{kind}_places"] = float(len(sub))
        metrics[f"{kind}_recall"] = float(sub["found"].mean()) if len(sub) else 1.0
        metrics[f"{kind}_precision"] = float(sub["right_in_iraq"].sum() / placed) if placed else 1.0
    foreign = table[table["kind"] == "foreign"]
    metrics["foreign_kept_out"] = float((foreign["placed_in_iraq"] == 0).mean()) if len(foreign) else 1.0
    metrics["unlabelled_in_iraq"] = float((table["kind"] == "unlabelled").sum())
    return table, metrics


# ------------------------------------------------------------- real material (issue 24)

PLACE_KM = 25.0  # a place-level answer is right within this distance of the source's point
FAR_KM = 100.0  # a place-level mention this far away, in another governorate, is a bad error


def score_summaries(texts: pd.DataFrame, admin1=None) -> tuple[pd.DataFrame, dict[str, float]]:
    """Geoparse incident summaries that come with their own point (`text`, `lat`, `lon`,
    `admin1_code` of the point) and compare. Why: a source's own coordinates are a truth that
    nobody on the project wrote. Per summary: is the first place found right at its precision
    (a place within PLACE_KM, or an area holding the point: same governorate, or same region
    for a region), is any place-level mention within PLACE_KM; over all mentions: how many are
    place-level and more than FAR_KM away in another governorate."""
    rows = []
    for doc, text in zip(texts.index, texts["text"].fillna("").astype(str), strict=True):
        found = geoparse(text, admin1=admin1)
        if len(found):
            rows.append(found.assign(doc=doc))
    cols = ["doc", *OUTPUT_COLUMNS_PARSE]
    found = pd.concat(rows, ignore_index=True) if rows else pd.DataFrame(columns=cols)
    truth = texts.reindex(found["doc"])
    km = distance_km(truth["lat"], truth["lon"], found["lat"], found["lon"])
    place = found["precision"].astype(int).to_numpy() < 3
    same_admin1 = (found["admin1_code"].astype(str).to_numpy()
                   == truth["admin1_code"].astype(str).to_numpy())
    same_region = (found["region"].astype(str).to_numpy()
                   == truth["region"].astype(str).to_numpy())
    area_right = np.where(found["admin1_code"].astype(str).to_numpy() != "", same_admin1,
                          same_region)
    found = found.assign(km=km, place_level=place,
                         right=np.where(place, km <= PLACE_KM, area_right),
                         far=place & (km > FAR_KM) & ~same_admin1)
    first = found.drop_duplicates("doc").set_index("doc")
    near = found[found["place_level"] & (found["km"] <= PLACE_KM)]["doc"].unique()
    n = len(texts)
    metrics = {
        "summaries": float(n), "mentions": float(len(found)),
        "first_right": float(first["right"].reindex(texts.index).fillna(False).astype(bool).mean()),
        "place_within_25km": float(len(near) / n) if n else 0.0,
        "far_mentions": float(found["far"].sum()),
        "far_share": float(found["far"].mean()) if len(found) else 0.0,
        "no_place": float(1 - first.index.nunique() / n) if n else 0.0,
    }
    return found, metrics


def score_names(names: pd.DataFrame, index=None, admin1=None) -> tuple[pd.DataFrame, dict[str, float]]:
    """Geocode place names a source's coders wrote (`name`, `admin1_hint`, `lat`, `lon`: one
    row per distinct name, at the source's point) with their governorate as the hint. Why: the
    names of real files, not of a list written for the project. Right: matched within
    PLACE_KM of the source's point; off: matched further away (share of the matches)."""
    parts = []
    for hint, group in names.groupby(names["admin1_hint"].fillna(""), sort=True):  # 18 hints
        got = geocode(group["name"].tolist(), admin1_hint=hint or None, index=index, admin1=admin1)
        parts.append(got.set_axis(group.index))
    got = pd.concat(parts).reindex(names.index).rename(
        columns={"lat": "lat_found", "lon": "lon_found", "admin1_code": "admin1_found"})
    table = pd.concat([names, got.drop(columns="query")], axis=1)
    table["km"] = distance_km(table["lat"], table["lon"], table["lat_found"], table["lon_found"])
    truth = assign_admin1(table, admin1, lat="lat", lon="lon", geometry=False)["admin1_code"]
    matched = table["match"] != "none"
    area = table["precision"].astype(int) >= 3
    table["right"] = matched & np.where(area, table["admin1_found"] == truth.astype(object),
                                        table["km"] <= PLACE_KM)
    table["off"] = matched & ~table["right"]
    n = len(table)
    return table, {
        "names": float(n),
        "matched": float(matched.mean()) if n else 0.0,
        "right": float(table["right"].mean()) if n else 0.0,
        "off_of_matches": float(table["off"].sum() / matched.sum()) if matched.any() else 0.0,
    }
