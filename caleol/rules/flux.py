"""Gestion en flux: a réservataire's yearly objective and the yearly review of its flux.

Since 24 November 2023 reservation rights are a share of the yearly flow of vacancies
(art. L441-1 and R441-5 CCH). The objective follows the calculation of the conventions
(Grand Nancy framework agreement art. 3, Metz Métropole CUS amendment 2024-2026):

1. base (assiette) = dwellings owned − dwellings reserved for défense / sécurité
   intérieure / santé (kept in stock) − planned demolitions − authorised sales;
2. potential = base × average turnover rate (rounded);
3. flux base (assiette nette) = potential + new deliveries − relocations deducted
   (internal mutations, urban renewal, ORCOD, insalubrity, sales);
4. objective = flux base × the réservataire's rate (rounded).

The sources round down at steps 2 and 4 (3 737 × 8,40 % = 313,9 → 313; 447 × 25 % =
111,75 → 111); the rounding is a parameter with truncation as default.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_CEILING, ROUND_DOWN, ROUND_HALF_UP, Decimal
from enum import StrEnum

from caleol.fr import counted, format_date, format_decimal, format_percent

DEFAULT_PROPOSAL_DELAY_DAYS = 15  # Grand Nancy convention art. 4.2


class Rounding(StrEnum):
    TRUNCATE = "troncature"
    NEAREST = "arrondi"
    UP = "excès"

    @property
    def label(self) -> str:
        return {
            "troncature": "troncature",
            "arrondi": "arrondi au plus proche",
            "excès": "arrondi à l'unité supérieure",
        }[self.value]


_ROUNDING_MODES = {
    Rounding.TRUNCATE: ROUND_DOWN,
    Rounding.NEAREST: ROUND_HALF_UP,
    Rounding.UP: ROUND_CEILING,
}


def round_dwellings(value: Decimal, rounding: Rounding) -> int:
    """A number of dwellings is whole: round as the convention says."""
    return int(value.quantize(Decimal(1), rounding=_ROUNDING_MODES[rounding]))


def turnover_rate(vacated: int, dwellings: int) -> Decimal:
    """Dwellings vacated in the year ÷ dwellings in the stock (Grand Nancy art. 3.4)."""
    if dwellings <= 0:
        raise ValueError("Le parc doit compter au moins un logement.")
    return Decimal(vacated) / Decimal(dwellings)


@dataclass(frozen=True)
class FluxInputs:
    """The declared figures of one réservataire's yearly flux calculation.

    Rates are fractions (`Decimal("0.084")` for 8,40 %). `turnover_rates` holds the
    rates of the last three years (or the single rate the convention retains); their
    mean is applied.
    """

    year: int
    reservataire: str
    reservataire_rate: Decimal
    dwellings_owned: int
    turnover_rates: tuple[Decimal, ...]
    excluded_defense_health: int = 0
    planned_demolitions: int = 0
    authorised_sales: int = 0
    new_deliveries: int = 0
    internal_mutations: int = 0
    urban_renewal_relocations: int = 0
    orcod_relocations: int = 0
    insalubrity_relocations: int = 0
    sale_relocations: int = 0
    rounding: Rounding = Rounding.TRUNCATE

    def __post_init__(self) -> None:
        counts = (
            self.dwellings_owned, self.excluded_defense_health, self.planned_demolitions,
            self.authorised_sales, self.new_deliveries, self.internal_mutations,
            self.urban_renewal_relocations, self.orcod_relocations,
            self.insalubrity_relocations, self.sale_relocations,
        )
        if any(c < 0 for c in counts):
            raise ValueError("Les nombres de logements ne peuvent pas être négatifs.")
        if not 1 <= len(self.turnover_rates) <= 3:
            raise ValueError("Indiquez le taux de rotation d'une à trois années.")
        if any(not 0 <= r <= 1 for r in (*self.turnover_rates, self.reservataire_rate)):
            raise ValueError("Un taux doit être compris entre 0 et 100 %.")


@dataclass(frozen=True)
class FluxObjective:
    """Every intermediate figure of the calculation, and the worked text."""

    inputs: FluxInputs
    base: int
    average_turnover: Decimal
    potential_exact: Decimal
    potential: int
    deductions: int
    flux_base: int
    objective_exact: Decimal
    objective: int
    lines: tuple[str, ...]

    @property
    def explanation(self) -> str:
        return "\n".join(self.lines)


def _deductions(inputs: FluxInputs) -> list[tuple[str, int]]:
    items = [
        ("relogements pour mutations internes", inputs.internal_mutations),
        ("relogements de renouvellement urbain (ANRU/NPNRU)", inputs.urban_renewal_relocations),
        ("relogements ORCOD (copropriétés dégradées)", inputs.orcod_relocations),
        ("relogements pour interdiction d'habiter (insalubrité)", inputs.insalubrity_relocations),
        ("relogements liés aux ventes", inputs.sale_relocations),
    ]
    return [(label, count) for label, count in items if count]


def _n(value: int) -> str:
    return format_decimal(value, 0)


def flux_objective(inputs: FluxInputs) -> FluxObjective:
    """The réservataire's yearly objective with the worked calculation in French.

    Raises:
        ValueError: when the exclusions exceed the dwellings owned.
    """
    excluded = inputs.excluded_defense_health + inputs.planned_demolitions + inputs.authorised_sales
    base = inputs.dwellings_owned - excluded
    if base < 0:
        raise ValueError("Les logements exclus dépassent le parc du bailleur.")
    average = sum(inputs.turnover_rates, Decimal(0)) / len(inputs.turnover_rates)
    potential_exact = base * average
    potential = round_dwellings(potential_exact, inputs.rounding)
    deductions = _deductions(inputs)
    deducted = sum(count for _, count in deductions)
    raw_flux_base = potential + inputs.new_deliveries - deducted
    flux_base = max(0, raw_flux_base)
    objective_exact = flux_base * inputs.reservataire_rate
    objective = round_dwellings(objective_exact, inputs.rounding)
    rounding = inputs.rounding.label

    lines = [
        f"Objectif annuel {inputs.year} — {inputs.reservataire}",
        f"Logements du bailleur : {_n(inputs.dwellings_owned)}",
        f"− logements réservés défense, sécurité intérieure, santé : "
        f"{_n(inputs.excluded_defense_health)}",
        f"− démolitions prévues : {_n(inputs.planned_demolitions)}",
        f"− ventes autorisées : {_n(inputs.authorised_sales)}",
        f"= assiette : {_n(base)} logements",
    ]
    if len(inputs.turnover_rates) > 1:
        rates = ", ".join(format_percent(r, 2) for r in inputs.turnover_rates)
        lines.append(
            f"Taux de rotation moyen des {len(inputs.turnover_rates)} dernières années : "
            f"({rates}) ÷ {len(inputs.turnover_rates)} = {format_percent(average, 2)}"
        )
    lines.append(
        f"× taux de rotation moyen {format_percent(average, 2)} = "
        f"{format_decimal(potential_exact, 3)} → {_n(potential)} logements ({rounding})"
    )
    lines.append(f"+ livraisons neuves : {_n(inputs.new_deliveries)}")
    lines.extend(f"− {label} : {_n(count)}" for label, count in deductions)
    lines.append(
        f"= base d'application du flux : {_n(potential)} + {_n(inputs.new_deliveries)} − "
        f"{_n(deducted)} = {_n(raw_flux_base)} logements"
    )
    if raw_flux_base < 0:
        lines.append("Les déductions dépassent le flux : la base est ramenée à 0.")
    lines.append(
        f"× taux du réservataire {format_percent(inputs.reservataire_rate, 2)} = "
        f"{format_decimal(objective_exact, 2)} → {_n(objective)} logements ({rounding})"
    )
    lines.append(f"Objectif {inputs.year} : {_n(objective)} logements.")
    return FluxObjective(
        inputs=inputs,
        base=base,
        average_turnover=average,
        potential_exact=potential_exact,
        potential=potential,
        deductions=deducted,
        flux_base=flux_base,
        objective_exact=objective_exact,
        objective=objective,
        lines=tuple(lines),
    )


# ---------------------------------------------------------------------------
# the vacancies oriented to a réservataire and its yearly review


class OrientationOutcome(StrEnum):
    PENDING = "en_cours"
    ATTRIBUTED = "attribue"  # a candidate of the réservataire was attributed the dwelling
    RETURNED = "rendu"  # given back to the landlord (no candidate, delay, refusals)

    @property
    def label(self) -> str:
        return {
            "en_cours": "en cours",
            "attribue": "attribué à un candidat du réservataire",
            "rendu": "rendu au bailleur",
        }[self.value]


@dataclass(frozen=True)
class OrientationRecord:
    """One vacancy oriented to a réservataire, with what became of it.

    The fields are the columns of the yearly review the convention asks for (address,
    commune, typology, QPV, construction, financing, CALEOL date, lease, priority).
    """

    id: int
    dwelling_ref: str
    reservataire_code: str
    oriented_on: date
    address: str = ""
    commune: str = ""
    typology: str = ""
    in_qpv: bool | None = None
    construction_year: int | None = None
    financing: str = ""
    candidates_received_on: date | None = None
    caleol_date: date | None = None
    lease_signed: bool = False
    lease_date: date | None = None
    priority_household: bool | None = None
    outcome: OrientationOutcome = OrientationOutcome.PENDING
    reason: str = ""

    @property
    def proposal_delay_days(self) -> int | None:
        """Days between the orientation and the réservataire's candidates."""
        if self.candidates_received_on is None:
            return None
        return (self.candidates_received_on - self.oriented_on).days


