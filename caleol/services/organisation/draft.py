"""The organisation as the setup assistant gathers it: written whole, or not at all.

The assistant (`caleol.ui.dialogs.setup_wizard`) keeps what the user types in an
`OrganisationDraft` and writes nothing before « Terminer ». Each page is checked by
`check_draft`: the very `save_*_in` functions the forms and the setup file use, run
in a transaction that is always rolled back, so a page is refused with the services'
own French per-field messages and nothing is written. `save_draft` then writes the
whole draft, with the charter's default reasons and criteria, in one transaction: a
cancelled assistant leaves the database as it was, a finished one leaves all of it.

A substitute may name a titular member of the draft that has no code yet by its place
in `members` (`draft_member_ref`): codes are made when members are first written.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from typing import TypeVar

from sqlalchemy import Engine, func
from sqlalchemy import select as sa_select
from sqlmodel import Session

from caleol.db.engine import session_scope
from caleol.db.models import Agency, Commission, CommissionMember, Landlord
from caleol.errors import CaleolError, ValidationError
from caleol.services.organisation.agencies import save_agency_in
from caleol.services.organisation.commissions import save_commission_in
from caleol.services.organisation.common import commission_by_code
from caleol.services.organisation.defaults import install_charter_defaults_in
from caleol.services.organisation.fields import FieldError
from caleol.services.organisation.landlord import save_landlord_in
from caleol.services.organisation.members import (
    commission_member_problems,
    link_substitute_in,
    save_member_in,
)
from caleol.services.organisation.records import (
    AgencyRecord,
    CommissionRecord,
    LandlordRecord,
    MemberRecord,
    ReservataireRecord,
)
from caleol.services.organisation.reservataires import save_reservataire_in

LANDLORD, AGENCY, RESERVATAIRE, COMMISSION, MEMBER = (
    "landlord", "agency", "reservataire", "commission", "member")
SECTIONS = (LANDLORD, AGENCY, RESERVATAIRE, COMMISSION, MEMBER)
_REF = "@"
T = TypeVar("T")


def draft_member_ref(index: int) -> str:
    """How a substitute names the titular member at `index` of `members`."""
    return f"{_REF}{index}"


def _ref_index(text: str) -> int | None:
    return int(text[1:]) if text.startswith(_REF) and text[1:].isdigit() else None


@dataclass(frozen=True)
class OrganisationDraft:
    """Everything the assistant has gathered so far (records with `id` 0: all new)."""

    landlord: LandlordRecord | None = None
    agencies: tuple[AgencyRecord, ...] = ()
    reservataires: tuple[ReservataireRecord, ...] = ()
    commissions: tuple[CommissionRecord, ...] = ()
    members: tuple[MemberRecord, ...] = ()

    # --- edits that keep the references between records right -------------------------

    def with_agency(self, index: int | None, record: AgencyRecord) -> OrganisationDraft:
        """Add (`index` None) or replace an agency; a new code follows into commissions."""
        agencies, old = _put(self.agencies, index, record)
        commissions = self.commissions
        if old is not None and old.code != record.code:
            commissions = tuple(replace(c, agency_codes=tuple(
                record.code if a == old.code else a for a in c.agency_codes))
                for c in commissions)
        return replace(self, agencies=agencies, commissions=commissions)

    def without_agency(self, index: int) -> OrganisationDraft:
        """Remove an agency; the commissions no longer cover it."""
        code = self.agencies[index].code
        return replace(self, agencies=_drop(self.agencies, index), commissions=tuple(
            replace(c, agency_codes=tuple(a for a in c.agency_codes if a != code))
            for c in self.commissions))

    def with_reservataire(self, index: int | None,
                          record: ReservataireRecord) -> OrganisationDraft:
        """Add or replace a réservataire; a new code follows into the members."""
        reservataires, old = _put(self.reservataires, index, record)
        members = self.members
        if old is not None and old.code != record.code:
            members = tuple(replace(m, reservataire_code=record.code)
                            if m.reservataire_code == old.code else m for m in members)
        return replace(self, reservataires=reservataires, members=members)

    def without_reservataire(self, index: int) -> OrganisationDraft:
        """Remove a réservataire; members who represented it no longer do."""
        code = self.reservataires[index].code
        return replace(self, reservataires=_drop(self.reservataires, index), members=tuple(
            replace(m, reservataire_code="") if m.reservataire_code == code else m
            for m in self.members))

    def with_commission(self, index: int | None,
                        record: CommissionRecord) -> OrganisationDraft:
        """Add or replace a commission; a new code follows into its members."""
        commissions, old = _put(self.commissions, index, record)
        members = self.members
        if old is not None and old.code != record.code:
            members = tuple(replace(m, commission_code=record.code)
                            if m.commission_code == old.code else m for m in members)
        return replace(self, commissions=commissions, members=members)

    def without_commission(self, index: int) -> OrganisationDraft:
        """Remove a commission with its members."""
        code = self.commissions[index].code
        draft = replace(self, commissions=_drop(self.commissions, index))
        for position in reversed(range(len(self.members))):
            if self.members[position].commission_code == code:
                draft = draft.without_member(position)
        return draft

    def with_member(self, index: int | None, record: MemberRecord) -> OrganisationDraft:
        members, _old = _put(self.members, index, record)
        return replace(self, members=members)

    def without_member(self, index: int) -> OrganisationDraft:
        """Remove a member; its substitutes no longer replace it, later references shift."""
        kept: list[MemberRecord] = []
        for position, member in enumerate(self.members):
            if position == index:
                continue
            ref = _ref_index(member.substitute_for)
            if ref == index:
                member = replace(member, substitute_for="")
            elif ref is not None and ref > index:
                member = replace(member, substitute_for=draft_member_ref(ref - 1))
            kept.append(member)
        return replace(self, members=tuple(kept))

    def titular_of(self, member: MemberRecord) -> MemberRecord | None:
        """The member `member` substitutes for, by its place in the draft or its code."""
        index = _ref_index(member.substitute_for)
        if index is not None:
            return self.members[index] if 0 <= index < len(self.members) else None
        return next((m for m in self.members if member.substitute_for
                     and m.commission_code == member.commission_code
                     and m.code == member.substitute_for), None)

    def members_of(self, commission_code: str) -> list[tuple[int, MemberRecord]]:
        """(place in `members`, member) of one commission, in the order entered."""
        return [(i, m) for i, m in enumerate(self.members)
                if m.commission_code == commission_code]


def _put(items: tuple[T, ...], index: int | None, record: T) -> tuple[tuple[T, ...], T | None]:
    if index is None:
        return (*items, record), None
    return (*items[:index], record, *items[index + 1:]), items[index]


def _drop(items: tuple[T, ...], index: int) -> tuple[T, ...]:
    return (*items[:index], *items[index + 1:])


class DraftError(ValidationError):
    """A draft refused: `section` and `index` name the record at fault (`index` -1:
    the section as a whole, e.g. no agency yet), `fields` its French messages keyed by
    the record's attributes, as the forms name their fields."""

    def __init__(self, section: str, index: int, fields: dict[str, str], *,
                 subject: str = "") -> None:
        self.section = section
        self.index = index
        self.subject = subject  # a commission's code, for a section-wide member problem
        count = len(fields)
        super().__init__(f"{count} champ{'s' if count > 1 else ''} à corriger."
                         if fields.keys() - {""} else "\n".join(fields.values()),
                         details=[m for k, m in fields.items() if k],
                         fields=fields)


