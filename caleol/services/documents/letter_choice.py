"""Which letter each candidate gets, from the facts as they stand when it is written.

A séance's decisions are only its starting point: afterwards a candidate refuses,
a condition is met or lapses, a lease is signed (`CandidacyEvent`, summed up in each
examination's `offer_holder` and `lease_holder`). A letter is written from that
current state, on its date: no offer to a candidate whose lease is signed, who
refused or whose condition lapsed; no condition deadline already past printed as
open; the offer after a refusal goes to the candidate now holding the dwelling. A
candidate who gets no letter is named with the reason, for the secretary.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from caleol.fr import format_date
from caleol.rules.nur import format_nur
from caleol.services.documents.data import Candidate, DecisionKind, DwellingExamination
from caleol.services.documents.letter_templates import LetterKind

REFUSAL = "refusal"
CONDITION_MET = "condition_met"
CONDITION_LAPSED = "condition_lapsed"
LEASE_SIGNED = "lease_signed"


@dataclass(frozen=True)
class Choice:
    """The letter a candidate gets (`kind`), or why none (`withheld`, a French sentence)."""

    kind: LetterKind | None
    withheld: str = ""


def after_refusal(exam: DwellingExamination, candidate: Candidate) -> bool:
    """The dwelling came to `candidate` because an attributed candidate before them
    refused it or let their condition lapse."""
    return exam.offer_holder == candidate.nur and any(
        other.event(REFUSAL) or other.event(CONDITION_LAPSED)
        for other in exam.candidates
        if other.nur != candidate.nur and other.decision is not None
        and other.decision.kind.is_attribution)


def condition_expired(candidate: Candidate, on: date) -> bool:
    """A suspensive condition whose deadline passed before `on`, neither met nor
    recorded as lapsed: the offer cannot be made as if it were still open."""
    return expired_deadline(candidate, on) is not None


def expired_deadline(candidate: Candidate, on: date) -> date | None:
    """The deadline of a condition that expired before `on` (see condition_expired)."""
    decision = candidate.decision
    if (decision is not None and decision.kind is DecisionKind.ATTRIBUTION_SOUS_CONDITION
            and decision.deadline is not None and decision.deadline < on
            and candidate.event(CONDITION_MET) is None):
        return decision.deadline
    return None


def choose(exam: DwellingExamination, candidate: Candidate, on: date) -> Choice:
    """The letter `candidate` gets on `on`, the séance's events considered."""
    decision = candidate.decision
    if decision is None:
        return Choice(None, "aucune décision n'est enregistrée")
    if decision.kind is DecisionKind.NON_ATTRIBUTION:
        return Choice(LetterKind.NON_ATTRIBUTION)
    if decision.kind is DecisionKind.IRRECEVABILITE:
        return Choice(LetterKind.IRRECEVABILITE)
    for kind, said in ((LEASE_SIGNED, "son bail est signé depuis le"),
                       (REFUSAL, "a refusé le logement le"),
                       (CONDITION_LAPSED, "sa condition suspensive n'a pas été levée "
                                          "(caducité enregistrée le")):
        event = candidate.event(kind)
        if event is not None:
            close = ")" if kind == CONDITION_LAPSED else ""
            return Choice(None, f"{said} {format_date(event.date)}{close} : aucune "
                                "proposition ne lui est adressée")
    if exam.lease_holder:
        return Choice(None, f"le bail du logement est signé par la demande "
                            f"{format_nur(exam.lease_holder)} : le logement n'est plus disponible")
    if exam.offer_holder == candidate.nur:
        expired = expired_deadline(candidate, on)
        if expired is not None:
            return Choice(None, f"le délai de sa condition suspensive a expiré le "
                                f"{format_date(expired)} sans levée enregistrée : "
                                "enregistrez la levée ou la caducité avant d'écrire")
        return Choice(LetterKind.OFFER_AFTER_REFUSAL if after_refusal(exam, candidate)
                      else LetterKind.OFFER)
    if not exam.offer_holder:
        return Choice(None, "le logement n'est plus proposé à aucun candidat de la séance")
    return Choice(LetterKind.RANK)


def withdrawal(exam: DwellingExamination, candidate: Candidate) -> str:
    """Why the dwelling came to `candidate`, as the offer after a refusal says it: a
    refusal, or a condition not met (« ayant refusé » was printed for a lapse too)."""
    before = [other for other in exam.candidates
              if other.nur != candidate.nur and other.decision is not None
              and other.decision.kind.is_attribution
              and (other.event(REFUSAL) or other.event(CONDITION_LAPSED))]
    refused = [other for other in before if other.event(REFUSAL)]
    if len(before) == 1:
        return ("Le candidat classé avant vous ayant refusé ce logement" if refused else
                "La condition suspensive posée au candidat classé avant vous n'ayant pas "
                "été remplie")
    if len(refused) == len(before):
        return "Les candidats classés avant vous ayant refusé ce logement"
    return ("Les candidats classés avant vous ayant refusé ce logement ou n'ayant pas "
            "rempli la condition posée")
