"""Issue 15's analyst tools: surge alerts and site exposure, from the CLI and the app, on the
curated data and on edge cases (small counts, a quiet area, a site with no attacks)."""

from __future__ import annotations

import io
import json

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from geo.app.alerts import ACLED_FLAG, ALERT_COLUMNS, STAT_FLAG, alerts, tail_probability
from geo.app.direction import ATTACKS
from geo.app.exposure import EXPOSURE_COLUMNS, exposure, periods, rate_ratio

AREAS = pd.DataFrame({"admin1_code": ["A", "B", "C", "D"], "admin1_name": ["Aa", "Bb", "Cc", "Dd"]})
AS_OF = pd.Timestamp("2026-03-31")


def _events(code: str, days_before: list[int], event_type: str = "Battles") -> pd.DataFrame:
    dates = [AS_OF - pd.Timedelta(days=d) for d in days_before]
    return pd.DataFrame({"admin1_code": code, "event_date": dates, "event_type": event_type,
                         "sub_event_type": "Armed clash"})


def test_the_two_flags_and_a_quiet_area():
    """A: one event every 4 weeks for a year, then 4 in the last 4 weeks: ACLED's rule (at
    least twice a mean of at least one). B: nothing for a year, then 3: too few for ACLED's
    rule, but unlikely at baseline. C: 2 a month, steady: nothing. D: no events: listed with
    zeros. Peaceful protests are not counted."""
    a = _events("A", [28 * k + 5 for k in range(1, 14)] + [1, 2, 3, 4])
    b = _events("B", [1, 5, 9])
    c = _events("C", [28 * k + d for k in range(0, 14) for d in (3, 17)])
    protest = _events("D", [1, 2, 3, 4, 5], event_type="Protests")
    out = alerts(pd.concat([a, b, c, protest]), AREAS, AS_OF).set_index("admin1_code")
    assert list(out.reset_index().columns) == ALERT_COLUMNS
    assert out.loc["A", "last_4w"] == 4 and out.loc["A", "baseline_4w_mean"] == 1.0
    assert ACLED_FLAG in out.loc["A", "flag"]
    assert out.loc["B", "flag"] == STAT_FLAG and out.loc["B", "p_value"] < 0.01
    assert out.loc["C", "flag"] == "" and out.loc["C", "last_4w"] == 2
    assert out.loc["D", "last_4w"] == 0 and out.loc["D", "flag"] == ""  # protests left out
    assert out.index[0] in ("A", "B")  # flagged areas first
    start, end = out.attrs["window"]
    assert (start, end) == (pd.Timestamp("2026-03-04"), AS_OF)


def test_events_after_the_as_of_date_and_before_the_baseline_are_not_counted():
    late = _events("A", [-1, -10])  # after AS_OF
    early = _events("A", [28 * 14 + 1])  # before the 52-week baseline
    edge = _events("A", [27, 28])  # last day of the window, first day before it
    out = alerts(pd.concat([late, early, edge]), AREAS, AS_OF).set_index("admin1_code")
    assert out.loc["A", "last_4w"] == 1
    assert out.loc["A", "baseline_4w_mean"] == round(1 / 13, 2)


def test_tail_probability_is_poisson_or_negative_binomial():
    last, mean = np.array([5.0, 5.0]), np.array([2.0, 2.0])
    var = np.array([1.0, 6.0])  # under- and over-dispersed baselines
    p = tail_probability(last, mean, var)
    assert p[0] == pytest.approx(stats.poisson.sf(4, 2.0))
    assert p[1] == pytest.approx(stats.nbinom.sf(4, 2.0**2 / 4.0, 2.0 / 6.0))
    assert p[1] > p[0]  # a volatile area needs more to be unusual
    assert tail_probability(np.array([0.0]), np.array([0.0]), np.array([0.0]))[0] == 1.0


def test_alerts_on_the_curated_data(geo_cli):
    res = geo_cli("alerts", "--as-of", "2026-03-31")
    assert res.returncode == 0, res.stderr
    table = pd.read_csv(io.StringIO(res.stdout), keep_default_na=False)
    assert list(table.columns) == ALERT_COLUMNS and len(table) == 18
    baghdad = table.set_index("admin1_code").loc["IQ-BG"]
    assert baghdad["last_4w"] >= 5 and STAT_FLAG in baghdad["flag"]
    assert "2026-03-04 to 2026-03-31" in res.stderr
    assert "missing from the data, not quiet" in res.stderr  # the data end on 18 March
    bad = geo_cli("alerts", "--as-of", "31/03/2026")
    assert bad.returncode == 2 and "Traceback" not in bad.stderr


