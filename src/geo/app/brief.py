"""The printable brief: one self-contained HTML file (and, through Chromium, a PDF) for the
current filter — the story, the transition status, a static map, the timeline, top actors,
surge alerts, site exposure, the filtered events and every source cited.

Readable offline and without scripts: the map and the timeline are SVG drawn by matplotlib
with their text turned into outlines, the page's font (DejaVu Sans, shipped with matplotlib,
which covers Arabic) is embedded in the file, and Arabic is left to the browser to shape. Every
text from the data is HTML-escaped; links are kept only when they are http(s).
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
from geo.app.alerts import alerts
from geo.app.dataset import Data
from geo.app.exposure import exposure
from geo.app.filters import Filter
from geo.data.validate import HTTP_URL

MAX_EVENT_ROWS = 500
FONT = "DejaVuSans.ttf"
KURDISTAN_TINT = "#E69F00"


def _e(value: object) -> str:
    """Escaped text; blank for missing values."""
    return "" if value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NA \
        else html.escape(str(value))


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
                           alpha=0.8, linewidths=0, label=name)
    if len(sites):
        ax.scatter(sites["longitude"], sites["latitude"], marker="^", s=40, color="#009E73",
                   edgecolors="black", linewidths=0.4, label="Foreign-force site")
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
            ax.bar(wide.index, wide[name], width=25, bottom=bottom, color=d.COLORS[name], label=name)
            bottom += wide[name].to_numpy()
        ax.legend(fontsize=5.5, frameon=False, ncols=2, loc="upper left")
    ax.set_ylabel("events per month", fontsize=7)
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


def _deadline(when: pd.Timestamp | None) -> str:
    return f"deadline {when:%d %b %Y}" if when is not None else "no deadline stated"


def _source_item(r) -> str:
    when = f", {_e(r.source_date)}" if pd.notna(r.source_date) else ""
    title = r.source_title if isinstance(r.source_title, str) and r.source_title else r.source_url
    return f"<li>{_e(r.source_publisher)}{when}: {_link(r.source_url, title)}</li>"


def brief_html(data: Data, f: Filter, today: date | None = None) -> str:
    """The whole brief as one HTML document."""
    today = today or date.today()
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
        deaths=lambda e: e["fatalities"].astype("Int64").astype(str).replace("<NA>", "unknown"))
    sources = _sources(events, data.transition, data.troop_levels, data.deployments)

    parts = [
        "<!doctype html>", '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        "<title>Iraq security brief</title>", f"<style>{_font_face()}{CSS}</style></head><body>",
        "<h1>Iraq: attacks, strikes and foreign forces — brief</h1>",
        f'<p class="meta">Generated {today:%d %B %Y} by the Iraq security dashboard. Filter: '
        f"{_e(filters.describe(f, names))}. {_e(cover)}. {len(events):,} events match.</p>",
        "<h2>What the data says</h2>", f"<p>{_e(' '.join(said))}</p>",
        "<h2>Transition of the coalition mission</h2>", '<div class="phases">',
        *[f'<div class="phase"><strong>Phase {p.phase} · {_e(p.area)}</strong><br>'
          f"{_deadline(p.deadline)}<br>{_e(p.outcome)} "
          f"(source: {_link(p.source_url, p.source_publisher)})</div>" for p in phases],
        "</div>",
        "<h2>Map</h2>", static_map(data, events, sites),
        '<p class="meta">Events by direction of violence; triangles: foreign-force sites; tinted: '
        "the Kurdistan Region. Boundaries: Natural Earth, redrawn near Baghdad from GeoNames and "
        "SimpleMaps towns (approximate there; see data/README.md).</p>",
        "<h2>Timeline</h2>", static_timeline(events),
        "<h2>Top actors (first actor, by family)</h2>",
        _table(top, {"family": "Actor family", "events": "Events", "fatalities": "Deaths reported",
                     "unknown_toll": "Unknown toll"},
               numeric=("events", "fatalities", "unknown_toll")) if len(top) else "<p>No events.</p>",
        f"<h2>Surge alerts: 4 weeks to {a_end:%d %b %Y}</h2>",
        f"<p>Against the 4-week mean of the 52 weeks before (from {base_start:%d %b %Y}). ACLED "
        "rule: at least twice that mean, where it is at least one event; unlikely at baseline: "
        f"tail probability under 1 %. {len(flagged)} of {len(alert)} governorates flagged.</p>",
        _table(alert, {"admin1_name": "Governorate", "name_ar": "الاسم", "last_4w": "Last 4 weeks",
                       "baseline_4w_mean": "Baseline mean", "ratio": "Ratio", "p_value": "p",
                       "flag": "Flag"},
               numeric=("last_4w", "baseline_4w_mean", "ratio", "p_value")),
        "<h2>Site exposure: attacks within 25 km, per reported status</h2>",
        _table(expo, {"site_name": "Site", "status": "Status", "period_start": "From",
                      "period_end": "To", "days": "Days", "attacks": "Attacks",
                      "attacks_per_30d": "Per 30 days", "rate_ratio_vs_previous": "Ratio vs before",
                      "ci_low": "95 % low", "ci_high": "95 % high", "note": "Note"},
               numeric=("days", "attacks", "attacks_per_30d", "rate_ratio_vs_previous",
                        "ci_low", "ci_high")) if len(expo) else "<p>No site matches.</p>",
        f"<h2>Events ({min(len(events), MAX_EVENT_ROWS):,} newest of {len(events):,})</h2>",
        _table(newest, {"date": "Date", "direction": "What happened", "location": "Where",
                        "actor1": "By", "target": "Target", "deaths": "Deaths",
                        "notes": "Notes", "source_publisher": "Source"},
               links={"source_publisher": "source_url"}),
        f"<h2>Sources cited ({len(sources):,})</h2>",
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
