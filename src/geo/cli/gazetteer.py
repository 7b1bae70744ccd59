"""`geo gazetteer [status|install|use]`: the gazetteer in use and an installed GeoNames extract."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from geo.cli.common import print_fields

if TYPE_CHECKING:
    from geo.cli.common import SubParsers


def cmd_gazetteer(args: argparse.Namespace) -> int:
    """One function for every action, so that a bare `geo gazetteer` says what is in use."""
    from geo.sources import gazetteer_sets

    action = getattr(args, "action", None) or "status"
    if action == "install":
        meta = gazetteer_sets.install(args.sources)
        problems = meta.pop("problems")
        shown = gazetteer_sets.PROBLEMS_SHOWN
        for line in gazetteer_sets.describe(problems.head(shown)):
            print(line, file=sys.stderr)
        if len(problems) > shown:
            print(f"… and {len(problems) - shown:,} more rows skipped", file=sys.stderr)
        where = f" (listed in {gazetteer_sets.rejected_path()})" if len(problems) else ""
        countries = ", ".join(f"{c} {n:,}" for c, n in meta["countries"].items())
        print(f"installed {meta['title']}: {meta['counts']['kept']:,} places ({countries}) of "
              f"{meta['counts']['read']:,} rows read; {len(problems):,} rows skipped{where}. In "
              "use now; `geo gazetteer use embedded` switches back", file=sys.stderr)
        return 0
    if action == "use":
        gazetteer_sets.use(args.choice)
        print(f"gazetteer in use: {args.choice}", file=sys.stderr)
        return 0
    state = gazetteer_sets.status()
    state["rows"] = state.get("counts", {}).get("kept")
    state["sources"] = [i["source"] for i in state.get("inputs", [])] or None
    print_fields(state, ("active", "title", "rows", "countries", "kinds", "sources", "date",
                         "installed", "licence", "attribution", "checksum", "where"),
                 ascii_only=False)
    if state.get("counts", {}).get("rejected"):
        print(f"rejected: {state['counts']['rejected']} rows (rejected.csv in the folder above)")
    if state["active"] == "embedded" and state.get("installed_set"):
        print("an installed gazetteer exists: `geo gazetteer use installed` to use it")
    return 0


def add_gazetteer(sub: SubParsers, common: argparse.ArgumentParser) -> None:
    """Register `geo gazetteer` and its actions."""
    p = sub.add_parser("gazetteer", help="install and switch a full GeoNames gazetteer",
                       description="Without an action: say which gazetteer geocode, geoparse, ingest "
                       "and the app use. `install` reads GeoNames country extracts (IQ.zip or IQ.txt; "
                       "optionally SY, IR, TR, JO, SA, KW) from files or URLs, validates every row and "
                       "stores the places under $GEO_HOME, merged with the embedded table when used. "
                       "A URL is fetched only here. `use` switches between embedded and installed.")
    p.set_defaults(func=cmd_gazetteer)
    acts = p.add_subparsers(dest="action", metavar="ACTION")
    q = acts.add_parser("status", help="the gazetteer in use, its sources, date and checksum (default)")
    q.set_defaults(func=cmd_gazetteer)
    q = acts.add_parser("install", help="install GeoNames extracts (IQ.zip, IQ.txt …) from files or URLs",
                        description="Install GeoNames country extracts: IQ.zip or IQ.txt (the geoname "
                        "table, 19 tab-separated columns), and optionally the neighbours' extracts, "
                        "whose towns of 50,000 people or more are kept. Bad rows are listed and "
                        "skipped; the data is GeoNames' (CC BY 4.0) and is credited where it is used.")
    q.add_argument("sources", nargs="+", metavar="PATH_OR_URL")
    q.set_defaults(func=cmd_gazetteer)
    q = acts.add_parser("use", help="switch between the embedded and the installed gazetteer")
    q.add_argument("choice", choices=["embedded", "installed"])
    q.set_defaults(func=cmd_gazetteer)
