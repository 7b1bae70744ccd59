"""`geo geocode`, `geo geoparse`: place names and texts to places, offline."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from geo.cli.common import UserError, admin1_from, print_csv

if TYPE_CHECKING:
    from geo.cli.common import SubParsers

MAX_TEXT_BYTES = 5_000_000


def cmd_geocode(args: argparse.Namespace) -> int:
    """Coordinates and governorate of each name (arguments or standard input); none guessed."""
    from geo.text.geocode import geocode

    names = args.names or [line.strip() for line in sys.stdin if line.strip()]
    if not names:
        raise UserError("no names given (as arguments or one per line on standard input)")
    too_long = [n for n in names if len(n) > 200]
    if too_long:
        raise UserError(f"a name is longer than 200 characters: {too_long[0][:40]}…")
    table = geocode(names, admin1_hint=args.admin1, admin1=admin1_from(args))
    columns = [c for c in table.columns if c != "place_id" or args.with_id]
    print_csv(table[columns])
    return 0


def cmd_geoparse(args: argparse.Namespace) -> int:
    """The places a text mentions; what reads like a place but is not known, on standard error."""
    from geo.text.geoparse import geoparse, unresolved

    if args.file == "-":
        text = sys.stdin.read(MAX_TEXT_BYTES + 1)
    else:
        path = Path(args.file)
        if not path.is_file():
            raise UserError(f"{path}: file not found")
        if path.stat().st_size > MAX_TEXT_BYTES:
            raise UserError(f"{path}: larger than {MAX_TEXT_BYTES // 1_000_000} MB; split it")
        try:
            text = path.read_text(encoding="utf-8-sig")
        except UnicodeDecodeError as exc:
            raise UserError(f"{path}: not UTF-8 text (byte {exc.start})") from exc
    if len(text) > MAX_TEXT_BYTES:
        raise UserError(f"standard input: more than {MAX_TEXT_BYTES // 1_000_000} MB; split it")
    found = geoparse(text, admin1=admin1_from(args))
    print_csv(found)
    missing = unresolved(text, found)
    if len(missing):
        print("read like places but not in the gazetteer: " + "; ".join(
            f"{m} ({c!r})" for m, c in zip(missing["mention"], missing["cue"], strict=True)),
            file=sys.stderr)
    return 0


def add_geocode(sub: SubParsers, common: argparse.ArgumentParser) -> None:
    """Register `geo geocode`."""
    p = sub.add_parser("geocode", parents=[common], help="place names to coordinates, offline",
                       description="Print query,matched_name,lat,lon,admin1_code,admin1_name,region,"
                       "match,score for each name (arguments, or lines on standard input). match is "
                       "exact, alias, fuzzy or none; unmatched names are listed, never guessed.")
    p.add_argument("names", nargs="*", metavar="NAME")
    p.add_argument("--admin1", metavar="CODE",
                   help="prefer places in this governorate when a name is ambiguous (e.g. IQ-AN)")
    p.add_argument("--with-id", action="store_true",
                   help="add a place_id column (geonames:<id> or site:<id>)")
    p.set_defaults(func=cmd_geocode)


def add_geoparse(sub: SubParsers, common: argparse.ArgumentParser) -> None:
    """Register `geo geoparse`."""
    p = sub.add_parser("geoparse", parents=[common], help="places mentioned in a text",
                       description="Print mention,start,end,matched_name,lat,lon,admin1_code,region,"
                       "precision for every place a text mentions (English; Arabic where the "
                       "gazetteer has it). start/end are character offsets; precision is 2 for a "
                       "place, 3 for an area. What reads like a place but is not in the "
                       "gazetteer is listed on standard error.")
    p.add_argument("file", metavar="FILE|-", help="UTF-8 text file, or - for standard input")
    p.set_defaults(func=cmd_geoparse)
