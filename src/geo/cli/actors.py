"""`geo actors`: which side each actor name of a file or a store falls in, and which names none."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from geo.cli.common import UserError, parse_pairs, print_csv

if TYPE_CHECKING:
    import pandas as pd

    from geo.cli.common import SubParsers


def _file_actors(path: str, kind: str, overrides: dict[str, str]) -> pd.Series:
    """actor1 and actor2 of a file as `geo ingest` would read and map them (nothing stored)."""
    from pathlib import Path

    from geo.sources import formats as fmt
    from geo.sources.ingest import generic_mapping, read_table_noted, to_events

    raw, _ = read_table_noted(Path(path))
    raw = raw[~fmt.hxl_rows(raw).to_numpy()]
    kind = fmt.detect_format(list(raw.columns)) if kind == "auto" else kind
    if overrides and kind != "csv":
        raise UserError(f"{path}: --map applies to generic files (--format csv)")
    mapping = generic_mapping([str(c) for c in raw.columns], overrides) if kind == "csv" else None
    mapped = to_events(raw, kind, Path(path).name, mapping)
    return _names(mapped)


def _names(events: pd.DataFrame) -> pd.Series:
    import pandas as pd

    names = pd.concat([events[c] for c in ("actor1", "actor2") if c in events])
    names = names.dropna().astype(str).str.strip()
    return names[names != ""]


def cmd_actors(args: argparse.Namespace) -> int:
    """One row per distinct name (its rows and family) as CSV; per source, the share of names
    in no family on standard error."""
    import pandas as pd

    from geo.app.actors import OTHER, actor_family

    overrides = parse_pairs(args.map, "--map", "FIELD=COLUMN")
    sources: dict[str, pd.Series] = {}
    for path in args.files:
        sources[path] = _file_actors(path, args.format, overrides)
    if args.store is not None:
        from geo.data.store import read_events, store_dir

        sources[str(store_dir(args.store))] = _names(read_events(store_dir(args.store)))
    if not sources:
        raise UserError("give one or more FILEs, or --store DIR")
    tables = []
    for source, names in sources.items():
        counts = names.value_counts()
        family = actor_family(pd.Series(counts.index, dtype=object))
        table = pd.DataFrame({"source": source, "name": counts.index.astype(str),
                              "rows": counts.to_numpy(), "family": family.to_numpy()})
        left = table[table["family"] == OTHER]
        share = len(left) / len(table) if len(table) else 0.0
        listed = "; ".join(left["name"].head(10)) + ("; …" if len(left) > 10 else "")
        print(f"{source}: {len(table):,} distinct actor names, {len(left):,} ({share:.1%}) in no "
              f"family, {int(left['rows'].sum()):,} of {int(table['rows'].sum()):,} mentions"
              + (f": {listed}" if len(left) else ""), file=sys.stderr)
        tables.append(left if args.unresolved else table)
    print_csv(pd.concat(tables, ignore_index=True))
    return 0


def add_actors(sub: SubParsers, common: argparse.ArgumentParser) -> None:
    """Register `geo actors`."""
    from geo.sources.ingest import FORMATS

    p = sub.add_parser("actors", parents=[common], help="actor families of a file's or a "
                       "store's names", description="Print source,name,rows,family for every "
                       "distinct actor1/actor2 name of the files (read as `geo ingest` reads "
                       "them, nothing stored) or of a store, and per source the share of names "
                       "that no rule of data/curated/actor_families.csv resolves ('Other').")
    p.add_argument("files", nargs="*", metavar="FILE", help="ACLED / UCDP GED / CSV or Excel file")
    p.add_argument("--format", choices=FORMATS, default="auto")
    p.add_argument("--map", action="append", default=[], metavar="FIELD=COLUMN",
                   help="for a generic file: which column holds actor1 or actor2")
    p.add_argument("--store", metavar="DIR", help="the names of a store's events")
    p.add_argument("--unresolved", action="store_true", help="list only the names in no family")
    p.set_defaults(func=cmd_actors)
