"""Stored rows → the plain inputs of `caleol.rules` (household file, dwelling terms).

Conventions decided here:
* the examination date of a séance's checks is the séance date (dated rules use the
  values in force that day);
* monthly resources are the sum of the demande's resource rows; no row at all means
  "not supplied" (`None`, the solvency check is then `unknown`, never a pass);
  resources are stable only if every row is stable;
* the rent of the taux d'effort includes the annexes (garage, parking);
* the department of the délai anormalement long is the demande's (its NUR prefix
  when the column is empty); the préfet's thresholds stored on departments override
  the built-in ones (Moselle 18, Meurthe-et-Moselle 16 months);
* the ceiling table is the shipped one merged with the rows stored in the database
  (imported by the user), the stored rows winning on the same key.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from sqlmodel import Session, select

from caleol.db.models import CeilingRow, Demande, Department, Dwelling, HouseholdMember
from caleol.errors import ValidationError
from caleol.rules.ceilings import CeilingRow as RuleCeilingRow
from caleol.rules.ceilings import CeilingTable, Financing, Zone, shipped_ceiling_table
from caleol.rules.evaluation import DwellingTerms, HouseholdFile
from caleol.rules.household import Household, Member, Role, age_on
from caleol.rules.solvency import SolvencyPolicy
from caleol.rules.typology import Adaptation, Typology
from caleol.rules.waiting import ABNORMAL_DELAY_MONTHS, normalize_department
from caleol.settings import Settings

if TYPE_CHECKING:
    from caleol.services.sessions.rows import DemandeRow, DwellingRow, MemberRow

    # a loaded `Demande` or `Dwelling`, or the plain row `refresh_checks` reads with Core
    DemandeLike = Demande | DemandeRow
    DwellingLike = Dwelling | DwellingRow


@dataclass(frozen=True)
class RuleContext:
    """Everything the checks need besides the candidate and the dwelling."""

    on: date
    table: CeilingTable
    policy: SolvencyPolicy
    thresholds: Mapping[str, int]

    def key(self) -> tuple[Hashable, ...]:
        """Every value of the context the rules read, hashable: the memo of the checks
        (`checks_memo`) keeps its results under it, so a new table, policy or
        threshold is never answered with the old ones (the policy by its repr: its
        Decimals print in the snapshot, and 0.35 == 0.350)."""
        return (self.on, self.table, repr(self.policy),
                tuple(sorted(self.thresholds.items())))


def euros(cents: int | None) -> Decimal:
    """Exact euros with two places: 59000 → Decimal("590.00")."""
    return Decimal(cents or 0).scaleb(-2)


def ceiling_table(db: Session) -> CeilingTable:
    rows = [
        RuleCeilingRow(
            financing=Financing.parse(row.financing).table,
            zone=Zone.parse(row.zone),
            effective_from=row.effective_from,
            categories=(row.cat1, row.cat2, row.cat3, row.cat4, row.cat5, row.cat6),
            per_extra_person=row.per_extra,
            source=row.source,
        )
        for row in db.exec(select(CeilingRow)).all()
    ]
    return shipped_ceiling_table().merged(rows)


def delay_thresholds(db: Session) -> dict[str, int]:
    thresholds = dict(ABNORMAL_DELAY_MONTHS)
    for dept in db.exec(select(Department)).all():
        if dept.abnormal_delay_months is not None:
            thresholds[normalize_department(dept.code)] = dept.abnormal_delay_months
    return thresholds


def solvency_policy(settings: Settings) -> SolvencyPolicy:
    return SolvencyPolicy.from_max_effort_percent(settings.max_effort_rate_percent)


def rule_context(db: Session, on: date, settings: Settings) -> RuleContext:
    return RuleContext(on, ceiling_table(db), solvency_policy(settings), delay_thresholds(db))


def demande_department(demande: DemandeLike) -> str:
    return demande.department_code or demande.nur[:3]


def monthly_resources(demande: DemandeLike) -> Decimal | None:
    if not demande.resources:
        return None
    return sum((euros(r.monthly_cents) for r in demande.resources), Decimal(0))


# the roles by stored value: `Role(value)` goes through the enum machinery, a
# dict look-up does not (a séance's refresh reads a thousand members)
_ROLES: dict[str, Role] = {role.value: role for role in Role}


def household_of(demande: DemandeLike, on: date) -> Household:
    """The demande's household as the rules see it on `on`.

    Raises:
        ValidationError: unknown role, missing or impossible birth date, impossible
            composition (every problem listed).
    """
    members: list[Member] = []
    problems: list[str] = []
    rows: Sequence[HouseholdMember | MemberRow] = demande.members
    for index, row in enumerate(rows, start=1):
        role = _ROLES.get(row.role)
        if role is None:
            problems.append(f"membre {index} : rôle inconnu « {row.role} ».")
            continue
        if row.birth_date is None:
            problems.append(f"membre {index} ({role.label}) : date de naissance manquante.")
            continue
        try:
            age = age_on(row.birth_date, on)
        except ValidationError as exc:
            problems.append(f"membre {index} ({role.label}) : {exc.message}")
            continue
        members.append(Member(role, age, row.disabled, row.visiting_rights))
    if problems:
        raise ValidationError("Composition du ménage incomplète.", details=problems)
    return Household(tuple(members))


def household_file(demande: DemandeLike, household: Household) -> HouseholdFile:
    resources = demande.resources
    return HouseholdFile(
        household=household,
        monthly_resources=monthly_resources(demande),
        resources_stable=all(r.stable for r in resources),
        housing_aid=euros(demande.housing_aid_cents),
        reference_tax_income=demande.reference_tax_income,
        reference_tax_income_year=demande.reference_tax_income_year,
        tax_income_n1_requested=demande.tax_income_n1_requested,
        payment_guarantee=demande.payment_guarantee,
        dalo=demande.dalo,
        application_date=demande.filing_date,
        department=demande_department(demande),
    )


def dwelling_terms(dwelling: DwellingLike, adaptation: str | None = None) -> DwellingTerms:
    """Raises `ValidationError` for an unknown typology, financing, zone or adaptation."""
    zone = dwelling.commune.zone if dwelling.commune is not None else Zone.AUTRES_REGIONS.value
    return DwellingTerms(
        typology=Typology.parse(dwelling.typology),
        financing=Financing.parse(dwelling.financing),
        zone=Zone.parse(zone),
        rent=euros(dwelling.rent_cents + dwelling.annex_rent_cents),
        charges=euros(dwelling.charges_cents),
        energy=euros(dwelling.energy_cents),
        adaptations=(Adaptation.parse(adaptation),) if adaptation else (),
    )
