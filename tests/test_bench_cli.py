"""`geo bench` runs every case beside its baseline and prints the table (tiny N: a smoke run)."""

import pandas as pd


def test_bench_prints_one_row_per_case_and_the_key_ratios(geo_cli):
    result = geo_cli("bench", "--sizes", "3000", "--cases", "join", "map", "ingest", "geocode",
                     "--geocode-n", "2000", "--markdown")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.strip().splitlines()
    assert lines[0].startswith("machine: ") and "CPU" in lines[0]
    table = [line for line in lines if line.startswith("| ") and not line.startswith("| case")]
    cases = [row.split(" | ")[0].lstrip("| ") for row in table]
    assert cases == ["1. region assignment", "2. filter change -> Map page figures",
                     "2b. Map page payload (JSON)", "3. ingest ACLED CSV -> store",
                     "4a. geocode exact/alias names", "4b. geocode misspelled names"]
    assert all(row.split(" | ")[4].endswith("x") for row in table)  # every case has a ratio
    assert "identical" in table[0]  # same governorates as geopandas.sjoin
    assert "3,000 imported, 0 rejected" in table[3]
    assert lines[-1].startswith("key ratios")
    assert "geo bench: synthesising 3,000 events" in result.stderr


def test_bench_refuses_bad_sizes_in_one_line(geo_cli):
    for bad in ("abc", "10", "5000,x"):
        result = geo_cli("bench", "--sizes", bad)
        assert result.returncode == 2
        assert len(result.stderr.strip().splitlines()) == 1 and "--sizes" in result.stderr


def test_misspellings_change_names_but_keep_them_recognisable():
    import numpy as np

    from geo.tools.bench import misspell

    names = pd.Series(["Baghdad", "Al-Qaim", "Fallujah", "Erbil", "Sulaymaniyah"] * 200)
    out = misspell(names, np.random.default_rng(0))
    changed = out != names
    assert changed.mean() > 0.9
    assert (out.str.len() - names.str.len()).abs().max() <= 2
