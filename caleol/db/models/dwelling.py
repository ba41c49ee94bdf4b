"""A dwelling (logement) offered for letting."""

from datetime import date

from sqlalchemy import Index
from sqlmodel import Field, Relationship, SQLModel

from caleol.db.models.base import SHORT, version_column
from caleol.db.models.organisation import Commune

_version = version_column()


class Dwelling(SQLModel, table=True):
    """One dwelling; `reservataire_id` is the contingent this vacancy is oriented to.

    `qpv` is None when the location is unknown (indicators then exclude it visibly).
    `surface_dm2` is the surface in dm² (65,40 m² = 6540) to stay exact.
    """

    __tablename__ = "dwelling"
    __table_args__ = (
        Index("ix_dwelling_search", "status", "commune_id", "typology", "financing"),
    )
    __mapper_args__ = {"version_id_col": _version}

    id: int | None = Field(default=None, primary_key=True)
    reference: str = Field(max_length=SHORT, unique=True)
    rpls_id: str | None = Field(default=None, max_length=SHORT, index=True)
    programme: str = Field(default="", max_length=200)
    address: str = Field(default="", max_length=300)
    commune_id: int | None = Field(default=None, foreign_key="commune.id", index=True)
    agency_id: int | None = Field(default=None, foreign_key="agency.id", index=True)
    qpv: bool | None = None
    qpv_code: str | None = Field(default=None, max_length=20)
    urban_renewal: bool = False
    typology: str = Field(max_length=SHORT, index=True)  # rules.typology.Typology
    surface_dm2: int | None = None
    floor: int | None = None
    lift: bool = False
    pmr: bool = False  # built or adapted for reduced mobility
    financing: str = Field(max_length=SHORT, index=True)  # rules.ceilings.Financing
    rent_cents: int = 0
    charges_cents: int = 0
    energy_cents: int = 0  # estimated monthly energy bill
    annex_rent_cents: int = 0  # garage, parking...
    availability_date: date | None = None
    reservataire_id: int | None = Field(default=None, foreign_key="reservataire.id", index=True)
    first_letting: bool = False
    construction_year: int | None = None
    status: str = Field(default="vacant", max_length=SHORT, index=True)  # enums.DwellingStatus
    version: int | None = Field(default=None, sa_column=_version)

    commune: Commune | None = Relationship()
