"""Attribution indicators (mixité, priority publics, réservataires) over plain records.

The CUS (convention d'utilité sociale) and the law define each indicator as a count of
attributions "parmi le nombre total des attributions" of some population. Every result
keeps its numerator, its denominator, the ids behind both (drill-down) and the records
left out because a needed datum is unknown: an unknown is never silently counted as a
"no", and never hidden inside a percentage.

Decisions documented here once (the explanations repeat them to the user):

* **First quartile.** The CCH (L441-1, 25th paragraph) defines the yearly threshold as
  "le niveau de ressources le plus élevé du quartile des demandeurs aux ressources les
  plus faibles": the threshold itself belongs to the first quartile, so a household is
  in Q1 when its yearly resources per UC are **lower than or equal to** the threshold
  of the dwelling's EPCI for the year (`is_first_quartile`).
* **Resources per UC** are the household's yearly resources (the monthly resources
  declared in the demande x 12, as the SNE does) divided by the consumption units of
  the **modified OECD scale** used by the SNE and INSEE to set the thresholds: 1 for
  the first person, 0.5 for every other person aged 14 or more, 0.3 per child under 14
  (`quartile_consumption_units`). It happens to have the same weights as the charter's
  solvency scale, but it is a different rule from a different text, so it is kept
  separate. Zero resources are a known value (0 €/UC, first quartile), not an unknown.
* **Counting basis.** PS-1 counts attributions "suivies de baux signés" (a record
  counts in the period of its lease date); the QPV objective counts proposals, and
  some conventions count proposals for both (`CountingBasis`, the setting
  `indicators_on_leases`). The other indicators count attributions by the date of the
  commission's decision.
* **One exclusion cause per record**, checked in the order: unknown QPV, unknown
  resources, unknown threshold.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from caleol.fr import format_decimal, format_percent

RATE_PLACES = Decimal("0.0001")  # rates kept to 0.01 %
MONTHS_PER_YEAR = 12


class ReservataireKind(StrEnum):
    """Who holds the reservation right the vacancy was oriented to."""

    ETAT = "etat"
    ACTION_LOGEMENT = "action_logement"
    COLLECTIVITE = "collectivite"  # EPCI, commune or département (loan guarantee)
    AUTRE = "autre"

    @property
    def label(self) -> str:
        return {
            "etat": "État (contingent préfectoral)",
            "action_logement": "Action Logement Services",
            "collectivite": "Collectivité (EPCI, commune, département)",
            "autre": "Autre réservataire",
        }[self.value]


class EtatContingent(StrEnum):
    """The two parts of the State's share of the flux (CUS 2024-2026)."""

    PRIORITAIRES = "prioritaires"
    AGENTS = "agents"


class CountingBasis(StrEnum):
    LEASES = "baux"
    PROPOSALS = "propositions"

    @property
    def label(self) -> str:
        if self is CountingBasis.LEASES:
            return "attributions suivies d'un bail signé (date du bail)"
        return "attributions prononcées par la CALEOL (date de la décision)"


class ExclusionCause(StrEnum):
    UNKNOWN_QPV = "qpv_inconnu"
    UNKNOWN_RESOURCES = "ressources_inconnues"
    UNKNOWN_THRESHOLD = "seuil_inconnu"

    @property
    def label(self) -> str:
        return {
            "qpv_inconnu": "localisation QPV / hors QPV inconnue",
            "ressources_inconnues": "ressources du ménage inconnues",
            "seuil_inconnu": "seuil du 1er quartile de l'EPCI inconnu pour l'année",
        }[self.value]


class Direction(StrEnum):
    AT_LEAST = "min"
    AT_MOST = "max"


class Measure(StrEnum):
    RATE = "taux"
    COUNT = "nombre"


def quartile_consumption_units(
    persons_14_or_over: int, children_under_14: int
) -> Decimal:
    """Consumption units of the modified OECD scale (SNE quartile thresholds).

    Args:
        persons_14_or_over: household members aged 14 or more, applicant included.
        children_under_14: members under 14.

    Raises:
        ValueError: when the household has no member aged 14 or more.
    """
    if persons_14_or_over < 1 or children_under_14 < 0:
        raise ValueError("Le ménage doit compter au moins une personne de 14 ans ou plus.")
    return (
        Decimal(1)
        + Decimal("0.5") * (persons_14_or_over - 1)
        + Decimal("0.3") * children_under_14
    )


