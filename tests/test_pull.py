"""`geo pull` against a local server that replays ACLED's and UCDP's documented API shapes
(geo.sources.pull's docstring cites them): paging, rate limits, resuming, incremental pulls,
ACLED's deletions, refused credentials, a changed API and no network. No test touches the
internet; the rows are the SYNTHETIC fixtures of tests/fixtures/formats."""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pandas as pd
import pytest
from cli_run import ROOT, run_geo

from geo.data.store import read_events
from geo.sources import pull

FORMATS = ROOT / "tests" / "fixtures" / "formats"
PASSWORD = "SYNTHETIC-pa55word-not-real"
UCDP_TOKEN = "SYNTHETIC-ucdp-token"


def _rows(name: str) -> list[dict]:
    return pd.read_csv(FORMATS / name, dtype=str, keep_default_na=False).to_dict("records")


@dataclass
class Replay:
    """What the fake APIs hold and how they misbehave; `seen` records every request."""

    acled: list[dict] = field(default_factory=lambda: _rows("acled_new.csv"))
    ucdp: list[dict] = field(default_factory=lambda: [
        {**r, "date_start": r["date_start"][:10] + "T00:00:00"} for r in _rows("ucdp_new.csv")])
    deleted: list[str] = field(default_factory=list)
    busy: dict[str, int] = field(default_factory=dict)  # path -> 429s still to send
    broken: dict[int, int] = field(default_factory=dict)  # ACLED page -> 500s still to send
    changed: bool = False  # the API answers in another shape
    seen: list[tuple[str, dict, dict]] = field(default_factory=list)


def _handler(replay: Replay):
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args) -> None:  # quiet
            pass

        def _send(self, status: int, body: object, headers: dict | None = None) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            for k, v in (headers or {}).items():
                self.send_header(k, v)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_POST(self) -> None:  # noqa: N802 - http.server's name
            length = int(self.headers.get("Content-Length", 0))
            form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
            replay.seen.append(("POST " + self.path, form, dict(self.headers)))
            if self.path != "/oauth/token":
                return self._send(404, {"error": "not found"})
            if form.get("password") != PASSWORD or form.get("client_id") != "acled":
                return self._send(400, {"error": "invalid_grant",
                                        "error_description": "The user credentials were incorrect."})
            self._send(200, {"token_type": "Bearer", "expires_in": 86400,
                             "access_token": "SYNTHETIC-access", "refresh_token": "SYNTHETIC-refresh"})

        def do_GET(self) -> None:  # noqa: N802
            url = urlsplit(self.path)
            q = {k: v[0] for k, v in parse_qs(url.query).items()}
            replay.seen.append(("GET " + url.path, q, dict(self.headers)))
            if replay.busy.get(url.path, 0) > 0:
                replay.busy[url.path] -= 1
                return self._send(429, {"message": "Too many requests"}, {"Retry-After": "0"})
            if url.path.startswith("/api/gedevents/"):
                return self._ucdp(url.path.rsplit("/", 1)[1], q)
            if self.headers.get("Authorization") != "Bearer SYNTHETIC-access":
                return self._send(401, {"message": "Unauthorized"})
            if url.path == "/api/deleted/read":
                return self._send(200, {"status": 200, "success": True, "data": [
                    {"event_id_cnty": i, "deleted_timestamp": "1800000000"} for i in replay.deleted]})
            if url.path != "/api/acled/read":
                return self._send(404, {"message": "not found"})
            page, limit = int(q["page"]), int(q["limit"])
            if replay.broken.get(page, 0) > 0:
                replay.broken[page] -= 1
                return self._send(500, {"message": "server error"})
            if replay.changed:
                return self._send(200, {"results": []})
            rows = [r for r in replay.acled if r["country"] == q["country"]
                    and int(r["timestamp"]) >= int(q.get("timestamp", 0))]
            chunk = rows[(page - 1) * limit: page * limit]
            self._send(200, {"status": 200, "success": True, "count": len(chunk), "messages": [],
                             "data": chunk})

        def _ucdp(self, version: str, q: dict) -> None:
            if self.headers.get("x-ucdp-access-token") != UCDP_TOKEN:
                return self._send(401, {"message": "API token required. Add header: "
                                                   "x-ucdp-access-token"})
            if version != "25.1":
                return self._send(404, {"message": "unknown version"})
            rows = [r for r in replay.ucdp if r["country_id"] == q["Country"]
                    and r["date_start"][:10] >= q.get("StartDate", "")]
            size, page = int(q["pagesize"]), int(q["page"])
            pages = -(-len(rows) // size)
            self._send(200, {"TotalCount": len(rows), "TotalPages": pages,
                             "PreviousPageUrl": "", "NextPageUrl": "",
                             "Result": rows[page * size:(page + 1) * size]})

    return Handler


@pytest.fixture
def replay(monkeypatch) -> Iterator[Replay]:
    state = Replay()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(state))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.server_address[1]}"
    monkeypatch.setenv("GEO_ACLED_URL", url)
    monkeypatch.setenv("GEO_UCDP_URL", url)
    monkeypatch.setenv("ACLED_USERNAME", "synthetic@example.org")
    monkeypatch.setenv("ACLED_PASSWORD", PASSWORD)
    monkeypatch.setenv("UCDP_TOKEN", UCDP_TOKEN)
    monkeypatch.setattr(pull, "ACLED_PAGE", 2)  # small pages, so paging is exercised
    monkeypatch.setattr(pull, "UCDP_PAGE", 3)
    state.url = url
    yield state
    server.shutdown()
    server.server_close()


