"""`geo geocode`, `geo geoparse`: place names and texts to places, offline."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from geo.cli.common import UserError, admin1_from, print_csv

if TYPE_CHECKING:
    import pandas as pd

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
    admin1 = admin1_from(args)
    table = geocode(names, admin1_hint=_admin1_hint(args.admin1, admin1), admin1=admin1)
    columns = [c for c in table.columns if c != "place_id" or args.with_id]
    print_csv(table[columns])
    return 0


def cmd_geoparse(args: argparse.Namespace) -> int:
    """The places a text mentions (or each line's, with --lines); what reads like a place but is
    not known, on standard error."""
    import pandas as pd

    from geo.text.geoparse import OUTPUT_COLUMNS, geoparse, unresolved

    text = _read_text(args.file)
    admin1 = admin1_from(args)
    if not args.lines:
        found = geoparse(text, admin1=admin1)
        print_csv(found)
        _say_unresolved(unresolved(text, found), "")
        return 0
    # one text per line; a blank line is skipped but counted, so `doc` is the line number
    lines = pd.Series(text.split("\n"), index=pd.RangeIndex(1, text.count("\n") + 2))
    lines = lines[lines.str.strip() != ""]
    tables = [pd.DataFrame(columns=["doc", *OUTPUT_COLUMNS])]
    for doc, line in lines.items():  # one geoparse per text, as for a single file
        found = geoparse(line, admin1=admin1)
        tables.append(found.assign(doc=doc)[["doc", *OUTPUT_COLUMNS]])
        _say_unresolved(unresolved(line, found), f"line {doc}: ")
    print_csv(pd.concat([t for t in tables if len(t)] or tables[:1], ignore_index=True))
    return 0


def _admin1_hint(value: str | None, admin1: pd.DataFrame) -> str | None:
    """--admin1 as a code of the boundary set in use (any case) or a governorate's name in any
    spelling the attribution table knows ("Duhok", "Dahuk", "دهوك"); anything else is refused."""
    if value is None:
        return None
    import pandas as pd

    from geo.sources.attribution import admin1_codes

    codes = {str(c).upper(): str(c) for c in admin1["admin1_code"]}
    text = value.strip()
    if text.upper() in codes:
        return codes[text.upper()]
    code = admin1_codes(pd.Series([text])).iloc[0]
    if isinstance(code, str) and code.upper() in codes:
        return codes[code.upper()]
    shown = ", ".join(sorted(codes.values())[:6])
    raise UserError(f"--admin1 {value!r} is not a governorate of the boundary set in use "
                    f"(a code such as {shown} …, or a governorate's name)")


def _read_text(name: str) -> str:
    """A UTF-8 text file, or standard input for "-", at most MAX_TEXT_BYTES."""
    if name == "-":
        text = sys.stdin.read(MAX_TEXT_BYTES + 1)
    else:
        path = Path(name)
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
    return text


def _say_unresolved(missing: pd.DataFrame, prefix: str) -> None:
    """What read like places but matched nothing, on one line of standard error."""
    if len(missing):
        print(prefix + "read like places but not in the gazetteer: " + "; ".join(
            f"{m} ({c!r})" for m, c in zip(missing["mention"], missing["cue"], strict=True)),
            file=sys.stderr)


def add_geocode(sub: SubParsers, common: argparse.ArgumentParser) -> None:
    """Register `geo geocode`."""
    p = sub.add_parser("geocode", parents=[common], help="place names to coordinates, offline",
                       description="Print query,matched_name,lat,lon,admin1_code,admin1_name,region,"
                       "match,score,precision for each name (arguments, or lines on standard "
                       "input). match is exact, alias, spelling, fuzzy or none; precision is 2 for "
                       "a place, 3 for an area; unmatched names are listed, never guessed.")
    p.add_argument("names", nargs="*", metavar="NAME")
    p.add_argument("--admin1", metavar="CODE_OR_NAME",
                   help="the governorate the names lie in (a code such as IQ-AN, or a name such as "
                        "Anbar): places in it are preferred, and no answer lies more than 15 km "
                        "outside it")
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
    p.add_argument("--lines", action="store_true",
                   help="one text per line (articles, summaries): each is parsed on its own and a "
                        "doc column (the line number; blank lines are skipped but counted) comes "
                        "first; start/end are offsets within the line")
    p.set_defaults(func=cmd_geoparse)
