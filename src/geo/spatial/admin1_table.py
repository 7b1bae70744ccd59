"""Iraq's governorates: codes and names the source lacks or spells oddly, in one table.

Keyed by the GeoNames admin-1 code (`gn_a1_code` in Natural Earth, `admin1code` in GeoNames),
which is the only code both sources share.
"""

from __future__ import annotations

import pandas as pd

KURDISTAN = "Kurdistan Region"
FEDERAL = "Federal Iraq"

# gn, ISO 3166-2, English, Arabic, Kurdish (Sorani), region, official area km2 (see data/README.md)
_ROWS = [
    ("01", "IQ-AN", "Anbar", "الأنبار", "ئەنبار", FEDERAL, 138501),
    ("02", "IQ-BA", "Basra", "البصرة", "بەسرە", FEDERAL, 19070),
    ("03", "IQ-MU", "Muthanna", "المثنى", "موسەننا", FEDERAL, 51740),
    ("04", "IQ-QA", "Qadisiyah", "القادسية", "قادسیە", FEDERAL, 8153),
    ("05", "IQ-SU", "Sulaymaniyah", "السليمانية", "سلێمانی", KURDISTAN, 17023),
    ("06", "IQ-BB", "Babil", "بابل", "بابل", FEDERAL, 5119),
    ("07", "IQ-BG", "Baghdad", "بغداد", "بەغدا", FEDERAL, 4555),
    ("08", "IQ-DA", "Duhok", "دهوك", "دهۆک", KURDISTAN, 6553),
    ("09", "IQ-DQ", "Dhi Qar", "ذي قار", "زیقار", FEDERAL, 12900),
    ("10", "IQ-DI", "Diyala", "ديالى", "دیالە", FEDERAL, 17685),
    ("11", "IQ-AR", "Erbil", "أربيل", "هەولێر", KURDISTAN, 14471),
    ("12", "IQ-KA", "Karbala", "كربلاء", "کەربەلا", FEDERAL, 5034),
    ("13", "IQ-KI", "Kirkuk", "كركوك", "کەرکووک", FEDERAL, 9679),
    ("14", "IQ-MA", "Maysan", "ميسان", "میسان", FEDERAL, 16072),
    ("15", "IQ-NI", "Nineveh", "نينوى", "نەینەوا", FEDERAL, 37323),
    ("16", "IQ-WA", "Wasit", "واسط", "واست", FEDERAL, 17153),
    ("17", "IQ-NA", "Najaf", "النجف", "نەجەف", FEDERAL, 28824),
    ("18", "IQ-SD", "Salah ad-Din", "صلاح الدين", "سەڵاحەدین", FEDERAL, 24751),
]

ADMIN1 = pd.DataFrame(
    _ROWS,
    columns=["gn_a1", "admin1_code", "admin1_name", "name_ar", "name_ku", "region",
             "official_area_km2"],
)

# GeoNames 19 = Halabja, a governorate the boundary source does not have: it lies in Sulaymaniyah.
GEONAMES_TO_ISO = dict(zip(ADMIN1["gn_a1"], ADMIN1["admin1_code"], strict=True)) | {"19": "IQ-SU"}
KURDISTAN_CODES = tuple(ADMIN1.loc[ADMIN1["region"] == KURDISTAN, "admin1_code"])

# Other spellings of governorate names met in ACLED, UCDP and OCHA files (for comparing a
# source's own admin-1 with the spatial join).
ADMIN1_ALIASES: dict[str, tuple[str, ...]] = {
    "IQ-AN": ("Al Anbar", "Al-Anbar", "Anbar Governorate"), "IQ-BA": ("Basrah", "Al Basrah", "Al-Basrah"),
    "IQ-MU": ("Al Muthanna", "Al-Muthanna", "Muthana"), "IQ-QA": ("Al Qadissiya", "Qadissiya",
    "Al-Qadisiyah", "Al Qadisiyah", "Diwaniyah"), "IQ-SU": ("Sulaimaniya", "As Sulaymaniyah",
    "Al Sulaymaniyah", "Slemani", "Sulaimani", "Halabja"), "IQ-BB": ("Babylon",),
    "IQ-BG": ("Baghdad Governorate",),
    "IQ-DA": ("Dahuk", "Dohuk", "Dihok"), "IQ-DQ": ("Thi-Qar", "Dhi-Qar", "Thi Qar"),
    "IQ-DI": ("Diala",), "IQ-AR": ("Arbil", "Irbil", "Hewler"), "IQ-KA": ("Kerbala", "Karbala'"),
    "IQ-KI": ("Kirkuk", "Karkuk", "At-Ta'mim", "Tameem", "Ta'mim"), "IQ-MA": ("Missan", "Maisan"),
    "IQ-NI": ("Ninewa", "Ninawa", "Ninevah"), "IQ-WA": ("Wassit",), "IQ-NA": ("An Najaf", "An-Najaf"),
    "IQ-SD": ("Salah al-Din", "Salah al Din", "Salahuddin", "Saladin", "Sala ad-Din", "Salah Ad Din"),
}
