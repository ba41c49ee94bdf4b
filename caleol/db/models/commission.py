"""A CALEOL commission and its members."""

from sqlmodel import Field, Relationship, SQLModel

from caleol.db.models.base import SHORT


class Commission(SQLModel, table=True):
    """A commission of an agency for a territory.

    `quorum_numerator/denominator`: the share of deliberative members that must be
    present or represented (default one half, the charter's rule).
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

    members: list["CommissionMember"] = Relationship(
        back_populates="commission", sa_relationship_kwargs={"order_by": "CommissionMember.id"}
    )


class CommissionMember(SQLModel, table=True):
    __tablename__ = "commission_member"

    id: int | None = Field(default=None, primary_key=True)
    commission_id: int = Field(foreign_key="commission.id", index=True)
    name: str = Field(max_length=200)
    capacity: str = Field(max_length=SHORT)  # enums.MemberCapacity
    deliberative: bool = True
    casting_vote: bool = False
    reservataire_id: int | None = Field(default=None, foreign_key="reservataire.id")
    active: bool = True

    commission: Commission | None = Relationship(back_populates="members")
