"""`geo locate`, `geo export`, `geo validate`: the curated data and points, placed and checked."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from geo.cli.common import EXIT_DATA, UserError, admin1_from, print_csv

if TYPE_CHECKING:
    from geo.cli.common import SubParsers


def _latlon(text: str) -> tuple[float, float]:
    parts = text.split(",")
    if len(parts) != 2:
        raise argparse.ArgumentTypeError(f"{text!r} is not LAT,LON")
    try:
        lat, lon = float(parts[0]), float(parts[1])
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"{text!r} is not two numbers LAT,LON") from exc
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise argparse.ArgumentTypeError(f"{text!r} is out of range (lat ±90, lon ±180)")
    return lat, lon


def cmd_locate(args: argparse.Namespace) -> int:
    """Governorate (and district, when a set is installed) of each point."""
    from geo.sources.attribution import with_districts
    from geo.spatial.boundaries import load_configured_admin2
    from geo.spatial.join import locate

    table = locate(args.points, admin1_from(args))
    admin2 = load_configured_admin2()
    if admin2 is not None:  # the same columns either way: blank without a district set
        table = with_districts(table.assign(latitude=table["lat"], longitude=table["lon"]),
                               admin2).drop(columns=["latitude", "longitude"])
    else:
        table = table.assign(admin2_code=None, admin2_name=None, jurisdiction=None)
    print_csv(table)
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    """A curated dataset, or a store's events, with the governorate join, in any export format."""
    from geo.data.export import BINARY_FORMATS, export_frame, to_csv_text, write
    from geo.sources.curated import load
    from geo.spatial.boundaries import load_configured_admin2

    if args.format in BINARY_FORMATS and args.out is None:
        raise UserError(f"--format {args.format} needs --out FILE")
    if (args.store is not None or args.with_curated) and args.dataset != "events":
        raise UserError("--store and --with-curated apply to events only; use --dataset events")
    if args.with_curated and args.store is None:
        raise UserError("--with-curated adds the curated events to a store's: give --store DIR")
    if args.dataset == "events":
        from geo.app.dataset import every_event_record
        from geo.data.store import store_dir

        store = store_dir(args.store) if args.store is not None else None
        frame = export_frame(every_event_record(
            admin1_from(args), load_configured_admin2(), store,
            curated=store is None or args.with_curated), "events")
    else:
        from geo.sources.attribution import with_districts

        data = load(args.dataset, admin1_from(args)).data
        admin2 = load_configured_admin2()
        if admin2 is not None and {"latitude", "admin1_code"} <= set(data.columns):
            data = with_districts(data, admin2)
        frame = export_frame(data, args.dataset)
    if args.out is None:
        sys.stdout.write(to_csv_text(frame) if args.format == "csv" else frame.to_json(
            drop_id=True, to_wgs84=True))
    else:
        write(frame, args.format, Path(args.out), layer=args.dataset)
        print(f"wrote {len(frame)} {args.dataset} rows to {args.out}", file=sys.stderr)
    return 0


def cmd_validate(args: argparse.Namespace) -> int:
    """Every problem in the curated data as CSV; exit 1 when a row was rejected."""
    import pandas as pd

    from geo.sources.curated import DATASETS, load

    names = [args.dataset] if args.dataset else list(DATASETS)
    admin1 = admin1_from(args)
    loaded = [load(n, admin1) for n in names]
    issues = pd.concat([x.issues for x in loaded], ignore_index=True)
    print_csv(issues)
    for x in loaded:
        print(f"{x.name}: {len(x.data)} rows kept, {len(x.rejected)} rejected, "
              f"{(x.issues.severity == 'warning').sum()} warnings", file=sys.stderr)
    return EXIT_DATA if (issues["severity"] == "error").any() else 0


def add_locate(sub: SubParsers, common: argparse.ArgumentParser) -> None:
    """Register `geo locate`."""
    p = sub.add_parser("locate", parents=[common], help="governorate and region of points",
                       description="Print lat,lon,admin1_code,admin1_name,region,admin2_code,"
                       "admin2_name,jurisdiction for each point (the last three blank without an "
                       "installed district set: `geo boundaries install`).")
    p.add_argument("points", nargs="+", type=_latlon, metavar="LAT,LON")
    p.set_defaults(func=cmd_locate)


def add_export(sub: SubParsers, common: argparse.ArgumentParser) -> None:
    """Register `geo export` (its format choices come from geo.data.export)."""
    from geo.data.export import FORMATS

    p = sub.add_parser("export", parents=[common], help="write a dataset as CSV/GeoJSON/GPKG/"
                       "GeoParquet", description="Export a curated dataset with its governorate "
                       "join. Events carry what the dashboard derives, computed as it does: "
                       "actor1_family, actor2_family, direction, origin, and duplicate_of (the "
                       "event_id of the record counted when another dataset reports the same "
                       "event; blank for the record counted). CSV goes to standard output unless "
                       "--out is given.")
    p.add_argument("--dataset", choices=["events", "deployments", "sites"], default="events")
    p.add_argument("--format", choices=list(FORMATS), default="csv")
    p.add_argument("--out", metavar="FILE", help="file to write (required for gpkg, parquet)")
    p.add_argument("--store", metavar="DIR", help="export the events imported into this store "
                   "(see `geo ingest`) instead of the embedded curated data")
    p.add_argument("--with-curated", action="store_true", help="with --store: the curated "
                   "events too, i.e. every record the dashboard holds with that store")
    p.set_defaults(func=cmd_export)


def add_validate(sub: SubParsers, common: argparse.ArgumentParser) -> None:
    """Register `geo validate` (one --dataset choice per curated table)."""
    from geo.sources.curated import DATASETS

    p = sub.add_parser("validate", parents=[common], help="check the curated data",
                       description="Print every problem (file,row,column,value,reason,severity) "
                       "as CSV; exit 1 if any row was rejected.")
    p.add_argument("--dataset", choices=list(DATASETS))
    p.set_defaults(func=cmd_validate)
