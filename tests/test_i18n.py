"""The interface in English, Arabic and Sorani Kurdish (issue 26): catalogs complete and in step
with the code, plural forms, numbers and dates per locale, the language per visitor, the app in
each language through AppTest."""

from __future__ import annotations

import re
import subprocess
import sys
import threading
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from babel.messages.pofile import read_po
from streamlit.testing.v1 import AppTest

from geo.data import i18n

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "streamlit_app.py")
PLACEHOLDER = re.compile(r"\{[a-z_0-9]*(?:[:!][^}]*)?\}")


def catalog(lang: str):
    with i18n.po_path(lang).open("rb") as fh:
        return read_po(fh, locale=lang, domain=i18n.DOMAIN)


def test_catalogs_are_in_step_with_the_code():
    """A message added to the code without `make messages` fails here, not in front of a reader."""
    done = subprocess.run([sys.executable, str(ROOT / "scripts" / "update_catalogs.py"), "--check"],
                          capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.parametrize("lang", ["ar", "ckb"])
def test_every_message_is_translated_with_the_same_placeholders(lang):
    cat = catalog(lang)
    assert len(cat) > 300  # the whole interface, not a sample
    missing, fuzzy, mismatched = [], [], []
    for message in cat:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if not all(s.strip() for s in strings):
            missing.append(ids[0])
        if message.fuzzy:
            fuzzy.append(ids[0])
        wanted = set(PLACEHOLDER.findall(ids[-1]))
        for s in strings:
            if s and set(PLACEHOLDER.findall(s)) - set(PLACEHOLDER.findall(ids[0])) - wanted:
                mismatched.append((ids[0], s))
            # a placeholder of the message may be left out only in a singular/dual form
            # ("one event" written out): every other form must keep them all
            if s and len(strings) == 1 and set(PLACEHOLDER.findall(s)) != wanted:
                mismatched.append((ids[0], s))
    assert not missing, missing[:20]
    assert not fuzzy, fuzzy[:20]
    assert not mismatched, mismatched[:20]


def test_plural_forms_follow_each_language():
    assert catalog("ar").num_plurals == 6  # zero, one, two (dual), few, many, other
    assert catalog("ckb").num_plurals == 2
    with i18n.use("ar"):
        forms = {i18n.ngettext("{n} event", "{n} events", n) for n in (0, 1, 2, 3, 11, 100)}
    assert len(forms) == 6, forms  # Arabic: every plural form written, not the English two


def test_language_from_url_browser_and_bad_values():
    assert i18n.language_from("ar", "en-US") == ("ar", None)
    assert i18n.language_from(None, "ckb-IQ") == ("ckb", None)
    assert i18n.language_from(None, "ar_IQ") == ("ar", None)
    assert i18n.language_from(None, "fr-FR") == ("en", None)
    lang, notice = i18n.language_from("<b>xx</b>", None)
    assert lang == "en" and "lang" in notice and "ar, ckb" in notice


def test_numbers_and_dates_per_locale_western_digits_by_default():
    day = date(2026, 3, 14)
    assert (i18n.number(1234567), i18n.day(day)) == ("1,234,567", "14 Mar 2026")
    with i18n.use("ar"):
        assert i18n.number(1234567) == "1,234,567"
        assert i18n.day(day) == "14 آذار 2026"
    with i18n.use("ar", digits="arab"):
        assert i18n.number(1234567) == "١٬٢٣٤٬٥٦٧"
        assert i18n.day(day) == "١٤ آذار ٢٠٢٦"
    with i18n.use("ckb"):
        assert i18n.day(day) == "14 ئازار 2026"
        assert i18n.day(date(2025, 12, 29)) == "29 کانوونی یەکەم 2025"  # as Kurdish media write it
    with i18n.use("en", digits="arab"):  # Arabic-Indic digits only in Arabic and Kurdish
        assert i18n.number(12) == "12"


def test_each_visitor_reads_their_own_language():
    """Streamlit runs each session's script in its own thread: one visitor's language must never
    leak into another's (a hosted copy serves many at once)."""
    seen: dict[str, str] = {}

    def visit(lang: str) -> None:
        i18n.set_language(lang)
        barrier.wait()
        seen[lang] = i18n._("Overview")

    barrier = threading.Barrier(3)
    threads = [threading.Thread(target=visit, args=(lang,)) for lang in i18n.LANGUAGES]
    [t.start() for t in threads]
    [t.join() for t in threads]
    assert seen["en"] == "Overview"
    assert seen["ar"] != "Overview" and seen["ckb"] != "Overview" and seen["ar"] != seen["ckb"]
    assert i18n.current() == "en"  # the test's own thread is untouched


def _app(**params: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=90)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


@pytest.mark.parametrize("lang", ["ar", "ckb"])
def test_the_app_opens_in_the_language_of_the_link_right_to_left(lang, keep_running_entrypoint):
    at = _app(lang=lang, actor="Kataib Hezbollah")
    with i18n.use(lang):
        title = i18n._("Iraq: attacks, strikes and foreign forces")
    assert at.title[0].value == title != "Iraq: attacks, strikes and foreign forces"
    assert at.selectbox(key="lang").value == lang
    assert any("direction: rtl" in h.proto.body for h in at.get("html"))
    # the language never changes the filter: the link keeps both, and the same events are shown
    assert dict(at.query_params)["lang"] in (lang, [lang])
    assert dict(at.query_params)["actor"] in ("Kataib Hezbollah", ["Kataib Hezbollah"])
    english = _app(actor="Kataib Hezbollah")
    assert english.metric[0].value == at.metric[0].value
    assert not any("direction: rtl" in h.proto.body for h in english.get("html"))


def test_switching_language_keeps_the_filter_and_a_bad_lang_is_said(keep_running_entrypoint):
    at = _app(lang="xx", actor="Kataib Hezbollah")
    assert any("lang" in w.value for w in at.warning)
    at.selectbox(key="lang").set_value("ar").run()
    assert not at.exception
    params = dict(at.query_params)
    assert params["lang"] in ("ar", ["ar"]) and params["actor"] in ("Kataib Hezbollah",
                                                                     ["Kataib Hezbollah"])
    at.toggle(key="digits_arab").set_value(True).run()
    assert dict(at.query_params)["digits"] in ("arab", ["arab"])
    assert re.search("[٠-٩]", at.metric[0].value)


def test_tables_and_records_show_the_apps_values_in_the_readers_language(
        keep_running_entrypoint):
    """Event types, directions and qualifiers the app owns read in Arabic in the tables; the
    data, the URL and the downloads keep them in English."""
    at = _app(lang="ar")
    at.switch_page("pages/events.py").run()
    assert not at.exception, [e.value for e in at.exception]
    with i18n.use("ar"):
        battles, unknown = i18n._("Battles"), i18n._("unknown")
    table = next(d.value for d in at.dataframe if "event_type" in d.value.columns)
    assert battles in set(table["event_type"]) and "Battles" not in set(table["event_type"])
    assert unknown in set(table["fatalities_qualifier"].dropna())


def test_import_and_pull_reports_in_every_language():
    """The Data page says an import's and a pull's figures in the reader's language; the file
    name stays as typed (isolated in right-to-left text)."""
    from geo.app import reports
    from geo.sources.ingest import IngestReport
    from geo.sources.pull import PullReport

    done = IngestReport(file="acled_iraq.csv", format="ACLED", rows_read=1204, imported=1200,
                        rejected=4, geocoded={"exact": 3, "none": 1}, outside_iraq=2)
    pulled = PullReport(source="UCDP", pages=3, rows=2500, imported=2500, resumed_from=1)
    with i18n.use("en"):
        said = reports.import_summary(done)
        assert said.startswith("acled_iraq.csv (ACLED): 1,204 rows read: 1,200 imported")
        assert "places found from names: exact name 3, not found 1" in said
        assert reports.pull_summary(pulled).startswith("UCDP: 2,500 rows in 3 pages (resumed at page 2)")
        nothing = reports.import_summary(IngestReport(file="x.csv", format="generic", rows_read=1,
                                                     rejected=1))
        assert "none of the 1 row could be imported" in nothing and "1 row read" in nothing
    for lang, word in (("ar", "مستورد"), ("ckb", "هاوردەکراو")):
        with i18n.use(lang):
            said = reports.import_summary(done)
            assert word in said and "1,200" in said and "\u2068acled_iraq.csv\u2069" in said
            assert not re.search(r"\b(?:imported|rejected|rows read)\b", said)
            assert word in reports.pull_summary(pulled)


def test_import_problems_in_the_readers_language(tmp_path):
    """A validator's and an importer's messages come from the same catalogs (geo.data.i18n, at
    the bottom of the package): the Data page lists a bad row's problem in Arabic or Kurdish;
    the CLI and the default stay English."""
    from geo.data.schemas import EVENTS
    from geo.data.validate import SchemaError, validate
    from geo.sources.ingest import read_table_noted

    raw = pd.DataFrame({c: ["x"] for c in EVENTS.required_columns}).assign(
        event_date="2024-13-01", latitude="33.3", longitude="44.4")
    english = validate(raw, EVENTS, "f.csv").issues
    assert "not a date in YYYY-MM-DD form" in set(english["reason"])
    with i18n.use("ar"):
        arabic = validate(raw, EVENTS, "f.csv").issues
    assert "ليس تاريخًا بصيغة YYYY-MM-DD" in set(arabic["reason"])
    assert len(arabic) == len(english)
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    with i18n.use("ckb"), pytest.raises(SchemaError, match="فایلی بەتاڵ"):
        read_table_noted(empty)
    semi = tmp_path / "semi.csv"
    semi.write_text("a;b\n1;2\n")
    with i18n.use("ar"):
        assert read_table_noted(semi)[1] == ["قُرئ مفصولًا بـ ';' (لا فواصل في الترويسة)"]


def test_geoparse_notes_in_the_readers_language():
    """The Geoparse page's notes (why a mention was placed at its governorate) and the warning
    built from them come from the catalogs too."""
    from geo.text.geoparse import geoparse

    text = "Gunmen attacked a checkpoint in Bashir village, Kirkuk governorate, Iraq."
    assert "Bashir is not in the gazetteer: placed at Kirkuk" in set(geoparse(text)["note"])
    with i18n.use("ckb"):
        assert "Bashir لە فەرهەنگی شوێنەکاندا نییە: لە Kirkuk دانرا" in set(geoparse(text)["note"])


def test_a_pull_that_cannot_reach_its_host_says_so_in_the_readers_language(monkeypatch, tmp_path):
    """Offline, the Data page's pull fails with one line: in Arabic too."""
    from geo.sources import pull

    monkeypatch.setenv("GEO_UCDP_URL", "http://127.0.0.1:9")  # a closed port: refused at once
    with pytest.raises(pull.PullError, match="cannot reach 127.0.0.1:9"):
        pull.pull_ucdp("25.1", store=tmp_path / "s", sleep=lambda s: None)
    with i18n.use("ar"), pytest.raises(pull.PullError, match="تعذّر الوصول إلى 127.0.0.1:9"):
        pull.pull_ucdp("25.1", store=tmp_path / "s", sleep=lambda s: None)


def test_the_sidebar_says_once_that_source_text_keeps_its_language(keep_running_entrypoint):
    said = "shown as the sources wrote them"
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=120)
    at.query_params["lang"] = "ar"
    at.run()
    assert [c.value for c in at.sidebar.caption if "كما كتبتها المصادر" in c.value]
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=120)
    at.run()
    assert not [c.value for c in at.sidebar.caption if said in c.value]  # English needs no word
