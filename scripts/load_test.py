"""Load test: N concurrent browser sessions against one `streamlit run` of the app.

Why: Streamlit runs every session's script in a thread of one Python process, so what one user
sees depends on what the others do. This starts the app on a store of SYNTHETIC events
(`geo.tools.synth`) and opens N headless sessions in ONE Chromium (a browser context each). All open a
page at the same moment; once all have, each loops for a bounded time through page switches
(sidebar links), filter changes (the "Actor contains" box) and fresh visits by URL
(`?type=Battles`, `?region=Kurdistan%20Region`, `?start=2022-01-01`, `?actor=Protesters`). Each
action is timed from the click to "settled": the script run has finished (Streamlit's
`data-test-script-state`), nothing is stale, every chart and map has drawn. It reports errors
(page errors, Streamlit exceptions, timeouts, a page showing the wrong page or filter), median
and p95 times, and the server's memory and CPU. docs/load.md has a run and reads it.

    .venv/bin/python scripts/load_test.py                      # 20 sessions, 60 s, 50,000 events
    .venv/bin/python scripts/load_test.py --sessions 8 --seconds 30 --markdown -
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import asdict, dataclass, field
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "tests" / "artifacts"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--use-angle=swiftshader", "--enable-unsafe-swiftshader",
                 "--disable-background-networking", "--disable-component-update", "--no-first-run"]
# sidebar link text -> (URL path, the page's h1)
PAGES = {
    "Overview": ("", "Iraq: attacks, strikes and foreign forces"), "Map": ("map", "Map"),
    "Events": ("events", "Events"), "Deployments": ("deployments", "Deployments"),
    "Regions": ("regions", "Regions"), "Data": ("data", "Data"), "Geoparse": ("geoparse", "Geoparse a text"),
}
# link parameters -> what the filter caption then says
QUERIES = {"type=Battles": "types: Battles", f"region={quote('Kurdistan Region')}": "regions: Kurdistan",
           "start=2022-01-01": "2022-01-01 to", "actor=Protesters": "actor contains “Protesters”"}
ACTORS = ("Protesters", "Rebel group", "State forces", "Rioters", "Civilians", "militia")
KINDS = {"visit": "new visit by URL (new session, with a filter)",
         "page": "page switch (sidebar link, same session)",
         "filter": "filter change (Actor contains, same session)"}

# Installed in every document before the app's code: counts the script runs Streamlit reports
# as finished (a ForwardMsg whose field 6, script_finished, is 0 = success or 1 = compile
# error), read from the websocket as the app reads it. The DOM is no clock: React may never
# show a short run as "running". Only small binary messages are looked at.
_COUNT_RUNS = """(() => {
  window.__stFinished = 0;
  window.__stFinishedAt = 0;
  const finished = bytes => {
    let i = 0;
    const varint = () => { let x = 0, k = 1, c; do { c = bytes[i++]; x += (c & 127) * k; k *= 128; }
                           while (c & 128 && i < bytes.length); return x; };
    while (i < bytes.length) {
      const key = varint(), field = Math.floor(key / 8), wire = key & 7;
      if (wire === 0) { const v = varint(); if (field === 6) return v === 0 || v === 1; }
      else if (wire === 2) { const n = varint(); i += n; }  // not i += varint(): i is read first
      else if (wire === 1) i += 8;
      else if (wire === 5) i += 4;
      else return false;
    }
    return false;
  };
  const Native = window.WebSocket;
  window.WebSocket = class extends Native {
    constructor(...args) {
      super(...args);
      this.addEventListener('message', e => {
        if (e.data instanceof ArrayBuffer && e.data.byteLength < 1024 && finished(new Uint8Array(e.data))) {
          window.__stFinished += 1;
          window.__stFinishedAt = performance.now();
        }
      });
    }
  };
})();"""

# Settled: `runs` script runs have finished, none is running, nothing is stale, the page header
# is there, every chart and map has drawn.
_SETTLED = """(runs) => {
  if ((window.__stFinished || 0) < runs) return false;
  const app = document.querySelector('[data-testid="stApp"]');
  if (!app || app.getAttribute('data-test-script-state') !== 'notRunning') return false;
  if (document.querySelector('[data-testid="stStatusWidget"]')) return false;
  if (document.querySelector('[data-testid="stSkeleton"], [data-stale="true"]')) return false;
  // the header's coverage caption, in any language (the title's anchor marks the header)
  const captions = [...document.querySelectorAll('[data-testid="stCaptionContainer"]')];
  const caption = captions.some(c => c.textContent.startsWith('Coverage:'))
    || (!!document.getElementById('content') && captions.length > 0);
  if (!caption) return false;
  return [...document.querySelectorAll('.js-plotly-plot')].every(gd => {
    if (!gd._fullLayout) return false;
    const sub = gd._fullLayout.map && gd._fullLayout.map._subplot;
    return !sub || (sub.map && sub.map.loaded() && sub.map.areTilesLoaded());
  });
}"""

# Why a page has not settled (for the error message of a timeout).
_WHY = """(runs) => {
  const app = document.querySelector('[data-testid="stApp"]');
  const plots = [...document.querySelectorAll('.js-plotly-plot')];
  return JSON.stringify({
    state: app && app.getAttribute('data-test-script-state'), finished: window.__stFinished, wanted: runs,
    status: !!document.querySelector('[data-testid="stStatusWidget"]'),
    stale: document.querySelectorAll('[data-testid="stSkeleton"], [data-stale="true"]').length,
    caption: [...document.querySelectorAll('[data-testid="stCaptionContainer"]')]
      .some(c => c.textContent.startsWith('Coverage:')) || !!document.getElementById('content'),
    plots: plots.length,
    undrawn: plots.filter(gd => !gd._fullLayout).length,
    maps_waiting: plots.filter(gd => {
      const s = gd._fullLayout && gd._fullLayout.map && gd._fullLayout.map._subplot;
      return s && !(s.map && s.map.loaded() && s.map.areTilesLoaded());
    }).length,
    h1: (document.querySelector('h1') || {}).textContent, url: location.pathname + location.search,
  });
}"""


@dataclass
class Action:
    session: int
    kind: str
    target: str
    seconds: float  # from the action to settled: run finished, everything drawn
    script_s: float | None = None  # from the action to the end of the last script run
    error: str | None = None


@dataclass
class Report:
    """Every action and the server's figures. "open" actions (all sessions at once) come before
    the timed part; throughput and CPU cover the timed part only (`wall_s`)."""

    sessions: int
    seconds: float
    events: int
    actions: list[Action] = field(default_factory=list)
    open_s: float = 0.0
    rss_before_mb: float = 0.0
    rss_peak_mb: float = 0.0
    rss_after_mb: float = 0.0
    server_cpu_s: float = 0.0
    machine_cpu_s: float = 0.0
    wall_s: float = 0.0
    cores: int = os.cpu_count() or 1

    @property
    def errors(self) -> list[Action]:
        return [a for a in self.actions if a.error]

    def per_session(self, timed_only: bool = False) -> dict[int, int]:
        """Completed (error-free) actions per session; every session appears."""
        counts = {s: 0 for s in range(self.sessions)}
        for a in self.actions:
            if not a.error and not (timed_only and a.kind == "open"):
                counts[a.session] += 1
        return counts

    def times(self, kinds: tuple[str, ...] = tuple(KINDS), script: bool = False) -> list[float]:
        return [(a.script_s if script else a.seconds) for a in self.actions
                if not a.error and a.kind in kinds and not (script and a.script_s is None)]

    def rows(self) -> list[tuple[str, str]]:
        """The report as (measure, value) rows."""
        def stats(values: list[float]) -> str:
            if not values:
                return "–"
            p95 = statistics.quantiles(values, n=20)[-1] if len(values) > 1 else values[0]
            return f"{statistics.median(values):.1f} s / {p95:.1f} s (n={len(values)})"

        kinds: dict[str, int] = {}
        for a in self.errors:
            kinds[a.error.split(":")[0]] = kinds.get(a.error.split(":")[0], 0) + 1
        timed = self.per_session(timed_only=True)
        n_timed = sum(timed.values())
        wall = max(self.wall_s, 1e-9)
        return [
            ("sessions, timed part", f"{self.sessions}, {self.seconds:g} s (until the last action "
                                     f"settled: {self.wall_s:.0f} s)"),
            ("synthetic events in the store", f"{self.events:,}"),
            ("errors", str(len(self.errors)) + (f" ({', '.join(f'{k} {v}' for k, v in kinds.items())})"
                                                 if kinds else "")),
            ("all sessions open a page at once: median / p95", stats(self.times(("open",)))
             + f", all open after {self.open_s:.0f} s"),
            ("actions in the timed part", f"{n_timed} ({n_timed / wall * 60:.0f} per minute; per session "
                                          f"{min(timed.values())}–{max(timed.values())})"),
            ("until drawn: median / p95", stats(self.times())),
            ("until the script run ended: median / p95", stats(self.times(script=True))),
            *((f"{label}: median / p95", stats(self.times((kind,)))) for kind, label in KINDS.items()),
            ("server RSS before / peak / after", f"{self.rss_before_mb:.0f} / {self.rss_peak_mb:.0f} / "
                                                 f"{self.rss_after_mb:.0f} MB"),
            ("server CPU, timed part", f"{self.server_cpu_s:.0f} s = {self.server_cpu_s / wall:.2f} cores, "
                                       f"{self.server_cpu_s / max(n_timed, 1):.2f} s per action"),
            ("whole machine CPU, timed part", f"{self.machine_cpu_s:.0f} s = "
                                              f"{self.machine_cpu_s / wall:.2f} of {self.cores} cores"),
        ]

    def text(self) -> str:
        rows = self.rows()
        width = max(len(k) for k, _ in rows)
        return "\n".join(f"{k:<{width}}  {v}" for k, v in rows)

    def markdown(self) -> str:
        lines = ["| measure | value |", "|---|---|"]
        lines += [f"| {k} | {v.replace('|', '/')} |" for k, v in self.rows()]
        return "\n".join(lines) + "\n"


# ---------------------------------------------------------------- the server

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def build_store(folder: Path, n: int, seed: int = 5) -> Path:
    """A store of n SYNTHETIC events (never real, never in data/)."""
    from geo.tools import synth

    folder.mkdir(parents=True, exist_ok=True)
    synth.write(synth.synthesize(n, seed=seed), folder / "events.parquet", "parquet")
    return folder


@contextmanager
def app_server(store: Path, log: Path, app: Path = ROOT / "streamlit_app.py"
               ) -> Iterator[tuple[str, int]]:
    """`streamlit run` on a free port with its own store; yields (url, pid) once it answers."""
    port = free_port()
    env = {**os.environ, "PYTHONUNBUFFERED": "1", "GEO_STORE": str(store)}
    log.parent.mkdir(parents=True, exist_ok=True)
    with open(log, "w") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", str(app),
             "--server.port", str(port), "--server.address", "127.0.0.1", "--server.headless", "true",
             "--browser.gatherUsageStats", "false"], cwd=ROOT, env=env, stdout=out,
            stderr=subprocess.STDOUT)
        url = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 90
            while True:
                try:
                    with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                        if r.status == 200:
                            break
                except OSError:
                    if time.monotonic() > deadline or proc.poll() is not None:
                        raise RuntimeError(f"streamlit did not start; see {log}") from None
                    time.sleep(0.5)
            yield url, proc.pid
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def rss_mb(pid: int) -> float:
    """Resident memory of a process (VmRSS in /proc/<pid>/status)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def cpu_seconds(pid: int | None = None) -> float:
    """CPU time used so far by a process (user + system), or by the whole machine."""
    tick = os.sysconf("SC_CLK_TCK")
    if pid is None:
        fields = Path("/proc/stat").read_text().splitlines()[0].split()[1:]
        idle = int(fields[3]) + int(fields[4])  # idle + iowait
        return (sum(int(x) for x in fields[:8]) - idle) / tick
    stat = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(stat[11]) + int(stat[12])) / tick


