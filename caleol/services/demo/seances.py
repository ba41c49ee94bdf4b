"""Séances of the demo, made through the session services so they follow the workflow.

* a year of past séances with attributions and signed leases (indicator data);
* the showcase séance of the Metz commission, two weeks ago: decisions of every
  kind, a refusal passed to the next ranked candidate, a tie settled by the casting
  vote, an EOL review; closed (and signed when the minutes can be rendered);
* a séance ready to hold, this week (today when today is a working day): three
  candidates per dwelling, or a recorded exception;
* a séance in preparation where one dwelling has two candidates and no exception:
  the three-candidate rule keeps it from being made ready.

Candidates are chosen with the same rules the services run (`evaluate_candidate`),
so the decisions match the checks the commission sees; an attribution against a
check the rules cannot settle (a PLAI ceiling: no table after 2022 is shipped) is
justified. Every séance falls on a working day of its département
(`rules.calendar`), is opened on its day at 14 h and closed with confirmed times
that same afternoon, and every decision states its vote.
"""

from __future__ import annotations

import datetime as dt
import logging
import random
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Engine

from caleol.db.engine import session_scope
from caleol.db.models import Candidacy
from caleol.db.models.enums import AttendanceStatus, ReviewMotive
from caleol.fr import PARIS
from caleol.rules.calendar import working_day_on_or_before
from caleol.rules.ceilings import Financing
from caleol.rules.decisions import DecisionKind, justification_grounds
from caleol.services import sessions
from caleol.services.demo.commissions import CommissionInfo
from caleol.services.demo.households import DemandeDraft
from caleol.services.demo.pool import (
    DwellingDraft,
    Pool,
    anyone,
    over_ceiling,
    passing,
)
from caleol.services.demo.territory import AGENCIES
from caleol.settings import Settings

log = logging.getLogger(__name__)

SECRETARY = "Mme Sophie Lorentz, assistante de gestion locative"
AGENCY_DEPARTMENT = {code: department for code, _name, _address, department in AGENCIES}


@dataclass
class Planned:
    """A dwelling on an agenda and its candidates in rank order."""

    dwelling: DwellingDraft
    candidates: list[tuple[DemandeDraft, tuple[str, ...]]]
    exception: str | None = None
    justification: str = ""
    candidacy_ids: list[int] = field(default_factory=list)


# Paris times, made aware where they become instants (`_paris`): the instants stored
# are the same whatever zone the computer building the demo is set to
OPENING = dt.time(14, 0)
DECIDED = dt.time(14, 30)  # decisions are recorded during the séance
NOTICE_JUSTIFICATION = ("Avis d'imposition de l'année retenue présenté en séance : revenu "
                        "fiscal de référence inférieur au plafond.")
JUSTIFICATIONS = {
    "solvency": "Ressources vérifiées en séance sur les justificatifs : charge de logement "
                "supportable.",
    "typology": "Composition du ménage vérifiée en séance : logement adapté.",
}


def seance_day(day: dt.date, agency: str) -> dt.date:
    """The working day on or before `day` in the agency's département."""
    return working_day_on_or_before(day, AGENCY_DEPARTMENT[agency])


def _prepare(engine: Engine, info: CommissionInfo, on: dt.date, plan: list[Planned],
             *, remote: bool = False) -> int:
    session_id = sessions.create_session(
        engine, info.id, on, place="" if remote else info.place,
        kind="remote" if remote else "physical", start_time=OPENING,
        secretary_name=SECRETARY,
    )
    for planned in plan:
        item_id = sessions.add_dwelling(
            engine, session_id, planned.dwelling.id,
            orientation_date=on - dt.timedelta(days=21),
        )
        for draft, _failed in planned.candidates:
            assert draft.id is not None  # inserted before the séances are made
            planned.candidacy_ids.append(sessions.add_candidate(engine, item_id, draft.id))
        if planned.exception:
            sessions.set_candidate_exception(engine, item_id, planned.exception,
                                             planned.justification)
    return session_id


def _hold(engine: Engine, info: CommissionInfo, session_id: int, rng: random.Random,
          on: dt.date) -> None:
    """Ready, attendance (one deliberative member absent), president, opened at 14 h."""
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
    sessions.start_session(engine, session_id, now=_paris(on, OPENING))


def _close(engine: Engine, session_id: int, on: dt.date, minutes: int,
           settings: Settings) -> None:
    """Closed that afternoon, `minutes` after the opening, with the times confirmed."""
    end = _paris(on, OPENING) + dt.timedelta(minutes=minutes)
    sessions.close_session(engine, session_id, settings, backup=False, start_time=OPENING,
                           end_time=end.time(), now=end + dt.timedelta(minutes=3))


