"""The store is laid out for skipping: sorted by date in row groups with statistics, so a date
window reads only the groups that overlap it, and a page reads only the columns it needs."""

import geopandas as gpd
import pandas as pd
import pyarrow.parquet as pq

from geo.data.store import EVENTS_FILE, ROW_GROUP_ROWS, merge, read_events, write_events
from geo.spatial.join import assign_admin1
from geo.tools import synth


def _store(tmp_path, n: int):
    events = assign_admin1(synth.synthesize(n, seed=5))
    merged, *_ = merge(read_events(tmp_path), gpd.GeoDataFrame(events, geometry="geometry"))
    write_events(tmp_path, merged)
    return merged


def test_row_groups_are_date_ordered_with_statistics(tmp_path):
    _store(tmp_path, 3 * ROW_GROUP_ROWS + 10)
    meta = pq.ParquetFile(tmp_path / EVENTS_FILE).metadata
    assert meta.num_row_groups == 4
    date_col = meta.schema.names.index("event_date")
    ranges = [(meta.row_group(i).column(date_col).statistics.min,
               meta.row_group(i).column(date_col).statistics.max) for i in range(4)]
    assert all(lo <= hi for lo, hi in ranges)
    assert all(ranges[i][1] <= ranges[i + 1][0] for i in range(3))  # no overlap: skippable
    assert b"bbox" in meta.schema.to_arrow_schema().to_string().encode()


def test_date_window_and_columns_are_read_exactly(tmp_path):
    stored = _store(tmp_path, 2 * ROW_GROUP_ROWS)
    start, end = pd.Timestamp("2022-03-01"), pd.Timestamp("2022-06-30")
    got = read_events(tmp_path, columns=["event_id", "event_date"], start=start, end=end)
    want = stored[(stored["event_date"] >= start) & (stored["event_date"] <= end)]
    assert list(got.columns) == ["event_id", "event_date", "geometry"]
    assert 0 < len(got) < len(stored) / 4
    assert sorted(got["event_id"]) == sorted(want["event_id"])
