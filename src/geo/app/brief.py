"""The printable brief: one self-contained HTML file (and, through Chromium, a PDF) for the
current filter — the story, the transition status, a static map, the timeline, top actors,
surge alerts, site exposure, the filtered events and every source cited.

Readable offline and without scripts: the map and the timeline are SVG drawn by matplotlib
with their text turned into outlines, the page's font (DejaVu Sans, shipped with matplotlib,
which covers Arabic) is embedded in the file, and Arabic is left to the browser to shape. Every
text from the data is HTML-escaped; links are kept only when they are http(s).

The brief's own text is in the current language (`geo.data.i18n`; `geo brief --lang`); in Arabic
and Kurdish the page reads right to left, while the map and the timeline keep time and space
running left to right. Text from the data is shown as the sources wrote it.
"""

from __future__ import annotations

import base64
import html
import io
import re
import shutil
import subprocess
import tempfile
from dataclasses import replace
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

from geo.app import aggregate, coverage, filters, story
from geo.app import direction as d
from geo.app.alerts import alerts, flag_text
from geo.app.dataset import Data
from geo.app.exposure import exposure, note_text
from geo.app.filters import Filter
from geo.data import i18n
from geo.data.i18n import _, day, ngettext, number
from geo.data.validate import HTTP_URL

MAX_EVENT_ROWS = 500
FONT = "DejaVuSans.ttf"
KURDISTAN_TINT = "#E69F00"
DAY = "dd MMM y"  # 04 Mar 2026, as strftime's %d %b %Y wrote it


def _e(value: object) -> str:
    """Escaped text; blank for missing values."""
    return "" if value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NA \
        else html.escape(str(value))


def _t(message: str) -> str:
    """Our own (translated) text, escaped like data: a translation is text, never markup."""
    return html.escape(message, quote=False)


def _owned(value: object) -> str:
    """A value the app owns (direction, family, status…) in the reader's language; blank stays
    blank (gettext of "" is the catalog's header)."""
    text = "" if value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value)) \
        else str(value)
    return _(text) if text else text


def _link(url: object, text: object | None = None) -> str:
    label = _e(text if text is not None else url)
    return f'<a href="{_e(url)}">{label}</a>' if isinstance(url, str) and re.match(HTTP_URL, url) \
        else label


def _font_face() -> str:
    import matplotlib

    font = Path(matplotlib.get_data_path()) / "fonts" / "ttf" / FONT
    data = base64.b64encode(font.read_bytes()).decode("ascii")
    return f'@font-face{{font-family:"Brief Sans";src:url(data:font/ttf;base64,{data}) format("truetype");}}'


def _svg(fig) -> str:
    buf = io.StringIO()
    fig.savefig(buf, format="svg", bbox_inches="tight")
    text = buf.getvalue()
    return text[text.index("<svg"):]  # the XML prolog is not allowed inside HTML


def _figure(width: float, height: float):
    import matplotlib

    matplotlib.rcParams["svg.fonttype"] = "path"  # text as outlines: no font needed to read it
    matplotlib.rcParams["svg.hashsalt"] = "geo-brief"  # stable ids: the same brief, byte for byte
    from matplotlib.figure import Figure

    return Figure(figsize=(width, height))


def static_map(data: Data, events: pd.DataFrame, sites: pd.DataFrame) -> str:
    """Governorates (Kurdistan Region tinted), events by direction, foreign-force sites."""
    fig = _figure(6.4, 6.0)
    ax = fig.add_subplot()
    kr = data.admin1["region"].eq("Kurdistan Region").to_numpy()
    data.admin1[~kr].plot(ax=ax, color="#F4F4F4", edgecolor="#777777", linewidth=0.5)
    data.admin1[kr].plot(ax=ax, color=KURDISTAN_TINT, alpha=0.25, edgecolor="#777777", linewidth=0.5)
    placed = events.dropna(subset=["latitude", "longitude"])
    if len(placed) > 50_000:  # a million points would make a file nobody can open: density
        ax.hexbin(placed["longitude"], placed["latitude"], gridsize=60, mincnt=1, cmap="Reds",
                  bins="log", linewidths=0)
    else:
        directions = d.direction(placed).to_numpy()
        for name in d.DIRECTIONS:
            part = placed[directions == name]
            if len(part):
                ax.scatter(part["longitude"], part["latitude"], s=10, color=d.COLORS[name],
                           alpha=0.8, linewidths=0, label=_(name))
    if len(sites):
        ax.scatter(sites["longitude"], sites["latitude"], marker="^", s=40, color="#009E73",
                   edgecolors="black", linewidths=0.4, label=_("Foreign-force site"))
    for row in data.admin1.itertuples():  # 18 labels
        pt = row.geometry.representative_point()
        ax.annotate(row.admin1_name, (pt.x, pt.y), fontsize=6, color="#444444", ha="center")
    ax.set_axis_off()
    ax.set_aspect("equal")
    if ax.get_legend_handles_labels()[0]:
        ax.legend(loc="lower left", fontsize=6, frameon=False)
    return _svg(fig)


