"""The scale-out path gives the in-process answers: `run_dask` on a real 2-worker cluster ==
`run_local`, whatever the partitioning. All input is SYNTHETIC, generated here by code."""

from __future__ import annotations

import logging
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest

from geo.sources.pipeline import (
    SCHEDULER_ENV,
    SchedulerError,
    aggregate_dataset,
    check_address,
    client_for,
    run_dask,
    run_local,
)
from geo.tools.synth import synthesize, to_acled

N_ROWS = 600
# (0-based data row, column, bad value, the column validation names): row i is file row i + 2.
DEFECTS = [(7, "event_date", "31 February 2024", "event_date"),
           (233, "latitude", "95.5", "latitude"),
           (234, "event_date", "sometime", "event_date"),
           (401, "sub_event_type", "Peaceful protest", "sub_event_type"),
           (598, "fatalities", "many", "fatalities")]
# (earlier row, later row): the later one reuses the earlier id with other values and wins.
DUPLICATES = [(3, 590), (120, 121), (300, 470)]
# ...unless the later copy is invalid (row 233 has a bad latitude): then the earlier one stays.
INVALID_LATER_COPY = (50, 233)


def _synthetic_acled(n: int, seed: int) -> pd.DataFrame:
    """SYNTHETIC events in ACLED's export layout, every cell text (`geo synth`)."""
    return to_acled(synthesize(n, seed)).astype(str).reset_index(drop=True)


def _with_defects(acled: pd.DataFrame) -> pd.DataFrame:
    out = acled.copy()
    # the file's own governorate on every 9th row: where the join disagrees, a warning per row
    out.loc[::9, "admin1"] = "Basra"
    for row, column, value, _ in DEFECTS:
        out.loc[row, column] = value
        if column == "sub_event_type":  # a protest sub-type under Battles, whatever was drawn
            out.loc[row, "event_type"] = "Battles"
    for first, later in [*DUPLICATES, INVALID_LATER_COPY]:
        out.loc[later, "event_id_cnty"] = out.loc[first, "event_id_cnty"]
    return out


@pytest.fixture(scope="module")
def acled_csv(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("pipeline") / "synthetic_acled.csv"
    _with_defects(_synthetic_acled(N_ROWS, seed=7)).to_csv(path, index=False)
    return path


@pytest.fixture(scope="module")
def cluster():
    from distributed import LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                      silence_logs=logging.ERROR, scheduler_kwargs={"dashboard_address": ":0"}) as c:
        yield c


@pytest.fixture(scope="module")
def local(acled_csv, admin1):
    return run_local(acled_csv, admin1=admin1)


@pytest.fixture(scope="module")
def distributed_run(acled_csv, admin1, cluster):
    # ~10 kB blocks: about a dozen partitions for a 600-row file.
    return run_dask(acled_csv, admin1=admin1, scheduler=cluster.scheduler_address,
                    blocksize="10kB")


def _mapping(events: pd.DataFrame) -> pd.Series:
    return (events.set_index("event_id")["admin1_code"].astype(object)
            .where(lambda s: s.notna(), "").sort_index())


def test_local_run_counts_every_row(local, acled_csv):
    raw = pd.read_csv(acled_csv, dtype=str, keep_default_na=False)
    assert local.rows_read == len(raw) == N_ROWS
    assert local.rejected == len(DEFECTS)
    assert local.duplicates == len(DUPLICATES)
    assert local.kept == N_ROWS - len(DEFECTS) - len(DUPLICATES) == len(local.events)
    assert local.events["event_id"].is_unique
    assert local.aggregate["events"].sum() == local.kept


def test_issue_rows_are_file_rows(local):
    errors = local.issues[local.issues["severity"] == "error"]
    assert set(zip(errors["row"], errors["column"], strict=True)) == {
        (row + 2, col) for row, _, _, col in DEFECTS}
    assert sorted(local.rejected_rows["row"]) == sorted(row + 2 for row, *_ in DEFECTS)
    assert local.rejected_rows["problems"].str.len().gt(0).all()
    warned = local.issues[local.issues["severity"] == "warning"]
    assert len(warned) and ((warned["row"] - 2) % 9 == 0).all()  # the rows given "Basra"


