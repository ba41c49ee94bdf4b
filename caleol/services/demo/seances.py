"""Séances of the demo, made through the session services so they follow the workflow.

* a year of past séances with attributions and signed leases (indicator data);
* the showcase séance of the Metz commission, two weeks ago: decisions of every
  kind, a refusal passed to the next ranked candidate, an EOL review; closed (and
  signed when the minutes can be rendered);
* a séance ready to hold (three candidates per dwelling, or a recorded exception);
* a séance in preparation where one dwelling has two candidates and no exception:
  the three-candidate rule keeps it from being made ready.

Candidates are chosen with the same rules the services run (`evaluate_candidate`),
so the decisions match the checks the commission sees.
"""

from __future__ import annotations

import datetime as dt
import logging
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy import Engine

from caleol.db.models.enums import AttendanceStatus, ReviewMotive
from caleol.errors import ValidationError
from caleol.rules.ceilings import Financing, Zone
from caleol.rules.evaluation import DwellingTerms, HouseholdFile, evaluate_candidate
from caleol.rules.household import Household, Member, Role, age_on
from caleol.rules.result import Status
from caleol.rules.typology import Typology
from caleol.services import sessions
from caleol.services.demo.commissions import CommissionInfo
from caleol.services.demo.households import DemandeDraft
from caleol.settings import Settings

log = logging.getLogger(__name__)

SECRETARY = "Mme Sophie Lorentz, assistante de gestion locative"


@dataclass
class DwellingDraft:
    id: int
    row: dict[str, Any]
    agency: str


@dataclass
class Pool:
    """Vacant dwellings and active demandes not yet used by a séance, per agency."""

    rng: random.Random
    dwellings: dict[str, list[DwellingDraft]] = field(default_factory=dict)
    drafts: dict[str, list[DemandeDraft]] = field(default_factory=dict)
    reasons: dict[str, int] = field(default_factory=dict)
    used: set[int] = field(default_factory=set)

    def take_dwelling(
        self, agency: str, accept: Callable[[dict[str, Any]], bool] = lambda row: True
    ) -> DwellingDraft | None:
        for index, dwelling in enumerate(self.dwellings.get(agency, [])):
            if accept(dwelling.row):
                return self.dwellings[agency].pop(index)
        return None

    def candidates(
        self, agency: str, dwelling: DwellingDraft, on: dt.date, count: int,
        accept: Callable[[DemandeDraft, tuple[str, ...]], bool],
    ) -> list[tuple[DemandeDraft, tuple[str, ...]]]:
        """Up to `count` unused demandes of the agency accepted on their failed checks."""
        found: list[tuple[DemandeDraft, tuple[str, ...]]] = []
        pool = self.drafts.get(agency, [])
        start = self.rng.randrange(len(pool)) if pool else 0
        for offset in range(len(pool)):
            draft = pool[(start + offset) % len(pool)]
            if draft.id in self.used or draft.row["filing_date"] > on - dt.timedelta(days=20):
                continue
            if dwelling.row["typology"] not in draft.row["wished_typologies"].split(","):
                continue
            failed = failed_checks(draft, dwelling.row, on)
            if failed is None or not accept(draft, failed):
                continue
            found.append((draft, failed))
            self.used.add(draft.id)  # type: ignore[arg-type]
            if len(found) == count:
                break
        return found


def failed_checks(draft: DemandeDraft, dwelling: dict[str, Any], on: dt.date
                  ) -> tuple[str, ...] | None:
    """Names of the checks the candidate fails on `on`; None if the household is not born yet."""
    members = []
    for member in draft.members:
        if member["birth_date"] > on:
            return None
        members.append(Member(Role(member["role"]), age_on(member["birth_date"], on),
                              member["disabled"], member["visiting_rights"]))
    try:
        household = Household(tuple(members))
    except ValidationError:  # e.g. an adult member still a minor on `on`
        return None
    file = HouseholdFile(
        household=household,
        monthly_resources=Decimal(draft.monthly_cents) / 100,
        resources_stable=draft.stable,
        housing_aid=Decimal(draft.row["housing_aid_cents"] or 0) / 100,
        reference_tax_income=draft.row["reference_tax_income"],
        payment_guarantee=draft.row["payment_guarantee"],
        dalo=draft.row["dalo"],
        application_date=draft.row["filing_date"],
        department=draft.row["department_code"],
    )
    terms = DwellingTerms(
        typology=Typology.parse(dwelling["typology"]),
        financing=Financing.parse(dwelling["financing"]),
        zone=Zone.AUTRES_REGIONS,
        rent=Decimal(dwelling["rent_cents"] + dwelling["annex_rent_cents"]) / 100,
        charges=Decimal(dwelling["charges_cents"]) / 100,
        energy=Decimal(dwelling["energy_cents"]) / 100,
    )
    results = evaluate_candidate(on, file, terms)
    return tuple(name for name, result in results.items() if result.status is Status.FAIL)


def passing(_draft: DemandeDraft, failed: tuple[str, ...]) -> bool:
    return not failed


def anyone(_draft: DemandeDraft, _failed: tuple[str, ...]) -> bool:
    return True


