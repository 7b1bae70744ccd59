"""Draft events from a geoparsed text: validated like any import, never half-invented."""

from __future__ import annotations

from geo.data.store import read_events
from geo.sources.drafts import draft_events
from geo.sources.ingest import ingest_frame
from geo.text.geoparse import geoparse, sentences

TEXT = ("SYNTHETIC TEST TEXT. In this invented example, a drone is reported near Erbil air base. "
        "A second invented line mentions Kirkuk.")


def _found():
    found = geoparse(TEXT)
    return found.assign(sentence=sentences(TEXT, found["start"]))


def test_sentences_are_the_mentions_context():
    found = _found()
    assert list(found.matched_name) == ["Erbil International Airport / Erbil Air Base", "Kirkuk"]
    assert found.sentence.iloc[1] == "A second invented line mentions Kirkuk."


def test_complete_drafts_are_saved_and_incomplete_ones_explained(tmp_path, admin1):
    found = _found()
    fields = {"event_date": "2024-01-05", "time_precision": "1",
              "event_type": "Explosions/Remote violence", "sub_event_type": "Air/drone strike",
              "actor1": "SYNTHETIC actor", "source_publisher": "SYNTHETIC",
              "source_url": "https://example.org/synthetic"}
    report = ingest_frame(draft_events(TEXT, found, fields), "geoparse", store=tmp_path,
                          admin1=admin1)
    assert report.imported == 2 and report.rejected == 0
    stored = read_events(tmp_path)
    assert set(stored.admin1_code) == {"IQ-AR", "IQ-KI"}
    assert stored.notes.str.contains("invented").all()
    again = ingest_frame(draft_events(TEXT, found, fields), "geoparse", store=tmp_path, admin1=admin1)
    assert again.imported == 0  # stable draft ids: saving twice adds nothing
    missing = ingest_frame(draft_events(TEXT, found, {**fields, "event_date": "",
                                                      "source_url": "javascript:alert(1)"}),
                           "geoparse", store=tmp_path, admin1=admin1)
    assert missing.rejected == 2
    assert {"event_date", "source_url"} <= set(missing.issues.column)
