"""Suggesting candidates for a dwelling: fit first, then priority, cotation, ancienneté.

Two stages, so 100 000 demandes stay fast:
1. SQL keeps the active demandes that can possibly fit: the dwelling's commune
   among the wished communes (the SNE requires at least one; this condition drives
   the query through the wished-commune index), typology wished (or no typology
   wish), a household size the charter table allows in that typology, maximum rent
   (charges included) not below rent + annexes + charges, a revenu fiscal de
   référence known and not above the largest ceiling of the financing (category 6
   + 3 persons), monthly resources high enough for the maximum taux d'effort;
2. the rules run on the remaining few hundred (loaded in a handful of queries):
   ceiling, solvency and typology must pass. A ceiling `unknown` only because the
   year's table is not loaded, or a solvency `unknown` only because the dwelling's
   energy is not estimated (it passes hors énergie), still suggests, with the
   warning in the reasons.

Order: the réservataire's own candidates first when the vacancy is oriented to one
(gestion en flux: Action Logement → employees; État prioritaires → DALO or priority
households), then DALO, a priority criterion (L441-1 CCH, PDALHPD, CIA), a délai
anormalement long, then the higher cotation, then the older demande. The cotation
is a decision aid: it orders the suggestions, it never decides.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, NamedTuple

from sqlalchemy import Engine, and_, exists, func, or_
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from caleol.db.engine import session_scope
from caleol.db.models import (
    AgendaItem,
    Candidacy,
    Commune,
    Demande,
    DemandePriority,
    Dwelling,
    HouseholdMember,
    Reservataire,
    Resource,
    WishedCommune,
)
from caleol.db.models.enums import DemandeStatus, ReservataireType
from caleol.errors import ValidationError
from caleol.fr import format_date, format_money, format_percent, paris_today
from caleol.rules.ceilings import Financing, Zone
from caleol.rules.household import Household
from caleol.rules.typology import BEYOND_TABLE, CHARTER_TABLE, Typology
from caleol.rules.waiting import abnormal_delay
from caleol.services.sessions.access import load_agenda_item, load_session
from caleol.services.sessions.checks import (
    applicant_name,
    evaluate_input,
    household_or_problem,
    input_of,
    terms_or_problem,
)
from caleol.services.sessions.inputs import (
    RuleContext,
    rule_context,
)
from caleol.services.sessions.records import Suggestion, SuggestionList
from caleol.services.sessions.rows import DemandeRow, demande_rows
from caleol.settings import Settings

EXTRA_PERSONS_BOUND = 3
DEFAULT_LIMIT = 50
LOAD_BATCH = 100  # demandes loaded at a time, in the order, until the limit is reached


def _income_bound(ctx: RuleContext, dwelling: Dwelling) -> int | None:
    try:
        financing = Financing.parse(dwelling.financing)
        zone = Zone.parse(dwelling.commune.zone if dwelling.commune else Zone.AUTRES_REGIONS)
    except ValidationError:
        return None
    row = ctx.table.row_for(financing, zone, ctx.on)
    return row.amount(6, EXTRA_PERSONS_BOUND) if row else None


def _persons_range(typology: str) -> tuple[int, int | None] | None:
    """Household sizes the charter table allows in this typology (None: no bound)."""
    try:
        wanted = Typology.parse(typology)
    except ValidationError:
        return None
    sizes = [size + 1 for size, allowed in enumerate(CHARTER_TABLE) if wanted in allowed]
    if wanted in BEYOND_TABLE:
        return (min(sizes, default=len(CHARTER_TABLE) + 1), None)
    return (min(sizes), max(sizes)) if sizes else None


class _Ranked(NamedTuple):
    """What orders a pre-filtered demande (read for thousands: plain values; a named
    tuple is built three times faster than a frozen dataclass)."""

    id: int
    dalo: bool
    priority: bool  # a priority criterion recorded
    employee: bool  # salarié (Action Logement)
    syplo: bool
    cotation: int | None
    filing_date: dt.date
    department: str


def _prefilter(
    db: Session, dwelling: Dwelling, ctx: RuleContext, settings: Settings,
    exclude_item_id: int | None,
) -> list[_Ranked]:
    rent_and_charges = dwelling.rent_cents + dwelling.annex_rent_cents + dwelling.charges_cents
    cost = rent_and_charges + dwelling.energy_cents
    resources = (
        select(func.coalesce(func.sum(Resource.monthly_cents), 0))
        .where(col(Resource.demande_id) == Demande.id).correlate(Demande).scalar_subquery()
    )
    conditions: list[Any] = [
        # coalesce: an expression, so SQLite reaches each wishing demande by its rowid
        # instead of through ix_demande_status (two lookups a row, ≈ 7 ms of 12 000)
        func.coalesce(col(Demande.status), "") == DemandeStatus.ACTIVE.value,
        or_(col(Demande.wished_typologies) == "",
            col(Demande.wished_typologies).like(f"%{dwelling.typology}%")),
        or_(col(Demande.max_rent_cents).is_(None), col(Demande.max_rent_cents) >= rent_and_charges),
        col(Demande.reference_tax_income).is_not(None),
        resources * settings.max_effort_rate_percent
        >= (cost - func.coalesce(Demande.housing_aid_cents, 0)) * 100,
    ]
    persons = _persons_range(dwelling.typology)
    if persons is not None:
        count = (
            select(func.count(col(HouseholdMember.id)))
            .where(col(HouseholdMember.demande_id) == Demande.id).correlate(Demande)
            .scalar_subquery()
        )
        low, high = persons
        conditions.append(count >= low if high is None else count.between(low, high))
    bound = _income_bound(ctx, dwelling)
    if bound is not None:
        conditions.append(col(Demande.reference_tax_income) <= bound)
    if dwelling.commune_id is not None:
        conditions.append(col(Demande.id).in_(
            select(WishedCommune.demande_id).where(WishedCommune.commune_id == dwelling.commune_id)
        ))
    if exclude_item_id is not None:
        conditions.append(~exists(select(Candidacy.id).where(and_(
            col(Candidacy.demande_id) == Demande.id,
            col(Candidacy.agenda_item_id) == exclude_item_id,
        ))))
    priority = exists(select(DemandePriority.id).where(
        col(DemandePriority.demande_id) == Demande.id))
    # SQLAlchemy's select: SQLModel's stops at four columns.
    statement = sa_select(
        col(Demande.id), col(Demande.dalo), priority, col(Demande.action_logement_employee),
        col(Demande.syplo_label), col(Demande.cotation_score), col(Demande.filing_date),
        col(Demande.department_code), col(Demande.nur),
    ).where(*conditions)
    return [_Ranked(r[0], bool(r[1]), bool(r[2]), bool(r[3]), bool(r[4]), r[5], r[6],
                    r[7] or r[8][:3])  # demande_department: the NUR's when not given
            for r in db.execute(statement).all()]


def _load(db: Session, ids: list[int], commune_name: str | None
          ) -> tuple[dict[int, DemandeRow], dict[int, int]]:
    """The demandes `ids` as plain rows (what the checks and the reasons read), and
    the vœu number of the dwelling's commune in each one's wishes.

    Why plain rows: building the ORM graphs of a hundred demandes (members, resources,
    priorities, wished communes) was a quarter of « Suggérer des candidats » on
    100 000 demandes (issue 19)."""
    rows = demande_rows(db, ids)
    wishes: dict[int, int] = {}
    if commune_name is not None:
        seen: dict[int, int] = {}
        for demande_id, name in db.execute(
            sa_select(col(WishedCommune.demande_id), col(Commune.name))
            .join(Commune, col(Commune.id) == col(WishedCommune.commune_id))
            .where(col(WishedCommune.demande_id).in_(ids))
            .order_by(col(WishedCommune.demande_id), col(WishedCommune.position),
                      col(WishedCommune.id))
        ):
            seen[demande_id] = seen.get(demande_id, 0) + 1
            if name == commune_name and demande_id not in wishes:
                wishes[demande_id] = seen[demande_id]
    return rows, wishes


_ACTION_LOGEMENT = ReservataireType.ACTION_LOGEMENT.value
_ETAT_PRIORITAIRES = ReservataireType.ETAT_PRIORITAIRES.value


@dataclass(frozen=True)
class _Contingent:
    """The réservataire's kind and name, read once (the order asks for thousands)."""

    kind: str
    name: str