@dataclass(frozen=True)
class AttributionRecord:
    """One attribution decision, flattened for the indicators.

    `in_qpv`, the resources and the threshold are `None` when unknown. `reserved_for`
    is `None` for the landlord's own (non-reserved) stock; `returned_by_reservataire`
    marks a reserved vacancy given back to the landlord after the réservataire's
    candidates failed (it then counts as non-reserved for PS-2, as the law says).
    """

    id: int
    decision_date: date
    dwelling_ref: str
    epci: str
    department: str
    agency: str = ""
    commission: str = ""
    lease_signed: bool = False
    lease_date: date | None = None
    in_qpv: bool | None = None
    reserved_for: ReservataireKind | None = None
    returned_by_reservataire: bool = False
    annual_resources: Decimal | None = None
    consumption_units: Decimal | None = None
    quartile_threshold: Decimal | None = None
    priority: bool = False
    dalo: bool = False
    action_logement_employee: bool = False
    current_social_tenant: bool = False
    internal_mutation: bool = False
    urban_renewal_relocation: bool = False
    etat_contingent: EtatContingent | None = None
    epci_name: str = ""  # for display; `epci` is the code the filters and targets use

    def __post_init__(self) -> None:
        if self.lease_date is not None and not self.lease_signed:
            raise ValueError(f"Attribution {self.id} : date de bail sans bail signé.")
        if self.lease_signed and self.lease_date is None:
            raise ValueError(f"Attribution {self.id} : bail signé sans date de bail.")
        if self.annual_resources is not None and self.annual_resources < 0:
            raise ValueError(f"Attribution {self.id} : ressources négatives.")
        if self.consumption_units is not None and self.consumption_units <= 0:
            raise ValueError(f"Attribution {self.id} : nombre d'unités de consommation nul.")

    @property
    def epci_label(self) -> str:
        return self.epci_name or self.epci

    @property
    def resources_per_uc(self) -> Decimal | None:
        """Yearly resources per consumption unit, or None when an input is unknown."""
        if self.annual_resources is None or self.consumption_units is None:
            return None
        return self.annual_resources / self.consumption_units

    @property
    def non_reserved(self) -> bool:
        """Landlord's own stock, or given back by the réservataire (PS-2 population)."""
        return self.reserved_for is None or self.returned_by_reservataire

    def counting_date(self, basis: CountingBasis) -> date | None:
        """The date that places the record in a period, None when it does not count."""
        if basis is CountingBasis.LEASES:
            return self.lease_date if self.lease_signed else None
        return self.decision_date


def annual_resources_from_monthly(monthly: Decimal) -> Decimal:
    """The SNE's yearly resources: the declared monthly resources x 12."""
    return monthly * MONTHS_PER_YEAR


def is_first_quartile(resources_per_uc: Decimal, threshold: Decimal) -> bool:
    """At or below the threshold is Q1: the threshold is the top of the first quartile."""
    return resources_per_uc <= threshold


@dataclass(frozen=True)
class Period:
    start: date
    end: date  # inclusive

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError("La période se termine avant de commencer.")

    @classmethod
    def year(cls, year: int) -> Period:
        return cls(date(year, 1, 1), date(year, 12, 31))

    @classmethod
    def half(cls, year: int, half: int) -> Period:
        """Semesters of the loi 3DS statement: ending 30 June and 31 December."""
        if half == 1:
            return cls(date(year, 1, 1), date(year, 6, 30))
        if half == 2:
            return cls(date(year, 7, 1), date(year, 12, 31))
        raise ValueError("Le semestre est 1 ou 2.")

    def contains(self, day: date | None) -> bool:
        return day is not None and self.start <= day <= self.end

    @property
    def label(self) -> str:
        if self.start == date(self.start.year, 1, 1) and self.end == date(self.start.year, 12, 31):
            return f"année {self.start.year}"
        if self.start == date(self.start.year, 1, 1) and self.end == date(self.start.year, 6, 30):
            return f"1er semestre {self.start.year}"
        if self.start == date(self.start.year, 7, 1) and self.end == date(self.start.year, 12, 31):
            return f"2e semestre {self.start.year}"
        return f"du {self.start:%d/%m/%Y} au {self.end:%d/%m/%Y}"


@dataclass(frozen=True)
class Territory:
    """A filter on the records; empty fields match everything (the whole landlord).

    `name` only replaces the generated label (an EPCI's name rather than its code).
    """

    department: str = ""
    epci: str = ""
    agency: str = ""
    commission: str = ""
    name: str = field(default="", compare=False)

    def matches(self, record: AttributionRecord) -> bool:
        return (
            (not self.department or record.department == self.department)
            and (not self.epci or record.epci == self.epci)
            and (not self.agency or record.agency == self.agency)
            and (not self.commission or record.commission == self.commission)
        )

    def covers(self, other: Territory) -> bool:
        """Every field set here is set to the same value in `other` (self is wider)."""
        return all(
            not mine or mine == theirs
            for mine, theirs in (
                (self.department, other.department),
                (self.epci, other.epci),
                (self.agency, other.agency),
                (self.commission, other.commission),
            )
        )

    @property
    def specificity(self) -> tuple[int, bool, bool, bool]:
        """More fields set is more specific; on a tie the EPCI (the unit of the mixité
        objectives) beats the département, which beats the agency."""
        count = sum(bool(f) for f in (self.department, self.epci, self.agency, self.commission))
        return count, bool(self.epci), bool(self.department), bool(self.agency)

    @property
    def is_everything(self) -> bool:
        return not (self.department or self.epci or self.agency or self.commission)

    @property
    def label(self) -> str:
        if self.name:
            return self.name
        parts = []
        if self.department:
            parts.append(f"département {self.department}")
        if self.epci:
            parts.append(f"EPCI {self.epci}")
        if self.agency:
            parts.append(f"agence {self.agency}")
        if self.commission:
            parts.append(f"commission {self.commission}")
        return ", ".join(parts) if parts else "ensemble du patrimoine"


