"""Commissions of the demo, one per agency, with the members the CCH and the charter name.

Deliberative: six board-designated members (one of them the tenants'
representative), the mayor (or a deputy), the préfet's representative, the EPCI
president (casting vote where the EPCI has a PLH and a CIL, otherwise the mayor).
Consultative: Action Logement Services for its contingent and a social adviser.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from caleol.db.models import Commission, CommissionAgency, CommissionMember
from caleol.db.models.enums import MemberCapacity
from caleol.db.typed import table_of
from caleol.services.bulk import AuditedInserter
from caleol.services.demo.territory import AGENCIES, Territory, read_lines

MAIN_TOWN = {
    "METZ": "Metz", "WOIPPY": "Woippy", "THIONVILLE": "Thionville", "FORBACH": "Forbach",
    "SAINT-AVOLD": "Saint-Avold", "NANCY": "Nancy",
}
REMOTE_ALLOWED = {"METZ", "NANCY", "THIONVILLE"}


@dataclass
class CommissionInfo:
    id: int
    agency: str
    place: str
    member_ids: list[int] = field(default_factory=list)
    deliberative_ids: list[int] = field(default_factory=list)
    president_id: int = 0
    casting_id: int = 0


def _person(rng: random.Random, title: str) -> tuple[str, str]:
    """(« Mme », « Léa Klein »): prenoms.txt lists 40 women's first names, then 40
    men's, so the civility matches the first name."""
    names = read_lines("prenoms.txt")
    half = len(names) // 2
    first = rng.choice(names[:half] if title == "Mme" else names[half:])
    return title, f"{first} {rng.choice(read_lines('noms.txt'))}"


def _member(code: str, person: tuple[str, str], capacity: MemberCapacity, *,
            deliberative: bool = True, casting_vote: bool = False, suffix: str = "",
            **extra: object) -> dict[str, object]:
    civility, name = person
    return {"code": code, "civility": civility, "name": name + suffix,
            "capacity": capacity.value, "deliberative": deliberative,
            "casting_vote": casting_vote, **extra}


def create_commissions(
    writer: AuditedInserter, rng: random.Random, territory: Territory,
    reservataire_ids: dict[str, int],
) -> dict[str, CommissionInfo]:
    infos: dict[str, CommissionInfo] = {}
    for code, name, address, _dept in AGENCIES:
        town = MAIN_TOWN[code]
        place = next(p for p in territory.places if p.name == town)
        epci_siren = next(s for s, i in territory.epci_ids.items() if i == place.epci_id)
        (commission_id,) = writer.insert(table_of(Commission), [{
            "code": f"CALEOL-{code}",
            "name": f"CALEOL de l'{name[0].lower()}{name[1:]}",
            "agency_id": territory.agency_ids[code],
            "epci_id": place.epci_id,
            "territory": ", ".join(p.name for p in territory.places_of(code)),
            "remote_sessions_allowed": code in REMOTE_ALLOWED,
            "active": True,
        }])
        writer.insert(table_of(CommissionAgency), [
            {"commission_id": commission_id, "agency_id": territory.agency_ids[code]}])
        epci_casting = epci_siren in territory.epci_with_plh
        members: list[dict[str, object]] = []
        for index in range(5):
            members.append(_member(f"ADM{index + 1}", _person(rng, rng.choice(("M.", "Mme"))),
                                   MemberCapacity.ADMINISTRATEUR))
        members.append(_member("LOCATAIRES", _person(rng, rng.choice(("M.", "Mme"))),
                               MemberCapacity.REPRESENTANT_LOCATAIRES))
        members.append(_member("MAIRE", _person(rng, "Mme"), MemberCapacity.MAIRE,
                               casting_vote=not epci_casting,
                               suffix=f", adjointe au maire de {town}"))
        department = "Moselle" if place.department == "57" else "Meurthe-et-Moselle"
        members.append(_member("PREFET", _person(rng, "M."), MemberCapacity.PREFET,
                               suffix=f", DDETS de la {department}"))
        members.append(_member("EPCI", _person(rng, "Mme"), MemberCapacity.PRESIDENT_EPCI,
                               casting_vote=epci_casting, suffix=", vice-présidente de l'EPCI"))
        members.append(_member("ALS", _person(rng, "M."), MemberCapacity.RESERVATAIRE,
                               deliberative=False, suffix=" (Action Logement Services)",
                               reservataire_id=reservataire_ids["ALS"]))
        members.append(_member("CESF", _person(rng, "Mme"), MemberCapacity.CONSEILLER_SOCIAL,
                               deliberative=False))
        ids = writer.insert(table_of(CommissionMember), [
            {"commission_id": commission_id, "active": True, **member} for member in members
        ])
        # The préfet's representative has a substitute; drawn from its own generator so
        # the rest of the demo stays as it was. Not convened by default (`member_ids`).
        own = random.Random(f"{code}-suppleant")
        writer.insert(table_of(CommissionMember), [
            {"commission_id": commission_id, "active": True,
             "substitute_for_id": ids[members.index(next(
                 m for m in members if m["code"] == "PREFET"))],
             **_member("PREFET-S", _person(own, "Mme"), MemberCapacity.PREFET,
                       suffix=f", DDETS de la {department} (suppléante)")}])
        info = CommissionInfo(id=commission_id, agency=code, place=f"Vivest, {address}".replace(
            "\n", ", "))
        info.member_ids = ids
        info.deliberative_ids = [i for i, m in zip(ids, members, strict=True)
                                 if m["deliberative"]]
        info.president_id = ids[0]
        info.casting_id = next(i for i, m in zip(ids, members, strict=True) if m["casting_vote"])
        infos[code] = info
    return infos
