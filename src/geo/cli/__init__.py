"""`geo`: the command line that mirrors the dashboard.

Every subcommand writes CSV to standard output unless told otherwise, and a bad argument gives
one line on standard error and a non-zero exit, never a traceback.

One module per command group registers its subparsers and holds its `cmd_*` functions (`export`,
`analysis`, `ingest`, `actors`, `text`, `gazetteer`, `boundaries`, `bench`, `data`); `common`
holds what they share. This module assembles the parser and turns errors into exit codes.
Commands import their heavy libraries inside the function, so `geo --help` stays quick.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable

from geo.cli import actors, analysis, bench, boundaries, data, export, gazetteer, ingest, text
from geo.cli.common import EXIT_DATA, EXIT_USAGE, Parser, UsageError, UserError, boundary_options
from geo.data.validate import SchemaError
from geo.spatial.boundaries import BoundaryError

__all__ = ["EXIT_DATA", "EXIT_USAGE", "UsageError", "UserError", "build_parser", "main"]

# In the order `geo --help` lists them, which follows the user's path rather than the modules.
COMMANDS: tuple[Callable[..., None], ...] = (
    export.add_locate, analysis.add_alerts, analysis.add_exposure, analysis.add_brief,
    export.add_export, ingest.add_ingest, actors.add_actors, ingest.add_pull, export.add_validate,
    text.add_geocode, text.add_geoparse, gazetteer.add_gazetteer, boundaries.add_boundaries,
    ingest.add_pipeline, bench.add_bench, bench.add_synth, data.add_data,
)


def build_parser() -> argparse.ArgumentParser:
    """The whole `geo` parser; every subcommand sets `func` to the function that runs it."""
    common = boundary_options()
    parser = Parser(prog="geo", description="Iraq security data: locate points, validate and "
                    "export the curated events and deployments, rebuild the boundaries.")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=Parser)
    for add in COMMANDS:
        add(sub, common)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run one command: exit 0, 1 for a request that cannot be met, 2 for a malformed command."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except UsageError as exc:
        print(f"geo: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except BrokenPipeError:  # `geo … | head`: the reader has what it wanted
        return 0
    except (UserError, BoundaryError, SchemaError, ValueError, OSError) as exc:
        print(f"geo: error: {exc}", file=sys.stderr)
        return EXIT_DATA

