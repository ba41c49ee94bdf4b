"""The numéro unique (NUR) of a demande in the national register (SNE).

Structure, as the register prints it (spaces optional, ignored with hyphens):
`DDD YY MM NNNNN GGGGG` = 17 characters:

* `DDD`: the département on three characters (`057`, `054`, `02A`, `971`);
* `YY MM`: year and month the demande was registered;
* `NNNNN`: a sequence number;
* `GGGGG`: the code of the registering desk (guichet), letters and digits.

Errors (the NUR cannot be right): bad length or characters, unknown département,
month outside 01-12, a registration month after the filing month's next month or
before it by more than one month, a registration in the future. Warnings (worth a
look, never blocking): a registration month one month away from the filing date
(registration a few days after filing), a sequence of zeros.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from caleol.fr import paris_today

NUR_LENGTH = 17
_SHAPE = re.compile(
    r"^(?P<dept>\d{2}[0-9AB])(?P<yy>\d{2})(?P<mm>\d{2})(?P<seq>\d{5})(?P<desk>[A-Z0-9]{5})$"
)
_SEPARATORS = re.compile(r"[\s\-.]+")
OVERSEAS = frozenset({"971", "972", "973", "974", "976"})


@dataclass(frozen=True)
class NurCheck:
    """The verdict on one NUR: `errors` block it, `warnings` are shown."""

    nur: str  # normalised (no separators, upper case)
    errors: tuple[str, ...]
    warnings: tuple[str, ...]

    @property
    def valid(self) -> bool:
        return not self.errors

    @property
    def department(self) -> str | None:
        """`57`, `54`, `2A`, `971`… or None when the NUR is malformed."""
        match = _SHAPE.match(self.nur)
        if not match or self.errors:
            return None
        dept = match["dept"]
        return dept[1:] if dept.startswith("0") else dept


def normalize_nur(text: str) -> str:
    """`057 24 03 00123 g5701` → `057240300123G5701` (no separators, upper case)."""
    return _SEPARATORS.sub("", text).upper()


def _department_ok(dept: str) -> bool:
    if dept in OVERSEAS:
        return True
    if dept in ("02A", "02B"):
        return True
    if not dept.isdigit() or not dept.startswith("0"):
        return False
    number = int(dept)
    return 1 <= number <= 95 and number != 20


def check_nur(text: str, filing_date: date | None = None, today: date | None = None) -> NurCheck:
    """Check the structure of a NUR and its consistency with the filing date.

    Args:
        text: the NUR as typed (spaces and hyphens allowed).
        filing_date: the demande's filing date, to compare with the NUR's YYMM.
        today: the reference date for "in the future" (default: today).
    """
    nur = normalize_nur(text)
    errors: list[str] = []
    warnings: list[str] = []
    if not nur:
        return NurCheck(nur, ("le numéro unique (NUR) est vide",), ())
    match = _SHAPE.match(nur)
    if match is None:
        errors.append(
            f"« {text.strip()} » n'a pas la forme d'un numéro unique : {NUR_LENGTH} caractères "
            "attendus (département sur 3, année et mois sur 4, numéro d'ordre sur 5, code "
            "du guichet sur 5), par exemple 057 24 03 00123 G5701"
        )
        return NurCheck(nur, tuple(errors), ())
    dept = match["dept"]
    if not _department_ok(dept):
        errors.append(f"département « {dept} » inconnu au début du numéro unique « {nur} »")
    month = int(match["mm"])
    year = 2000 + int(match["yy"])
    if not 1 <= month <= 12:
        errors.append(f"mois « {match['mm']} » impossible dans le numéro unique « {nur} »")
        return NurCheck(nur, tuple(errors), tuple(warnings))
    today = today or paris_today()
    registered = year * 12 + month - 1
    if registered > today.year * 12 + today.month - 1:
        errors.append(
            f"le numéro unique « {nur} » indique un enregistrement en {match['mm']}/{year}, "
            "dans le futur"
        )
    if filing_date is not None:
        filed = filing_date.year * 12 + filing_date.month - 1
        gap = registered - filed
        if gap < 0 or gap > 1:
            errors.append(
                f"le numéro unique « {nur} » indique un enregistrement en {match['mm']}/{year}, "
                f"incohérent avec la date de dépôt {filing_date.strftime('%d/%m/%Y')}"
            )
        elif gap == 1:
            warnings.append(
                f"numéro unique « {nur} » enregistré le mois suivant le dépôt "
                f"({filing_date.strftime('%d/%m/%Y')}) : vérifiez la date de dépôt"
            )
    if match["seq"] == "00000":
        warnings.append(f"numéro d'ordre 00000 dans le numéro unique « {nur} » : inhabituel")
    return NurCheck(nur, tuple(errors), tuple(warnings))


def format_nur(nur: str) -> str:
    """`057240300123G5701` → `057 24 03 00123 G5701` (readable form); others unchanged."""
    match = _SHAPE.match(normalize_nur(nur))
    if match is None:
        return nur
    return " ".join(match.group("dept", "yy", "mm", "seq", "desk"))
