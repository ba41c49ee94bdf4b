"""Retention of applicants' data: demandes closed long enough are purged or anonymised.

CNIL: a demande's data is kept while it is useful, then deleted once the demande is
housed (attributed), struck off (radiated) or closed; caleol keeps it
`retention_months` months after that status change (setting, default 12), then
removes it on request, after a preview of exactly what will go.

What happens to each demande past the limit:
* never presented to a commission → deleted with its household, resources,
  priorities and wishes;
* presented to séances that are all closed or signed → anonymised, not deleted:
  the séance's candidacies and decisions point to the demande and are frozen by the
  database triggers (legal records, like the signed minutes, which are kept as
  stored bytes). The demande row keeps only what the yearly indicators need
  (dates, status, department, resources and household composition by role, birth
  *year*, priorities, DALO, Action Logement...); names, addresses, notes and
  wishes go, and the NUR becomes `ANON-<id>`. The frozen candidacy snapshots, the
  signed minutes and past audit entries keep what the commission saw then;
* presented to a séance still open → kept (listed with the reason), a decision is
  pending on it.

Every change goes through the ORM in one transaction: the audit log records it and
a crash leaves either the whole purge or nothing. Each row whose audit images are then
erased is first listed in `purged_row` (audited too): the database accepts the
erasure of an entry's images for those rows only, and `caleol verify-db` flags any
other.
"""

from __future__ import annotations

import calendar
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from sqlalchemy import Engine
from sqlalchemy.orm import selectinload
from sqlmodel import Session, col, select

from caleol.db import audit
from caleol.db.engine import session_scope
from caleol.db.models import (
    AgendaItem,
    Candidacy,
    CommissionSession,
    Demande,
    DemandePriority,
    HouseholdMember,
    PurgedRow,
    Resource,
    WishedCommune,
)
from caleol.db.models.base import utcnow
from caleol.db.models.enums import FROZEN_SESSION_STATUSES, DemandeStatus
from caleol.db.models.integrity import ANONYMISED_PREFIX
from caleol.db.typed import rel, stored_id, table_of
from caleol.errors import CaleolError
from caleol.fr import counted, format_date, format_short_date, paris_today
from caleol.rules.nur import check_nur
from caleol.services.bulk import AuditedInserter

log = logging.getLogger(__name__)

ENDED_STATUSES: tuple[str, ...] = (
    DemandeStatus.ATTRIBUTED.value,
    DemandeStatus.RADIATED.value,
    DemandeStatus.CLOSED.value,
)
_CHUNK = 500  # ids per IN (...) clause


class PurgeAction(StrEnum):
    DELETE = "suppression"
    ANONYMISE = "anonymisation"
    KEEP = "conservation"


@dataclass(frozen=True)
class PurgeItem:
    """One demande past the retention limit and what the purge does with it."""

    demande_id: int
    nur: str
    name: str
    status: str
    status_date: date | None
    action: PurgeAction
    reason: str

    def line(self) -> str:
        when = format_short_date(self.status_date) if self.status_date else "date inconnue"
        label = DemandeStatus(self.status).label if self.status in ENDED_STATUSES else self.status
        return f"{self.nur} – {self.name or '(sans nom)'} – {label} le {when} : {self.reason}"


@dataclass(frozen=True)
class PurgePlan:
    """The preview: what `apply_purge` will delete, anonymise or keep, and why."""

    today: date
    retention_months: int
    cutoff: date | None  # status changed strictly before this date → past the limit
    items: tuple[PurgeItem, ...]
    undated: int = 0  # ended demandes without a status date: not handled

    def of(self, action: PurgeAction) -> list[PurgeItem]:
        return [i for i in self.items if i.action is action]

    @property
    def deletions(self) -> list[PurgeItem]:
        return self.of(PurgeAction.DELETE)

    @property
    def anonymisations(self) -> list[PurgeItem]:
        return self.of(PurgeAction.ANONYMISE)

    @property
    def kept(self) -> list[PurgeItem]:
        return self.of(PurgeAction.KEEP)

    @property
    def empty(self) -> bool:
        return not self.deletions and not self.anonymisations

    def text(self, *, limit: int | None = None) -> str:
        """The French preview shown before anything is removed."""
        lines = [
            f"Conservation des demandes : {self.retention_months} mois après attribution, "
            "radiation ou clôture.",
        ]
        if self.cutoff is None:
            lines.append("Aucune demande n'a pu dépasser ce délai.")
        else:
            lines.append(
                f"Concernées : demandes attribuées, radiées ou closes avant le "
                f"{format_date(self.cutoff)}."
            )
        never = counted(len(self.deletions), "demande jamais présentée",
                        "demandes jamais présentées")
        lines.append(f"- à supprimer : {never} en commission")
        presented = counted(len(self.anonymisations), "demande présentée",
                            "demandes présentées")
        lines.append(f"- à anonymiser : {presented} à des séances closes (procès-verbaux "
                     "conservés)")
        lines.append(f"- conservées : {counted(len(self.kept), 'demande')} d'une séance non "
                     "close")
        if self.undated:
            ended = counted(self.undated, "demande terminée", "demandes terminées")
            taken = ("qu'elle soit prise" if self.undated == 1
                     else "qu'elles soient prises")
            lines.append(f"- non traitées : {ended} sans date de changement de statut "
                         f"(complétez la date pour {taken} en compte)")
        for title, items in (
            ("Suppressions", self.deletions),
            ("Anonymisations", self.anonymisations),
            ("Conservées", self.kept),
        ):
            if not items:
                continue
            lines.append(f"{title} :")
            shown = items if limit is None else items[:limit]
            lines.extend(f"  • {item.line()}" for item in shown)
            if len(items) > len(shown):
                lines.append(f"  … et {counted(len(items) - len(shown), 'autre')}.")
        if self.empty:
            lines.append("Rien à supprimer ni à anonymiser.")
        return "\n".join(lines)


