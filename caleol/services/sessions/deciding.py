"""Recording the commission's decisions while the séance is held.

Each decision is validated by `rules.decision_review.review_decision` (the function
the decision form calls as it changes) for what concerns that decision alone: rank,
condition and deadline, reason, the justification its candidate's checks require
(a check failed or unknown for an attribution; a reason a passing check contradicts
for a refusal), and the vote. A refusal is raised with every problem keyed by its
form field. What concerns the whole dwelling (ranks 1..n, a single attribution) is
returned as a warning and blocks the closing until it is consistent. The vote is
either counts or unanimity; when the casting vote settled a tie, the member present
who holds it is recorded.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from sqlalchemy import Engine
from sqlmodel import Session

from caleol.db.engine import session_scope
from caleol.db.models import Candidacy, Decision, Reason
from caleol.db.models.enums import ReasonKind
from caleol.errors import ConcurrentModificationError, ValidationError
from caleol.rules.decision_review import review_decision
from caleol.rules.decisions import CitedReason, DecisionKind, check_decision_set
from caleol.rules.decisions import Decision as RuleDecision
from caleol.rules.votes import Vote
from caleol.services.sessions.access import (
    HOLDING,
    load_agenda_item,
    load_candidacy,
    writable_session,
)
from caleol.services.sessions.clock import utc_instant
from caleol.services.sessions.holding import casting_holders_in, quorum_in
from caleol.services.sessions.records import DecisionOutcome
from caleol.services.sessions.views import decision_view
from caleol.settings import Settings

REASON_KIND = {
    DecisionKind.NON_ATTRIBUTION: ReasonKind.NON_ATTRIBUTION,
    DecisionKind.IRRECEVABILITE: ReasonKind.IRRECEVABILITE,
}


def _vote(votes: tuple[int, int, int] | None, unanimous: bool, casting_vote_used: bool
          ) -> tuple[Vote | None, dict[str, str]]:
    """The rules' vote from the service's arguments, or the problem with them."""
    if unanimous:
        return Vote(unanimous=True, casting_vote_used=casting_vote_used), {}
    if votes is None:
        if casting_vote_used:
            return None, {"casting_vote": "La voix prépondérante ne s'utilise qu'en cas de "
                                          "partage des voix."}
        return None, {}
    if len(votes) != 3:
        return None, {"votes": "Les votes sont trois nombres entiers positifs : pour, contre, "
                               "abstention."}
    return Vote(*votes, casting_vote_used=casting_vote_used), {}


def _of(word: str) -> str:
    """French « de » with elision: d'irrecevabilité, de non-attribution."""
    return f"d'{word}" if word[:1].lower() in "aeiouyhéè" else f"de {word}"


def _reason(db: Session, kind: DecisionKind, reason_id: int | None
            ) -> tuple[Reason | None, str]:
    """The catalogue reason cited, or the French problem with it."""
    if reason_id is None:
        return None, ""
    reason = db.get(Reason, reason_id)
    if reason is None:
        return None, f"Motif n° {reason_id} introuvable dans le catalogue."
    expected = REASON_KIND.get(kind)
    if expected is None:
        return None, f"Une décision « {kind.label} » ne porte pas de motif de refus."
    if reason.kind != expected.value:
        return None, (
            f"Le motif « {reason.label} » est un motif {_of(ReasonKind(reason.kind).label)}, "
            f"pas {_of(expected.label)}."
        )
    return reason, ""


def cited_reason(reason: Reason) -> CitedReason:
    return CitedReason(reason.label, reason.unlawful_alone, reason.contradicts_check)


def check_statuses(snapshot: Mapping[str, Mapping[str, Any]] | None) -> dict[str, str]:
    """Check name → status of a candidacy's snapshot (what `rules.decisions` weighs)."""
    return {name: str(check.get("status") or "") for name, check in (snapshot or {}).items()}


def rule_decision(candidacy: Candidacy, decision: Decision) -> RuleDecision:
    """The rules' view of a stored decision (the catalogue reasons cited, the free text)."""
    return RuleDecision(
        candidate_id=candidate_key(candidacy),
        kind=DecisionKind(decision.kind),
        rank=decision.rank,
        condition=decision.condition,
        deadline=decision.deadline,
        reason=decision.reason_text,
        justification=decision.justification,
        cited=tuple(cited_reason(r) for r in (decision.reason, decision.second_reason)
                    if r is not None),
    )


def candidate_key(candidacy: Candidacy) -> str:
    summary = candidacy.household_summary or {}
    nur = summary.get("nur") or (candidacy.demande.nur if candidacy.demande else "")
    return str(nur or candidacy.id)


