"""`geo ingest`, `geo pull`, `geo pipeline`: events from files and APIs into the store, or in batch."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from geo.cli.common import UserError, admin1_from, day_arg, parse_pairs, print_csv

if TYPE_CHECKING:
    from geo.cli.common import SubParsers


def cmd_ingest(args: argparse.Namespace) -> int:
    """Import one file into the event store; its problems as CSV, the summary on standard error."""
    from geo.data.export import neutralise_formulas
    from geo.data.store import store_dir
    from geo.sources.ingest import ingest_file

    defaults = parse_pairs(args.set, "--set", "FIELD=VALUE")
    overrides = parse_pairs(args.map, "--map", "FIELD=COLUMN")
    report = ingest_file(args.file, args.format, args.store, admin1=admin1_from(args),
                         defaults=defaults or None, overrides=overrides or None)
    if report.mapping is not None:
        used = ", ".join(f"{f}={c}" for f, c in report.mapping.items())
        print(f"columns used (change with --map FIELD=COLUMN): {used}", file=sys.stderr)
    # The problems echo the file's own cells: neutralised like any CSV a spreadsheet may open.
    print_csv(neutralise_formulas(report.issues))
    for note in report.issues.loc[report.issues["row"].isna(), "reason"]:
        print(f"warning: {args.file}: {note}", file=sys.stderr)
    print(report.summary(), file=sys.stderr)
    print(f"store: {store_dir(args.store)}", file=sys.stderr)
    if report.rejected_file:
        print(f"rejected rows (fix and re-import): {report.rejected_file}", file=sys.stderr)
    if report.rows_read and not report.accepted:
        raise UserError(f"{args.file}: none of the {report.rows_read} rows could be imported "
                        "(the problems are listed on standard output)")
    return 0


def cmd_pull(args: argparse.Namespace) -> int:
    """Pull ACLED or UCDP events into the store, with progress on standard error."""
    from geo.sources import pull

    def say(text: str) -> None:
        print(text, file=sys.stderr, flush=True)

    if args.source == "acled":
        report = pull.pull_acled(args.country, args.since, args.store, progress=say)
    else:
        report = pull.pull_ucdp(args.version or pull.UCDP_VERSION, store=args.store, progress=say)
    if len(report.issues):
        from geo.data.export import neutralise_formulas

        print_csv(neutralise_formulas(report.issues))
    print(report.summary(), file=sys.stderr)
    return 0


def cmd_pipeline(args: argparse.Namespace) -> int:
    """Ingest, join and aggregate a big file in batch (local or Dask); the store is not touched."""
    from geo.sources.pipeline import DEFAULT_BLOCKSIZE, run_dask, run_local

    if args.engine == "local" and (args.scheduler or args.blocksize):
        raise UserError("--scheduler and --blocksize need --engine dask")
    admin1 = admin1_from(args)
    if args.engine == "dask":
        result = run_dask(args.file, args.format, args.out, admin1, scheduler=args.scheduler,
                          blocksize=args.blocksize or DEFAULT_BLOCKSIZE)
    else:
        result = run_local(args.file, args.format, args.out, admin1)
    print_csv(result.aggregate, date_format="%Y-%m-%d")
    if args.issues:
        result.issues.to_csv(args.issues, index=False, lineterminator="\n")
    print(result.summary(), file=sys.stderr)
    return 0


def add_ingest(sub: SubParsers, common: argparse.ArgumentParser) -> None:
    """Register `geo ingest` (its format choices come from geo.sources.ingest)."""
    from geo.sources.ingest import FORMATS as INGEST_FORMATS

    p = sub.add_parser("ingest", parents=[common], help="import ACLED, UCDP GED or a generic CSV",
                       description="Read, map, validate, geocode and join a file, then merge it into "
                       "the event store (re-importing adds nothing twice). Prints every problem as "
                       "CSV and a summary on standard error; rejected rows are written to "
                       "<store>/rejected/. Default store: ./store (or GEO_STORE); never inside "
                       "data/. Exit 0 when rows were imported, 1 when the file (or every row of "
                       "it) was refused, 2 for a bad command line. See docs/security.md.")
    p.add_argument("file", metavar="FILE")
    p.add_argument("--format", choices=list(INGEST_FORMATS), default="auto")
    p.add_argument("--store", metavar="DIR", help="event store folder (default ./store or GEO_STORE)")
    p.add_argument("--set", action="append", metavar="FIELD=VALUE",
                   help="value for blank cells of a generic CSV, e.g. --set event_type=Battles "
                   "--set sub_event_type='Armed clash' (repeatable)")
    p.add_argument("--map", action="append", metavar="FIELD=COLUMN",
                   help="which column of a generic CSV fills FIELD, over the suggestion, e.g. "
                   "--map actor1=group_name --map source_admin1=state; FIELD= leaves it unmapped "
                   "(repeatable)")
    p.set_defaults(func=cmd_ingest)


def add_pull(sub: SubParsers, common: argparse.ArgumentParser) -> None:
    """Register `geo pull acled|ucdp` (no boundary options: the store joins on read)."""
    p = sub.add_parser("pull", help="pull events from ACLED's or UCDP's API (your account)",
                       description="Pull Iraq's events from ACLED (ACLED_USERNAME, ACLED_PASSWORD "
                       "or the OS keyring) or UCDP GED (UCDP_TOKEN) into the event store: paged, "
                       "retried on rate limits, resumed after an interruption, and incremental "
                       "(a later pull asks only for what changed; ACLED's deletions are applied). "
                       "Credentials are never written anywhere. Exit 1 with one line when "
                       "offline, refused or the API has changed.")
    pull = p.add_subparsers(dest="source", required=True, metavar="SOURCE")
    q = pull.add_parser("acled", help="ACLED events (OAuth API)")
    q.add_argument("--country", default="Iraq")
    q.add_argument("--since", type=day_arg, metavar="YYYY-MM-DD",
                   help="events from this date (default: what changed since the last pull)")
    q.add_argument("--store", metavar="DIR", help="event store folder (default ./store or GEO_STORE)")
    q.set_defaults(func=cmd_pull)
    q = pull.add_parser("ucdp", help="UCDP GED or candidate events")
    q.add_argument("--version", default=None, metavar="V",
                   help="GED version (default 25.1) or candidate events version such as 25.0.10")
    q.add_argument("--store", metavar="DIR", help="event store folder (default ./store or GEO_STORE)")
    q.set_defaults(func=cmd_pull)


def add_pipeline(sub: SubParsers, common: argparse.ArgumentParser) -> None:
    """Register `geo pipeline`."""
    from geo.sources.ingest import FORMATS as INGEST_FORMATS

    p = sub.add_parser("pipeline", parents=[common], help="batch ingest, join and aggregate, "
                       "in-process or on a Dask cluster",
                       description="Read a CSV or Parquet file (or a folder of them), map, validate "
                       "and join it like `geo ingest`, and print events and fatalities per "
                       "governorate, region, event type and month as CSV. The summary goes to "
                       "standard error. The store is not touched. See docs/dask.md.")
    p.add_argument("file", metavar="FILE")
    p.add_argument("--format", choices=list(INGEST_FORMATS), default="auto")
    p.add_argument("--engine", choices=["local", "dask"], default="local",
                   help="local: this process (default); dask: a Dask cluster")
    p.add_argument("--scheduler", metavar="ADDR", help="Dask scheduler, e.g. tcp://host:8786 "
                   "(default: GEO_DASK_SCHEDULER, else a local cluster of one worker per core)")
    p.add_argument("--out", metavar="DIR", help="write the events as a partitioned GeoParquet "
                   "dataset here (not inside data/)")
    p.add_argument("--blocksize", metavar="SIZE", help="bytes of CSV per Dask partition, e.g. "
                   "16MB; auto (default): two per worker thread, 1-64 MB; none: one per file")
    p.add_argument("--issues", metavar="FILE", help="write every problem found (file,row,column,"
                   "value,reason,severity) to this CSV")
    p.set_defaults(func=cmd_pipeline)
