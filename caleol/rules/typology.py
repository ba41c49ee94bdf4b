"""Dwelling size against household composition (charter §2 « Une typologie adaptée »).

The charter's table reads a household as « personne isolée + n enfants » or
« couple + n »; both collapse to one size index, the number of persons besides the
applicant (PI = 0, PI + 1 or couple = 1, PI + 2 or couple + 1 = 2...). Other adults
count like any person and children under visiting rights count (loi ELAN).

Households larger than the table (PI + 6, couple + 5 and beyond) are allowed only a
T7, the largest type of the table; a larger dwelling or another choice is then a
recorded adaptation (e.g. fausse typologie).
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum

from caleol.errors import ValidationError
from caleol.rules.charter import CHARTER
from caleol.rules.household import Household
from caleol.rules.result import CheckResult, Status

REFERENCE = f"Art. R441-3 CCH ; {CHARTER} (typologie adaptée)"


class Typology(StrEnum):
    T1 = "T1"
    T2 = "T2"
    T3 = "T3"
    T4 = "T4"
    T5 = "T5"
    T6 = "T6"
    T7 = "T7"

    @classmethod
    def parse(cls, text: str) -> Typology:
        """`T3`, `t3` or `F3` (the older name of the same thing).

        Raises:
            ValidationError: unknown typology.
        """
        cleaned = text.strip().upper()
        if cleaned.startswith("F"):
            cleaned = "T" + cleaned[1:]
        try:
            return cls(cleaned)
        except ValueError:
            raise ValidationError(
                f"Typologie inconnue « {text} » (attendu : T1 à T7)."
            ) from None


class Adaptation(StrEnum):
    FAUSSE_TYPOLOGIE = "fausse_typologie"
    ASSISTANT_MATERNEL = "assistant_maternel"
    PMR_SENIOR_INTERGENERATIONNEL = "pmr_senior_intergenerationnel"
    LIT_MEDICALISE_AIDANT = "lit_medicalise_aidant"

    @property
    def label(self) -> str:
        return {
            "fausse_typologie": "logement de fausse typologie",
            "assistant_maternel": "assistant(e) maternel(le)",
            "pmr_senior_intergenerationnel": (
                "logement construit pour personnes à mobilité réduite, résidence "
                "intergénérationnelle ou séniors"
            ),
            "lit_medicalise_aidant": (
                "nécessité d'un lit médicalisé ou d'une tierce personne (certificat médical)"
            ),
        }[self.value]

    @classmethod
    def parse(cls, text: str) -> Adaptation:
        """Raises `ValidationError` for an unknown adaptation."""
        try:
            return cls(text.strip())
        except ValueError:
            known = ", ".join(item.value for item in cls)
            raise ValidationError(
                f"Adaptation inconnue « {text} » (attendu : {known})."
            ) from None


T = Typology
# size index (persons besides the applicant) -> allowed types, per the charter table
CHARTER_TABLE: tuple[tuple[Typology, ...], ...] = (
    (T.T1, T.T2),  # personne isolée
    (T.T1, T.T2, T.T3),  # PI + 1 enfant ou couple
    (T.T2, T.T3),  # PI + 2 enfants ou couple + 1 enfant
    (T.T3, T.T4),  # PI + 3 enfants ou couple + 2 enfants
    (T.T4, T.T5, T.T6),  # PI + 4 enfants ou couple + 3 enfants
    (T.T5, T.T6, T.T7),  # PI + 5 enfants ou couple + 4 enfants
)
BEYOND_TABLE: tuple[Typology, ...] = (T.T7,)


def allowed_typologies(household: Household) -> tuple[Typology, ...]:
    size = household.persons - 1
    return CHARTER_TABLE[size] if size < len(CHARTER_TABLE) else BEYOND_TABLE


def check_typology(
    household: Household, typology: Typology, adaptations: Iterable[Adaptation] = ()
) -> CheckResult:
    """Typology in the charter table, or a recorded adaptation turns it into a pass."""
    recorded = tuple(dict.fromkeys(adaptations))  # keep order, drop repeats
    for item in recorded:
        if not isinstance(item, Adaptation):
            raise ValidationError(f"Adaptation inconnue « {item} ».")
    allowed = allowed_typologies(household)
    summary = household.summary()
    figures = {
        "allowed": [t.value for t in allowed],
        "typology": typology.value,
        "household": summary,
        "adaptations": [a.value for a in recorded],
    }
    allowed_text = ", ".join(t.value for t in allowed)
    beyond = household.persons - 1 >= len(CHARTER_TABLE)
    basis = (
        f"Ménage « {summary} » ({household.persons} personne"
        f"{'s' if household.persons > 1 else ''}) : "
    )
    if beyond:
        basis += f"au-delà du tableau de la charte, le plus grand type est retenu ({allowed_text})."
    else:
        basis += f"typologies admises par la charte : {allowed_text}."
    if typology in allowed:
        explanation = f"{basis} Logement {typology.value} : typologie adaptée."
        return CheckResult("typology", Status.PASS, explanation, REFERENCE, figures)
    if recorded:
        reasons = " ; ".join(a.label for a in recorded)
        explanation = (
            f"{basis} Logement {typology.value} hors tableau, admis au titre de "
            f"l'adaptation enregistrée par la commission : {reasons}."
        )
        return CheckResult("typology", Status.PASS, explanation, REFERENCE, figures)
    rank = int(typology.value[1:])
    direction = (
        "sous-occupation" if rank > int(allowed[-1].value[1:]) else "sur-occupation"
    )
    explanation = (
        f"{basis} Logement {typology.value} : typologie inadaptée ({direction}) et aucune "
        "adaptation enregistrée (fausse typologie, assistant(e) maternel(le), logement "
        "PMR/séniors/intergénérationnel, lit médicalisé ou tierce personne)."
    )
    return CheckResult("typology", Status.FAIL, explanation, REFERENCE, figures)