def over_ceiling(_draft: DemandeDraft, failed: tuple[str, ...]) -> bool:
    return "ceiling" in failed


@dataclass
class Planned:
    """A dwelling on an agenda and its candidates in rank order."""

    dwelling: DwellingDraft
    candidates: list[tuple[DemandeDraft, tuple[str, ...]]]
    exception: str | None = None
    justification: str = ""
    candidacy_ids: list[int] = field(default_factory=list)


def _prepare(engine: Engine, info: CommissionInfo, on: dt.date, plan: list[Planned],
             *, remote: bool = False) -> int:
    session_id = sessions.create_session(
        engine, info.id, on, place="" if remote else info.place,
        kind="remote" if remote else "physical", start_time=dt.time(14, 0),
        secretary_name=SECRETARY,
    )
    for planned in plan:
        item_id = sessions.add_dwelling(
            engine, session_id, planned.dwelling.id,
            orientation_date=on - dt.timedelta(days=21),
        )
        for draft, _failed in planned.candidates:
            planned.candidacy_ids.append(sessions.add_candidate(engine, item_id, draft.id))
        if planned.exception:
            sessions.set_candidate_exception(engine, item_id, planned.exception,
                                             planned.justification)
    return session_id


def _hold(engine: Engine, info: CommissionInfo, session_id: int, rng: random.Random) -> None:
    sessions.mark_ready(engine, session_id)
    absent = rng.choice(info.deliberative_ids[1:5])
    changes = []
    for member_id in info.member_ids:
        if member_id == absent:
            changes.append(sessions.AttendanceChange(member_id, AttendanceStatus.ABSENT.value))
        else:
            changes.append(sessions.AttendanceChange(member_id, AttendanceStatus.PRESENT.value))
    sessions.record_attendance(engine, session_id, changes)
    sessions.set_president(engine, session_id, info.president_id)
    sessions.start_session(engine, session_id)


def _decide_standard(engine: Engine, pool: Pool, planned: Planned) -> list[int]:
    """Ranks for the candidates passing every check, a reasoned refusal for the others.

    Returns the candidacy ids attributed, in rank order.
    """
    passing_ids = [cid for cid, (_d, failed) in zip(planned.candidacy_ids, planned.candidates,
                                                    strict=True) if not failed]
    for candidacy_id, (_draft, failed) in zip(planned.candidacy_ids, planned.candidates,
                                              strict=True):
        if "ceiling" in failed:
            sessions.record_decision(engine, candidacy_id, "irrecevabilite",
                                     reason_id=pool.reasons["PLAFOND"])
        elif failed:
            code = "INADAPTE" if "typology" in failed else "SOLVABILITE"
            sessions.record_decision(engine, candidacy_id, "non_attribution",
                                     reason_id=pool.reasons[code])
        elif len(passing_ids) == 1:
            sessions.record_decision(engine, candidacy_id, "attribution")
        else:
            sessions.record_decision(engine, candidacy_id, "attribution_rang",
                                     rank=passing_ids.index(candidacy_id) + 1)
    return passing_ids


def _plan_dwelling(pool: Pool, agency: str, on: dt.date, count: int,
                   accept: Callable[[DemandeDraft, tuple[str, ...]], bool] = passing,
                   dwelling_accept: Callable[[dict[str, Any]], bool] = lambda row: True,
                   ) -> Planned | None:
    dwelling = pool.take_dwelling(agency, dwelling_accept)
    if dwelling is None:
        return None
    found = pool.candidates(agency, dwelling, on, count, accept)
    if len(found) < count:
        pool.used.difference_update(d.id for d, _ in found)  # type: ignore[misc]
        return None
    return Planned(dwelling, found)


def _ordinary(row: dict[str, Any]) -> bool:
    return row["financing"] in ("PLUS", "PLAI", "PLS") and row["typology"] in (
        "T1", "T2", "T3", "T4"
    )


@dataclass
class DemoSessions:
    history: list[int] = field(default_factory=list)
    signed: int | None = None
    ready: int | None = None
    preparing: int | None = None
    blocked_dwelling: str = ""
    leases: int = 0


def build_history(engine: Engine, pool: Pool, infos: dict[str, CommissionInfo],
                  today: dt.date, months: int, out: DemoSessions, settings: Settings,
                  per_month: int = 1) -> None:
    """Monthly past séances, commissions in turn, each followed by signed leases."""
    rng = pool.rng
    agencies = list(infos)
    for month in range(months, 0, -1):
        on = today - dt.timedelta(days=30 * month + rng.randint(0, 5))
        for turn in range(per_month):
            agency = agencies[(month * per_month + turn) % len(agencies)]
            plan = [p for p in (
                _plan_dwelling(pool, agency, on, 3, anyone, _ordinary) for _ in range(3)
            ) if p is not None and any(not f for _d, f in p.candidates)]
            if not plan:
                continue
            session_id = _prepare(engine, infos[agency], on, plan)
            _hold(engine, infos[agency], session_id, rng)
            attributed = [_decide_standard(engine, pool, planned) for planned in plan]
            sessions.close_session(engine, session_id, settings, backup=False)
            out.history.append(session_id)
            for ranked in attributed:
                if not ranked:
                    continue
                lease_day = on + dt.timedelta(days=rng.randint(12, 25))
                if len(ranked) > 1 and rng.random() < 0.2:
                    sessions.record_refusal(engine, ranked[0], on + dt.timedelta(days=6),
                                            "Le candidat a trouvé un logement dans le parc privé.")
                    sessions.record_lease_signed(engine, ranked[1], lease_day)
                else:
                    sessions.record_lease_signed(engine, ranked[0], lease_day)
                out.leases += 1