def _contingent(reservataire: Reservataire | None) -> _Contingent | None:
    return None if reservataire is None else _Contingent(reservataire.kind, reservataire.name)


def _own(contingent: _Contingent | None, *, employee: bool, dalo: bool, syplo: bool,
         priority: bool) -> str:
    """Why the demande belongs to the réservataire's contingent ('' when it does not)."""
    if contingent is None:
        return ""
    if contingent.kind == _ACTION_LOGEMENT and employee:
        return f"Salarié relevant du contingent {contingent.name}"
    if contingent.kind == _ETAT_PRIORITAIRES and (dalo or syplo or priority):
        return f"Public prioritaire du contingent {contingent.name}"
    return ""


def _tier(dalo: bool, priority: bool, abnormally_long: bool) -> int:
    """0 DALO, 1 a priority criterion, 2 délai anormalement long, 3 the others."""
    if dalo:
        return 0
    if priority:
        return 1
    return 2 if abnormally_long else 3


def _order_keys(contingent: _Contingent | None, ctx: RuleContext
                ) -> Callable[[_Ranked], tuple[bool, int, int, dt.date, int]]:
    """The order of the suggestions, as a sort key (the délai anormalement long found
    once per filing day and département: thousands of demandes share a few hundred)."""
    abnormal = functools.cache(
        lambda filed, department: abnormal_delay(filed, ctx.on, department, ctx.thresholds))

    def key(ranked: _Ranked) -> tuple[bool, int, int, dt.date, int]:
        own = _own(contingent, employee=ranked.employee, dalo=ranked.dalo,
                   syplo=ranked.syplo, priority=ranked.priority)
        late = bool(abnormal(ranked.filing_date, ranked.department))
        cotation = ranked.cotation if ranked.cotation is not None else -1
        return (not own, _tier(ranked.dalo, ranked.priority, late), -cotation,
                ranked.filing_date, ranked.id)

    return key


