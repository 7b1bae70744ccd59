"""`geo bench`: each case beside its baseline, in the same process, on SYNTHETIC data.

Absolute seconds depend on the machine and on what else it is doing; the ratio between our way
and the baseline, measured seconds apart in the same run, is the figure to read. Nothing here is
a test: no assertion on time, only a table (docs/benchmarks.md explains every row).
"""

from __future__ import annotations

import os
import platform
import statistics
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from geo.data.crs import WGS84


@dataclass
class Row:
    case: str
    n: int
    ours: str
    baseline: str
    ratio: float | None
    note: str = ""


def _timed(fn: Callable[[], object], repeat: int = 1) -> tuple[float, object]:
    """Median seconds of `repeat` runs, and the last result."""
    times, out = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), out


def _rate(n: int, seconds: float) -> str:
    return f"{n / seconds:,.0f}/s"


# ---------------------------------------------------------------- 1. region assignment


def bench_join(events: pd.DataFrame, admin1: gpd.GeoDataFrame) -> Row:
    """Our grid lookup against geopandas.sjoin(predicate="within"), both from lat/lon columns."""
    from geo.spatial.join import assign_admin1
    from geo.spatial.region_index import build_index, cell_size, clear_cache

    points = pd.DataFrame(events[["latitude", "longitude"]])
    clear_cache()
    build_s, _ = _timed(lambda: build_index(admin1, cell_size(len(points))))

    def baseline() -> pd.Series:
        gdf = gpd.GeoDataFrame(geometry=gpd.points_from_xy(points["longitude"], points["latitude"]),
                               crs=WGS84)
        hit = gpd.sjoin(gdf, admin1[["admin1_code", "geometry"]], predicate="within", how="left")
        return hit[~hit.index.duplicated()]["admin1_code"]

    ours_s, ours = _timed(lambda: assign_admin1(points, admin1, geometry=False), 3)
    base_s, base = _timed(baseline, 1)
    a = ours["admin1_code"].astype(object).fillna("-").to_numpy()
    b = base.reindex(points.index).astype(object).fillna("-").to_numpy()
    differ = int((a != b).sum())
    # "within" leaves points exactly on a border unassigned; our rule gives them the lowest code
    on_border = int(((a != b) & (b == "-")).sum())
    same = "identical" if differ == 0 else f"{differ} differ ({on_border} on a border: rule)"
    return Row("1. region assignment", len(points), f"{ours_s:.3f} s", f"{base_s:.3f} s",
               base_s / ours_s, f"{same}; grid built once in {build_s:.2f} s (cached)")


# ---------------------------------------------------------------- 2. map page after a filter change


def _filters(events: pd.DataFrame) -> list:
    from geo.app.filters import Filter

    lo, hi = events["event_date"].min().date(), events["event_date"].max().date()
    mid = lo + (hi - lo) / 2
    return [Filter(), Filter(event_types=("Explosions/Remote violence",)), Filter(start=mid),
            Filter(regions=("Kurdistan Region",)), Filter(actor="militia"),
            Filter(admin1=("IQ-BG", "IQ-AN")), Filter(fatalities_min=1),
            Filter(end=mid, event_types=("Battles", "Protests"))]


def _streamlit_payload(fig) -> str:
    """What st.plotly_chart does with a figure before it leaves the server."""
    import plotly

    spec = plotly.tools.return_figure_from_figure_or_data(fig, validate_figure=True)
    return plotly.io.to_json(spec, validate=False)


