"""Signed documents (bytes kept so they re-export byte-identical) and rectifications.

Both are insert-only: triggers reject any UPDATE or DELETE of a signed document.
"""

from datetime import datetime

from sqlalchemy import Column, LargeBinary, Text
from sqlmodel import Field, SQLModel

from caleol.db.models.base import SHORT, utcnow


class SignedDocument(SQLModel, table=True):
    __tablename__ = "signed_document"

    id: int | None = Field(default=None, primary_key=True)
    session_id: int = Field(foreign_key="commission_session.id", index=True)
    kind: str = Field(max_length=SHORT)  # enums.DocumentKind
    filename: str = Field(default="", max_length=300)
    sha256: str = Field(max_length=64)
    signer: str = Field(max_length=300)
    signed_at: datetime = Field(default_factory=utcnow)
    content: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    rectifies_document_id: int | None = Field(default=None, foreign_key="signed_document.id")


class Rectification(SQLModel, table=True):
    """A correction of a closed séance: a new linked record, never an edit."""

    __tablename__ = "rectification"

    id: int | None = Field(default=None, primary_key=True)
    session_id: int = Field(foreign_key="commission_session.id", index=True)
    created_at: datetime = Field(default_factory=utcnow)
    author: str = Field(default="", max_length=200)
    text: str = Field(sa_column=Column(Text, nullable=False))
    document_id: int | None = Field(default=None, foreign_key="signed_document.id")
    # the candidacy corrected, when the rectification corrects one: its extract prints it
    candidacy_id: int | None = Field(default=None, foreign_key="candidacy.id", index=True)
