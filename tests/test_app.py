"""The real app through streamlit.testing: every page, every filter, layers, URL in and out."""

from __future__ import annotations

import gc
import html
import json
import re
import tomllib
import weakref
from datetime import date
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from geo.app import aggregate, direction, filters, ui
from geo.sources.curated import load

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "streamlit_app.py")
N_EVENTS = len(load("events").data)  # the curated events, all shown with no filter
PAGES = ["pages/overview.py", "pages/map.py", "pages/events.py", "pages/deployments.py",
         "pages/regions.py", "pages/data.py"]


@pytest.fixture(autouse=True)
def _navigation_apps_keep_running_their_entrypoint(keep_running_entrypoint):
    """Every test here runs the real app (conftest.keep_running_entrypoint says why)."""


def run(page: str | None = None, **params: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=90)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    if page and page != PAGES[0]:
        at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def header(at: AppTest) -> str:
    """The page's "Coverage: … · Filter: …" caption as the user reads it (the app escapes
    Markdown in it: the filter holds whatever a shared link said)."""
    plain = (re.sub(r"\\(.)", r"\1", c.value) for c in at.caption)
    return next(text for text in plain if text.startswith("Coverage:"))


def shown(at: AppTest) -> int:
    part = next(p for p in header(at).split(" · ") if p.endswith(" events shown"))
    return int(part.split(" of ")[0])


def map_json(at: AppTest, index: int = 0) -> dict:
    return json.loads(at.get("plotly_chart")[index].proto.spec)


@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders_with_filter_and_as_of(page):
    at = run(page)
    assert at.title, page
    caption = header(at)
    assert "Filter: no filter (all data)" in caption
    assert re.match(r"Coverage: events \d\d \w{3} 2019 – \d\d \w{3} 2026", caption)


def test_overview_headline_figures():
    at = run()
    metrics = {m.label: m.value for m in at.metric}
    assert int(metrics["Events"].replace(",", "")) == N_EVENTS
    known, unknown = aggregate.fatality_summary(load("events").data)
    assert metrics["Deaths reported (at least)"] == f"{known:,}"
    assert any(c.value == f"{unknown:,} events with unknown toll" for c in at.caption)
    assert int(metrics["Attacks on US/coalition forces"]) >= 10
    latest = aggregate.latest_troop_level(load("troop_levels").data)
    assert f"{latest.personnel:,}" in metrics["US troops in Iraq (latest report)"]
    assert latest.force == "US forces" and latest.as_of_date.year == 2026
    timeline = map_json(at, 1)
    annotations = [a["text"] for a in timeline["layout"]["annotations"]]
    assert any("Phase 2 deadline" in a for a in annotations)