def build_showcase(engine: Engine, pool: Pool, infos: dict[str, CommissionInfo],
                   today: dt.date, out: DemoSessions, settings: Settings) -> None:
    """The three séances of the Metz commission the secretary works on this week."""
    rng = pool.rng
    info = infos["METZ"]
    # -- past séance, two weeks ago -------------------------------------------------
    on = today - dt.timedelta(days=14)
    ranked = _plan_dwelling(pool, "METZ", on, 3, passing, _ordinary)
    mixed = _plan_dwelling(pool, "METZ", on, 2, passing, _ordinary)
    irrecevable = None
    if mixed is not None:
        irrecevable = pool.candidates("METZ", mixed.dwelling, on, 1, over_ceiling)
        mixed.candidates += irrecevable
    conditional = _plan_dwelling(pool, "METZ", on, 3, passing, _ordinary)
    adapted = _plan_dwelling(pool, "METZ", on, 1, passing,
                             lambda row: row["financing"] == "PLAI adapté")
    if adapted is not None:
        adapted.exception = "plai_adapte"
    plan = [p for p in (ranked, mixed, conditional, adapted) if p is not None]
    session_id = _prepare(engine, info, on, plan)
    _hold(engine, info, session_id, rng)
    for planned in plan:
        if planned is conditional:
            first, *others = planned.candidacy_ids
            sessions.record_decision(
                engine, first, "attribution_sous_condition",
                condition="Avis d'imposition de l'année n-2 du conjoint",
                deadline=on + dt.timedelta(days=10),
            )
            for other in others:
                sessions.record_decision(engine, other, "non_attribution",
                                         reason_id=pool.reasons["MIEUX_CLASSE"])
        elif planned is mixed:
            first, second, *rest = planned.candidacy_ids
            sessions.record_decision(engine, first, "attribution")
            sessions.record_decision(engine, second, "non_attribution",
                                     reason_id=pool.reasons["MIEUX_CLASSE"])
            for other in rest:
                sessions.record_decision(engine, other, "irrecevabilite",
                                         reason_id=pool.reasons["PLAFOND"])
        else:
            _decide_standard(engine, pool, planned)
    sessions.record_occupation_review(
        engine, session_id, ReviewMotive.SOUS_OCCUPATION.value,
        tenant_reference="LOC-0457311", tenant_name="M. et Mme Haag",
        opinion="Avis favorable à une proposition de T3 dans le même quartier.",
        proposal="Mutation vers un T3 avec ascenseur, résidence du Parc.",
    )
    sessions.close_session(engine, session_id, settings, backup=False)
    out.signed = session_id
    if ranked is not None:
        sessions.record_refusal(engine, ranked.candidacy_ids[0], on + dt.timedelta(days=5),
                                "Logement trop éloigné de l'école des enfants.")
        sessions.record_lease_signed(engine, ranked.candidacy_ids[1], today - dt.timedelta(days=2))
        out.leases += 1
    if mixed is not None:
        sessions.record_lease_signed(engine, mixed.candidacy_ids[0], today - dt.timedelta(days=3))
        out.leases += 1

    # -- séance ready to hold, in three days -----------------------------------------
    on = today + dt.timedelta(days=3)
    plan = [p for p in (_plan_dwelling(pool, "METZ", on, 3, passing, _ordinary)
                        for _ in range(3)) if p is not None]
    dalo = _plan_dwelling(pool, "METZ", on, 1, lambda d, f: d.row["dalo"] and not f, _ordinary)
    if dalo is not None:
        dalo.exception = "dalo"
        plan.append(dalo)
    session_id = _prepare(engine, info, on, plan)
    sessions.mark_ready(engine, session_id)
    out.ready = session_id

    # -- séance in preparation, in ten days: one dwelling blocked ---------------------
    on = today + dt.timedelta(days=10)
    plan = [p for p in (_plan_dwelling(pool, "METZ", on, 3, passing, _ordinary)
                        for _ in range(2)) if p is not None]
    # no DALO candidate: a DALO household would be a lawful ground for fewer than three
    blocked = _plan_dwelling(pool, "METZ", on, 2, lambda d, f: not f and not d.row["dalo"],
                             _ordinary)
    if blocked is not None:
        plan.append(blocked)
        out.blocked_dwelling = blocked.dwelling.row["reference"]
    out.preparing = _prepare(engine, info, on, plan, remote=True)
    if not sessions.ready_problems(engine, out.preparing):  # pragma: no cover
        log.warning("the demo séance in preparation passes the three-candidate rule")
