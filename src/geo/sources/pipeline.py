"""One batch pipeline, two engines: read → map format → geocode → validate → join → aggregate.

`run_local` runs it in this process on whole files; `run_dask` runs the very same
`prepare_partition` on blocks of the files on a Dask cluster and writes a partitioned GeoParquet
dataset. Both give the same aggregate, the same (event_id, admin1_code) pairs and the same
issues, so the scale-out path can be trusted by comparing it with the simple one (see
docs/dask.md and tests/test_pipeline.py).

Rules both engines share:
- Row numbers in issues are rows of the input file (header = row 1), whatever the partitioning.
- Duplicate event_ids: the LAST valid occurrence wins (files in name order, rows in file order),
  like a later import replacing an earlier one in the store. The earlier occurrences are
  counted as `duplicates`, not as rejected. (`geo ingest` of a single file instead rejects the
  later duplicates: a batch feed appends corrections, a hand-made file more likely has typos.)
- All files of one run must be of one format (ACLED, UCDP GED or generic CSV).
"""

from __future__ import annotations

import os
import re
import shutil
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import geopandas as gpd
import numpy as np
import pandas as pd

from geo.data.crs import WGS84
from geo.data.i18n import _
from geo.data.schemas import EVENTS
from geo.data.validate import ISSUE_COLUMNS, SchemaError, read_csv_text, validate
from geo.sources import attribution
from geo.sources import formats as fmt
from geo.sources.ingest import FORMATS, admin1_warnings, geocode_missing, to_events

if TYPE_CHECKING:
    from distributed import Client

SCHEDULER_ENV = "GEO_DASK_SCHEDULER"
DEFAULT_BLOCKSIZE = "auto"
AUTO_BLOCK_RANGE = (1_000_000, 64_000_000)
CONNECT_TIMEOUT_S = 5.0
AGGREGATE_KEYS = ["admin1_code", "region", "event_type", "period"]
AGGREGATE_VALUES = ["events", "fatalities", "fatalities_unknown"]
INPUT_SUFFIXES = (".csv", ".parquet")
# Row positions are packed as partition << 32 | row, so "last occurrence" is one integer max.
_ROW_BITS = 32
_ORDER = "_order"
_INTERNAL = (_ORDER, "source_row")
_DATASET_FILE = re.compile(r"^(?:part\.\d+\.parquet|_metadata|_common_metadata)$")
_AGG_INPUT = ["admin1_code", "region", "event_type", "event_date", "fatalities"]


class SchedulerError(ValueError):
    """The Dask scheduler address is malformed or the scheduler cannot be reached."""


@dataclass
class Prepared:
    """What one partition gives: its kept events and everything needed to report on the rest.

    Rows in `issues` and `rejected` count from 2 within the partition; the caller adds the
    partition's offset in its file (it is only known once earlier partitions are read)."""

    label: str
    rows_read: int
    events: gpd.GeoDataFrame | None
    issues: pd.DataFrame
    rejected: pd.DataFrame
    geocoded: dict[str, int] = field(default_factory=dict)
    skipped: int = 0  # rows that are not data (HDX's HXL hashtag row)

    def report_only(self) -> Prepared:
        """The same without the events: what the client gathers from a Dask worker."""
        return replace(self, events=None)


@dataclass
class PipelineResult:
    """What a run did. rows_read = kept + rejected + duplicates (superseded, not written)
    + skipped (rows that are not data: an HXL hashtag row).
    `events` is the kept events in memory: always for the local engine, for the Dask engine
    only without `out_dir` (with it, read `dataset`, the written GeoParquet folder)."""

    engine: str
    format: str
    aggregate: pd.DataFrame
    issues: pd.DataFrame
    rejected_rows: pd.DataFrame
    rows_read: int
    kept: int
    rejected: int
    duplicates: int
    partitions: int
    seconds: float
    events: gpd.GeoDataFrame | None = None
    dataset: Path | None = None
    geocoded: dict[str, int] = field(default_factory=dict)
    skipped: int = 0

    def summary(self) -> str:
        warnings = int((self.issues["severity"] == "warning").sum()) if len(self.issues) else 0
        return (f"pipeline ({self.format}): {self.rows_read} rows read, {self.kept} kept, "
                f"{self.rejected} rejected, {self.duplicates} superseded duplicates, "
                f"{self.skipped} skipped (not data), {warnings} "
                f"warnings; engine {self.engine}, {self.partitions} partition"
                f"{'' if self.partitions == 1 else 's'}, "
                f"{self.seconds:.1f} s")