# ---------------------------------------------------------------- the sessions

class NotSettled(Exception):
    """The page did not settle in time; the message says which condition was still unmet."""


async def _settle(page, runs: int, timeout_s: float) -> None:
    """Wait until `runs` script runs have finished in this document and the page settled."""
    try:
        await page.wait_for_function(_SETTLED, arg=runs, timeout=timeout_s * 1000, polling=100)
    except Exception as exc:
        if "Timeout" not in type(exc).__name__:
            raise
        why = await page.evaluate(_WHY, runs)
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        await page.screenshot(path=str(ARTIFACTS / f"load_timeout_{int(time.time() * 1000)}.png"))
        raise NotSettled(f"not settled after {timeout_s:g} s: {why}") from None


async def _check(page, errors: list[str], expect_h1: str | None, expect_caption: str | None) -> str | None:
    """What is wrong with the page after an action, or None."""
    if errors:
        return f"pageerror: {errors.pop(0)[:120]}"
    if await page.locator('[data-testid="stException"]').count():
        return "exception: " + (await page.locator('[data-testid="stException"]').first.inner_text())[:120]
    if expect_h1 is not None:
        h1 = await page.locator("h1").first.inner_text()
        if h1.strip() != expect_h1:
            return f"wrong page: {h1[:60]!r} instead of {expect_h1!r}"
    if expect_caption is not None:
        caption = await page.locator('[data-testid="stCaptionContainer"]').filter(
            has_text="Coverage:").first.inner_text()
        if expect_caption not in caption:
            return f"wrong filter: {caption[-80:]!r} lacks {expect_caption!r}"
    return None


