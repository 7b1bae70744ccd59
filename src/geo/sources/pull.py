"""Live pulls from ACLED's and UCDP's APIs into the event store, with the user's own account.

Only when the user asks (`geo pull`, the Data page); never in the app's normal run, never in
tests (they replay the documented shapes from a local server, tests/test_pull.py).

- **ACLED** (OAuth API since 2025; acleddata.com/api-documentation): a password grant at
  `/oauth/token` (`client_id=acled`) gives a bearer token; `/api/acled/read` is paged with
  `limit`/`page` until a page holds fewer rows than `limit`. A later pull asks only for rows
  whose `timestamp` (ACLED's last change) is at or after the newest one stored, and applies
  `/api/deleted/read` (events ACLED removed since then) to the store.
- **UCDP GED** (`ucdpapi.pcr.uu.se/api/gedevents/<version>`, swagger at /swagger/v1): paged
  with `pagesize` (at most 1,000) and `page` from 0 up to `TotalPages`; `Country=645` is Iraq
  (Gleditsch–Ward); since Feb 2026 the header `x-ucdp-access-token` is required. The monthly
  candidate events are versions like 25.0.10 on the same endpoint.

Credentials come from the environment (`ACLED_USERNAME`, `ACLED_PASSWORD`, `UCDP_TOKEN`) or,
when the `keyring` package is installed, the OS keyring (service `geo-acled`, user = the
ACLED e-mail; service `geo-ucdp`, user `token`). They are held in memory for the pull only:
never written to disk, logs or messages (messages name the variable, never its value).

Pages are kept under `<store>/pulls/<name>.partial/` as they arrive, so an interrupted pull
resumes where it stopped; the pull's state (newest ACLED timestamp, newest UCDP date per
version) is written only once its rows are in the store.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pandas as pd

from geo.data.atomic import write_atomic
from geo.data.i18n import _
from geo.data.store import locked, read_events, writable_store, write_events

ACLED_BASE = "https://acleddata.com"
UCDP_BASE = "https://ucdpapi.pcr.uu.se"
BASE_ENV = {"acled": "GEO_ACLED_URL", "ucdp": "GEO_UCDP_URL"}  # for a mirror, or the tests' replay
ACLED_PAGE = 5000
UCDP_PAGE = 1000
UCDP_VERSION = "25.1"  # GED 25.1: 1989-2024 (the release of June 2025)
UCDP_COUNTRIES = {"Iraq": 645}
TRIES = 5
TIMEOUT_S = 60
RETRY_STATUS = (429, 500, 502, 503, 504)
_VERSION = re.compile(r"^\d{2}\.\d{1,2}(?:\.\d{1,2})?$")
_COUNTRY = re.compile(r"^[A-Za-z][A-Za-z .'-]{1,59}$")

Progress = Callable[[str], None]


class PullError(ValueError):
    """A pull that cannot go on: said in one line, without any credential."""


@dataclass
class PullReport:
    source: str
    pages: int = 0
    rows: int = 0
    imported: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    deleted: int = 0
    resumed_from: int = 0
    issues: pd.DataFrame = field(default_factory=pd.DataFrame)

    def summary(self) -> str:
        resumed = f" (resumed at page {self.resumed_from + 1})" if self.resumed_from else ""
        return (f"{self.source}: {self.rows} rows in {self.pages} page"
                f"{'' if self.pages == 1 else 's'}{resumed}; {self.imported} imported, "
                f"{self.updated} updated, {self.unchanged} unchanged, {self.rejected} rejected, "
                f"{self.deleted} deleted at the source")


# ---------------------------------------------------------------- credentials and HTTP


def secret(env: str, service: str, user: str) -> str | None:
    """A credential from the environment, else the OS keyring (if `keyring` is installed)."""
    value = os.environ.get(env, "").strip()
    if value:
        return value
    try:
        import keyring  # optional: `pip install keyring`
    except ImportError:
        return None
    try:
        return keyring.get_password(service, user) or None
    except Exception:  # a keyring without a backend: as if nothing were stored
        return None


def base_url(source: str) -> str:
    url = os.environ.get(BASE_ENV[source], "").strip() or {"acled": ACLED_BASE,
                                                            "ucdp": UCDP_BASE}[source]
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise PullError(f"{BASE_ENV[source]}={url!r} is not an http(s) address")
    return url.rstrip("/")


def _request(session: Any, method: str, url: str, what: str, sleep: Callable[[float], None],
             patient: bool = True, **kw: Any) -> Any:
    """One call with retries on rate limits, server errors and (when `patient`: after the
    first call went through) dropped connections, waiting Retry-After, else 1, 2, 4, 8 s.
    Offline, the first call fails at once. Errors never echo the request (it may hold a
    password)."""
    import requests

    host = urlsplit(url).netloc
    status = None
    for attempt in range(TRIES):
        try:
            response = session.request(method, url, timeout=TIMEOUT_S, **kw)
        except requests.exceptions.ConnectionError:
            if attempt == TRIES - 1 or not patient:
                raise PullError(_("{what}: cannot reach {host} (no network, or the host is "
                                  "down); nothing was changed").format(what=what, host=host)
                                ) from None
            sleep(2.0 ** attempt)
            continue
        except requests.exceptions.Timeout:
            if attempt == TRIES - 1:
                raise PullError(_("{what}: {host} did not answer within {seconds} s, {tries} "
                                  "times; nothing was changed").format(
                    what=what, host=host, seconds=TIMEOUT_S, tries=TRIES)) from None
            sleep(2.0 ** attempt)
            continue
        status = response.status_code
        if status not in RETRY_STATUS:
            return response
        if attempt < TRIES - 1:
            sleep(_retry_after(response.headers.get("Retry-After"), 2.0 ** attempt))
    why = _("rate limit") if status == 429 else _("server error")
    raise PullError(_("{what}: {host} still answers HTTP {status} after {tries} tries ({why}); "
                      "try again later; pages already fetched are kept and the next pull "
                      "resumes").format(what=what, host=host, status=status, tries=TRIES,
                                        why=why))


def _retry_after(value: str | None, default: float) -> float:
    try:
        return min(max(float(value), 0.0), 300.0) if value else default
    except ValueError:
        return default


def _json(response: Any, what: str, wanted: str) -> dict:
    """The body as a JSON object holding `wanted`, or one line saying the API has changed."""
    try:
        body = response.json()
    except ValueError:
        body = None
    if not isinstance(body, dict) or wanted not in body:
        raise PullError(_("{what}: the answer (HTTP {status}) is not the documented JSON with "
                          "{wanted}; the API may have changed; nothing was changed").format(
            what=what, status=response.status_code, wanted=repr(wanted)))
    return body


# ---------------------------------------------------------------- resumable pages and state


def _pulls(store: Path) -> Path:
    return store / "pulls"


def _state(store: Path, name: str) -> dict:
    path = _pulls(store) / f"{name}.json"
    try:
        return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    except (ValueError, OSError):
        return {}  # a damaged state only costs a full pull


def _save_state(store: Path, name: str, state: dict) -> None:
    text = json.dumps(state, indent=1, sort_keys=True)
    write_atomic(_pulls(store) / f"{name}.json", lambda tmp: tmp.write_text(text, "utf-8"))


class _Pages:
    """The pages of one pull on disk: kept until the rows are stored, so a pull interrupted
    (network, Ctrl-C) resumes at the next page with the same request."""

    def __init__(self, store: Path, name: str, request: dict) -> None:
        self.folder = _pulls(store) / f"{name}.partial"
        key = json.dumps(request, sort_keys=True)
        meta = self.folder / "request.json"
        if self.folder.exists() and (not meta.exists() or meta.read_text("utf-8") != key):
            shutil.rmtree(self.folder)  # another request: its pages do not belong to this one
        self.folder.mkdir(parents=True, exist_ok=True)
        if not meta.exists():
            write_atomic(meta, lambda tmp: tmp.write_text(key, "utf-8"))

    def done(self) -> list[Path]:
        return sorted(self.folder.glob("page-*.json"))

    def add(self, number: int, rows: list[dict], last: bool) -> None:
        text = json.dumps({"rows": rows, "last": last})
        write_atomic(self.folder / f"page-{number:05d}.json", lambda tmp: tmp.write_text(text))

    def finished(self) -> bool:
        pages = self.done()
        return bool(pages) and json.loads(pages[-1].read_text())["last"]

    def rows(self) -> list[dict]:
        return [r for p in self.done() for r in json.loads(p.read_text())["rows"]]

    def clear(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)


def _store_rows(rows: list[dict], kind: str, label: str, store: Path,
                report: PullReport) -> pd.DataFrame:
    """Map, validate, join and merge the pulled rows exactly as a downloaded file would be."""
    from geo.sources.ingest import ingest_frame, to_events

    raw = pd.DataFrame(rows, dtype=object)
    raw = raw.astype(object).where(raw.notna(), "").astype(str) if len(raw) else raw
    if not len(raw):
        return raw
    done = ingest_frame(to_events(raw, kind, label), label, kind, store)
    report.imported, report.updated, report.unchanged = done.imported, done.updated, done.unchanged
    report.rejected, report.issues = done.rejected, done.issues
    return raw


# ---------------------------------------------------------------- ACLED


def pull_acled(country: str = "Iraq", since: date | None = None, store: str | Path | None = None,
               progress: Progress | None = None, session: Any = None,
               sleep: Callable[[float], None] = time.sleep) -> PullReport:
    """Pull ACLED events for `country` (from `since`, else what changed since the last pull,
    else everything) into the store, and remove the events ACLED has deleted since."""
    import requests

    if not _COUNTRY.fullmatch(country or ""):
        raise PullError(f"--country {country!r} is not a country name (letters, spaces, "
                        "hyphens)")
    target = writable_store(store)
    say = progress or (lambda text: None)
    user = os.environ.get("ACLED_USERNAME", "").strip()
    password = secret("ACLED_PASSWORD", "geo-acled", user) if user else None
    if not user or not password:
        raise PullError(_("ACLED needs your account: set ACLED_USERNAME (your e-mail) and "
                          "ACLED_PASSWORD, or store the password in the OS keyring (service "
                          "geo-acled, user = your e-mail); register at acleddata.com"))
    base = base_url("acled")
    name = f"acled-{country.lower().replace(' ', '_')}"
    state = _state(target, name)
    session = session or requests.Session()
    got = _request(session, "POST", f"{base}/oauth/token", "ACLED sign-in", sleep, patient=False,
                   data={"username": user, "password": password, "grant_type": "password",
                         "client_id": "acled"})
    if got.status_code in (400, 401, 403):
        raise PullError(f"ACLED refused the sign-in of ACLED_USERNAME (HTTP {got.status_code}): "
                        "check the e-mail and password, and that the account has API access")
    token = _json(got, "ACLED sign-in", "access_token")["access_token"]
    headers = {"Authorization": f"Bearer {token}"}

    request: dict[str, Any] = {"_format": "json", "country": country, "limit": ACLED_PAGE}
    if since is not None:
        request |= {"event_date": f"{since:%Y-%m-%d}|{date.today():%Y-%m-%d}",
                    "event_date_where": "BETWEEN"}
    elif state.get("timestamp"):
        request |= {"timestamp": int(state["timestamp"]), "timestamp_where": ">="}
    pages = _Pages(target, name, request)
    report = PullReport("ACLED", resumed_from=len(pages.done()))
    number = len(pages.done())
    while not pages.finished():
        number += 1
        answer = _request(session, "GET", f"{base}/api/acled/read", "ACLED events", sleep,
                          params={**request, "page": number}, headers=headers)
        if answer.status_code in (401, 403):
            raise PullError(f"ACLED refused the data request (HTTP {answer.status_code}): the "
                            "account may lack API access or have to accept ACLED's terms")
        body = _json(answer, "ACLED events", "data")
        rows = body["data"]
        if not isinstance(rows, list) or body.get("success") is False:
            said = str(body.get("messages") or body.get("error"))[:200]
            raise PullError(f"ACLED events: the API said {said!r}; nothing was changed")
        pages.add(number, rows, last=len(rows) < ACLED_PAGE)
        # Translators: a pull's progress: the page just fetched and its rows
        say(_("{source}: page {page}, {rows} rows").format(source="ACLED", page=number,
                                                           rows=f"{len(rows):,}"))
    rows = pages.rows()
    report.pages, report.rows = len(pages.done()), len(rows)
    raw = _store_rows(rows, "acled", f"ACLED API ({country})", target, report)

    if state.get("timestamp"):  # what ACLED removed since the last pull
        gone = _request(session, "GET", f"{base}/api/deleted/read", "ACLED deletions", sleep,
                        params={"_format": "json", "deleted_timestamp": int(state["timestamp"]),
                                "deleted_timestamp_where": ">=", "limit": 0}, headers=headers)
        ids = [str(r.get("event_id_cnty", "")) for r in _json(gone, "ACLED deletions", "data")["data"]
               if isinstance(r, dict)]
        report.deleted = delete_events(target, ids)
        say(_("{source}: {n} deleted event(s) removed").format(source="ACLED", n=report.deleted))
    newest = pd.to_numeric(raw["timestamp"], errors="coerce").max() if "timestamp" in raw else None
    if newest is not None and pd.notna(newest):
        state["timestamp"] = max(int(newest), int(state.get("timestamp", 0)))
    state["last_pull"] = date.today().isoformat()
    _save_state(target, name, state)
    pages.clear()
    return report


def delete_events(store: Path, ids: list[str]) -> int:
    """Remove the events with these ids from the store (ACLED's deletions); how many were there."""
    ids = [i for i in ids if i]
    if not ids:
        return 0
    with locked(store):
        stored = read_events(store)
        gone = stored["event_id"].isin(ids) if len(stored) else pd.Series(dtype=bool)
        if not gone.any():
            return 0
        write_events(store, stored[~gone].reset_index(drop=True))
        return int(gone.sum())


# ---------------------------------------------------------------- UCDP


def pull_ucdp(version: str = UCDP_VERSION, country: str = "Iraq", store: str | Path | None = None,
              progress: Progress | None = None, session: Any = None,
              sleep: Callable[[float], None] = time.sleep) -> PullReport:
    """Pull UCDP GED (or candidate) events of one version for Iraq into the store; a later
    pull of the same version asks only for events from the newest date already pulled."""
    import requests

    if not _VERSION.fullmatch(version or ""):
        raise PullError(f"--version {version!r} is not a UCDP version like 25.1 (GED) or 25.0.10 "
                        "(candidate events)")
    if country not in UCDP_COUNTRIES:
        raise PullError(f"UCDP pulls know {', '.join(UCDP_COUNTRIES)} only, not {country!r}")
    target = writable_store(store)
    say = progress or (lambda text: None)
    token = secret("UCDP_TOKEN", "geo-ucdp", "token")
    headers = {"x-ucdp-access-token": token} if token else {}
    base = base_url("ucdp")
    name = f"ucdp-{version}"
    state = _state(target, name)
    request: dict[str, Any] = {"pagesize": UCDP_PAGE, "Country": UCDP_COUNTRIES[country]}
    if state.get("last_date"):
        request["StartDate"] = state["last_date"]
    pages = _Pages(target, name, request)
    report = PullReport(f"UCDP GED {version}", resumed_from=len(pages.done()))
    session = session or requests.Session()
    number = len(pages.done())
    while not pages.finished():
        answer = _request(session, "GET", f"{base}/api/gedevents/{version}", "UCDP events", sleep,
                          patient=number > report.resumed_from,
                          params={**request, "page": number}, headers=headers)
        if answer.status_code in (401, 403):
            why = "the token in UCDP_TOKEN was refused" if token else "UCDP requires an access token"
            raise PullError(f"UCDP refused the request (HTTP {answer.status_code}): {why}; set "
                            "UCDP_TOKEN (request one from UCDP, see ucdp.uu.se/apidocs)")
        if answer.status_code == 404:
            raise PullError(f"UCDP has no version {version!r} (HTTP 404); GED versions look like "
                            "25.1, candidate events like 25.0.10")
        body = _json(answer, "UCDP events", "Result")
        rows = body["Result"]
        if not isinstance(rows, list):
            raise PullError("UCDP events: 'Result' is not a list; the API may have changed")
        total = int(body.get("TotalPages") or 0)
        pages.add(number, rows, last=not rows or number + 1 >= total)
        say(_("{source}: page {page} of {pages}, {rows} rows").format(
            source="UCDP", page=number + 1, pages=max(total, 1), rows=f"{len(rows):,}"))
        number += 1
    rows = pages.rows()
    report.pages, report.rows = len(pages.done()), len(rows)
    raw = _store_rows(rows, "ucdp", f"UCDP GED {version} API", target, report)
    if len(raw):
        newest = pd.to_datetime(raw["date_start"].str.slice(0, 10), errors="coerce").max()
        if pd.notna(newest):
            state["last_date"] = max(f"{newest:%Y-%m-%d}", state.get("last_date", ""))
    state["last_pull"] = date.today().isoformat()
    _save_state(target, name, state)
    pages.clear()
    return report
