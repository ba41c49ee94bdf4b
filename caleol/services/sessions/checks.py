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

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

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
from caleol.fr import format_decimal, paris_today
from caleol.rules.evaluation import CHECK_NAMES, DwellingTerms, HouseholdFile, evaluate_candidate
from caleol.rules.household import Household
from caleol.rules.result import CheckResult, Status
from caleol.rules.waiting import check_waiting_time
from caleol.services.audit_writes import refuse_tampered_sources
from caleol.services.sessions.access import PREPARING, writable_session
from caleol.services.sessions.checks_memo import MEMO, Evaluated
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
from caleol.services.sessions.rows import (
    CandidacyRow,
    DemandeRow,
    DwellingRow,
    agenda_dwelling_rows,
    candidacy_rows,
    same_json,
    session_demande_rows,
)
from caleol.settings import Settings

if TYPE_CHECKING:
    from caleol.services.sessions.inputs import DemandeLike, DwellingLike

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
    return input_of(key, demande, household_or_problem(demande, on),
                    terms_or_problem(dwelling, adaptation))


def household_or_problem(demande: DemandeLike, on: date) -> Household | str:
    """The household the rules see, or why it cannot be read (computed once per
    candidate: the checks and the household summary both need it)."""
    try:
        return household_of(demande, on)
    except ValidationError as exc:
        return _problem_text(exc)


def terms_or_problem(dwelling: DwellingLike, adaptation: str | None) -> DwellingTerms | str:
    """The dwelling's terms, or why they cannot be read (once per dwelling and adaptation)."""
    try:
        return dwelling_terms(dwelling, adaptation)
    except ValidationError as exc:
        return _problem_text(exc)