def _suggestion(
    demande: DemandeRow, ranked: _Ranked, household: Household | str,
    checks: dict[str, dict[str, Any]], dwelling: Dwelling, contingent: _Contingent | None,
    wish: int | None,
) -> Suggestion | None:
    """The suggestion with its reasons, or None when a check fails (`wish`: the vœu
    number of the dwelling's commune among the demande's wished communes)."""
    ceiling, solvency, typology = checks["ceiling"], checks["solvency"], checks["typology"]
    energy_missing = (solvency["status"] == "unknown" and solvency.get("energy") is None
                      and solvency.get("effort_rate") is not None)
    if typology["status"] != "pass" or (solvency["status"] != "pass" and not energy_missing):
        return None
    missing_table = ceiling["status"] == "unknown" and ceiling.get("ceiling") is None
    if ceiling["status"] != "pass" and not missing_table:
        return None
    if isinstance(household, str):  # never here: the typology check needs the household
        return None
    waiting = checks["waiting_time"]
    criteria = sorted(p.criterion.label for p in demande.priorities if p.criterion)
    tier = _tier(demande.dalo, any(p.criterion for p in demande.priorities),
                 bool(waiting.get("abnormally_long")))
    own = _own(contingent, employee=demande.action_logement_employee, dalo=demande.dalo,
               syplo=ranked.syplo, priority=bool(demande.priorities))
    reasons: list[str] = []
    if own:
        reasons.append(own)
    if demande.dalo:
        reasons.append("Ménage reconnu prioritaire DALO")
    reasons += [f"Critère de priorité : {label}" for label in criteria]
    if waiting.get("abnormally_long"):
        reasons.append(
            f"Délai anormalement long : {waiting['months']} mois ≥ {waiting['threshold_months']}"
        )
    if demande.cotation_score is not None:
        reasons.append(f"Cotation : {demande.cotation_score} points")
    reasons.append(f"Demande déposée le {format_date(demande.filing_date)}")
    reasons.append(
        f"Typologie adaptée : {dwelling.typology} pour « {household.summary()} »"
    )
    if missing_table:
        reasons.append("Plafond de ressources non vérifiable : table de l'année non chargée")
    else:
        reasons.append(
            f"Plafond {dwelling.financing} respecté : "
            f"{format_money(ceiling['income'], places=0)} ≤ "
            f"{format_money(ceiling['ceiling'], places=0)}"
        )
    figures = (
        f"taux d'effort {format_percent(Decimal(solvency['effort_rate']))}, reste à "
        f"vivre {format_money(Decimal(solvency['remaining_per_day_per_unit']))}/jour/UC"
    )
    reasons.append(
        f"Solvabilité à confirmer, énergie non estimée : hors énergie, {figures}"
        if energy_missing else f"Solvable : {figures}"
    )
    if dwelling.commune is not None and wish is not None:
        reasons.append(f"Commune souhaitée : {dwelling.commune.name} (vœu n° {wish})")
    return Suggestion(
        demande_id=demande.id, nur=demande.nur, name=applicant_name(demande),
        household=household.summary(), priority_tier=tier, dalo=demande.dalo,
        cotation=demande.cotation_score, filing_date=demande.filing_date,
        reservataire_own=bool(own), reasons=tuple(reasons), checks=checks,
    )


