"""The interface in English, Arabic and Sorani Kurdish: gettext catalogs, Babel formats, direction.

Every interface string goes through `_()` (or `ngettext`, `pgettext`); strings defined at import
time are marked with `N_()` and translated where they are shown. The catalogs are the `.po`
files in `geo/locale/<lang>/LC_MESSAGES/geo.po` (edit them, then `make messages` refreshes
them from the code); they are compiled in memory by Babel the first time a language is used, so
there is no build step and no compiled file to keep in step.

The language is per script run (a context variable), never global: two visitors of one server
read two languages, and a cached figure's key holds the language (`ui.cached_figure`). The
language never changes the data or the filter. Source text (actor names as sources give them,
notes, titles) is shown as the source wrote it.
"""

from __future__ import annotations

import gettext as _gettext
import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime
from functools import cache
from io import BytesIO
from pathlib import Path

import pandas as pd

LANGUAGES = {"en": "English", "ar": "العربية", "ckb": "کوردی"}
RTL = frozenset({"ar", "ckb"})
# The CLDR locale for numbers and dates: Iraqi Arabic names the months as Iraqi readers do
# (آذار, not the Egyptian مارس; docs/glossary.md).
BABEL_LOCALE = {"en": "en", "ar": "ar_IQ", "ckb": "ckb_IQ"}
# CLDR spells December کانونی یەکەم but January کانوونی دووەم; Kurdish media write both with وو
# (docs/glossary.md, open point 2).
_MONTH_FIXES = {"ckb": (("کانونی یەکەم", "کانوونی یەکەم"),)}
DEFAULT = "en"
DOMAIN = "geo"
LOCALE_DIR = Path(__file__).resolve().parents[1] / "locale"
# Digits: Western (latn) by default, as most Arabic and Kurdish news sites print them; the
# Arabic-Indic ones (arab) on request.
DIGITS = ("latn", "arab")
_ARAB = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")

_lang: ContextVar[str] = ContextVar("geo_lang", default=DEFAULT)
_digits: ContextVar[str] = ContextVar("geo_digits", default="latn")


def N_(message: str) -> str:  # noqa: N802 - the gettext convention
    """Mark a string defined at import time for the catalogs; `_()` translates it when shown."""
    return message


def po_path(lang: str) -> Path:
    return LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


@cache
def translations(lang: str) -> _gettext.NullTranslations:
    """The compiled catalog of `lang` (English: the messages themselves). Fuzzy entries are
    left out, as msgfmt does: a doubtful translation is worse than the English."""
    if lang not in LANGUAGES or lang == DEFAULT or not po_path(lang).exists():
        return _gettext.NullTranslations()
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po
    from babel.support import Translations

    with po_path(lang).open("rb") as fh:
        catalog = read_po(fh, locale=lang, domain=DOMAIN)
    buffer = BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    buffer.seek(0)
    return Translations(buffer, domain=DOMAIN)


def current() -> str:
    """The language of this script run (or CLI command)."""
    return _lang.get()


def set_language(lang: str, digits: str = "latn") -> None:
    """Set the language for the rest of this script run (a Streamlit run is one thread, with
    its own context: other visitors are not affected)."""
    _lang.set(lang if lang in LANGUAGES else DEFAULT)
    _digits.set(digits if digits in DIGITS else "latn")


@contextmanager
def use(lang: str, digits: str = "latn") -> Iterator[None]:
    """Another language for a block (the brief, a test), then back."""
    token, dtoken = _lang.set(lang if lang in LANGUAGES else DEFAULT), _digits.set(
        digits if digits in DIGITS else "latn")
    try:
        yield
    finally:
        _lang.reset(token)
        _digits.reset(dtoken)


def in_language(lang: str, function, *args, **kwargs):
    """`function(*args, **kwargs)` in `lang`: for work Streamlit runs later, outside the script
    run (a download built when clicked), which would otherwise read English."""
    with use(lang):
        return function(*args, **kwargs)


def _(message: str) -> str:
    """`message` in the current language (itself when the catalog has no translation)."""
    return localise_digits(translations(_lang.get()).gettext(message))


def ngettext(singular: str, plural: str, n: int) -> str:
    """The plural form for `n` (Arabic has six, with a dual; Kurdish two): the message is
    formatted by the caller, e.g. `ngettext("{n} event", "{n} events", n).format(n=number(n))`."""
    return localise_digits(translations(_lang.get()).ngettext(singular, plural, n))


def pgettext(context: str, message: str) -> str:
    """`message` disambiguated by `context` (e.g. "May" the month against "may" the verb)."""
    return localise_digits(translations(_lang.get()).pgettext(context, message))


def is_rtl(lang: str | None = None) -> bool:
    return (lang or _lang.get()) in RTL


def isolate(text: object) -> str:
    """Source text (a publisher, a place in Latin letters) set inside a right-to-left sentence
    as a unit of its own (Unicode's first-strong isolate), so its brackets and punctuation do
    not jump to the wrong side. Left-to-right pages get the text as it is."""
    text = "" if text is None else str(text)
    return f"\u2068{text}\u2069" if text and _lang.get() in RTL else text


def localise_digits(text: str) -> str:
    """Arabic-Indic digits when the reader chose them (only in Arabic and Kurdish)."""
    if _digits.get() == "arab" and _lang.get() in RTL:
        return text.translate(_ARAB)
    return text


def number(value: float | int, decimals: int = 0) -> str:
    """A number with the locale's grouping (Western digits unless Arabic-Indic were chosen)."""
    from babel.numbers import format_decimal

    lang = _lang.get()
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    # Babel's numbering system changes the separators only: the digits are swapped after
    return localise_digits(format_decimal(value, format=pattern, locale=BABEL_LOCALE[lang],
                                          numbering_system=_numbering(lang)))


def percent(value: float, decimals: int = 0) -> str:
    from babel.numbers import format_percent

    lang = _lang.get()
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "") + "%"
    return localise_digits(format_percent(value, format=pattern, locale=BABEL_LOCALE[lang],
                                          numbering_system=_numbering(lang)))


def _numbering(lang: str) -> str:
    return "arab" if _digits.get() == "arab" and lang in RTL else "latn"


def day(value: date | datetime | pd.Timestamp, fmt: str = "d MMM y") -> str:
    """A date with the locale's month names ("14 Mar 2026", "14 آذار 2026", "14 ئازار 2026")."""
    from babel.dates import format_date

    text = format_date(pd.Timestamp(value).date(), fmt, locale=BABEL_LOCALE[_lang.get()])
    for wrong, right in _MONTH_FIXES.get(_lang.get(), ()):
        text = text.replace(wrong, right)
    return localise_digits(text)


def month(value: date | datetime | pd.Timestamp) -> str:
    return day(value, "MMM y")


def language_from(param: str | None, browser_locale: str | None) -> tuple[str, str | None]:
    """The language a visit opens in: the URL's `lang` when valid, else the browser's language
    when it is one of ours, else English; plus a notice when `lang` was not understood."""
    if param:
        code = param.strip().lower()
        if code in LANGUAGES:
            return code, None
        return DEFAULT, (f"URL parameter lang: {param[:20]!r} is not a language of this "
                         f"dashboard ({', '.join(LANGUAGES)}); showing English.")
    if browser_locale:
        base = re.split(r"[-_]", browser_locale.strip().lower())[0]
        if base in LANGUAGES:
            return base, None
    return DEFAULT, None

