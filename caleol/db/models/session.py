"""A séance of a commission: attendance, agenda, candidacies, decisions, EOL reviews.

Once the séance is `closed` or `signed`, database triggers (see the initial
migration) reject any insert, update or delete of the séance's rows; events after
the séance (`CandidacyEvent`) and rectifications stay insertable.
"""

import datetime as dt
from typing import Any, Optional

from sqlalchemy import JSON, Column, Text, UniqueConstraint
from sqlmodel import Field, Relationship, SQLModel

from caleol.db.models.base import SHORT, version_column
from caleol.db.models.commission import Commission, CommissionMember
from caleol.db.models.demande import Demande
from caleol.db.models.dwelling import Dwelling
from caleol.db.models.reference import Reason

_session_version = version_column()
_decision_version = version_column()

_CHILDREN = {"cascade": "all, delete-orphan"}


class CommissionSession(SQLModel, table=True):
    __tablename__ = "commission_session"
    __mapper_args__ = {"version_id_col": _session_version}

    id: int | None = Field(default=None, primary_key=True)
    commission_id: int = Field(foreign_key="commission.id", index=True)
    date: dt.date = Field(index=True)
    # the time the members were called for (the convocation); `start_time` is the
    # actual start once the séance is opened
    convened_time: dt.time | None = None
    start_time: dt.time | None = None
    end_time: dt.time | None = None
    place: str = Field(default="", max_length=300)
    kind: str = Field(default="physical", max_length=SHORT)  # enums.SessionKind
    status: str = Field(default="draft", max_length=SHORT, index=True)  # enums.SessionStatus
    president_member_id: int | None = Field(default=None, foreign_key="commission_member.id")
    secretary_name: str = Field(default="", max_length=200)
    notes: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    closed_at: dt.datetime | None = None
    signed_at: dt.datetime | None = None
    # The start and end times were confirmed by the secretary at the closing (they are
    # what happened); False for a séance closed before that confirmation existed.
    times_confirmed: bool = False
    version: int | None = Field(default=None, sa_column=_session_version)

    commission: Commission | None = Relationship()
    attendances: list["Attendance"] = Relationship(
        back_populates="session", sa_relationship_kwargs=_CHILDREN
    )
    agenda_items: list["AgendaItem"] = Relationship(
        back_populates="session",
        sa_relationship_kwargs={**_CHILDREN, "order_by": "AgendaItem.position"},
    )
    occupation_reviews: list["OccupationReview"] = Relationship(
        back_populates="session", sa_relationship_kwargs=_CHILDREN
    )


class Attendance(SQLModel, table=True):
    __tablename__ = "attendance"
    __table_args__ = (UniqueConstraint("session_id", "member_id"),)

    id: int | None = Field(default=None, primary_key=True)
    session_id: int = Field(foreign_key="commission_session.id", index=True)
    member_id: int = Field(foreign_key="commission_member.id", index=True)
    status: str = Field(default="present", max_length=SHORT)  # enums.AttendanceStatus
    proxy_member_id: int | None = Field(default=None, foreign_key="commission_member.id")

    session: CommissionSession | None = Relationship(back_populates="attendances")


class AgendaItem(SQLModel, table=True):
    """A dwelling on the agenda of a séance, with its exception to the three-candidate rule."""

    __tablename__ = "agenda_item"
    __table_args__ = (UniqueConstraint("session_id", "dwelling_id"),)

    id: int | None = Field(default=None, primary_key=True)
    session_id: int = Field(foreign_key="commission_session.id", index=True)
    dwelling_id: int = Field(foreign_key="dwelling.id", index=True)
    position: int = 0
    # rules.candidates.CandidateException; null = the rule of three applies.
    candidate_count_exception: str | None = Field(default=None, max_length=SHORT)
    exception_justification: str = Field(default="", max_length=2000)
    reservataire_id: int | None = Field(default=None, foreign_key="reservataire.id")
    orientation_date: dt.date | None = None  # start of the réservataire's proposal delay
    dwelling_snapshot: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON))

    session: CommissionSession | None = Relationship(back_populates="agenda_items")
    dwelling: Dwelling | None = Relationship()
    candidacies: list["Candidacy"] = Relationship(
        back_populates="agenda_item",
        sa_relationship_kwargs={**_CHILDREN, "order_by": "Candidacy.proposed_rank"},
    )