def decide(on: dt.date, engine: Engine, candidacy_id: int, kind: str, **fields: Any) -> None:
    """A decision taken during the séance of `on`, recorded then (`decided_at`)."""
    sessions.record_decision(engine, candidacy_id, kind, **fields,
                             now=_paris(on, DECIDED))


def _paris(on: dt.date, at: dt.time) -> dt.datetime:
    """The instant of `at` o'clock in Paris on `on` (winter or summer time as it falls)."""
    return dt.datetime.combine(on, at, tzinfo=PARIS)


def vote_of(rng: random.Random, counted: int) -> dict[str, Any]:
    """The vote of a demo decision: mostly unanimous, sometimes a count."""
    if rng.random() < 0.7:
        return {"unanimous": True}
    against = rng.randint(1, 2)
    abstain = rng.randint(0, 1)
    return {"votes": (counted - against - abstain, against, abstain)}


def justification_for(engine: Engine, candidacy_id: int) -> str:
    """Why an attribution stands against the checks failed or unknown in the snapshot
    the commission sees and the PV prints ("" if none): one sentence per check, each
    answering that check's own reason (never a PLAI scale for a PLUS dwelling)."""
    with session_scope(engine) as db:
        candidacy = db.get(Candidacy, candidacy_id)
        snapshot = dict(candidacy.checks_snapshot or {}) if candidacy else {}
    statuses = {name: str(check.get("status")) for name, check in snapshot.items()}
    grounds = justification_grounds(DecisionKind.ATTRIBUTION, statuses)
    return " ".join(answer(g.check, snapshot.get(g.check) or {}) for g in grounds)


def answer(check: str, result: Mapping[str, Any]) -> str:
    """The demo commission's sentence for a check the rules could not settle."""
    if check != "ceiling":
        return JUSTIFICATIONS[check]
    if result.get("ceiling") is None:  # no ceiling table loaded for this financing, year
        table = Financing.parse(str(result.get("financing"))).table.value
        return (f"Barème {table} {result.get('year')} non chargé dans l'application : "
                "plafond vérifié par le service sur l'arrêté de revalorisation en vigueur, "
                "respecté.")
    return NOTICE_JUSTIFICATION  # the ceiling is known: the tax notice could not be read


def _decide_standard(engine: Engine, pool: Pool, planned: Planned, on: dt.date,
                     counted: int) -> list[int]:
    """Ranks for the candidates passing every check, a reasoned refusal for the others.

    Returns the candidacy ids attributed, in rank order.
    """
    passing_ids = [cid for cid, (_d, failed) in zip(planned.candidacy_ids, planned.candidates,
                                                    strict=True) if not failed]
    for candidacy_id, (_draft, failed) in zip(planned.candidacy_ids, planned.candidates,
                                              strict=True):
        vote = vote_of(pool.rng, counted)
        if "ceiling" in failed:
            decide(on, engine, candidacy_id, "irrecevabilite",
                                     reason_id=pool.reasons["PLAFOND"], **vote)
        elif failed:
            code = "INADAPTE" if "typology" in failed else "SOLVABILITE"
            decide(on, engine, candidacy_id, "non_attribution",
                                     reason_id=pool.reasons[code], **vote)
        elif len(passing_ids) == 1:
            decide(on, engine, candidacy_id, "attribution",
                                     justification=justification_for(engine, candidacy_id), **vote)
        else:
            decide(on, engine, candidacy_id, "attribution_rang",
                                     rank=passing_ids.index(candidacy_id) + 1,
                                     justification=justification_for(engine, candidacy_id), **vote)
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
        pool.used.difference_update(d.id for d, _ in found if d.id is not None)
        return None
    return Planned(dwelling, found)