# --- the partition-level step both engines run ------------------------------------------------


def prepare_partition(raw: pd.DataFrame, kind: str, label: str, admin1: gpd.GeoDataFrame,
                      order_base: int = 0) -> Prepared:
    """Map, geocode, validate and join one block of rows of one file.

    It is a pure function of its inputs, so a block gives the same result in-process and on
    any worker. `order_base` ranks the block among all blocks (for "last occurrence wins")."""
    raw = _as_text(raw).reset_index(drop=True)
    mapped = to_events(raw, kind, label, _mapping(list(raw.columns), kind))
    mapped[_ORDER] = np.arange(len(mapped), dtype="int64") + order_base
    hxl = fmt.hxl_rows(raw).to_numpy()
    mapped, geocoded = geocode_missing(mapped[~hxl])  # the data rows keep their index (line)
    checked = validate(mapped, _EVENTS_NO_KEY, label, rows_from_index=True,
                       keep_extra=(*fmt.EXTRA_COLUMNS.get(kind, ()), _ORDER))
    events = attribution.join(checked.data, admin1)
    differ = attribution.disagreements(events)
    skipped = pd.DataFrame({"file": label, "row": np.flatnonzero(hxl) + 2, "column": "",
                            "value": "", "severity": "warning",
                            "reason": _("HXL hashtag row skipped: it describes the columns, it "
                                        "is not an event")}, columns=ISSUE_COLUMNS)
    issues = pd.concat([checked.issues, admin1_warnings(events, differ, label), skipped],
                       ignore_index=True)
    rejected = checked.rejected.drop(columns=[_ORDER])
    return Prepared(label, len(raw), events, issues[ISSUE_COLUMNS], rejected, geocoded,
                    int(hxl.sum()))


# Duplicates are settled across all partitions (last wins), so validation must not reject them
# within one partition: the same schema without its key check.
_EVENTS_NO_KEY = replace(EVENTS, key=None)


def _mapping(columns: list[str], kind: str) -> dict[str, str] | None:
    """Events already in our schema (this pipeline's output, a store) map onto themselves;
    other generic files get `suggest_mapping`, as in `geo ingest`."""
    if kind == "csv" and set(EVENTS.columns) <= set(columns):
        extra = [c for c in fmt.GENERIC_EXTRA if c in columns]  # the source's admin-1 too
        return {c: c for c in [*EVENTS.columns, *extra]}
    return None


def _as_text(raw: pd.DataFrame) -> pd.DataFrame:
    """Every cell as text, blank when missing: CSV blocks already are; Parquet input is not."""
    out = {}
    for name in raw.columns:
        if name == "geometry":  # coordinates come from latitude/longitude, as in a CSV
            continue
        col = raw[name]
        if isinstance(col.dtype, pd.StringDtype):  # CSV text: only fill blanks (fast path)
            out[name] = col.fillna("") if col.hasnans else col
        else:
            out[name] = col.astype(object).where(col.notna(), "").astype(str)
    return pd.DataFrame(out, index=raw.index, columns=[c for c in raw.columns if c != "geometry"])


def _ids(prepared: Prepared) -> pd.DataFrame:
    events = prepared.events
    return pd.DataFrame({"event_id": events["event_id"].astype(str).to_numpy(),
                         _ORDER: events[_ORDER].astype("int64").to_numpy()})


def duplicate_winners(ids: pd.DataFrame) -> pd.DataFrame:
    """For each event_id seen more than once: how often, and the position of the last one."""
    g = ids.groupby("event_id")[_ORDER].agg(["count", "max"])
    return g[g["count"] > 1]


