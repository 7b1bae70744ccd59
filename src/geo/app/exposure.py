"""Site exposure: attacks on US/coalition and diplomatic sites around each foreign-force site,
per period of its reported status, and how the rate changed at each status change.

- **Periods** come from the reported deployment rows (plans are not changes that happened):
  each row's date (`as_of_date`, else `end_date`, else `start_date`) starts a period with its
  status; consecutive rows with the same status are one period; the last period ends at the
  end of the events' coverage, so time the data do not cover is never counted as quiet.
- **Attacks** are events whose direction is "Attacks on US/coalition and diplomatic sites",
  counted within each radius of the site (geodesic distance) and in the site's governorate.
- **Rate ratio** against the previous period with its exact 95 % interval (the conditional
  binomial method for two Poisson counts). With fewer than `MIN_EVENTS` attacks in the two
  periods together the note says the counts are too small to conclude.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from geo.app.direction import ATTACKS, direction
from geo.data.i18n import N_, _, ngettext, number

RADII_KM = (10.0, 25.0, 50.0)
# What `exposure` and `attacks_near` read of the events (the direction column when loaded)
EVENT_COLUMNS = ["event_id", "event_date", "latitude", "longitude", "admin1_code", "location",
                 "sub_event_type", "actor1", "actor2", "target", "event_type", "fatalities",
                 "direction"]
# Translators: the exposure table's "radius" of the row counting the site's whole governorate
GOVERNORATE = N_("governorate")
MIN_EVENTS = 10
# The notes of the exposure table: values of the table and its CSV (in English), shown with
# `note_text`.
NOTE_PAST_COVERAGE = N_("after the end of the data's coverage")
NOTE_FIRST_CLIPPED = N_("first reported status; reported before the data begin, counted from "
                        "their first day")
NOTE_FIRST = N_("first reported status")
NOTE_NO_ATTACKS = N_("no attacks in this or the previous period")
NOTE_TOO_FEW = f"fewer than {MIN_EVENTS} attacks in the two periods: too few to conclude"
EXPOSURE_COLUMNS = ["site_id", "site_name", "status", "period_start", "period_end", "days",
                    "radius_km", "attacks", "attacks_per_30d", "rate_ratio_vs_previous", "ci_low",
                    "ci_high", "note"]
_EARTH_KM = 6371.0088


def periods(deployments: pd.DataFrame, coverage_end: pd.Timestamp,
            coverage_start: pd.Timestamp | None = None) -> pd.DataFrame:
    """Per site, the periods of its reported status: site_id, status, period_start, period_end
    (inclusive), days, within the events' coverage (a status reported before the data begin is
    counted from their first day). A period after the coverage end is kept with 0 days."""
    dep = deployments[deployments["status_kind"] == "reported"].copy()
    dep["when"] = pd.to_datetime(dep["as_of_date"].fillna(dep["end_date"]).fillna(dep["start_date"]))
    dep = dep.dropna(subset=["when"]).sort_values(["site_id", "when"], kind="stable")
    # two rows of one day: the later row of the file is the day's status
    dep = dep.drop_duplicates(["site_id", "when"], keep="last")
    status = dep["status"].astype(str)
    new = status.ne(status.groupby(dep["site_id"]).shift(fill_value="")).to_numpy(dtype=bool)
    starts = dep[new][["site_id", "status", "when"]].rename(columns={"when": "period_start"})
    nxt = starts.groupby("site_id")["period_start"].shift(-1)
    end = (nxt - pd.Timedelta(days=1)).fillna(coverage_end)
    starts["period_end"] = end.where(end <= coverage_end, coverage_end)
    if coverage_start is not None:
        starts["clipped"] = starts["period_start"] < coverage_start
        starts["period_start"] = starts["period_start"].where(~starts["clipped"], coverage_start)
        starts = starts[starts["period_end"] >= coverage_start]
    else:
        starts["clipped"] = False
    starts["days"] = ((starts["period_end"] - starts["period_start"]).dt.days + 1).clip(lower=0)
    return starts.reset_index(drop=True)


def _distance_km(lat1: np.ndarray, lon1: np.ndarray, lat2: np.ndarray, lon2: np.ndarray) -> np.ndarray:
    """Great-circle distances (haversine) between every site (rows) and event (columns)."""
    p1, p2 = np.radians(lat1)[:, None], np.radians(lat2)[None, :]
    dlat = p2 - p1
    dlon = np.radians(lon2)[None, :] - np.radians(lon1)[:, None]
    a = np.sin(dlat / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dlon / 2) ** 2
    return 2 * _EARTH_KM * np.arcsin(np.sqrt(a))


def rate_ratio(a1: np.ndarray, t1: np.ndarray, a0: np.ndarray, t0: np.ndarray
               ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Rate ratio (a1/t1)/(a0/t0) with an exact 95 % interval: a1 given a1 + a0 is binomial
    with p = t1·r / (t1·r + t0); Clopper–Pearson bounds on p, turned back into ratios. NaN
    where either period has no time or there are no attacks in either."""
    a1, a0 = np.asarray(a1, float), np.asarray(a0, float)
    t1, t0 = np.asarray(t1, float), np.asarray(t0, float)
    n = a1 + a0
    ok = (t1 > 0) & (t0 > 0) & (n > 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        rr = np.where(ok & (a0 > 0), (a1 / t1) / (a0 / t0), np.where(ok, np.inf, np.nan))
        lo_p = np.where(a1 > 0, stats.beta.ppf(0.025, a1, n - a1 + 1), 0.0)
        hi_p = np.where(a1 < n, stats.beta.ppf(0.975, a1 + 1, n - a1), 1.0)
        lo = np.where(ok, lo_p / (1 - lo_p) * t0 / t1, np.nan)
        hi = np.where(ok & (hi_p < 1), hi_p / (1 - hi_p) * t0 / t1, np.where(ok, np.inf, np.nan))
    return rr, lo, hi


def exposure(events: pd.DataFrame, sites: pd.DataFrame, deployments: pd.DataFrame,
             radii_km: tuple[float, ...] = RADII_KM, site_ids: list[str] | None = None,
             coverage_end: pd.Timestamp | None = None,
             coverage_start: pd.Timestamp | None = None) -> pd.DataFrame:
    """The table `geo exposure` prints (EXPOSURE_COLUMNS): one row per site, period and
    radius, plus one per site and period for the site's governorate. Coverage defaults to the
    events' first and last dates."""
    attacks = events[direction(events).eq(ATTACKS).to_numpy()].dropna(subset=["latitude", "longitude"])
    dates = pd.to_datetime(attacks["event_date"]).to_numpy()
    all_dates = pd.to_datetime(events["event_date"])
    end = coverage_end if coverage_end is not None else all_dates.max()
    start = coverage_start if coverage_start is not None else all_dates.min()
    per = periods(deployments, pd.Timestamp(end), pd.Timestamp(start))
    placed = sites.dropna(subset=["latitude", "longitude"]).drop_duplicates("site_id")
    if site_ids:
        placed = placed[placed["site_id"].isin(site_ids)]
    per = per.merge(placed[["site_id", "name", "latitude", "longitude", "admin1_code"]],
                    on="site_id", how="inner")
    if per.empty:
        return pd.DataFrame(columns=EXPOSURE_COLUMNS)
    dist = _distance_km(per["latitude"].to_numpy(float), per["longitude"].to_numpy(float),
                        attacks["latitude"].to_numpy(float), attacks["longitude"].to_numpy(float))
    within = ((dates[None, :] >= per["period_start"].to_numpy()[:, None])
              & (dates[None, :] <= per["period_end"].to_numpy()[:, None]))
    same_gov = attacks["admin1_code"].to_numpy()[None, :] == per["admin1_code"].to_numpy()[:, None]
    blocks = [per.assign(radius_km=f"{r:g}", attacks=(within & (dist <= r)).sum(axis=1))
              for r in radii_km]
    blocks.append(per.assign(radius_km=GOVERNORATE, attacks=(within & same_gov).sum(axis=1)))
    out = pd.concat(blocks, ignore_index=True).sort_values(["site_id", "radius_km", "period_start"],
                                                           kind="stable")
    prev = out.groupby(["site_id", "radius_km"])
    a0, t0 = prev["attacks"].shift(), prev["days"].shift()
    rr, lo, hi = rate_ratio(out["attacks"], out["days"], a0.fillna(0), t0.fillna(0))
    first = a0.isna().to_numpy()
    out["rate_ratio_vs_previous"] = np.where(first, np.nan, rr)
    out["ci_low"], out["ci_high"] = np.where(first, np.nan, lo), np.where(first, np.nan, hi)
    out["attacks_per_30d"] = np.where(out["days"] > 0, out["attacks"] / out["days"].clip(lower=1) * 30,
                                      np.nan)
    total = out["attacks"] + a0.fillna(0)
    out["note"] = np.select(
        [out["days"].eq(0), first & out["clipped"], first, total.eq(0), total < MIN_EVENTS],
        [NOTE_PAST_COVERAGE, NOTE_FIRST_CLIPPED, NOTE_FIRST, NOTE_NO_ATTACKS, NOTE_TOO_FEW], "")
    out = out.rename(columns={"name": "site_name"})
    out["period_start"] = out["period_start"].dt.date.astype(str)
    out["period_end"] = out["period_end"].dt.date.astype(str)
    for col in ("attacks_per_30d", "rate_ratio_vs_previous", "ci_low", "ci_high"):
        out[col] = out[col].astype(float).round(3)
    return out[EXPOSURE_COLUMNS].reset_index(drop=True)


def note_text(note: str) -> str:
    """A `note` of the exposure table in the reader's language (the table keeps English)."""
    if note == NOTE_TOO_FEW:
        # Translators: a note of the site exposure table; {n} is 10
        return ngettext("fewer than {n} attack in the two periods: too few to conclude",
                        "fewer than {n} attacks in the two periods: too few to conclude",
                        MIN_EVENTS).format(n=number(MIN_EVENTS))
    return _(note) if note else note


def shown(table: pd.DataFrame) -> pd.DataFrame:
    """The exposure table as a page shows it: its notes and the governorate rows' radius in
    the reader's language (the download keeps the values)."""
    out = table
    if "note" in out:
        out = out.assign(note=out["note"].astype(object).map(
            lambda v: note_text(v) if isinstance(v, str) else v))
    if "radius_km" in out:
        out = out.assign(radius_km=out["radius_km"].astype(object).where(
            out["radius_km"].astype(object) != GOVERNORATE, _(GOVERNORATE)))
    return out


def attacks_near(events: pd.DataFrame, site: pd.Series, max_km: float) -> pd.DataFrame:
    """The attacks on US/coalition and diplomatic sites within `max_km` of one site, with their
    distance (for the Deployments page's timeline ticks)."""
    attacks = events[direction(events).eq(ATTACKS).to_numpy()].dropna(subset=["latitude", "longitude"])
    dist = _distance_km(np.array([float(site["latitude"])]), np.array([float(site["longitude"])]),
                        attacks["latitude"].to_numpy(float), attacks["longitude"].to_numpy(float))[0]
    near = attacks.assign(distance_km=dist.round(1))[dist <= max_km]
    cols = [c for c in ("event_id", "event_date", "location", "sub_event_type", "actor1",
                        "fatalities", "distance_km") if c in near]
    return pd.DataFrame(near[cols]).sort_values("event_date").reset_index(drop=True)