class _User:
    """One session's browser tab and what it last did."""

    def __init__(self, context, url: str, rng: random.Random, timeout_s: float) -> None:
        self.context, self.url, self.rng, self.timeout_s = context, url, rng, timeout_s
        self.page, self.errors = None, []
        self.current, self.actor, self.target = "", "", ""

    async def new_page(self) -> None:
        self.page = await self.context.new_page()
        self.page.on("pageerror", lambda exc: self.errors.append(str(exc)))

    async def act(self, kind: str) -> tuple[str, float, float, str | None]:
        """Do one action and wait until it settled: (target, when the action started, seconds
        until its script run ended as the browser saw it, error)."""
        page, rng, ms = self.page, self.rng, self.timeout_s * 1000
        name = rng.choice([p for p in PAGES if p != self.current])
        path, h1 = PAGES[name]
        caption, start = None, time.monotonic()
        if kind in ("open", "visit"):
            query = rng.choice(list(QUERIES))
            self.target, caption = f"{name}?{query}", QUERIES[query]
            self.actor = "Protesters" if query.startswith("actor=") else ""
            await page.goto(f"{self.url}/{path}?{query}", wait_until="domcontentloaded", timeout=ms)
            runs, t0 = 1, 0.0  # a new document: its clock starts at the navigation
        elif kind == "page":
            self.target = name
            runs, t0 = await page.evaluate("() => [window.__stFinished + 1, performance.now()]")
            await page.locator('[data-testid="stSidebarNav"] a').filter(has_text=name).first.click(timeout=ms)
        else:
            name, h1 = self.current, PAGES[self.current][1]
            self.actor = rng.choice([a for a in ACTORS if a != self.actor])
            self.target, caption = f"{name}: actor {self.actor!r}", f"actor contains “{self.actor}”"
            box = page.get_by_label("Actor contains")
            await box.fill(self.actor, timeout=ms)
            start = time.monotonic()  # typing is not part of the rerun
            runs, t0 = await page.evaluate("() => [window.__stFinished + 1, performance.now()]")
            await box.press("Enter")
        await _settle(page, runs, max(self.timeout_s - (time.monotonic() - start), 1))
        script_s = (await page.evaluate("() => window.__stFinishedAt") - t0) / 1000
        error = await _check(page, self.errors, h1, caption)
        self.current = name
        return self.target, start, script_s, error

    async def timed(self, kind: str, index: int, report: Report) -> bool:
        """`act`, timed and recorded; after an error the next action is a fresh visit."""
        start = time.monotonic()
        try:
            target, start, script_s, error = await self.act(kind)
        except Exception as exc:  # a timeout or a crashed page is a result, not a crash
            target, script_s = self.target, None
            timeout = isinstance(exc, NotSettled) or "Timeout" in type(exc).__name__
            error = f"{'timeout' if timeout else 'failed'}: {str(exc)[:400]}"
        report.actions.append(Action(index, kind, target, time.monotonic() - start, script_s, error))
        if error:
            self.errors.clear()
            self.current, self.actor = "", ""
            if self.page.is_closed():
                await self.new_page()
        return error is None