def _final_events(prepared: Prepared, winners: pd.DataFrame | None) -> gpd.GeoDataFrame:
    """Kept events minus superseded duplicates, without the pipeline's bookkeeping columns."""
    events = prepared.events
    if winners is not None and len(winners):
        last = events["event_id"].astype(str).map(winners["max"])
        events = events[last.isna() | (last == events[_ORDER])]
    events = events.drop(columns=list(_INTERNAL)).reset_index(drop=True)
    # pandas picks the date unit from the values (an empty block gets seconds): fix one, so
    # every partition and the Dask meta agree and the Parquet parts share one schema
    dates = [c for c in events.columns if pd.api.types.is_datetime64_any_dtype(events[c])]
    return events.astype(dict.fromkeys(dates, "datetime64[us]")) if dates else events


# --- the aggregate ------------------------------------------------------------------------------


def _aggregate_inputs(events: pd.DataFrame) -> pd.DataFrame:
    """One row per event with the group keys and the numbers to add up."""
    fat = events["fatalities"]
    return pd.DataFrame({
        "admin1_code": events["admin1_code"].astype(object).where(events["admin1_code"].notna(), "")
                                            .astype(str),
        "region": events["region"].astype(str),
        "event_type": events["event_type"].astype(str),
        "period": pd.to_datetime(events["event_date"]).dt.to_period("M").dt.to_timestamp()
                    .astype("datetime64[ns]"),
        "events": np.ones(len(events), dtype="int64"),
        "fatalities": fat.fillna(0).astype("int64"),
        "fatalities_unknown": fat.isna().astype("int64"),
    }, index=events.index)


def _finish_aggregate(grouped: pd.DataFrame) -> pd.DataFrame:
    """Sorted rows and fixed dtypes, so two engines' tables compare with assert_frame_equal."""
    out = grouped.reset_index()
    for key in ("admin1_code", "region", "event_type"):
        out[key] = out[key].astype(object).astype(str)
    out["period"] = out["period"].astype("datetime64[ns]")
    for value in AGGREGATE_VALUES:
        out[value] = out[value].astype("int64")
    out = out[AGGREGATE_KEYS + AGGREGATE_VALUES]
    # governorates first; rows without one (outside Iraq, no coordinates) at the end
    order = out.assign(_none=out["admin1_code"] == "").sort_values(["_none", *AGGREGATE_KEYS],
                                                                   kind="stable").index
    return out.loc[order].reset_index(drop=True)


def aggregate_events(events: pd.DataFrame) -> pd.DataFrame:
    """Events, known fatalities and events of unknown toll per governorate, region, event type
    and month (`period` = month start). admin1_code is blank outside Iraq and without
    coordinates; `region` says which."""
    inputs = _aggregate_inputs(events[_AGG_INPUT])
    return _finish_aggregate(inputs.groupby(AGGREGATE_KEYS, sort=False)[AGGREGATE_VALUES].sum())


def _grouped_dask(ddf: Any) -> Any:
    """The same aggregate as a Dask groupby (lazy): partial sums on the workers, a small table
    back to the client, which finishes it with `_finish_aggregate`."""
    part = ddf[_AGG_INPUT]
    inputs = part.map_partitions(_aggregate_inputs, meta=_aggregate_inputs(part._meta))
    return inputs.groupby(AGGREGATE_KEYS, sort=False)[AGGREGATE_VALUES].sum()


def aggregate_dataset(path: str | Path, scheduler: str | None = None) -> pd.DataFrame:
    """The aggregate of a dataset this pipeline wrote, read back on the cluster: a new summary
    of a large dataset without ingesting it again."""
    import dask_geopandas

    with client_for(scheduler) as client:
        ddf = dask_geopandas.read_parquet(str(path), columns=[*_AGG_INPUT, "geometry"])
        return _finish_aggregate(client.compute(_grouped_dask(ddf), sync=True))


# --- inputs and outputs -------------------------------------------------------------------------


