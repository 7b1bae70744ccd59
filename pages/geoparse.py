"""Geoparse: paste an article, see the places it mentions, save selected ones as draft events."""

from datetime import date

import pandas as pd
import streamlit as st

from geo.app import figures, reports, ui
from geo.data.i18n import _, ngettext, number
from geo.data.schemas import EVENT_TYPES
from geo.sources.drafts import draft_events
from geo.sources.ingest import ingest_frame
from geo.text import installed_gazetteer
from geo.text.geoparse import geoparse, sentences, unresolved

data = ui.get_data()
f = st.session_state["filter"]
ui.page_header(_("Geoparse a text"), data, f)
credit = installed_gazetteer.attribution()
st.caption(_("Paste an article (English; Arabic place names where the gazetteer has them). Places "
             "are found offline; nothing leaves this computer.")
           + (" " + ui.md_escape(credit) if credit else ""))
text = st.text_area(_("Article"), height=220, max_chars=100_000, key="gp_text")
found = geoparse(text, admin1=data.admin1) if text.strip() else geoparse("")
found = found.assign(sentence=sentences(text, found["start"]) if len(found) else pd.Series(dtype=str))

missing = unresolved(text, found) if text.strip() else None
if missing is not None and len(missing):
    # Translators: a name read as a place and, in quotes, the word that made it read as one
    mentions = "; ".join(_("{mention} (“{cue}”)").format(mention=m, cue=c)
                         for m, c in zip(missing["mention"], missing["cue"], strict=True))
    # Translators: {mentions} lists names that read like places, e.g. Tuz (“in”); Hit (“near”)
    unmapped = _("Read like places but are not in the gazetteer, so they are not mapped: "
                 "{mentions}.").format(mentions=mentions)
    add = (_("Add a missing place to data/curated/sites.csv with its source and rebuild the "
             "gazetteer (geo data build-gazetteer).") if credit else
           _("Add a missing place to data/curated/sites.csv with its source and rebuild the "
             "gazetteer (geo data build-gazetteer), or install GeoNames' full extract for Iraq, "
             "every village and neighbourhood it lists (geo gazetteer install IQ.zip)."))
    st.warning(ui.md_escape(f"{unmapped} {add}"), icon="🔎")
if text.strip() and found.empty:
    st.info(_("No place from the gazetteer was found in this text."))
elif len(found):
    points = found.dropna(subset=["lat"]).rename(columns={"matched_name": "name", "lat": "latitude",
                                                         "lon": "longitude"})
    ui.chart(st, figures.layered_map(
        figures.MapData(data.admin1, data.regions,
                        sites=points.assign(kind=points["mention"],
                                            site_id=points.index.astype(str))),
        figures.MapSpec(("boundaries", "regions", "sites", "labels"), height=460, width=700,
                        dark=ui.is_dark())),
        # Translators: the title of the Geoparse page's map
        _("Places found in the text"), key="gp_map")
    picked = st.dataframe(found[["mention", "matched_name", "admin1_code", "region", "precision",
                                 "sentence", "start", "end"]], hide_index=True, key="gp_table",
                          on_select="rerun", selection_mode="multi-row", column_config={
        # Translators: headers of the places found: the words in the text, the gazetteer's name,
        # the governorate code, the region, the place's precision, its sentence, and where the
        # words start and end in the text (character positions)
        "mention": _("mention"), "matched_name": _("matched name"),
        "admin1_code": _("governorate code"), "region": _("region"), "precision": _("precision"),
        "sentence": _("sentence"), "start": _("start"), "end": _("end")})
    rows = picked.selection.rows if picked else []
    st.subheader(_("Draft events from the selected places"))
    if not rows:
        st.caption(_("Select one or more rows above to draft events."))
    else:
        ui.import_notice()
        with st.form("gp_form"):
            c1, c2, c3 = st.columns(3)
            when = c1.date_input(_("Date"), value=None, max_value=date.today(), key="gp_date")
            tprec = c1.selectbox(_("Time precision"), [1, 2, 3], key="gp_tprec",
                                 format_func=number)
            etype = c2.selectbox(_("Event type"), list(EVENT_TYPES), key="gp_type", format_func=_)
            sub = c2.selectbox(_("Sub-type"), [s for subs in EVENT_TYPES.values() for s in subs],
                               key="gp_sub", format_func=_)
            actor1 = c3.text_input(_("Actor 1"), key="gp_actor1", max_chars=200)
            actor2 = c3.text_input(_("Actor 2"), key="gp_actor2", max_chars=200)
            deaths = c1.text_input(_("Fatalities (blank if unknown)"), key="gp_deaths", max_chars=7)
            publisher = c2.text_input(_("Source publisher"), key="gp_pub", max_chars=200)
            url = c3.text_input(_("Source URL (http/https)"), key="gp_url", max_chars=2000)
            save = st.form_submit_button(_("Validate and save to the store"), type="primary")
        if save:
            fields = {"event_date": when.isoformat() if when else "", "time_precision": tprec,
                      "event_type": etype, "sub_event_type": sub, "actor1": actor1,
                      "actor2": actor2, "fatalities": deaths, "source_publisher": publisher,
                      "source_url": url}
            drafts = draft_events(text, found.iloc[rows], fields)
            report = ingest_frame(drafts, "geoparse", store=ui.import_store(), admin1=data.admin1)
            if report.rejected:
                st.error(ngettext("{n} draft not saved; fix the fields below and save again.",
                                  "{n} drafts not saved; fix the fields below and save again.",
                                  report.rejected).format(n=number(report.rejected)))
                st.dataframe(report.issues, hide_index=True, key="gp_issues")
            if report.imported or report.updated:
                st.success(ui.md_escape(reports.import_summary(report)))