@dataclass
class PurgeResult:
    deleted: list[str] = field(default_factory=list)  # NURs
    anonymised: list[str] = field(default_factory=list)
    redacted_entries: int = 0  # audit entries whose images were erased
    skipped: list[str] = field(default_factory=list)  # changed since the preview

    def text(self) -> str:
        lines = [
            f"Demandes supprimées : {len(self.deleted)}",
            f"Demandes anonymisées : {len(self.anonymised)}",
        ]
        if self.redacted_entries:
            lines.append(f"Entrées du journal d'audit expurgées : {self.redacted_entries}")
        if self.skipped:
            lines.append(
                f"Non traitées car modifiées depuis l'aperçu : {len(self.skipped)} "
                f"({', '.join(self.skipped[:20])}{' …' if len(self.skipped) > 20 else ''})"
            )
        return "\n".join(lines)


def months_before(day: date, months: int) -> date | None:
    """`day` minus `months` calendar months (end of month clamped); None before year 1."""
    index = day.year * 12 + (day.month - 1) - months
    year, month = divmod(index, 12)
    if year < 1:
        return None
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def is_anonymised(demande: Demande) -> bool:
    return demande.nur.startswith(ANONYMISED_PREFIX)


def _name(demande: Demande) -> str:
    return " ".join(
        p for p in (demande.applicant_surname.upper(), demande.applicant_first_names) if p
    )


def _sessions_by_demande(
    db: Session, demande_ids: Iterable[int]
) -> dict[int, list[CommissionSession]]:
    """The séances each demande was presented to (via its candidacies)."""
    found: dict[int, list[CommissionSession]] = {}
    ids = list(demande_ids)
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start : start + _CHUNK]
        rows = db.exec(
            select(Candidacy.demande_id, CommissionSession)
            .join(AgendaItem, col(AgendaItem.id) == Candidacy.agenda_item_id)
            .join(CommissionSession, col(CommissionSession.id) == AgendaItem.session_id)
            .where(col(Candidacy.demande_id).in_(chunk))
        ).all()
        for demande_id, sitting in rows:
            found.setdefault(demande_id, []).append(sitting)
    return found


def _classify(demande: Demande, sittings: list[CommissionSession]) -> tuple[PurgeAction, str]:
    if not sittings:
        return PurgeAction.DELETE, "jamais présentée en commission : supprimée"
    open_ones = [s for s in sittings if s.status not in FROZEN_SESSION_STATUSES]
    if open_ones:
        first = min(open_ones, key=lambda s: (s.date, s.id or 0))
        return PurgeAction.KEEP, (
            f"présentée à la séance n° {first.id} du {format_short_date(first.date)}, "
            "non close : conservée"
        )
    numbers = ", ".join(
        f"n° {s.id} du {format_short_date(s.date)}"
        for s in sorted({s.id: s for s in sittings}.values(), key=lambda s: (s.date, s.id or 0))
    )
    return PurgeAction.ANONYMISE, f"présentée en séance ({numbers}) : anonymisée"


def _check_months(retention_months: int) -> None:
    if isinstance(retention_months, bool) or not isinstance(retention_months, int) or (
        retention_months < 0
    ):
        raise CaleolError(
            f"Durée de conservation invalide ({retention_months!r}) : indiquez un nombre "
            "de mois positif ou nul."
        )