def input_of(key: int, demande: DemandeLike, household: Household | str,
             terms: DwellingTerms | str) -> CandidateInput:
    file: HouseholdFile | None = None
    file_problem = household if isinstance(household, str) else ""
    if not isinstance(household, str):
        try:
            file = household_file(demande, household)
        except ValidationError as exc:
            file_problem = _problem_text(exc)
    return CandidateInput(
        key, demande.filing_date, demande_department(demande), file, file_problem,
        None if isinstance(terms, str) else terms, terms if isinstance(terms, str) else "",
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


def applicant_name(demande: DemandeLike) -> str:
    return " ".join(p for p in (demande.applicant_surname.upper(),
                                demande.applicant_first_names) if p).strip()


def household_summary(demande: DemandeLike, on: date,
                      read: Household | str | None = None) -> dict[str, Any]:
    """What the minutes and the fiche candidat print of the household, frozen as seen
    (`read`: `household_or_problem`, when the caller already has it)."""
    if read is None:
        read = household_or_problem(demande, on)
    household = None if isinstance(read, str) else read
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


def dwelling_snapshot(dwelling: DwellingLike,
                      reservataire: Reservataire | str | None) -> dict[str, Any]:
    """What the minutes print of the dwelling, frozen as it was on the agenda
    (`reservataire`: the row, or its name as `rows.agenda_dwelling_rows` reads it)."""
    if not isinstance(reservataire, str):
        reservataire = reservataire.name if reservataire else ""
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
        "reservataire": reservataire,
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
    summaries: dict[int, dict[str, Any]] = {}
    for candidacy in candidacies:
        item, demande = candidacy.agenda_item, candidacy.demande
        assert item is not None and item.dwelling is not None and demande is not None
        household = household_or_problem(demande, ctx.on)  # once for checks and summary
        items.append(input_of(candidacy.id or 0, demande, household,
                              terms_or_problem(item.dwelling, candidacy.typology_adaptation)))
        summaries[candidacy.id or 0] = household_summary(demande, ctx.on, household)
    snapshots = evaluate_inputs(ctx, items)
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
    """Re-run every check of the séance and store the snapshots; returns the count.

    The candidacies and their demandes are read as plain rows (`rows`, one query per
    table); only the candidacies whose snapshot, household summary or date changes are
    loaded as objects and written, so a refresh that changes nothing writes nothing
    and leaves no audit entry (issue 19)."""
    row = writable_session(db, session_id, (*PREPARING, SessionStatus.HELD),
                           "mettre à jour les contrôles")
    ctx = rule_context(db, row.date, settings)
    db.flush()  # the rows below are read with Core: pending changes first
    dwellings: dict[int, DwellingRow] = {}
    for item in agenda_dwelling_rows(db, session_id):
        dwellings[item.id] = item.dwelling
        snapshot = dwelling_snapshot(item.dwelling, item.reservataire)
        if not same_json(item.dwelling_snapshot, json.dumps(snapshot)):
            refuse_tampered_sources(db, (), (item.dwelling.id,))
            stored = db.get(AgendaItem, item.id)
            assert stored is not None
            stored.dwelling_snapshot = snapshot
            db.add(stored)
    candidacies = candidacy_rows(db, session_id)
    demandes = session_demande_rows(db, session_id)
    _store_checks(db, candidacies, demandes, dwellings, ctx, taken_on or paris_today())
    return len(candidacies)


def _store_checks(
    db: Session, candidacies: list[CandidacyRow], demandes: dict[int, DemandeRow],
    dwellings: dict[int, DwellingRow], ctx: RuleContext, taken_on: date,
) -> None:
    """Evaluate every candidacy and write those whose stored values differ.

    The rules run only for a demande and dwelling terms not seen under this rule
    context (`checks_memo`); the stored snapshots are compared as stored text."""
    # each dwelling's terms once, with their repr for the memo's key: exact (a Decimal
    # 450.0 is == 450.00 but prints otherwise) and a string, hashed once
    terms: dict[tuple[int, str | None], tuple[DwellingTerms | str, str]] = {}
    contents: dict[int, tuple[Any, ...]] = {}
    memo = MEMO.scope(ctx.key())
    evaluated: dict[int, Evaluated] = {}
    for c in candidacies:
        demande = demandes[c.demande_id]
        key = (c.agenda_item_id, c.typology_adaptation)
        if key not in terms:
            read = terms_or_problem(dwellings[c.agenda_item_id], c.typology_adaptation)
            terms[key] = (read, repr(read))
        if c.demande_id not in contents:
            contents[c.demande_id] = demande.content_key()
        memo_key = (contents[c.demande_id], terms[key][1])
        found = memo.get(memo_key)
        if found is None:
            found = _evaluated(ctx, demande, terms[key][0])
            memo.put(memo_key, found)
        evaluated[c.id] = found
    changed = [c for c in candidacies
               if not (same_json(c.checks_snapshot, evaluated[c.id].checks)
                       and same_json(c.household_summary, evaluated[c.id].summary))]
    refuse_tampered_sources(  # never copy a forgery into what the PV prints (issue 16)
        db, [c.demande_id for c in changed],
        [dwellings[c.agenda_item_id].id for c in changed])
    written = {c.id for c in changed} | {c.id for c in candidacies if c.checks_date != taken_on}
    if not written:
        return
    for candidacy in db.exec(select(Candidacy).where(col(Candidacy.id).in_(sorted(written)))):
        found = evaluated[candidacy.id or 0]
        candidacy.checks_snapshot = json.loads(found.checks)  # a dict of its own
        candidacy.checks_date = taken_on
        candidacy.household_summary = json.loads(found.summary)
        db.add(candidacy)


def _evaluated(ctx: RuleContext, demande: DemandeRow, terms: DwellingTerms | str) -> Evaluated:
    """The checks and household summary of one candidate, as the JSON text stored."""
    household = household_or_problem(demande, ctx.on)  # once for checks and summary
    snapshot = evaluate_input(ctx, input_of(demande.id, demande, household, terms))
    summary = household_summary(demande, ctx.on, household)
    return Evaluated(json.dumps(snapshot), json.dumps(summary))


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
