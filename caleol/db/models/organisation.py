"""The landlord, its agencies and the places: départements, EPCI, communes, QPV."""

from sqlalchemy import Column, LargeBinary
from sqlmodel import Field, Relationship, SQLModel

from caleol.db.models.base import SHORT

ADDRESS = 300  # a postal address, lines separated by "\n"
PHONE = 40
EMAIL = 200


class Landlord(SQLModel, table=True):
    """The organisme HLM whose commissions use this database (one row).

    Documents take its name, address and logo for the letterhead; `logo` holds the
    image bytes (PNG or JPEG, size-capped by `services.organisation`).
    """

    __tablename__ = "landlord"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=200)
    siren: str | None = Field(default=None, max_length=9)
    address: str = Field(default="", max_length=ADDRESS)
    phone: str = Field(default="", max_length=PHONE)
    email: str = Field(default="", max_length=EMAIL)
    logo: bytes | None = Field(default=None, sa_column=Column(LargeBinary, nullable=True))


class Agency(SQLModel, table=True):
    """An agency; its phone and e-mail are the contact letters name."""

    __tablename__ = "agency"

    id: int | None = Field(default=None, primary_key=True)
    landlord_id: int | None = Field(default=None, foreign_key="landlord.id", index=True)
    code: str = Field(max_length=SHORT, unique=True)
    name: str = Field(max_length=200)
    address: str = Field(default="", max_length=ADDRESS)
    department_id: int | None = Field(default=None, foreign_key="department.id", index=True)
    phone: str = Field(default="", max_length=PHONE)
    email: str = Field(default="", max_length=EMAIL)
    active: bool = True


class Department(SQLModel, table=True):
    """A département; `code` as INSEE writes it ("57", "54", "2A")."""

    __tablename__ = "department"

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=3, unique=True)
    name: str = Field(max_length=100)
    # Délai anormalement long set by the préfet (Moselle 18, Meurthe-et-Moselle 16).
    abnormal_delay_months: int | None = None


class Epci(SQLModel, table=True):
    __tablename__ = "epci"

    id: int | None = Field(default=None, primary_key=True)
    siren: str = Field(max_length=9, unique=True)
    name: str = Field(max_length=200)
    department_id: int | None = Field(default=None, foreign_key="department.id", index=True)
    # With a PLH and a CIL the EPCI president holds the casting vote (else the mayor).
    has_plh_and_cil: bool = False
    kind: str = Field(default="", max_length=10)  # CC, CA, CU, METRO, MET69 ("": unknown)


class Commune(SQLModel, table=True):
    __tablename__ = "commune"

    id: int | None = Field(default=None, primary_key=True)
    insee_code: str = Field(max_length=5, unique=True)
    name: str = Field(max_length=200, index=True)
    postal_code: str = Field(default="", max_length=5)
    epci_id: int | None = Field(default=None, foreign_key="epci.id", index=True)
    department_id: int | None = Field(default=None, foreign_key="department.id", index=True)
    zone: str = Field(default="autres_regions", max_length=SHORT)  # rules.ceilings.Zone

    epci: Epci | None = Relationship()
    department: Department | None = Relationship()


class Qpv(SQLModel, table=True):
    """A quartier prioritaire de la politique de la ville (the flag lives on dwellings)."""

    __tablename__ = "qpv"

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=20, unique=True)
    name: str = Field(max_length=200)
    # The main commune; every commune of the quartier is in `qpv_commune`.
    commune_id: int | None = Field(default=None, foreign_key="commune.id", index=True)
    source: str = Field(default="", max_length=300)  # the decree or file it came from
