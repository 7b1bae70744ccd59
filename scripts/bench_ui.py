"""`make bench-ui`: how long the dashboard takes to settle in a real browser, against a bare page.

Why: a page's speed is what a reader waits for, from the URL to a page whose script run has
finished and whose charts and maps have drawn (`load_test._SETTLED`). Timings on shared machines
are noisy, so every figure is a ratio to a baseline measured in the same run, interleaved with
the app's pages: a bare Streamlit page with one map and one chart (`bench_baseline_app.py`).

It reports, per filtered URL, the median time to a settled page over `--rounds` fresh visits
(new browser context = new Streamlit session), the median of the baseline, their ratio; and the
median time for a widget change in an open session (a filter typed in the sidebar, a map layer
toggled) against the median full page load. Targets (issue 11): pages <= 1.2x the baseline,
widget changes < 0.5x a full load. When the real UCDP GED file is at ../shared/data/events/, the
same pages are also measured with it imported (7,473 events on top of the curated set), against
the curated-only pages of the same run (issue 23: <= 1.2x).

    .venv/bin/python scripts/bench_ui.py                       # 5 rounds, table to stdout
    .venv/bin/python scripts/bench_ui.py --rounds 9 --markdown docs/bench_ui.md
    .venv/bin/python scripts/bench_ui.py --probe map    # where one page load spends its time
    .venv/bin/python scripts/bench_ui.py --map-variants   # the map alone, with and without parts
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from load_test import (  # noqa: E402 - the sibling script, imported as a module
    _COUNT_RUNS,
    ARTIFACTS,
    CHROMIUM,
    CHROMIUM_ARGS,
    _settle,
    app_server,
)

BASELINE = Path(__file__).resolve().parent / "bench_baseline_app.py"
MAP_ONLY = Path(__file__).resolve().parent / "bench_map_only_app.py"
# What readers open from shared links: every page, most with a filter in the URL.
URLS = {
    "Overview": "",
    "Overview, 2024": "?start=2024-01-01&end=2024-12-31",
    "Map, attacks on US/coalition": "map?dir=Attacks+on+US%2Fcoalition+and+diplomatic+sites",
    "Map, Kurdistan Region": "map?region=Kurdistan+Region",
    "Events, since Jan 2026": "events?start=2026-01-01",
    "Regions, Baghdad": "regions?gov=IQ-BG",
    "Deployments": "deployments",
}
ACTORS = ("Kataib", "Turkish", "Islamic State", "Unidentified", "PKK", "Iran", "Protesters",
          "US forces", "Peshmerga")
TIMEOUT_S = 120.0
LANGUAGE_LABEL = "Language · اللغة · زمان"  # geo.app.ui._LANG_LABEL, the same in every language
LANGUAGES = ("العربية", "English", "کوردی", "English")
NOTES = "## What the time is made of"  # docs/bench_ui.md: hand-written below the table
MAP_VARIANTS = ("as-is", "no-geography", "one-trace", "one-trace-plain")  # bench_map_only_app.py
UCDP = Path(__file__).resolve().parents[2] / "shared" / "data" / "events" / "ucdp_ged_iraq_hdx.csv"


@contextmanager
def servers(map_only: bool = False, real: bool = False
            ) -> Iterator[tuple[str, str, str | None, str | None]]:
    """The dashboard, the bare page, (when asked) the map-alone page and the dashboard with the
    real UCDP GED file imported, each on its own port; yields their URLs."""
    with tempfile.TemporaryDirectory() as tmp, ExitStack() as stack:
        def start(app: Path | None, log: str, store: str = "store") -> str:
            extra = (app,) if app else ()
            url, _ = stack.enter_context(app_server(Path(tmp) / store, ARTIFACTS / log, *extra))
            return url

        with_ucdp = None
        if real and UCDP.exists():
            from geo.sources.ingest import ingest_file

            ingest_file(UCDP, store=Path(tmp) / "ucdp-store")
            with_ucdp = start(None, "bench_ui_ucdp.log", "ucdp-store")
        yield (start(None, "bench_ui_app.log"), start(BASELINE, "bench_ui_base.log"),
               start(MAP_ONLY, "bench_ui_map.log") if map_only else None, with_ucdp)


async def _context(browser):
    """A browser context as the bench's reader has it: 1440x900, script runs counted."""
    context = await browser.new_context(viewport={"width": 1440, "height": 900})
    await context.add_init_script(_COUNT_RUNS)
    return context


async def _visit(browser, url: str, returning=None) -> float:
    """Seconds from navigation to a settled page, in a fresh session. A first visit has a new
    browser context (empty cache); a `returning` reader's context (kept open by the caller) keeps
    its HTTP and code caches, and each visit is a new tab, so still a new Streamlit session."""
    context = returning or await _context(browser)
    page = await context.new_page()
    try:
        start = time.perf_counter()
        await page.goto(url, wait_until="commit")
        await _settle(page, 1, TIMEOUT_S)
        return time.perf_counter() - start
    finally:
        await (page if returning else context).close()


