"""One candidate against one dwelling: the four checks, computed in one place.

`evaluate_candidate` is the single entry point used by `caleol evaluate` and by the
session services, so the GUI, the minutes and the JSON API always agree.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from caleol.rules.ceilings import (
    CeilingTable,
    Financing,
    Zone,
    check_ceiling,
    shipped_ceiling_table,
)
from caleol.rules.household import Household
from caleol.rules.result import CheckResult
from caleol.rules.solvency import SolvencyPolicy, check_solvency
from caleol.rules.typology import Adaptation, Typology, check_typology
from caleol.rules.waiting import ABNORMAL_DELAY_MONTHS, check_waiting_time

CHECK_NAMES = ("ceiling", "solvency", "typology", "waiting_time")


@dataclass(frozen=True)
class DwellingTerms:
    """What the checks need to know of the dwelling offered (money in euros).

    `energy` 0 means "not estimated": every dwelling has energy bills, and 0 is how a
    dwelling imported without its estimate arrives (`energy_cents` is never null). The
    solvency check then gets None, so a pass hors énergie is `unknown` (charter: 35 %
    « factures de consommation énergétique incluses »), never a pass.
    """

    typology: Typology
    financing: Financing
    zone: Zone
    rent: Decimal
    charges: Decimal
    energy: Decimal
    adaptations: tuple[Adaptation, ...] = ()


@dataclass(frozen=True)
class HouseholdFile:
    """What the checks need to know of the applicant's file (money in euros).

    `None` for resources or tax income means "not supplied yet": the matching check is
    `unknown`, never a pass. `reference_tax_income_year` is the year of the incomes of
    the tax notice (None: unknown, the ceiling check is then `unknown`);
    `tax_income_n1_requested`: the household asks for its incomes of year n-1.
    """

    household: Household
    monthly_resources: Decimal | None
    resources_stable: bool
    housing_aid: Decimal
    reference_tax_income: int | None
    payment_guarantee: bool
    dalo: bool
    application_date: date
    department: str
    reference_tax_income_year: int | None = None
    tax_income_n1_requested: bool = False


def evaluate_candidate(
    on: date,
    file: HouseholdFile,
    dwelling: DwellingTerms,
    table: CeilingTable | None = None,
    policy: SolvencyPolicy | None = None,
    delay_thresholds: Mapping[str, int] = ABNORMAL_DELAY_MONTHS,
) -> dict[str, CheckResult]:
    """The checks of charter §2 for one candidate, keyed by `CHECK_NAMES`.

    Args:
        on: examination date; every dated rule uses the values in force then.
        table: ceiling table (default: the shipped one; pass the table merged with the
            user's imported rows).
        policy: solvency policy (default: the charter's values).
        delay_thresholds: department → months of the délai anormalement long.
    """
    table = table if table is not None else shipped_ceiling_table()
    household = file.household
    return {
        "ceiling": check_ceiling(
            household, dwelling.financing, dwelling.zone, file.reference_tax_income, on, table,
            file.reference_tax_income_year, file.tax_income_n1_requested,
        ),
        "solvency": check_solvency(
            dwelling.rent,
            dwelling.charges,
            dwelling.energy or None,  # 0: not estimated (see DwellingTerms)
            file.housing_aid,
            file.monthly_resources,
            household.consumption_units,
            file.resources_stable,
            file.payment_guarantee,
            policy or SolvencyPolicy(),
            units_detail=household.consumption_units_detail(),
        ),
        "typology": check_typology(household, dwelling.typology, dwelling.adaptations),
        "waiting_time": check_waiting_time(
            file.application_date, on, file.department, delay_thresholds
        ),
    }
