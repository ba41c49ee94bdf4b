"""What every indicator counts: the attribution records, the period and the territory."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum

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
    """Which attributions an indicator counts, and the date that places them in a period.

    PS-1 counts attributions « suivies de baux signés » (CUS, art. L441-1 CCH); the
    charter counts the QPV objective on « propositions », which this model counts as
    the attributions pronounced by the commission, one per dwelling, on the date of
    the decision. Each indicator has its own basis (`IndicatorDefinition.basis`, the
    setting `indicator_bases`).
    """

    LEASES = "baux"
    PROPOSALS = "propositions"

    @property
    def label(self) -> str:
        if self is CountingBasis.LEASES:
            return "attributions suivies d'un bail signé (date du bail)"
        return "attributions prononcées par la CALEOL (date de la décision)"

    @property
    def short_label(self) -> str:
        """The few words of a table column or a settings choice."""
        if self is CountingBasis.LEASES:
            return "baux signés"
        return "attributions prononcées"


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
    nur: str = ""  # the demande's: what names the row to a reader (`id` is internal)

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
        year = self.start.year
        if (self.start, self.end) == (date(year, 1, 1), date(year, 12, 31)):
            return f"année {year}"
        if (self.start, self.end) == (date(year, 1, 1), date(year, 6, 30)):
            return f"1er semestre {year}"
        if (self.start, self.end) == (date(year, 7, 1), date(year, 12, 31)):
            return f"2e semestre {year}"
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

    def _fields(self) -> tuple[str, str, str, str]:
        return (self.department, self.epci, self.agency, self.commission)

    def matches(self, record: AttributionRecord) -> bool:
        theirs = (record.department, record.epci, record.agency, record.commission)
        return all(not mine or mine == other for mine, other in zip(self._fields(), theirs,
                                                                    strict=True))

    def covers(self, other: Territory) -> bool:
        """Every field set here is set to the same value in `other` (self is wider)."""
        return all(not mine or mine == theirs
                   for mine, theirs in zip(self._fields(), other._fields(), strict=True))

    @property
    def specificity(self) -> tuple[int, bool, bool, bool]:
        """More fields set is more specific; on a tie the EPCI (the unit of the mixité
        objectives) beats the département, which beats the agency."""
        count = sum(bool(f) for f in self._fields())
        return count, bool(self.epci), bool(self.department), bool(self.agency)

    @property
    def is_everything(self) -> bool:
        return not any(self._fields())

    @property
    def label(self) -> str:
        if self.name:
            return self.name
        parts = [
            f"{word} {value}" for word, value in zip(
                ("département", "EPCI", "agence", "commission"), self._fields(), strict=True
            ) if value
        ]
        return ", ".join(parts) if parts else "ensemble du patrimoine"


EVERYWHERE = Territory()


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
