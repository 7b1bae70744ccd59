"""Data: downloads of exactly what the filter shows, the data dictionary, sources, quality."""

import re
import shutil
from datetime import date
from functools import partial
from pathlib import Path

import pandas as pd
import streamlit as st

from geo.app import downloads, filters, reports, ui
from geo.data import i18n
from geo.data.export import FORMATS, export_frame, to_csv_text
from geo.data.i18n import _, ngettext, number
from geo.data.schemas import ALL_SCHEMAS, EVENT_TYPES
from geo.data.validate import SchemaError
from geo.sources import formats as ingest_formats
from geo.sources import ingest, pull
from geo.text import installed_gazetteer

data = ui.get_data()
f = st.session_state["filter"]
events = filters.apply(data.events, f)
records = ui.every_record(data, f, events)
sites = filters.apply_places(data.sites, f)
ui.page_header(_("Data"), data, f, len(events))
slug = filters.slug(f)
description = filters.describe(f, data.admin1_names, ui.district_labels(data))

st.subheader(_("Download"))
# Translators: {events} is "{n} events", {sites} is "{n} sites" (the two messages below)
st.write(_("{events} and {sites} match the filter.").format(
    events=ngettext("{n} event", "{n} events", len(events)).format(n=number(len(events))),
    sites=ngettext("{n} site", "{n} sites", len(sites)).format(n=number(len(sites)))))
if (repeats := len(records) - len(events)) > 0:
    st.caption(ngettext("The event downloads also hold the {n} record that repeats one of these "
                        "events in another dataset: every page counts each event once, and its "
                        "`duplicate_of` column names the record counted.",
                        "The event downloads also hold the {n} records that repeat one of these "
                        "events in another dataset: every page counts each event once, and their "
                        "`duplicate_of` column names the record counted.",
                        repeats).format(n=number(repeats)))
c1, c2 = st.columns(2)
c1.download_button(_("Events as CSV"), lambda: to_csv_text(export_frame(records, "events")),
                   file_name=downloads.file_name("events", slug, "csv"), mime="text/csv",
                   key="dl_events_csv", on_click="ignore")
fmt = c2.selectbox(_("Bundle format (events + sites + README)"), list(FORMATS), key="dl_format",
                   format_func={"csv": "CSV", "geojson": "GeoJSON", "gpkg": "GeoPackage",
                                "parquet": "GeoParquet"}.get)
c2.download_button(
    # Translators: {format} is a file format code: csv, geojson, gpkg or parquet
    _("Events and sites as {format} (zip)").format(format=fmt),
    # run when clicked, outside this script run: the reader's language goes with it
    partial(i18n.in_language, i18n.current(), downloads.bundle, {
        "events": records, "sites": sites}, fmt, description, data.as_of, slug,
        coverage=ui.coverage_text(data.coverage)),
    file_name=downloads.file_name("export", slug, "zip"), mime="application/zip",
    key="dl_bundle", on_click="ignore")


st.subheader(_("Import your own data"))
st.caption(_("ACLED or UCDP GED exports, or any CSV/Excel file with dates and coordinates or place "
             "names. The embedded data is never changed; re-importing the same file adds nothing "
             "twice."))