def test_rate_ratio_interval_is_the_exact_conditional_one():
    rr, lo, hi = rate_ratio(np.array([10]), np.array([100]), np.array([5]), np.array([100]))
    ci = stats.binomtest(10, 15).proportion_ci(method="exact")
    assert rr[0] == pytest.approx(2.0)
    assert lo[0] == pytest.approx(ci.low / (1 - ci.low)) and hi[0] == pytest.approx(ci.high / (1 - ci.high))
    rr, lo, hi = rate_ratio(np.array([0]), np.array([50]), np.array([0]), np.array([50]))
    assert np.isnan(rr[0]) and np.isnan(lo[0])  # no attacks in either period: no ratio


SITES = pd.DataFrame({"site_id": ["s1", "s2"], "name": ["Busy base", "Quiet base"],
                      "latitude": [33.0, 36.0], "longitude": [44.0, 44.0],
                      "admin1_code": ["IQ-BG", "IQ-AR"]})
DEPLOYMENTS = pd.DataFrame({
    "site_id": ["s1", "s1", "s1", "s2", "s2"],
    "as_of_date": pd.to_datetime(["2024-01-01", "2024-07-01", "2025-01-01", "2024-01-01", None]),
    "end_date": pd.to_datetime([None, None, None, None, "2026-09-30"]),
    "start_date": pd.NaT, "status_kind": ["reported", "reported", "reported", "reported", "planned"],
    "status": ["present", "present", "reduced", "present", "withdrawn"]})


def _attacks(days: list[str], lat: float = 33.05) -> pd.DataFrame:
    return pd.DataFrame({"event_date": pd.to_datetime(days), "latitude": lat, "longitude": 44.0,
                         "admin1_code": "IQ-BG", "direction": ATTACKS, "location": "x"})


def test_periods_merge_repeated_statuses_and_ignore_plans():
    per = periods(DEPLOYMENTS, pd.Timestamp("2025-12-31"))
    s1 = per[per.site_id == "s1"]
    assert list(s1.status) == ["present", "reduced"]
    assert s1.iloc[0].days == 366 and s1.iloc[1].days == 365  # 2024 is a leap year
    assert list(per[per.site_id == "s2"].status) == ["present"]  # the plan is not a change


def test_exposure_before_and_after_and_a_site_with_no_attacks():
    busy = _attacks([f"2024-{m:02d}-15" for m in range(1, 13)] + ["2025-03-01", "2025-06-01"])
    far = _attacks(["2024-05-05"], lat=33.4)  # ~44 km away: only in the 50 km ring
    other = pd.DataFrame({"event_date": pd.to_datetime(["2024-02-02"]), "latitude": 33.0,
                          "longitude": 44.0, "admin1_code": "IQ-BG", "direction": "Other violence",
                          "location": "x"})
    events = pd.concat([busy, far, other], ignore_index=True)
    cover = {"coverage_start": pd.Timestamp("2024-01-01"), "coverage_end": pd.Timestamp("2025-12-31")}
    out = exposure(events, SITES, DEPLOYMENTS, (10, 50), **cover)
    assert list(out.columns) == EXPOSURE_COLUMNS
    s1 = out[(out.site_id == "s1") & (out.radius_km == "10")].set_index("status")
    assert s1.loc["present", "attacks"] == 12 and s1.loc["reduced", "attacks"] == 2
    assert s1.loc["reduced", "rate_ratio_vs_previous"] == pytest.approx((2 / 365) / (12 / 366), abs=1e-3)
    reduced = s1.loc["reduced"]
    assert reduced["ci_low"] < reduced["rate_ratio_vs_previous"] < reduced["ci_high"]
    assert s1.loc["present", "note"] == "first reported status"
    ring50 = out[(out.site_id == "s1") & (out.radius_km == "50")].set_index("status")
    assert ring50.loc["present", "attacks"] == 13
    gov = out[(out.site_id == "s1") & (out.radius_km == "governorate")].set_index("status")
    assert gov.loc["present", "attacks"] == 13
    quiet = out[out.site_id == "s2"]
    assert (quiet["attacks"] == 0).all() and quiet["attacks_per_30d"].eq(0).all()
    small = exposure(events.iloc[[0, 12]], SITES, DEPLOYMENTS, (10,), **cover)
    assert "too few to conclude" in small[(small.site_id == "s1") & (small.status == "reduced")
                                          ]["note"].iloc[0]


