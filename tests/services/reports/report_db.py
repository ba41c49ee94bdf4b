"""A small database of séances, decisions and leases shared by the report tests.

Needs tests/db on the import path (see conftest.py) for the factories.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from factories import add_candidacy, make_commission, make_demande, make_dwelling, make_session
from sqlalchemy import Engine
from sqlmodel import Session

from caleol.db.engine import session_scope
from caleol.db.models import (
    Agency,
    AgendaItem,
    Commune,
    Decision,
    Department,
    Epci,
    Landlord,
    QuartileThreshold,
    Reservataire,
)
from caleol.db.models import Target as TargetRow
from caleol.services.sessions import record_lease_signed, record_refusal

SIREN = "200039865"


@dataclass
class Ids:
    a_first: int
    a_second: int
    c_second: int
    e_holder: int
    f_candidate: int


def _item(s: Session, sitting_id: int, dwelling_id: int, **fields: object) -> AgendaItem:
    item = AgendaItem(session_id=sitting_id, dwelling_id=dwelling_id, **fields)
    s.add(item)
    s.flush()
    return item


def _decide(s: Session, candidacy_id: int, kind: str, rank: int | None = None,
            reason_text: str = "") -> Decision:
    decision = Decision(candidacy_id=candidacy_id, kind=kind, rank=rank, reason_text=reason_text)
    s.add(decision)
    s.flush()
    return decision


def build(engine: Engine) -> Ids:
    """One EPCI (threshold 7 228 €/UC in 2026), two séances:

    10/03/2026 — A: outside QPV, rank 1 (alone, 500 €/month → 6 000 €/UC: Q1) lease
    01/04; B: in QPV, oriented to Action Logement, its candidate (employee, 2 000 €/month,
    child of 5: 1,3 UC → 18 461 €/UC: Q2-4) lease 15/04; C: outside QPV, oriented to the
    State (prioritaires): its DALO candidate refused, the landlord's rank 2 (1 800 €/month,
    child born 2015: 1,3 UC → 16 615 €/UC: Q2-4, SYPLO) lease 02/05; D: only a
    non-attribution; E: outside QPV, attributed, no resource line, no lease.
    10/06/2026 — F: outside QPV, a candidate not decided yet (500 €/month: Q1).
    """
    with session_scope(engine) as s:
        dept = Department(code="57", name="Moselle")
        s.add(dept)
        s.flush()
        epci = Epci(siren=SIREN, name="Eurométropole de Metz", department_id=dept.id)
        s.add(epci)
        s.flush()
        commune = Commune(insee_code="57463", name="Metz", epci_id=epci.id,
                          department_id=dept.id)
        agency = Agency(code="MET", name="Agence de Metz")
        s.add_all([commune, agency, Landlord(name="Habitat de Metz")])
        s.flush()
        s.add(QuartileThreshold(epci_id=epci.id, year=2026, threshold_cents=722_800))
        etat = Reservataire(code="ETAT57", name="Préfecture de la Moselle",
                            kind="etat_prioritaires")
        als = Reservataire(code="ALS", name="Action Logement Services", kind="action_logement")
        s.add_all([etat, als])
        s.add(TargetRow(indicator_code="Q1-HQPV", year=2026, value=Decimal("0.30"),
                        epci_code=SIREN))
        s.flush()
        commission = make_commission(s, agency_id=agency.id, code="CAL-MET")
        sitting = make_session(s, commission, date=date(2026, 3, 10))

        def dwelling(**fields: object) -> int:
            return make_dwelling(s, commune_id=commune.id, agency_id=agency.id, **fields).id

        a = _item(s, sitting.id, dwelling(qpv=False))
        a1 = add_candidacy(s, a, make_demande(s, children=0, monthly_income_cents=50_000), 1)
        a2 = add_candidacy(s, a, make_demande(s), 2)
        a3 = add_candidacy(s, a, make_demande(s), 3)
        _decide(s, a1.id, "attribution_rang", 1)
        _decide(s, a2.id, "attribution_rang", 2)
        _decide(s, a3.id, "non_attribution", reason_text="meilleur candidat retenu")

        b = _item(s, sitting.id, dwelling(qpv=True, address="2 rue Serpenoise",
                                          construction_year=1975),
                  reservataire_id=als.id, orientation_date=date(2026, 2, 20))
        b_demande = make_demande(s, monthly_income_cents=200_000,
                                 action_logement_employee=True)
        b_demande.members[1].birth_date = date(2020, 6, 1)
        b1 = add_candidacy(s, b, b_demande, 1)
        b1.added_by = "reservataire"
        b1.proposed_by_reservataire_id = als.id
        _decide(s, b1.id, "attribution")

        c = _item(s, sitting.id, dwelling(qpv=False), reservataire_id=etat.id,
                  orientation_date=date(2026, 2, 25))
        c1 = add_candidacy(s, c, make_demande(s, dalo=True), 1)
        c1.added_by = "reservataire"
        c1.proposed_by_reservataire_id = etat.id
        c2 = add_candidacy(s, c, make_demande(s, syplo_label=True), 2)
        _decide(s, c1.id, "attribution_rang", 1)
        _decide(s, c2.id, "attribution_rang", 2)

        d = _item(s, sitting.id, dwelling(qpv=None))
        d1 = add_candidacy(s, d, make_demande(s), 1)
        _decide(s, d1.id, "non_attribution", reason_text="typologie inadaptée")

        e = _item(s, sitting.id, dwelling(qpv=False))
        e_demande = make_demande(s)
        for resource in list(e_demande.resources):
            s.delete(resource)
        e1 = add_candidacy(s, e, e_demande, 1)
        e_decision = _decide(s, e1.id, "attribution")

        sitting.status = "closed"  # decided: frozen from now on
        later = make_session(s, commission, date=date(2026, 6, 10))
        f = _item(s, later.id, dwelling(qpv=False))
        f1 = add_candidacy(s, f, make_demande(s, children=0, monthly_income_cents=50_000), 1)
        s.flush()
        a_first = s.get(Decision, a1.decision.id if a1.decision else 0)
        assert a_first is not None
        ids = Ids(a_first.id, a2.id, c2.id, e_decision.id, f1.id)
        after = (a1.id, b1.id, c1.id, c2.id)
    # what followed the séance, through the session services
    record_lease_signed(engine, after[0], date(2026, 4, 1))
    record_lease_signed(engine, after[1], date(2026, 4, 15))
    record_refusal(engine, after[2], date(2026, 3, 20), "logement trop éloigné du travail")
    record_lease_signed(engine, after[3], date(2026, 5, 2))
    return ids
