"""The Streamlit app renders on the embedded data (streamlit.testing AppTest)."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parents[1] / "streamlit_app.py")


def test_app_renders_map_table_and_caveat():
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception
    assert "Iraq" in at.title[0].value
    assert any("Baghdad" in i.value and "uncertain" in i.value for i in at.info)
    metrics = {m.label: m.value for m in at.metric}
    assert int(metrics["Events"]) > 10
    charts = at.get("plotly_chart")
    assert len(charts) == 1
    assert len(at.dataframe) == 1


def test_app_uses_boundaries_from_environment(tmp_path, monkeypatch, admin1):
    import streamlit as st

    path = tmp_path / "adm1.gpkg"
    admin1.rename(columns={"admin1_code": "PCODE", "admin1_name": "NAME"})[
        ["PCODE", "NAME", "geometry"]].assign(PCODE=lambda d: "X-" + d.PCODE).to_file(path)
    monkeypatch.setenv("GEO_BOUNDARIES", str(path))
    monkeypatch.setenv("GEO_BOUNDARY_COLUMNS", "admin1_code=PCODE,admin1_name=NAME")
    st.cache_data.clear()
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception and not at.warning
    codes = set(at.dataframe[0].value["admin1_code"].dropna())
    assert codes and all(c.startswith("X-IQ-") for c in codes)

    monkeypatch.setenv("GEO_BOUNDARY_COLUMNS", "admin1_code=NOPE")
    st.cache_data.clear()
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception
    assert "Custom boundaries not used" in at.warning[0].value and "NOPE" in at.warning[0].value
    st.cache_data.clear()
