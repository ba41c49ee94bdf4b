"""Every check on every candidate, and the dated snapshot kept with the candidacy.

Two steps, so the rules run on plain records only (the fast path measured by
`benchmarks/bench_session_checks.py`):
1. `candidate_input` turns loaded rows into a `CandidateInput` (no database access);
2. `evaluate_inputs` runs `evaluate_candidate` on each and returns the JSON snapshots.

A candidate whose household or dwelling cannot be read (missing birth date, unknown
typology...) still gets a snapshot: the checks that need the missing data are
`unknown` with the reason, the others are computed. Never a silent pass.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.orm import selectinload
from sqlmodel import Session, col, select

from caleol.db.engine import session_scope
from caleol.db.models import (
    AgendaItem,
    Candidacy,
    Demande,
    DemandePriority,
    Dwelling,
    Reservataire,
)
from caleol.db.models.enums import SessionStatus
from caleol.db.typed import rel
from caleol.errors import ValidationError
from caleol.fr import format_decimal
from caleol.rules.evaluation import CHECK_NAMES, DwellingTerms, HouseholdFile, evaluate_candidate
from caleol.rules.household import Household
from caleol.rules.result import CheckResult, Status
from caleol.rules.waiting import check_waiting_time
from caleol.services.audit_writes import refuse_tampered_sources
from caleol.services.sessions.access import PREPARING, writable_session
from caleol.services.sessions.inputs import (
    RuleContext,
    demande_department,
    dwelling_terms,
    euros,
    household_file,
    household_of,
    monthly_resources,
    rule_context,
)
from caleol.settings import Settings

Snapshot = dict[str, dict[str, Any]]
NEEDS_HOUSEHOLD = ("ceiling", "solvency", "typology")


@dataclass(frozen=True)
class CandidateInput:
    """One candidate against one dwelling, as plain values (no ORM object)."""

    key: int
    filing_date: date
    department: str
    file: HouseholdFile | None
    file_problem: str
    terms: DwellingTerms | None
    terms_problem: str


def _problem_text(exc: ValidationError) -> str:
    return "; ".join([exc.message, *exc.details]) if exc.details else exc.message


def candidate_input(
    key: int, demande: Demande, dwelling: Dwelling, adaptation: str | None, on: date
) -> CandidateInput:
    """Plain input from loaded rows (members, resources, commune already loaded)."""
    file: HouseholdFile | None = None
    file_problem = terms_problem = ""
    terms: DwellingTerms | None = None
    try:
        file = household_file(demande, household_of(demande, on))
    except ValidationError as exc:
        file_problem = _problem_text(exc)
    try:
        terms = dwelling_terms(dwelling, adaptation)
    except ValidationError as exc:
        terms_problem = _problem_text(exc)
    return CandidateInput(
        key, demande.filing_date, demande_department(demande), file, file_problem, terms,
        terms_problem,
    )


def _unknown(name: str, problem: str) -> CheckResult:
    return CheckResult(
        name, Status.UNKNOWN, f"Contrôle impossible sur les données du dossier : {problem}", ""
    )


def evaluate_input(ctx: RuleContext, item: CandidateInput) -> Snapshot:
    """The JSON snapshot of every check (`CHECK_NAMES`) for one candidate."""
    if item.file is not None and item.terms is not None:
        results = evaluate_candidate(
            ctx.on, item.file, item.terms, ctx.table, ctx.policy, ctx.thresholds
        )
    else:
        problem = item.file_problem or item.terms_problem
        if item.file_problem and item.terms_problem:
            problem = f"{item.file_problem} ; logement : {item.terms_problem}"
        results = {name: _unknown(name, problem) for name in NEEDS_HOUSEHOLD}
        results["waiting_time"] = check_waiting_time(
            item.filing_date, ctx.on, item.department, ctx.thresholds
        )
    return {name: results[name].to_json() for name in CHECK_NAMES}


def evaluate_inputs(ctx: RuleContext, items: Iterable[CandidateInput]) -> dict[int, Snapshot]:
    return {item.key: evaluate_input(ctx, item) for item in items}


def applicant_name(demande: Demande) -> str:
    return " ".join(p for p in (demande.applicant_surname.upper(),
                                demande.applicant_first_names) if p).strip()


def household_summary(demande: Demande, on: date) -> dict[str, Any]:
    """What the minutes and the fiche candidat print of the household, frozen as seen."""
    household: Household | None
    try:
        household = household_of(demande, on)
    except ValidationError:
        household = None
    resources = monthly_resources(demande)
    address = "\n".join(
        p for p in (demande.address, f"{demande.postal_code} {demande.city}".strip()) if p
    )
    priorities = sorted(p.criterion.label for p in demande.priorities if p.criterion)
    return {
        "nur": demande.nur,
        "name": applicant_name(demande),
        # how the letters address the applicant: « Mme » and « Élodie MARTIN »
        "civility": demande.applicant_civility,
        "addressee": " ".join(p for p in (demande.applicant_first_names.strip(),
                                          demande.applicant_surname.strip().upper()) if p),
        "summary": household.summary() if household else "composition incomplète",
        "persons": household.persons if household else len(demande.members),
        "consumption_units": (
            format_decimal(household.consumption_units, 1) if household else None
        ),
        "monthly_resources": str(resources) if resources is not None else None,
        "resources_stable": all(r.stable for r in demande.resources),
        "housing_aid": str(euros(demande.housing_aid_cents)),
        "reference_tax_income": demande.reference_tax_income,
        "reference_tax_income_year": demande.reference_tax_income_year,
        "payment_guarantee": demande.payment_guarantee,
        "dalo": demande.dalo,
        "priorities": priorities,
        "cotation": demande.cotation_score,
        "filing_date": demande.filing_date.isoformat(),
        "action_logement_employee": demande.action_logement_employee,
        "postal_address": address,
        "examined_on": on.isoformat(),
    }


def dwelling_snapshot(dwelling: Dwelling, reservataire: Reservataire | None) -> dict[str, Any]:
    """What the minutes print of the dwelling, frozen as it was on the agenda."""
    return {
        "reference": dwelling.reference,
        "address": dwelling.address,
        "commune": dwelling.commune.name if dwelling.commune else "",
        "qpv": dwelling.qpv,
        "typology": dwelling.typology,
        "surface_dm2": dwelling.surface_dm2,
        "floor": dwelling.floor,
        "lift": dwelling.lift,
        "pmr": dwelling.pmr,
        "financing": dwelling.financing,
        "rent": str(euros(dwelling.rent_cents)),
        "annex_rent": str(euros(dwelling.annex_rent_cents)),
        "charges": str(euros(dwelling.charges_cents)),
        "energy": str(euros(dwelling.energy_cents)),
        "availability_date": (
            dwelling.availability_date.isoformat() if dwelling.availability_date else None
        ),
        "reservataire": reservataire.name if reservataire else "",
    }


def demande_loader() -> tuple[Any, ...]:
    """Eager loads of a demande's children: a handful of queries for any number of rows."""
    return (
        selectinload(rel(Demande.members)),
        selectinload(rel(Demande.resources)),
        selectinload(rel(Demande.priorities)).selectinload(rel(DemandePriority.criterion)),
    )