def static_timeline(events: pd.DataFrame) -> str:
    """Events per month by direction of violence, every month shown (empty ones too)."""
    fig = _figure(7.5, 2.8)
    ax = fig.add_subplot()
    tl = aggregate.timeline(events, "MS", by=d.COLUMN)
    if len(tl):
        wide = tl.pivot_table(index="period", columns=d.COLUMN, values="events", aggfunc="sum",
                              fill_value=0)
        months = pd.date_range(wide.index.min(), wide.index.max(), freq="MS")
        wide = wide.reindex(months, fill_value=0)
        bottom = np.zeros(len(wide))
        for name in [n for n in d.DIRECTIONS if n in wide.columns]:
            ax.bar(wide.index, wide[name], width=25, bottom=bottom, color=d.COLORS[name],
                   label=_(name))
            bottom += wide[name].to_numpy()
        ax.legend(fontsize=5.5, frameon=False, ncols=2, loc="upper left")
    ax.set_ylabel(_("events per month"), fontsize=7)
    ax.tick_params(labelsize=7)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    return _svg(fig)


def _table(frame: pd.DataFrame, columns: dict[str, str], links: dict[str, str] | None = None,
           numeric: tuple[str, ...] = ()) -> str:
    """An HTML table of `columns` (name -> header); `links` maps a text column to its URL column."""
    links = links or {}
    head = "".join(f"<th>{_e(h)}</th>" for h in columns.values())
    rows = []
    for rec in frame.to_dict("records"):
        cells = []
        for col in columns:
            value = rec.get(col)
            cell = _link(rec.get(links[col]), value) if col in links else _e(value)
            cls = ' class="n"' if col in numeric else ' lang="ar" dir="rtl"' if col.endswith("_ar") \
                else ""
            cells.append(f"<td{cls}>{cell}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def _sources(*frames: pd.DataFrame) -> pd.DataFrame:
    cols = ["source_publisher", "source_date", "source_title", "source_url"]
    parts = [f[[c for c in cols if c in f]] for f in frames if len(f)]
    if not parts:
        return pd.DataFrame(columns=cols)
    every = pd.concat(parts, ignore_index=True).reindex(columns=cols)
    every["source_date"] = pd.to_datetime(every["source_date"], errors="coerce").dt.date
    return every.drop_duplicates().sort_values(["source_publisher", "source_date"],
                                               na_position="last").reset_index(drop=True)


CSS = """
body{font-family:"Brief Sans",sans-serif;font-size:10.5pt;color:#222;max-width:60rem;margin:2rem auto;
padding:0 1rem;line-height:1.4}
h1{font-size:18pt;margin:0 0 .3rem}h2{font-size:13pt;margin:1.6rem 0 .4rem;border-bottom:1px solid #ccc}
.meta{color:#555;font-size:9pt}.phases{display:flex;gap:1rem}.phase{border:1px solid #ccc;padding:.4rem .6rem;
flex:1}table{border-collapse:collapse;width:100%;font-size:8.5pt;margin:.4rem 0}th,td{border:1px solid #ddd;
padding:2px 4px;text-align:left;vertical-align:top}td.n{text-align:right}th{background:#f3f3f3}
svg{max-width:100%;height:auto}a{color:#0b5394;word-break:break-all}
@media print{body{margin:0;max-width:none}h2{break-after:avoid}tr{break-inside:avoid}}
"""
# Right to left (Arabic, Kurdish): text columns start on the right, numbers end on the left,
# and a cell or a source of English data text keeps its own direction.
CSS_RTL = "th,td{text-align:right}td.n{text-align:left}td,li{unicode-bidi:plaintext}"


def _h2(text: str) -> str:
    """A heading of ours (escaped: a translation is text)."""
    return f"<h2>{_t(text)}</h2>"


def _deadline(when: pd.Timestamp | None) -> str:
    # Translators: a transition phase's planned end date in the brief
    return _("deadline {date}").format(date=day(when, DAY)) if when is not None \
        else _("no deadline stated")


def _source_item(r) -> str:
    when = f", {_e(r.source_date)}" if pd.notna(r.source_date) else ""
    title = r.source_title if isinstance(r.source_title, str) and r.source_title else r.source_url
    return f"<li>{_e(r.source_publisher)}{when}: {_link(r.source_url, title)}</li>"


def brief_html(data: Data, f: Filter, today: date | None = None, lang: str | None = None) -> str:
    """The whole brief as one HTML document, in `lang` (default: the current language)."""
    if lang is not None:
        with i18n.use(lang):
            return _brief_html(data, f, today)
    return _brief_html(data, f, today)


def _brief_html(data: Data, f: Filter, today: date | None) -> str:
    today = today or date.today()
    lang = i18n.current()
    events = filters.apply(data.events, f)
    sites = filters.apply_places(data.sites, f).dropna(subset=["latitude", "longitude"])
    names = data.admin1_names
    cover = coverage.text(data.coverage)
    dates = pd.to_datetime(data.events["event_date"])
    period = (pd.Timestamp(f.start or dates.min()), pd.Timestamp(f.end or dates.max())) \
        if f.start or f.end else None
    said = story.sentences(events, data.troop_levels, period, (dates.min(), dates.max()))
    phases = story.transition_status(data.transition)

    last = min(pd.Timestamp(f.end), dates.max()) if f.end else dates.max()
    undated = filters.apply(data.events, replace(f, start=None, end=None))
    alert = alerts(undated, pd.DataFrame(data.admin1[["admin1_code", "admin1_name"]]), last)
    alert = alert.assign(name_ar=alert["admin1_code"].map(dict(zip(
        data.admin1["admin1_code"], data.admin1.get("name_ar", data.admin1["admin1_name"]),
        strict=True))))
    a_end, base_start = alert.attrs["window"][1], alert.attrs["baseline"][0]
    flagged = alert[alert["flag"] != ""]
    expo = exposure(undated, data.sites, data.deployments, (25.0,))
    expo = expo[expo["radius_km"] == "25"]

    top = aggregate.counts_by_family(events, "actor1", top=10) if len(events) else pd.DataFrame()
    newest = events.sort_values("event_date", ascending=False).head(MAX_EVENT_ROWS).assign(
        direction=lambda e: d.direction(e), date=lambda e: pd.to_datetime(e["event_date"]).dt.date,
        deaths=lambda e: e["fatalities"].astype("Int64").astype(str).replace("<NA>", _("unknown")))
    newest = newest.assign(direction=newest["direction"].map(_owned))
    if len(top):
        top = top.assign(family=top["family"].map(_owned))
    alert = alert.assign(flag=alert["flag"].map(lambda v: flag_text(v) if isinstance(v, str) else v))
    if len(expo):
        expo = expo.assign(status=expo["status"].map(_owned),
                           note=expo["note"].map(lambda v: note_text(v) if isinstance(v, str) else v))
    sources = _sources(events, data.transition, data.troop_levels, data.deployments)
    rtl = i18n.is_rtl(lang)

    n = len(events)
    meta = " ".join([
        # Translators: the brief's first line; {date} is the day it was made
        _t(_("Generated {date} by the Iraq security dashboard.")).format(
            date=_t(day(today, "dd MMMM y"))),
        # Translators: {filter} describes the filter, e.g. "governorates: Baghdad"
        _t(_("Filter: {filter}.")).format(filter=_e(filters.describe(f, names))),
        _e(cover) + ".",
        _t(ngettext("{n} event matches.", "{n} events match.", n)).format(n=number(n))])
    phase_boxes = [
        '<div class="phase"><strong>'
        # Translators: a transition phase in the brief, e.g. "Phase 1 · Federal Iraq"
        + _t(_("Phase {phase} · {area}")).format(phase=number(p.phase), area=_e(_owned(p.area)))
        + "</strong><br>" + _t(_deadline(p.deadline)) + "<br>" + _e(p.outcome) + " ("
        # Translators: {source} is the publisher
        + _t(_("source: {source}")).format(source=_link(p.source_url, p.source_publisher))
        + ")</div>" for p in phases]
    html_tag = f'<html lang="{lang}" dir="rtl">' if rtl else f'<html lang="{lang}">'
    parts = [
        "<!doctype html>", html_tag + '<head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        "<title>" + _t(_("Iraq security brief")) + "</title>",
        f"<style>{_font_face()}{CSS}{CSS_RTL if rtl else ''}</style></head><body>",
        "<h1>" + _t(_("Iraq: attacks, strikes and foreign forces — brief")) + "</h1>",
        f'<p class="meta">{meta}</p>',
        _h2(_("What the data says")), f"<p>{_e(' '.join(said))}</p>",
        _h2(_("Transition of the coalition mission")), '<div class="phases">', *phase_boxes,
        "</div>",
        _h2(_("Map")), static_map(data, events, sites),
        '<p class="meta">' + _t(_(
            "Events by direction of violence; triangles: foreign-force sites; tinted: the "
            "Kurdistan Region. Boundaries: Natural Earth, redrawn near Baghdad from GeoNames and "
            "SimpleMaps towns (approximate there; see data/README.md).")) + "</p>",
        _h2(_("Timeline")), static_timeline(events),
        _h2(_("Top actors (first actor, by family)")),
        _table(top, {"family": _("Actor family"), "events": _("Events"),
                     "fatalities": _("Deaths reported"), "unknown_toll": _("Unknown toll")},
               numeric=("events", "fatalities", "unknown_toll")) if len(top)
        else "<p>" + _t(_("No events.")) + "</p>",
        # Translators: a heading of the brief; {date} is the last day of the 4 weeks
        _h2(_("Surge alerts: 4 weeks to {date}").format(date=day(a_end, DAY))),
        "<p>" + " ".join([
            # Translators: {date} is the first day of the 52 weeks
            _t(_("Against the 4-week mean of the 52 weeks before (from {date}).").format(
                date=day(base_start, DAY))),
            _t(_("ACLED rule: at least twice that mean, where it is at least one event; unlikely "
                 "at baseline: tail probability under 1 %.")),
            # Translators: {n} of the {total} governorates have a surge alert
            _t(ngettext("{n} of {total} governorate flagged.",
                        "{n} of {total} governorates flagged.", len(alert)).format(
                n=number(len(flagged)), total=number(len(alert))))]) + "</p>",
        _table(alert, {"admin1_name": _("Governorate"), "name_ar": "الاسم",
                       "last_4w": _("Last 4 weeks"), "baseline_4w_mean": _("Baseline mean"),
                       "ratio": _("Ratio"), "p_value": "p", "flag": _("Flag")},
               numeric=("last_4w", "baseline_4w_mean", "ratio", "p_value")),
        _h2(_("Site exposure: attacks within 25 km, per reported status")),
        _table(expo, {"site_name": _("Site"), "status": _("Status"), "period_start": _("From"),
                      "period_end": _("To"), "days": _("Days"), "attacks": _("Attacks"),
                      "attacks_per_30d": _("Per 30 days"),
                      "rate_ratio_vs_previous": _("Ratio vs before"),
                      # Translators: the bounds of a 95 % confidence interval
                      "ci_low": _("95 % low"), "ci_high": _("95 % high"), "note": _("Note")},
               numeric=("days", "attacks", "attacks_per_30d", "rate_ratio_vs_previous",
                        "ci_low", "ci_high")) if len(expo)
        else "<p>" + _t(_("No site matches.")) + "</p>",
        # Translators: a heading of the brief: the newest {shown} of the {total} events
        _h2(_("Events ({shown} newest of {total})").format(
            shown=number(min(n, MAX_EVENT_ROWS)), total=number(n))),
        _table(newest, {"date": _("Date"), "direction": _("What happened"),
                        "location": _("Where"), "actor1": _("By"), "target": _("Target"),
                        "deaths": _("Deaths"), "notes": _("Notes"),
                        "source_publisher": _("Source")},
               links={"source_publisher": "source_url"}),
        # Translators: a heading of the brief; {n} is how many sources
        _h2(_("Sources cited ({n})").format(n=number(len(sources)))),
        "<ol>" + "".join(_source_item(r) for r in sources.itertuples()) + "</ol>",
        "</body></html>",
    ]
    return "\n".join(parts)


def chromium() -> str | None:
    """The Chromium the PDF is printed with (Debian's), if there is one."""
    return shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")


def write_pdf(html_text: str, out: Path, browser: str | None = None) -> None:
    """Print the brief to PDF with headless Chromium (fonts embedded by Chromium)."""
    browser = browser or chromium()
    if browser is None:
        raise RuntimeError("a PDF needs Chromium (e.g. Debian's `chromium`); write --out brief.html "
                           "and print it from a browser instead")
    with tempfile.TemporaryDirectory(prefix="geo-brief-") as tmp:
        page = Path(tmp) / "brief.html"
        page.write_text(html_text, encoding="utf-8")
        target = Path(tmp) / "brief.pdf"
        done = subprocess.run(
            [browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
             "--no-pdf-header-footer", f"--print-to-pdf={target}", page.as_uri()],
            capture_output=True, text=True, timeout=180)
        if done.returncode != 0 or not target.exists():
            raise RuntimeError(f"Chromium could not print the PDF: {done.stderr.strip()[-300:]}")
        out.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(str(target), out)