def bench_map(events: gpd.GeoDataFrame, context: dict, naive_runs: int = 3) -> list[Row]:
    """Filter change -> the Map page's figures built and serialised, against one scatter_map with
    every filtered point (the notebook way). Median over several different filters."""
    import plotly.graph_objects as go

    from geo.app import figures, filters

    cases = _filters(events)
    ours_times, ours_sizes, naive_times, naive_sizes = [], [], [], []
    for f in cases:
        def ours(f=f) -> str:
            shown = filters.apply(events, f, columns=figures.map_columns(events))
            sites = filters.apply_places(context["sites"], f)
            return _streamlit_payload(figures.map_page_figure(
                figures.MapData(context["admin1"], context["regions"], shown, sites),
                context["deployments"],
                figures.MapSpec(f.layers, rings_km=(50, 100), height=520, width=900)))
        seconds, payload = _timed(ours)
        ours_times.append(seconds)
        ours_sizes.append(len(payload))
    for f in cases[:naive_runs]:
        def naive(f=f) -> str:
            shown = filters.apply(events, f)
            hover = np.stack([shown["event_date"].dt.strftime("%Y-%m-%d"), shown["event_type"],
                              shown["location"], shown["actor1"]], axis=1)
            fig = go.Figure(go.Scattermap(lat=shown["latitude"], lon=shown["longitude"],
                                          mode="markers", customdata=hover))
            fig.update_layout(map={"style": "white-bg", "center": {"lat": 33, "lon": 44}, "zoom": 5})
            return _streamlit_payload(fig)
        seconds, payload = _timed(naive)
        naive_times.append(seconds)
        naive_sizes.append(len(payload))
    ours_ms, naive_ms = statistics.median(ours_times) * 1000, statistics.median(naive_times) * 1000
    return [
        Row("2. filter change -> Map page figures", len(events), f"{ours_ms:.0f} ms median",
            f"{naive_ms:.0f} ms median", naive_ms / ours_ms,
            f"{len(cases)} filters (ours), {naive_runs} (naive); p-max ours "
            f"{max(ours_times) * 1000:.0f} ms"),
        Row("2b. Map page payload (JSON)", len(events), f"{max(ours_sizes) / 1e6:.2f} MB max",
            f"{max(naive_sizes) / 1e6:.2f} MB max", max(naive_sizes) / max(ours_sizes),
            "bytes st.plotly_chart sends to the browser"),
    ]


# ---------------------------------------------------------------- 3. ingest


def bench_ingest(csv: Path, n: int, admin1: gpd.GeoDataFrame, work: Path) -> Row:
    """ACLED CSV -> validated, joined, stored GeoParquet, against read_csv + sjoin (no checks)."""
    from geo.sources.ingest import ingest_file

    runs = iter(range(100))

    def ours():
        return ingest_file(csv, "acled", store=work / f"store_{n}_{next(runs)}", admin1=admin1)

    def baseline() -> gpd.GeoDataFrame:
        df = pd.read_csv(csv)
        gdf = gpd.GeoDataFrame(df, geometry=gpd.points_from_xy(df["longitude"], df["latitude"]),
                               crs=WGS84)
        return gpd.sjoin(gdf, admin1[["admin1_code", "geometry"]], predicate="within", how="left")

    ours_s, report = _timed(ours)
    base_s, _ = _timed(baseline)
    return Row("3. ingest ACLED CSV -> store", n, _rate(n, ours_s), _rate(n, base_s),
               base_s / ours_s, f"ours validates, joins, writes GeoParquet: {report.imported:,} "
               f"imported, {report.rejected:,} rejected")


# ---------------------------------------------------------------- 4. geocoding


def misspell(names: pd.Series, rng: np.random.Generator) -> pd.Series:
    """Realistic transliteration slips: a dropped/doubled letter, a swap, al-/el-, q~k, ou~u."""
    swaps = [("al-", "el-"), ("q", "k"), ("ou", "u"), ("a", "e"), ("iy", "i"), ("h", "")]
    out = names.copy()
    kind = rng.integers(0, 4, len(names))
    pos = rng.random(len(names))

    def drop(s: str, p: float) -> str:
        cut = max(1, int(p * len(s)))
        return s[:cut] + s[cut + 1:]

    def double(s: str, p: float) -> str:
        at = int(p * len(s))
        return s[:at] + s[at] * 2 + s[at + 1:]

    def swap(s: str, p: float) -> str:
        at = int(p * (len(s) - 1))
        return s[:at] + s[at + 1] + s[at] + s[at + 2:]

    def transliterate(s: str, p: float) -> str:
        for old, new in swaps[int(p * len(swaps)):] + swaps:
            if old in s.lower():
                return s.replace(old, new, 1) if old in s else drop(s, p)
        return drop(s, p)

    long_enough = (names.str.len() >= 4).to_numpy()
    for k, fn in enumerate((drop, double, swap, transliterate)):
        pick = (kind == k) & long_enough
        out[pick] = [fn(s, p) for s, p in zip(names[pick], pos[pick], strict=True)]
    return out


