"""Surge alerts: which governorates (or districts) saw violence jump in the last four weeks.

Two flags, side by side (docs/analyst_tools.md):

- **ACLED's rule** (Subnational Threat Tracker): the last 4 weeks have at least twice the
  4-week mean of the 52 weeks before them (an increase of 100 % or more), counted only where
  that mean is at least one event, so one event in a quiet place does not raise an alarm.
- **A tail probability** that handles small counts: the chance of seeing at least this many
  events in 4 weeks if the baseline rate still held, from a negative binomial fitted to the 13
  baseline 4-week blocks (their variance over their mean; a Poisson when they are not
  over-dispersed). A baseline of zero is taken as half an event a year, so a first event is
  not certain to be "impossible". Flagged when p < `P_FLAG`.

Violent events only, as ACLED counts them: battles, explosions/remote violence, violence
against civilians, riots, and the excessive force against protesters sub-event; peaceful
protests are left out. Everything is vectorised over the events (a million in a few seconds).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from geo.data.i18n import N_, _

RECENT_DAYS = 28
BASELINE_BLOCKS = 13  # 13 x 4 weeks = 52 weeks before the recent window
RATIO_FLAG = 2.0
MIN_BASELINE = 1.0
P_FLAG = 0.01
ZERO_RATE = 0.5 / BASELINE_BLOCKS  # half an event a year, per 4-week block
VIOLENT_TYPES = ("Battles", "Explosions/Remote violence", "Violence against civilians", "Riots")
VIOLENT_SUB_TYPES = ("Excessive force against protesters",)
ALERT_COLUMNS = ["admin1_code", "admin1_name", "last_4w", "baseline_4w_mean", "ratio", "p_value",
                 "flag"]
# The flags are values of the table (and of its CSV); `flag_text` shows them translated.
# Translators: a surge alert's flag: ACLED's rule (at least twice the year's 4-week mean) was met
ACLED_FLAG = N_("ACLED rule")
# Translators: a surge alert's flag: so many events are unlikely at the baseline rate (p < 1 %)
STAT_FLAG = N_("unlikely at baseline")


def flag_text(flag: str) -> str:
    """A table's `flag` ("ACLED rule; unlikely at baseline") in the reader's language."""
    return "; ".join(_(part) for part in flag.split("; ")) if flag else ""


def violent(events: pd.DataFrame) -> pd.Series:
    """The events ACLED's trackers count as political violence."""
    return (events["event_type"].isin(VIOLENT_TYPES)
            | events["sub_event_type"].isin(VIOLENT_SUB_TYPES))


def alerts(events: pd.DataFrame, areas: pd.DataFrame, as_of: pd.Timestamp | str | None = None,
           key: str = "admin1_code", name: str = "admin1_name") -> pd.DataFrame:
    """One row per area of `areas` (columns `key`, `name`): recent count, baseline mean, ratio,
    p-value and flag, as of the end of `as_of` (default: the last event date). Areas with no
    events are listed too, with zeros: a quiet area is an answer, not a gap."""
    ev = events.loc[violent(events), [key, "event_date"]].dropna()
    dates = pd.to_datetime(ev["event_date"])
    end = (pd.Timestamp(as_of) if as_of is not None else dates.max()).normalize() + pd.Timedelta(days=1)
    if pd.isna(end):
        end = pd.Timestamp.today().normalize()
    # block 0 = the last 28 days before `end`; blocks 1..13 = the 52 weeks before them
    block = ((end - dates).dt.days - 1).floordiv(RECENT_DAYS).to_numpy()
    inside = (dates < end).to_numpy() & (block <= BASELINE_BLOCKS)
    counts = pd.crosstab(ev[key].to_numpy()[inside], block[inside])
    counts = counts.reindex(index=areas[key], columns=range(BASELINE_BLOCKS + 1), fill_value=0)
    last = counts[0].to_numpy(dtype=float)
    base = counts.loc[:, 1:].to_numpy(dtype=float)
    mean = base.mean(axis=1)
    var = base.var(axis=1, ddof=1)
    p = tail_probability(last, mean, var)
    ratio = np.where(mean > 0, last / np.where(mean > 0, mean, 1), np.where(last > 0, np.inf, np.nan))
    acled = (mean >= MIN_BASELINE) & (last >= RATIO_FLAG * mean)
    stat = (last > 0) & (p < P_FLAG)
    flag = np.select([acled & stat, acled, stat], [f"{ACLED_FLAG}; {STAT_FLAG}", ACLED_FLAG,
                                                   STAT_FLAG], "")
    out = pd.DataFrame({key: areas[key].to_numpy(), name: areas[name].to_numpy(),
                        "last_4w": last.astype(int), "baseline_4w_mean": mean.round(2),
                        "ratio": np.round(ratio, 2), "p_value": np.round(p, 4), "flag": flag})
    out.attrs["window"] = (end - pd.Timedelta(days=RECENT_DAYS), end - pd.Timedelta(days=1))
    out.attrs["baseline"] = (end - pd.Timedelta(days=RECENT_DAYS * (BASELINE_BLOCKS + 1)),
                             end - pd.Timedelta(days=RECENT_DAYS + 1))
    order = np.lexsort((out[key].to_numpy(), out["p_value"].to_numpy(), out["flag"].eq("").to_numpy()))
    result = out.iloc[order].reset_index(drop=True)
    result.attrs = out.attrs
    return result


def tail_probability(last: np.ndarray, mean: np.ndarray, var: np.ndarray) -> np.ndarray:
    """P(X >= last) under the baseline: negative binomial with the blocks' variance when they
    are over-dispersed, Poisson otherwise; a zero baseline counts as `ZERO_RATE`."""
    mu = np.maximum(mean, ZERO_RATE)
    over = np.nan_to_num(var) > mu * 1.0001
    p_pois = stats.poisson.sf(last - 1, mu)
    # NB(n, p) with mean mu and variance var: p = mu / var, n = mu^2 / (var - mu)
    v = np.where(over, var, mu * 2)
    n = mu**2 / (v - mu)
    p_nb = stats.nbinom.sf(last - 1, n, mu / v)
    return np.where(last <= 0, 1.0, np.where(over, p_nb, p_pois))