async def _session(browser, url: str, index: int, opened: asyncio.Barrier, clock: dict[str, float],
                   timeout_s: float, think_s: float, rng: random.Random, report: Report) -> None:
    """One user: opens a page with everybody else, then acts until the deadline."""
    context = await browser.new_context(viewport={"width": 1280, "height": 900})
    await context.add_init_script(_COUNT_RUNS)
    user = _User(context, url, rng, timeout_s)
    await user.new_page()
    try:
        ok = await user.timed("open", index, report)
        await opened.wait()
        plan = ["filter", "page"]  # each kind early on, then at random
        while True:
            if ok:
                kind = plan.pop(0) if plan else rng.choices(list(KINDS), weights=(1, 5, 4))[0]
            else:
                kind = "visit"
            ok = await user.timed(kind, index, report)
            if time.monotonic() >= clock["deadline"]:
                break
            await asyncio.sleep(rng.uniform(0.5, 1.5) * think_s)
    finally:
        await context.close()


async def _sample_rss(pid: int, report: Report, stop: asyncio.Event) -> None:
    while not stop.is_set():
        report.rss_peak_mb = max(report.rss_peak_mb, rss_mb(pid))
        with suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), timeout=1.0)


async def drive(url: str, pid: int, sessions: int, seconds: float, events: int, timeout_s: float = 180,
                think_s: float = 1.0, seed: int = 1) -> Report:
    """Run the sessions against a running app and measure. All sessions open a page at the same
    moment (measured as "open"); once every one has, `seconds` of page switches, filter changes
    and fresh visits follow, and the CPU and throughput figures cover that part."""
    from playwright.async_api import async_playwright

    report = Report(sessions, seconds, events)
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            warm = await browser.new_page()  # the first run loads the data; not measured
            await warm.goto(url, wait_until="domcontentloaded")
            await warm.wait_for_selector("text=Coverage:", timeout=300_000)
            await warm.close()
            report.rss_before_mb = report.rss_peak_mb = rss_mb(pid)
            stop = asyncio.Event()
            sampler = asyncio.create_task(_sample_rss(pid, report, stop))
            opened, clock = asyncio.Barrier(sessions + 1), {"deadline": math.inf}
            t_open = time.monotonic()
            users = asyncio.gather(*(_session(browser, url, i, opened, clock, timeout_s, think_s,
                                              random.Random(seed * 1000 + i), report)
                                     for i in range(sessions)))
            everyone = asyncio.ensure_future(opened.wait())
            await asyncio.wait({everyone, users}, return_when=asyncio.FIRST_COMPLETED)
            if users.done():  # a session failed outside its actions: say why
                everyone.cancel()
                users.result()
            report.open_s = time.monotonic() - t_open
            cpu0, machine0, t0 = cpu_seconds(pid), cpu_seconds(), time.monotonic()
            clock["deadline"] = t0 + seconds
            await users
            report.wall_s = time.monotonic() - t0
            report.server_cpu_s = cpu_seconds(pid) - cpu0
            report.machine_cpu_s = cpu_seconds() - machine0
            stop.set()
            await sampler
            report.rss_after_mb = rss_mb(pid)
        finally:
            await browser.close()
    return report