class Candidacy(SQLModel, table=True):
    """A demande presented for a dwelling, with what the commission saw of it.

    `checks_snapshot` maps a check name to `CheckResult.to_json()`, taken on
    `checks_date`; `household_summary` keeps the household as it was, so the minutes
    never change when the demande does.
    """

    __tablename__ = "candidacy"
    __table_args__ = (UniqueConstraint("agenda_item_id", "demande_id"),)

    id: int | None = Field(default=None, primary_key=True)
    agenda_item_id: int = Field(foreign_key="agenda_item.id", index=True)
    demande_id: int = Field(foreign_key="demande.id", index=True)
    proposed_rank: int | None = None
    proposed_by_reservataire_id: int | None = Field(default=None, foreign_key="reservataire.id")
    added_by: str = Field(default="bailleur", max_length=SHORT)  # enums.CandidacyOrigin
    suggestion_reasons: str = Field(default="", max_length=2000)
    typology_adaptation: str | None = Field(default=None, max_length=SHORT)  # rules Adaptation
    checks_snapshot: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON))
    checks_date: dt.date | None = None
    household_summary: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON))

    agenda_item: AgendaItem | None = Relationship(back_populates="candidacies")
    demande: Demande | None = Relationship()
    decision: Optional["Decision"] = Relationship(
        back_populates="candidacy",
        sa_relationship_kwargs={"uselist": False, "cascade": "all, delete-orphan"},
    )
    events: list["CandidacyEvent"] = Relationship(
        back_populates="candidacy",
        sa_relationship_kwargs={"foreign_keys": "CandidacyEvent.candidacy_id",
                                "order_by": "CandidacyEvent.id"},
    )


class Decision(SQLModel, table=True):
    """The commission's decision on one candidacy (never edited after the séance)."""

    __tablename__ = "decision"
    __mapper_args__ = {"version_id_col": _decision_version}

    id: int | None = Field(default=None, primary_key=True)
    candidacy_id: int = Field(foreign_key="candidacy.id", unique=True)
    kind: str = Field(max_length=SHORT)  # rules.decisions.DecisionKind
    rank: int | None = None
    condition: str = Field(default="", max_length=1000)  # missing document (sous condition)
    deadline: dt.date | None = None
    reason_id: int | None = Field(default=None, foreign_key="reason.id")
    # A lawful reason beside one that cannot stand alone (« ressources insuffisantes »).
    second_reason_id: int | None = Field(default=None, foreign_key="reason.id", index=True)
    reason_text: str = Field(default="", max_length=2000)
    # Why the commission decided against a check failed or unknown, or on a reason
    # its passing check contradicts (rules.decisions.justification_grounds).
    justification: str = Field(default="", max_length=2000)
    votes_for: int | None = None
    votes_against: int | None = None
    votes_abstain: int | None = None
    unanimous: bool = False  # « à l'unanimité des membres présents ou représentés »
    casting_vote_used: bool = False
    # Who held the casting vote that settled a tie (resolved from the members present).
    casting_vote_member_id: int | None = Field(
        default=None, foreign_key="commission_member.id", index=True)
    decided_at: dt.datetime | None = None
    version: int | None = Field(default=None, sa_column=_decision_version)

    candidacy: Candidacy | None = Relationship(back_populates="decision")
    reason: Reason | None = Relationship(
        sa_relationship_kwargs={"foreign_keys": "[Decision.reason_id]"})
    second_reason: Reason | None = Relationship(
        sa_relationship_kwargs={"foreign_keys": "[Decision.second_reason_id]"})
    casting_vote_member: CommissionMember | None = Relationship()


class CandidacyEvent(SQLModel, table=True):
    """What happened after the séance (refusal, lapsed condition, lease...).

    Recorded instead of editing the decision; `passes_to_candidacy_id` names the next
    ranked candidacy the dwelling goes to.
    """

    __tablename__ = "candidacy_event"

    id: int | None = Field(default=None, primary_key=True)
    candidacy_id: int = Field(foreign_key="candidacy.id", index=True)
    kind: str = Field(max_length=SHORT)  # enums.CandidacyEventKind
    date: dt.date
    reason: str = Field(default="", max_length=2000)
    passes_to_candidacy_id: int | None = Field(default=None, foreign_key="candidacy.id")
    recorded_at: dt.datetime | None = None

    candidacy: Candidacy | None = Relationship(
        back_populates="events",
        sa_relationship_kwargs={"foreign_keys": "CandidacyEvent.candidacy_id"},
    )


class OccupationReview(SQLModel, table=True):
    """An EOL occupation review and the commission's opinion (avis)."""

    __tablename__ = "occupation_review"

    id: int | None = Field(default=None, primary_key=True)
    session_id: int = Field(foreign_key="commission_session.id", index=True)
    tenant_reference: str = Field(default="", max_length=SHORT)
    tenant_name: str = Field(default="", max_length=200)
    dwelling_id: int | None = Field(default=None, foreign_key="dwelling.id")
    motive: str = Field(max_length=SHORT)  # enums.ReviewMotive
    opinion: str = Field(default="", max_length=4000)
    proposal: str = Field(default="", max_length=2000)

    session: CommissionSession | None = Relationship(back_populates="occupation_reviews")