EVERYWHERE = Territory()


@dataclass(frozen=True)
class Target:
    """A target set by a CUS, a CIA or a convention: data, editable per year and territory.

    `value` is a fraction for rate indicators (`Decimal("0.25")`) and a number of
    attributions for count indicators.
    """

    indicator_code: str
    year: int
    value: Decimal
    territory: Territory = field(default_factory=Territory)


@dataclass(frozen=True)
class IndicatorDefinition:
    code: str
    label: str
    reference: str
    direction: Direction
    measure: Measure = Measure.RATE
    legal_default: Decimal | None = None  # applies when no Target is given


Q1_OUTSIDE_QPV = IndicatorDefinition(
    "Q1-HQPV",
    "Attributions hors QPV aux ménages du 1er quartile",
    "CUS indicateur PS-1 ; art. L441-1 CCH (alinéas 23 à 25), loi Égalité et Citoyenneté",
    Direction.AT_LEAST,
    legal_default=Decimal("0.25"),
)
QPV_Q2_Q4 = IndicatorDefinition(
    "QPV-Q2Q4",
    "Attributions en QPV aux ménages des quartiles 2 à 4",
    "Art. L441-1 CCH (objectif des orientations de la CIL, à défaut 50 %)",
    Direction.AT_LEAST,
    legal_default=Decimal("0.50"),
)
PS2_PRIORITY = IndicatorDefinition(
    "PS-2",
    "Attributions aux ménages prioritaires (logements non réservés ou rendus)",
    "CUS indicateur PS-2 ; art. L441-1 CCH (25 % des attributions non réservées)",
    Direction.AT_LEAST,
    legal_default=Decimal("0.25"),
)
PS2_OUTSIDE_QPV = IndicatorDefinition(
    "PS-2-HQPV",
    "Part hors QPV des attributions aux ménages prioritaires",
    "CUS indicateur PS-2 (dont part hors QPV)",
    Direction.AT_LEAST,
)
PS3_DALO = IndicatorDefinition(
    "PS-3",
    "Attributions aux ménages reconnus prioritaires DALO",
    "CUS indicateur PS-3 ; art. L441-2-3 CCH (commission de médiation)",
    Direction.AT_LEAST,
)
PS3_OUTSIDE_QPV = IndicatorDefinition(
    "PS-3-HQPV",
    "Part hors QPV des attributions aux ménages DALO",
    "CUS indicateur PS-3 (dont part hors QPV)",
    Direction.AT_LEAST,
)
ETAT_PRIORITAIRES = IndicatorDefinition(
    "ETAT-PRIO",
    "Contingent de l'État : publics prioritaires",
    "CUS 2024-2026 et convention de réservation État (PDALHPD) : au moins 25 %",
    Direction.AT_LEAST,
    legal_default=Decimal("0.25"),
)
ETAT_AGENTS = IndicatorDefinition(
    "ETAT-AGENTS",
    "Contingent de l'État : agents de l'État",
    "CUS 2024-2026 et convention de réservation État : au plus 5 %",
    Direction.AT_MOST,
    legal_default=Decimal("0.05"),
)
ACTION_LOGEMENT_EMPLOYEES = IndicatorDefinition(
    "AL-SALARIES",
    "Attributions aux salariés (Action Logement)",
    "Charte des attributions §3 : au moins 50 % des attributions au bénéfice de salariés",
    Direction.AT_LEAST,
    legal_default=Decimal("0.50"),
)
PP5_SOCIAL_TENANTS = IndicatorDefinition(
    "PP-5",
    "Attributions aux locataires du parc social (mutations)",
    "CUS indicateur PP-5 : 30 % des attributions",
    Direction.AT_LEAST,
    legal_default=Decimal("0.30"),
)
PP5_INTERNAL_MUTATIONS = IndicatorDefinition(
    "PP-5-MUT",
    "Mutations internes (nombre)",
    "CUS indicateur PP-5 complémentaire : mutations internes prévues et réalisées",
    Direction.AT_LEAST,
    measure=Measure.COUNT,
)

