"""A séance's candidacies and their demandes as plain rows, read with one Core query per
table: what `refresh_checks` needs, without building ORM object graphs.

Why: refreshing the checks of a séance of 60 dwellings × 5 candidates spent a third
of its time building ~2 000 ORM objects (demandes, members, resources, priorities)
and decoding the stored snapshots into them, for values the rules only read (issue 19).
The rows carry the same attribute names as the ORM objects, so `inputs.household_of`,
`inputs.household_file` and `checks.household_summary` accept either.

The stored snapshots are read as their stored JSON text, not decoded: a refresh that
changes nothing only compares that text with the text it would store (decoding 600
snapshots was a tenth of a refresh, issue 19).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from typing import Any

from sqlalchemy import ColumnElement, Text, cast, select
from sqlmodel import Session, col

from caleol.db.models import (
    AgendaItem,
    Candidacy,
    Demande,
    DemandePriority,
    HouseholdMember,
    PriorityCriterion,
    Resource,
)

_BATCH = 500


@dataclass(frozen=True)
class MemberRow:
    role: str
    birth_date: dt.date | None
    disabled: bool
    visiting_rights: bool


@dataclass(frozen=True)
class ResourceRow:
    monthly_cents: int
    stable: bool


@dataclass(frozen=True)
class CriterionRow:
    label: str


@dataclass(frozen=True)
class PriorityRow:
    criterion: CriterionRow | None


@dataclass
class DemandeRow:
    """The columns of `Demande` the checks and the household summary read."""

    id: int
    nur: str
    filing_date: dt.date
    applicant_civility: str
    applicant_surname: str
    applicant_first_names: str
    address: str
    postal_code: str
    city: str
    department_code: str
    reference_tax_income: int | None
    reference_tax_income_year: int | None
    tax_income_n1_requested: bool
    housing_aid_cents: int | None
    dalo: bool
    cotation_score: int | None
    action_logement_employee: bool
    payment_guarantee: bool
    members: list[MemberRow] = field(default_factory=list)
    resources: list[ResourceRow] = field(default_factory=list)
    priorities: list[PriorityRow] = field(default_factory=list)

    def content_key(self) -> tuple[Any, ...]:
        """Every value read of the demande, children included: two demandes with equal
        keys get the same checks and household summary (the key of the memo of
        `checks_memo`)."""
        return (tuple(getattr(self, name) for name in _DEMANDE_COLUMNS),
                tuple(self.members), tuple(self.resources), tuple(self.priorities))


# a stored JSON column as read by `candidacy_rows`: its text (SQLite, PostgreSQL's
# `json`), or already decoded by a driver that decodes on its own, or NULL
StoredJson = str | dict[str, Any] | None


@dataclass(frozen=True)
class CandidacyRow:
    """A candidacy's key, its dwelling and what its last refresh stored (as text)."""

    id: int
    agenda_item_id: int
    demande_id: int
    typology_adaptation: str | None
    checks_snapshot: StoredJson
    checks_date: dt.date | None
    household_summary: StoredJson


# the columns read, in the order of `DemandeRow`'s fields (its children excepted)
_DEMANDE_COLUMNS = tuple(f.name for f in fields(DemandeRow)
                         if f.name not in ("members", "resources", "priorities"))


def candidacy_rows(db: Session, session_id: int) -> list[CandidacyRow]:
    """The séance's candidacies in agenda order (position, item, proposed rank), their
    snapshots as stored text (`CAST … AS TEXT`: no JSON decoding)."""
    statement = (
        select(col(Candidacy.id), col(Candidacy.agenda_item_id), col(Candidacy.demande_id),
               col(Candidacy.typology_adaptation), cast(col(Candidacy.checks_snapshot), Text),
               col(Candidacy.checks_date), cast(col(Candidacy.household_summary), Text))
        .join(AgendaItem, col(AgendaItem.id) == col(Candidacy.agenda_item_id))
        .where(col(AgendaItem.session_id) == session_id)
        .order_by(col(AgendaItem.position), col(AgendaItem.id), col(Candidacy.proposed_rank),
                  col(Candidacy.id))
    )
    return [CandidacyRow(*row) for row in db.execute(statement)]


def demande_rows(db: Session, demande_ids: list[int]) -> dict[int, DemandeRow]:
    """The demandes `demande_ids` with their members (by position), resources and
    priority criteria: four queries per batch of 500."""
    found: dict[int, DemandeRow] = {}
    for start in range(0, len(demande_ids), _BATCH):
        chunk = demande_ids[start:start + _BATCH]
        _read_demandes(db, lambda column: column.in_(chunk), found)  # noqa: B023 (called now)
    return found


def session_demande_rows(db: Session, session_id: int) -> dict[int, DemandeRow]:
    """The demandes of the séance's candidacies, as `demande_rows` reads them, in four
    queries whatever their number (one bound parameter, no list of ids)."""
    candidates = (
        select(col(Candidacy.demande_id))
        .join(AgendaItem, col(AgendaItem.id) == col(Candidacy.agenda_item_id))
        .where(col(AgendaItem.session_id) == session_id)
    )
    found: dict[int, DemandeRow] = {}
    _read_demandes(db, lambda column: column.in_(candidates), found)
    return found


def _read_demandes(db: Session, where: Callable[[Any], ColumnElement[bool]],
                   found: dict[int, DemandeRow]) -> None:
    """Add to `found` the demandes whose id satisfies `where` (applied to the demande
    id column of each table), with their children in order."""
    columns = [getattr(Demande, name) for name in _DEMANDE_COLUMNS]
    for row in db.execute(select(*columns).where(where(col(Demande.id)))):
        found[row[0]] = DemandeRow(*row)
    for member in db.execute(
        select(col(HouseholdMember.demande_id), col(HouseholdMember.role),
               col(HouseholdMember.birth_date), col(HouseholdMember.disabled),
               col(HouseholdMember.visiting_rights))
        .where(where(col(HouseholdMember.demande_id)))
        .order_by(col(HouseholdMember.demande_id), col(HouseholdMember.position),
                  col(HouseholdMember.id))
    ):
        found[member[0]].members.append(MemberRow(*member[1:]))
    for resource in db.execute(
        select(col(Resource.demande_id), col(Resource.monthly_cents), col(Resource.stable))
        .where(where(col(Resource.demande_id))).order_by(col(Resource.id))
    ):
        found[resource[0]].resources.append(ResourceRow(resource[1], resource[2]))
    for priority in db.execute(
        select(col(DemandePriority.demande_id), col(PriorityCriterion.label))
        .outerjoin(PriorityCriterion,
                   col(PriorityCriterion.id) == col(DemandePriority.criterion_id))
        .where(where(col(DemandePriority.demande_id))).order_by(col(DemandePriority.id))
    ):
        label = priority[1]
        found[priority[0]].priorities.append(
            PriorityRow(CriterionRow(label) if label is not None else None))
