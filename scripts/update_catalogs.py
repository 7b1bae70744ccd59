"""Refresh the gettext catalogs from the code (`make messages`; issue 26).

    .venv/bin/python scripts/update_catalogs.py [--check]

Extracts every `_()`, `N_()`, `ngettext()` and `pgettext()` message of the package (every
layer), the pages and the brief with Babel, adds the values the app owns (`geo.app.vocabulary`), writes the
template `geo/locale/geo.pot` and merges it into each language's `.po` (new messages come in
untranslated, removed ones go obsolete, as `pybabel update` does). With `--check` nothing is
written: the exit status says whether the catalogs are in step with the code.
"""

from __future__ import annotations

import sys
from io import BytesIO
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir, extract_from_file
from babel.messages.pofile import read_po, write_po

from geo.app import vocabulary
from geo.data import i18n

ROOT = Path(__file__).resolve().parents[1]
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2), "pgettext": ((1, "c"), 2)}
# Every layer: the catalogs live at the bottom (geo.data.i18n), so an importer's or a
# validator's message is said in the reader's language as the interface's are.
SOURCES = [ROOT / "src" / "geo", ROOT / "pages"]
FILES = [ROOT / "streamlit_app.py"]


def template() -> Catalog:
    """Every message of the code and the vocabulary, with where each comes from."""
    pot = Catalog(project="iraq-geo-dashboard", domain=i18n.DOMAIN, fuzzy=False)
    found = []
    for folder in SOURCES:
        for name, line, message, comments, context in extract_from_dir(
                folder, method_map=[("**.py", "python")], keywords=KEYWORDS,
                comment_tags=("Translators:",), strip_comment_tags=True):
            found.append((str((folder / name).relative_to(ROOT)), line, message, comments, context))
    for path in FILES:
        for line, message, comments, context in extract_from_file(
                "python", path, keywords=KEYWORDS, comment_tags=("Translators:",),
                strip_comment_tags=True):
            found.append((str(path.relative_to(ROOT)), line, message, comments, context))
    for where, line, message, comments, context in found:
        pot.add(message, locations=[(where, line)], auto_comments=comments, context=context)
    for value in vocabulary.values():
        if value not in pot:
            pot.add(value, locations=[("geo/app/vocabulary.py", 0)],
                    auto_comments=["A value the app owns (data vocabulary)."])
    return pot


def _po_bytes(catalog: Catalog) -> bytes:
    out = BytesIO()
    write_po(out, catalog, width=100, omit_header=False, sort_output=False,
             include_previous=False, include_lineno=False)  # no line numbers: no churn
    return out.getvalue()


def merged(lang: str, pot: Catalog) -> Catalog:
    path = i18n.po_path(lang)
    if path.exists():
        with path.open("rb") as fh:
            catalog = read_po(fh, locale=lang, domain=i18n.DOMAIN)
    else:
        catalog = Catalog(locale=lang, domain=i18n.DOMAIN, project="iraq-geo-dashboard")
    catalog.update(pot, no_fuzzy_matching=True)
    catalog.fuzzy = False  # the header: a fuzzy header would hide the whole catalog
    catalog.obsolete.clear()  # removed messages leave the file: git keeps their history
    return catalog


def main(argv: list[str]) -> int:
    check = "--check" in argv
    pot = template()
    stale = []
    targets = {i18n.LOCALE_DIR / f"{i18n.DOMAIN}.pot": _po_bytes(pot)}
    for lang in i18n.LANGUAGES:
        if lang != i18n.DEFAULT:
            targets[i18n.po_path(lang)] = _po_bytes(merged(lang, pot))
    for path, content in targets.items():
        old = path.read_bytes() if path.exists() else b""
        if _body(old) != _body(content):
            stale.append(path)
            if not check:
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(content)
    for path in stale:
        print(f"{'stale' if check else 'updated'}: {path.relative_to(ROOT)}")
    print(f"{len(pot)} messages")
    return 1 if check and stale else 0


def _body(content: bytes) -> bytes:
    """The file without its header's dates, which change on every run."""
    return b"\n".join(line for line in content.splitlines()
                      if not line.startswith((b'"POT-Creation-Date', b'"PO-Revision-Date')))


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
