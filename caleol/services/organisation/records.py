"""The records the organisation services take and give back (frozen, plain values).

The same record goes in and out: `id` 0 asks for a new row, another `id` edits that
row. Everything is referred to by its code (agency « METZ », département « 57 »,
EPCI SIREN, réservataire « ALS », commission « CALEOL-METZ », member « ADM1 »), never
by a database id, so a form, the setup file and the CLI speak alike.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from caleol.db.models.enums import MemberCapacity, ReservataireType


@dataclass(frozen=True)
class LandlordRecord:
    """The landlord (one per database). `logo`: PNG or JPEG bytes, or None."""

    name: str
    siren: str = ""
    address: str = ""  # lines separated by "\n"
    phone: str = ""
    email: str = ""
    logo: bytes | None = field(default=None, repr=False)
    id: int = 0


@dataclass(frozen=True)
class AgencyRecord:
    code: str
    name: str
    address: str = ""
    department_code: str = ""  # « 57 »; empty: not set
    phone: str = ""
    email: str = ""
    active: bool = True
    id: int = 0


@dataclass(frozen=True)
class ReservataireRecord:
    code: str
    name: str
    kind: str  # enums.ReservataireType value
    address: str = ""
    contact_name: str = ""
    phone: str = ""
    email: str = ""
    proposal_delay_days: int = 15
    active: bool = True
    id: int = 0

    @property
    def kind_label(self) -> str:
        try:
            return ReservataireType(self.kind).label
        except ValueError:
            return self.kind


@dataclass(frozen=True)
class CommissionRecord:
    """A commission; the first of `agency_codes` heads its letters and minutes."""

    code: str
    name: str
    agency_codes: tuple[str, ...] = ()
    epci_siren: str = ""
    territory: str = ""
    quorum: str = "1/2"  # share of the deliberative members, « 1/2 », « 2/3 »
    remote_sessions_allowed: bool = False
    active: bool = True
    id: int = 0


@dataclass(frozen=True)
class MemberRecord:
    """A member of the commission `commission_code`, or the substitute of the member
    whose code is `substitute_for`. An empty `code` on a new member: one is made."""

    commission_code: str
    code: str
    name: str
    capacity: str  # enums.MemberCapacity value
    civility: str = ""  # « Mme », « M. » or empty
    deliberative: bool = True
    casting_vote: bool = False
    reservataire_code: str = ""
    substitute_for: str = ""
    active: bool = True
    id: int = 0

    @property
    def display_name(self) -> str:
        return f"{self.civility} {self.name}".strip()

    @property
    def capacity_label(self) -> str:
        try:
            return MemberCapacity(self.capacity).label
        except ValueError:
            return self.capacity


@dataclass(frozen=True)
class DepartmentRecord:
    """A département; `abnormal_delay_months` is the préfet's délai anormalement long."""

    code: str
    name: str
    abnormal_delay_months: int | None = None
    id: int = 0


@dataclass(frozen=True)
class EpciRecord:
    """An EPCI; `has_plh_and_cil`: its president holds the casting vote."""

    siren: str
    name: str
    department_code: str = ""
    has_plh_and_cil: bool = False
    id: int = 0
