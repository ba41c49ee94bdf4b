"""Yearly and editable reference tables: ceilings, quartiles, criteria, reasons...

All of them are data the secretary can edit or import; the shipped defaults are
loaded by the demo/import services.
"""

from datetime import date
from decimal import Decimal

from sqlalchemy import Column, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from caleol.db.models.base import SHORT, DecimalText


class CeilingRow(SQLModel, table=True):
    """One line of a yearly resource-ceiling arrêté, amounts in whole euros per year.

    `cat1`..`cat6` are the household categories, `per_extra` the amount added per
    person beyond six; `imported` is False for the rows shipped with caleol.
    """

    __tablename__ = "ceiling_row"
    __table_args__ = (UniqueConstraint("financing", "zone", "effective_from"),)

    id: int | None = Field(default=None, primary_key=True)
    financing: str = Field(max_length=SHORT)  # rules.ceilings.Financing
    zone: str = Field(max_length=SHORT)  # rules.ceilings.Zone
    effective_from: date
    cat1: int
    cat2: int
    cat3: int
    cat4: int
    cat5: int
    cat6: int
    per_extra: int
    source: str = Field(default="", max_length=300)
    imported: bool = False


class QuartileThreshold(SQLModel, table=True):
    """First-quartile threshold of an EPCI for a year, in cents per UC per year."""

    __tablename__ = "quartile_threshold"
    __table_args__ = (UniqueConstraint("epci_id", "year"),)

    id: int | None = Field(default=None, primary_key=True)
    epci_id: int = Field(foreign_key="epci.id", index=True)
    year: int
    threshold_cents: int
    source: str = Field(default="", max_length=300)


class PriorityCriterion(SQLModel, table=True):
    __tablename__ = "priority_criterion"

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=SHORT, unique=True)
    label: str = Field(max_length=300)
    source: str = Field(default="CCH", max_length=SHORT)  # enums.CriterionSource
    legal_reference: str = Field(default="", max_length=200)
    active: bool = True


class Reason(SQLModel, table=True):
    """A standard reason (motif) of non-attribution or irrecevabilité."""

    __tablename__ = "reason"

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=SHORT, unique=True)
    label: str = Field(max_length=500)
    kind: str = Field(max_length=SHORT)  # enums.ReasonKind
    # Not a lawful reason on its own ("ressources insuffisantes", "pas de lien avec la commune").
    unlawful_alone: bool = False
    # The check whose pass contradicts this reason (rules.decisions.DEFAULT_REASON_CHECKS):
    # citing it against a passing check needs a justification.
    contradicts_check: str | None = Field(default=None, max_length=SHORT)
    position: int = 0
    active: bool = True
    legal_reference: str = Field(default="", max_length=200)  # CCH article, charter section


class LetterTemplate(SQLModel, table=True):
    __tablename__ = "letter_template"

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=SHORT, unique=True)
    title: str = Field(max_length=200)
    body: str = Field(sa_column=Column(Text, nullable=False))


class Reservataire(SQLModel, table=True):
    """A reservation rights holder; letters to it use its postal address and contact."""

    __tablename__ = "reservataire"

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=SHORT, unique=True)
    name: str = Field(max_length=200)
    kind: str = Field(max_length=SHORT)  # enums.ReservataireType
    proposal_delay_days: int = 15
    active: bool = True
    address: str = Field(default="", max_length=300)  # lines separated by "\n"
    contact_name: str = Field(default="", max_length=200)
    phone: str = Field(default="", max_length=40)
    email: str = Field(default="", max_length=200)


class Target(SQLModel, table=True):
    """An indicator target (CUS, CIA...) for a year and a territory.

    Empty territory fields match everything, as `rules.indicators.Territory`. `value`
    is a fraction for rate indicators (0.25) and a count for count indicators.
    """

    __tablename__ = "target"
    __table_args__ = (
        UniqueConstraint(
            "indicator_code", "year", "department_code", "epci_code", "agency_code",
            "commission_code",
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    indicator_code: str = Field(max_length=SHORT)
    year: int
    value: Decimal = Field(sa_column=Column(DecimalText(), nullable=False))
    department_code: str = Field(default="", max_length=SHORT)
    epci_code: str = Field(default="", max_length=SHORT)
    agency_code: str = Field(default="", max_length=SHORT)
    commission_code: str = Field(default="", max_length=SHORT)
    source: str = Field(default="", max_length=300)
