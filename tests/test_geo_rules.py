"""Issue 24's rules for real names and real text, one by one, on sentences written here (smoke
tests: the measured figures come from the real files, tests/test_geo_real.py)."""

from __future__ import annotations

import pandas as pd
import pytest

from geo.text.geocode import geocode
from geo.text.geoparse import geoparse, unresolved
from geo.text.names import normalise, skeleton


def _parsed(text: str) -> dict[str, tuple[str, str, int]]:
    found = geoparse(text)
    return {m: (n, a, int(p)) for m, n, a, p in zip(found["mention"], found["matched_name"],
                                                   found["admin1_code"], found["precision"],
                                                   strict=True)}


@pytest.mark.parametrize(("a", "b"), [("Shirqat", "Sharqat"), ("Tuz Khormato", "Ţūz Khūrmātū"),
                                      ("Mushahidah", "Al Mushāhidah"), ("Badush", "Badūsh")])
def test_transliterations_share_a_key(a, b):
    assert skeleton(normalise(pd.Series([a, b]))).nunique() == 1


def test_a_key_keeps_the_nisba_and_short_keys_say_nothing():
    keys = skeleton(normalise(pd.Series(["Baghdadi", "Baghdad", "Hit", "Samra"])))
    assert keys[0] != keys[1] and keys[2] == "" and keys[3] == ""


def test_unit_words_are_structure_not_name():
    got = geocode(["Hawijah district", "Nahiyat Hawija", "Hawija town", "Hawija"])
    assert got["matched_name"].nunique() == 1 and (got["match"] != "none").all()
    assert list(got["precision"]) == [3, 3, 2, 2]


def test_a_hint_keeps_answers_in_its_governorate():
    # Samarra is in Salah ad-Din: hinted to Basra, no place of that name is right
    assert geocode(["Samarra"], admin1_hint="IQ-BA")["match"].iloc[0] == "none"
    assert geocode(["Samarra"], admin1_hint="IQ-SD")["admin1_code"].iloc[0] == "IQ-SD"
    # a foreign town with a hint to an Iraqi governorate: never
    assert geocode(["Raqqa"], admin1_hint="IQ-NI")["match"].iloc[0] == "none"


def test_a_spelling_or_fuzzy_match_never_crosses_the_border():
    got = geocode(["Sharqat", "Kermanshan", "Kermanshah"])
    assert got["admin1_code"].iloc[0] == "IQ-SD"
    assert got["match"].iloc[1] == "none"  # a typo of an Iranian city: not guessed
    assert got["match"].iloc[2] == "exact"  # the city by its name is known


def test_generic_words_alone_are_no_place():
    found = _parsed("Gunmen attacked a checkpoint near Hay al-Mualimeen and Bab al-Sharqi; "
                    "the Tal and the Ras were quiet.")
    assert not any(m.split()[0] in ("Hay", "Bab", "Tal", "Ras") for m in found)


def test_personal_names_are_no_place():
    found = _parsed("Colonel Qasim said Ahmad al-Jubouri and Mullah Hamza were killed in Tikrit.")
    assert set(found) == {"Tikrit"}


def test_a_town_abroad_needs_its_country_named():
    assert "Zarqa" not in {n for n, _, _ in _parsed("Assailants attacked Zarqa, Nineveh, Iraq.").values()}
    found = _parsed("Jordanian police in Zarqa arrested two men.")
    assert found["Zarqa"][1] == ""  # outside Iraq, as the text says


def test_an_address_names_the_governorate_and_a_lost_town_falls_back_to_it():
    text = "Assailants fired on a patrol in Kharbat Nowhere village, Kirkuk, Iraq."
    found = _parsed(text)
    assert found["Kharbat Nowhere village"] == ("Kirkuk", "IQ-KI", 3)
    assert found["Kirkuk"][2] == 3  # the part before the country is the governorate
    listed = unresolved(text, geoparse(text))
    assert "Kharbat Nowhere" in " ".join(listed["mention"])


def test_an_alias_of_a_governorate_counts_before_the_country_only():
    assert _parsed("Mortars struck a village in Huweish, Saladin, Iraq.")["Saladin"][1] == "IQ-SD"
    assert "Saladin" not in _parsed("Saladin led the army in 1187.")


def test_a_unit_word_makes_a_district_an_area_and_a_list_is_no_address():
    found = _parsed("Fighting in Tikrit district, Saladin governorate, Iraq.")
    assert found["Tikrit district"][2] == 3
    listed = _parsed("Turkish jets struck the Qandil mountains, Mount Sinjar and Makhmour camp.")
    assert all(a != "" for _, a, _ in listed.values())
    assert not any("placed at" in n for n in listed)


def test_west_of_a_town_is_its_area():
    assert _parsed("A bomb exploded 20 km west of Mosul, Nineveh, Iraq.")["Mosul"][2] == 3