def input_files(path: str | Path) -> list[Path]:
    """A CSV or Parquet file, or a folder of them (a partitioned dataset), in name order."""
    path = Path(path)
    if path.is_file():
        if path.suffix.lower() not in INPUT_SUFFIXES:
            raise SchemaError(f"{path}: not a .csv or .parquet file")
        return [path]
    if not path.is_dir():
        raise SchemaError(f"{path}: file not found")
    files = sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in INPUT_SUFFIXES
                   and not any(part.startswith(("_", ".")) for part in p.relative_to(path).parts))
    if not files:
        raise SchemaError(f"{path}: no .csv or .parquet files in this folder")
    if len({p.suffix.lower() for p in files}) > 1:
        raise SchemaError(f"{path}: mixes .csv and .parquet files; use one kind per run")
    return files


def _label(path: Path, root: Path) -> str:
    """How issues name a file: its name, or its path inside the input folder."""
    return path.name if root.is_file() else str(path.relative_to(root))


def _columns(path: Path) -> list[str]:
    if path.suffix.lower() == ".parquet":
        import pyarrow.parquet as pq

        return [c for c in pq.read_schema(path).names if c != "geometry"]
    try:
        return list(pd.read_csv(path, nrows=0, dtype=str, encoding="utf-8-sig").columns)
    except UnicodeDecodeError as exc:
        raise SchemaError(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})") from exc
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise SchemaError(f"{path}: not a readable CSV ({str(exc).strip()})") from exc


def resolve_format(files: list[Path], kind: str) -> str:
    """The one format of all files: as given, or detected from each header (they must agree)."""
    if kind not in FORMATS:
        raise ValueError(f"unknown format {kind!r}; choose one of {', '.join(FORMATS)}")
    if kind != "auto":
        return kind
    found = {f: fmt.detect_format(_columns(f)) for f in files}
    kinds = sorted(set(found.values()))
    if len(kinds) > 1:
        example = ", ".join(f"{f.name}: {k}" for f, k in list(found.items())[:4])
        raise SchemaError(f"input mixes formats ({example}); run one format at a time")
    return kinds[0]


def _check_headers(files: list[Path], root: Path, kind: str, admin1: gpd.GeoDataFrame
                   ) -> gpd.GeoDataFrame:
    """Run every distinct header through the pipeline with no rows: a file the format cannot
    map fails here, on the client, before any data is read. Returns the empty output frame
    (the exact columns and dtypes: Dask's meta)."""
    meta, seen = None, set()
    for f in files:
        columns = tuple(_columns(f))
        if columns in seen:
            continue
        seen.add(columns)
        header = pd.DataFrame({c: pd.Series(dtype=object) for c in columns})
        meta = _final_events(prepare_partition(header, kind, _label(f, root), admin1), None)
    return meta


def _read_whole(path: Path) -> pd.DataFrame:
    if path.suffix.lower() == ".parquet":
        return pd.read_parquet(path)
    return read_csv_text(path, str(path))


def check_out_dir(out_dir: str | Path, source: str | Path | None = None) -> Path:
    """Refuse an output folder that would damage something: the shipped data, the input, or a
    folder holding anything but a previous dataset (which is replaced)."""
    from geo.data import paths

    out = Path(out_dir)
    where = out.resolve()
    if (data := paths.data_folder_holding(out)) is not None:
        raise ValueError(f"{out}: inside the project's data folder ({data}); choose another "
                         "--out folder")
    if source is not None and Path(source).is_dir():
        src = Path(source).resolve()
        if where == src or where.is_relative_to(src):
            raise ValueError(f"{out}: inside the input folder; the next run would read it back")
    if out.exists():
        if not out.is_dir():
            raise ValueError(f"{out}: exists and is not a folder")
        foreign = [p.name for p in out.iterdir() if not _DATASET_FILE.match(p.name)]
        if foreign:
            raise ValueError(f"{out}: not empty and not a dataset written by `geo pipeline` "
                             f"(has {foreign[0]}); choose a new or empty folder")
    return out