async def _widget_changes(browser, app: str, rounds: int) -> dict[str, list[float]]:
    """In one open Map page: type an actor, toggle a layer, then switch the language (Arabic,
    English, Kurdish, English …: both ways); seconds to settled after each, from the Enter that
    submits the typed actor or the chosen language (typing is the reader's time, not the app's).
    A switch is one script run, like a filter change (checked: the URL's `lang` is written in
    that run). A language's first switch draws its figures anew (their cache key holds it)."""
    context = await _context(browser)
    page = await context.new_page()
    await page.goto(f"{app}/map", wait_until="commit")
    await _settle(page, 1, TIMEOUT_S)
    runs = await page.evaluate("window.__stFinished")
    times: dict[str, list[float]] = {"filter (Actor contains)": [], "layer toggle": [],
                                     "language switch": []}
    expander = page.get_by_test_id("stSidebar").get_by_text("Map layers")
    await expander.click()
    box = page.get_by_label("Actor contains")
    for i in range(rounds):
        await box.fill(ACTORS[i % len(ACTORS)])
        start = time.perf_counter()  # from the Enter that submits, as for the language below
        await box.press("Enter")
        runs += 1
        await _settle(page, runs, TIMEOUT_S)
        times["filter (Actor contains)"].append(time.perf_counter() - start)
        start = time.perf_counter()
        await page.get_by_text("Event density (heat)").click()
        runs += 1
        await _settle(page, runs, TIMEOUT_S)
        times["layer toggle"].append(time.perf_counter() - start)
    picker = page.get_by_test_id("stSidebar").get_by_label(LANGUAGE_LABEL)
    for i in range(rounds):
        await picker.click()  # typed and chosen with Enter, as a keyboard user does
        await page.keyboard.type(LANGUAGES[i % len(LANGUAGES)])
        start = time.perf_counter()
        await page.keyboard.press("Enter")
        runs += 1
        await _settle(page, runs, TIMEOUT_S)
        times["language switch"].append(time.perf_counter() - start)
    await context.close()
    return times


async def measure(rounds: int, returning: bool = False) -> dict:
    from playwright.async_api import async_playwright

    with servers(real=True) as (app, base, _, real):
        apps = [app, *([real] if real else [])]
        async with async_playwright() as p:
            browser = await p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            kept = await _context(browser) if returning else None  # the returning reader's
            for url in (base, *(f"{a}/{path}" for a in apps for path in URLS.values())):
                await _visit(browser, url, kept)  # warm caches
            pages: dict[str, list[float]] = {name: [] for name in URLS}
            with_ucdp: dict[str, list[float]] = {name: [] for name in URLS} if real else {}
            baseline: list[float] = []
            for _ in range(rounds):  # interleaved: drift in machine load hits both alike
                baseline.append(await _visit(browser, base, kept))
                for name, path in URLS.items():
                    pages[name].append(await _visit(browser, f"{app}/{path}", kept))
                    if real:
                        with_ucdp[name].append(await _visit(browser, f"{real}/{path}", kept))
            widgets = await _widget_changes(browser, app, rounds)
            await browser.close()
    return {"rounds": rounds, "baseline": baseline, "pages": pages, "widgets": widgets,
            "returning": returning, "with_ucdp": with_ucdp}


# One page load, sampled every 100 ms: when the script run finishes, while elements still wait
# for their code (skeletons), when the charts draw, when the map has loaded.
_PROBE = """() => {
  const app = document.querySelector('[data-testid="stApp"]');
  const plots = [...document.querySelectorAll('.js-plotly-plot')];
  const maps = plots.map(g => g._fullLayout && g._fullLayout.map && g._fullLayout.map._subplot)
    .filter(s => s && s.map);
  return {ms: Math.round(performance.now()), runs: window.__stFinished || 0,
          state: app && app.getAttribute('data-test-script-state'),
          waiting: document.querySelectorAll('[data-testid="stSkeleton"], [data-stale="true"]').length,
          drawn: plots.filter(g => g._fullLayout).length + '/' + plots.length,
          maps_loaded: maps.filter(s => s.map.loaded() && s.map.areTilesLoaded()).length + '/'
                       + maps.length};
}"""