def test_last_valid_occurrence_of_a_duplicate_wins(local, acled_csv):
    raw = pd.read_csv(acled_csv, dtype=str, keep_default_na=False)
    events = local.events.set_index("event_id")
    winners = [later for _, later in DUPLICATES] + [INVALID_LATER_COPY[0]]
    for row in winners:
        winner = raw.loc[row]
        assert events.loc[winner["event_id_cnty"], "latitude"] == pytest.approx(
            float(winner["latitude"]))


def test_dask_gives_the_local_answers_on_many_partitions(local, distributed_run):
    assert distributed_run.partitions >= 6  # partitioning really happened
    pd.testing.assert_frame_equal(distributed_run.aggregate, local.aggregate)
    pd.testing.assert_series_equal(_mapping(distributed_run.events), _mapping(local.events))
    # no row lost or counted twice at a partition boundary
    assert (distributed_run.rows_read, distributed_run.kept, distributed_run.rejected,
            distributed_run.duplicates) == (local.rows_read, local.kept, local.rejected,
                                             local.duplicates)
    key = ["file", "row", "column", "severity"]
    pd.testing.assert_frame_equal(
        distributed_run.issues.sort_values(key).reset_index(drop=True),
        local.issues.sort_values(key).reset_index(drop=True))
    assert sorted(distributed_run.rejected_rows["row"]) == sorted(local.rejected_rows["row"])


def test_dask_writes_a_wgs84_geoparquet_dataset(acled_csv, admin1, cluster, local, tmp_path):
    out = tmp_path / "events_dataset"
    result = run_dask(acled_csv, admin1=admin1, scheduler=cluster.scheduler_address,
                      blocksize="16kB", out_dir=out)
    parts = sorted(out.glob("part.*.parquet"))
    assert result.dataset == out and len(parts) == result.partitions > 1
    back = gpd.read_parquet(out)
    assert back.crs is not None and back.crs.to_epsg() == 4326
    assert len(back) == local.kept and back.geometry.geom_type.dropna().eq("Point").all()
    pd.testing.assert_series_equal(_mapping(back), _mapping(local.events))
    pd.testing.assert_frame_equal(result.aggregate, local.aggregate)
    pd.testing.assert_frame_equal(aggregate_dataset(out, cluster.scheduler_address),
                                  local.aggregate)
    # the dataset is itself a valid input: its columns map onto themselves
    again = run_local(out, admin1=admin1)
    assert (again.format, again.rows_read, again.rejected) == ("csv", local.kept, 0)
    pd.testing.assert_frame_equal(again.aggregate, local.aggregate)
    # a second run replaces the dataset instead of mixing old and new parts
    run_local(acled_csv, admin1=admin1, out_dir=out)
    assert [p.name for p in out.iterdir()] == ["part.0.parquet"]
    assert len(gpd.read_parquet(out)) == local.kept


def test_local_output_reads_back_too(acled_csv, admin1, local, tmp_path):
    result = run_local(acled_csv, admin1=admin1, out_dir=tmp_path / "out")
    back = gpd.read_parquet(tmp_path / "out")
    assert back.crs.to_epsg() == 4326 and len(back) == result.kept == local.kept


def test_out_dir_inside_data_or_foreign_is_refused(acled_csv, tmp_path):
    from geo.data import paths

    with pytest.raises(ValueError, match="data folder"):
        run_local(acled_csv, out_dir=paths.data_dir() / "pipeline_out")
    (tmp_path / "notes.txt").write_text("mine")
    with pytest.raises(ValueError, match="not a dataset"):
        run_local(acled_csv, out_dir=tmp_path)
    assert (tmp_path / "notes.txt").read_text() == "mine"


