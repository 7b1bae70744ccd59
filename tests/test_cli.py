"""The `geo` console script, run as a user runs it."""

from __future__ import annotations

import io

import pandas as pd
import pytest

from geo.app.dataset import every_event_record
from geo.data.export import export_frame, read_back, to_csv_text
from geo.sources.curated import load

SUBCOMMANDS = [["locate"], ["export"], ["validate"], ["boundaries"], ["data"],
               ["data", "build-boundaries"], ["data", "build-context"], ["data", "coverage"],
               ["gazetteer"], ["gazetteer", "install"], ["gazetteer", "use"], ["geoparse"]]


@pytest.mark.parametrize("sub", SUBCOMMANDS)
def test_every_subcommand_has_help(geo_cli, sub):
    res = geo_cli(*sub, "--help")
    assert res.returncode == 0 and "usage: geo" in res.stdout


def test_locate_prints_csv(geo_cli):
    res = geo_cli("locate", "33.3152,44.3661", "36.19,44.01", "35.0,38.0", "44.36,33.31")
    assert res.returncode == 0, res.stderr
    table = pd.read_csv(io.StringIO(res.stdout), dtype=str, keep_default_na=False)
    assert list(table.columns) == ["lat", "lon", "admin1_code", "admin1_name", "region",
                                   "admin2_code", "admin2_name", "jurisdiction"]
    assert (table[["admin2_code", "admin2_name", "jurisdiction"]] == "").all().all()  # no set
    assert list(table.admin1_code) == ["IQ-BG", "IQ-AR", "", ""]
    assert list(table.region) == ["Federal Iraq", "Kurdistan Region", "Outside Iraq",
                                  "Outside Iraq"]


@pytest.mark.parametrize("args", [
    ["locate", "33.3"], ["locate", "a,b"], ["locate", "95,44"], ["locate"],
    ["export", "--format", "xlsx"], ["export", "--dataset", "nope"], ["frobnicate"],
])
def test_bad_arguments_give_one_line(geo_cli, args):
    res = geo_cli(*args)
    assert res.returncode == 2
    assert res.stdout == "" and len(res.stderr.strip().splitlines()) == 1
    assert "Traceback" not in res.stderr


@pytest.mark.parametrize("args", [
    ["export", "--format", "gpkg"],
    ["locate", "33,44", "--boundaries", "/no/such/file.gpkg"],
    ["locate", "33,44", "--boundary-columns", "admin1_code=X"],
])
def test_bad_requests_give_one_line_and_exit_1(geo_cli, args):
    res = geo_cli(*args)
    assert res.returncode == 1 and len(res.stderr.strip().splitlines()) == 1
    assert res.stderr.startswith("geo: error:") and "Traceback" not in res.stderr


def test_export_csv_to_stdout_equals_library(geo_cli, admin1):
    res = geo_cli("export")
    assert res.returncode == 0, res.stderr
    assert res.stdout == to_csv_text(export_frame(every_event_record(admin1), "events"))
    # with what the dashboard derives, computed as the app computes it
    header = res.stdout.splitlines()[0].split(",")
    assert header[-6:] == ["actor1_family", "actor2_family", "direction", "origin",
                           "duplicate_of", "also_reported_by"]


@pytest.mark.parametrize("dataset", ["events", "deployments", "sites"])
@pytest.mark.parametrize("fmt", ["csv", "geojson", "gpkg", "parquet"])
def test_export_every_format_reads_back(geo_cli, tmp_path, admin1, dataset, fmt):
    suffix = {"csv": "csv", "geojson": "geojson", "gpkg": "gpkg", "parquet": "parquet"}[fmt]
    out = tmp_path / f"{dataset}.{suffix}"
    res = geo_cli("export", "--dataset", dataset, "--format", fmt, "--out", str(out))
    assert res.returncode == 0, res.stderr
    back = read_back(out)
    want = export_frame(load(dataset, admin1).data, dataset)
    key = want.columns[0]
    assert list(back[key]) == list(want[key]) and len(back) > 0
    assert list(back["admin1_code"].fillna("")) == list(want["admin1_code"].fillna(""))


def test_validate_shipped_data_is_clean(geo_cli):
    res = geo_cli("validate")
    assert res.returncode == 0, res.stdout + res.stderr
    issues = pd.read_csv(io.StringIO(res.stdout))
    assert (issues.severity != "error").all()
    assert "events:" in res.stderr and "0 rejected" in res.stderr


def test_data_coverage_prints_the_tables_dates_and_the_readme_block(geo_cli, tmp_path):
    from geo.app import coverage

    res = geo_cli("data", "coverage")
    assert res.returncode == 0, res.stderr
    table = pd.read_csv(io.StringIO(res.stdout), dtype=str).set_index("table")
    assert list(table.columns) == ["rows", "first", "last"]
    events = load("events").data
    assert table.loc["events", "rows"] == str(len(events))
    assert table.loc["events", "last"] == f"{events.event_date.max():%Y-%m-%d}"
    res = geo_cli("data", "coverage", "--markdown")
    assert res.returncode == 0 and res.stdout.startswith(coverage.README_START)
    assert coverage.README_END in res.stdout and "| year |" in res.stdout
    res = geo_cli("data", "coverage", "--markdown", "--write")
    assert res.returncode == 2 and "not allowed with" in res.stderr  # one or the other


def test_geoparse_lines_parses_each_line_as_a_text(geo_cli, tmp_path):
    from geo.text.geoparse import OUTPUT_COLUMNS

    texts = tmp_path / "summaries.txt"
    # SYNTHETIC summaries; line 2 is blank, line 4 ends with "Tal" and line 5 starts with "Afar":
    # two texts, so no "Tal Afar" across them; Windows line ends read the same
    texts.write_bytes(b"Rockets hit Erbil airport.\r\n\r\nA drone struck near Kocho.\r\n"
                      b"Curfew in Mosul and Tal\r\nAfar stayed quiet; Kirkuk too.\r\n")
    res = geo_cli("geoparse", "--lines", str(texts))
    assert res.returncode == 0, res.stderr
    table = pd.read_csv(io.StringIO(res.stdout), keep_default_na=False)
    assert list(table.columns) == ["doc", *OUTPUT_COLUMNS]
    assert list(zip(table["doc"], table["mention"], strict=True)) == [
        (1, "Erbil airport"), (4, "Mosul"), (5, "Kirkuk")]
    line5 = "Afar stayed quiet; Kirkuk too."
    kirkuk = table.iloc[2]
    assert line5[kirkuk["start"]:kirkuk["end"]] == "Kirkuk"  # offsets within the line
    assert "line 3: read like places but not in the gazetteer: Kocho" in res.stderr
    # the same texts from standard input; a file of blank lines gives the header alone
    piped = geo_cli("geoparse", "--lines", "-", input=texts.read_text(encoding="utf-8"))
    assert piped.stdout == res.stdout
    empty = geo_cli("geoparse", "--lines", "-", input="\n\n")
    assert empty.returncode == 0 and empty.stdout.strip() == ",".join(["doc", *OUTPUT_COLUMNS])
