"""Each section of a setup file written into the stored organisation (`setup_apply`
runs it in its transaction): landlord, départements, EPCI, agencies, réservataires,
commissions, members and their substitutes, reasons, criteria, targets.

A record is found by its code and updated with the keys the file gives (a new one
starts from its defaults); an item whose section, or a record it names, already
failed is passed over rather than reported twice. Every refusal goes to `Errors`,
with the item's line, so that the whole file is checked in one pass.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from decimal import Decimal
from functools import partial
from typing import TYPE_CHECKING, Any, TypeVar

from sqlalchemy import select
from sqlmodel import Session, col

from caleol.db.models import Commission, CommissionMember, PriorityCriterion, Reason
from caleol.db.models.enums import ReasonKind
from caleol.errors import CaleolError
from caleol.services.organisation import setup_format as fmt
from caleol.services.organisation.agencies import agency_record, save_agency_in
from caleol.services.organisation.catalogue import (
    CriterionInfo,
    ReasonInfo,
    criterion_info,
    reason_info,
    save_criterion_in,
    save_reason_in,
)
from caleol.services.organisation.commissions import commission_record, save_commission_in
from caleol.services.organisation.common import (
    agency_by_code,
    commission_by_code,
    department_by_code,
    epci_by_siren,
    reservataire_by_code,
)
from caleol.services.organisation.defaults import install_charter_defaults_in
from caleol.services.organisation.landlord import landlord_record, landlord_row, save_landlord_in
from caleol.services.organisation.members import (
    commission_member_problems,
    link_substitute_in,
    member_by_key,
    member_record,
    save_member_in,
)
from caleol.services.organisation.places import (
    department_record,
    epci_record,
    save_department_in,
    save_epci_in,
)
from caleol.services.organisation.records import (
    AgencyRecord,
    CommissionRecord,
    DepartmentRecord,
    EpciRecord,
    LandlordRecord,
    MemberRecord,
    ReservataireRecord,
)
from caleol.services.organisation.reservataires import (
    reservataire_record,
    save_reservataire_in,
)
from caleol.services.organisation.setup_read import Errors, Item, identity
from caleol.services.organisation.targets import TargetInfo, find_target, save_target_in

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

R = TypeVar("R", bound="DataclassInstance")  # a record the file's values update
T = TypeVar("T")


def _merged(base: R, values: Mapping[str, Any]) -> R:
    known = {f.name for f in dataclasses.fields(base)}
    return dataclasses.replace(base, **{k: v for k, v in values.items() if k in known})


def _run(errors: Errors, item: Item, action: Callable[[], T]) -> T | None:
    try:
        return action()
    except CaleolError as exc:
        errors.from_exception(item, exc)
        return None


def _save(errors: Errors, item: Item, save: Callable[[R], T], base: R,
          values: Mapping[str, Any]) -> T | None:
    """`save` the stored record `base` updated with the file's `values`."""
    return _run(errors, item, lambda: save(_merged(base, values)))


def apply_sections(db: Session, read: dict[str, list[Item]], logo: bytes | bool | None,
           errors: Errors) -> None:
    errors.failed.update(identity(i) for found in read.values() for i in found if i.bad)
    items = {name: [i for i in found if not i.bad] for name, found in read.items()}
    install_charter_defaults_in(db)
    for item in items.get(fmt.LANDLORD.name, []):
        landlord = landlord_row(db)
        values = {k: v for k, v in item.values.items() if k != "logo"}
        if logo is not False:
            values["logo"] = logo
        _save(errors, item, partial(save_landlord_in, db), landlord_record(landlord)
              if landlord is not None else LandlordRecord(name=""), values)
    for item in items.get(fmt.DEPARTMENTS.name, []):
        department = department_by_code(db, _code(item).upper())
        _save(errors, item, partial(save_department_in, db), department_record(department)
              if department else DepartmentRecord(code="", name=""), item.values)
    for item in items.get(fmt.EPCIS.name, []):
        if errors.depends_on_failed(("departements", item.values.get("department_code"))):
            continue
        epci = epci_by_siren(db, _code(item).replace(" ", ""))
        _save(errors, item, partial(save_epci_in, db), epci_record(db, epci)
              if epci else EpciRecord(siren="", name=""), item.values)
    for item in items.get(fmt.AGENCIES.name, []):
        if errors.depends_on_failed(("departements", item.values.get("department_code"))):
            continue
        agency = agency_by_code(db, _code(item))
        _save(errors, item, partial(save_agency_in, db), agency_record(db, agency)
              if agency else AgencyRecord(code="", name=""), item.values)
    for item in items.get(fmt.RESERVATAIRES.name, []):
        reservataire = reservataire_by_code(db, _code(item))
        _save(errors, item, partial(save_reservataire_in, db), reservataire_record(
            reservataire) if reservataire else ReservataireRecord(
            code="", name="", kind="autre"), item.values)
    for item in items.get(fmt.COMMISSIONS.name, []):
        if errors.depends_on_failed(
                ("epci", item.values.get("epci_siren")),
                *(("agences", code) for code in item.values.get("agency_codes", ()))):
            errors.failed.add(identity(item))
            continue
        commission = commission_by_code(db, _code(item))
        if commission is None and set(item.values) <= {"code"}:
            errors.add(item.address, "code", f"{item.label} : commission inconnue de la base ; "
                                             "pour la créer, donnez aussi « nom » et "
                                             "« agences ».")
            errors.failed.add(identity(item))
            continue
        _save(errors, item, partial(save_commission_in, db), commission_record(db, commission)
              if commission else CommissionRecord(code="", name=""), item.values)
    commissions = {_code(i): i.address for i in items.get(fmt.COMMISSIONS.name, [])}
    _apply_members(db, items.get(fmt.MEMBERS.name, []), commissions, errors)
    _apply_catalogue(db, items, errors)