async def probe(path: str) -> list[str]:
    """The states one fresh visit goes through (changes only): the bare page, the dashboard's
    map alone on a page, then the dashboard's page."""
    from playwright.async_api import async_playwright

    lines: list[str] = []
    with servers(map_only=True) as (app, base, alone, _):
        async with async_playwright() as p:
            browser = await p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            for url in (base, alone, f"{app}/{path}"):
                await _visit(browser, url)  # warm the server's caches
                context = await _context(browser)
                page = await context.new_page()
                await page.goto(url, wait_until="commit")
                last = None
                lines.append(url)
                for _ in range(120):
                    now = await page.evaluate(_PROBE)
                    state = {k: v for k, v in now.items() if k != "ms"}
                    if state != last:
                        lines.append(f"  {now['ms']:>6} ms  {state}")
                    last = state
                    await asyncio.sleep(0.1)
                await context.close()
            await browser.close()
    return lines


async def map_variants(rounds: int) -> list[str]:
    """The dashboard's map alone on a page (`bench_map_only_app.py`), as it is and with parts
    left out, against the bare page: what the map itself costs, and which part of it."""
    from playwright.async_api import async_playwright

    with servers(map_only=True) as (_, base, alone, _real):
        urls = {"bare page (baseline)": base, **{f"map alone, {v}": f"{alone}/?v={v}" for v in MAP_VARIANTS}}
        async with async_playwright() as p:
            browser = await p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            for url in urls.values():
                await _visit(browser, url)
            times: dict[str, list[float]] = {name: [] for name in urls}
            for _ in range(rounds):
                for name, url in urls.items():
                    times[name].append(await _visit(browser, url))
            await browser.close()
    base_s = statistics.median(times["bare page (baseline)"])
    return [f"{name:32s} {statistics.median(t):5.2f} s  {statistics.median(t) / base_s:4.2f}x"
            for name, t in times.items()]


def markdown(result: dict) -> str:
    base = statistics.median(result["baseline"])
    every = [t for times in result["pages"].values() for t in times]
    full = statistics.median(every)
    who = ("visits of a returning reader (browser cache kept, new session each)"
           if result.get("returning") else "first visits (empty browser cache, new session each)")
    lines = [f"Median seconds to a settled page over {result['rounds']} {who}, "
             "1440x900, headless Chromium; ratios against the bare page measured in the same run.",
             "", "| page (URL) | median s | × bare page |", "|---|---|---|",
             f"| bare Streamlit page, one map and one chart (baseline) | {base:.2f} | 1.00 |"]
    for name, times in result["pages"].items():
        med = statistics.median(times)
        lines.append(f"| {name} (`/{URLS[name]}`) | {med:.2f} | {med / base:.2f} |")
    lines.append(f"| **all pages** | **{full:.2f}** | **{full / base:.2f}** |")
    if result.get("with_ucdp"):
        lines += ["", "With the real UCDP GED file imported (7,473 events on top of the curated "
                  "set), the same pages in the same run:", "",
                  "| page (URL) | curated only, s | with UCDP, s | × curated only |",
                  "|---|---|---|---|"]
        for name, times in result["with_ucdp"].items():
            mine, theirs = statistics.median(result["pages"][name]), statistics.median(times)
            lines.append(f"| {name} | {mine:.2f} | {theirs:.2f} | {theirs / mine:.2f} |")
        every_real = statistics.median([t for ts in result["with_ucdp"].values() for t in ts])
        lines.append(f"| **all pages** | **{full:.2f}** | **{every_real:.2f}** | "
                     f"**{every_real / full:.2f}** |")
    lines += ["", "| widget change on the Map page | median s | × full page load | × filter change |",
              "|---|---|---|---|"]
    typed = statistics.median(next(iter(result["widgets"].values())))
    for name, times in result["widgets"].items():
        med = statistics.median(times)
        lines.append(f"| {name} | {med:.2f} | {med / full:.2f} | {med / typed:.2f} |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5, choices=range(1, 51), metavar="1-50")
    parser.add_argument("--markdown", metavar="FILE", help="also write the table to FILE")
    parser.add_argument("--returning", action="store_true",
                        help="visits with the browser's cache kept (a returning reader)")
    parser.add_argument("--probe", metavar="PATH",
                        help="instead: trace one visit of PATH (e.g. map) beside the bare page")
    parser.add_argument("--map-variants", action="store_true",
                        help="instead: the map alone, as it is and with parts left out")
    args = parser.parse_args(argv)
    if args.map_variants:
        print("\n".join(asyncio.run(map_variants(args.rounds))))
        return 0
    if args.probe is not None:
        print("\n".join(asyncio.run(probe(args.probe))))
        return 0
    table = markdown(asyncio.run(measure(args.rounds, args.returning)))
    print(table)
    if args.markdown:  # the table replaces the old one; the notes under it are kept
        out = Path(args.markdown)
        old = out.read_text(encoding="utf-8") if out.exists() else ""
        notes = old[old.find(NOTES):] if NOTES in old else ""
        out.write_text(table + ("\n" + notes if notes else ""), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
