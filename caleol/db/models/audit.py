"""The append-only, hash-chained audit log (written by `caleol.db.audit`)."""

from datetime import datetime

from sqlalchemy import Column, Index, Text
from sqlmodel import Field, SQLModel

from caleol.db.models.base import SHORT


class AuditEntry(SQLModel, table=True):
    """One row written, with its image before and after (canonical JSON text).

    `hash` = sha256 of the canonical JSON of the entry's fields with each image
    replaced by its sha256 (`before_sha256`, `after_sha256`), `prev_hash` included.
    Entries are numbered 1, 2, 3… without gap: every writer gives `id` itself, the id of
    the head it chains to plus one, so two writers that read the same head collide on
    the primary key and the second fails: the chain can never fork. The primary key
    does what unique indexes on `hash` and `prev_hash` did (revision 0012), without two
    B-trees of random 64-character keys to update for every entry: most of an import's
    audit cost at 100 000 demandes. `caleol verify-db` checks the numbering, and an
    anchor (« entrée n° N, empreinte H ») is looked up by id. Because the chain
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
    entity: str = Field(max_length=100)  # the composite index serves both columns
    entity_id: int
    action: str = Field(max_length=SHORT)  # insert / update / delete
    before: str | None = Field(default=None, sa_column=Column(Text))
    after: str | None = Field(default=None, sa_column=Column(Text))
    prev_hash: str = Field(max_length=64)
    hash: str = Field(max_length=64)
    before_sha256: str | None = Field(default=None, max_length=64)
    after_sha256: str | None = Field(default=None, max_length=64)
    redacted_at: datetime | None = None
