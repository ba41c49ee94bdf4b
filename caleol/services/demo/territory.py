"""The Vivest territory of the demo: landlord, agencies, départements, EPCI, communes, QPV.

Names and INSEE codes of the communes are real (Moselle 57, Meurthe-et-Moselle 54);
the EPCI list is the charter's annex. Read from `caleol/resources/demo/*.csv`.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from caleol import paths
from caleol.db.models import Agency, Commune, Department, Epci, Landlord, Qpv
from caleol.db.typed import table_of
from caleol.rules.ceilings import Zone
from caleol.services.bulk import AuditedInserter

AGENCIES: tuple[tuple[str, str, str, str], ...] = (
    # code, name, address, département
    ("METZ", "Agence de Metz", "4 rue de la Mayenne\n57000 Metz", "57"),
    ("WOIPPY", "Agence de Woippy", "2 rue du Fort Gambetta\n57140 Woippy", "57"),
    ("THIONVILLE", "Agence de Thionville", "17 place de la République\n57100 Thionville", "57"),
    ("FORBACH", "Agence de Forbach", "12 avenue Saint-Rémy\n57600 Forbach", "57"),
    ("SAINT-AVOLD", "Agence de Saint-Avold", "9 rue des Américains\n57500 Saint-Avold", "57"),
    ("NANCY", "Agence de Nancy", "25 boulevard Joffre\n54000 Nancy", "54"),
)
DEPARTMENTS = (("57", "Moselle", 18), ("54", "Meurthe-et-Moselle", 16))
# Fictitious contacts: 03 53 01 xx xx is a range ARCEP keeps for fiction, and
# example.org a domain reserved for examples (RFC 2606).
LANDLORD = {"name": "Vivest", "siren": None,
            "address": "1 place de la Comédie\nCS 40001\n57000 Metz",
            "phone": "03 53 01 00 00", "email": "contact@vivest.example.org"}


def agency_contact(index: int, code: str) -> dict[str, str]:
    """The phone and e-mail the letters of an agency name as its contact."""
    return {"phone": f"03 53 01 00 {10 + index:02d}",
            "email": f"agence.{code.lower()}@vivest.example.org"}


def demo_resource(name: str) -> Path:
    return paths.resources_dir() / "demo" / name


def read_rows(name: str) -> list[dict[str, str]]:
    with demo_resource(name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter=";"))


def demo_logo() -> bytes:
    """The fictitious landlord's letterhead logo (a small PNG shipped with the demo)."""
    return demo_resource("logo-vivest.png").read_bytes()


@cache
def read_lines(name: str) -> tuple[str, ...]:
    text = demo_resource(name).read_text(encoding="utf-8")
    return tuple(line.strip() for line in text.splitlines() if line.strip())


@dataclass(frozen=True)
class PlaceInfo:
    commune_id: int
    insee: str
    name: str
    postal_code: str
    department: str
    epci_id: int
    agency_code: str
    qpv: tuple[tuple[str, str], ...]  # (code, name) of the commune's QPV


@dataclass
class Territory:
    landlord_id: int = 0
    agency_ids: dict[str, int] = field(default_factory=dict)
    department_ids: dict[str, int] = field(default_factory=dict)
    epci_ids: dict[str, int] = field(default_factory=dict)  # siren -> id
    epci_thresholds: dict[str, dict[int, int]] = field(default_factory=dict)  # siren -> year -> €
    epci_with_plh: set[str] = field(default_factory=set)
    places: list[PlaceInfo] = field(default_factory=list)

    def places_of(self, agency_code: str) -> list[PlaceInfo]:
        return [p for p in self.places if p.agency_code == agency_code]

    def agency_department(self, agency_code: str) -> str:
        return next(a[3] for a in AGENCIES if a[0] == agency_code)


def create_territory(writer: AuditedInserter) -> Territory:
    territory = Territory()
    (territory.landlord_id,) = writer.insert(
        table_of(Landlord), [dict(LANDLORD, logo=demo_logo())]
    )
    ids = writer.insert(table_of(Department), [
        {"code": code, "name": name, "abnormal_delay_months": months}
        for code, name, months in DEPARTMENTS
    ])
    territory.department_ids = dict(zip((d[0] for d in DEPARTMENTS), ids, strict=True))
    ids = writer.insert(table_of(Agency), [
        {"landlord_id": territory.landlord_id, "code": code, "name": name, "address": address,
         "department_id": territory.department_ids[dept], "active": True,
         **agency_contact(index, code)}
        for index, (code, name, address, dept) in enumerate(AGENCIES)
    ])
    territory.agency_ids = dict(zip((a[0] for a in AGENCIES), ids, strict=True))
    epcis = read_rows("epci.csv")
    ids = writer.insert(table_of(Epci), [
        {
            "siren": row["siren"],
            "name": row["nom"],
            "department_id": territory.department_ids[row["departement"]],
            "has_plh_and_cil": row["plh_et_cil"] == "oui",
        }
        for row in epcis
    ])
    for row, epci_id in zip(epcis, ids, strict=True):
        territory.epci_ids[row["siren"]] = epci_id
        territory.epci_thresholds[row["siren"]] = {
            year: int(row[f"seuil_q1_{year}"]) for year in (2024, 2025, 2026)
        }
        if row["plh_et_cil"] == "oui":
            territory.epci_with_plh.add(row["siren"])
    communes = read_rows("communes.csv")
    ids = writer.insert(table_of(Commune), [
        {
            "insee_code": row["insee"],
            "name": row["nom"],
            "postal_code": row["code_postal"],
            "epci_id": territory.epci_ids[row["epci_siren"]],
            "department_id": territory.department_ids[row["insee"][:2]],
            "zone": Zone.AUTRES_REGIONS.value,
        }
        for row in communes
    ])
    qpvs = read_rows("qpv.csv")
    by_insee: dict[str, list[tuple[str, str]]] = {}
    for row in qpvs:
        by_insee.setdefault(row["insee"], []).append((row["code"], row["nom"]))
    commune_ids = {row["insee"]: cid for row, cid in zip(communes, ids, strict=True)}
    writer.insert(table_of(Qpv), [
        {"code": row["code"], "name": row["nom"], "commune_id": commune_ids[row["insee"]]}
        for row in qpvs
    ])
    for row, commune_id in zip(communes, ids, strict=True):
        territory.places.append(PlaceInfo(
            commune_id=commune_id,
            insee=row["insee"],
            name=row["nom"],
            postal_code=row["code_postal"],
            department=row["insee"][:2],
            epci_id=territory.epci_ids[row["epci_siren"]],
            agency_code=row["agence"],
            qpv=tuple(by_insee.get(row["insee"], ())),
        ))
    return territory