def run(sessions: int, seconds: float, events: int, timeout_s: float = 180, think_s: float = 1.0,
        seed: int = 1, log: Path | None = None) -> Report:
    """Build the store, start the app, drive it, stop it."""
    with tempfile.TemporaryDirectory(prefix="geo-load-") as tmp:
        store = build_store(Path(tmp) / "store", events)
        with app_server(store, log or ARTIFACTS / "streamlit_load.log") as (url, pid):
            return asyncio.run(drive(url, pid, sessions, seconds, events, timeout_s, think_s, seed))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sessions", type=int, default=20, help="concurrent browser sessions (20)")
    ap.add_argument("--seconds", type=float, default=60, help="how long sessions start new actions (60)")
    ap.add_argument("--events", type=int, default=50_000, help="synthetic events in the store (50,000)")
    ap.add_argument("--timeout", type=float, default=180, help="seconds before an action is a timeout")
    ap.add_argument("--think", type=float, default=1.0, help="mean pause between actions, seconds")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--markdown", metavar="FILE", help="also write the table as Markdown ('-': stdout)")
    ap.add_argument("--json", metavar="FILE", help="also write every action and figure as JSON")
    args = ap.parse_args(argv)
    if not Path(CHROMIUM).exists():
        print(f"chromium not found at {CHROMIUM}: apt-get install -y chromium", file=sys.stderr)
        return 2
    report = run(args.sessions, args.seconds, args.events, args.timeout, args.think, args.seed)
    print(report.text())
    for a in report.errors[:10]:
        print(f"  session {a.session}, {a.kind} {a.target}: {a.error}")
    if args.markdown:
        text = report.markdown()
        sys.stdout.write(text) if args.markdown == "-" else Path(args.markdown).write_text(text)
    if args.json:
        out = {**asdict(report), "rows": report.rows(), "per_session": report.per_session(),
               "per_session_timed": report.per_session(timed_only=True)}
        Path(args.json).write_text(json.dumps(out, indent=1, ensure_ascii=False))
    return 1 if report.errors else 0


if __name__ == "__main__":
    sys.exit(main())