DEFINITIONS: tuple[IndicatorDefinition, ...] = (
    Q1_OUTSIDE_QPV, QPV_Q2_Q4, PS2_PRIORITY, PS2_OUTSIDE_QPV, PS3_DALO, PS3_OUTSIDE_QPV,
    ETAT_PRIORITAIRES, ETAT_AGENTS, ACTION_LOGEMENT_EMPLOYEES, PP5_SOCIAL_TENANTS,
    PP5_INTERNAL_MUTATIONS,
)
DEFINITIONS_BY_CODE: Mapping[str, IndicatorDefinition] = {d.code: d for d in DEFINITIONS}


@dataclass(frozen=True)
class IndicatorResult:
    """One indicator over one period and territory, with everything needed to explain it.

    `rate` is None when the denominator is 0 (nothing to measure, not 0 %). `gap` is
    `rate - target` for rates (a signed fraction: -0.05 is five points short) and
    `numerator - target` for counts. `missing` is how many more numerator attributions
    (AT_LEAST) or how many fewer (AT_MOST) would have met the target with the same
    denominator, the figure the CIL tables call "marge de progression".
    """

    definition: IndicatorDefinition
    period: Period
    territory: Territory
    basis: CountingBasis
    numerator_ids: tuple[int, ...]
    denominator_ids: tuple[int, ...]
    excluded_ids: Mapping[ExclusionCause, tuple[int, ...]]
    target: Decimal | None
    explanation: str
    figures: Mapping[str, int] = field(default_factory=dict)

    @property
    def code(self) -> str:
        return self.definition.code

    @property
    def label(self) -> str:
        return self.definition.label

    @property
    def reference(self) -> str:
        return self.definition.reference

    @property
    def numerator(self) -> int:
        return len(self.numerator_ids)

    @property
    def denominator(self) -> int:
        return len(self.denominator_ids)

    @property
    def rate(self) -> Decimal | None:
        return rate_of(self.numerator, self.denominator)

    @property
    def excluded(self) -> dict[ExclusionCause, int]:
        return {cause: len(ids) for cause, ids in self.excluded_ids.items() if ids}

    @property
    def excluded_total(self) -> int:
        return sum(len(ids) for ids in self.excluded_ids.values())

    @property
    def gap(self) -> Decimal | None:
        if self.target is None:
            return None
        if self.definition.measure is Measure.COUNT:
            return self.numerator - self.target
        rate = self.rate
        return None if rate is None else rate - self.target

    @property
    def met(self) -> bool | None:
        gap = self.gap
        if gap is None:
            return None
        return gap >= 0 if self.definition.direction is Direction.AT_LEAST else gap <= 0

    @property
    def missing(self) -> int | None:
        if self.target is None:
            return None
        if self.definition.measure is Measure.COUNT:
            return max(0, math.ceil(self.target - self.numerator))
        if self.denominator == 0:
            return None
        needed = self.target * self.denominator
        if self.definition.direction is Direction.AT_LEAST:
            return max(0, math.ceil(needed) - self.numerator)
        return max(0, self.numerator - math.floor(needed))


def rate_of(numerator: int, denominator: int) -> Decimal | None:
    """numerator / denominator to 0.01 %, None when the denominator is 0."""
    if denominator == 0:
        return None
    return (Decimal(numerator) / Decimal(denominator)).quantize(RATE_PLACES, ROUND_HALF_UP)


def select_target(
    targets: Iterable[Target], code: str, year: int, territory: Territory
) -> Decimal | None:
    """The most specific target whose territory covers the one measured, else None.

    A target set for an EPCI applies to that EPCI whatever other filter is added (its
    département, an agency); a landlord-wide target applies everywhere.
    """
    best: Target | None = None
    for target in targets:
        if target.indicator_code != code or target.year != year:
            continue
        if not target.territory.covers(territory):
            continue
        if best is None or target.territory.specificity > best.territory.specificity:
            best = target
    return None if best is None else best.value


def default_targets(year: int) -> list[Target]:
    """The legal or contractual defaults (25 %, 50 %, 5 %...) as editable Target rows."""
    return [
        Target(d.code, year, d.legal_default) for d in DEFINITIONS if d.legal_default is not None
    ]


# ---------------------------------------------------------------------------
# computation


@dataclass
class _Tally:
    numerator: list[int] = field(default_factory=list)
    denominator: list[int] = field(default_factory=list)
    excluded: dict[ExclusionCause, list[int]] = field(default_factory=dict)

    def exclude(self, cause: ExclusionCause, record: AttributionRecord) -> None:
        self.excluded.setdefault(cause, []).append(record.id)


def select_records(
    records: Iterable[AttributionRecord],
    period: Period,
    territory: Territory,
    basis: CountingBasis,
) -> list[AttributionRecord]:
    """The records of the population: in the territory, dated in the period."""
    return [
        r for r in records if territory.matches(r) and period.contains(r.counting_date(basis))
    ]


def attributions_in(
    records: Iterable[AttributionRecord], period: Period, territory: Territory = EVERYWHERE
) -> list[AttributionRecord]:
    """Records decided or leased in the period: the list behind any of the indicators."""
    return [
        r for r in records
        if territory.matches(r)
        and (period.contains(r.decision_date) or period.contains(r.lease_date))
    ]


