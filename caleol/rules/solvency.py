"""Taux d'effort and reste à vivre against the charter's floors.

Decisions documented once here (the explanation repeats what the secretary needs):

* **Formulas** (charter §2 « La solvabilité des ménages » ; arrêté du 10 mars 2011):
  net cost = rent + charges + energy − housing aid;
  taux d'effort (TE) = net cost / monthly resources;
  reste à vivre (RàV) = (monthly resources − net cost) / UC / day basis (30 days).
  A housing aid larger than the cost gives a negative net cost: it is kept as is
  (the household gains), never clamped, so the arithmetic shown stays checkable.
* **Bands** (policy defaults = the charter, settings may change them):
  TE < 30 % → RàV ≥ 10 €/day/UC; 30 % ≤ TE ≤ 35 % → RàV ≥ 20 €/day/UC (both limits
  inclusive: 30 % exactly is in the upper band, 35 % exactly is admissible);
  TE > 35 % fails. Precarious resources: only TE < 30 %, with RàV ≥ 10 €/day/UC AND a
  payment guarantee (Visale, FSL...): the charter's table leaves the 30-35 % cell empty.
* **Rounding**: everything is computed and compared on exact `Decimal`s; rounding is
  for display only (TE as a fraction with 4 places in the figures, RàV in euros with
  2 places, both half up). When the rounded figure would hide the comparison (e.g. a
  TE of 35,004 % shown as 35,0 %), the explanation shows more digits.
* **No resources**: absent resources (None) → `unknown`; zero resources → `fail`
  (no rate can be computed and nothing is left to live on), never a division error.
* **Energy not estimated** (`energy=None`): the charter's maximum is « factures de
  consommation énergétique incluses », so a pass computed without energy is not
  justified → `unknown`, with the figures hors énergie. A failure without energy holds
  (energy only adds cost) → `fail`, saying the energy was not counted.
  The result informs the commission; it never decides on its own.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from caleol.errors import ValidationError
from caleol.fr import NBSP, format_decimal, format_money, format_percent
from caleol.rules.charter import CHARTER
from caleol.rules.result import CheckResult, Status

REFERENCE = (
    f"Arrêté du 10 mars 2011 ; art. R441-3-1 CCH ; {CHARTER} (solvabilité des ménages)"
)
RATE_PLACES = Decimal("0.0001")
CENTS = Decimal("0.01")


@dataclass(frozen=True)
class SolvencyPolicy:
    """The landlord's policy (charter defaults); the law sets no threshold."""

    max_effort: Decimal = Decimal("0.35")
    low_band_limit: Decimal = Decimal("0.30")
    floor_low: Decimal = Decimal("10")
    floor_high: Decimal = Decimal("20")
    day_basis: int = 30

    def __post_init__(self) -> None:
        if not Decimal(0) < self.low_band_limit <= self.max_effort:
            raise ValidationError(
                "Politique de solvabilité incohérente : le seuil de la tranche basse doit "
                "être positif et au plus égal au taux d'effort maximal."
            )
        if self.floor_low < 0 or self.floor_high < 0 or self.day_basis <= 0:
            raise ValidationError(
                "Politique de solvabilité incohérente : planchers et base journalière "
                "doivent être positifs."
            )

    @classmethod
    def from_max_effort_percent(cls, percent: int) -> SolvencyPolicy:
        """From the `max_effort_rate_percent` setting, other values as the charter."""
        return cls(max_effort=Decimal(percent) / 100)


def _money(value: Decimal) -> str:
    return format_decimal(value, 2)


def _shown(
    value: Decimal, limits: tuple[Decimal, ...], fmt: Callable[[Decimal, int], str], places: int
) -> str:
    """`fmt(value, places)`, with more places if rounding makes it look like a limit."""
    text = fmt(value, places)
    while places < 6 and any(
        value != limit and text == fmt(limit, places) for limit in limits
    ):
        places += 1
        text = fmt(value, places)
    return text


def _units(value: Decimal) -> str:
    """UC without useless zeros (1 ; 2,3 ; 2,25)."""
    exponent = int(value.normalize().as_tuple().exponent)
    return format_decimal(value, max(0, -exponent))


def _rate(value: Decimal, places: int) -> str:
    return format_percent(value, places)


def _euros_per_day(value: Decimal, places: int) -> str:
    return format_decimal(value, places)