def _no_secret_in(folder: Path) -> None:
    for path in folder.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            assert PASSWORD.encode() not in data and UCDP_TOKEN.encode() not in data, path
            assert b"SYNTHETIC-access" not in data, path


def _no_wait(seconds: float) -> None:
    pass


def test_acled_pull_pages_and_stores_every_row(replay, tmp_path):
    waits: list[float] = []
    said: list[str] = []
    report = pull.pull_acled("Iraq", store=tmp_path, progress=said.append, sleep=waits.append)
    iraq = [r for r in replay.acled if r["country"] == "Iraq"]
    assert report.rows == len(iraq) == report.imported + report.rejected
    assert report.pages == len(iraq) // 2 + 1  # the last page has fewer rows than the limit
    stored = read_events(tmp_path)
    assert set(stored["event_id"]) == {r["event_id_cnty"] for r in iraq} - set(
        report.issues.loc[report.issues["severity"] == "error", "value"])
    assert said[0] == "ACLED: page 1, 2 rows" and not waits
    form = next(f for what, f, _ in replay.seen if what == "POST /oauth/token")
    assert form["grant_type"] == "password" and form["client_id"] == "acled"
    _no_secret_in(tmp_path)
    assert not (tmp_path / "pulls" / "acled-iraq.partial").exists()


def test_acled_second_pull_is_incremental_and_applies_deletions(replay, tmp_path):
    pull.pull_acled("Iraq", store=tmp_path, sleep=_no_wait)
    newest = max(int(r["timestamp"]) for r in replay.acled if r["country"] == "Iraq")
    first = read_events(tmp_path)
    gone = first["event_id"].iloc[0]
    replay.deleted = [gone, "IRQ-NOT-STORED"]
    replay.seen.clear()
    again = pull.pull_acled("Iraq", store=tmp_path, sleep=_no_wait)
    asked = [q for what, q, _ in replay.seen if what == "GET /api/acled/read"]
    assert asked[0]["timestamp"] == str(newest) and asked[0]["timestamp_where"] == ">="
    assert again.rows < len(first) and again.imported == 0
    assert again.deleted == 1
    assert gone not in set(read_events(tmp_path)["event_id"])


def test_rate_limits_are_waited_out(replay, tmp_path):
    replay.busy["/api/acled/read"] = 2
    waits: list[float] = []
    report = pull.pull_acled("Iraq", store=tmp_path, sleep=waits.append)
    assert waits == [0.0, 0.0]  # Retry-After: 0, twice
    assert report.imported > 0


def test_an_interrupted_pull_resumes_at_the_next_page(replay, tmp_path):
    replay.broken[2] = pull.TRIES  # page 2 fails on every try
    with pytest.raises(pull.PullError, match=r"still answers HTTP 500 after 5 tries.*resumes"):
        pull.pull_acled("Iraq", store=tmp_path, sleep=_no_wait)
    assert len(list((tmp_path / "pulls" / "acled-iraq.partial").glob("page-*.json"))) == 1
    assert not (tmp_path / "events.parquet").exists()  # nothing half-stored
    replay.seen.clear()
    report = pull.pull_acled("Iraq", store=tmp_path, sleep=_no_wait)
    pages = [q["page"] for what, q, _ in replay.seen if what == "GET /api/acled/read"]
    assert pages[0] == "2" and report.resumed_from == 1
    assert report.rows == sum(r["country"] == "Iraq" for r in replay.acled)


def test_refused_credentials_say_so_without_them(replay, tmp_path, monkeypatch):
    monkeypatch.setenv("ACLED_PASSWORD", "SYNTHETIC-wrong")
    with pytest.raises(pull.PullError) as info:
        pull.pull_acled("Iraq", store=tmp_path)
    assert "refused the sign-in of ACLED_USERNAME (HTTP 400)" in str(info.value)
    assert "SYNTHETIC-wrong" not in str(info.value) and "synthetic@" not in str(info.value)
    monkeypatch.delenv("ACLED_PASSWORD")
    with pytest.raises(pull.PullError, match="ACLED needs your account: set ACLED_USERNAME"):
        pull.pull_acled("Iraq", store=tmp_path)