def _code(item: Item) -> str:
    return str(item.values.get(item.section.keys[0].attr, "")).strip()


def _apply_members(db: Session, items: list[Item], commissions: dict[str, fmt.Address],
                   errors: Errors) -> None:
    """Members, then the substitutes' links (a titular may come later in the file),
    then each commission's members as a whole (one casting vote)."""
    saved: list[tuple[Item, CommissionMember]] = []
    for item in items:
        values = dict(item.values)
        if errors.depends_on_failed(("commissions", values["commission_code"]),
                                    ("reservataires", values.get("reservataire_code"))):
            errors.failed.add(identity(item))
            continue
        if "deliberative" in values:
            voice = str(values["deliberative"]).strip().lower()
            if voice not in (*fmt.DELIBERATIVE, *fmt.CONSULTATIVE):
                errors.add(item.address, "voix", f"{item.label} : voix « {voice} » inconnue : "
                                                 "« délibérative » ou « consultative ».")
                continue
            values["deliberative"] = voice in fmt.DELIBERATIVE
        commission = commission_by_code(db, str(values["commission_code"]).strip())
        if commission is None:
            errors.add(item.address, None, f"{item.label} : commission « "
                                           f"{values['commission_code']} » inconnue.")
            continue
        row = member_by_key(db, commission.id or 0, str(values.get("code", "")).strip())
        base = member_record(db, row) if row else MemberRecord(
            commission_code=commission.code, code="", name="", capacity="")
        member = _save(errors, item, partial(save_member_in, db, link_substitute=False), base,
                       {k: v for k, v in values.items() if k != "substitute_for"})
        if member is not None:
            saved.append((item, member))
    for item, member in saved:
        titular = f"{str(item.values['commission_code']).strip()}/" \
                  f"{str(item.values.get('substitute_for', '')).strip()}"
        if "substitute_for" in item.values and not errors.depends_on_failed(
                ("commissions.membres", titular)):
            _run(errors, item, partial(link_substitute_in, db, member,
                                       str(item.values["substitute_for"])))
    db.flush()
    for commission in _touched_commissions(db, items):
        for problem in commission_member_problems(db, commission):
            errors.add(commissions.get(commission.code, ()), None, problem)


def _touched_commissions(db: Session, items: list[Item]) -> list[Commission]:
    codes = dict.fromkeys(str(i.values["commission_code"]).strip() for i in items)
    found = [commission_by_code(db, code) for code in codes]
    return [c for c in found if c is not None]


def _apply_catalogue(db: Session, items: dict[str, list[Item]], errors: Errors) -> None:
    for position, item in enumerate(items.get(fmt.REASONS.name, []), start=1):
        code = str(item.values.get("code", "")).strip()
        reason = db.execute(select(Reason).where(col(Reason.code) == code)).scalars().first() \
            if code else None
        base = reason_info(reason) if reason is not None else ReasonInfo(
            0, "", "", ReasonKind.NON_ATTRIBUTION.value, False, True)
        values = dict(item.values)
        if "contradicts_check" in values:
            word = str(values["contradicts_check"]).strip()
            if word and word not in fmt.CHECKS:
                errors.add(item.address, "controle_contredit", f"{item.label} : contrôle "
                           f"« {word} » inconnu ({', '.join(fmt.CHECKS)} ou vide).")
                continue
            values["contradicts_check"] = fmt.CHECKS.get(word)
        _save(errors, item, partial(save_reason_in, db, position=position), base, values)
    for item in items.get(fmt.CRITERIA.name, []):
        code = str(item.values.get("code", "")).strip()
        criterion = db.execute(select(PriorityCriterion).where(
            col(PriorityCriterion.code) == code)).scalars().first() if code else None
        _save(errors, item, partial(save_criterion_in, db), criterion_info(criterion)
              if criterion is not None else CriterionInfo(0, "", "", "CCH", "", True),
              item.values)
    for item in items.get(fmt.TARGETS.name, []):
        _apply_target(db, item, errors)


def _apply_target(db: Session, item: Item, errors: Errors) -> None:
    values = item.values
    territory = {k: str(values.get(k, "")).strip() for k in (
        "department_code", "epci_code", "agency_code", "commission_code")}
    checks = (("department_code", department_by_code, "département"),
              ("epci_code", epci_by_siren, "EPCI"), ("agency_code", agency_by_code, "agence"),
              ("commission_code", commission_by_code, "commission"))
    sections = {"department_code": "departements", "epci_code": "epci",
                "agency_code": "agences", "commission_code": "commissions"}
    if errors.depends_on_failed(*((sections[k], v) for k, v in territory.items())):
        return
    for attr, find, what in checks:
        if territory[attr] and find(db, territory[attr]) is None:
            errors.add(item.address, fmt.TARGETS.key_of(attr),
                       f"{item.label} : {what} « {territory[attr]} » inconnu(e).")
            return
    if "indicator_code" not in values or "year" not in values or "value" not in values:
        return  # already reported as missing
    row = find_target(db, str(values["indicator_code"]), int(values["year"]), **territory)
    target = TargetInfo(row.id or 0 if row else 0, str(values["indicator_code"]),
                        int(values["year"]), Decimal(values["value"]), **territory,
                        source=str(values.get("source", row.source if row else "")))
    _run(errors, item, partial(save_target_in, db, target))
