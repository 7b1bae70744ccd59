"""Run a text operation once per distinct value.

Why: columns of a conflict-data export repeat a few thousand values over a million rows (dates,
actors, types, precision codes, admin names), and pandas' regular expressions and date parsing
run value by value. Factorising first makes them cost what the distinct values cost.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

SAMPLE = 5_000


def per_value(values: pd.Series, fn: Callable[[pd.Series], pd.Series]) -> pd.Series:
    """`fn(values)`, computed on the distinct values and spread back (same index, same order).
    Falls through to `fn(values)` when most values are distinct anyway (judged on a sample first:
    factorising a million distinct notes costs as much as the operation it would save)."""
    if len(values) > 2 * SAMPLE:
        sample = values.iloc[:: len(values) // SAMPLE]
        if sample.nunique(dropna=False) * 2 > len(sample):
            return fn(values)
    codes, uniques = pd.factorize(values, use_na_sentinel=False)
    if len(uniques) * 2 > len(values):
        return fn(values)
    done = fn(pd.Series(uniques, dtype=values.dtype))
    return pd.Series(done.take(codes).to_numpy(), index=values.index, dtype=done.dtype,
                     name=values.name)