def _quartile_exclusion(record: AttributionRecord) -> ExclusionCause | None:
    if record.resources_per_uc is None:
        return ExclusionCause.UNKNOWN_RESOURCES
    if record.quartile_threshold is None:
        return ExclusionCause.UNKNOWN_THRESHOLD
    return None


def _in_first_quartile(record: AttributionRecord) -> bool:
    per_uc = record.resources_per_uc
    assert per_uc is not None and record.quartile_threshold is not None
    return is_first_quartile(per_uc, record.quartile_threshold)


def _result(
    definition: IndicatorDefinition,
    tally: _Tally,
    period: Period,
    territory: Territory,
    basis: CountingBasis,
    targets: Iterable[Target],
    sentence: Callable[[int, int], str],
    figures: Mapping[str, int] | None = None,
    notes: Sequence[str] = (),
) -> IndicatorResult:
    target = select_target(targets, definition.code, period.start.year, territory)
    if target is None:
        target = definition.legal_default
    excluded = {cause: tuple(ids) for cause, ids in tally.excluded.items() if ids}
    result = IndicatorResult(
        definition=definition,
        period=period,
        territory=territory,
        basis=basis,
        numerator_ids=tuple(tally.numerator),
        denominator_ids=tuple(tally.denominator),
        excluded_ids=excluded,
        target=target,
        explanation="",
        figures=dict(figures or {}),
    )
    text = _explain(result, sentence(result.numerator, result.denominator), notes)
    return replace(result, explanation=text)


def _plural(count: int, singular: str, plural: str | None = None) -> str:
    return f"{count} {singular if count <= 1 else (plural or singular + 's')}"


def _explain(result: IndicatorResult, sentence: str, notes: Sequence[str]) -> str:
    d = result.definition
    head = (
        f"{d.label} — {result.period.label}, {result.territory.label}, "
        f"{result.basis.label}."
    )
    lines = [head]
    if d.measure is Measure.COUNT:
        lines.append(f"{sentence} : {result.numerator}.")
    elif result.rate is None:
        lines.append(f"{sentence} : aucune attribution au dénominateur, taux non calculable.")
    else:
        lines.append(
            f"{sentence} : {result.numerator} / {result.denominator} = "
            f"{format_percent(result.rate, 1)}."
        )
    lines.extend(notes)
    if result.target is not None:
        word = "au moins" if d.direction is Direction.AT_LEAST else "au plus"
        if d.measure is Measure.COUNT:
            target_text = f"{word} {format_decimal(result.target, 0)}"
        else:
            target_text = f"{word} {format_percent(result.target, 1)}"
        if result.met is None:
            lines.append(f"Objectif : {target_text} (non évaluable).")
        elif d.measure is Measure.COUNT:
            lines.append(
                f"Objectif : {target_text} ; écart {_signed(result.gap, 0)} : "
                f"{'atteint' if result.met else 'non atteint'}."
            )
        else:
            assert result.gap is not None
            gap_points = result.gap * 100
            text = (
                f"Objectif : {target_text} ; écart {_signed(gap_points, 1)} point(s) : "
                f"{'atteint' if result.met else 'non atteint'}"
            )
            if not result.met and result.missing:
                verb = "manque" if d.direction is Direction.AT_LEAST else "dépassement de"
                text += f" ({verb} {_plural(result.missing, 'attribution')})"
            lines.append(text + ".")
    if result.excluded_ids:
        parts = [
            f"{_plural(len(ids), 'attribution')} ({cause.label})"
            for cause, ids in result.excluded_ids.items()
        ]
        lines.append("Exclues du calcul faute de donnée : " + " ; ".join(parts) + ".")
    lines.append(f"Référence : {d.reference}.")
    return "\n".join(lines)


def _signed(value: Decimal | None, places: int) -> str:
    assert value is not None
    text = format_decimal(value, places)
    return text if text.startswith("-") else "+" + text


