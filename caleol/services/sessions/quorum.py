"""The quorum of a séance, computed from plain attendance records (no database).

Rules decided here (the minutes print the explanation):
* only members with a deliberative vote count, present or represented;
* a represented member counts only if the member holding the proxy is present and
  is deliberative; a member holds at most one proxy (checked when recording);
* required = the commission's fraction of the deliberative members convened,
  rounded up ("at least half": 4 of 8, 5 of 9);
* the fraction in force is the stricter of the commission's own rule and the
  `quorum_fraction` setting (both default to one half), so neither can lower the
  other's requirement.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from fractions import Fraction

from caleol.db.models.enums import AttendanceStatus
from caleol.errors import ValidationError
from caleol.services.sessions.records import QuorumView

DEFAULT_FRACTION = Fraction(1, 2)


@dataclass(frozen=True)
class AttendanceRecord:
    member_id: int
    deliberative: bool
    status: str
    proxy_member_id: int | None = None


def parse_fraction(text: str) -> Fraction:
    """`1/2`, `2/3` or `0.5` → a fraction in ]0, 1].

    Raises:
        ValidationError: anything else.
    """
    try:
        value = Fraction(text.strip().replace(",", "."))
    except (ValueError, ZeroDivisionError):
        raise ValidationError(
            f"Quorum « {text} » invalide : écrivez une fraction comme 1/2 ou 2/3."
        ) from None
    if not 0 < value <= 1:
        raise ValidationError(f"Quorum « {text} » invalide : la fraction doit être entre 0 et 1.")
    return value


def effective_fraction(numerator: int, denominator: int, setting: str) -> Fraction:
    """The stricter of the commission's fraction and the setting (see module doc)."""
    own = Fraction(numerator, denominator) if denominator > 0 else DEFAULT_FRACTION
    try:
        configured = parse_fraction(setting) if setting.strip() else DEFAULT_FRACTION
    except ValidationError:
        configured = DEFAULT_FRACTION
    return max(own, configured)


def required_members(deliberative: int, fraction: Fraction) -> int:
    """Ceiling of `deliberative × fraction`, exact (no float)."""
    product = deliberative * fraction
    return -(-product.numerator // product.denominator)


def _count(number: int, word: str) -> str:
    return f"{number} {word}{'s' if number > 1 else ''}"


def compute_quorum(records: Iterable[AttendanceRecord], fraction: Fraction) -> QuorumView:
    records = list(records)
    present_ids = {
        r.member_id for r in records
        if r.status == AttendanceStatus.PRESENT.value and r.deliberative
    }
    deliberative = [r for r in records if r.deliberative]
    present = sum(1 for r in deliberative if r.status == AttendanceStatus.PRESENT.value)
    represented = sum(
        1 for r in deliberative
        if r.status == AttendanceStatus.REPRESENTED.value and r.proxy_member_id in present_ids
    )
    counted = present + represented
    required = required_members(len(deliberative), fraction)
    reached = len(deliberative) > 0 and counted >= required
    share = f"{fraction.numerator}/{fraction.denominator}"
    explanation = (
        f"{_count(len(deliberative), 'membre')} à voix délibérative convoqué"
        f"{'s' if len(deliberative) > 1 else ''} ; {_count(present, 'présent')} et "
        f"{_count(represented, 'représenté')} (pouvoir détenu par un membre présent), soit "
        f"{counted} ; "
        f"quorum requis ({share} arrondi à l'entier supérieur) : {required}. "
        + ("Quorum atteint." if reached else "Quorum non atteint : la commission ne peut pas "
           "délibérer.")
    )
    return QuorumView(
        deliberative_members=len(deliberative), present=present, represented=represented,
        counted=counted, required=required, numerator=fraction.numerator,
        denominator=fraction.denominator, reached=reached, explanation=explanation,
    )