def check_solvency(
    rent: Decimal,
    charges: Decimal,
    energy: Decimal | None,
    housing_aid: Decimal,
    monthly_resources: Decimal | None,
    consumption_units: Decimal,
    resources_stable: bool,
    payment_guarantee: bool,
    policy: SolvencyPolicy | None = None,
    *,
    units_detail: str = "",
) -> CheckResult:
    """Taux d'effort and reste à vivre for one candidate and one dwelling.

    Args:
        energy: monthly energy bills; None: not estimated (see the module docstring).
        units_detail: optional French breakdown of the UC (`Household.
            consumption_units_detail()`), quoted in the explanation.

    Raises:
        ValidationError: negative money or non-positive consumption units.
    """
    policy = policy or SolvencyPolicy()
    amounts = {"le loyer": rent, "les charges": charges, "l'aide au logement": housing_aid}
    if energy is not None:
        amounts["l'énergie"] = energy
    if monthly_resources is not None:
        amounts["les ressources mensuelles"] = monthly_resources
    for label, value in amounts.items():
        if value < 0:
            raise ValidationError(f"Solvabilité : {label} ne peut pas être négatif ({value}).")
    if consumption_units <= 0:
        raise ValidationError("Solvabilité : le nombre d'unités de consommation doit être positif.")

    net_cost = rent + charges + (energy or Decimal(0)) - housing_aid
    floor_low = policy.floor_low
    floor_high = policy.floor_high
    figures: dict[str, object] = {
        "rent": rent,
        "charges": charges,
        "energy": energy,
        "housing_aid": housing_aid,
        "net_cost": net_cost,
        "monthly_resources": monthly_resources,
        "consumption_units": consumption_units,
        "effort_rate": None,
        "remaining_per_day_per_unit": None,
        "floor": None,
        "day_basis": policy.day_basis,
        "max_effort": policy.max_effort,
        "resources_stable": resources_stable,
        "payment_guarantee": payment_guarantee,
    }
    energy_term = f" + {_money(energy)}" if energy is not None else ""
    cost_text = f"{_money(rent)} + {_money(charges)}{energy_term} − {_money(housing_aid)}"
    without_energy = " (énergie non estimée)" if energy is None else ""
    units_text = f" Unités de consommation : {units_detail}." if units_detail else ""
    if monthly_resources is None:
        explanation = (
            f"Coût mensuel du logement{without_energy} = {cost_text} = "
            f"{format_money(net_cost)}. Ressources mensuelles non renseignées : taux "
            "d'effort et reste à vivre incalculables."
        )
        return CheckResult("solvency", Status.UNKNOWN, explanation, REFERENCE, figures)
    if monthly_resources == 0:
        explanation = (
            f"Coût mensuel du logement{without_energy} = {cost_text} = "
            f"{format_money(net_cost)}. Ressources mensuelles déclarées nulles : aucun "
            "taux d'effort ne peut être calculé et le reste à vivre est nul ou négatif ; "
            "la commission apprécie la situation (garantie, accompagnement)."
        )
        return CheckResult("solvency", Status.FAIL, explanation, REFERENCE, figures)

    effort = net_cost / monthly_resources
    remaining = (monthly_resources - net_cost) / consumption_units / policy.day_basis
    figures["effort_rate"] = effort.quantize(RATE_PLACES, rounding=ROUND_HALF_UP)
    figures["remaining_per_day_per_unit"] = remaining.quantize(CENTS, rounding=ROUND_HALF_UP)
    limits = (policy.low_band_limit, policy.max_effort)
    effort_text = _shown(effort, limits, _rate, 1)
    low_pct = format_percent(policy.low_band_limit, 0)
    max_pct = format_percent(policy.max_effort, 0)

    problems: list[str] = []
    floor: Decimal | None
    if effort > policy.max_effort:
        floor = None
        band = f"au-delà du maximum de {max_pct}"
        problems.append(f"le taux d'effort dépasse {max_pct}")
    elif effort < policy.low_band_limit:
        floor = floor_low
        band = (
            f"inférieur à {low_pct} : plancher de reste à vivre "
            f"{format_money(floor_low)}/jour/UC"
        )
    elif resources_stable:
        floor = floor_high
        band = (
            f"entre {low_pct} et {max_pct} inclus : plancher de reste à vivre "
            f"{format_money(floor_high)}/jour/UC"
        )
    else:
        floor = None
        band = f"entre {low_pct} et {max_pct}"
        problems.append(
            f"avec des ressources précaires, seul un taux d'effort inférieur à {low_pct} "
            "est admis"
        )
    figures["floor"] = floor.quantize(CENTS) if floor is not None else None

    remaining_text = _shown(remaining, (floor,) if floor is not None else (), _euros_per_day, 2)
    remaining_line = (
        f"Reste à vivre = ({_money(monthly_resources)} − {_money(net_cost)}) / "
        f"{_units(consumption_units)} UC / {policy.day_basis} jours = "
        f"{remaining_text}{NBSP}€/jour/UC"
    )
    if floor is not None:
        if remaining >= floor:
            remaining_line += f" ≥ {format_money(floor)}"
        else:
            remaining_line += f" < {format_money(floor)}"
            problems.append(f"le reste à vivre est inférieur au plancher de {format_money(floor)}")
    if not resources_stable:
        if payment_guarantee:
            remaining_line += " ; ressources précaires avec garantie de paiement"
        else:
            remaining_line += " ; ressources précaires sans garantie de paiement"
            problems.append("des ressources précaires exigent une garantie de paiement")

    status = Status.FAIL if problems else Status.PASS
    verdict = "conforme" if status is Status.PASS else "non conforme : " + " ; ".join(problems)
    calculation = (
        f"Taux d'effort{' hors énergie' if energy is None else ''} = ({cost_text}) / "
        f"{_money(monthly_resources)} = {effort_text} ({band}). {remaining_line}.{units_text}"
    )
    if energy is None and status is Status.PASS:
        explanation = (
            "L'estimation des factures d'énergie du logement manque : hors énergie, taux "
            f"d'effort {effort_text} et reste à vivre {remaining_text}{NBSP}€/jour/UC ; la "
            f"charte fixe le maximum énergie incluse. {calculation}"
        )
        return CheckResult("solvency", Status.UNKNOWN, explanation, REFERENCE, figures)
    explanation = f"{calculation} Solvabilité {verdict}."
    if energy is None:
        explanation += (
            " Énergie non estimée, non comptée : l'échec tient, les factures d'énergie ne "
            "feraient qu'alourdir le coût."
        )
    return CheckResult("solvency", status, explanation, REFERENCE, figures)