def q1_outside_qpv(
    records: Iterable[AttributionRecord],
    period: Period,
    territory: Territory = EVERYWHERE,
    targets: Iterable[Target] = (),
    basis: CountingBasis = CountingBasis.LEASES,
) -> IndicatorResult:
    """PS-1: first-quartile households (and NPNRU relocations) among attributions outside QPV.

    Urban-renewal relocations count in the numerator whatever their resources, as the
    law puts them with the first quartile.
    """
    tally = _Tally()
    relocations = zero = 0
    for record in select_records(records, period, territory, basis):
        if record.in_qpv is None:
            tally.exclude(ExclusionCause.UNKNOWN_QPV, record)
            continue
        if record.in_qpv:
            continue
        if record.urban_renewal_relocation:
            relocations += 1
            tally.denominator.append(record.id)
            tally.numerator.append(record.id)
            continue
        cause = _quartile_exclusion(record)
        if cause is not None:
            tally.exclude(cause, record)
            continue
        tally.denominator.append(record.id)
        if _in_first_quartile(record):
            tally.numerator.append(record.id)
            zero += record.annual_resources == 0
    notes = []
    if relocations:
        notes.append(f"Dont {_plural(relocations, 'relogement')} NPNRU compté(s) avec le 1er "
                     "quartile.")
    if zero:
        notes.append(f"Dont {_plural(zero, 'ménage')} sans ressources (0 €/UC, 1er quartile).")
    return _result(
        Q1_OUTSIDE_QPV, tally, period, territory, basis, targets,
        lambda n, d: (
            f"{_plural(n, 'attribution')} hors QPV à des ménages du 1er quartile "
            f"(ressources annuelles par UC inférieures ou égales au seuil de l'EPCI) "
            f"sur {_plural(d, 'attribution')} hors QPV"
        ),
        figures={"npnru_relocations": relocations, "zero_resources": zero},
        notes=notes,
    )


def qpv_q2_to_q4(
    records: Iterable[AttributionRecord],
    period: Period,
    territory: Territory = EVERYWHERE,
    targets: Iterable[Target] = (),
    basis: CountingBasis = CountingBasis.LEASES,
) -> IndicatorResult:
    """Households above the first quartile among attributions in QPV."""
    tally = _Tally()
    for record in select_records(records, period, territory, basis):
        if record.in_qpv is None:
            tally.exclude(ExclusionCause.UNKNOWN_QPV, record)
            continue
        if not record.in_qpv:
            continue
        cause = _quartile_exclusion(record)
        if cause is not None:
            tally.exclude(cause, record)
            continue
        tally.denominator.append(record.id)
        if not _in_first_quartile(record):
            tally.numerator.append(record.id)
    return _result(
        QPV_Q2_Q4, tally, period, territory, basis, targets,
        lambda n, d: (
            f"{_plural(n, 'attribution')} en QPV à des ménages des quartiles 2 à 4 "
            f"(ressources annuelles par UC supérieures au seuil de l'EPCI) "
            f"sur {_plural(d, 'attribution')} en QPV"
        ),
    )


def _share(
    definition: IndicatorDefinition,
    records: Iterable[AttributionRecord],
    period: Period,
    territory: Territory,
    targets: Iterable[Target],
    basis: CountingBasis,
    population: Callable[[AttributionRecord], bool],
    counted: Callable[[AttributionRecord], bool],
    sentence: Callable[[int, int], str],
) -> IndicatorResult:
    tally = _Tally()
    for record in select_records(records, period, territory, basis):
        if not population(record):
            continue
        tally.denominator.append(record.id)
        if counted(record):
            tally.numerator.append(record.id)
    return _result(definition, tally, period, territory, basis, targets, sentence)


def _outside_qpv_share(
    definition: IndicatorDefinition,
    records: Iterable[AttributionRecord],
    period: Period,
    territory: Territory,
    targets: Iterable[Target],
    basis: CountingBasis,
    population: Callable[[AttributionRecord], bool],
    what: str,
) -> IndicatorResult:
    tally = _Tally()
    for record in select_records(records, period, territory, basis):
        if not population(record):
            continue
        if record.in_qpv is None:
            tally.exclude(ExclusionCause.UNKNOWN_QPV, record)
            continue
        tally.denominator.append(record.id)
        if not record.in_qpv:
            tally.numerator.append(record.id)
    return _result(
        definition, tally, period, territory, basis, targets,
        lambda n, d: f"{_plural(n, 'attribution')} hors QPV sur {_plural(d, 'attribution')} {what}",
    )


def ps2_priority(
    records: Iterable[AttributionRecord],
    period: Period,
    territory: Territory = EVERYWHERE,
    targets: Iterable[Target] = (),
    basis: CountingBasis = CountingBasis.PROPOSALS,
) -> IndicatorResult:
    """PS-2: priority households (L441-1, PDALHPD, CIA, DALO included) among attributions
    of non-reserved dwellings or dwellings returned by their réservataire."""
    return _share(
        PS2_PRIORITY, records, period, territory, targets, basis,
        population=lambda r: r.non_reserved,
        counted=lambda r: r.priority or r.dalo,
        sentence=lambda n, d: (
            f"{_plural(n, 'attribution')} à des ménages prioritaires sur "
            f"{_plural(d, 'attribution')} de logements non réservés ou rendus par le réservataire"
        ),
    )


def ps2_outside_qpv(
    records: Iterable[AttributionRecord],
    period: Period,
    territory: Territory = EVERYWHERE,
    targets: Iterable[Target] = (),
    basis: CountingBasis = CountingBasis.PROPOSALS,
) -> IndicatorResult:
    """PS-2 "dont part hors QPV": where the PS-2 attributions are located."""
    return _outside_qpv_share(
        PS2_OUTSIDE_QPV, records, period, territory, targets, basis,
        population=lambda r: r.non_reserved and (r.priority or r.dalo),
        what="aux ménages prioritaires (PS-2)",
    )


