"""Commissions of the demo, one per agency, with the members the CCH and the charter name.

Deliberative: six board-designated members (one of them the tenants'
representative), the mayor (or a deputy), the préfet's representative, the EPCI
president (casting vote where the EPCI has a PLH and a CIL, otherwise the mayor).
Consultative: Action Logement Services for its contingent and a social adviser.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from caleol.db.models import Commission, CommissionMember
from caleol.db.models.enums import MemberCapacity
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


def _person(rng: random.Random, title: str) -> str:
    """« Mme Léa Klein », « M. Karim Roth »: prenoms.txt lists 40 women's first names,
    then 40 men's, so the civility matches the first name."""
    names = read_lines("prenoms.txt")
    half = len(names) // 2
    first = rng.choice(names[:half] if title == "Mme" else names[half:])
    return f"{title} {first} {rng.choice(read_lines('noms.txt'))}"


def create_commissions(
    writer: AuditedInserter, rng: random.Random, territory: Territory,
    reservataire_ids: dict[str, int],
) -> dict[str, CommissionInfo]:
    infos: dict[str, CommissionInfo] = {}
    for code, name, address, _dept in AGENCIES:
        town = MAIN_TOWN[code]
        place = next(p for p in territory.places if p.name == town)
        epci_siren = next(s for s, i in territory.epci_ids.items() if i == place.epci_id)
        (commission_id,) = writer.insert(Commission.__table__, [{  # type: ignore[attr-defined]
            "code": f"CALEOL-{code}",
            "name": f"CALEOL de l'{name[0].lower()}{name[1:]}",
            "agency_id": territory.agency_ids[code],
            "epci_id": place.epci_id,
            "territory": ", ".join(p.name for p in territory.places_of(code)),
            "remote_sessions_allowed": code in REMOTE_ALLOWED,
        }])
        epci_casting = epci_siren in territory.epci_with_plh
        members: list[dict[str, object]] = []
        for index in range(5):
            members.append({"name": _person(rng, rng.choice(("M.", "Mme"))),
                            "capacity": MemberCapacity.ADMINISTRATEUR.value,
                            "deliberative": True, "casting_vote": False,
                            "note": "president" if index == 0 else ""})
        members.append({"name": _person(rng, rng.choice(("M.", "Mme"))),
                        "capacity": MemberCapacity.REPRESENTANT_LOCATAIRES.value,
                        "deliberative": True, "casting_vote": False})
        members.append({"name": f"{_person(rng, 'Mme')}, adjointe au maire de {town}",
                        "capacity": MemberCapacity.MAIRE.value, "deliberative": True,
                        "casting_vote": not epci_casting})
        department = "Moselle" if place.department == "57" else "Meurthe-et-Moselle"
        members.append({"name": f"{_person(rng, 'M.')}, DDETS de la {department}",
                        "capacity": MemberCapacity.PREFET.value, "deliberative": True,
                        "casting_vote": False})
        members.append({"name": f"{_person(rng, 'Mme')}, vice-présidente de l'EPCI",
                        "capacity": MemberCapacity.PRESIDENT_EPCI.value, "deliberative": True,
                        "casting_vote": epci_casting})
        members.append({"name": f"{_person(rng, 'M.')} (Action Logement Services)",
                        "capacity": MemberCapacity.RESERVATAIRE.value, "deliberative": False,
                        "casting_vote": False, "reservataire_id": reservataire_ids["ALS"]})
        members.append({"name": _person(rng, "Mme"),
                        "capacity": MemberCapacity.CONSEILLER_SOCIAL.value,
                        "deliberative": False, "casting_vote": False})
        ids = writer.insert(CommissionMember.__table__, [  # type: ignore[attr-defined]
            {"commission_id": commission_id,
             **{k: v for k, v in member.items() if k != "note"}}
            for member in members
        ])
        info = CommissionInfo(id=commission_id, agency=code, place=f"Vivest, {address}".replace(
            "\n", ", "))
        info.member_ids = ids
        info.deliberative_ids = [i for i, m in zip(ids, members, strict=True)
                                 if m["deliberative"]]
        info.president_id = ids[0]
        info.casting_id = next(i for i, m in zip(ids, members, strict=True) if m["casting_vote"])
        infos[code] = info
    return infos
