"""A small hand-built year of attributions and orientations shared by the report tests."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from caleol.rules.flux import OrientationOutcome, OrientationRecord
from caleol.rules.indicators import (
    AttributionRecord,
    EtatContingent,
    ReservataireKind,
    Target,
    Territory,
)
from caleol.services.organisation.defaults import default_target_rows

THRESHOLD_METZ = Decimal("7228")
THRESHOLD_NANCY = Decimal("8100")


def rec(id: int, **kw: object) -> AttributionRecord:
    values: dict[str, object] = {
        "decision_date": date(2026, 3, 10),
        "dwelling_ref": f"LGT-{id:03d}",
        "epci": "Eurométropole de Metz",
        "department": "57",
        "agency": "Metz",
        "commission": "CALEOL Metz",
        "lease_signed": True,
        "lease_date": date(2026, 4, 1),
        "in_qpv": False,
        "annual_resources": Decimal("15000"),
        "consumption_units": Decimal("1.5"),
        "quartile_threshold": THRESHOLD_METZ,
    }
    values.update(kw)
    # the demande's NUR: département, registered January 2026, sequence = the id
    values.setdefault("nur", f"{int(str(values['department'])):03d}2601{id:05d}G5701")
    return AttributionRecord(id=id, **values)  # type: ignore[arg-type]


NANCY = {
    "epci": "Métropole du Grand Nancy", "department": "54", "agency": "Nancy",
    "commission": "CALEOL Nancy", "quartile_threshold": THRESHOLD_NANCY,
}


def sample_records() -> list[AttributionRecord]:
    """Metz: 8 outside QPV with a lease in 2026 (2 Q1: ids 1, 2), 1 unknown QPV (9),
    3 in QPV (2 Q2-4: 11, 12; 1 Q1: 10); Nancy: 4 outside QPV (1 Q1: 20), one with
    unknown resources (24); one attribution of 2026 without lease (30), one of 2025 (31).
    Second half-year: ids 6, 7, 8, 12, 22, 23 (leases from July)."""
    h2 = {"decision_date": date(2026, 8, 20), "lease_date": date(2026, 9, 1)}
    poor = {"annual_resources": Decimal("9000")}  # 9 000 / 1,5 = 6 000 €/UC: Q1
    return [
        rec(1, priority=True, **poor),
        rec(2, dalo=True, reserved_for=ReservataireKind.ETAT,
            etat_contingent=EtatContingent.PRIORITAIRES, **poor),
        rec(3, action_logement_employee=True, reserved_for=ReservataireKind.ACTION_LOGEMENT),
        rec(4, action_logement_employee=True, reserved_for=ReservataireKind.ACTION_LOGEMENT),
        rec(5, current_social_tenant=True, internal_mutation=True),
        rec(6, reserved_for=ReservataireKind.ETAT, etat_contingent=EtatContingent.AGENTS, **h2),
        rec(7, action_logement_employee=True, **h2),
        rec(8, reserved_for=ReservataireKind.COLLECTIVITE, **h2),
        rec(9, in_qpv=None, **poor),
        rec(10, in_qpv=True, priority=True, **poor),
        rec(11, in_qpv=True, action_logement_employee=True),
        rec(12, in_qpv=True, current_social_tenant=True, **h2),
        rec(20, annual_resources=Decimal("0"), priority=True, **NANCY),
        rec(21, action_logement_employee=True, **NANCY),
        rec(22, reserved_for=ReservataireKind.ACTION_LOGEMENT, returned_by_reservataire=True,
            priority=True, **h2, **NANCY),
        rec(23, current_social_tenant=True, **h2, **NANCY),
        rec(24, annual_resources=None, **NANCY),
        rec(30, lease_signed=False, lease_date=None, decision_date=date(2026, 11, 5)),
        rec(31, decision_date=date(2025, 11, 5), lease_date=date(2025, 12, 1)),
    ]


def sample_targets() -> list[Target]:
    return [
        Target("Q1-HQPV", 2026, Decimal("0.25")),
        Target("Q1-HQPV", 2026, Decimal("0.20"), Territory(epci="Métropole du Grand Nancy")),
        Target("PS-2-HQPV", 2026, Decimal("0.60")),
        Target("PP-5-MUT", 2026, Decimal("3")),
        *landlord_defaults(2026),
    ]


def landlord_defaults(year: int) -> list[Target]:
    """The targets an organisation is created with (its CUS amendment's, per
    département, and its charter's), as the reports read them from the database."""
    return [Target(r["indicator_code"], r["year"], r["value"],
                   Territory(department=r["department_code"]), r["source"])
            for r in default_target_rows() if r["year"] == year]


def sample_orientations() -> list[OrientationRecord]:
    """Six vacancies oriented to the Métropole du Grand Nancy in 2026, one to the State."""
    base = {"reservataire_code": "MGN", "commune": "Vandœuvre-lès-Nancy", "financing": "PLUS"}
    return [
        OrientationRecord(1, "LGT-101", oriented_on=date(2026, 2, 2), address="12 rue des Lilas",
                          typology="T3", in_qpv=False, construction_year=1972,
                          candidates_received_on=date(2026, 2, 12),
                          caleol_date=date(2026, 2, 24), lease_signed=True,
                          lease_date=date(2026, 3, 15), priority_household=True,
                          outcome=OrientationOutcome.ATTRIBUTED, **base),
        OrientationRecord(2, "LGT-102", oriented_on=date(2026, 3, 2), address="3 allée Gide",
                          typology="T2", in_qpv=True, construction_year=1968,
                          candidates_received_on=date(2026, 3, 30),
                          caleol_date=date(2026, 4, 7), priority_household=False,
                          outcome=OrientationOutcome.ATTRIBUTED,
                          reason="refus du candidat (logement trop éloigné)", **base),
        OrientationRecord(3, "LGT-103", oriented_on=date(2026, 5, 4), address="8 rue Monet",
                          typology="T4", in_qpv=False, construction_year=2019,
                          outcome=OrientationOutcome.RETURNED,
                          reason="aucun candidat dans le délai", **base),
        OrientationRecord(4, "LGT-104", oriented_on=date(2026, 6, 1), address="1 place Stanislas",
                          typology="T1", in_qpv=None, construction_year=None,
                          outcome=OrientationOutcome.RETURNED,
                          reason="aucun candidat dans le délai", **base),
        OrientationRecord(5, "LGT-105", oriented_on=date(2026, 9, 14), address="5 rue Zola",
                          typology="T3", in_qpv=False, construction_year=1990,
                          candidates_received_on=date(2026, 9, 20),
                          caleol_date=date(2026, 10, 1), lease_signed=True,
                          lease_date=date(2026, 10, 20), priority_household=True,
                          outcome=OrientationOutcome.ATTRIBUTED, **base),
        OrientationRecord(6, "LGT-106", oriented_on=date(2026, 12, 20), address="9 rue Hugo",
                          typology="T2", in_qpv=False, construction_year=2001, **base),
        OrientationRecord(7, "LGT-107", reservataire_code="ETAT", oriented_on=date(2026, 4, 1)),
    ]
