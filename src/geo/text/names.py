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


# Letters that transliterations of one Arabic or Kurdish sound trade: kh/h (خ ح), gh/g (غ),
# q/k/g (ق ك گ), dh/th/z (ذ ث ظ), j/dj, w/v.
_SOUNDS = (("kh", "h"), ("gh", "g"), ("dj", "j"), ("dh", "z"), ("th", "z"), ("q", "k"), ("g", "k"),
           ("v", "w"), ("x", "ks"))
# consonants a key needs to tell places apart: with three, Samra' met Samarra and al-Khadra
# met Hatra (on UCDP's and GTD's names); "Hit" and "Ana" have two
MIN_SKELETON = 4


def skeleton(norm: pd.Series) -> pd.Series:
    """A key that survives the usual variation of Latin transliterations of one name, from an
    already `normalise`d name: the sound pairs above folded, the vowels and the semivowels y/w
    dropped after the first letter (Shirqat/Sharqat, Khormato/Khurmatu, Husseiniyah/Husayniyah
    all meet), repeated consonants once, the final -iya/-a left out with the vowels but a final
    -i kept (Baghdadi is not Baghdad). Blank for a
    key of fewer than MIN_SKELETON consonants, or for Arabic script (normalise already folds
    it)."""
    return per_value(norm.fillna("").astype(str), _skeleton)


def _skeleton(t: pd.Series) -> pd.Series:
    latin = t.str.fullmatch(r"[a-z ]+")
    for old, new in _SOUNDS:
        t = t.str.replace(old, new, regex=False)
    words = t.str.split(" ")
    # a final -i is the nisba (Baghdadi, "of Baghdad"): another name, kept as a mark
    key = words.map(lambda ws: " ".join(w[:1] + "".join(c for c in w[1:] if c not in "aeiouyw")
                                        + ("i" if len(w) > 2 and w.endswith("i") else "")
                                        for w in ws if w))
    key = key.str.replace(r"([a-z])\1+", r"\1", regex=True)
    enough = key.str.replace(" ", "", regex=False).str.len() >= MIN_SKELETON
    return key.where(latin & enough, "")


# letters a spelling key needs: names of three or four letters ("Hit", "Ana", "Tal", "Kifl")
# differ by one vowel from too many others to be told apart this way
MIN_SPELLING = 5


def spelling(norm: pd.Series) -> pd.Series:
    """A stricter key than `skeleton`, for names too short for it: the vowels kept but their
    transliteration variants folded (ei/ey/ai to ay, o to u, e to a, a final -ia to -iya) with
    the same sound pairs, so "Zubeidiyah" meets Az Zubaydīyah and "Tuz Khormato" meets Ţūz
    Khūrmātū rather than Tāzah Khūrmātū (whose skeleton it shares) while Samra' and Samarra
    stay apart. Prefixed "=" so it never collides with a skeleton. Blank for Arabic script and
    for fewer than MIN_SPELLING letters."""
    return per_value(norm.fillna("").astype(str), _spelling)


def _spelling(t: pd.Series) -> pd.Series:
    latin = t.str.fullmatch(r"[a-z ]+")
    for old, new in _SOUNDS:
        t = t.str.replace(old, new, regex=False)
    t = t.str.replace(r"e[iy]|ai", "ay", regex=True).str.replace("o", "u", regex=False)
    t = t.str.replace("e", "a", regex=False).str.replace(r"(?<=[a-z])ia\b", "iya", regex=True)
    t = t.str.replace(r"([a-z])\1+", r"\1", regex=True)
    enough = t.str.replace(" ", "", regex=False).str.len() >= MIN_SPELLING
    return ("=" + t).where(latin & enough, "")


# Words that say what kind of facility a name is ("the Taji military base", "Kalsu base",
# "Khor Mor gas field"): a mention with one of them is looked up without them among the sites.
_DESCRIPTORS = {"camp", "base", "air", "airbase", "military", "army", "complex", "airfield",
                "airport", "international", "field", "oil", "gas", "border", "crossing", "dam",
                "refinery", "station", "facility", "compound"}


def core_name(norm: pd.Series) -> pd.Series:
    """A normalised name without its descriptor words ("camp taji" -> "taji")."""
    return norm.str.split(" ").map(lambda ws: " ".join(w for w in ws if w not in _DESCRIPTORS))
