"""Preparing a séance's agenda: dwellings, candidates, ranks, exceptions, typology
adaptations, and the "ready" gate (the séance itself and its convocation:
`convening`).

Agenda changes are allowed while the séance is in preparation or ready; a change
that breaks the three-candidate rule on a ready séance puts it back in preparation
(the status never claims more than is true).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Engine
from sqlmodel import Session, col, select

from caleol.db.engine import session_scope
from caleol.db.models import (
    AgendaItem,
    Candidacy,
    CommissionSession,
    Demande,
    Dwelling,
    Reservataire,
)
from caleol.db.models.enums import (
    CandidacyOrigin,
    DemandeStatus,
    SessionStatus,
)
from caleol.errors import ValidationError
from caleol.fr import paris_today
from caleol.rules.candidates import CandidateException, exception_problems
from caleol.rules.typology import Adaptation
from caleol.services.sessions.access import (
    PREPARING,
    load_agenda_item,
    load_candidacy,
    session_label,
    writable_session,
)
from caleol.services.sessions.agenda import (
    candidate_rule_problems,
    check_rank,
    dwelling_label,
    ordered,
    renumber,
)
from caleol.services.sessions.checks import (
    dwelling_snapshot,
    load_session_candidacies,
    refresh_session_checks,
    snapshot_candidacies,
)
from caleol.services.sessions.inputs import rule_context
from caleol.settings import Settings

ADD_TO_AGENDA = "modifier l'ordre du jour"


def _after_agenda_change(db: Session, row: CommissionSession) -> None:
    """A ready séance whose agenda no longer passes the gate goes back to preparation."""
    if row.status != SessionStatus.READY.value:
        return
    db.flush()
    items = load_session_candidacies(db, row.id or 0)
    if not items or candidate_rule_problems(items):
        row.status = SessionStatus.DRAFT.value
        db.add(row)


def add_dwelling(
    engine: Engine,
    session_id: int,
    dwelling_id: int,
    *,
    reservataire_id: int | None = None,
    orientation_date: dt.date | None = None,
) -> int:
    """Put a vacant dwelling on the agenda; returns the agenda item id.

    Args:
        reservataire_id: contingent the vacancy is oriented to (gestion en flux);
            default: the dwelling's own réservataire.
        orientation_date: start of the réservataire's proposal delay (default: today
            when a réservataire is set).
    """
    with session_scope(engine) as db:
        row = writable_session(db, session_id, PREPARING, ADD_TO_AGENDA)
        dwelling = db.get(Dwelling, dwelling_id)
        if dwelling is None:
            raise ValidationError(f"Logement n° {dwelling_id} introuvable.")
        if dwelling.status == "let":
            raise ValidationError(
                f"Le logement {dwelling.reference} est loué : il ne peut pas être proposé."
            )
        existing = db.exec(
            select(AgendaItem).where(AgendaItem.session_id == session_id)
        ).all()
        if any(i.dwelling_id == dwelling_id for i in existing):
            raise ValidationError(
                f"Le logement {dwelling.reference} est déjà à l'ordre du jour de "
                f"{session_label(row)}."
            )
        reservataire_id = reservataire_id if reservataire_id is not None else (
            dwelling.reservataire_id
        )
        reservataire = db.get(Reservataire, reservataire_id) if reservataire_id else None
        if reservataire_id and reservataire is None:
            raise ValidationError(f"Réservataire n° {reservataire_id} introuvable.")
        if reservataire is not None and orientation_date is None:
            orientation_date = paris_today()
        item = AgendaItem(
            session_id=session_id, dwelling_id=dwelling_id,
            position=max((i.position for i in existing), default=0) + 1,
            reservataire_id=reservataire_id, orientation_date=orientation_date,
            dwelling_snapshot=dwelling_snapshot(dwelling, reservataire),
        )
        db.add(item)
        db.flush()
        _after_agenda_change(db, row)
        assert item.id is not None
        return item.id


def remove_dwelling(engine: Engine, agenda_item_id: int) -> None:
    """Take a dwelling (and its candidacies) off the agenda of a séance in preparation."""
    with session_scope(engine) as db:
        item = load_agenda_item(db, agenda_item_id)
        row = writable_session(db, item.session_id, PREPARING, ADD_TO_AGENDA)
        db.delete(item)
        db.flush()
        remaining = db.exec(
            select(AgendaItem).where(AgendaItem.session_id == row.id)
            .order_by(col(AgendaItem.position))
        ).all()
        for position, other in enumerate(remaining, start=1):
            if other.position != position:
                other.position = position
                db.add(other)
        _after_agenda_change(db, row)


def add_candidate(
    engine: Engine,
    agenda_item_id: int,
    demande_id: int,
    *,
    reservataire_id: int | None = None,
    rank: int | None = None,
    origin: str | None = None,
    suggestion_reasons: str = "",
    typology_adaptation: str | None = None,
    settings: Settings | None = None,
) -> int:
    """Present a demande for a dwelling, at `rank` (default: last); returns its id.

    The checks are run at once and snapshotted with the candidacy. Ranks stay 1..n:
    inserting at rank k moves the candidates from k down by one.

    Args:
        reservataire_id: the réservataire who proposed the candidate (None: the
            landlord added it).
        origin: `enums.CandidacyOrigin` value (default: réservataire if one is given,
            else bailleur).
    """
    with session_scope(engine) as db:
        item = load_agenda_item(db, agenda_item_id)
        row = writable_session(db, item.session_id, PREPARING, ADD_TO_AGENDA)
        demande = db.get(Demande, demande_id)
        if demande is None:
            raise ValidationError(f"Demande n° {demande_id} introuvable.")
        if demande.status != DemandeStatus.ACTIVE.value:
            raise ValidationError(
                f"La demande {demande.nur} n'est pas active "
                f"({DemandeStatus(demande.status).label}) : elle ne peut pas être présentée."
            )
        if any(c.demande_id == demande_id for c in item.candidacies):
            raise ValidationError(
                f"La demande {demande.nur} est déjà candidate pour le logement "
                f"{dwelling_label(item)}."
            )
        if reservataire_id is not None and db.get(Reservataire, reservataire_id) is None:
            raise ValidationError(f"Réservataire n° {reservataire_id} introuvable.")
        if typology_adaptation:
            Adaptation.parse(typology_adaptation)
        try:
            chosen = CandidacyOrigin(origin) if origin else (
                CandidacyOrigin.RESERVATAIRE if reservataire_id else CandidacyOrigin.BAILLEUR
            )
        except ValueError:
            raise ValidationError(f"Origine de candidature inconnue « {origin} ».") from None
        current = ordered(item)
        position = len(current) + 1 if rank is None else rank
        check_rank(position, len(current) + 1)
        candidacy = Candidacy(
            agenda_item_id=agenda_item_id, demande_id=demande_id,
            proposed_by_reservataire_id=reservataire_id, added_by=chosen.value,
            suggestion_reasons=suggestion_reasons[:2000],
            typology_adaptation=typology_adaptation or None,
        )
        db.add(candidacy)
        db.flush()
        current.insert(position - 1, candidacy)
        renumber(db, current)
        db.flush()
        db.refresh(candidacy, ["agenda_item", "demande"])
        ctx = rule_context(db, row.date, settings or Settings())
        snapshot_candidacies(db, [candidacy], ctx, paris_today())
        _after_agenda_change(db, row)
        assert candidacy.id is not None
        return candidacy.id


def remove_candidate(engine: Engine, candidacy_id: int) -> None:
    """Withdraw a candidate before the séance; the ranks after it move up."""
    with session_scope(engine) as db:
        candidacy = load_candidacy(db, candidacy_id)
        item = load_agenda_item(db, candidacy.agenda_item_id)
        row = writable_session(db, item.session_id, PREPARING, ADD_TO_AGENDA)
        rest = [c for c in ordered(item) if c.id != candidacy_id]
        db.delete(candidacy)
        db.flush()
        renumber(db, rest)
        _after_agenda_change(db, row)


def move_candidate(engine: Engine, candidacy_id: int, rank: int) -> None:
    """Give a candidate the proposed rank `rank` (1..n); the others shift."""
    with session_scope(engine) as db:
        candidacy = load_candidacy(db, candidacy_id)
        item = load_agenda_item(db, candidacy.agenda_item_id)
        writable_session(db, item.session_id, PREPARING, "changer le rang proposé")
        current = ordered(item)
        check_rank(rank, len(current))
        current.remove(candidacy)
        current.insert(rank - 1, candidacy)
        renumber(db, current)


def reorder_candidates(engine: Engine, agenda_item_id: int, candidacy_ids: list[int]) -> None:
    """Set the proposed ranks 1..n in the order of `candidacy_ids` (all of them, once)."""
    with session_scope(engine) as db:
        item = load_agenda_item(db, agenda_item_id)
        writable_session(db, item.session_id, PREPARING, "changer les rangs proposés")
        by_id = {c.id: c for c in item.candidacies if c.id is not None}
        if sorted(candidacy_ids) != sorted(by_id) or len(set(candidacy_ids)) != len(by_id):
            raise ValidationError(
                f"Le nouvel ordre doit citer chacun des {len(by_id)} candidats du logement "
                f"{dwelling_label(item)} une et une seule fois (rangs 1 à {len(by_id)})."
            )
        renumber(db, [by_id[i] for i in candidacy_ids])


def set_candidate_exception(
    engine: Engine,
    agenda_item_id: int,
    exception: str | CandidateException | None,
    justification: str = "",
) -> None:
    """Record (or clear, with None) the ground for fewer than three candidates.

    The ground is checked against the facts by the "ready" gate (DALO needs a DALO
    candidate...); insufficient demand without its written justification is refused
    here already (`rules.candidates.exception_problems`), nothing written.

    Raises:
        ValidationError: unknown ground, or a missing justification (`fields`).
    """
    with session_scope(engine) as db:
        item = load_agenda_item(db, agenda_item_id)
        row = writable_session(db, item.session_id, PREPARING, ADD_TO_AGENDA)
        ground: CandidateException | None = None
        if exception is not None and exception != "":
            try:
                ground = CandidateException(exception)
            except ValueError:
                known = ", ".join(e.value for e in CandidateException)
                raise ValidationError(
                    f"Exception inconnue « {exception} » (attendu : {known})."
                ) from None
        problems = exception_problems(ground, justification)
        if problems:
            raise ValidationError(" ".join(problems.values()), fields=problems)
        item.candidate_count_exception = ground.value if ground is not None else None
        item.exception_justification = justification.strip()[:2000]
        db.add(item)
        _after_agenda_change(db, row)


def set_typology_adaptation(
    engine: Engine, candidacy_id: int, adaptation: str | None,
    settings: Settings | None = None,
) -> None:
    """Record the commission's typology adaptation for a candidate and re-run its checks."""
    with session_scope(engine) as db:
        candidacy = load_candidacy(db, candidacy_id)
        item = load_agenda_item(db, candidacy.agenda_item_id)
        row = writable_session(db, item.session_id, (*PREPARING, SessionStatus.HELD),
                               "enregistrer une adaptation de typologie")
        candidacy.typology_adaptation = Adaptation.parse(adaptation).value if adaptation else None
        db.add(candidacy)
        db.flush()
        ctx = rule_context(db, row.date, settings or Settings())
        snapshot_candidacies(db, [candidacy], ctx, paris_today())


def ready_problems_in(db: Session, row: CommissionSession) -> list[str]:
    items = load_session_candidacies(db, row.id or 0)
    if not items:
        return [f"Aucun logement à l'ordre du jour de {session_label(row)}."]
    return candidate_rule_problems(items)


def ready_problems(engine: Engine, session_id: int) -> list[str]:
    """What keeps the séance from being ready (empty: it can be)."""
    with session_scope(engine) as db:
        row = writable_session(db, session_id, PREPARING, "vérifier la séance")
        return ready_problems_in(db, row)


def mark_ready(engine: Engine, session_id: int, settings: Settings | None = None) -> None:
    """Refresh every check and move the séance to "ready".

    Raises:
        ValidationError: listing each dwelling (reference and address) that breaks the
            three-candidate rule and what is missing; nothing is changed then.
    """
    with session_scope(engine) as db:
        row = writable_session(db, session_id, PREPARING, "déclarer la séance prête")
        problems = ready_problems_in(db, row)
        if problems:
            raise ValidationError(
                f"{session_label(row).capitalize()} ne peut pas être déclarée prête :",
                details=problems,
            )
        refresh_session_checks(db, session_id, settings or Settings())
        row.status = SessionStatus.READY.value
        db.add(row)
