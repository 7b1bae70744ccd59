"""`geo alerts`, `geo exposure`, `geo brief`: the analyst tools of the app, on the command line."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from geo.cli.common import UsageError, UserError, admin1_from, day_arg, print_csv

if TYPE_CHECKING:
    import geopandas as gpd
    import pandas as pd

    from geo.cli.common import SubParsers


def _analysis_events(args: argparse.Namespace, admin1: gpd.GeoDataFrame) -> pd.DataFrame:
    """The curated events, plus the imported ones of `--store` (as the app shows them)."""
    import pandas as pd

    from geo.app.dataset import joined_imports
    from geo.sources.curated import load

    events = load("events", admin1).data
    if getattr(args, "store", None) is not None:
        from geo.data.store import read_events, store_dir

        path = store_dir(args.store)
        if not path.is_dir():
            raise UserError(f"{path}: no such event store")
        stored = read_events(path)
        if len(stored):
            events = pd.concat([events, joined_imports(stored, admin1, "imported")],
                               ignore_index=True)
    return events


def cmd_alerts(args: argparse.Namespace) -> int:
    """Surge alerts per governorate or district; the window and baseline on standard error."""
    import pandas as pd

    from geo.app.alerts import ALERT_COLUMNS, alerts
    from geo.spatial.boundaries import load_configured_admin2

    admin1 = admin1_from(args)
    events = _analysis_events(args, admin1)
    areas = admin1[["admin1_code", "admin1_name"]]
    if args.level == "district":
        admin2 = load_configured_admin2()
        if admin2 is None:
            raise UserError("--level district needs an installed district set "
                            "(`geo boundaries install`, see README)")
        from geo.sources.attribution import with_districts

        events = with_districts(events, admin2).assign(admin1_code=lambda e: e["admin2_code"])
        areas = pd.DataFrame({"admin1_code": admin2["admin2_code"], "admin1_name": admin2["admin2_name"]})
    table = alerts(events, pd.DataFrame(areas), args.as_of)
    if args.level == "district":
        table = table.rename(columns={"admin1_code": "admin2_code", "admin1_name": "admin2_name"})
    start, end = table.attrs["window"]
    b0, b1 = table.attrs["baseline"]
    last = pd.to_datetime(events["event_date"]).max()
    print(f"geo alerts: last 4 weeks {start:%Y-%m-%d} to {end:%Y-%m-%d}, baseline {b0:%Y-%m-%d} to "
          f"{b1:%Y-%m-%d}; {int((table['flag'] != '').sum())} flagged", file=sys.stderr)
    if pd.notna(last) and end > last:
        print(f"geo alerts: the events end on {last:%Y-%m-%d}: the days after are missing from "
              "the data, not quiet", file=sys.stderr)
    cols = ALERT_COLUMNS if args.level != "district" else ["admin2_code", "admin2_name", *ALERT_COLUMNS[2:]]
    print_csv(table[cols])
    return 0


def cmd_exposure(args: argparse.Namespace) -> int:
    """Attacks around each foreign-force site per reported status period."""
    from geo.app.exposure import EXPOSURE_COLUMNS, RADII_KM, exposure
    from geo.sources.curated import load

    admin1 = admin1_from(args)
    events = _analysis_events(args, admin1)
    sites = load("sites", admin1).data
    deployments = load("deployments", admin1).data
    known = set(deployments["site_id"])
    unknown = sorted(set(args.site or ()) - known)
    if unknown:
        raise UserError(f"--site {', '.join(unknown)}: not a site with deployment rows; choose "
                        f"from {', '.join(sorted(known))}")
    radii = tuple(sorted(set(args.radius))) if args.radius else RADII_KM
    table = exposure(events, sites, deployments, radii, args.site)
    print_csv(table[EXPOSURE_COLUMNS])
    return 0


def cmd_brief(args: argparse.Namespace) -> int:
    """The printable brief of the app's filtered view, as HTML or PDF."""
    from urllib.parse import parse_qs

    from geo.app import brief, filters
    from geo.app.dataset import load_data
    from geo.data import i18n
    from geo.data.atomic import write_atomic

    out = Path(args.out)
    if out.suffix.lower() not in (".html", ".htm", ".pdf"):
        raise UsageError(f"--out {out}: the brief is written as .html or .pdf")
    lang = (args.lang or i18n.DEFAULT).strip().lower()
    if lang not in i18n.LANGUAGES:
        raise UsageError(f"--lang {args.lang[:20]!r}: not a language of the brief; choose "
                         f"{', '.join(i18n.LANGUAGES)}")
    data = load_data(Path(args.store) if args.store else None)
    params = {k: v for k, v in parse_qs(args.query or "", keep_blank_values=True).items()}
    for key, value in (("start", args.start), ("end", args.end)):
        if value is not None:
            params[key] = [value.isoformat()]
    f, notices = filters.from_query_params(params, tuple(data.admin1["admin1_code"]))
    if notices:
        raise UsageError("--query: " + "; ".join(notices))
    with i18n.use(lang):
        text = brief.brief_html(data, f)
    if out.suffix.lower() == ".pdf":
        try:
            brief.write_pdf(text, out)
        except RuntimeError as exc:
            raise UserError(str(exc)) from None
    else:
        write_atomic(out, lambda tmp: tmp.write_text(text, encoding="utf-8"))
    print(f"{out} ({out.stat().st_size:,} bytes; {filters.describe(f, data.admin1_names)})",
          file=sys.stderr)
    return 0


