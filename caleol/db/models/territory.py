"""Territory data beyond the organisation's own rows: QPV communes, imported datasets."""

from datetime import date, datetime

from sqlalchemy import Column, LargeBinary, UniqueConstraint
from sqlmodel import Field, SQLModel

from caleol.db.models.base import utcnow


class QpvCommune(SQLModel, table=True):
    """A commune a quartier prioritaire lies in (a quartier may span several)."""

    __tablename__ = "qpv_commune"
    __table_args__ = (UniqueConstraint("qpv_id", "commune_id"),)

    id: int | None = Field(default=None, primary_key=True)
    qpv_id: int = Field(foreign_key="qpv.id", index=True)
    commune_id: int = Field(foreign_key="commune.id", index=True)


class TerritoryDatasetRow(SQLModel, table=True):
    """A newer territory reference imported by the user (`caleol reference import communes`).

    `content` is the dataset in caleol's compact format; the newest row replaces the
    reference shipped with caleol for every commune resolved afterwards.
    """

    __tablename__ = "territory_dataset"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=200)
    version: str = Field(max_length=40)
    data_date: date
    licence: str = Field(default="", max_length=200)
    sources: str = Field(default="", max_length=500)
    sha256: str = Field(max_length=64, unique=True)
    imported_at: datetime = Field(default_factory=utcnow)
    content: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
