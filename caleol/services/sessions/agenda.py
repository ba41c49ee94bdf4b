"""The three-candidate rule and the ranks of one dwelling's candidates.

Both read loaded rows only: the stored ones or the plain rows of `agenda_rows`
(`shapes`). For a frozen séance the DALO status comes from the household snapshot,
so the rule reads exactly as the commission saw it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol, TypeVar

from sqlmodel import Session

from caleol.db.models import AgendaItem, Candidacy
from caleol.db.models.enums import CandidacyEventKind
from caleol.errors import ValidationError
from caleol.rules.candidates import CandidateException, check_candidate_count
from caleol.rules.ceilings import Financing
from caleol.rules.decisions import DecisionKind
from caleol.rules.result import CheckResult
from caleol.services.sessions.shapes import CandidacyLike, EventLike, ItemLike


def dwelling_label(item: ItemLike) -> str:
    """`MET-0042 (12 rue des Mineurs, Metz)`: how messages name a dwelling."""
    snap = item.dwelling_snapshot or {}
    dwelling = item.dwelling
    reference = snap.get("reference") or (dwelling.reference if dwelling else str(item.id))
    address = snap.get("address") or (dwelling.address if dwelling else "")
    commune = snap.get("commune") or (
        dwelling.commune.name if dwelling and dwelling.commune else ""
    )
    where = ", ".join(p for p in (address, commune) if p)
    return f"{reference} ({where})" if where else reference


def is_dalo(candidacy: CandidacyLike) -> bool:
    summary = candidacy.household_summary or {}
    if "dalo" in summary:
        return bool(summary["dalo"])
    return bool(candidacy.demande and candidacy.demande.dalo)


def _financing(item: ItemLike) -> Financing | None:
    text = (item.dwelling_snapshot or {}).get("financing") or (
        item.dwelling.financing if item.dwelling else ""
    )
    try:
        return Financing.parse(text) if text else None
    except ValidationError:
        return None


def candidate_rule(item: ItemLike) -> CheckResult:
    """R441-3 for one dwelling on the agenda (candidacies loaded)."""
    exception = (
        CandidateException(item.candidate_count_exception)
        if item.candidate_count_exception else None
    )
    return check_candidate_count(
        dwelling_label(item),
        len(item.candidacies),
        exception,
        item.exception_justification,
        any_dalo_candidate=any(is_dalo(c) for c in item.candidacies),
        financing=_financing(item),
    )


def candidate_rule_problems(items: list[AgendaItem]) -> list[str]:
    """French explanation of every dwelling that breaks the three-candidate rule."""
    return [r.explanation for r in (candidate_rule(i) for i in items) if not r.passed]


class _Ranked(Protocol):
    @property
    def id(self) -> int | None: ...
    @property
    def proposed_rank(self) -> int | None: ...


R = TypeVar("R", bound=_Ranked)


def ordered(item: _Examined[R]) -> list[R]:
    return sorted(item.candidacies, key=lambda c: (c.proposed_rank or 10**6, c.id or 0))


def renumber(db: Session, candidacies: list[Candidacy]) -> None:
    """Ranks 1..n in the given order (only the rows whose rank changes are written)."""
    for rank, candidacy in enumerate(candidacies, start=1):
        if candidacy.proposed_rank != rank:
            candidacy.proposed_rank = rank
            db.add(candidacy)


def check_rank(rank: int, count: int) -> None:
    if isinstance(rank, bool) or not isinstance(rank, int) or not 1 <= rank <= count:
        raise ValidationError(
            f"Rang proposé invalide ({rank}) : les rangs vont de 1 à {count} sans trou."
        )


# --- after the séance: who holds the offer -----------------------------------------------

ENDING = (CandidacyEventKind.REFUSAL.value, CandidacyEventKind.CONDITION_LAPSED.value)


class _Decided(Protocol):
    @property
    def kind(self) -> str: ...
    @property
    def rank(self) -> int | None: ...


class _Offered(Protocol):
    @property
    def id(self) -> int | None: ...
    @property
    def decision(self) -> _Decided | None: ...


class _Followed(_Offered, Protocol):
    @property
    def events(self) -> Sequence[EventLike]: ...


C_co = TypeVar("C_co", covariant=True)
C = TypeVar("C", bound=_Offered)
F = TypeVar("F", bound=_Followed)


class _Examined(Protocol[C_co]):
    """An agenda item: the stored one, `agenda_rows`' plain row, or the reports' flat
    row (reports.queries)."""

    @property
    def candidacies(self) -> Sequence[C_co]: ...


def offer_queue(item: _Examined[C]) -> list[C]:
    """Attributed candidacies in the order the offer follows (unranked first, then ranks)."""
    attributed = [
        c for c in item.candidacies
        if c.decision is not None and DecisionKind(c.decision.kind).is_attribution
    ]
    return sorted(attributed, key=lambda c: (c.decision.rank or 0 if c.decision else 0,
                                             c.id or 0))


def event_kinds(candidacy: _Followed) -> set[str]:
    return {e.kind for e in candidacy.events}


def current_holder(item: _Examined[F]) -> F | None:
    """The candidate the dwelling is offered to now (None: nobody left or leased)."""
    for candidacy in offer_queue(item):
        kinds = event_kinds(candidacy)
        if CandidacyEventKind.LEASE_SIGNED.value in kinds:
            return None
        if not kinds & set(ENDING):
            return candidacy
    return None


def lease_holder(item: _Examined[F]) -> F | None:
    """The candidate whose lease is signed, if any."""
    return next((c for c in offer_queue(item)
                 if CandidacyEventKind.LEASE_SIGNED.value in event_kinds(c)), None)


def possible_events(item: _Examined[F], candidacy: F) -> tuple[str, ...]:
    """The follow-up events this candidacy can receive now, once the séance is closed.

    What the workspace enables; `record_refusal`, `record_condition_met`,
    `record_condition_lapsed` and `record_lease_signed` refuse the others with their
    French reason. Empty when the candidate got no attribution or it has ended
    (refusal, lapsed condition, lease signed). A sorted tuple: views go out as JSON.
    """
    decision = candidacy.decision
    if decision is None or not DecisionKind(decision.kind).is_attribution:
        return ()
    kinds = event_kinds(candidacy)
    if kinds & {*ENDING, CandidacyEventKind.LEASE_SIGNED.value}:
        return ()
    possible = {CandidacyEventKind.REFUSAL.value}
    conditional = decision.kind == DecisionKind.ATTRIBUTION_SOUS_CONDITION.value
    met = CandidacyEventKind.CONDITION_MET.value in kinds
    if conditional and not met:
        possible |= {CandidacyEventKind.CONDITION_MET.value,
                     CandidacyEventKind.CONDITION_LAPSED.value}
    if current_holder(item) is candidacy and (met or not conditional):
        possible.add(CandidacyEventKind.LEASE_SIGNED.value)
    return tuple(sorted(possible))