def test_exposure_cli_on_the_curated_data(geo_cli):
    res = geo_cli("exposure", "--radius", "25", "--site", "ain-al-asad")
    assert res.returncode == 0, res.stderr
    table = pd.read_csv(io.StringIO(res.stdout), keep_default_na=False)
    assert list(table.columns) == EXPOSURE_COLUMNS
    assert list(table.radius_km.unique()) == ["25", "governorate"]
    present = table[(table.status == "present") & (table.radius_km == "25")].iloc[0]
    assert present.attacks >= 20  # the curated attacks on Ain al-Asad since 2020
    after = table[(table.status == "reduced") & (table.radius_km == "25")].iloc[0]
    assert float(after.ci_high) > float(after.rate_ratio_vs_previous)
    bad = geo_cli("exposure", "--site", "nowhere")
    assert bad.returncode == 1 and "ain-al-asad" in bad.stderr
    assert geo_cli("exposure", "--radius", "0").returncode == 2


def test_overview_and_map_show_the_flagged_areas(app_page):
    at = app_page("pages/overview.py", end="2026-03-31")
    said = " ".join(m.value for m in at.markdown).replace("\\", "")
    assert "Surge alerts, 4 weeks to" in said and "Baghdad" in said
    at = app_page("pages/map.py", end="2026-03-31", layers="boundaries,alerts,events")
    fig = json.loads(next(c for c in at.get("plotly_chart") if '"choroplethmap"' in c.proto.spec
                          ).proto.spec)
    alert = next(t for t in fig["data"] if t.get("name") == "Surge alert (last 4 weeks)")
    assert "IQ-BG" in alert["locations"]


def test_deployments_page_shows_site_exposure(app_page):
    at = app_page("pages/deployments.py")
    assert [s.key for s in at.get("selectbox")] == ["lang"]  # folded until the reader opens it
    at.session_state["dep_exposure_open"] = True
    at.run()
    at.selectbox(key="exp_site").set_value("ain-al-asad")
    at.session_state["exp_table_open"] = True  # the table is folded until the reader opens it
    at.run()
    assert not at.exception
    table = next(d.value for d in at.dataframe if "rate_ratio_vs_previous" in d.value.columns)
    assert {"present", "reduced", "withdrawn"} <= set(table["status"])
    assert any(b.label.startswith("Download the exposure table") for b in at.get("download_button"))


def test_bench_times_the_analyst_tools(geo_cli):
    res = geo_cli("bench", "--sizes", "3000", "--cases", "analyst")
    assert res.returncode == 0, res.stderr
    assert "6a. surge alerts" in res.stdout and "6b. site exposure" in res.stdout


def test_brief_html_reads_offline_and_cites_its_sources(geo_cli, tmp_path):
    out = tmp_path / "brief.html"
    res = geo_cli("brief", "--out", str(out), "--query", "start=2025-01-01&gov=IQ-BG")
    assert res.returncode == 0, res.stderr
    text = out.read_text(encoding="utf-8")
    assert "<script" not in text.lower() and 'src="http' not in text  # nothing to run or fetch
    assert "@font-face" in text and "base64," in text  # the font travels with the file
    for heading in ("What the data says", "Transition of the coalition mission", "Map",
                    "Timeline", "Top actors", "Surge alerts", "Site exposure", "Events",
                    "Sources cited"):
        assert f"<h2>{heading}" in text, heading
    assert text.count("<svg") >= 2 and "بغداد" in text  # static map and timeline; Arabic names
    assert "governorates: Baghdad" in text
    assert text.count("<li>") >= 10 and 'href="https://' in text
    bad = geo_cli("brief", "--out", str(tmp_path / "b.html"), "--query", "gov=XX")
    assert bad.returncode == 2 and "gov: ignored 'XX'" in bad.stderr


def test_brief_escapes_text_from_the_data():
    from geo.app.brief import _table

    frame = pd.DataFrame({"notes": ["<img src=x onerror=alert(1)>"], "url": ["javascript:alert(1)"],
                          "pub": ["Evil"]})
    html_text = _table(frame, {"notes": "Notes", "pub": "Source"}, links={"pub": "url"})
    assert "<img" not in html_text and "&lt;img" in html_text
    assert "javascript:" not in html_text  # only http(s) links are kept


@pytest.mark.skipif(__import__("shutil").which("chromium") is None, reason="Chromium not installed")
def test_brief_pdf_has_its_fonts_embedded(geo_cli, tmp_path):
    out = tmp_path / "brief.pdf"
    res = geo_cli("brief", "--out", str(out), "--from", "2026-01-01")
    assert res.returncode == 0, res.stderr
    data = out.read_bytes()
    assert data.startswith(b"%PDF") and b"/FontFile2" in data


def test_overview_offers_the_brief(app_page):
    at = app_page("pages/overview.py")
    assert any(b.label.startswith("Download a printable brief") for b in at.get("download_button"))
