"""The append-only, hash-chained audit log (written by `caleol.db.audit`)."""

from datetime import datetime

from sqlalchemy import Column, Index, Text
from sqlmodel import Field, SQLModel

from caleol.db.models.base import SHORT


class AuditEntry(SQLModel, table=True):
    """One row written, with its image before and after (canonical JSON text).

    `hash` = sha256 of the canonical JSON of the entry's fields with each image
    replaced by its sha256 (`before_sha256`, `after_sha256`), `prev_hash` included;
    `prev_hash` is unique, so two writers can never fork the chain. Because the chain
    covers the images' digests, not their text, the retention purge can erase the
    personal data of an image (`before`/`after` set to NULL, `redacted_at` set: the
    only change the database triggers allow) and the chain still verifies.
    """

    __tablename__ = "audit_entry"
    # a row's history (its last entry, read by every write and by verify-db)
    __table_args__ = (Index("ix_audit_entry_row", "entity", "entity_id"),)

    id: int | None = Field(default=None, primary_key=True)
    at: datetime
    os_user: str = Field(max_length=200)
    entity: str = Field(max_length=100, index=True)
    entity_id: int = Field(index=True)
    action: str = Field(max_length=SHORT)  # insert / update / delete
    before: str | None = Field(default=None, sa_column=Column(Text))
    after: str | None = Field(default=None, sa_column=Column(Text))
    prev_hash: str = Field(max_length=64, unique=True)
    hash: str = Field(max_length=64, unique=True)
    before_sha256: str | None = Field(default=None, max_length=64)
    after_sha256: str | None = Field(default=None, max_length=64)
    redacted_at: datetime | None = None
