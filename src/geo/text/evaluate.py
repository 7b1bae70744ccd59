"""Measure the geocoder and the geoparser on labelled fixtures (numbers quoted in docs/)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
from pyproj import Geod

from geo.text.geocode import geocode
from geo.text.geoparse import geoparse

_GEOD = Geod(ellps="WGS84")


def distance_km(lat1, lon1, lat2, lon2) -> np.ndarray:
    lat1, lon1, lat2, lon2 = (np.asarray(x, dtype=float) for x in (lat1, lon1, lat2, lon2))
    _, _, d = _GEOD.inv(lon1, lat1, lon2, lat2)
    return np.where(np.isnan(lat1) | np.isnan(lat2), np.nan, d / 1000)


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
