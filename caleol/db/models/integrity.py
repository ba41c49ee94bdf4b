"""Records that let the database vouch for itself (issue 16).

* `PurgedRow`: one row whose audit images the retention purge erased. The database
  triggers accept the erasure of an audit entry's images only for a row listed here,
  and `caleol verify-db` flags any other; the purge writes them (audited) before it
  erases anything.
* `ChainAnchor`: the head of the audit chain (its hash and the number of entries) at
  the closing of a séance. The séance's procès-verbal prints it and carries it in its
  metadata, so a copy of the signed PV kept anywhere proves the log was not rewritten
  before that point (`caleol verify-db --anchor PV.pdf`).

Both are insert-only (triggers of revision 0007).
"""

from datetime import datetime

from sqlalchemy import Index
from sqlmodel import Field, SQLModel

from caleol.db.models.base import SHORT, utcnow

# The NUR an anonymised demande keeps (`ANON-00000042`): the purge writes it,
# `caleol verify-db` checks a recorded purge left nothing else behind.
ANONYMISED_PREFIX = "ANON-"


class PurgedRow(SQLModel, table=True):
    __tablename__ = "purged_row"
    __table_args__ = (Index("ix_purged_row_row", "entity", "entity_id"),)

    id: int | None = Field(default=None, primary_key=True)
    purged_at: datetime = Field(default_factory=utcnow)
    # the demande the row belonged to (gone when it was deleted: no foreign key); None
    # for erasures made before revision 0007, recorded by its migration
    demande_id: int | None = Field(default=None, index=True)
    entity: str = Field(max_length=100)
    entity_id: int
    action: str = Field(max_length=SHORT)  # retention.PurgeAction value


class ChainAnchor(SQLModel, table=True):
    __tablename__ = "chain_anchor"

    id: int | None = Field(default=None, primary_key=True)
    session_id: int = Field(foreign_key="commission_session.id", index=True)
    kind: str = Field(max_length=SHORT)  # "cloture"
    entry_count: int  # entries of the log when it was taken, this one's own excluded
    head_hash: str = Field(max_length=64)  # hash of the last of them
    recorded_at: datetime = Field(default_factory=utcnow)
