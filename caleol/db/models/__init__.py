"""Every table of caleol, registered on `SQLModel.metadata` when this package loads."""

from sqlmodel import SQLModel

from caleol.db.models.audit import AuditEntry
from caleol.db.models.commission import Commission, CommissionAgency, CommissionMember
from caleol.db.models.demande import (
    Demande,
    DemandePriority,
    HouseholdMember,
    Resource,
    WishedCommune,
)
from caleol.db.models.documents import Rectification, SignedDocument
from caleol.db.models.dwelling import Dwelling
from caleol.db.models.integrity import ChainAnchor, PurgedRow
from caleol.db.models.organisation import Agency, Commune, Department, Epci, Landlord, Qpv
from caleol.db.models.reference import (
    CeilingRow,
    LetterTemplate,
    PriorityCriterion,
    QuartileThreshold,
    Reason,
    Reservataire,
    Target,
)
from caleol.db.models.session import (
    AgendaItem,
    Attendance,
    Candidacy,
    CandidacyEvent,
    CommissionSession,
    Decision,
    OccupationReview,
)
from caleol.db.models.territory import QpvCommune, TerritoryDatasetRow

metadata = SQLModel.metadata

__all__ = [
    "Agency",
    "AgendaItem",
    "Attendance",
    "AuditEntry",
    "Candidacy",
    "CandidacyEvent",
    "CeilingRow",
    "ChainAnchor",
    "Commission",
    "CommissionAgency",
    "CommissionMember",
    "CommissionSession",
    "Commune",
    "Decision",
    "Demande",
    "DemandePriority",
    "Department",
    "Dwelling",
    "Epci",
    "HouseholdMember",
    "Landlord",
    "LetterTemplate",
    "OccupationReview",
    "PriorityCriterion",
    "PurgedRow",
    "Qpv",
    "QpvCommune",
    "QuartileThreshold",
    "Reason",
    "Rectification",
    "Reservataire",
    "Resource",
    "SignedDocument",
    "Target",
    "TerritoryDatasetRow",
    "WishedCommune",
    "metadata",
]
