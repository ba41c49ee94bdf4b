"""Closing (= freezing) a séance, signing its minutes, rectifying it afterwards.

`close_session` checks everything at once and lists every problem in French: the
séance is held, the quorum is reached, a president is named, every dwelling passes
the three-candidate rule, every candidate has a decision with its vote, each
dwelling's decisions are consistent (`rules.decisions.check_decision_set`, with the
checks of the frozen snapshots: nothing unjustified), and the start and end times
are confirmed (`rules.session_times.closing_times`: the clock is a default only on
the séance's day).
Once closed, the database triggers reject any change to the séance's rows; only the
closed → signed step and the records made *about* the séance (events after it,
rectifications, signed documents) remain possible.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine
from sqlmodel import Session, col, select

from caleol.db.engine import session_scope
from caleol.db.models import (
    AgendaItem,
    Candidacy,
    CommissionSession,
    Rectification,
    SignedDocument,
)
from caleol.db.models.enums import DocumentKind, SessionStatus
from caleol.errors import CaleolError, ValidationError
from caleol.rules.decisions import check_decision_set, refusal_warnings
from caleol.rules.nir import NIR_FIELD_MESSAGE, contains_nir
from caleol.rules.session_times import closing_times
from caleol.services.anchor import record_closing_anchor
from caleol.services.audit_writes import refuse_tampered_session
from caleol.services.backup import backup_before_close
from caleol.services.sessions.access import (
    FROZEN,
    HOLDING,
    impossible,
    load_session,
    refuse_frozen,
    session_label,
    status_of,
)
from caleol.services.sessions.agenda import candidate_rule, dwelling_label, ordered
from caleol.services.sessions.checks import load_session_candidacies
from caleol.services.sessions.clock import local_now, utc_instant
from caleol.services.sessions.deciding import candidate_key, check_statuses, rule_decision
from caleol.services.sessions.holding import quorum_in
from caleol.services.sessions.records import SignedDocumentView
from caleol.services.sessions.views import decision_vote
from caleol.settings import Settings

PDF_MAGIC = b"%PDF-"

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ClosingOutcome:
    """A closed séance and what happened to its automatic backup.

    The backup runs after the commit: a failed backup leaves the séance closed and
    comes back as a French warning for the caller to show, never as an exception.
    """

    session_id: int
    backup: Path | None = None
    warnings: tuple[str, ...] = ()


def closing_problems_in(db: Session, row: CommissionSession, settings: Settings) -> list[str]:
    status = status_of(row)
    if status.frozen:
        return [f"{session_label(row).capitalize()} est déjà {status.label}."]
    problems: list[str] = []
    if status not in HOLDING:
        problems.append(
            f"{session_label(row).capitalize()} est « {status.label} » : ouvrez-la "
            "(séance en cours) et enregistrez les décisions avant de la clore."
        )
    quorum = quorum_in(db, row, settings)
    if not quorum.reached:
        problems.append(quorum.explanation)
    if row.president_member_id is None:
        problems.append("Aucun président de séance n'est désigné.")
    items = load_session_candidacies(db, row.id or 0)
    if not items:
        problems.append("Aucun logement à l'ordre du jour.")
    for item in items:
        label = dwelling_label(item)
        rule = candidate_rule(item)
        if not rule.passed:
            problems.append(rule.explanation)
        candidacies = ordered(item)
        undecided = [c for c in candidacies if c.decision is None]
        for candidacy in undecided:
            name = (candidacy.household_summary or {}).get("name", "")
            problems.append(
                f"Logement {label} : aucune décision pour le candidat {candidate_key(candidacy)}"
                + (f" ({name})." if name else ".")
            )
        decided = [c for c in candidacies if c.decision is not None]
        for candidacy in decided:
            if candidacy.decision is not None and decision_vote(candidacy.decision) is None:
                problems.append(
                    f"Logement {label} : le vote de la décision sur le candidat "
                    f"{candidate_key(candidacy)} n'est pas indiqué (unanimité ou décompte "
                    "des voix)."
                )
        checks = {candidate_key(c): check_statuses(c.checks_snapshot) for c in decided}
        decisions = [rule_decision(c, c.decision) for c in decided if c.decision is not None]
        # warned at the save; the PV and the letter would state that ground alone
        for candidacy, decision in zip(decided, decisions, strict=True):
            name = (candidacy.household_summary or {}).get("name", "")
            problems += [
                f"Logement {label} : refus du candidat {decision.candidate_id}"
                + (f" ({name})" if name else "") + f" — {warning}"
                for warning in refusal_warnings(decision)]
        problems += [f"Logement {label} : {p}" for p in check_decision_set(decisions, checks)]
    return problems


def closing_problems(
    engine: Engine, session_id: int, settings: Settings | None = None
) -> list[str]:
    """Everything that keeps the séance from being closed (empty: it can be)."""
    with session_scope(engine) as db:
        return closing_problems_in(db, load_session(db, session_id), settings or Settings())


def close_session(
    engine: Engine, session_id: int, settings: Settings | None = None, *, backup: bool = True,
    start_time: dt.time | None = None, end_time: dt.time | None = None,
    now: dt.datetime | None = None,
) -> ClosingOutcome:
    """Validate everything, confirm the times, freeze the séance (closed), back up SQLite.

    Args:
        start_time, end_time: the times the séance was held, as the secretary
            confirms them. On the séance's day they default to the start recorded at
            the opening and the clock; on a later day both are required.
        now: the clock (tests, the demo); default: the computer's. `closed_at` is
            this instant, in UTC.
        backup: False only for generated data (the demo closes a year of séances in
            a row); a secretary's closing is always backed up.

    Returns:
        The outcome: `backup` is the checked backup file (None on PostgreSQL or an
        in-memory database); `warnings` says in French why the backup failed.

    Raises:
        FrozenError: already closed or signed.
        ValidationError: with every problem that blocks the closing, in French; the
            times' problems also by field (`start`, `end`).
    """
    local = local_now(now)
    with session_scope(engine) as db:
        row = load_session(db, session_id)
        refuse_frozen(row)
        problems = closing_problems_in(db, row, settings or Settings())
        times = closing_times(row.date, row.start_time, start_time, end_time, local)
        if problems or times.problems:
            raise ValidationError(
                f"{session_label(row).capitalize()} ne peut pas être close :",
                details=[*times.problems.values(), *problems], fields=dict(times.problems),
            )
        refuse_tampered_session(db, session_id)  # never freeze a forged vote (issue 16)
        row.status = SessionStatus.CLOSED.value
        row.closed_at = utc_instant(now)
        row.start_time, row.end_time = times.start, times.end
        row.times_confirmed = True
        db.add(row)
        record_closing_anchor(db, session_id)  # the head its PV will carry (issue 16)
    if not backup:
        return ClosingOutcome(session_id)
    return _backup_after_close(engine, session_id, settings or Settings())


def _backup_after_close(engine: Engine, session_id: int, settings: Settings) -> ClosingOutcome:
    if engine.url.database in (None, "", ":memory:"):
        return ClosingOutcome(session_id)
    try:
        saved = backup_before_close(engine, settings)
    except (CaleolError, OSError) as exc:
        log.warning("backup after closing session %s failed: %s", session_id, exc)
        return ClosingOutcome(session_id, warnings=(
            "La séance est bien close, mais la sauvegarde automatique a échoué "
            f"({str(exc).rstrip('.')}). Faites une sauvegarde manuelle (caleol backup).",
        ))
    return ClosingOutcome(session_id, backup=saved)


def _frozen_session(db: Session, session_id: int, action: str) -> CommissionSession:
    row = load_session(db, session_id)
    if status_of(row) not in FROZEN:
        raise ValidationError(
            f"{impossible(action)} : {session_label(row)} n'est pas close "
            f"(« {status_of(row).label} »)."
        )
    return row


def add_rectification(
    engine: Engine, session_id: int, text: str, *, author: str = "",
    document_id: int | None = None, candidacy_id: int | None = None,
) -> int:
    """A correction of a closed séance: a new record linked to it, never an edit.

    Args:
        candidacy_id: the candidacy it corrects, if any (that candidate's extract of
            the PV then prints it).
    """
    if not text.strip():
        raise ValidationError("Le texte du rectificatif est obligatoire.")
    if contains_nir(text):  # printed in the signed rectificatif
        raise ValidationError(f"Texte du rectificatif : {NIR_FIELD_MESSAGE}.",
                              fields={"text": NIR_FIELD_MESSAGE})
    with session_scope(engine) as db:
        _frozen_session(db, session_id, "ajouter un rectificatif")
        if document_id is not None:
            document = db.get(SignedDocument, document_id)
            if document is None or document.session_id != session_id:
                raise ValidationError(
                    f"Document signé n° {document_id} introuvable pour cette séance."
                )
        candidacy = db.get(Candidacy, candidacy_id) if candidacy_id is not None else None
        item = db.get(AgendaItem, candidacy.agenda_item_id) if candidacy else None
        if candidacy_id is not None and (item is None or item.session_id != session_id):
            raise ValidationError(f"Candidature n° {candidacy_id} introuvable pour cette "
                                  "séance.", fields={"candidacy": "candidature inconnue"})
        rectification = Rectification(
            session_id=session_id, text=text.strip(), author=author.strip(),
            document_id=document_id, candidacy_id=candidacy_id,
        )
        db.add(rectification)
        db.flush()
        assert rectification.id is not None
        return rectification.id


def record_signed_minutes(
    engine: Engine,
    session_id: int,
    pdf_bytes: bytes,
    signer: str,
    *,
    filename: str = "",
    kind: str = DocumentKind.PV.value,
) -> SignedDocumentView:
    """Store signed minutes byte for byte with their SHA-256.

    A `pv` moves the closed séance to signed (the only change a frozen séance
    accepts); a `rectificatif` or an `extrait` is stored for a signed séance, linked
    to its signed minutes.
    """
    if not pdf_bytes.startswith(PDF_MAGIC):
        raise ValidationError("Le document signé n'est pas un fichier PDF.")
    if not signer.strip():
        raise ValidationError("Indiquez le signataire du procès-verbal.")
    try:
        document_kind = DocumentKind(kind)
    except ValueError:
        raise ValidationError(f"Type de document inconnu « {kind} ».") from None
    with session_scope(engine) as db:
        row = _frozen_session(db, session_id, "enregistrer le procès-verbal signé")
        refuse_tampered_session(db, session_id)  # a dropped trigger put back (audit16)
        status = status_of(row)
        original: SignedDocument | None = None
        if document_kind is DocumentKind.PV:
            if status is not SessionStatus.CLOSED:
                raise CaleolError(
                    f"Le procès-verbal de {session_label(row)} est déjà signé : une correction "
                    "se fait par un procès-verbal rectificatif."
                )
        else:
            if status is not SessionStatus.SIGNED:
                raise ValidationError(
                    f"Signez d'abord le procès-verbal de {session_label(row)}."
                )
            original = db.exec(
                select(SignedDocument).where(SignedDocument.session_id == session_id,
                                             SignedDocument.kind == DocumentKind.PV.value)
                .order_by(col(SignedDocument.id))
            ).first()
        document = SignedDocument(
            session_id=session_id, kind=document_kind.value,
            filename=filename or f"pv-seance-{session_id}.pdf",
            sha256=hashlib.sha256(pdf_bytes).hexdigest(), signer=signer.strip(),
            content=pdf_bytes, rectifies_document_id=original.id if original else None,
        )
        db.add(document)
        if document_kind is DocumentKind.PV:
            row.status = SessionStatus.SIGNED.value
            row.signed_at = document.signed_at
            db.add(row)
        db.flush()
        return SignedDocumentView(
            document.id or 0, document.kind, document.filename, document.sha256,
            document.signer, document.signed_at,
        )


def signed_minutes(engine: Engine, document_id: int) -> bytes:
    """The stored bytes of a signed document (re-exported byte-identical)."""
    with session_scope(engine) as db:
        document = db.get(SignedDocument, document_id)
        if document is None:
            raise CaleolError(f"Document signé n° {document_id} introuvable.")
        return bytes(document.content)
