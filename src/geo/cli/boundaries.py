"""`geo boundaries [list|status|install|use]`: the governorates in use and the installed set."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from geo.cli.common import admin1_from, print_csv, print_fields

if TYPE_CHECKING:
    from geo.cli.common import SubParsers


def cmd_boundaries(args: argparse.Namespace) -> int:
    """One function for every action, so that a bare `geo boundaries` lists the table."""
    from geo.sources import boundary_sets

    action = getattr(args, "action", None) or "list"
    if action == "install":
        meta = boundary_sets.install(args.sources, title=args.title, licence=args.licence,
                                     source_date=args.date)
        counts = ", ".join(f"{n} {k}" for k, n in meta["counts"].items())
        print(f"installed {meta['title']} ({counts}); active now. `geo boundaries use embedded` "
              "switches back", file=sys.stderr)
        return 0
    if action == "use":
        boundary_sets.use(args.choice)
        print(f"boundaries in use: {args.choice}", file=sys.stderr)
        return 0
    if action == "status":
        state = boundary_sets.status()
        print_fields(state, ("active", "title", "licence", "date", "installed", "levels", "counts",
                             "checksum", "where", "checks"))
        if state["active"] == "embedded" and state.get("installed_set"):
            print("an installed set exists: `geo boundaries use installed` to use it")
        return 0
    table = admin1_from(args).drop(columns="geometry")
    print_csv(table)
    return 0


def add_boundaries(sub: SubParsers, common: argparse.ArgumentParser) -> None:
    """Register `geo boundaries` and its actions."""
    p = sub.add_parser("boundaries", parents=[common], help="the governorates; install, use and "
                       "check an authoritative boundary set",
                       description="Without an action: print the admin-1 table in use. `install` "
                       "reads OCHA COD-AB (the HDX zip, or GeoJSON/GeoPackage/Shapefile per level) "
                       "or geoBoundaries (GeoJSON or the API's JSON) from files or URLs, checks it "
                       "and stores it under $GEO_HOME; the CLI and the app then use it. A URL is "
                       "fetched only here. `status` says which set is active, its source, licence, "
                       "date and checksum; `use` switches between embedded and installed.")
    p.set_defaults(func=cmd_boundaries)
    acts = p.add_subparsers(dest="action", metavar="ACTION")
    q = acts.add_parser("list", help="print the admin-1 table (default)")
    q.set_defaults(func=cmd_boundaries)
    q = acts.add_parser("status", help="which set is active, and its provenance")
    q.set_defaults(func=cmd_boundaries)
    q = acts.add_parser("install", help="install a boundary set from files or URLs")
    q.add_argument("sources", nargs="+", metavar="PATH_OR_URL")
    q.add_argument("--title", help="what to credit (default: guessed from the file names)")
    q.add_argument("--licence", help="the set's licence (default: guessed for OCHA, geoBoundaries)")
    q.add_argument("--date", help="the set's release date (default: from the file names)")
    q.set_defaults(func=cmd_boundaries)
    q = acts.add_parser("use", help="switch between the embedded and the installed set")
    q.add_argument("choice", choices=["embedded", "installed"])
    q.set_defaults(func=cmd_boundaries)