def test_a_folder_of_files_is_one_input(acled_csv, admin1, cluster, tmp_path):
    raw = pd.read_csv(acled_csv, dtype=str, keep_default_na=False)
    folder = tmp_path / "feed"
    folder.mkdir()
    raw.iloc[:250].to_csv(folder / "a.csv", index=False)
    raw.iloc[250:].to_csv(folder / "b.csv", index=False)
    local = run_local(folder, admin1=admin1)
    remote = run_dask(folder, admin1=admin1, scheduler=cluster.scheduler_address,
                      blocksize="16kB")
    assert remote.partitions > 2
    pd.testing.assert_frame_equal(remote.aggregate, local.aggregate)
    assert local.duplicates == remote.duplicates == len(DUPLICATES)
    # rows are numbered within each file: b.csv starts again at row 2
    bad = local.issues[(local.issues["severity"] == "error") & (local.issues["file"] == "b.csv")]
    assert sorted(bad["row"]) == sorted(r - 250 + 2 for r, *_ in DEFECTS if r >= 250)
    assert sorted(zip(remote.issues["file"], remote.issues["row"], strict=True)) == sorted(
        zip(local.issues["file"], local.issues["row"], strict=True))


def test_client_for_an_explicit_address_and_the_environment(cluster, monkeypatch):
    with client_for(cluster.scheduler_address) as client:
        assert client.submit(sum, [1, 2]).result() == 3
        assert len(client.scheduler_info()["workers"]) == 2
    monkeypatch.setenv(SCHEDULER_ENV, cluster.scheduler_address)
    with client_for(None) as client:
        assert client.scheduler.address == cluster.scheduler_address


@pytest.mark.parametrize("address", ["nonsense", "http://example.org", "tcp://host:99999",
                                     "tcp://127.0.0.1:1"])
def test_bad_scheduler_address_is_a_clear_error(address):
    with pytest.raises(SchedulerError) as err, client_for(address, timeout=1):
        pass
    assert address in str(err.value) and "\n" not in str(err.value)


def test_address_forms_that_are_accepted():
    for ok in ("tcp://10.0.0.5:8786", "tls://scheduler.example.org:8786", "inproc://10.0.0.5/1/1",
               "dask-scheduler:8786", "tcp://[::1]:8786"):
        assert check_address(ok) == ok


def test_cli_pipeline_with_dask_end_to_end(geo_cli, acled_csv, cluster, local, tmp_path):
    issues = tmp_path / "issues.csv"
    done = geo_cli("pipeline", str(acled_csv), "--engine", "dask", "--scheduler",
                   cluster.scheduler_address, "--blocksize", "16kB", "--out",
                   str(tmp_path / "ds"), "--issues", str(issues))
    assert done.returncode == 0, done.stderr
    table = pd.read_csv(pd.io.common.StringIO(done.stdout), dtype={"admin1_code": str},
                        keep_default_na=False, parse_dates=["period"])
    expected = local.aggregate
    assert list(table.columns) == list(expected.columns)
    assert len(table) == len(expected) and table["events"].sum() == local.kept
    assert (table["fatalities"].sum(), table["fatalities_unknown"].sum()) == (
        expected["fatalities"].sum(), expected["fatalities_unknown"].sum())
    summary = done.stderr.strip().splitlines()[-1]
    assert f"{N_ROWS} rows read" in summary and "engine dask" in summary
    assert f"{len(DEFECTS)} rejected" in summary
    assert len(pd.read_csv(issues).query("severity == 'error'")) == len(DEFECTS)
    assert gpd.read_parquet(tmp_path / "ds").crs.to_epsg() == 4326


def test_cli_errors_are_one_line(geo_cli, acled_csv, tmp_path):
    bad = geo_cli("pipeline", str(acled_csv), "--engine", "dask", "--scheduler", "nonsense")
    assert bad.returncode == 1 and bad.stderr.count("\n") == 1 and "nonsense" in bad.stderr
    local = geo_cli("pipeline", str(acled_csv), "--format", "acled")
    assert local.returncode == 0 and "engine local" in local.stderr