def ps3_dalo(
    records: Iterable[AttributionRecord],
    period: Period,
    territory: Territory = EVERYWHERE,
    targets: Iterable[Target] = (),
    basis: CountingBasis = CountingBasis.PROPOSALS,
) -> IndicatorResult:
    """PS-3: DALO households among all attributions."""
    return _share(
        PS3_DALO, records, period, territory, targets, basis,
        population=lambda r: True,
        counted=lambda r: r.dalo,
        sentence=lambda n, d: (
            f"{_plural(n, 'attribution')} à des ménages reconnus prioritaires DALO sur "
            f"{_plural(d, 'attribution')}"
        ),
    )


def ps3_outside_qpv(
    records: Iterable[AttributionRecord],
    period: Period,
    territory: Territory = EVERYWHERE,
    targets: Iterable[Target] = (),
    basis: CountingBasis = CountingBasis.PROPOSALS,
) -> IndicatorResult:
    return _outside_qpv_share(
        PS3_OUTSIDE_QPV, records, period, territory, targets, basis,
        population=lambda r: r.dalo,
        what="aux ménages DALO (PS-3)",
    )


def _on_etat_contingent(record: AttributionRecord, part: EtatContingent) -> bool:
    """Attributed on the State's contingent (a vacancy the State gave back is not)."""
    return (
        record.reserved_for is ReservataireKind.ETAT
        and record.etat_contingent is part
        and not record.returned_by_reservataire
    )


def etat_prioritaires(
    records: Iterable[AttributionRecord],
    period: Period,
    territory: Territory = EVERYWHERE,
    targets: Iterable[Target] = (),
    basis: CountingBasis = CountingBasis.PROPOSALS,
) -> IndicatorResult:
    """State contingent, priority publics: share of all attributions (at least 25 %)."""
    return _share(
        ETAT_PRIORITAIRES, records, period, territory, targets, basis,
        population=lambda r: True,
        counted=lambda r: _on_etat_contingent(r, EtatContingent.PRIORITAIRES),
        sentence=lambda n, d: (
            f"{_plural(n, 'attribution')} du contingent de l'État aux publics prioritaires sur "
            f"{_plural(d, 'attribution')}"
        ),
    )


def etat_agents(
    records: Iterable[AttributionRecord],
    period: Period,
    territory: Territory = EVERYWHERE,
    targets: Iterable[Target] = (),
    basis: CountingBasis = CountingBasis.PROPOSALS,
) -> IndicatorResult:
    """State contingent, State employees: share of all attributions (at most 5 %)."""
    return _share(
        ETAT_AGENTS, records, period, territory, targets, basis,
        population=lambda r: True,
        counted=lambda r: _on_etat_contingent(r, EtatContingent.AGENTS),
        sentence=lambda n, d: (
            f"{_plural(n, 'attribution')} du contingent de l'État à des agents de l'État sur "
            f"{_plural(d, 'attribution')}"
        ),
    )


def action_logement_employees(
    records: Iterable[AttributionRecord],
    period: Period,
    territory: Territory = EVERYWHERE,
    targets: Iterable[Target] = (),
    basis: CountingBasis = CountingBasis.PROPOSALS,
) -> IndicatorResult:
    """Employees (Action Logement target of the landlord): share of all attributions."""
    return _share(
        ACTION_LOGEMENT_EMPLOYEES, records, period, territory, targets, basis,
        population=lambda r: True,
        counted=lambda r: r.action_logement_employee,
        sentence=lambda n, d: (
            f"{_plural(n, 'attribution')} à des salariés sur {_plural(d, 'attribution')}"
        ),
    )


def pp5_social_tenants(
    records: Iterable[AttributionRecord],
    period: Period,
    territory: Territory = EVERYWHERE,
    targets: Iterable[Target] = (),
    basis: CountingBasis = CountingBasis.PROPOSALS,
) -> IndicatorResult:
    """PP-5: tenants already housed by a social landlord, among all attributions."""
    return _share(
        PP5_SOCIAL_TENANTS, records, period, territory, targets, basis,
        population=lambda r: True,
        counted=lambda r: r.current_social_tenant or r.internal_mutation,
        sentence=lambda n, d: (
            f"{_plural(n, 'attribution')} à des locataires du parc social sur "
            f"{_plural(d, 'attribution')}"
        ),
    )


def internal_mutations(
    records: Iterable[AttributionRecord],
    period: Period,
    territory: Territory = EVERYWHERE,
    targets: Iterable[Target] = (),
    basis: CountingBasis = CountingBasis.PROPOSALS,
) -> IndicatorResult:
    """PP-5 complementary: number of internal mutations (target is a count)."""
    return _share(
        PP5_INTERNAL_MUTATIONS, records, period, territory, targets, basis,
        population=lambda r: True,
        counted=lambda r: r.internal_mutation,
        sentence=lambda n, d: f"Mutations internes parmi {_plural(d, 'attribution')}",
    )