def _plan_in(db: Session, retention_months: int, today: date) -> PurgePlan:
    _check_months(retention_months)
    cutoff = months_before(today, retention_months)
    ended = col(Demande.status).in_(ENDED_STATUSES)
    not_anonymised = ~col(Demande.nur).startswith(ANONYMISED_PREFIX)
    undated = len(db.exec(
        select(Demande.id).where(ended, not_anonymised, col(Demande.status_date).is_(None))
    ).all())
    if cutoff is None:
        return PurgePlan(today, retention_months, None, (), undated)
    demandes = db.exec(
        select(Demande)
        .where(ended, not_anonymised, col(Demande.status_date) < cutoff)
        .order_by(col(Demande.status_date), col(Demande.id))
    ).all()
    sittings = _sessions_by_demande(db, (d.id for d in demandes if d.id is not None))
    items = []
    for demande in demandes:
        assert demande.id is not None
        action, reason = _classify(demande, sittings.get(demande.id, []))
        items.append(PurgeItem(demande.id, demande.nur, _name(demande), demande.status,
                               demande.status_date, action, reason))
    return PurgePlan(today, retention_months, cutoff, tuple(items), undated)


def plan_purge(engine: Engine, *, retention_months: int, today: date | None = None) -> PurgePlan:
    """The preview of a purge: nothing is changed.

    Args:
        engine: the open database.
        retention_months: `Settings.retention_months`.
        today: the reference day (tests); default: today.

    Raises:
        CaleolError: a negative or non-integer retention.
    """
    with session_scope(engine) as db:
        return _plan_in(db, retention_months, today or paris_today())


def anonymise(demande: Demande) -> None:
    """Strip what identifies the applicant, keep what the indicators count."""
    assert demande.id is not None
    # the département is an indicator's key; the NUR holds it when the column is empty
    demande.department_code = demande.department_code or check_nur(demande.nur).department or ""
    demande.nur = f"{ANONYMISED_PREFIX}{demande.id:08d}"
    demande.applicant_civility = ""
    demande.applicant_surname = ""
    demande.applicant_first_names = ""
    demande.address = ""
    demande.postal_code = ""
    demande.city = ""
    demande.notes = ""
    for member in demande.members:
        member.surname = ""
        member.first_names = ""
        if member.birth_date is not None:
            member.birth_date = date(member.birth_date.year, 1, 1)
    for resource in demande.resources:
        resource.label = ""
    demande.wished_communes.clear()


def apply_purge(engine: Engine, plan: PurgePlan) -> PurgeResult:
    """Apply a previewed plan in one transaction, never more than it announced.

    The plan is recomputed inside the transaction with the same reference day and
    retention; a demande is treated only if it is still in the plan with the same
    action (one reactivated or newly put on an open séance since the preview is
    skipped and reported).
    """
    result = PurgeResult()
    wanted = {i.demande_id: i.action for i in plan.items if i.action is not PurgeAction.KEEP}
    if not wanted:
        return result
    moment = utcnow()
    with session_scope(engine) as db:
        now = _plan_in(db, plan.retention_months, plan.today)
        current = {i.demande_id: i for i in now.items}
        todo: dict[int, PurgeAction] = {}
        for item in plan.items:
            if item.action is PurgeAction.KEEP:
                continue
            fresh = current.get(item.demande_id)
            if fresh is None or fresh.action is not item.action:
                result.skipped.append(item.nur)
            else:
                todo[item.demande_id] = item.action
        ids = list(todo)
        for start in range(0, len(ids), _CHUNK):
            chunk = ids[start : start + _CHUNK]
            demandes = db.exec(
                select(Demande)
                .where(col(Demande.id).in_(chunk))
                .options(
                    selectinload(rel(Demande.members)),
                    selectinload(rel(Demande.resources)),
                    selectinload(rel(Demande.priorities)),
                    selectinload(rel(Demande.wished_communes)),
                )
            ).all()
            touched: dict[str, set[int]] = {}
            listed: list[dict[str, object]] = []
            for demande in demandes:
                assert demande.id is not None
                nur = demande.nur
                rows: list[Demande | HouseholdMember | Resource | DemandePriority
                           | WishedCommune] = [demande, *demande.members, *demande.resources,
                                               *demande.priorities, *demande.wished_communes]
                for row in rows:
                    entity = table_of(type(row)).name
                    touched.setdefault(entity, set()).add(stored_id(row))
                    listed.append({"demande_id": demande.id, "entity": entity,
                                   "entity_id": row.id, "action": todo[demande.id].value,
                                   "purged_at": moment})
                if todo[demande.id] is PurgeAction.DELETE:
                    db.delete(demande)
                    result.deleted.append(nur)
                else:
                    anonymise(demande)
                    db.add(demande)
                    result.anonymised.append(nur)
            db.flush()  # writes this chunk's own audit entries, then erase their images
            AuditedInserter(db.connection()).insert(
                table_of(PurgedRow), listed)
            result.redacted_entries += audit.redact(db.connection(), touched)
    log.info("purge: %d deleted, %d anonymised, %d skipped", len(result.deleted),
             len(result.anonymised), len(result.skipped))
    return result
