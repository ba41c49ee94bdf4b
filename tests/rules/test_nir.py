"""The NIR is found wherever it is typed: whole cell or inside a sentence (issue 16, 5)."""

from __future__ import annotations

import pytest

from caleol.rules.nir import contains_nir, nir_key


def test_key_worked_cases() -> None:
    # 1 85 05 78 006 084: 1 850 578 006 084 = 97 × 19 078 123 774 + 6 → key 97 − 6 = 91
    assert nir_key("1850578006084") == 91
    # Corsica: 2A counts as 19. 2 90 03 2A 004 012 → 2 900 319 004 012 mod 97 = 63 → 34
    assert nir_key("290032A004012") == 34
    # 2B counts as 18: 2 900 318 004 012 mod 97 = 36 → 61
    assert nir_key("290032b004012") == 61


@pytest.mark.parametrize(("text", "expected"), [
    ("185057800608491", True),  # whole cell, right key
    ("NIR du demandeur : 185057800608436", True),  # the case: inside a sentence,
    # wrong key (36, not 91): a mistyped NIR is still someone's number
    ("Voir NIR 1 85 05 78 006 084 91, à vérifier", True),  # spaces between the groups
    ("n° 2.85.05.78.006.084", True),  # 13 characters, without the key
    ("1-85-05-78-006-084-91", True),
    ("Née en Corse : 2 90 03 2A 004 012 34.", True),
    ("2 90 03 2B 004 012 61", True),
    # unknown month (99) with a right key: still a NIR
    ("1 85 99 78 006 084 " + f"{nir_key('1859978006084'):02d}", True),
    ("Tél. 06 12 34 56 78", False),  # a phone number
    ("057240300123G5701", False),  # a NUR
    ("SIRET 732 829 320 00074", False),  # 14 digits
    ("12345678901234", False),  # 14 digits in a row: not a NIR
    ("ref 1851375123456", False),  # month 13 and no key
    ("Montant 1 850,50 € le 12/03/2024", False),
    ("", False),
])
def test_nir_is_found_in_any_text(text: str, expected: bool) -> None:
    assert contains_nir(text) is expected
