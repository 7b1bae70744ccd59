"""Name normalisation shared by the gazetteer and the geocoder (its own module, so that
neither imports the other).

Case, diacritics, apostrophes and hamzas, punctuation, Arabic article prefixes (al-, ar-, as-,
…, ال), Kurdish/Persian letter forms and English transliteration conventions (ou/u, doubled
letters, a final -ah, Tall/Tel) are folded, so "Al-Fallūjah", "Falluja" and "الفلوجة" meet, and
so do "Makhmour" and "Makhmūr".
"""

from __future__ import annotations

import pandas as pd

from geo.data.textops import per_value

# Kurdish and Persian letters to their Arabic base forms; alef and yeh variants folded.
_LETTERS = str.maketrans({
    "ک": "ك", "ی": "ي", "ى": "ي", "ێ": "ي", "ە": "ه", "ھ": "ه", "ۆ": "و", "ڵ": "ل", "ڕ": "ر",
    "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ة": "ه", "ؤ": "و", "ئ": "ي", "گ": "ك", "پ": "ب",
    "چ": "ج", "ڤ": "ف", "ژ": "ز",
})
_MARKS = r"[\u0300-\u036f\u064b-\u065f\u0670\u0640\u02bb-\u02bf'’‘`´ʹ]"
_LATIN_ARTICLE = r"\b(?:al|el|ar|as|an|ad|at|az|ash|adh|ath|ul)\s+"


def normalise(names: pd.Series) -> pd.Series:
    """Fold spelling differences that carry no meaning for matching (vectorised, once per
    distinct name)."""
    return per_value(names.fillna("").astype(str), _normalise)


def _normalise(names: pd.Series) -> pd.Series:
    t = names.str.normalize("NFKD").str.casefold()
    t = t.str.replace(_MARKS, "", regex=True).str.translate(_LETTERS)
    t = t.str.replace(r"[^\w\s]|_", " ", regex=True)
    t = t.str.replace(r"\s+", " ", regex=True).str.strip()
    t = t.str.replace(_LATIN_ARTICLE, "", regex=True)
    t = t.str.replace(r"(?:^|(?<=\s))ال(?=\w{2})", "", regex=True)  # Arabic article on a word
    return _variants(t.str.replace(r"\s+", " ", regex=True).str.strip())


def _variants(t: pd.Series) -> pd.Series:
    """English transliterations that differ only in convention: ou/oo for u (Makhmour,
    Makhmur), ee for i, doubled letters (Qayyarah, Qayara), a final -ah (Hawijah, Hawija) and
    Tall/Tell/Tel for Tal."""
    t = t.str.replace("ou", "u", regex=False).str.replace("oo", "u", regex=False)
    t = t.str.replace("ee", "i", regex=False)
    t = t.str.replace(r"([a-z])\1", r"\1", regex=True)
    t = t.str.replace(r"(?<=[a-z]{2})ah\b", "a", regex=True)
    return t.str.replace(r"\b(?:tal|tel)\b", "tal", regex=True)
