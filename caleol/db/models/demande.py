"""A demande de logement social and its household, resources, priorities and wishes.

Never any social-security number (NIR) here: the import rejects such a column.
"""

import unicodedata
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy import Index, UniqueConstraint, event
from sqlmodel import Field, Relationship, SQLModel

from caleol.db.models.base import SHORT, version_column
from caleol.db.models.organisation import Commune
from caleol.db.models.reference import PriorityCriterion

_version = version_column()

_CHILDREN = {"cascade": "all, delete-orphan"}
SORT_KEY_LENGTH = 410  # surname (200) + space + first names (200), with room to spare
_LIGATURES = str.maketrans({"œ": "oe", "æ": "ae"})


def name_sort_key(surname: str, first_names: str) -> str:
    """The applicant's name as the list sorts it: « Élodie » with E, « Œ » as « oe ».

    Stored (`Demande.name_sort_key`, indexed) rather than computed in ORDER BY, so
    sorting 100 000 demandes by name walks an index on SQLite and PostgreSQL alike,
    whatever the database's collation.
    """
    text = f"{surname.strip()} {first_names.strip()}".strip().casefold()
    text = unicodedata.normalize("NFKD", text.translate(_LIGATURES))
    return "".join(c for c in text if not unicodedata.combining(c))[:SORT_KEY_LENGTH]


class Demande(SQLModel, table=True):
    __tablename__ = "demande"
    __table_args__ = (
        Index("ix_demande_name", "applicant_surname", "applicant_first_names"),
        Index("ix_demande_status_filing", "status", "filing_date"),
        Index("ix_demande_name_sort_key", "name_sort_key"),
    )
    __mapper_args__ = {"version_id_col": _version}

    id: int | None = Field(default=None, primary_key=True)
    nur: str = Field(max_length=SHORT, unique=True, index=True)
    filing_date: date = Field(index=True)
    renewal_date: date | None = None
    status: str = Field(default="active", max_length=SHORT, index=True)  # enums.DemandeStatus
    status_date: date | None = None  # when it became attributed / radiated / closed
    # « Mme », « M. » or "" (not stated), as the SNE form asks it: letters write it out
    applicant_civility: str = Field(default="", max_length=10,
                                    sa_column_kwargs={"server_default": ""})
    applicant_surname: str = Field(default="", max_length=200)
    applicant_first_names: str = Field(default="", max_length=200)
    # name_sort_key(surname, first names): set by the ORM hooks below, and explicitly
    # by the bulk inserts (`caleol.services.imports.demandes.insert_demandes`).
    name_sort_key: str = Field(default="", max_length=SORT_KEY_LENGTH,
                               sa_column_kwargs={"server_default": ""})
    address: str = Field(default="", max_length=300)
    postal_code: str = Field(default="", max_length=10)
    city: str = Field(default="", max_length=200)
    department_code: str = Field(default="", max_length=3)
    reference_tax_income: int | None = None  # revenu fiscal de référence, euros, year n-2
    reference_tax_income_year: int | None = None  # year of the incomes (notice: the year after)
    # the household asks for its incomes of year n-1 (a drop in resources): rules.tax_notice
    tax_income_n1_requested: bool = Field(default=False,
                                          sa_column_kwargs={"server_default": sa.false()})
    housing_aid_cents: int | None = None  # estimated monthly APL/AL
    dalo: bool = False
    comed_decision_date: date | None = None
    syplo_label: bool = False
    cotation_score: int | None = None
    action_logement_employee: bool = False
    current_social_tenant: bool = False
    mutation_motive: str | None = Field(default=None, max_length=SHORT)  # enums.MutationMotive
    wished_typologies: str = Field(default="", max_length=100)  # "T2,T3"
    max_rent_cents: int | None = None
    association_bail_glissant: bool = False
    payment_guarantee: bool = False  # Visale, FSL...
    notes: str = Field(default="", max_length=2000)
    version: int | None = Field(default=None, sa_column=_version)

    members: list["HouseholdMember"] = Relationship(
        back_populates="demande",
        sa_relationship_kwargs={**_CHILDREN, "order_by": "HouseholdMember.position"},
    )
    resources: list["Resource"] = Relationship(
        back_populates="demande", sa_relationship_kwargs=_CHILDREN
    )
    priorities: list["DemandePriority"] = Relationship(
        back_populates="demande", sa_relationship_kwargs=_CHILDREN
    )
    wished_communes: list["WishedCommune"] = Relationship(
        back_populates="demande",
        sa_relationship_kwargs={**_CHILDREN, "order_by": "WishedCommune.position"},
    )

    @property
    def wished_typology_list(self) -> list[str]:
        return [t.strip() for t in self.wished_typologies.split(",") if t.strip()]


@event.listens_for(Demande, "before_insert")
@event.listens_for(Demande, "before_update")
def _fill_name_sort_key(mapper: Any, connection: Any, demande: Demande) -> None:
    demande.name_sort_key = name_sort_key(demande.applicant_surname or "",
                                          demande.applicant_first_names or "")


class HouseholdMember(SQLModel, table=True):
    __tablename__ = "household_member"

    id: int | None = Field(default=None, primary_key=True)
    demande_id: int | None = Field(
        default=None, foreign_key="demande.id", index=True, ondelete="CASCADE"
    )
    position: int = 0
    role: str = Field(max_length=SHORT)  # rules.household.Role
    surname: str = Field(default="", max_length=200)
    first_names: str = Field(default="", max_length=200)
    birth_date: date | None = None
    disabled: bool = False
    visiting_rights: bool = False  # child under a droit de visite et d'hébergement

    demande: Demande | None = Relationship(back_populates="members")


class Resource(SQLModel, table=True):
    """A monthly resource of one member (or of the household when member is null)."""

    __tablename__ = "resource"

    id: int | None = Field(default=None, primary_key=True)
    demande_id: int | None = Field(
        default=None, foreign_key="demande.id", index=True, ondelete="CASCADE"
    )
    member_id: int | None = Field(
        default=None, foreign_key="household_member.id", index=True, ondelete="CASCADE"
    )
    kind: str = Field(max_length=SHORT)  # enums.ResourceKind
    monthly_cents: int
    stable: bool = True
    label: str = Field(default="", max_length=200)

    demande: Demande | None = Relationship(back_populates="resources")
    member: HouseholdMember | None = Relationship()


class DemandePriority(SQLModel, table=True):
    """A priority criterion met by a demande (association object, audited like any row)."""

    __tablename__ = "demande_priority"
    __table_args__ = (UniqueConstraint("demande_id", "criterion_id"),)

    id: int | None = Field(default=None, primary_key=True)
    demande_id: int | None = Field(
        default=None, foreign_key="demande.id", index=True, ondelete="CASCADE"
    )
    criterion_id: int = Field(foreign_key="priority_criterion.id", index=True)

    demande: Demande | None = Relationship(back_populates="priorities")
    criterion: PriorityCriterion = Relationship()


class WishedCommune(SQLModel, table=True):
    __tablename__ = "wished_commune"
    __table_args__ = (UniqueConstraint("demande_id", "commune_id"),)

    id: int | None = Field(default=None, primary_key=True)
    demande_id: int | None = Field(
        default=None, foreign_key="demande.id", index=True, ondelete="CASCADE"
    )
    commune_id: int = Field(foreign_key="commune.id", index=True)
    position: int = 0

    demande: Demande | None = Relationship(back_populates="wished_communes")
    commune: Commune = Relationship()
