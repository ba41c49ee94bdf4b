"""The social-security number (NIR), which caleol never stores: finding one in any text.

CNIL, délibération n° 2019-055 (cadre NIR) and the landlord's charter: the NIR is not
needed to examine a demande, so caleol refuses it everywhere a person can type or
import text, whole cell or inside a sentence (« NIR du demandeur : 1 85 05 78 006 084
91 » in the notes). One rule for the CSV import and the editors.

Shape of a NIR (INSEE): `S AA MM DD CCC OOO` + key `KK`:

* `S`: 1 or 2 (sex), 3 or 4 (historical), 7 or 8 (temporary number);
* `AA` year of birth, `MM` month: 01-12, or 20, 30-42, 50-99 when unknown;
* `DD` département (`2A`, `2B` for Corsica; overseas on three digits, the commune on
  two: still 13 characters), `CCC` commune, `OOO` order number;
* `KK` = 97 − (the 13-digit number mod 97), where Corsica's `2A` counts as 19 and
  `2B` as 18.

A run of 13 characters of that shape (spaces, dots or hyphens between the groups),
standing alone, is a NIR without its key; followed by two digits it is a NIR with a
key, right or mistyped (a wrong key is still someone's number). A 15-character run
whose key is right is a NIR even when its month or département is unusual.
"""

from __future__ import annotations

import re

_SEP = r"[ .\-\u00a0\u202f]?"
# Every start position is tried (lookahead): a failed longer reading never hides a
# shorter one further on.
_CANDIDATE = re.compile(
    r"(?<![0-9A-Za-z])(?=("
    rf"(?P<sex>[1-8]){_SEP}(?P<year>\d\d){_SEP}(?P<month>\d\d){_SEP}"
    rf"(?P<dept>\d\d|2[AaBb]){_SEP}(?P<commune>\d\d\d){_SEP}(?P<order>\d\d\d)"
    rf"(?:{_SEP}(?P<key>\d\d))?"
    r")(?![0-9A-Za-z]))"
)
# Five digits in a row (separators allowed): what every NIR starts with and few other
# cells hold (dates, amounts, names); the full pattern runs only after it.
_QUICK = re.compile(r"[1-8](?:[ .\-\u00a0\u202f]?\d){4}")
_SEXES = frozenset("12378")
_MONTH = re.compile(r"0[1-9]|1[0-2]|20|3\d|4[0-2]|[5-9]\d")
_CORSICA = {"2A": "19", "2B": "18"}
MIN_LENGTH = 13
# What every text field that holds one is told (the number itself is never repeated).
NIR_FIELD_MESSAGE = (
    "ceci ressemble à un numéro de sécurité sociale (NIR) : caleol ne conserve jamais "
    "le NIR, retirez-le"
)


def nir_key(number: str) -> int:
    """The key of a 13-character NIR (`2A`/`2B` allowed): 97 − (number mod 97).

    >>> nir_key("1850578006084")  # 1 850 578 006 084 mod 97 = 6
    91
    """
    department = number[5:7].upper()
    digits = number[:5] + _CORSICA.get(department, department) + number[7:]
    return 97 - int(digits) % 97


def _is_nir(match: re.Match[str]) -> bool:
    sex, month, dept = match["sex"], match["month"], match["dept"].upper()
    shaped = sex in _SEXES and bool(_MONTH.fullmatch(month)) and dept != "00"
    key = match["key"]
    if key is None:
        return shaped
    number = f"{sex}{match['year']}{month}{dept}{match['commune']}{match['order']}"
    return shaped or int(key) == nir_key(number)


def contains_nir(text: str) -> bool:
    """True when `text` is, or holds, a social-security number (see the module)."""
    if len(text) < MIN_LENGTH or _QUICK.search(text) is None:
        return False  # nearly every cell: decided without the full pattern
    return any(_is_nir(match) for match in _CANDIDATE.finditer(text))
