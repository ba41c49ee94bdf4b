"""At least three candidates per dwelling, unless an exception is recorded.

Decisions documented once here:

* The exceptions that follow from facts the application already holds are derived
  automatically when none is recorded: a PLAI adapté, PLI or LLI dwelling (from its
  financing) and a DALO candidate among those examined. The result says the exception
  was derived, so the minutes still state its ground.
* *Insufficient demand* in the SNE is a judgement: it must be recorded explicitly,
  with a written justification that goes into the minutes.
* A recorded exception is checked against the facts: DALO needs a DALO candidate,
  PLAI adapté / PLI / LLI need the matching financing (unknown financing → `unknown`).
* A dwelling without any candidate fails: no exception allows attributing it.
"""

from __future__ import annotations

from enum import StrEnum

from caleol.errors import ValidationError
from caleol.rules.ceilings import Financing
from caleol.rules.charter import CHARTER
from caleol.rules.result import CheckResult, Status

MINIMUM_CANDIDATES = 3
REFERENCE = f"Art. R441-3 CCH ; {CHARTER} (nombre de candidats)"


class CandidateException(StrEnum):
    DALO = "dalo"
    INSUFFICIENT_DEMAND = "insufficient_demand"
    PLAI_ADAPTE = "plai_adapte"
    PLI = "pli"
    LLI = "lli"

    @property
    def label(self) -> str:
        return {
            "dalo": "candidat reconnu prioritaire au titre du DALO",
            "insufficient_demand": "insuffisance de demandes dans le SNE",
            "plai_adapte": "logement PLAI adapté (subvention de l'art. D331-25-1 CCH)",
            "pli": "logement PLI",
            "lli": "logement locatif intermédiaire (LLI)",
        }[self.value]


FINANCING_EXCEPTIONS: dict[Financing, CandidateException] = {
    Financing.PLAI_ADAPTE: CandidateException.PLAI_ADAPTE,
    Financing.PLI: CandidateException.PLI,
    Financing.LLI: CandidateException.LLI,
}


def exception_problems(exception: CandidateException | None, justification: str
                       ) -> dict[str, str]:
    """What forbids recording this exception, by field (empty: it may be recorded).

    Insufficient demand is a judgement the minutes must state: it is refused without
    its written justification when recorded (window and command line alike), not
    only at the « prête » gate, so nothing unjustified is ever stored.
    """
    if exception is CandidateException.INSUFFICIENT_DEMAND and not justification.strip():
        return {"justification": "Justification obligatoire pour l'insuffisance de demandes "
                                 "dans le SNE : elle est portée au procès-verbal."}
    return {}


def _plural(count: int) -> str:
    return f"{count} candidat{'s' if count > 1 else ''}"


def check_candidate_count(
    dwelling_ref: str,
    candidate_count: int,
    exception: CandidateException | None = None,
    justification: str = "",
    any_dalo_candidate: bool = False,
    financing: Financing | None = None,
) -> CheckResult:
    """Three-candidate rule of R441-3 for one dwelling.

    Raises:
        ValidationError: negative candidate count.
    """
    if candidate_count < 0:
        raise ValidationError("Le nombre de candidats ne peut pas être négatif.")
    justification = justification.strip()
    figures: dict[str, object] = {
        "dwelling": dwelling_ref,
        "candidate_count": candidate_count,
        "minimum": MINIMUM_CANDIDATES,
        "exception": exception.value if exception else None,
        "exception_derived": False,
        "justification": justification,
    }
    head = f"Logement {dwelling_ref} : {_plural(candidate_count)} examiné" + (
        "s" if candidate_count > 1 else ""
    )

    def result(status: Status, text: str) -> CheckResult:
        return CheckResult("candidate_count", status, f"{head}{text}", REFERENCE, figures)

    if candidate_count >= MINIMUM_CANDIDATES:
        return result(Status.PASS, f" (au moins {MINIMUM_CANDIDATES}) : règle respectée.")
    if candidate_count == 0:
        return result(Status.FAIL, " : aucun candidat, le logement ne peut pas être attribué.")
    short = f", moins des {MINIMUM_CANDIDATES} demandes exigées"

    if exception is None:
        derived = FINANCING_EXCEPTIONS.get(financing) if financing else None
        if derived is None and any_dalo_candidate:
            derived = CandidateException.DALO
        if derived is None:
            return result(
                Status.FAIL,
                f"{short} et aucune exception enregistrée (DALO, insuffisance de demandes "
                "dans le SNE justifiée, PLAI adapté, PLI, LLI).",
            )
        figures["exception"] = derived.value
        figures["exception_derived"] = True
        return result(Status.PASS, f"{short} ; exception constatée : {derived.label}.")

    if exception is CandidateException.INSUFFICIENT_DEMAND:
        if not justification:
            return result(
                Status.FAIL,
                f"{short} ; l'exception « {exception.label} » exige une justification "
                "écrite portée au procès-verbal.",
            )
        return result(
            Status.PASS, f"{short} ; exception : {exception.label} (justification : "
            f"{justification}).",
        )
    if exception is CandidateException.DALO:
        if not any_dalo_candidate:
            return result(
                Status.FAIL,
                f"{short} ; exception DALO invoquée mais aucun candidat n'est reconnu "
                "prioritaire DALO.",
            )
        return result(Status.PASS, f"{short} ; exception : {exception.label}.")
    expected = {v: k for k, v in FINANCING_EXCEPTIONS.items()}[exception]
    if financing is None:
        return result(
            Status.UNKNOWN,
            f"{short} ; exception « {exception.label} » invoquée mais le financement du "
            "logement n'est pas renseigné : vérification impossible.",
        )
    if financing is not expected:
        return result(
            Status.FAIL,
            f"{short} ; exception « {exception.label} » invoquée pour un logement "
            f"financé en {financing.value} : exception non applicable.",
        )
    return result(Status.PASS, f"{short} ; exception : {exception.label}.")
