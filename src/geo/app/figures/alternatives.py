"""Text alternatives of the charts and maps (WCAG 1.1.1, issue 27): a sentence a screen reader
reads (what the figure shows and its main figures) and the data behind it as a table.

Generated from the figure itself, so they always say what it draws for the current filter: a
chart's series and their values, a map's layers and how many marks each draws.
"""

from __future__ import annotations

import base64

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from geo.data.i18n import _, day, month, ngettext, number

MAP_TYPES = frozenset({"scattermap", "choroplethmap", "densitymap"})


def _values(values) -> np.ndarray:
    """A trace's values as a flat array (Plotly holds tuples, arrays, a lone value, or, in a
    figure that went through a cache's pickle, a base64 typed array: {"dtype", "bdata"})."""
    if values is None:
        return np.asarray([], dtype=object)
    if isinstance(values, dict) and "bdata" in values and "dtype" in values:
        raw = base64.b64decode(values["bdata"])
        return np.frombuffer(raw, dtype=np.dtype(values["dtype"])).astype(object).reshape(-1)
    if isinstance(values, (str, bytes, dict)):
        return np.asarray([values], dtype=object)
    return np.asarray(values, dtype=object).reshape(-1)


def is_map(fig: go.Figure) -> bool:
    return any(t.type in MAP_TYPES for t in fig.data)


def chart_table(fig: go.Figure) -> pd.DataFrame:
    """The values a chart draws, one row per mark: its series, its category or date, its value.
    A map: one row per layer, with how many marks it draws."""
    if is_map(fig):
        rows = [{_("Layer"): t.name or "", _("Marks"): len(_values(
            t.lat if t.type != "choroplethmap" else t.locations))}
            for t in fig.data if t.showlegend is not False and t.name]
        return pd.DataFrame(rows, columns=[_("Layer"), _("Marks")])
    parts = []
    for t in fig.data:
        x, y = _values(getattr(t, "x", None)), _values(getattr(t, "y", None))
        if not len(x) or len(x) != len(y):
            continue
        if getattr(t, "orientation", None) == "h":
            x, y = y, x  # horizontal bars: the category is on y
        parts.append(pd.DataFrame({_("Series"): t.name or "", _("Category or date"): x,
                                   _("Value"): pd.to_numeric(pd.Series(y), errors="coerce")}))
    if not parts:
        return pd.DataFrame(columns=[_("Series"), _("Category or date"), _("Value")])
    table = pd.concat(parts, ignore_index=True)
    return table[table[_("Value")].notna()].reset_index(drop=True)


def _dates(values: pd.Index) -> pd.Series:
    """The values as dates when all of them are (a time axis), else all NaT."""
    return pd.to_datetime(pd.Series(values, dtype=object), errors="coerce", format="ISO8601")


def _label(value: object, monthly: bool) -> str:
    when = _dates(pd.Index([value])).iloc[0]
    if pd.isna(when):
        return str(value)
    return month(when) if monthly else day(when)


def describe(fig: go.Figure, title: str) -> str:
    """One or two sentences: what `fig` shows and its main figures, in the reader's language."""
    if is_map(fig):
        table = chart_table(fig)
        layers = "; ".join(f"{name} ({number(n)})" for name, n in table.itertuples(index=False))
        # Translators: a map's text alternative: {title} the map's name, {layers} its layers
        # with how many marks each draws ("Events (120); Foreign-force sites (30)")
        return _("{title}: a map of Iraq. Layers and marks drawn: {layers}.").format(
            title=title, layers=layers or _("none"))
    table = chart_table(fig)
    if table.empty:
        # Translators: a chart's text alternative when the filter leaves nothing to draw
        return _("{title}: nothing to draw for this filter.").format(title=title)
    totals = table.groupby(_("Category or date"), sort=False)[_("Value")].sum()
    when = _dates(totals.index)
    dated = bool(when.notna().all())
    if dated:  # a time axis: first and last in time, whatever the series order
        totals = totals.iloc[np.argsort(when.to_numpy(), kind="stable")]
    monthly = dated and bool((when.dt.day == 1).all())  # monthly bins read "Mar 2026"
    top = totals.idxmax()
    series = table[_("Series")].nunique()
    # Translators: a chart's text alternative: {title} the chart's name, {first} and {last} its
    # first and last category or date, {n} how many it has, {series} how many series (lines or
    # colours), {peak} the highest total and {at} where it is
    return ngettext("{title}: {n} value from {first} to {last}, {series} series; highest {peak} "
                    "at {at}.",
                    "{title}: {n} values from {first} to {last}, {series} series; highest {peak} "
                    "at {at}.", len(totals)).format(
        title=title, n=number(len(totals)), first=_label(totals.index[0], monthly),
        last=_label(totals.index[-1], monthly), series=number(series),
        peak=number(totals.max(), 0), at=_label(top, monthly))
