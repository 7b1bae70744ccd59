"""An import's and a pull's report in the reader's language.

The lower layers' reports keep an English `summary()` for the CLI and the logs
(`IngestReport.summary`, `PullReport.summary`); the Data and Geoparse pages say the same figures
through the catalogs, so a reader of Arabic or Kurdish can follow an import. The per-row problems
come from the validators already in the reader's language (`geo.data.i18n`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from geo.data.i18n import N_, _, isolate, ngettext, number

if TYPE_CHECKING:
    from geo.sources.ingest import IngestReport
    from geo.sources.pull import PullReport

# How the importer found a place for rows that carried only a name (geo.text.geocode's kinds)
MATCH_KINDS = {
    # Translators: how an imported row's place name was found: the gazetteer's main name
    "exact": N_("exact name"),
    # Translators: ... one of the place's other names
    "alias": N_("other name"),
    # Translators: ... another transliteration of the name (Shirqat for Sharqat)
    "spelling": N_("other spelling"),
    # Translators: ... a close spelling
    "fuzzy": N_("close spelling"),
    # Translators: ... not found in the gazetteer
    "none": N_("not found"),
}


def import_summary(report: IngestReport) -> str:
    """What an import did, in one paragraph: rows read and kept, how places were found, and the
    checks on the coordinates."""
    parts = []
    if report.rows_read and not report.accepted:
        parts.append(ngettext("none of the {n} row could be imported",
                              "none of the {n} rows could be imported",
                              report.rows_read).format(n=number(report.rows_read)))
    # Translators: {read} rows read from the file; the rest are how many of them went where
    counts = ngettext("{read} row read: {imported} imported, {updated} updated, {unchanged} "
                      "unchanged, {rejected} rejected",
                      "{read} rows read: {imported} imported, {updated} updated, {unchanged} "
                      "unchanged, {rejected} rejected", report.rows_read).format(
        read=number(report.rows_read), imported=number(report.imported),
        updated=number(report.updated), unchanged=number(report.unchanged),
        rejected=number(report.rejected))
    if report.skipped:
        # Translators: rows that are not data, such as HXL's hashtag row
        counts += "; " + ngettext("{n} skipped (not data)", "{n} skipped (not data)",
                                  report.skipped).format(n=number(report.skipped))
    parts.append(counts)
    how = ", ".join(f"{_(MATCH_KINDS.get(k, k))} {number(n)}" for k, n in report.geocoded.items())
    # Translators: {how} lists how rows with only a place name were placed ("exact name 12, not
    # found 3"), or says none needed it
    parts.append(_("places found from names: {how}").format(how=how or _("none needed")))
    # Translators: the checks every import runs on the coordinates, with their counts
    parts.append(_("outside Iraq {outside}; on the border {border}; governorate not attributable "
                   "{unattributed}; latitude and longitude possibly swapped {swapped}; "
                   "governorate disagreeing with the source's {disagree}").format(
        outside=number(report.outside_iraq), border=number(report.on_border),
        unattributed=number(report.not_attributable), swapped=number(report.swapped),
        disagree=number(report.admin1_disagreements)))
    # Translators: {file} is the imported file's name, {format} what it was read as (ACLED, UCDP …)
    return _("{file} ({format}): {what}").format(file=isolate(report.file), format=report.format,
                                                  what="; ".join(parts))


def pull_summary(report: PullReport) -> str:
    """What a pull did: rows and pages fetched, what became of them."""
    # Translators: how many rows a pull fetched, then the pages they came in ("in 3 pages")
    pages = (ngettext("{n} row", "{n} rows", report.rows).format(n=number(report.rows)) + " "
             + ngettext("in {n} page", "in {n} pages", report.pages).format(n=number(report.pages)))
    if report.resumed_from:
        # Translators: a pull that went on from where an interrupted one stopped
        pages += " " + _("(resumed at page {page})").format(page=number(report.resumed_from + 1))
    # Translators: {source} is ACLED or UCDP; the rest are counts of events
    return _("{source}: {pages}; {imported} imported, {updated} updated, {unchanged} unchanged, "
             "{rejected} rejected, {deleted} deleted at the source").format(
        source=report.source, pages=pages, imported=number(report.imported),
        updated=number(report.updated), unchanged=number(report.unchanged),
        rejected=number(report.rejected), deleted=number(report.deleted))
