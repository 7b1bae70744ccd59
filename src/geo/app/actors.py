"""Actor families: ACLED-style actor names grouped into the sides an analyst of Iraq follows.

ACLED splits one force into several names (US forces by presidency, the PMF as a unit of the
Iraqi military, each militia on its own); counts by family say who acted without that noise.
The first matching rule wins, so sub-units are listed before the state they are coded under
(`Military Forces of Iraq (2022-) Peshmerga` is a Kurdistan Region force, not federal).
"""

from __future__ import annotations

import pandas as pd

from geo.data.textops import per_value

FAMILIES: tuple[tuple[str, str], ...] = (
    ("US forces", r"(?:Military|Police) Forces of the United States|Government of the United "
                  r"States|Donald Trump"),
    ("Coalition partners", r"Global Coalition|NATO|Military Forces of (?:the United Kingdom|"
                           r"France|Italy|Germany|Spain|Denmark|Norway|Netherlands|Canada|"
                           r"Australia|Sweden|Finland|Belgium|Hungary|Poland)"),
    ("Israel", r"Military Forces of Israel|Government of Israel"),
    ("Iran", r"(?:Military|Police) Forces of Iran|Government of Iran"),
    ("Turkey", r"(?:Military|Police) Forces of Turkey|Government of Turkey"),
    ("PMF and Iran-aligned groups", r"Popular Mobili[sz]ation|Kataib Hezbollah|Kata'ib Hezbollah|"
                                    r"Nujaba|Kataib Sayyid al-Shuhada|Asaib Ahl al-Haq|"
                                    r"Islamic Resistance in Iraq|Saraya Awliya al-Dam|"
                                    r"Ashab al-Kahf|Badr Organi[sz]ation|Rab.?allah|"
                                    r"Kataib Imam Ali|Saraya al-Khorasani"),
    ("Islamic State", r"Islamic State|ISIS|ISIL|Daesh"),
    ("PKK and affiliates", r"PKK|Kurdistan Workers|YBS|Sinjar Resistance|HPG|Makhmur Protection"),
    ("Iranian Kurdish opposition", r"KDPI|Democratic Party of Iranian Kurdistan|Komala|PAK:|"
                                   r"Kurdistan Freedom Party|PJAK"),
    ("Kurdistan Region forces", r"Peshmerga|Asayish|Kurdistan Region(?:al)? (?:Government|"
                                r"Security)|Zeravani"),
    ("Iraqi state", r"(?:Military|Police) Forces of Iraq|Government of Iraq|Council of "
                    r"Representatives of Iraq|Counter-Terrorism Service"),
    ("Unidentified", r"Unidentified"),
    ("Other armed groups", r"Saraya Salam|Saraya al-Salam|Militia|Armed Group|Syrian Democratic "
                           r"Forces|SDF:"),
    ("Protesters and rioters", r"Protesters|Rioters"),
    ("Civilians", r"Civilians"),
)
OTHER = "Other"
FAMILY_ORDER = tuple(name for name, _ in FAMILIES) + (OTHER,)


def actor_family(actors: pd.Series) -> pd.Series:
    """The family of each actor name (`Other` when no rule matches, blank for a blank name)."""
    def classify(values: pd.Series) -> pd.Series:
        text = values.fillna("").astype(str)
        out = pd.Series(OTHER, index=values.index, dtype=object)
        done = text.str.strip() == ""
        out[done] = ""
        for name, pattern in FAMILIES:
            hit = ~done & text.str.contains(pattern, case=False, regex=True)
            out[hit] = name
            done |= hit
        return out
    return per_value(actors, classify).astype(object)
