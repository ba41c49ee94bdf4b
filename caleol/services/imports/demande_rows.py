"""Writing imported demandes: new ones in bulk, stored ones compared and updated.

A record (`DemandeRecord`, what one CSV row or the demande editor gives) is compared
with the stored demande as plain rows (no ORM objects: comparing 2 000 demandes per
chunk must stay cheap); only those that differ are loaded as objects and updated
through the ORM (audited with their before images); new ones go in through the
audited bulk inserter.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlmodel import Session

from caleol.db.models import (
    Demande,
    DemandePriority,
    HouseholdMember,
    Resource,
    WishedCommune,
)
from caleol.db.models.demande import name_sort_key
from caleol.db.models.enums import DemandeStatus
from caleol.db.typed import table_of
from caleol.services.bulk import AuditedInserter


@dataclass
class DemandeRecord:
    nur: str
    values: dict[str, Any]  # Demande attribute -> value (columns present in the file)
    members: list[dict[str, Any]] | None = None
    resources: list[tuple[int | None, dict[str, Any]]] | None = None
    criterion_ids: list[int] | None = None
    commune_ids: list[int] | None = None  # resolved by write() from `wished_insee`
    wished_insee: list[str] | None = None  # current INSEE codes, in order
    line: int = 0
    # The demande editor's records also carry the members' names and the resources'
    # labels (a CSV file has neither): they then count when comparing with the stored
    # demande, instead of being ignored.
    names: bool = False


def _member_key(member: dict[str, Any], names: bool) -> tuple[Any, ...]:
    key = (member["role"], member["birth_date"], member["disabled"], member["visiting_rights"])
    return (*key, member.get("surname", ""), member.get("first_names", "")) if names else key


def _resource_key(resource: dict[str, Any], member: int | None,
                  names: bool) -> tuple[Any, ...]:
    key = (resource["kind"], resource["monthly_cents"], resource["stable"], member)
    return (*key, resource.get("label", "")) if names else key


@dataclass
class _Stored:
    """A stored demande as plain rows (no ORM objects: comparing must stay cheap)."""

    row: dict[str, Any]
    members: list[dict[str, Any]] = field(default_factory=list)
    member_positions: dict[int, int] = field(default_factory=dict)
    resources: list[tuple[int | None, dict[str, Any]]] = field(default_factory=list)
    criteria: list[int] = field(default_factory=list)
    communes: list[int] = field(default_factory=list)


def stored_demandes(db: Session, nurs: list[str]) -> dict[str, _Stored]:
    connection = db.connection()
    demande = table_of(Demande)
    found: dict[str, _Stored] = {}
    by_id: dict[int, _Stored] = {}
    for row in connection.execute(demande.select().where(demande.c.nur.in_(nurs))).mappings():
        item = _Stored(dict(row))
        found[row["nur"]] = item
        by_id[row["id"]] = item
    if not by_id:
        return found
    ids = list(by_id)
    members = table_of(HouseholdMember)
    for row in connection.execute(members.select().where(members.c.demande_id.in_(ids))
                                  .order_by(members.c.demande_id, members.c.position)).mappings():
        item = by_id[row["demande_id"]]
        item.member_positions[row["id"]] = row["position"]
        item.members.append(dict(row))
    resources = table_of(Resource)
    for row in connection.execute(resources.select().where(resources.c.demande_id.in_(ids))
                                  ).mappings():
        item = by_id[row["demande_id"]]
        item.resources.append((item.member_positions.get(row["member_id"]), dict(row)))
    priorities = table_of(DemandePriority)
    for row in connection.execute(priorities.select().where(priorities.c.demande_id.in_(ids))
                                  ).mappings():
        by_id[row["demande_id"]].criteria.append(row["criterion_id"])
    wishes = table_of(WishedCommune)
    for row in connection.execute(wishes.select().where(wishes.c.demande_id.in_(ids))
                                  .order_by(wishes.c.demande_id, wishes.c.position)).mappings():
        by_id[row["demande_id"]].communes.append(row["commune_id"])
    return found


def date_status_change(record: DemandeRecord, stored: _Stored | None, today: date) -> None:
    """Date a status this record changes: the file's date, else `today` (the import day).

    Back to active, the date goes (it dated the end of the demande). A new demande keeps
    the file's date or none: caleol cannot know when it ended, and the purge preview
    lists it apart so the secretary completes it.
    """
    status = record.values.get("status")
    if status is None or stored is None or stored.row["status"] == status:
        return
    if status == DemandeStatus.ACTIVE.value:
        record.values["status_date"] = None
    else:
        record.values.setdefault("status_date", today)


def differs(record: DemandeRecord, stored: _Stored) -> bool:
    if any(stored.row[name] != value for name, value in record.values.items()):
        return True
    names = record.names
    if record.members is not None:
        wanted = [_member_key(m, names) for m in record.members]
        if wanted != [_member_key(m, names) for m in stored.members]:
            return True
    if record.resources is not None:
        wanted_resources = sorted((_resource_key(r, pos, names) for pos, r in record.resources),
                                  key=repr)
        if wanted_resources != sorted((_resource_key(r, pos, names)
                                       for pos, r in stored.resources), key=repr):
            return True
    if record.criterion_ids is not None and sorted(record.criterion_ids) != sorted(
        stored.criteria
    ):
        return True
    return record.commune_ids is not None and record.commune_ids != stored.communes


def update_demande(db: Session, demande: Demande, record: DemandeRecord) -> bool:
    """Apply the record to a stored demande; False when nothing differs."""
    changed = False
    for name, value in record.values.items():
        if getattr(demande, name) != value:
            setattr(demande, name, value)
            changed = True
    if record.members is not None:
        names = record.names
        stored = [_member_key(m.model_dump(), names) for m in demande.members]
        wanted = [_member_key(m, names) for m in record.members]
        positions = {m.id: m.position for m in demande.members}
        stored_resources = sorted(
            (_resource_key(r.model_dump(), positions.get(r.member_id), names)
             for r in demande.resources), key=repr
        )
        wanted_resources = sorted(
            (_resource_key(r, pos, names)
             for pos, r in (record.resources if record.resources is not None else [])), key=repr
        )
        members_differ = stored != wanted
        resources_differ = record.resources is not None and stored_resources != wanted_resources
        if members_differ or resources_differ:
            for resource in list(demande.resources):
                db.delete(resource)
            if members_differ:
                for member in list(demande.members):
                    db.delete(member)
                db.flush()
                new_members = [HouseholdMember(demande_id=demande.id, **m) for m in record.members]
                db.add_all(new_members)
            else:
                new_members = list(demande.members)
            db.flush()
            kept = record.resources if record.resources is not None else []
            db.add_all(Resource(demande_id=demande.id,
                                member_id=None if pos is None else new_members[pos].id, **r)
                       for pos, r in kept)
            changed = True
    if record.criterion_ids is not None:
        stored_ids = sorted(p.criterion_id for p in demande.priorities)
        if stored_ids != sorted(record.criterion_ids):
            for priority in list(demande.priorities):
                db.delete(priority)
            db.flush()
            db.add_all(DemandePriority(demande_id=demande.id, criterion_id=c)
                       for c in record.criterion_ids)
            changed = True
    if record.commune_ids is not None:
        stored_ids = [w.commune_id for w in demande.wished_communes]
        if stored_ids != record.commune_ids:
            for wish in list(demande.wished_communes):
                db.delete(wish)
            db.flush()
            db.add_all(WishedCommune(demande_id=demande.id, commune_id=c, position=i)
                       for i, c in enumerate(record.commune_ids))
            changed = True
    if changed:
        db.flush()  # expiring first would drop the unflushed changes of the demande row
        db.expire(demande)  # its collections were changed behind the relationships
    return changed


def insert_demandes(writer: AuditedInserter, records: Sequence[DemandeRecord]) -> list[int]:
    """Insert new demandes and their household, resources, priorities and wishes."""
    ids = writer.insert(table_of(Demande), [
        {"nur": r.nur, **r.values,
         "name_sort_key": name_sort_key(r.values.get("applicant_surname", ""),
                                        r.values.get("applicant_first_names", ""))}
        for r in records
    ])
    member_ids = writer.insert(table_of(HouseholdMember), [
        {**member, "demande_id": demande_id}
        for record, demande_id in zip(records, ids, strict=True)
        for member in record.members or []
    ])
    position = 0
    resources: list[dict[str, Any]] = []
    for record, demande_id in zip(records, ids, strict=True):
        own = member_ids[position: position + len(record.members or [])]
        position += len(own)
        resources += [
            {**resource, "demande_id": demande_id,
             "member_id": None if member is None else own[member]}
            for member, resource in record.resources or []
        ]
    writer.insert(table_of(Resource), resources)
    writer.insert(table_of(DemandePriority), [
        {"demande_id": demande_id, "criterion_id": criterion_id}
        for record, demande_id in zip(records, ids, strict=True)
        for criterion_id in record.criterion_ids or []
    ])
    writer.insert(table_of(WishedCommune), [
        {"demande_id": demande_id, "commune_id": commune_id, "position": index}
        for record, demande_id in zip(records, ids, strict=True)
        for index, commune_id in enumerate(record.commune_ids or [])
    ])
    return ids


__all__ = ["DemandeRecord", "date_status_change", "differs", "insert_demandes",
           "stored_demandes", "update_demande"]