def organisation_started(engine: Engine) -> bool:
    """Whether a landlord, an agency or a commission exists: the assistant is only
    offered on a database where none does."""
    with session_scope(engine) as db:
        return any(db.execute(sa_select(func.count()).select_from(table)).scalar_one()
                   for table in (Landlord, Agency, Commission))


class _RollbackError(Exception):
    """Ends a check's transaction: everything it wrote is rolled back."""


def check_draft(engine: Engine, draft: OrganisationDraft, *,
                require: Iterable[str] = ()) -> None:
    """Refuse the draft as `save_draft` would, writing nothing.

    Args:
        require: the sections the assistant has passed, which must now be complete
            (a landlord; at least one agency; one commission; each commission with a
            member who has a deliberative vote).

    Raises:
        DraftError: the first record refused, or the first incomplete section.
    """
    try:
        with session_scope(engine) as db:
            _write(db, draft, frozenset(require))
            raise _RollbackError
    except _RollbackError:
        pass


def save_draft(engine: Engine, draft: OrganisationDraft) -> None:
    """Write the landlord, agencies, réservataires, commissions, members and the
    charter's default reasons and criteria (when the catalogue is empty), in one
    transaction.

    Raises:
        DraftError: as `check_draft` with every section required; nothing written.
    """
    with session_scope(engine) as db:
        _write(db, draft, frozenset(SECTIONS))
        install_charter_defaults_in(db)