def bench_geocode(n: int, seed: int = 0) -> list[Row]:
    from rapidfuzz import fuzz, process

    from geo.text.gazetteer import load_places
    from geo.text.geocode import geocode

    places = load_places()
    iraq = places[places["country"] == "IQ"]
    rng = np.random.default_rng(seed)
    exact = iraq["name"].sample(n, replace=True, random_state=seed).reset_index(drop=True)
    fuzzy = misspell(exact, rng)
    exact_s, found = _timed(lambda: geocode(exact))
    fuzzy_s, fuzzy_found = _timed(lambda: geocode(fuzzy))
    sample = fuzzy.head(2_000).tolist()
    choices = iraq["name"].tolist()
    naive_s, _ = _timed(lambda: [process.extractOne(q, choices, scorer=fuzz.WRatio) for q in sample])
    naive_rate = len(sample) / naive_s
    matched = (fuzzy_found["match"] != "none").mean()
    right = (fuzzy_found["matched_name"].to_numpy() == exact.to_numpy()).mean()
    return [
        Row("4a. geocode exact/alias names", n, _rate(n, exact_s), f"{naive_rate:,.0f}/s",
            (n / exact_s) / naive_rate, f"{(found['match'] != 'none').mean():.1%} matched; "
            "baseline: rapidfuzz extractOne per name"),
        Row("4b. geocode misspelled names", n, _rate(n, fuzzy_s), f"{naive_rate:,.0f}/s",
            (n / fuzzy_s) / naive_rate, f"{matched:.1%} matched, {right:.1%} to the drawn name"),
    ]


# ---------------------------------------------------------------- 5. Dask


def bench_dask(csv: Path, n: int, admin1: gpd.GeoDataFrame, work: Path,
               scheduler: str | None = None) -> Row:
    from geo.sources.pipeline import client_for, run_dask, run_local

    local_s, local = _timed(lambda: run_local(csv, "acled", admin1=admin1))
    with client_for(scheduler) as client:
        workers = len(client.scheduler_info().get("workers", {}))
        address = client.scheduler.address
        dask_s, dasked = _timed(lambda: run_dask(csv, "acled", admin1=admin1, scheduler=address))
    same = local.aggregate.equals(dasked.aggregate)
    return Row("5. pipeline: Dask vs in-process", n, f"{dask_s:.1f} s", f"{local_s:.1f} s",
               local_s / dask_s, f"{'same' if same else 'DIFFERENT'} aggregate; {workers} workers, "
               f"{dasked.partitions} partitions; cluster start not timed")


# ---------------------------------------------------------------- driver


def machine() -> str:
    cpus = os.cpu_count()
    mem = ""
    try:
        kb = int(next(line for line in Path("/proc/meminfo").read_text().splitlines()
                      if line.startswith("MemTotal")).split()[1])
        mem = f", {kb / 1024 ** 2:.0f} GiB RAM"
    except (OSError, StopIteration, ValueError):
        pass
    return (f"{platform.machine()}, {cpus} CPU{'s' if cpus != 1 else ''}{mem}, Python "
            f"{platform.python_version()}, {platform.system()} {platform.release()}")


# ---------------------------------------------------------------- 6. analyst tools


def bench_analyst(events: pd.DataFrame, context: dict) -> list[Row]:
    """Surge alerts and site exposure on N joined events: vectorised, so a million events take
    seconds. The alerts' baseline is the obvious loop (one pass over the events per area)."""
    from geo.app.alerts import BASELINE_BLOCKS, RECENT_DAYS, alerts, violent
    from geo.app.exposure import exposure

    areas = pd.DataFrame(context["admin1"][["admin1_code", "admin1_name"]])
    n = len(events)
    ours_s, _ = _timed(lambda: alerts(events, areas), repeat=3)

    def naive() -> list[int]:
        ev = events[violent(events)]
        dates = pd.to_datetime(ev["event_date"])
        end = dates.max().normalize() + pd.Timedelta(days=1)
        counts = []
        for code in areas["admin1_code"]:  # the loop the vectorised crosstab replaces
            here = dates[ev["admin1_code"].eq(code).fillna(False).to_numpy(dtype=bool)]
            for k in range(BASELINE_BLOCKS + 1):
                hi = end - pd.Timedelta(days=RECENT_DAYS * k)
                counts.append(int(((here < hi) & (here >= hi - pd.Timedelta(days=RECENT_DAYS))).sum()))
        return counts

    naive_s, _ = _timed(naive)
    exp_s, table = _timed(lambda: exposure(events, context["sites"], context["deployments"]))
    return [Row("6a. surge alerts (18 governorates)", n, f"{ours_s:.2f} s ({_rate(n, ours_s)})",
                f"{naive_s:.2f} s (loop per governorate and 4-week block)", naive_s / ours_s),
            Row("6b. site exposure", n, f"{exp_s:.2f} s ({_rate(n, exp_s)})", "", None,
                f"{len(table)} rows: sites x status periods x (3 rings + governorate)")]