def mixite_basis(indicators_on_leases: bool) -> CountingBasis:
    """The setting `indicators_on_leases` as a counting basis for the two mixité indicators."""
    return CountingBasis.LEASES if indicators_on_leases else CountingBasis.PROPOSALS


def compute_all(
    records: Sequence[AttributionRecord],
    period: Period,
    territory: Territory = EVERYWHERE,
    targets: Iterable[Target] = (),
    mixite: CountingBasis = CountingBasis.LEASES,
) -> list[IndicatorResult]:
    """Every indicator in the order the reports show them."""
    targets = list(targets)
    results = [
        q1_outside_qpv(records, period, territory, targets, mixite),
        qpv_q2_to_q4(records, period, territory, targets, mixite),
    ]
    for function in (
        ps2_priority, ps2_outside_qpv, ps3_dalo, ps3_outside_qpv, etat_prioritaires,
        etat_agents, action_logement_employees, pp5_social_tenants, internal_mutations,
    ):
        results.append(function(records, period, territory, targets))
    return results


@dataclass(frozen=True)
class QuartileTable:
    """The CIL tabulation: quartile rows x QPV / outside QPV / unknown location columns."""

    q1: Mapping[bool | None, int]
    q2_q4: Mapping[bool | None, int]
    unknown_resources: Mapping[bool | None, int]
    zero_resources: int

    def total(self, location: bool | None) -> int:
        return self.q1[location] + self.q2_q4[location] + self.unknown_resources[location]


def quartile_table(
    records: Iterable[AttributionRecord],
    period: Period,
    territory: Territory = EVERYWHERE,
    basis: CountingBasis = CountingBasis.LEASES,
) -> QuartileTable:
    """Attributions by quartile and location, unknowns in their own row and column."""
    q1: dict[bool | None, int] = {True: 0, False: 0, None: 0}
    upper: dict[bool | None, int] = {True: 0, False: 0, None: 0}
    unknown: dict[bool | None, int] = {True: 0, False: 0, None: 0}
    zero = 0
    for record in select_records(records, period, territory, basis):
        if _quartile_exclusion(record) is not None:
            unknown[record.in_qpv] += 1
        elif _in_first_quartile(record):
            q1[record.in_qpv] += 1
        else:
            upper[record.in_qpv] += 1
        zero += record.annual_resources == 0
    return QuartileTable(q1, upper, unknown, zero)


def impact_of_attribution(
    records: Sequence[AttributionRecord],
    candidate: AttributionRecord,
    targets: Iterable[Target] = (),
    basis: CountingBasis = CountingBasis.LEASES,
) -> tuple[IndicatorResult, IndicatorResult]:
    """How attributing the dwelling to this candidate would move its EPCI's indicator.

    The indicator is QPV Q2-Q4 when the dwelling is in a QPV, Q1 hors QPV otherwise
    (an unknown location shows up as an exclusion of Q1 hors QPV). The candidate is
    counted as if the lease were signed on the decision date, for the decision's year.

    Returns:
        (before, after) for the same EPCI, year and basis.
    """
    period = Period.year(candidate.decision_date.year)
    territory = Territory(epci=candidate.epci)
    function = qpv_q2_to_q4 if candidate.in_qpv else q1_outside_qpv
    if basis is CountingBasis.LEASES and not candidate.lease_signed:
        candidate = replace(candidate, lease_signed=True, lease_date=candidate.decision_date)
    others = [r for r in records if r.id != candidate.id]
    targets = list(targets)
    before = function(others, period, territory, targets, basis)
    after = function([*others, candidate], period, territory, targets, basis)
    return before, after


@dataclass(frozen=True)
class EpciMixite:
    epci: str
    name: str
    q1_outside_qpv: IndicatorResult
    qpv_q2_q4: IndicatorResult


def mixite_by_epci(
    records: Sequence[AttributionRecord],
    period: Period,
    territory: Territory = EVERYWHERE,
    targets: Iterable[Target] = (),
    basis: CountingBasis = CountingBasis.LEASES,
) -> list[EpciMixite]:
    """The two mixité indicators for each EPCI of the territory: the law sets them per EPCI."""
    targets = list(targets)
    names = {r.epci: r.epci_label for r in records if territory.matches(r)}
    out = []
    for epci, name in sorted(names.items(), key=lambda item: (item[1], item[0])):
        scope = replace(territory, epci=epci, name=f"EPCI {name}")
        out.append(EpciMixite(
            epci,
            name,
            q1_outside_qpv(records, period, scope, targets, basis),
            qpv_q2_to_q4(records, period, scope, targets, basis),
        ))
    return out