def _radius(text: str) -> float:
    try:
        value = float(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"{text!r} is not a distance in km") from exc
    if not 0 < value <= 500:
        raise argparse.ArgumentTypeError(f"{text!r}: a radius must be more than 0 and at most 500 km")
    return value


def add_alerts(sub: SubParsers, common: argparse.ArgumentParser) -> None:
    """Register `geo alerts`."""
    p = sub.add_parser("alerts", parents=[common], help="surge alerts per governorate (or district)",
                       description="Print admin1_code,admin1_name,last_4w,baseline_4w_mean,ratio,"
                       "p_value,flag: violent events in the 4 weeks to --as-of against the 4-week "
                       "mean of the 52 weeks before, with ACLED's rule (at least twice the mean, "
                       "where the mean is at least one) and a tail probability for small counts "
                       "(docs/analyst_tools.md). The window and baseline dates go to standard error.")
    p.add_argument("--as-of", type=day_arg, metavar="YYYY-MM-DD",
                   help="last day of the 4-week window (default: the last event's date)")
    p.add_argument("--level", choices=["governorate", "district"], default="governorate",
                   help="district needs an installed district set (columns admin2_code,admin2_name)")
    p.add_argument("--store", metavar="DIR", help="also count the imported events of this store")
    p.set_defaults(func=cmd_alerts)


def add_exposure(sub: SubParsers, common: argparse.ArgumentParser) -> None:
    """Register `geo exposure`."""
    p = sub.add_parser("exposure", parents=[common], help="attacks around each foreign-force site "
                       "per reported status period", description="Print site_id,site_name,status,"
                       "period_start,period_end,days,radius_km,attacks,attacks_per_30d,"
                       "rate_ratio_vs_previous,ci_low,ci_high,note: attacks on US/coalition and "
                       "diplomatic sites within each radius (and in the site's governorate, "
                       "radius_km=governorate) per period of the site's reported status, and the "
                       "rate ratio against the previous period with its exact 95 % interval "
                       "(docs/analyst_tools.md).")
    p.add_argument("--radius", type=_radius, action="append", metavar="KM",
                   help="ring radius in km (repeatable; default 10, 25 and 50)")
    p.add_argument("--site", action="append", metavar="ID", help="only this site (repeatable)")
    p.add_argument("--store", metavar="DIR", help="also count the imported events of this store")
    p.set_defaults(func=cmd_exposure)


def add_brief(sub: SubParsers, common: argparse.ArgumentParser) -> None:
    """Register `geo brief` (the app's filter, not the boundary options)."""
    p = sub.add_parser("brief", help="a printable brief (HTML or PDF) of a filtered view",
                       description="Write the story, transition status, a static map, the "
                       "timeline, top actors, surge alerts, site exposure, the filtered events and "
                       "every source cited as one self-contained HTML file (no script, font "
                       "embedded) or a PDF (printed by Chromium). The filter is the app's: pass "
                       "its link's query string with --query, e.g. --query 'start=2026-01-01&"
                       "gov=IQ-BG&dir=Attacks on US/coalition and diplomatic sites'.")
    p.add_argument("--out", required=True, metavar="FILE", help="brief.html or brief.pdf")
    p.add_argument("--query", metavar="QS", help="the app's filter as a URL query string")
    p.add_argument("--from", dest="start", type=day_arg, metavar="YYYY-MM-DD", help="first day")
    p.add_argument("--to", dest="end", type=day_arg, metavar="YYYY-MM-DD", help="last day")
    p.add_argument("--store", metavar="DIR", help="event store with imported events to include")
    p.add_argument("--lang", metavar="LANG", default="en",
                   help="language of the brief: en (default), ar or ckb (Arabic and Kurdish "
                        "read right to left)")
    p.set_defaults(func=cmd_brief)
