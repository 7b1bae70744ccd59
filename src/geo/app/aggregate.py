"""Aggregations behind the charts and tables: pure, vectorised, DataFrame in, DataFrame out."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd

from geo.app.actors import family_of
from geo.data.crs import EQUAL_AREA
from geo.data.i18n import N_, _, ngettext, number
from geo.data.textops import per_value

VIOLENT_TYPES = ("Battles", "Explosions/Remote violence", "Violence against civilians", "Riots")
FOREIGN_FAMILIES = ("US forces", "Coalition partners")
_FOREIGN_TARGET = (r"\b(?:US|U\.S\.|American|coalition)\b[^|]*\bforces\b|\bUS-led coalition\b"
                   r"|Embassy of the United States|\bUS (?:embassy|consulate)\b"
                   r"|Consulate General of the United States"
                   # their contractors and supply convoys
                   r"|\b(?:US|American|coalition) contractor|contract\w* (?:by|for|with) the "
                   r"(?:US-led )?coalition|(?:equipment|supplies) for the (?:US-led )?coalition")


ATTACK_COLUMN = "attack_on_foreign_forces"


def attacks_on_foreign_forces(events: pd.DataFrame) -> pd.Series:
    """Violent events aimed at US/coalition forces, their contractors and supply convoys, or US
    diplomatic sites (by actor2's family or the target), not carried out by them. Read from
    `ATTACK_COLUMN` when the loader has computed it once (regular expressions over a million
    rows cost more than a whole filter change)."""
    if ATTACK_COLUMN in events:
        return events[ATTACK_COLUMN].astype(bool)
    violent = events["event_type"].isin(VIOLENT_TYPES)
    by_actor = family_of(events, "actor2").isin(FOREIGN_FAMILIES)
    by_target = per_value(events["target"], lambda v: v.fillna("").str.contains(_FOREIGN_TARGET,
                                                                               case=False))
    not_by_them = ~family_of(events, "actor1").isin(FOREIGN_FAMILIES)
    return violent & not_by_them & (by_actor | by_target)


def timeline(events: pd.DataFrame, freq: str = "MS", by: str | None = "event_type") -> pd.DataFrame:
    """Event counts per period (MS = month, W-MON = week), optionally split by a column."""
    if events.empty:
        return pd.DataFrame(columns=["period", by or "all", "events", "fatalities"])
    keys = [pd.Grouper(key="event_date", freq=freq)]
    if by:
        keys.append(by)
    grouped = events.groupby(keys, observed=True).agg(
        events=("event_id", "size"), fatalities=("fatalities", "sum"))
    out = grouped.reset_index().rename(columns={"event_date": "period"})
    out = out[out["events"] > 0]
    # Translators: the one series of a timeline not split by type or direction
    return out if by else out.assign(all=_("All events"))


def fatality_summary(events: pd.DataFrame) -> tuple[int, int]:
    """(known deaths, events whose toll is unknown): the sum of the figures sources give, and
    how many events no source gives a figure for. Unknown is never counted as 0."""
    deaths = pd.to_numeric(events["fatalities"], errors="coerce")
    return int(deaths.sum()), int(deaths.isna().sum())


def fatality_text(known: int, unknown: int) -> str:
    """'at least 93 deaths (12 events with unknown toll)': the sum is a floor, never a total."""
    # Translators: the deaths the sources report, summed: a floor, never a total ("Sources
    # report at least 93 deaths", "At least 93 deaths: the sum of ...")
    text = ngettext("at least {n} death", "at least {n} deaths", known).format(n=number(known))
    if unknown:
        # Translators: after "at least 93 deaths", in brackets: events no source gives a toll for
        toll = ngettext("{n} event with unknown toll", "{n} events with unknown toll",
                        unknown).format(n=number(unknown))
        text += f" ({toll})"
    return text


def counts_by(events: pd.DataFrame, column: str, top: int = 15) -> pd.DataFrame:
    """Events, known fatalities and events with an unknown toll per value of `column`, largest
    first."""
    if events.empty:
        return pd.DataFrame(columns=[column, "events", "fatalities", "unknown_toll"])
    out = (events.assign(_unknown=events["fatalities"].isna())
           .groupby(column, observed=True, dropna=False)
           .agg(events=("event_id", "size"), fatalities=("fatalities", "sum"),
                unknown_toll=("_unknown", "sum"))
           .reset_index().sort_values(["events", column], ascending=[False, True]))
    # Translators: a bar of a chart counting events by a column, for events without a value
    out[column] = out[column].fillna(_("(none)"))
    return out.head(top).reset_index(drop=True)


FEED_COLUMNS = ["event_id", "event_date", "direction", "location", "fatalities"]


def feed(events: pd.DataFrame, limit: int = 100) -> pd.DataFrame:
    """The newest `limit` events, newest first: what a reader scans beside a map."""
    cols = [c for c in FEED_COLUMNS if c in events]
    return events.nlargest(limit, "event_date")[cols].reset_index(drop=True)


def counts_by_family(events: pd.DataFrame, column: str = "actor1", top: int = 15) -> pd.DataFrame:
    """`counts_by` over the actor family of `column` (one bar for US forces, not one per ACLED
    period label)."""
    return counts_by(events.assign(family=family_of(events, column)), "family", top)


def admin1_table(events: pd.DataFrame, sites: pd.DataFrame, admin1: gpd.GeoDataFrame) -> pd.DataFrame:
    """One row per governorate: events, known fatalities and events with an unknown toll, attacks
    on foreign forces, sites, densities."""
    base = pd.DataFrame(admin1[["admin1_code", "admin1_name", "region"]])
    area = admin1["area_km2"] if "area_km2" in admin1 else admin1.to_crs(EQUAL_AREA).area / 1e6
    base["area_km2"] = np.asarray(area, dtype=float).round(0)
    # factorise + bincount: a million rows in milliseconds, where a string groupby takes 100 ms
    codes, found = pd.factorize(events["admin1_code"])
    inside = codes >= 0
    codes = codes[inside]
    deaths = pd.to_numeric(events["fatalities"], errors="coerce").to_numpy(dtype=float)[inside]
    attack = attacks_on_foreign_forces(events).to_numpy(dtype=float)[inside]
    per = pd.DataFrame({
        "events": np.bincount(codes, minlength=len(found)),
        "fatalities": np.bincount(codes, weights=np.nan_to_num(deaths), minlength=len(found)),
        "unknown_toll": np.bincount(codes, weights=np.isnan(deaths), minlength=len(found)),
        "attacks_on_foreign_forces": np.bincount(codes, weights=attack, minlength=len(found)),
    }, index=pd.Index(np.asarray(found, dtype=object), name="admin1_code"))
    site_counts = sites.groupby("admin1_code").size().rename("sites")
    out = base.merge(per, left_on="admin1_code", right_index=True, how="left")
    out = out.merge(site_counts, left_on="admin1_code", right_index=True, how="left")
    for col in ("events", "fatalities", "unknown_toll", "attacks_on_foreign_forces", "sites"):
        out[col] = out[col].fillna(0).astype(int)
    out["events_per_site"] = (out["events"] / out["sites"].replace(0, np.nan)).round(2)
    out["events_per_10k_km2"] = (out["events"] / out["area_km2"] * 10_000).round(2)
    return out.sort_values("admin1_code").reset_index(drop=True)


def region_table(table: pd.DataFrame) -> pd.DataFrame:
    """Federal Iraq versus the Kurdistan Region, from the governorate table."""
    sums = table.groupby("region")[["events", "fatalities", "unknown_toll",
                                    "attacks_on_foreign_forces", "sites", "area_km2"]].sum()
    sums["events_per_site"] = (sums["events"] / sums["sites"].replace(0, np.nan)).round(2)
    sums["events_per_10k_km2"] = (sums["events"] / sums["area_km2"] * 10_000).round(2)
    return sums.reset_index()


# The metrics a map or a chart can show, with their labels (shown with `_()`).
METRICS = {
    "events": N_("Events"),
    "fatalities": N_("Deaths reported (at least; unknown tolls not counted)"),
    "attacks_on_foreign_forces": N_("Attacks on US/coalition forces"),
    "events_per_10k_km2": N_("Events per 10,000 km²"),
    "sites": N_("Foreign-force sites"),
}


US_FORCES = "US forces"


def counted(frame: pd.DataFrame) -> pd.DataFrame:
    """Rows whose figure may enter a total: not from a party to the fighting or an outlet
    aligned with one (those rows are shown, flagged, and kept out of totals)."""
    if "partisan" not in frame:
        return frame
    return frame[frame["partisan"].fillna("").astype(str).str.strip() == ""]


def latest_troop_level(levels: pd.DataFrame, today: pd.Timestamp | None = None,
                       force: str = US_FORCES) -> pd.Series | None:
    """The most recent reported, non-partisan national figure for `force` on or before
    `today`."""
    today = today or pd.Timestamp.today().normalize()
    levels = counted(levels)
    reported = levels[(levels["status_kind"] == "reported") & levels["as_of_date"].notna()
                      & (levels["as_of_date"] <= today) & (levels["force"] == force)]
    if reported.empty:
        return None
    return reported.sort_values("as_of_date", kind="stable").iloc[-1]


def key_dates(events: pd.DataFrame, transition: pd.DataFrame,
              milestones: pd.DataFrame | None = None) -> pd.DataFrame:
    """Dates the timelines mark, read from the data, not typed in: the January 2020 strike, the
    planned end of each transition phase, and the milestones (those marked `key` are labelled
    lines, the others markers). Columns: date, label, key, description."""
    rows = []
    strike = events[events["event_id"] == "IRQ-CUR-0004"]
    if len(strike):
        # Translators: a dated line on the timelines (3 January 2020)
        rows.append((strike["event_date"].iloc[0], _("Jan 2020 strike at Baghdad airport"), True,
                     _("US drone strike kills Qassem Soleimani and Abu Mahdi al-Muhandis.")))
    planned = transition[(transition["status_kind"] == "planned") & transition["end_date"].notna()]
    # a later revision of a plan keeps the phase's deadline: one line per phase and date
    planned = planned.drop_duplicates(["phase", "end_date"])
    for _row, r in planned.sort_values("phase", kind="stable").iterrows():
        # Translators: a dated line on the timelines: the coalition's transition phase {phase}
        # (1 or 2) ends in {area} (Federal Iraq, Kurdistan Region)
        label = _("Phase {phase} deadline ({area})").format(phase=number(r["phase"]),
                                                              area=_(str(r["area"])))
        rows.append((r["end_date"], label, True, str(r["description"])))
    if milestones is not None and len(milestones):
        # a deadline milestone on a phase's end date is already that phase's line
        same = milestones["kind"].eq("deadline") & milestones["date"].isin(planned["end_date"])
        key = (milestones["key"].fillna("").eq("yes") if "key" in milestones
               else pd.Series(False, index=milestones.index))
        shown = milestones.assign(is_key=key.astype(bool))[~same].sort_values("date", kind="stable")
        rows += [(r.date, str(r.title), bool(r.is_key), str(r.description))
                 for r in shown.itertuples()]
    out = pd.DataFrame(rows, columns=["date", "label", "key", "description"])
    return out.sort_values("date", kind="stable").reset_index(drop=True)


def as_of(*frames_and_columns: tuple[pd.DataFrame, str]) -> pd.Timestamp | None:
    """Latest date found across the given (frame, column) pairs: the data's 'as of' date."""
    dates = [df[col].max() for df, col in frames_and_columns if len(df) and col in df]
    dates = [d for d in dates if pd.notna(d)]
    return max(dates) if dates else None


def latest_site_status(deployments: pd.DataFrame) -> pd.DataFrame:
    """Per site, the most recent reported row (by as_of_date) and the most recent plan."""
    dep = deployments.copy()
    dep["when"] = dep["as_of_date"].fillna(dep["end_date"]).fillna(dep["start_date"])
    dep = dep.sort_values(["site_id", "when"], kind="stable", na_position="first")
    reported = dep[dep["status_kind"] == "reported"].groupby("site_id").tail(1)
    planned = dep[dep["status_kind"] == "planned"].groupby("site_id").tail(1)
    cols = ["site_id", "site_name", "region", "admin1_name", "status", "when", "personnel",
            "personnel_qualifier", "source_publisher", "source_url"]
    out = reported[cols].rename(columns={"status": "reported_status", "when": "reported_as_of"})
    plan = planned[["site_id", "status", "end_date"]].rename(
        columns={"status": "planned_status", "end_date": "planned_by"})
    out = out.merge(plan, on="site_id", how="outer")
    return out.sort_values(["region", "site_id"]).reset_index(drop=True)


def foreign_force_sites(sites: pd.DataFrame, deployments: pd.DataFrame) -> pd.DataFrame:
    """The sites where a deployment row reports or plans foreign forces: the map's "foreign-force
    sites". sites.csv also lists places GeoNames lacks (oil fields, camps, crossings) for the
    geocoder; those are not foreign-force sites."""
    return sites[sites["site_id"].isin(deployments["site_id"])]


def latest_personnel(deployments: pd.DataFrame) -> pd.Series:
    """Per site, the most recent published, non-partisan personnel figure (sites without one
    are absent)."""
    known = counted(deployments).dropna(subset=["personnel"]).sort_values("as_of_date",
                                                                          kind="stable")
    return known.groupby("site_id")["personnel"].last()
