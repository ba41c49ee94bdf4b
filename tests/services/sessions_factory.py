"""Small, hand-checkable reference data for the session service tests.

Commission "CALEOL Metz": six administrateurs, the mayor, the préfet's
representative and the EPCI president (casting vote) are deliberative (9 → quorum
5 with the default one half, rounded up); one réservataire member is consultative.

Dwelling terms (PLUS, zone autres régions): T3, rent 450 € + charges 80 € + energy
60 € = 590 €/month. The default household: a couple and one child earning 2 400 €
a month, revenu fiscal 20 000 € (PLUS 2026 category 3: 37 584 €), filed 1 June 2025.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import date, time

from sqlalchemy import Engine

from caleol.db.engine import session_scope
from caleol.db.models import (
    Commission,
    CommissionMember,
    Commune,
    Demande,
    DemandePriority,
    Department,
    Dwelling,
    Epci,
    HouseholdMember,
    Landlord,
    PriorityCriterion,
    Reason,
    Reservataire,
    Resource,
    WishedCommune,
)
from caleol.services import sessions as svc

SESSION_DATE = date(2026, 3, 10)
# The times a test confirms when closing that séance (on a later day: both required).
CLOSING = {"start_time": time(14, 0), "end_time": time(16, 10)}
COUPLE_WITH_CHILD = (("applicant", date(1989, 5, 2)), ("partner", date(1991, 8, 20)),
                     ("child", date(2019, 9, 1)))
_sequence = itertools.count(1)


@dataclass
class World:
    commission_id: int = 0
    member_ids: list[int] = field(default_factory=list)  # deliberative first, consultative last
    president_id: int = 0  # an administrateur
    casting_id: int = 0  # EPCI president
    commune_id: int = 0
    other_commune_id: int = 0
    action_logement_id: int = 0
    prefecture_id: int = 0
    reasons: dict[str, int] = field(default_factory=dict)
    criterion_id: int = 0


def build_world(engine: Engine) -> World:
    world = World()
    with session_scope(engine) as db:
        # documents are refused without a landlord (`letterheads.NO_LANDLORD`)
        db.add(Landlord(name="Habitat de Metz"))
        dept = Department(code="57", name="Moselle", abnormal_delay_months=18)
        epci = Epci(siren="200039865", name="Metz Métropole", has_plh_and_cil=True)
        db.add_all([dept, epci])
        db.flush()
        metz = Commune(insee_code="57463", name="Metz", postal_code="57000", epci_id=epci.id,
                       department_id=dept.id)
        woippy = Commune(insee_code="57751", name="Woippy", postal_code="57140",
                         epci_id=epci.id, department_id=dept.id)
        al = Reservataire(code="ALS", name="Action Logement Services", kind="action_logement")
        pref = Reservataire(code="ETAT", name="Préfecture de la Moselle",
                            kind="etat_prioritaires", proposal_delay_days=30)
        commission = Commission(code="MET", name="CALEOL Metz", remote_sessions_allowed=False)
        db.add_all([metz, woippy, al, pref, commission])
        db.flush()
        members = [
            CommissionMember(commission_id=commission.id, name=f"Administrateur {i}",
                             capacity="administrateur")
            for i in range(1, 6)
        ] + [
            CommissionMember(commission_id=commission.id, name="Représentante des locataires",
                             capacity="representant_locataires"),
            CommissionMember(commission_id=commission.id, name="Maire de Metz", capacity="maire"),
            CommissionMember(commission_id=commission.id, name="Représentant du préfet",
                             capacity="prefet"),
            CommissionMember(commission_id=commission.id, name="Président de l'EPCI",
                             capacity="president_epci", casting_vote=True),
            CommissionMember(commission_id=commission.id, name="Action Logement",
                             capacity="reservataire", deliberative=False, reservataire_id=al.id),
        ]
        db.add_all(members)
        reasons = {
            "mieux_classe": Reason(code="mieux_classe", kind="non_attribution",
                                   label="Un candidat mieux classé a été retenu"),
            "plafond": Reason(code="plafond", kind="irrecevabilite",
                              label="Ressources supérieures au plafond",
                              contradicts_check="ceiling"),
            "ressources": Reason(code="ressources", kind="non_attribution",
                                 label="Ressources insuffisantes", unlawful_alone=True),
        }
        db.add_all(reasons.values())
        criterion = PriorityCriterion(code="violences", label="Victime de violences conjugales",
                                      legal_reference="L441-1 e")
        db.add(criterion)
        db.flush()
        world.commission_id = commission.id or 0
        world.member_ids = [m.id or 0 for m in members]
        world.president_id = members[0].id or 0
        world.casting_id = members[8].id or 0
        world.commune_id = metz.id or 0
        world.other_commune_id = woippy.id or 0
        world.action_logement_id = al.id or 0
        world.prefecture_id = pref.id or 0
        world.reasons = {k: r.id or 0 for k, r in reasons.items()}
        world.criterion_id = criterion.id or 0
    return world


def add_dwelling_row(
    engine: Engine, world: World, *, typology: str = "T3", financing: str = "PLUS",
    rent_cents: int = 45_000, charges_cents: int = 8_000, energy_cents: int = 6_000,
    reservataire_id: int | None = None, commune_id: int | None = None,
) -> int:
    number = next(_sequence)
    with session_scope(engine) as db:
        dwelling = Dwelling(
            reference=f"MET-{number:04d}", address=f"{number} rue des Mineurs",
            commune_id=commune_id or world.commune_id, typology=typology, financing=financing,
            rent_cents=rent_cents, charges_cents=charges_cents, energy_cents=energy_cents,
            reservataire_id=reservataire_id, qpv=False, surface_dm2=6540,
        )
        db.add(dwelling)
        db.flush()
        return dwelling.id or 0


def add_demande_row(
    engine: Engine, world: World, *,
    members: tuple[tuple[str, date], ...] = COUPLE_WITH_CHILD,
    resources_cents: tuple[int, ...] = (240_000,),
    stable: bool = True,
    income: int | None = 20_000,
    dalo: bool = False,
    filing_date: date = date(2025, 6, 1),
    cotation: int | None = 100,
    wished_typologies: str = "T3",
    wished_commune_ids: tuple[int, ...] | None = None,
    max_rent_cents: int | None = None,
    action_logement: bool = False,
    priority: bool = False,
    surname: str | None = None,
    civility: str = "",
) -> int:
    number = next(_sequence)
    with session_scope(engine) as db:
        demande = Demande(
            nur=f"0572506{number:05d}A0001", filing_date=filing_date, department_code="057",
            applicant_civility=civility, applicant_surname=surname or f"Candidat{number}",
            applicant_first_names="Camille",
            reference_tax_income=income, reference_tax_income_year=2024, dalo=dalo,
            cotation_score=cotation, wished_typologies=wished_typologies,
            max_rent_cents=max_rent_cents, action_logement_employee=action_logement,
            city="Metz", postal_code="57000", address="1 place d'Armes",
        )
        db.add(demande)
        db.flush()
        for position, (role, birth) in enumerate(members):
            db.add(HouseholdMember(demande_id=demande.id, position=position, role=role,
                                   birth_date=birth))
        for cents in resources_cents:
            db.add(Resource(demande_id=demande.id, kind="salaire", monthly_cents=cents,
                            stable=stable))
        communes = (world.commune_id,) if wished_commune_ids is None else wished_commune_ids
        for position, commune_id in enumerate(communes):
            db.add(WishedCommune(demande_id=demande.id, commune_id=commune_id, position=position))
        if priority:
            db.add(DemandePriority(demande_id=demande.id, criterion_id=world.criterion_id))
        return demande.id or 0


@dataclass
class Sitting:
    world: World
    session_id: int
    item_id: int
    candidacies: list[int]  # in proposed rank order


def prepare(engine: Engine, *, candidates: int = 3, **demande: object) -> Sitting:
    world = build_world(engine)
    session_id = svc.create_session(engine, world.commission_id, SESSION_DATE, place="Metz")
    item_id = svc.add_dwelling(engine, session_id, add_dwelling_row(engine, world))
    candidacies = [
        svc.add_candidate(engine, item_id, add_demande_row(engine, world, **demande))  # type: ignore[arg-type]
        for _ in range(candidates)
    ]
    svc.mark_ready(engine, session_id)
    svc.start_session(engine, session_id)
    return Sitting(world, session_id, item_id, candidacies)


def attend(engine: Engine, sitting: Sitting, present: int) -> svc.QuorumView:
    changes = [svc.AttendanceChange(m, "present") for m in sitting.world.member_ids[:present]]
    return svc.record_attendance(engine, sitting.session_id, changes)


def held(engine: Engine, **demande: object) -> Sitting:
    sitting = prepare(engine, **demande)
    attend(engine, sitting, 5)
    svc.set_president(engine, sitting.session_id, sitting.world.president_id)
    return sitting