CASES = ("join", "map", "ingest", "geocode", "dask", "analyst")


def run(sizes: tuple[int, ...], cases: tuple[str, ...] = CASES,
        geocode_n: int = 100_000, scheduler: str | None = None,
        progress: Callable[[str], None] = lambda text: None) -> list[Row]:
    from geo.app import aggregate
    from geo.sources.curated import load
    from geo.spatial.boundaries import load_admin1, load_regions
    from geo.spatial.join import assign_admin1
    from geo.tools import synth

    admin1, rows = load_admin1(), []
    context = {"admin1": admin1, "regions": load_regions(), "sites": load("sites", admin1).data,
               "deployments": load("deployments", admin1).data}
    with tempfile.TemporaryDirectory(prefix="geo-bench-") as tmp:
        work = Path(tmp)
        for n in sizes:
            progress(f"synthesising {n:,} events")
            events = synth.synthesize(n, seed=1)
            if "join" in cases:
                progress(f"[{n:,}] region assignment")
                rows.append(bench_join(events, admin1))
            if "map" in cases:
                progress(f"[{n:,}] map page")
                joined = assign_admin1(events, admin1)
                joined[aggregate.ATTACK_COLUMN] = aggregate.attacks_on_foreign_forces(joined)
                rows += bench_map(joined, context)
                del joined
            if "analyst" in cases:
                progress(f"[{n:,}] surge alerts and site exposure")
                joined = assign_admin1(events, admin1)
                rows += bench_analyst(joined, context)
                del joined
            if {"ingest", "dask"} & set(cases):
                csv = work / f"acled_{n}.csv"
                progress(f"[{n:,}] writing an ACLED-format CSV")
                synth.write(events, csv, "acled")
                if "ingest" in cases:
                    progress(f"[{n:,}] ingest")
                    rows.append(bench_ingest(csv, n, admin1, work))
                if "dask" in cases:
                    progress(f"[{n:,}] Dask pipeline")
                    rows.append(bench_dask(csv, n, admin1, work, scheduler))
                csv.unlink()
        if "geocode" in cases:
            progress(f"geocoding {geocode_n:,} names")
            rows += bench_geocode(geocode_n)
    return rows


def table(rows: list[Row]) -> pd.DataFrame:
    return pd.DataFrame({"case": [r.case for r in rows], "N": [f"{r.n:,}" for r in rows],
                         "ours": [r.ours for r in rows], "baseline": [r.baseline for r in rows],
                         "ratio": ["" if r.ratio is None else f"{r.ratio:.1f}x" for r in rows],
                         "note": [r.note for r in rows]})


def markdown(df: pd.DataFrame) -> str:
    """A Markdown table (pipes in cells escaped) for docs/benchmarks.md."""
    cells = df.astype(str).apply(lambda col: col.str.replace("|", "\\|", regex=False))
    lines = ["| " + " | ".join(df.columns) + " |", "|" + "---|" * len(df.columns)]
    lines += ["| " + " | ".join(row) + " |" for row in cells.itertuples(index=False)]
    return "\n".join(lines)


def key_ratios(rows: list[Row]) -> str:
    parts = [f"{r.case.split('.')[0]}{'@' + format(r.n, ',') if r.n else ''}: {r.ratio:.1f}x"
             for r in rows if r.ratio is not None]
    return "key ratios (baseline / ours; >1 = ours faster or smaller): " + "; ".join(parts)
