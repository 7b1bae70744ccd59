"""Data: downloads of exactly what the filter shows, the data dictionary, sources, quality."""

import re
from pathlib import Path

import pandas as pd
import streamlit as st

from geo import downloads, filters, ui
from geo.export import FORMATS, export_frame, to_csv_text
from geo.schemas import ALL_SCHEMAS

data = ui.get_data()
f = st.session_state["filter"]
events = filters.apply(data.events, f)
sites = filters.apply_places(data.sites, f)
ui.page_header("Data", data, f, len(events))
slug = filters.slug(f)
description = filters.describe(f, data.admin1_names)

st.subheader("Download")
st.write(f"{len(events)} events and {len(sites)} sites match the filter.")
c1, c2 = st.columns(2)
c1.download_button("Events as CSV", to_csv_text(export_frame(events, "events")),
                   file_name=downloads.file_name("events", slug, "csv"), mime="text/csv",
                   key="dl_events_csv", on_click="ignore")
fmt = c2.selectbox("Bundle format (events + sites + README)", list(FORMATS), key="dl_format",
                   format_func={"csv": "CSV", "geojson": "GeoJSON", "gpkg": "GeoPackage",
                                "parquet": "GeoParquet"}.get)
c2.download_button(
    f"Events and sites as {fmt} (zip)",
    lambda: downloads.bundle({"events": events, "sites": sites}, fmt, description, data.as_of, slug),
    file_name=downloads.file_name("export", slug, "zip"), mime="application/zip",
    key="dl_bundle", on_click="ignore")


@st.cache_data(show_spinner=False)
def _readme() -> str:
    text = (Path(__file__).resolve().parents[1] / "data" / "README.md").read_text(encoding="utf-8")
    return re.sub(r"^(#+) ", r"##\1 ", text, flags=re.MULTILINE)  # below the page's own headings


st.subheader("Data dictionary")
dictionary = pd.DataFrame([
    {"table": s.name, "column": fld.name, "type": fld.kind, "required": fld.required,
     "allowed": ", ".join(fld.allowed) if fld.allowed else "", "description": fld.description}
    for s in ALL_SCHEMAS.values() for fld in s.fields])
st.dataframe(dictionary, hide_index=True, key="data_dictionary")

st.subheader("Data quality")
quality = pd.DataFrame({
    "table": ["events", "sites", "deployments", "troop levels", "transition"],
    "rows": [len(data.events), len(data.sites), len(data.deployments), len(data.troop_levels),
             len(data.transition)],
})
st.dataframe(quality, hide_index=True, key="data_quality_counts")
c1, c2 = st.columns(2)
c1.write("Events by geo precision")
c1.dataframe(data.events["geo_precision"].value_counts().sort_index().rename_axis("geo_precision")
             .reset_index(), hide_index=True, key="data_geo_prec")
c2.write("Events by time precision")
c2.dataframe(data.events["time_precision"].value_counts().sort_index()
             .rename_axis("time_precision").reset_index(), hide_index=True, key="data_time_prec")
st.write("Problems found when loading (file, row, column, reason)")
st.dataframe(data.issues, hide_index=True, key="data_issues")

st.subheader("Sources and licences")
with st.expander("data/README.md", expanded=False):
    st.markdown(_readme())
