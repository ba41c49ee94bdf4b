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
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, fields
from typing import Any, NamedTuple

from sqlalchemy import ColumnElement, Executable, Text, cast, select
from sqlmodel import Session, col

from caleol.db.models import (
    AgendaItem,
    Candidacy,
    Commune,
    Demande,
    DemandePriority,
    Dwelling,
    HouseholdMember,
    PriorityCriterion,
    Reservataire,
    Resource,
)

_BATCH = 500


# The children as named tuples: hashed and compared in C, they make the key of the
# memo of the checks (`DemandeRow.content_key`) cheap to look up.
class MemberRow(NamedTuple):
    role: str
    birth_date: dt.date | None
    disabled: bool
    visiting_rights: bool


class ResourceRow(NamedTuple):
    monthly_cents: int
    stable: bool


class CriterionRow(NamedTuple):
    label: str


class PriorityRow(NamedTuple):
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
    # the columns above as read, in their order (`content_key`)
    columns: tuple[Any, ...] = field(default=(), repr=False, compare=False)

    def content_key(self) -> tuple[Any, ...]:
        """Every value read of the demande, children included: two demandes with equal
        keys get the same checks and household summary (the key of the memo of
        `checks_memo`)."""
        columns = self.columns or tuple(getattr(self, name) for name in _DEMANDE_COLUMNS)
        return (columns, tuple(self.members), tuple(self.resources), tuple(self.priorities))


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


def _execute(db: Session, statement: Executable) -> Sequence[Any]:
    """`statement` on the session's connection, after its pending changes: the rows come
    back as Core rows, without the ORM's result machinery (a fifth of the time of
    reading a séance's demandes)."""
    db.flush()
    return db.connection().execute(statement).all()  # one fetch, not a row at a time


class CommuneRow(NamedTuple):
    name: str
    zone: str


@dataclass(frozen=True)
class DwellingRow:
    """The columns of `Dwelling` its snapshot and the checks' terms read."""

    id: int
    reference: str
    address: str
    qpv: bool | None
    typology: str
    surface_dm2: int | None
    floor: int | None
    lift: bool
    pmr: bool
    financing: str
    rent_cents: int
    annex_rent_cents: int
    charges_cents: int
    energy_cents: int
    availability_date: dt.date | None
    commune: CommuneRow | None


@dataclass(frozen=True)
class AgendaDwellingRow:
    """An agenda item's dwelling, its réservataire's name ("" when none) and the
    dwelling snapshot last stored (as text)."""

    id: int
    dwelling: DwellingRow
    reservataire: str
    dwelling_snapshot: StoredJson


_DWELLING_COLUMNS = tuple(f.name for f in fields(DwellingRow) if f.name != "commune")


def agenda_dwelling_rows(db: Session, session_id: int) -> list[AgendaDwellingRow]:
    """The séance's agenda items with their dwelling, commune and réservataire, in one
    query (the ORM graph of 60 items was a sixth of a refresh that changes nothing)."""
    statement = (
        select(col(AgendaItem.id), cast(col(AgendaItem.dwelling_snapshot), Text),
               col(Reservataire.name), col(Commune.name), col(Commune.zone),
               *(getattr(Dwelling, name) for name in _DWELLING_COLUMNS))
        .join(Dwelling, col(Dwelling.id) == col(AgendaItem.dwelling_id))
        .outerjoin(Commune, col(Commune.id) == col(Dwelling.commune_id))
        .outerjoin(Reservataire, col(Reservataire.id) == col(AgendaItem.reservataire_id))
        .where(col(AgendaItem.session_id) == session_id)
        .order_by(col(AgendaItem.position), col(AgendaItem.id))
    )
    return [
        AgendaDwellingRow(
            row[0], DwellingRow(*row[5:], commune=None if row[3] is None  # type: ignore[misc]
                                else CommuneRow(row[3], row[4])),
            row[2] if row[2] is not None else "", row[1])
        for row in _execute(db, statement)
    ]


def same_json(stored: StoredJson, text: str) -> bool:
    """Whether a stored JSON column holds the value `text` encodes. Equal text first
    (what a refresh stored, read back without decoding); otherwise the decoded
    values are compared, so a value stored with other spacing or key order (another
    version, PostgreSQL's `jsonb`) is not taken for a change."""
    if stored == text:
        return True
    if stored is None:
        return False
    decoded = json.loads(stored) if isinstance(stored, str) else stored
    return bool(decoded == json.loads(text))


# the columns read, in the order of `DemandeRow`'s fields (its children excepted)
_DEMANDE_COLUMNS = tuple(f.name for f in fields(DemandeRow)
                         if f.name not in ("members", "resources", "priorities", "columns"))


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
    return [CandidacyRow(*row) for row in _execute(db, statement)]


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
    for row in _execute(db, select(*columns).where(where(col(Demande.id)))):
        demande = found[row[0]] = DemandeRow(*row)
        demande.columns = tuple(row)
    for member in _execute(db,
        select(col(HouseholdMember.demande_id), col(HouseholdMember.role),
               col(HouseholdMember.birth_date), col(HouseholdMember.disabled),
               col(HouseholdMember.visiting_rights))
        .where(where(col(HouseholdMember.demande_id)))
        .order_by(col(HouseholdMember.demande_id), col(HouseholdMember.position),
                  col(HouseholdMember.id))
    ):
        found[member[0]].members.append(MemberRow._make(member[1:]))
    for resource in _execute(db,
        select(col(Resource.demande_id), col(Resource.monthly_cents), col(Resource.stable))
        .where(where(col(Resource.demande_id))).order_by(col(Resource.id))
    ):
        found[resource[0]].resources.append(ResourceRow(resource[1], resource[2]))
    for priority in _execute(db,
        select(col(DemandePriority.demande_id), col(PriorityCriterion.label))
        .outerjoin(PriorityCriterion,
                   col(PriorityCriterion.id) == col(DemandePriority.criterion_id))
        .where(where(col(DemandePriority.demande_id))).order_by(col(DemandePriority.id))
    ):
        label = priority[1]
        found[priority[0]].priorities.append(
            PriorityRow(CriterionRow(label) if label is not None else None))