ui.import_notice()
upload = st.file_uploader(_("File"), type=["csv", "xlsx"], key="import_file",
                          max_upload_size=ingest.MAX_FILE_BYTES // 1_000_000)
if upload is not None:
    tmp = ingest.save_upload(upload.name, upload.getvalue())
    try:
        raw = ingest.read_table(tmp)
    except SchemaError as exc:
        st.error(ui.md_escape(exc))
    else:
        detected = ingest_formats.detect_format(list(raw.columns))
        kind = st.selectbox(_("Format"), ingest.FORMATS, key="import_format",
                            # Translators: {format} is the detected import format, e.g. acled, ucdp, csv
                            format_func=lambda k: _("auto (looks like {format})").format(
                                format=detected) if k == "auto" else k)
        chosen = detected if kind == "auto" else kind
        mapping: dict[str, str] = {}
        defaults: dict[str, str] = {}
        if chosen == "csv":
            st.write(_("Column mapping (suggested from the header; confirm or change):"))
            suggested = ingest_formats.suggest_mapping(list(raw.columns))
            options = ["(none)", *raw.columns]
            cols = st.columns(3)
            for i, field in enumerate(ingest.GENERIC_FIELDS):
                pick = cols[i % 3].selectbox(field, options, key=f"map_{field}",
                                             index=options.index(suggested.get(field, "(none)")),
                                             format_func=lambda o: _("(none)") if o == "(none)" else o)
                if pick != "(none)":
                    mapping[field] = pick
            st.write(_("Values for blank cells (the file does not say these):"))
            c1, c2, c3 = st.columns(3)
            etype = c1.selectbox("event_type", ["", *EVENT_TYPES], key="def_type",
                                 format_func=lambda v: _(v) if v else v)
            subs = EVENT_TYPES.get(etype, ())
            sub = c2.selectbox("sub_event_type", ["", *subs], key="def_sub",
                               format_func=lambda v: _(v) if v else v)
            prec = c3.selectbox("time_precision", ["", "1", "2", "3"], key="def_tprec")
            gprec = c1.selectbox("geo_precision", ["", "1", "2", "3"], key="def_gprec")
            publisher = c2.text_input("source_publisher", key="def_pub", max_chars=200)
            url = c3.text_input("source_url (http/https)", key="def_url", max_chars=500)
            defaults = {k: v.strip() for k, v in {
                "event_type": etype, "sub_event_type": sub, "time_precision": prec,
                "geo_precision": gprec, "source_publisher": publisher, "source_url": url,
            }.items() if v.strip()}
        if st.button(_("Import"), type="primary", key="import_go"):
            # Translators: the progress bar's first text, before the import reads the file
            bar = st.progress(0.0, text=_("starting"))
            try:
                report = ingest.ingest_file(tmp, chosen, store=ui.import_store(),
                                            admin1=data.admin1, mapping=mapping or None,
                                            defaults=defaults or None,
                                            progress=lambda share, what: bar.progress(share, text=what))
            except (SchemaError, ValueError) as exc:
                st.error(ui.md_escape(exc))
            else:  # kept for the run that follows, which shows the data with the new rows
                st.session_state["_last_import"] = (
                    report, report.issues,
                    (report.rejected_file.name, report.rejected_file.read_bytes())
                    if report.rejected_file else None)
                st.rerun()
    finally:
        shutil.rmtree(tmp.parent, ignore_errors=True)
if last := st.session_state.get("_last_import"):
    done, issues, rejected = last  # said in the language of the run that shows it
    st.success(ui.md_escape(reports.import_summary(done)))
    st.dataframe(issues, hide_index=True, key="import_issues")
    if rejected:
        st.download_button(_("Download rejected rows to fix (CSV)"), rejected[1],
                           file_name=rejected[0], mime="text/csv", key="import_rejected",
                           on_click="ignore")


st.subheader(_("Pull from ACLED or UCDP"))
if not ui.writes_allowed():
    st.caption(_("Pulls write to the shared event store, so on this shared copy only its operator "
                 "can run them (`geo pull`, see README)."))
else:
    st.caption(_("With your own account, read from this server's environment or OS keyring "
                 "(ACLED_USERNAME and ACLED_PASSWORD; UCDP_TOKEN), never typed here nor saved. "
                 "A later pull fetches only what changed; ACLED's deletions are applied."))
    c1, c2 = st.columns(2)
    since = c1.date_input(_("ACLED events from (blank: what changed since the last pull)"),
                          value=None, max_value=date.today(), key="pull_since")
    version = c2.text_input(_("UCDP version"), value=pull.UCDP_VERSION, key="pull_version",
                            max_chars=10, help=_("GED 25.1, or candidate events such as 25.0.10"))
    acled = c1.button(_("Pull ACLED (Iraq)"), key="pull_acled")
    ucdp = c2.button(_("Pull UCDP GED (Iraq)"), key="pull_ucdp")
    for source, pressed in (("ACLED", acled), ("UCDP", ucdp)):
        if pressed:
            # Translators: {source} is ACLED or UCDP
            with st.status(_("Pulling from {source}…").format(source=source), expanded=True) as box:
                try:
                    report = (pull.pull_acled("Iraq", since, progress=box.write) if source == "ACLED"
                              else pull.pull_ucdp(version.strip(), progress=box.write))
                except pull.PullError as exc:
                    # Translators: {source} is ACLED or UCDP
                    box.update(label=_("{source}: not pulled").format(source=source), state="error")
                    st.error(ui.md_escape(exc))
                else:
                    box.update(label=ui.md_escape(reports.pull_summary(report)), state="complete")


@st.cache_data(show_spinner=False)
def _readme() -> str:
    text = (Path(__file__).resolve().parents[1] / "data" / "README.md").read_text(encoding="utf-8")
    text = re.sub(r"^<!--.*-->$", "", text, flags=re.MULTILINE)  # the generated block's markers
    return re.sub(r"^(#+) ", r"##\1 ", text, flags=re.MULTILINE)  # below the page's own headings


st.subheader(_("Data dictionary"))
dictionary = pd.DataFrame([
    {"table": s.name, "column": fld.name, "type": fld.kind, "required": fld.required,
     "allowed": ", ".join(fld.allowed) if fld.allowed else "", "description": fld.description}
    for s in ALL_SCHEMAS.values() for fld in s.fields])
st.dataframe(dictionary, hide_index=True, key="data_dictionary", column_config={
    # Translators: headers of the data dictionary: the table (file), a column of it, its type,
    # whether it is required, its allowed values and its description
    "table": _("table"), "column": _("column"), "type": _("type"), "required": _("required"),
    "allowed": _("allowed"), "description": _("description")})

st.subheader(_("Data quality"))
quality = data.coverage.rename(columns={"first": "first date", "last": "last date"})
st.dataframe(quality, hide_index=True, key="data_quality_counts",
             column_config={"table": _("table"), "rows": _("rows"),
                            "first date": st.column_config.DateColumn(_("first date"),
                                                                      format="YYYY-MM-DD"),
                            "last date": st.column_config.DateColumn(_("last date"),
                                                                     format="YYYY-MM-DD")})
st.caption(_("Coverage: the first and last reported date of each table. Outside these dates the "
             "tables are silent, which is not the same as quiet."))
c1, c2 = st.columns(2)
# Translators: header of a count column (number of events)
counted = {"count": _("count")}
c1.write(_("Events by geo precision"))
c1.dataframe(data.events["geo_precision"].value_counts().sort_index().rename_axis("geo_precision")
             .reset_index(), hide_index=True, key="data_geo_prec", column_config=counted)
c2.write(_("Events by time precision"))
c2.dataframe(data.events["time_precision"].value_counts().sort_index()
             .rename_axis("time_precision").reset_index(), hide_index=True, key="data_time_prec",
             column_config=counted)
st.write(_("Problems found when loading (file, row, column, reason)"))
st.dataframe(data.issues, hide_index=True, key="data_issues", column_config={
    # Translators: headers of the loading problems table: file, row, column, the value found,
    # the reason it is a problem, its severity (error or warning)
    "file": _("file"), "row": _("row"), "column": _("column"), "value": _("value"),
    "reason": _("reason"), "severity": _("severity")})

st.subheader(_("Sources and licences"))
if gazetteer_credit := installed_gazetteer.attribution():
    # Translators: {credit} is the installed gazetteer's attribution (e.g. "GeoNames (CC BY 4.0)…")
    st.caption(ui.md_escape(_("{credit} Place names found by the geocoder and the Geoparse page "
                              "come from it as well as from the embedded gazetteer.").format(
        credit=gazetteer_credit)))
with st.expander("data/README.md", expanded=False):
    st.markdown(_readme())
