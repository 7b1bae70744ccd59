"""Download bundles hold exactly the filtered rows plus a README that says what they are."""

from __future__ import annotations

import io
import zipfile
from datetime import date

import pandas as pd
import pytest

from geo.app import downloads, filters
from geo.app.filters import Filter
from geo.data.export import FORMATS, export_frame, read_back
from geo.sources.curated import load


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_bundle_contains_exactly_the_filtered_rows(admin1, tmp_path, fmt):
    f = Filter(start=date(2023, 10, 1), regions=("Federal Iraq",))
    events = filters.apply(load("events", admin1).data, f)
    sites = filters.apply_places(load("sites", admin1).data, f)
    slug = filters.slug(f)
    blob = downloads.bundle({"events": events, "sites": sites}, fmt, filters.describe(f),
                            pd.Timestamp("2026-03-02"), slug,
                            coverage="Coverage: events 27 Dec 2019 – 20 Nov 2026")
    with zipfile.ZipFile(io.BytesIO(blob)) as zf:
        names = sorted(zf.namelist())
        ext = FORMATS[fmt]
        assert names == sorted(["README.txt", f"iraq_events_{slug}{ext}", f"iraq_sites_{slug}{ext}"])
        zf.extractall(tmp_path)
        readme = zf.read("README.txt").decode()
    back = read_back(tmp_path / f"iraq_events_{slug}{ext}")
    want = export_frame(events, "events")
    assert list(back.event_id) == list(want.event_id) and 0 < len(back) < len(load("events").data)
    assert list(read_back(tmp_path / f"iraq_sites_{slug}{ext}").site_id) == list(sites.site_id)
    assert filters.describe(f) in readme and "Licence" in readme and "Exported:" in readme
    assert "Data as of: 2026-03-02" in readme
    assert "Coverage: events 27 Dec 2019 – 20 Nov 2026" in readme and "never 0" in readme


def test_file_name_carries_the_filter():
    f = Filter(admin1=("IQ-BG",), event_types=("Battles",))
    assert downloads.file_name("events", filters.slug(f), "csv") == "iraq_events_Battles_IQ-BG.csv"
