"""Schema validation keeps good rows, rejects bad ones and says where."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from synthetic import synthetic_event, synthetic_events

from geo.data.schemas import EVENTS
from geo.data.validate import SchemaError, read_csv_noted, read_csv_text, validate


def test_good_rows_are_typed():
    out = validate(synthetic_events([synthetic_event(1, fatalities="3",
                                                     fatalities_qualifier="exact")]), EVENTS)
    assert out.issues.empty and len(out.data) == 1
    row = out.data.iloc[0]
    assert row.fatalities == 3 and str(row.event_date.date()) == "2024-01-20"
    assert out.data.latitude.dtype == "float64" and str(out.data.fatalities.dtype) == "Int64"


@pytest.mark.parametrize(("column", "value", "reason"), [
    ("event_date", "2024-13-01", "not a date"),
    ("event_date", "", "required value is missing"),
    ("time_precision", "4", "above the maximum"),
    ("latitude", "north", "not a finite number"),
    ("latitude", "inf", "not a finite number"),
    ("longitude", "181", "above the maximum"),
    ("fatalities", "-1", "below the minimum"),
    ("fatalities", "2.5", "not a whole number"),
    ("event_type", "Shooting", "not one of"),
    ("sub_event_type", "Peaceful protest", "does not belong to the event type"),
    ("source_url", "javascript:alert(1)", "only http:// or https://"),
    ("fatalities_qualifier", "exact", "must be filled exactly when fatalities is filled"),
    ("event_date", "1899-12-31", "before 1900-01-01"),
    ("event_date", "9999-12-31", "in the future"),
    ("source_date", (date.today() + timedelta(days=3)).isoformat(), "in the future"),
    ("fatalities", "1,234", "thousands separator"),
    ("fatalities", "99999999999999999999", "too large"),
    ("notes", "SYNTHETIC a\x00b", "control character"),
    ("actor1", "x" * 10_001, "longer than 10,000 characters"),
])
def test_bad_value_rejects_only_its_row(column, value, reason):
    rows = [synthetic_event(1), synthetic_event(2, **{column: value}), synthetic_event(3)]
    out = validate(synthetic_events(rows), EVENTS, "events.csv")
    assert list(out.data.event_id) == ["SYN-0001", "SYN-0003"]
    err = out.errors
    assert len(err) >= 1
    first = err.iloc[0]
    assert first.file == "events.csv" and first.row == 3 and first.column == column
    assert reason in first.reason
    assert list(out.rejected.event_id) == ["SYN-0002"]


def test_duplicate_ids_keep_the_first():
    rows = [synthetic_event(1), synthetic_event(1, notes="other")]
    out = validate(synthetic_events(rows), EVENTS)
    assert len(out.data) == 1 and out.data.notes.iloc[0] == "SYNTHETIC test row"
    assert "duplicate identifier" in out.errors.reason.iloc[0]


def test_missing_required_column_is_a_file_error():
    df = synthetic_events([synthetic_event(1)]).drop(columns=["latitude", "source_url"])
    with pytest.raises(SchemaError, match="missing required column.*latitude, source_url"):
        validate(df, EVENTS, "x.csv")


def test_unreadable_files_are_reported(tmp_path):
    with pytest.raises(SchemaError, match="file not found"):
        read_csv_text(tmp_path / "nope.csv")
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    with pytest.raises(SchemaError, match="empty.csv: empty file"):
        read_csv_text(empty)
    binary = tmp_path / "image.csv"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(100))
    with pytest.raises(SchemaError, match="image.csv: this is a PNG image, not CSV text"):
        read_csv_text(binary)


def test_other_encodings_are_read_and_said(tmp_path):
    arabic = tmp_path / "cp1256.csv"
    arabic.write_bytes(b"location,notes\n" + "بغداد,اشتباك".encode("cp1256") + b"\n")
    table, notes = read_csv_noted(arabic)
    assert table.location.tolist() == ["بغداد"] and notes == [
        "not UTF-8: read as Windows-1256 (Arabic); save as UTF-8 to be sure"]
    latin = tmp_path / "latin.csv"
    latin.write_bytes("location\nSociété Générale\n".encode("latin-1"))
    table, notes = read_csv_noted(latin)
    assert table.location.tolist() == ["Société Générale"] and "Windows-1252" in notes[0]
    semicolons = tmp_path / "semi.csv"
    semicolons.write_text("a;b\n1;2\n")
    table, notes = read_csv_noted(semicolons)
    assert list(table.columns) == ["a", "b"] and notes == [
        "read as ';'-separated (the header has no commas)"]
