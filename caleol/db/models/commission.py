"""A CALEOL commission, the agencies it covers, and its members."""

from sqlalchemy import Index, UniqueConstraint
from sqlmodel import Field, Relationship, SQLModel

from caleol.db.models.base import SHORT


class Commission(SQLModel, table=True):
    """A commission of an agency for a territory.

    `agency_id` is the agency whose name and address head the commission's letters
    and minutes; `CommissionAgency` lists every agency whose dwellings it examines
    (that one included). `quorum_numerator/denominator`: the share of deliberative
    members that must be present or represented (default one half, the charter's
    rule). A commission a séance refers to is never deleted: `active` False instead.
    """

    __tablename__ = "commission"

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=SHORT, unique=True)
    name: str = Field(max_length=200)
    agency_id: int | None = Field(default=None, foreign_key="agency.id", index=True)
    epci_id: int | None = Field(default=None, foreign_key="epci.id", index=True)
    territory: str = Field(default="", max_length=300)
    quorum_numerator: int = 1
    quorum_denominator: int = 2
    remote_sessions_allowed: bool = False  # internal rules allow remote sessions (3DS)
    active: bool = True

    members: list["CommissionMember"] = Relationship(
        back_populates="commission", sa_relationship_kwargs={"order_by": "CommissionMember.id"}
    )


class CommissionAgency(SQLModel, table=True):
    """An agency covered by a commission (a surrogate `id`, as every audited table)."""

    __tablename__ = "commission_agency"
    __table_args__ = (UniqueConstraint("commission_id", "agency_id"),)

    id: int | None = Field(default=None, primary_key=True)
    commission_id: int = Field(foreign_key="commission.id", index=True)
    agency_id: int = Field(foreign_key="agency.id", index=True)


class CommissionMember(SQLModel, table=True):
    """A member of a commission, or the substitute (`substitute_for_id`) of one.

    `code` is the member's stable key within the commission (the setup file matches
    members on it); rows made before it existed have none (`member_key`). `name` is
    the person's name without civility (older rows may carry it in `name`, with an
    empty `civility`): `display_name` is what documents print.
    """

    __tablename__ = "commission_member"
    # a unique index (not a constraint): SQLite adds an index to an existing table
    __table_args__ = (Index("uq_commission_member_code", "commission_id", "code", unique=True),)

    id: int | None = Field(default=None, primary_key=True)
    commission_id: int = Field(foreign_key="commission.id", index=True)
    code: str | None = Field(default=None, max_length=SHORT)
    civility: str = Field(default="", max_length=10)  # « Mme », « M. » or empty
    name: str = Field(max_length=200)
    capacity: str = Field(max_length=SHORT)  # enums.MemberCapacity
    deliberative: bool = True
    casting_vote: bool = False
    reservataire_id: int | None = Field(default=None, foreign_key="reservataire.id")
    substitute_for_id: int | None = Field(
        default=None, foreign_key="commission_member.id", index=True)
    active: bool = True

    commission: Commission | None = Relationship(back_populates="members")

    @property
    def display_name(self) -> str:
        """« Mme Léa Klein »: the civility, when recorded apart, then the name."""
        return f"{self.civility} {self.name}".strip()

    @property
    def member_key(self) -> str:
        """The stable key of the member in its commission: its code, else « M<id> »."""
        return self.code or f"M{self.id}"