def test_a_changed_api_is_one_line(replay, tmp_path):
    replay.changed = True
    with pytest.raises(pull.PullError, match="not the documented JSON with 'data'; the API may "
                                             "have changed"):
        pull.pull_acled("Iraq", store=tmp_path)


def test_no_network_is_one_line_at_once(tmp_path, monkeypatch):
    import socket

    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    monkeypatch.setenv("GEO_ACLED_URL", f"http://127.0.0.1:{port}")
    monkeypatch.setenv("ACLED_USERNAME", "synthetic@example.org")
    monkeypatch.setenv("ACLED_PASSWORD", PASSWORD)
    waits: list[float] = []
    with pytest.raises(pull.PullError, match=r"cannot reach 127\.0\.0\.1:\d+ \(no network"):
        pull.pull_acled("Iraq", store=tmp_path, sleep=waits.append)
    assert waits == []


def test_ucdp_pull_pages_needs_its_token_and_is_incremental(replay, tmp_path, monkeypatch):
    report = pull.pull_ucdp("25.1", store=tmp_path, sleep=_no_wait)
    iraq = [r for r in replay.ucdp if r["country_id"] == "645"]
    assert report.rows == len(iraq) and report.pages == -(-len(iraq) // 3)
    assert report.imported == len(iraq) - report.rejected > 0
    heads = [h for what, _, h in replay.seen if what.startswith("GET /api/gedevents")]
    assert all(h.get("x-ucdp-access-token") == UCDP_TOKEN for h in heads)
    replay.seen.clear()
    again = pull.pull_ucdp("25.1", store=tmp_path, sleep=_no_wait)
    asked = [q for what, q, _ in replay.seen if what.startswith("GET /api/gedevents")]
    newest = max(r["date_start"][:10] for r in iraq)
    assert asked[0]["StartDate"] == newest and again.imported == 0
    _no_secret_in(tmp_path)
    monkeypatch.delenv("UCDP_TOKEN")
    with pytest.raises(pull.PullError, match="UCDP requires an access token; set UCDP_TOKEN"):
        pull.pull_ucdp("25.1", store=tmp_path / "other")
    monkeypatch.setenv("UCDP_TOKEN", UCDP_TOKEN)
    with pytest.raises(pull.PullError, match="UCDP has no version '26.9'"):
        pull.pull_ucdp("26.9", store=tmp_path / "other")


def test_cli_pull(replay, tmp_path):
    done = run_geo("pull", "acled", "--country", "Iraq", "--store", str(tmp_path))
    assert done.returncode == 0, done.stderr
    iraq = sum(r["country"] == "Iraq" for r in replay.acled)  # one page of ACLED's 5,000
    assert f"ACLED: page 1, {iraq} rows" in done.stderr
    assert f"ACLED: {iraq} rows in 1 page; {iraq} imported" in done.stderr
    assert PASSWORD not in done.stderr + done.stdout
    bad = run_geo("pull", "acled", "--since", "2999-01-01", "--store", str(tmp_path))
    assert bad.returncode == 2 and "is in the future" in bad.stderr
    bad = run_geo("pull", "ucdp", "--version", "latest", "--store", str(tmp_path))
    assert bad.returncode == 1 and bad.stderr.count("\n") == 1
    assert "is not a UCDP version" in bad.stderr


@pytest.fixture
def data_page(app_page, monkeypatch, tmp_path):
    """The Data page through streamlit.testing, on a store of its own."""
    monkeypatch.setenv("GEO_STORE", str(tmp_path / "store"))
    return lambda: app_page("pages/data.py")


def test_the_data_page_pulls_when_the_operator_allows_writes(replay, data_page, monkeypatch,
                                                             tmp_path):
    monkeypatch.delenv("GEO_ALLOW_WRITE", raising=False)
    at = data_page()
    assert not [b for b in at.button if b.key == "pull_acled"]
    assert any("only its operator can run them" in c.value for c in at.caption)
    monkeypatch.setenv("GEO_ALLOW_WRITE", "1")
    at = data_page()
    next(b for b in at.button if b.key == "pull_acled").click().run()
    assert not at.exception, [e.value for e in at.exception]
    labels = [re.sub(r"\\(.)", r"\1", s.label) for s in at.status]  # the app escapes Markdown
    assert any(label.startswith("ACLED: ") and " imported" in label for label in labels), labels
    assert len(read_events(tmp_path / "store")) > 0
    replay.changed = True
    at = data_page()
    next(b for b in at.button if b.key == "pull_acled").click().run()
    assert any("the API may have changed" in e.value for e in at.error)