def _mixed_dwelling(pool: Pool, on: dt.date, tries: int = 5) -> Planned | None:
    """Two candidates passing every check and one over the ceiling (an irrecevabilité).

    A PLAI ceiling cannot be exceeded in the demo (no PLAI table after 2022: the check
    is unknown), so the dwelling is PLUS or PLS; a dwelling without a candidate over
    its ceiling is given up for the next one.
    """
    for _ in range(tries):
        mixed = _plan_dwelling(pool, "METZ", on, 2, passing,
                               lambda row: _ordinary(row) and row["financing"] != "PLAI")
        if mixed is None:
            return None
        over = pool.candidates("METZ", mixed.dwelling, on, 1, over_ceiling)
        if over:
            mixed.candidates += over
            return mixed
        pool.used.difference_update(d.id for d, _ in mixed.candidates if d.id is not None)
    return None


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
        day = today - dt.timedelta(days=30 * month + rng.randint(0, 5))
        for turn in range(per_month):
            agency = agencies[(month * per_month + turn) % len(agencies)]
            on = seance_day(day, agency)
            plan = [p for p in (
                _plan_dwelling(pool, agency, on, 3, anyone, _ordinary) for _ in range(3)
            ) if p is not None and any(not f for _d, f in p.candidates)]
            if not plan:
                continue
            info = infos[agency]
            session_id = _prepare(engine, info, on, plan)
            _hold(engine, info, session_id, rng, on)
            counted = len(info.deliberative_ids) - 1
            attributed = [_decide_standard(engine, pool, planned, on, counted)
                          for planned in plan]
            _close(engine, session_id, on, 25 * len(plan) + rng.randint(0, 20), settings)
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
    on = seance_day(today - dt.timedelta(days=14), "METZ")
    ranked = _plan_dwelling(pool, "METZ", on, 3, passing, _ordinary)
    mixed = _mixed_dwelling(pool, on)
    conditional = _plan_dwelling(pool, "METZ", on, 3, passing, _ordinary)
    adapted = _plan_dwelling(pool, "METZ", on, 1, passing,
                             lambda row: row["financing"] == "PLAI adapté")
    if adapted is not None:
        adapted.exception = "plai_adapte"
    plan = [p for p in (ranked, mixed, conditional, adapted) if p is not None]
    session_id = _prepare(engine, info, on, plan)
    _hold(engine, info, session_id, rng, on)
    counted = len(info.deliberative_ids) - 1
    for planned in plan:
        if planned is conditional:
            first, *others = planned.candidacy_ids
            decide(
                on, engine, first, "attribution_sous_condition",
                condition="Avis d'imposition de l'année n-2 du conjoint",
                deadline=on + dt.timedelta(days=10),
                justification=justification_for(engine, first), votes=(counted - 1, 1, 0),
            )
            for other in others:
                decide(on, engine, other, "non_attribution",
                                         reason_id=pool.reasons["MIEUX_CLASSE"], unanimous=True)
        elif planned is mixed:
            first, second, *rest = planned.candidacy_ids
            # a tie (half for, half against) settled by the casting vote of its holder
            half = counted // 2
            decide(on, engine, first, "attribution",
                                     justification=justification_for(engine, first),
                                     votes=(half, half, counted - 2 * half),
                                     casting_vote_used=True)
            decide(on, engine, second, "non_attribution",
                                     reason_id=pool.reasons["MIEUX_CLASSE"], unanimous=True)
            for other in rest:
                decide(on, engine, other, "irrecevabilite",
                                         reason_id=pool.reasons["PLAFOND"], unanimous=True)
        else:
            _decide_standard(engine, pool, planned, on, counted)
    sessions.record_occupation_review(
        engine, session_id, ReviewMotive.SOUS_OCCUPATION.value,
        tenant_reference="LOC-0457311", tenant_name="M. et Mme Haag",
        opinion="Avis favorable à une proposition de T3 dans le même quartier.",
        proposal="Mutation vers un T3 avec ascenseur, résidence du Parc.",
    )
    _close(engine, session_id, on, 95, settings)
    out.signed = session_id
    if ranked is not None:
        sessions.record_refusal(engine, ranked.candidacy_ids[0], on + dt.timedelta(days=5),
                                "Logement trop éloigné de l'école des enfants.")
        sessions.record_lease_signed(engine, ranked.candidacy_ids[1], today - dt.timedelta(days=2))
        out.leases += 1
    if mixed is not None:
        sessions.record_lease_signed(engine, mixed.candidacy_ids[0], today - dt.timedelta(days=3))
        out.leases += 1

    # -- séance ready to hold, this week (today, or the last working day) -------------
    on = seance_day(today, "METZ")
    plan = [p for p in (_plan_dwelling(pool, "METZ", on, 3, passing, _ordinary)
                        for _ in range(3)) if p is not None]
    dalo = _plan_dwelling(pool, "METZ", on, 1, lambda d, f: d.row["dalo"] and not f, _ordinary)
    if dalo is not None:
        dalo.exception = "dalo"
        plan.append(dalo)
    session_id = _prepare(engine, info, on, plan)
    sessions.mark_ready(engine, session_id)
    out.ready = session_id

    # -- séance in preparation, in about ten days: one dwelling blocked --------------
    on = seance_day(today + dt.timedelta(days=10), "METZ")
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
