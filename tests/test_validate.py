"""Schema validation keeps good rows, rejects bad ones and says where."""

from __future__ import annotations

import pytest
from synthetic import synthetic_event, synthetic_events

from geo.schemas import EVENTS
from geo.validate import SchemaError, read_csv_text, validate


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
    bad = tmp_path / "cp1256.csv"
    bad.write_bytes(b"location\n" + "بغداد".encode("cp1256"))
    with pytest.raises(SchemaError, match="cp1256.csv: not UTF-8"):
        read_csv_text(bad)
    with pytest.raises(SchemaError, match="file not found"):
        read_csv_text(tmp_path / "nope.csv")
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    with pytest.raises(SchemaError, match="not a readable CSV"):
        read_csv_text(empty)