@contextmanager
def _staged(out: Path) -> Iterator[Path]:
    """Write into a hidden sibling folder, then swap it in: a failed run keeps the old dataset."""
    staging = out.with_name(f".{out.name}.partial-{uuid.uuid4().hex[:8]}")
    staging.mkdir(parents=True)
    try:
        yield staging
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    old = out.with_name(f".{out.name}.old-{uuid.uuid4().hex[:8]}")
    if out.exists():
        out.rename(old)
    staging.rename(out)
    shutil.rmtree(old, ignore_errors=True)


def _write_local(events: gpd.GeoDataFrame, out: Path) -> None:
    with _staged(out) as folder:
        events.to_parquet(folder / "part.0.parquet", index=False)


# --- combining partition reports ----------------------------------------------------------------


@dataclass
class _Report:
    issues: pd.DataFrame
    rejected_rows: pd.DataFrame
    rows_read: int
    rejected: int
    geocoded: dict[str, int]
    skipped: int = 0


def _combine(reports: list[Prepared]) -> _Report:
    """Issues and rejected rows of all partitions, with rows renumbered as rows of their file."""
    issues, rejected, geocoded = [], [], {}
    offsets: dict[str, int] = {}
    for rep in reports:
        offset = offsets.get(rep.label, 0)
        offsets[rep.label] = offset + rep.rows_read
        if len(rep.issues):
            issues.append(rep.issues.assign(row=rep.issues["row"].astype("int64") + offset))
        if len(rep.rejected):
            rows = rep.rejected["_row"].astype("int64") + offset
            rejected.append(rep.rejected.drop(columns="_row").assign(file=rep.label, row=rows))
        for how, n in rep.geocoded.items():
            geocoded[how] = geocoded.get(how, 0) + int(n)
    all_issues = (pd.concat(issues, ignore_index=True) if issues
                  else pd.DataFrame(columns=ISSUE_COLUMNS))
    # the same dtypes whether the frames were made here or unpickled from a worker
    all_issues = all_issues.astype({c: "int64" if c == "row" else str for c in ISSUE_COLUMNS})
    all_rejected = pd.concat(rejected, ignore_index=True) if rejected else pd.DataFrame(
        columns=["file", "row"])
    if len(all_rejected):
        problems = (all_issues[all_issues["severity"] == "error"]
                    .groupby(["file", "row"])["reason"].agg("; ".join).rename("problems"))
        all_rejected = all_rejected.join(problems, on=["file", "row"])
        front = ["file", "row", "problems"]
        all_rejected = all_rejected[front + [c for c in all_rejected.columns if c not in front]]
    return _Report(all_issues, all_rejected, sum(r.rows_read for r in reports), len(all_rejected),
                   geocoded, sum(r.skipped for r in reports))


# --- engine 1: in-process -----------------------------------------------------------------------


def run_local(path: str | Path, kind: str = "auto", out_dir: str | Path | None = None,
              admin1: gpd.GeoDataFrame | None = None) -> PipelineResult:
    """The pipeline in this process, one whole file at a time: the reference for `run_dask`."""
    from geo.spatial.boundaries import load_admin1

    start = time.perf_counter()
    root = Path(path)
    files = input_files(root)
    kind = resolve_format(files, kind)
    out = check_out_dir(out_dir, root) if out_dir is not None else None
    admin1 = load_admin1() if admin1 is None else admin1
    _check_headers(files, root, kind, admin1)
    prepared = [prepare_partition(_read_whole(f), kind, _label(f, root), admin1,
                                  order_base=i << _ROW_BITS) for i, f in enumerate(files)]
    report = _combine(prepared)
    winners = duplicate_winners(pd.concat([_ids(p) for p in prepared], ignore_index=True))
    events = pd.concat([_final_events(p, winners) for p in prepared], ignore_index=True)
    events = gpd.GeoDataFrame(events, geometry="geometry", crs=WGS84)
    if out is not None:
        _write_local(events, out)
    return PipelineResult(
        "local", kind, aggregate_events(events), report.issues, report.rejected_rows,
        report.rows_read, len(events), report.rejected, int((winners["count"] - 1).sum()),
        len(files), time.perf_counter() - start, events, out, report.geocoded, report.skipped)


