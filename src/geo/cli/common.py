"""What every `geo` command shares: one-line errors, the boundary options, argument types, CSV out.

The command modules import from here and never from each other, so a group can move or grow
without touching the others.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from typing import TYPE_CHECKING, Any

from geo.spatial.boundaries import load_configured_admin1

if TYPE_CHECKING:
    import geopandas as gpd
    import pandas as pd

    SubParsers = argparse._SubParsersAction[argparse.ArgumentParser]

EXIT_USAGE = 2
EXIT_DATA = 1


class Parser(argparse.ArgumentParser):
    """argparse with a one-line error (exit 2) instead of its usage block, like the command's own."""

    def error(self, message: str) -> None:  # one line, not argparse's usage block
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message} (see --help)\n")


class UserError(Exception):
    """A problem with what the user asked for; printed as one line."""


class UsageError(UserError):
    """A malformed option value (exit 2, like argparse's own errors)."""


def boundary_options() -> argparse.ArgumentParser:
    """The --boundaries options, a parent parser for every command that places things."""
    common = argparse.ArgumentParser(add_help=False)
    g = common.add_argument_group("boundaries")
    g.add_argument("--boundaries", metavar="FILE",
                   help="your own admin-1 polygons (GeoJSON, GeoPackage, Shapefile, GeoParquet) "
                        "instead of the embedded governorates [env GEO_BOUNDARIES]")
    g.add_argument("--boundary-columns", metavar="MAP",
                   help="column map for --boundaries, e.g. "
                        "admin1_code=ADM1_PCODE,admin1_name=ADM1_EN[,region=REGION]")
    g.add_argument("--boundary-layer", metavar="LAYER", help="layer name in a GeoPackage")
    return common


def admin1_from(args: argparse.Namespace) -> gpd.GeoDataFrame:
    """The admin-1 polygons the boundary options choose (the installed or embedded set without)."""
    if args.boundaries is None and (args.boundary_columns or args.boundary_layer):
        raise UserError("--boundary-columns and --boundary-layer need --boundaries FILE")
    return load_configured_admin1(args.boundaries, args.boundary_columns, args.boundary_layer)


def day_arg(text: str) -> date:
    """An argparse type: YYYY-MM-DD, not in the future."""
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date in YYYY-MM-DD form") from None
    if day > date.today():
        raise argparse.ArgumentTypeError(f"{text} is in the future")
    return day


def parse_pairs(items: list[str] | None, option: str, form: str) -> dict[str, str]:
    """Repeated NAME=VALUE options as a dict; a malformed one is a usage error."""
    out = {}
    for item in items or []:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise UsageError(f"{option} {item!r} is not {form}")
        out[key.strip()] = value.strip()
    return out


def print_csv(table: pd.DataFrame, **options: Any) -> None:
    """A table as CSV on standard output, with "\\n" line ends on every platform."""
    table.to_csv(sys.stdout, index=False, lineterminator="\n", **options)


def print_fields(state: dict, keys: tuple[str, ...], ascii_only: bool = True) -> None:
    """`key: value` for each of `keys` that `state` fills, lists and dicts as JSON: what the
    `status` actions print (GeoNames' names keep their own script with `ascii_only=False`)."""
    import json

    for key in keys:
        if state.get(key) not in (None, ""):
            value = state[key]
            shown = (json.dumps(value, ensure_ascii=ascii_only) if isinstance(value, dict | list)
                     else value)
            print(f"{key}: {shown}")
