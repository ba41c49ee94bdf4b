"""The demo's pool of vacant dwellings and active demandes, and the candidates it picks.

Candidates are picked on the checks the services will run (`evaluate_candidate`,
same shipped ceiling table), so every decision of the demo matches the checks the
commission sees. A household picked for a séance brings the tax notice of that
examination (incomes of year n-2 of the séance, `rules.tax_notice`): its demande is
updated before the séance is prepared (`tax_notice_writer`), so a séance of last year
reads last year's notice.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy import Engine

from caleol.db.engine import session_scope
from caleol.db.models import Demande
from caleol.errors import ValidationError
from caleol.rules.ceilings import Financing, Zone
from caleol.rules.evaluation import DwellingTerms, HouseholdFile, evaluate_candidate
from caleol.rules.household import Household, Member, Role, age_on
from caleol.rules.result import Status
from caleol.rules.tax_notice import expected_income_year
from caleol.rules.typology import Typology
from caleol.services.demo.households import DemandeDraft


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
    # stores the tax notice a picked household brings to its séance (None: not stored)
    on_pick: Callable[[DemandeDraft], None] | None = None

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
            stored = draft.row["reference_tax_income_year"]
            draft.row["reference_tax_income_year"] = expected_income_year(
                on.year, bool(draft.row.get("tax_income_n1_requested")))
            failed = failed_checks(draft, dwelling.row, on)
            if failed is None or not accept(draft, failed):
                draft.row["reference_tax_income_year"] = stored
                continue
            if self.on_pick is not None and stored != draft.row["reference_tax_income_year"]:
                self.on_pick(draft)
            found.append((draft, failed))
            assert draft.id is not None  # the pool holds inserted demandes
            self.used.add(draft.id)
            if len(found) == count:
                break
        return found


def failed_checks(draft: DemandeDraft, dwelling: dict[str, Any], on: dt.date
                  ) -> tuple[str, ...] | None:
    """Names of the checks the candidate fails on `on`; None if the household is not born yet."""
    statuses = check_statuses(draft, dwelling, on)
    if statuses is None:
        return None
    return tuple(name for name, status in statuses.items() if status == Status.FAIL.value)


def check_statuses(draft: DemandeDraft, dwelling: dict[str, Any], on: dt.date
                   ) -> dict[str, str] | None:
    """Check name → status on `on`, as the services will snapshot them."""
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
        reference_tax_income_year=draft.row["reference_tax_income_year"],
        tax_income_n1_requested=bool(draft.row.get("tax_income_n1_requested")),
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
    return {name: result.status.value for name, result in results.items()}


def passing(_draft: DemandeDraft, failed: tuple[str, ...]) -> bool:
    return not failed


def anyone(_draft: DemandeDraft, _failed: tuple[str, ...]) -> bool:
    return True


def over_ceiling(_draft: DemandeDraft, failed: tuple[str, ...]) -> bool:
    return "ceiling" in failed


def tax_notice_writer(engine: Engine) -> Callable[[DemandeDraft], None]:
    """Stores the year of the incomes of a picked household's notice (audited write)."""
    def write(draft: DemandeDraft) -> None:
        with session_scope(engine) as session:
            demande = session.get(Demande, draft.id)
            if demande is not None:
                demande.reference_tax_income_year = draft.row["reference_tax_income_year"]
    return write
