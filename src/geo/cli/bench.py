"""`geo bench`, `geo synth`: benchmarks against their baselines, and the SYNTHETIC events they use."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from geo.cli.common import UserError

if TYPE_CHECKING:
    from geo.cli.common import SubParsers


def cmd_bench(args: argparse.Namespace) -> int:
    """Every case beside its baseline as one table and the key ratios; progress on standard error."""
    from geo.tools import bench

    sizes = (100_000,) if args.quick else tuple(args.sizes)
    rows = bench.run(sizes, tuple(args.cases), geocode_n=args.geocode_n, scheduler=args.scheduler,
                     progress=lambda text: print(f"geo bench: {text}", file=sys.stderr, flush=True))
    table = bench.table(rows)
    print(f"machine: {bench.machine()}")
    if args.markdown:
        print(bench.markdown(table))
    else:
        print(table.to_string(index=False))
    print(bench.key_ratios(rows))
    return 0


def _sizes(text: str) -> list[int]:
    try:
        sizes = [int(x.replace("_", "")) for x in text.split(",") if x.strip()]
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"{text!r} is not a comma-separated list of counts") from exc
    if not sizes or any(not 1_000 <= n <= 20_000_000 for n in sizes):
        raise argparse.ArgumentTypeError(f"{text!r}: each size must be 1,000 to 20,000,000")
    return sizes


def cmd_synth(args: argparse.Namespace) -> int:
    """N SYNTHETIC events to standard output or a file, refused inside data/."""
    from geo.tools import synth

    if args.format == "parquet" and args.out is None:
        raise UserError("--format parquet needs --out FILE")
    if args.out is not None:
        synth.check_output_path(args.out)  # refuse data/ before spending time generating
    events = synth.synthesize(args.n, seed=args.seed, start=args.start, end=args.end)
    if args.out is None:
        sys.stdout.flush()
        synth.write_csv(synth.table(events, args.format), sys.stdout.buffer)
        where = "standard output"
    else:
        synth.write(events, args.out, args.format)
        where = args.out
    print(f"wrote {len(events)} synthetic events ({args.format}, seed {args.seed}) to {where} "
          "(not real data)", file=sys.stderr)
    return 0


def add_bench(sub: SubParsers, common: argparse.ArgumentParser) -> None:
    """Register `geo bench` (its case choices come from geo.tools.bench)."""
    from geo.tools.bench import CASES

    p = sub.add_parser("bench", help="benchmarks against their baselines (synthetic data)",
                       description="Run each case beside its baseline in the same process on "
                       "SYNTHETIC events and print one table (case, N, ours, baseline, ratio) and "
                       "the key ratios. Read the ratios, not the seconds. See docs/benchmarks.md.")
    p.add_argument("--quick", action="store_true", help="100,000 events only (about a minute)")
    p.add_argument("--sizes", type=_sizes, default=[100_000, 1_000_000], metavar="N[,N…]",
                   help="event counts (default 100000,1000000)")
    p.add_argument("--cases", nargs="+", choices=list(CASES), default=list(CASES),
                   help="which cases to run (default: all)")
    p.add_argument("--geocode-n", type=int, default=100_000, metavar="N",
                   help="names for the geocoding case (default 100000)")
    p.add_argument("--scheduler", metavar="ADDR", help="Dask scheduler for case 5 (default: a "
                   "local cluster, or GEO_DASK_SCHEDULER)")
    p.add_argument("--markdown", action="store_true", help="print the table as Markdown")
    p.set_defaults(func=cmd_bench)


def add_synth(sub: SubParsers, common: argparse.ArgumentParser) -> None:
    """Register `geo synth` (its argument types and limits come from geo.tools.synth)."""
    from geo.tools import synth

    p = sub.add_parser("synth", help="SYNTHETIC events for benchmarks and tests (not real data)",
                       description="Generate N clearly synthetic events (ids SYN-<seed>-<n>, "
                       "publisher 'SYNTHETIC (geo synth)') clustered around Iraqi towns and "
                       "sites, deterministic for a given N and seed. CSV goes to standard output "
                       "unless --out is given; never writes inside data/.")
    p.add_argument("n", type=synth.count_arg, metavar="N",
                   help=f"number of events, 1 to {synth.MAX_EVENTS:,}")
    p.add_argument("--seed", type=synth.seed_arg, default=0, help="random seed (default 0)")
    p.add_argument("--format", choices=list(synth.FORMATS), default="csv",
                   help="acled: ACLED export CSV; csv: this project's event CSV; parquet: "
                   "GeoParquet points (needs --out)")
    p.add_argument("-o", "--out", metavar="FILE", help="file to write (not inside data/)")
    p.add_argument("--start", type=synth.date_arg, default="2019-01-01",
                   help="first event date, YYYY-MM-DD (default 2019-01-01)")
    p.add_argument("--end", type=synth.date_arg, default="2026-09-30",
                   help="last event date, YYYY-MM-DD (default 2026-09-30)")
    p.set_defaults(func=cmd_synth)