def _fields(exc: CaleolError) -> dict[str, str]:
    if isinstance(exc, ValidationError) and exc.fields:
        return dict(exc.fields)
    if isinstance(exc, FieldError):
        return {exc.field: exc.message}
    return {"": str(exc)}


def _refused(section: str, index: int, exc: CaleolError) -> DraftError:
    return DraftError(section, index, _fields(exc))


def _write(db: Session, draft: OrganisationDraft, require: frozenset[str]) -> None:
    if draft.landlord is not None:
        try:
            save_landlord_in(db, draft.landlord)
        except CaleolError as exc:
            raise _refused(LANDLORD, 0, exc) from exc
    elif LANDLORD in require:
        raise DraftError(LANDLORD, -1, {"name": "Le nom du bailleur est obligatoire."})
    _write_section(db, AGENCY, draft.agencies, save_agency_in)
    _write_section(db, RESERVATAIRE, draft.reservataires, save_reservataire_in)
    _write_section(db, COMMISSION, draft.commissions, save_commission_in)
    if AGENCY in require and not draft.agencies:
        raise DraftError(AGENCY, -1, {"": "Ajoutez au moins une agence : chaque commission "
                                          "couvre une ou plusieurs agences."})
    if COMMISSION in require and not draft.commissions:
        raise DraftError(COMMISSION, -1, {"": "Ajoutez au moins une commission "
                                              "d'attribution."})
    _write_members(db, draft)
    if MEMBER in require:
        _require_members(draft)


def _write_section(db: Session, section: str, records: Iterable[T],
                   save: Callable[[Session, T], object]) -> None:
    for index, record in enumerate(records):
        try:
            save(db, record)
        except CaleolError as exc:
            raise _refused(section, index, exc) from exc
        db.flush()


def _write_members(db: Session, draft: OrganisationDraft) -> None:
    rows: list[CommissionMember] = []
    for index, record in enumerate(draft.members):
        try:
            rows.append(save_member_in(db, record, link_substitute=False))
            db.flush()
        except CaleolError as exc:
            raise _refused(MEMBER, index, exc) from exc
    for index, (record, row) in enumerate(zip(draft.members, rows, strict=True)):
        titular = record.substitute_for.strip()
        ref = _ref_index(titular)
        if ref is not None and 0 <= ref < len(rows):
            titular = rows[ref].code or ""
        if not titular:
            continue
        try:
            link_substitute_in(db, row, titular)
            db.flush()
        except CaleolError as exc:
            raise _refused(MEMBER, index, exc) from exc
    for commission_record in draft.commissions:
        commission = commission_by_code(db, commission_record.code.strip())
        if commission is None:
            continue
        problems = commission_member_problems(db, commission)
        if problems:
            raise DraftError(MEMBER, -1, {"casting_vote": "\n".join(problems)},
                             subject=commission.code)


def _require_members(draft: OrganisationDraft) -> None:
    for commission in draft.commissions:
        voting = [m for _i, m in draft.members_of(commission.code)
                  if m.active and m.deliberative]
        if not voting:
            raise DraftError(MEMBER, -1, {"": f"La commission « {commission.name} » n'a "
                                              "encore aucun membre à voix délibérative : "
                                              "ajoutez ses membres."},
                             subject=commission.code)