@dataclass(frozen=True)
class ReservataireReview:
    reservataire_code: str
    year: int
    objective: int | None
    orientations: tuple[OrientationRecord, ...]
    delay_days: int

    @property
    def oriented(self) -> int:
        return len(self.orientations)

    def _count(self, outcome: OrientationOutcome) -> int:
        return sum(o.outcome is outcome for o in self.orientations)

    @property
    def attributed(self) -> int:
        return self._count(OrientationOutcome.ATTRIBUTED)

    @property
    def returned(self) -> int:
        return self._count(OrientationOutcome.RETURNED)

    @property
    def pending(self) -> int:
        return self._count(OrientationOutcome.PENDING)

    @property
    def leases_signed(self) -> int:
        return sum(o.lease_signed for o in self.orientations)

    @property
    def priority_households(self) -> int:
        return sum(o.priority_household is True for o in self.orientations)

    @property
    def late_proposals(self) -> int:
        """Candidates received after the delay, or not at all once the delay has run."""
        late = 0
        for o in self.orientations:
            delay = o.proposal_delay_days
            if (delay is not None and delay > self.delay_days) or (
                delay is None and o.outcome is OrientationOutcome.RETURNED
            ):
                late += 1
        return late

    @property
    def gap(self) -> int | None:
        """Dwellings oriented − objective (the objective counts dwellings proposed)."""
        return None if self.objective is None else self.oriented - self.objective

    @property
    def reasons(self) -> list[tuple[str, int]]:
        """Reasons recorded on returned or unsigned orientations, most frequent first."""
        counter = Counter(
            o.reason.strip() or "motif non renseigné"
            for o in self.orientations
            if o.outcome is OrientationOutcome.RETURNED
            or (o.outcome is OrientationOutcome.ATTRIBUTED and not o.lease_signed)
        )
        return sorted(counter.items(), key=lambda item: (-item[1], item[0]))

    @property
    def due_date(self) -> date:
        """Sent to the réservataire before 28 February of the next year (R441-5-1 CCH)."""
        return date(self.year + 1, 2, 28)

    @property
    def explanation(self) -> str:
        lines = [
            f"{counted(self.oriented, 'logement orienté', 'logements orientés')} vers le "
            f"réservataire en {self.year} : "
            f"{counted(self.attributed, 'attribué', 'attribués')} à ses candidats, "
            f"{counted(self.returned, 'rendu', 'rendus')} au bailleur, {self.pending} en cours ; "
            f"{counted(self.leases_signed, 'bail signé', 'baux signés')}.",
            f"{counted(self.priority_households, 'attribution')} à un ménage prioritaire.",
        ]
        if self.objective is not None:
            assert self.gap is not None
            state = "objectif atteint" if self.gap >= 0 else "objectif non atteint"
            lines.append(
                f"Objectif {counted(self.objective, 'logement')} ; écart {self.gap:+d} : "
                f"{state}."
            )
        if self.late_proposals:
            lines.append(
                f"{counted(self.late_proposals, 'orientation')} sans candidats dans le délai de "
                f"{self.delay_days} jours."
            )
        if self.reasons:
            lines.append(
                "Motifs des écarts : "
                + " ; ".join(f"{reason} ({count})" for reason, count in self.reasons)
                + "."
            )
        lines.append(f"Bilan à transmettre avant le {format_date(self.due_date)}.")
        return "\n".join(lines)


def review_reservataire(
    orientations: Iterable[OrientationRecord],
    reservataire_code: str,
    year: int,
    objective: int | None = None,
    delay_days: int = DEFAULT_PROPOSAL_DELAY_DAYS,
) -> ReservataireReview:
    """The yearly review of one réservataire's flux, over orientations of that year."""
    selected: Sequence[OrientationRecord] = sorted(
        (
            o for o in orientations
            if o.reservataire_code == reservataire_code and o.oriented_on.year == year
        ),
        key=lambda o: (o.oriented_on, o.id),
    )
    return ReservataireReview(reservataire_code, year, objective, tuple(selected), delay_days)