# --- engine 2: Dask -----------------------------------------------------------------------------


_ADDRESS = re.compile(r"^(?:(?:tcp|tls)://)?(?P<host>\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9][A-Za-z0-9.\-]*)"
                      r":(?P<port>\d{1,5})/?$")


def check_address(address: str) -> str:
    """tcp://HOST:PORT, tls://HOST:PORT, inproc://… or HOST:PORT; anything else is an error."""
    address = address.strip()
    if re.fullmatch(r"inproc://\S+", address):
        return address
    m = _ADDRESS.fullmatch(address)
    if not m or not 0 < int(m["port"]) < 65536:
        raise SchedulerError(f"scheduler address {address!r} is not tcp://HOST:PORT, "
                             "tls://HOST:PORT, inproc://… or HOST:PORT")
    return address


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


@contextmanager
def client_for(scheduler: str | None = None, timeout: float = CONNECT_TIMEOUT_S
               ) -> Iterator[Client]:
    """A Dask client: at `scheduler` (else GEO_DASK_SCHEDULER), or on a throwaway local cluster.

    The local cluster has one single-threaded worker process per core (the join holds the GIL)
    and no dashboard, so it needs no free port; it is closed on exit. A remote cluster is only
    disconnected from, never shut down."""
    import logging

    from distributed import Client, LocalCluster

    address = scheduler if scheduler is not None else (os.environ.get(SCHEDULER_ENV) or None)
    if address is None:
        with LocalCluster(n_workers=_cores(), threads_per_worker=1, processes=True,
                          # a failed task is re-raised here as one error: no worker log
                          dashboard_address=None, silence_logs=logging.CRITICAL,
                          # its health/metrics HTTP server on a free port, never a fixed 8787
                          scheduler_kwargs={"dashboard_address": ":0"}) as cluster, \
                Client(cluster) as client:
            yield client
        return
    address = check_address(address)
    try:
        client = Client(address, timeout=timeout)
    except (OSError, TimeoutError) as exc:
        raise SchedulerError(f"cannot reach the Dask scheduler at {address} within {timeout:g} s "
                             f"({str(exc).strip() or type(exc).__name__})") from None
    except TypeError as exc:  # tls:// without certificates configured
        raise SchedulerError(f"cannot connect to {address}: {exc} (for tls:// set "
                             "distributed.comm.tls.* in the Dask configuration, see "
                             "docs/dask.md)") from None
    try:
        yield client
    finally:
        client.close()


def _blocks(path: Path, blocksize: int | None) -> list[Any]:
    """Delayed raw blocks of one file: CSV cut at line ends, Parquet by its row groups."""
    import dask.dataframe as dd

    if path.suffix.lower() == ".parquet":
        return list(dd.read_parquet(str(path)).to_delayed())
    return list(dd.read_csv(str(path), dtype=str, keep_default_na=False, na_values=[],
                            encoding="utf-8-sig", blocksize=blocksize).to_delayed())


def _blocksize(value: int | str | None) -> int | str | None:
    """Bytes per CSV block, "auto", or None for one block per file (quoted line breaks)."""
    from dask.utils import parse_bytes

    if value is None or (isinstance(value, str) and value.strip().lower() == "none"):
        return None
    if isinstance(value, str) and value.strip().lower() == "auto":
        return "auto"
    try:
        size = parse_bytes(value) if isinstance(value, str) else int(value)
    except (ValueError, TypeError) as exc:
        raise ValueError(f"blocksize {value!r} is not a size like 64MB (or auto, none)") from exc
    if size < 1024:
        raise ValueError(f"blocksize {value!r} is below 1 kB")
    return size