def suggest_candidates(
    engine: Engine,
    *,
    agenda_item_id: int | None = None,
    dwelling_id: int | None = None,
    on: dt.date | None = None,
    today: dt.date | None = None,
    limit: int = DEFAULT_LIMIT,
    settings: Settings | None = None,
) -> SuggestionList:
    """Demandes that fit a dwelling, best first, each with its French reasons.

    Args:
        agenda_item_id: a dwelling on a séance's agenda (checks on the séance date,
            its candidates excluded, its réservataire orientation used); or
        dwelling_id: any dwelling (checks on `on`, default today).
        today: for the days left in the réservataire's proposal delay.
    """
    settings = settings or Settings()
    today = today or paris_today()
    with session_scope(engine) as db:
        item: AgendaItem | None = None
        if agenda_item_id is not None:
            item = load_agenda_item(db, agenda_item_id)
            dwelling_id = item.dwelling_id
            on = on or load_session(db, item.session_id).date
        if dwelling_id is None:
            raise ValidationError("Indiquez le logement pour lequel suggérer des candidats.")
        dwelling = db.get(Dwelling, dwelling_id)
        if dwelling is None:
            raise ValidationError(f"Logement n° {dwelling_id} introuvable.")
        ctx = rule_context(db, on or today, settings)
        reservataire_id = item.reservataire_id if item is not None else dwelling.reservataire_id
        reservataire = db.get(Reservataire, reservataire_id) if reservataire_id else None
        ranked = _prefilter(db, dwelling, ctx, settings, agenda_item_id)
        # Order first (plain values, cheap for thousands), then load and run the rules
        # in that order, a batch at a time, until `limit` fit.
        contingent = _contingent(reservataire)
        ranked.sort(key=_order_keys(contingent, ctx))
        terms = terms_or_problem(dwelling, None)
        commune_name = dwelling.commune.name if dwelling.commune is not None else None
        suggestions: list[Suggestion] = []
        for start in range(0, len(ranked), LOAD_BATCH):
            if len(suggestions) >= limit:
                break
            batch = ranked[start:start + LOAD_BATCH]
            loaded, wishes = _load(db, [r.id for r in batch], commune_name)
            for entry in batch:
                demande = loaded.get(entry.id)
                if demande is None:
                    continue
                if len(suggestions) >= limit:
                    break
                household = household_or_problem(demande, ctx.on)
                checks = evaluate_input(ctx, input_of(demande.id, demande, household, terms))
                suggestion = _suggestion(demande, entry, household, checks, dwelling,
                                         contingent, wishes.get(demande.id))
                if suggestion is not None:
                    suggestions.append(suggestion)
        delay = orientation = deadline = days_left = None
        if reservataire is not None:
            delay = reservataire.proposal_delay_days or settings.reservataire_delay_days
            orientation = item.orientation_date if item is not None else None
            if orientation is not None:
                deadline = orientation + dt.timedelta(days=delay)
                days_left = (deadline - today).days
        return SuggestionList(
            agenda_item_id=agenda_item_id, dwelling_id=dwelling_id,
            dwelling_reference=dwelling.reference, reservataire_id=reservataire_id,
            reservataire=reservataire.name if reservataire else "",
            proposal_delay_days=delay, orientation_date=orientation,
            proposal_deadline=deadline, days_left=days_left, prefiltered=len(ranked),
            suggestions=tuple(suggestions),
        )