def snapshot_candidacies(
    db: Session, candidacies: list[Candidacy], ctx: RuleContext, taken_on: date
) -> None:
    """Evaluate and store the snapshot of each candidacy (rows loaded with their demande)."""
    items = []
    for candidacy in candidacies:
        item = candidacy.agenda_item
        assert item is not None and item.dwelling is not None and candidacy.demande is not None
        items.append(candidate_input(
            candidacy.id or 0, candidacy.demande, item.dwelling, candidacy.typology_adaptation,
            ctx.on,
        ))
    snapshots = evaluate_inputs(ctx, items)
    summaries = {c.id or 0: household_summary(c.demande, ctx.on) for c in candidacies
                 if c.demande is not None}
    changed = [c for c in candidacies
               if (c.checks_snapshot, c.household_summary) != (snapshots[c.id or 0],
                                                               summaries[c.id or 0])]
    refuse_tampered_sources(  # never copy a forgery into what the PV prints (issue 16)
        db, [c.demande_id for c in changed],
        [c.agenda_item.dwelling_id for c in changed if c.agenda_item is not None])
    for candidacy in candidacies:
        candidacy.checks_snapshot = snapshots[candidacy.id or 0]
        candidacy.checks_date = taken_on
        candidacy.household_summary = summaries[candidacy.id or 0]
        db.add(candidacy)


def load_session_candidacies(db: Session, session_id: int) -> list[AgendaItem]:
    """The séance's agenda with dwellings, candidacies and demandes, in few queries."""
    statement = (
        select(AgendaItem)
        .where(AgendaItem.session_id == session_id)
        .order_by(col(AgendaItem.position), col(AgendaItem.id))
        .options(
            selectinload(rel(AgendaItem.dwelling)).selectinload(rel(Dwelling.commune)),
            selectinload(rel(AgendaItem.candidacies)).selectinload(rel(Candidacy.demande))
            .options(*demande_loader()),
        )
        .execution_options(populate_existing=True)
    )
    return list(db.exec(statement).all())


def refresh_session_checks(
    db: Session, session_id: int, settings: Settings, taken_on: date | None = None
) -> int:
    """Re-run every check of the séance and store the snapshots; returns the count."""
    row = writable_session(db, session_id, (*PREPARING, SessionStatus.HELD),
                           "mettre à jour les contrôles")
    ctx = rule_context(db, row.date, settings)
    items = load_session_candidacies(db, session_id)
    reservataires = {r.id: r for r in db.exec(select(Reservataire)).all()}
    candidacies: list[Candidacy] = []
    for item in items:
        assert item.dwelling is not None
        snapshot = dwelling_snapshot(item.dwelling, reservataires.get(item.reservataire_id))
        if item.dwelling_snapshot != snapshot:
            refuse_tampered_sources(db, (), (item.dwelling_id,))
            item.dwelling_snapshot = snapshot
            db.add(item)
        candidacies.extend(item.candidacies)
    snapshot_candidacies(db, candidacies, ctx, taken_on or date.today())
    return len(candidacies)


def refresh_checks(
    engine: Engine, session_id: int, settings: Settings | None = None,
    taken_on: date | None = None,
) -> int:
    """Run every check on every candidate of a séance being prepared or held.

    The snapshot (results, household, dwelling) is what the minutes print, even if
    the demande changes afterwards. Returns the number of candidacies checked.

    Raises:
        FrozenError: the séance is closed or signed.
    """
    with session_scope(engine) as db:
        return refresh_session_checks(db, session_id, settings or Settings(), taken_on)