def _auto_blocksize(files: list[Path], threads: int) -> int:
    """Two blocks per worker thread, so every worker is busy and no single block is the long
    tail; within 1 to 64 MB so a block's tasks stay cheap to schedule and fit in memory."""
    total = sum(f.stat().st_size for f in files)
    low, high = AUTO_BLOCK_RANGE
    return int(min(high, max(low, -(-total // (2 * max(threads, 1))))))


def run_dask(path: str | Path, kind: str = "auto", out_dir: str | Path | None = None,
             admin1: gpd.GeoDataFrame | None = None, scheduler: str | None = None,
             blocksize: int | str | None = DEFAULT_BLOCKSIZE) -> PipelineResult:
    """The pipeline on a Dask cluster: blocks of the input, prepared on the workers.

    Two passes over blocks held in cluster memory: the first prepares every block and finds the
    duplicate event_ids (a small table), the second drops superseded duplicates, writes the
    GeoParquet dataset (with `out_dir`, else gathers the events) and computes the aggregate
    with a Dask groupby. Paths must be visible to the workers at the same place (shared
    storage)."""
    import dask.dataframe as dd
    import dask_geopandas  # noqa: F401  (registers GeoDataFrame with dask: from_delayed, parquet)
    from dask import delayed

    from geo.spatial.boundaries import load_admin1

    start = time.perf_counter()
    root = Path(path).absolute()  # workers have another working directory
    files = input_files(root)
    kind = resolve_format(files, kind)
    size = _blocksize(blocksize)
    out = check_out_dir(out_dir, root).absolute() if out_dir is not None else None
    admin1 = load_admin1() if admin1 is None else admin1
    meta = _check_headers(files, root, kind, admin1)

    with client_for(scheduler) as client:
        polygons = client.scatter(admin1, broadcast=True)  # once per worker, not once per task
        if size == "auto":
            size = _auto_blocksize(files, sum(client.nthreads().values()))
        blocks = [(_label(f, root), b) for f in files for b in _blocks(f, size)]
        prepare = delayed(prepare_partition, pure=True)
        prepared = client.persist([prepare(b, kind, label, polygons, order_base=i << _ROW_BITS)
                                   for i, (label, b) in enumerate(blocks)])
        # pass 1: the reports (small) and the duplicate event_ids (small), from held partitions
        ids = dd.from_delayed([delayed(_ids)(p) for p in prepared],
                              meta=pd.DataFrame({"event_id": pd.Series(dtype=str),
                                                 _ORDER: pd.Series(dtype="int64")}),
                              verify_meta=False)
        # as delayed, so that one compute holds one kind of graph (no mixed-collections warning)
        winner_parts = delayed(pd.concat)(duplicate_winners(ids).to_delayed())
        try:
            *reports, winners = client.compute(
                [*(delayed(Prepared.report_only)(p) for p in prepared), winner_parts], sync=True)
        except pd.errors.ParserError as exc:
            raise SchemaError(f"{root}: not a readable CSV in blocks ({str(exc).strip()}); a "
                              "quoted value spanning lines needs --blocksize none") from exc
        except UnicodeDecodeError as exc:
            raise SchemaError(f"{root}: not UTF-8 text ({exc.reason})") from exc
        report = _combine(reports)
        duplicates = int((winners["count"] - 1).sum())

        # pass 2: drop superseded duplicates, then write and aggregate in one go
        shared = client.scatter(winners, broadcast=True) if len(winners) else None
        events = dd.from_delayed([delayed(_final_events, pure=True)(p, shared) for p in prepared],
                                 meta=meta, verify_meta=False)
        gathered = None
        if out is not None:
            with _staged(out) as folder:
                write = events.to_parquet(str(folder), write_index=False, compute=False)
                _, grouped = client.compute([write, _grouped_dask(events)], sync=True)
        else:
            grouped, gathered = client.compute([_grouped_dask(events), events], sync=True)
        aggregate = _finish_aggregate(grouped)
    kept = int(aggregate["events"].sum())  # every kept event is in exactly one group
    return PipelineResult(
        "dask", kind, aggregate, report.issues, report.rejected_rows, report.rows_read, kept,
        report.rejected, duplicates, len(blocks), time.perf_counter() - start, gathered, out,
        report.geocoded, report.skipped)