@pytest.mark.parametrize(("key", "value", "expect"), [
    ("f_types", ["Riots"], lambda n: 0 < n < N_EVENTS),
    ("f_admin1", ["IQ-BB"], lambda n: 0 < n < N_EVENTS // 4),
    ("f_regions", ["Kurdistan Region"], lambda n: 0 < n < N_EVENTS // 2),
    ("f_prec", [3], lambda n: 0 < n < N_EVENTS // 4),
])
def test_multiselect_filters(key, value, expect):
    at = run()
    at.multiselect(key=key).set_value(value).run()
    assert not at.exception
    assert expect(shown(at))
    assert at.query_params  # the filter went into the URL


def test_date_actor_fatalities_filters_and_url_out():
    at = run()
    at.slider(key="f_dates").set_value((date(2024, 1, 1), date(2024, 12, 31))).run()
    n_2024 = shown(at)
    assert 0 < n_2024 < N_EVENTS
    assert at.query_params["start"] == "2024-01-01" and at.query_params["end"] == "2024-12-31"
    at.text_input(key="f_actor").input("Kataib Hezbollah").run()
    assert 0 < shown(at) < n_2024 and at.query_params["actor"] == "Kataib Hezbollah"
    at.checkbox(key="f_unknown").uncheck().run()
    at.slider(key="f_fat").set_value((1, 10)).run()
    assert not at.exception and shown(at) >= 1
    assert at.query_params["unknown"] == "0" and at.query_params["fmin"] == "1"


def test_exact_dates_quick_ranges_and_slider_stay_in_step():
    at = run()
    at.date_input(key="f_from").set_value(date(2024, 1, 15)).run()
    at.date_input(key="f_to").set_value(date(2024, 2, 20)).run()
    assert at.slider(key="f_dates").value == (date(2024, 1, 15), date(2024, 2, 20))
    assert at.query_params["start"] == "2024-01-15" and at.query_params["end"] == "2024-02-20"
    assert 0 < shown(at) < N_EVENTS
    # A start typed after the end is taken the other way round, not as an empty period.
    at.date_input(key="f_from").set_value(date(2024, 3, 1)).run()
    assert at.slider(key="f_dates").value == (date(2024, 2, 20), date(2024, 3, 1))
    at.button_group(key="f_quick").set_value("Since the Sept 2024 announcement").run()
    assert at.slider(key="f_dates").value[0] == filters.ANNOUNCEMENT
    assert at.date_input(key="f_from").value == filters.ANNOUNCEMENT
    assert at.query_params["start"] == "2024-09-27" and "end" not in at.query_params
    at.slider(key="f_dates").set_value((date(2021, 1, 1), date(2021, 6, 30))).run()
    assert at.date_input(key="f_to").value == date(2021, 6, 30)
    assert at.button_group(key="f_quick").value is None  # no quick range claims this period
    # After the data ends, the story says the period is not covered (not that it was quiet).
    at.button_group(key="f_quick").set_value("Last 30 days").run()
    text = re.sub(r"\\(.)", r"\1", " ".join(m.value for m in at.markdown))
    assert "No event in the data matches the filter." in text
    assert "The events data ends on" in text and "does not mean nothing happened" in text


def test_url_in_restores_the_view_on_every_page():
    params = {"type": "Explosions/Remote violence", "gov": "IQ-AN", "start": "2020-01-01"}
    for page in PAGES:
        at = run(page, **params)
        caption = header(at)
        assert "Anbar" in caption and "Explosions/Remote violence" in caption, page
    at = run(PAGES[0], **params)
    assert at.multiselect(key="f_admin1").value == ["IQ-AN"]


def test_bad_url_parameters_show_a_notice_not_a_crash():
    at = run(start="yesterday", type="Bogus", gov="<script>", fmin="-1", whatever="1")
    notices = re.sub(r"\\(.)", r"\1", " ".join(w.value for w in at.warning))  # Markdown-escaped
    assert "<script>" not in " ".join(w.value for w in at.warning)
    assert "start='yesterday'" in notices and "Bogus" in notices and "unknown parameter" in notices
    assert shown(at) == N_EVENTS


@pytest.mark.parametrize("layer", ["boundaries", "regions", "choropleth", "events", "density",
                                   "sites", "rings", "labels", "basemap"])
def test_each_layer_toggle_changes_the_map(layer):
    at = run("pages/map.py")
    before = map_json(at)
    box = at.checkbox(key=f"layer_{layer}")
    (box.uncheck() if box.value else box.check()).run()
    assert not at.exception
    after = map_json(at)
    if layer == "basemap":  # no network here: the layer is dropped with a notice, map intact
        assert any("basemap is not reachable" in i.value for i in at.info)
        assert "tile.openstreetmap.org" not in json.dumps(after)
    else:
        assert after != before
    assert "layers" in dict(at.query_params)
    # remembered across pages
    at.switch_page("pages/regions.py").run()
    at.switch_page("pages/map.py").run()
    assert at.checkbox(key=f"layer_{layer}").value == box.value


def test_filter_change_does_no_file_io(monkeypatch):
    at = run()

    def forbidden(*args, **kwargs):
        raise AssertionError("file read during a rerun")

    for target in ("pandas.read_csv", "geopandas.read_file", "geopandas.read_parquet",
                   "geo.sources.curated.read_csv_text", "pyogrio.read_dataframe"):
        monkeypatch.setattr(target, forbidden)
    at.multiselect(key="f_types").set_value(["Strategic developments"]).run()
    assert not at.exception
    for page in PAGES[1:]:
        at.switch_page(page).run()
        assert not at.exception, page


def test_server_time_per_run_spares_the_loaded_data_and_watches_no_files():
    """Streamlit collects garbage fully after every script run: what is alive when the data is
    loaded is frozen out of that (ui._load_data), and the next load unfreezes it first, so what
    died since can still go. A reader's server watches no files (.streamlit/config.toml). Both
    took server time from every page load (docs/bench_ui.md)."""
    class Node:
        pass

    node = Node()
    node.cycle = node  # only the cycle collector can free it
    ref = weakref.ref(node)
    ui._load_data.clear()
    run()
    assert gc.get_freeze_count() > 50_000  # the libraries, the data, its indexes
    del node
    gc.collect()
    assert ref() is not None  # frozen: the per-run collection no longer walks it
    ui._load_data.clear()
    run()
    assert ref() is None  # a new load unfroze, collected, and froze again
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert config["server"]["fileWatcherType"] == "none"


def test_events_page_detail_view_and_links():
    at = run("pages/events.py")
    table = at.dataframe[0].value
    assert len(table) == N_EVENTS and table["source_url"].str.match(r"^https?://").all()
    at.selectbox(key="ev_detail").set_value("IRQ-CUR-0004").run()
    detail = at.dataframe[1].value
    assert "Soleimani" in " ".join(detail["value"])


def test_app_uses_boundaries_from_environment(tmp_path, monkeypatch, admin1):
    path = tmp_path / "adm1.gpkg"
    admin1.rename(columns={"admin1_code": "PCODE", "admin1_name": "NAME"})[
        ["PCODE", "NAME", "geometry"]].assign(PCODE=lambda d: "X-" + d.PCODE).to_file(path)
    monkeypatch.setenv("GEO_BOUNDARIES", str(path))
    monkeypatch.setenv("GEO_BOUNDARY_COLUMNS", "admin1_code=PCODE,admin1_name=NAME")
    st.cache_resource.clear()
    try:
        at = run("pages/events.py")
        codes = set(at.dataframe[0].value["admin1_code"].dropna())
        assert codes and all(c.startswith("X-IQ-") for c in codes)
        monkeypatch.setenv("GEO_BOUNDARY_COLUMNS", "admin1_code=NOPE")
        st.cache_resource.clear()
        at = run()
        assert any("Custom boundaries not used" in w.value and "NOPE" in w.value for w in at.warning)
    finally:
        monkeypatch.delenv("GEO_BOUNDARIES")
        monkeypatch.delenv("GEO_BOUNDARY_COLUMNS")
        st.cache_resource.clear()


def test_geoparse_page_finds_places_and_saves_drafts(monkeypatch, tmp_path):
    monkeypatch.setenv("GEO_STORE", str(tmp_path))
    at = run("pages/geoparse.py")
    at.text_area(key="gp_text").input(
        "SYNTHETIC TEST TEXT. Rockets were reported near Ain al-Asad air base and in Mosul.").run()
    assert not at.exception
    table = at.dataframe[0].value
    assert list(table["matched_name"]) == ["Ain al-Asad Air Base", "Mosul"]
    assert "Ain al-Asad" in table["sentence"].iloc[0]
    assert not at.warning  # everything that read like a place was found
    at.text_area(key="gp_text").input(
        "SYNTHETIC TEST TEXT. A drone hit the Garmiyan region near Chamchamal.").run()
    said = " ".join(w.value for w in at.warning).replace("\\", "")
    assert "not in the gazetteer" in said and "Garmiyan" in said
    assert list(at.dataframe[0].value["matched_name"]) == ["Jamjamāl"]


def test_data_page_imports_an_upload(monkeypatch, tmp_path):
    from geo.data.store import read_events
    from geo.sources.ingest import ingest_file

    monkeypatch.setenv("GEO_STORE", str(tmp_path))
    # The upload widget cannot be driven by AppTest; the page calls this same function, and the
    # browser test drives the widget. Here: the store the page reads is the one ingest writes.
    report = ingest_file(ROOT / "tests" / "fixtures" / "formats" / "acled_new.csv")
    st.cache_resource.clear()
    at = run("pages/events.py")
    assert (len(at.dataframe[0].value) == N_EVENTS + report.imported
            == N_EVENTS + len(read_events(tmp_path)))
    st.cache_resource.clear()


def test_pages_at_scale_show_cells_and_a_bounded_table(monkeypatch, tmp_path):
    """12,000 SYNTHETIC stored events: over the point limit, so maps show cells (and say so) and
    the Events table lists the newest 5,000 while the counts cover all of them."""
    from geo.tools import synth

    monkeypatch.setenv("GEO_STORE", str(tmp_path))
    synth.write(synth.synthesize(12_000, seed=9), tmp_path / "events.parquet", "parquet")
    st.cache_resource.clear()
    # random events fall now and then on a curated event's day and place: counted once
    from geo.app.dataset import load_data

    loaded = load_data(tmp_path)
    counted = len(loaded.events)
    assert counted + len(loaded.repeats) == 12_000 + N_EVENTS
    try:
        at = run("pages/map.py")
        assert shown(at) == counted
        assert any("grid cells" in i.value for i in at.info)
        names = [t.get("name", "") for t in map_json(at)["data"]]
        assert any(n.startswith("Events (") and "cells" in n for n in names)
        assert len(at.get("plotly_chart")[0].proto.spec) < 3_000_000

        at = run("pages/events.py")
        assert len(at.dataframe[0].value) == 5_000
        assert any(f"newest 5,000 of {counted:,}" in c.value for c in at.caption)
        assert len(at.selectbox(key="ev_detail").options) == 5_000
        newest = at.dataframe[0].value["event_date"].min()
        assert newest >= synth.synthesize(12_000, seed=9)["event_date"].nlargest(5_000).min()
    finally:
        st.cache_resource.clear()


def test_map_feed_lists_newest_first_and_a_selected_event_shows_its_record():
    at = run("pages/map.py")
    assert not at.dataframe  # the feed is text: no data grid to load on the Map page
    feed = next(h.proto.body for h in at.get("html") if ui.FEED_CLASS in h.proto.body)
    assert 'tabindex="0"' in feed and 'role="region"' in feed  # the keyboard can scroll it
    lines = [html.unescape(li) for li in re.findall(r"<li>(.*?)</li>", feed)]
    dates = [line.split(" · ")[0] for line in lines]
    assert len(lines) == min(100, N_EVENTS) and dates == sorted(dates, reverse=True)
    assert all(line.split(" · ")[1] in direction.DIRECTIONS for line in lines)
    assert any(line.endswith("toll unknown") for line in lines)  # a blank toll is not 0
    picker = at.selectbox(key="map_feed")
    assert picker.value is None and len(picker.options) == len(lines)
    newest = aggregate.feed(load("events").data)["event_id"]
    picker.set_value(newest.iloc[2]).run()  # picking an event in the feed opens its record
    record = at.dataframe[0].value
    assert dict(zip(record["field"], record["value"], strict=True))["Event id"] == newest.iloc[2]
    at.session_state[ui.SELECTED_EVENT] = "IRQ-CUR-0004"  # what a click on the map sets
    at.run()
    record = at.dataframe[0].value
    values = dict(zip(record["field"], record["value"], strict=True))
    assert values["Event id"] == "IRQ-CUR-0004" and "Soleimani" in values["Notes"]
    assert values["Toll is"] and values["Source"].startswith("http")
    assert any(b.label == "Open the source" for b in at.get("link_button"))


def test_select_callback_takes_governorates_and_events_apart(monkeypatch):
    state = {"m": {"selection": {"points": [{"location": "IQ-AN"},
                                            {"customdata": ["IRQ-CUR-0008", "2020-03-11"]}]}}}
    monkeypatch.setattr(st, "session_state", state)
    ui.select_governorates_from_map("m")
    assert state["f_admin1"] == ["IQ-AN"] and state[ui.SELECTED_EVENT] == "IRQ-CUR-0008"
    # a district drawn over a governorate map (the disputed layer) is not a governorate
    state["m"]["selection"]["points"] = [{"location": "IQG13Q04"}]
    ui.select_governorates_from_map("m")
    assert state["f_admin1"] == ["IQ-AN"]


def test_overview_tells_the_story_and_the_transition_status():
    at = run()
    text = re.sub(r"\\(.)", r"\1", " ".join(m.value for m in at.markdown))
    assert "attacks on US/coalition forces and diplomatic sites" in text
    assert "Phase 1 · Federal Iraq" in text and "Phase 2 · Kurdistan Region" in text
    captions = re.sub(r"\\(.)", r"\1", " ".join(c.value for c in at.caption))
    assert "reported complete on 18 Jan 2026" in captions and "outcome unknown" in captions
    at = run(start="2024-01-01", end="2024-01-31")
    text = re.sub(r"\\(.)", r"\1", " ".join(m.value for m in at.markdown))
    assert "From " in text and " Jan 2024 to " in text


def test_overview_charts_link_the_story_as_their_summary():
    """Issue 27: the story sentences are the Overview's summary; its map and timeline descriptions
    link them (an anchor that stays the same in every language)."""
    at = run()
    assert [h.value for h in at.main.header] == ["In short"]
    assert at.main.header[0].proto.anchor == ui.SUMMARY_ANCHOR
    links = [c.value for c in at.caption if c.value.endswith(f"(#{ui.SUMMARY_ANCHOR})")]
    assert len(links) == 2 and all("[The summary of this view]" in c for c in links)
    at = run(lang="ar")
    assert at.main.header[0].value == "باختصار" and at.main.header[0].proto.anchor == ui.SUMMARY_ANCHOR


def test_tables_read_as_words_newest_first_with_unknown_tolls_said():
    at = run("pages/events.py")
    table = at.dataframe[0].value
    assert table["event_date"].is_monotonic_decreasing
    unknown = table["fatalities"].isna()
    assert unknown.any() and (table.loc[unknown, "fatalities_qualifier"] == "unknown").all()
    # the picker starts on the newest event, and its record has readable field names
    assert at.selectbox(key="ev_detail").value == table["event_id"].iloc[0]
    fields = list(at.dataframe[1].value["field"])
    assert "Who acted" in fields and "Against whom" in fields and "admin1_code" not in fields
    at = run("pages/deployments.py")
    # the tables are folded and sent only when opened (a data grid costs a first visit most)
    assert not at.dataframe
    assert any(e.label.startswith("Table: every troop figure with its source (") for e in at.expander)
    at.session_state["dep_troops_table_open"] = True
    at.run()
    assert len(at.dataframe) == 1
    troops = next(d.value for d in at.dataframe if "force" in d.value and "as_of_date" in d.value)
    dated = troops["as_of_date"]
    assert dated.dropna().is_monotonic_decreasing and dated.iloc[:dated.notna().sum()].notna().all()
    assert ui.COLUMN_LABELS["as_of_date"] == "As of"