def record_decision(
    engine: Engine,
    candidacy_id: int,
    kind: str | DecisionKind,
    *,
    rank: int | None = None,
    condition: str = "",
    deadline: dt.date | None = None,
    reason_id: int | None = None,
    second_reason_id: int | None = None,
    reason_text: str = "",
    justification: str = "",
    votes: tuple[int, int, int] | None = None,
    unanimous: bool = False,
    casting_vote_used: bool = False,
    settings: Settings | None = None,
    expected_version: int | None = None,
    now: dt.datetime | None = None,
) -> DecisionOutcome:
    """Record (or replace) the commission's decision on one candidate.

    Validated by `rules.decision_review.review_decision`, the function the decision
    form calls as it changes: what it refuses here it showed there first.

    Args:
        second_reason_id: a second catalogue reason (a lawful one beside a reason that
            cannot stand alone).
        votes: (for, against, abstentions); `unanimous` instead: « à l'unanimité des
            membres présents ou représentés » (stored with the members counted).
            Neither: the vote is not stated yet (a warning; closing requires it).
        casting_vote_used: a tie settled by the casting vote, whose holder (the member
            present holding it) is recorded by name.
        expected_version: the `DecisionView.version` the caller edited (None: no
            check); another workstation's newer decision is then never overwritten.
        now: the clock (the demo); `decided_at` is the instant the decision is
            recorded, the séance's date is the day it was taken.

    Raises:
        ConcurrentModificationError: the decision changed since `expected_version`.
        ValidationError: séance not held, quorum not reached, or every problem of this
            decision, by field in `fields` (rank, condition, deadline, reason,
            second_reason, justification, votes, casting_vote).
    """
    settings = settings or Settings()
    with session_scope(engine) as db:
        candidacy = load_candidacy(db, candidacy_id)
        item = load_agenda_item(db, candidacy.agenda_item_id)
        row = writable_session(db, item.session_id, HOLDING, "enregistrer une décision")
        quorum = quorum_in(db, row, settings)
        if not quorum.reached:
            raise ValidationError(
                "Décision refusée : le quorum n'est pas atteint.", details=[quorum.explanation]
            )
        try:
            decision_kind = DecisionKind(kind)
        except ValueError:
            known = ", ".join(k.value for k in DecisionKind)
            raise ValidationError(f"Décision inconnue « {kind} » (attendu : {known}).",
                                  fields={"kind": f"Décision inconnue « {kind} »."}) from None
        if expected_version is not None and (
            candidacy.decision is None or candidacy.decision.version != expected_version
        ):
            raise ConcurrentModificationError("La décision")
        fields: dict[str, str] = {}
        reason, problem = _reason(db, decision_kind, reason_id)
        if problem:
            fields["reason"] = problem
        second, problem = _reason(db, decision_kind, second_reason_id)
        if problem:
            fields["second_reason"] = problem
        elif second is not None and (reason is None or second.id == reason.id):
            fields["second_reason"] = (
                "Le second motif accompagne le motif principal : choisissez d'abord celui-ci."
                if reason is None else "Le second motif doit différer du motif principal.")
        vote, vote_fields = _vote(votes, unanimous, casting_vote_used)
        fields.update(vote_fields)
        holders = casting_holders_in(db, row)
        mine = RuleDecision(
            candidate_id=candidate_key(candidacy), kind=decision_kind, rank=rank,
            condition=condition.strip(), deadline=deadline, reason=reason_text.strip(),
            justification=justification.strip(),
            cited=tuple(cited_reason(r) for r in (reason, second) if r is not None),
        )
        statuses = check_statuses(candidacy.checks_snapshot)
        review = review_decision(mine, statuses, vote, quorum.counted,
                                 [m.display_name for m in holders])
        fields = {**review.problems, **fields}
        if fields:
            raise ValidationError("Décision refusée :", details=list(fields.values()),
                                  fields=fields)
        decision = candidacy.decision or Decision(candidacy_id=candidacy_id, kind="")
        decision.kind = decision_kind.value
        decision.rank = rank
        decision.condition = mine.condition
        decision.deadline = deadline
        decision.reason_id = reason.id if reason else None
        decision.reason = reason
        decision.second_reason_id = second.id if second else None
        decision.second_reason = second
        decision.reason_text = mine.reason
        decision.justification = mine.justification
        if vote is not None and vote.unanimous:
            counts: tuple[int | None, ...] = (quorum.counted, 0, 0)
        else:
            counts = (vote.in_favour, vote.against, vote.abstention) if vote else (None,) * 3
        decision.votes_for, decision.votes_against, decision.votes_abstain = counts
        decision.unanimous = bool(vote and vote.unanimous)
        decision.casting_vote_used = casting_vote_used
        holder = holders[0] if vote is not None and vote.tie and casting_vote_used else None
        decision.casting_vote_member_id = holder.id if holder else None
        decision.casting_vote_member = holder
        decision.decided_at = utc_instant(now)
        db.add(decision)
        db.flush()
        own_prefix = f"{decision_kind.label} ({mine.candidate_id})"
        others = [c for c in item.candidacies if c.decision is not None and c.id != candidacy_id]
        checks = {candidate_key(c): check_statuses(c.checks_snapshot)
                  for c in [*others, candidacy]}
        warnings = [
            f"À régulariser avant la clôture : {p}"
            for p in check_decision_set(
                [*(rule_decision(c, c.decision) for c in others if c.decision), mine], checks)
            if not p.startswith(own_prefix)
        ]
        warnings += review.warnings
        return DecisionOutcome(decision_view(decision, candidacy.checks_snapshot),
                               tuple(dict.fromkeys(warnings)))


def clear_decision(engine: Engine, candidacy_id: int) -> None:
    """Remove a decision recorded by mistake while the séance is still held."""
    with session_scope(engine) as db:
        candidacy = load_candidacy(db, candidacy_id)
        item = load_agenda_item(db, candidacy.agenda_item_id)
        writable_session(db, item.session_id, HOLDING, "supprimer une décision")
        if candidacy.decision is not None:
            db.delete(candidacy.decision)
