"""Audit entries chained on their images' digests, so personal data can be erased.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23 18:00:00.000000

Until now each entry's hash covered the text of its images (the row before and after
the write): erasing a purged applicant's name from the log would break the chain, so
the log kept personal data the retention purge had removed everywhere else. From
this revision the hash covers `before_sha256` / `after_sha256` instead; the purge may
set `before`/`after` to NULL (and `redacted_at`), which the triggers now allow and
nothing else.

Existing entries are converted: the old chain is verified first (the upgrade is
refused, nothing changed, if it is broken: converting would hide the break), then
every entry gets its digests and is re-chained with the new formula, in order. The
downgrade converts back, and is refused once an entry has been redacted.
"""
import hashlib
import json
from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op


revision: str = '0003'
down_revision: str | None = '0002'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

GENESIS = "0" * 64
_BATCH = 2000

_entries = sa.table(
    'audit_entry',
    sa.column('id', sa.Integer()), sa.column('at', sa.DateTime()),
    sa.column('os_user', sa.String()), sa.column('entity', sa.String()),
    sa.column('entity_id', sa.Integer()), sa.column('action', sa.String()),
    sa.column('before', sa.Text()), sa.column('after', sa.Text()),
    sa.column('prev_hash', sa.String()), sa.column('hash', sa.String()),
    sa.column('before_sha256', sa.String()), sa.column('after_sha256', sa.String()),
    sa.column('redacted_at', sa.DateTime()),
)


# --- frozen copies of the two hash formulas (caleol.db.audit may change later) -------

def _at_text(at: datetime) -> str:
    if at.utcoffset() is None:
        at = at.replace(tzinfo=UTC)  # stored without zone: UTC by convention
    return at.astimezone(UTC).isoformat()


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _canonical(data: dict) -> str:
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def _hash_v1(row, prev_hash: str) -> str:
    return _sha(_canonical({
        "at": _at_text(row.at), "os_user": row.os_user, "entity": row.entity,
        "entity_id": row.entity_id, "action": row.action, "before": row.before,
        "after": row.after, "prev_hash": prev_hash,
    }))


def _hash_v2(row, before_sha256, after_sha256, prev_hash: str) -> str:
    return _sha(_canonical({
        "at": _at_text(row.at), "os_user": row.os_user, "entity": row.entity,
        "entity_id": row.entity_id, "action": row.action, "before_sha256": before_sha256,
        "after_sha256": after_sha256, "prev_hash": prev_hash,
    }))


def _digest(image):
    return None if image is None else _sha(image)


# --- triggers --------------------------------------------------------------------------

_SQLITE_OLD_UPDATE = """CREATE TRIGGER audit_entry_immutable_update BEFORE UPDATE ON audit_entry
            BEGIN SELECT RAISE(ABORT, 'caleol:immutable:audit_entry'); END"""
_KEPT = ("id", "at", "os_user", "entity", "entity_id", "action", "prev_hash", "hash",
         "before_sha256", "after_sha256")
_SQLITE_NEW_UPDATE = f"""CREATE TRIGGER audit_entry_immutable_update BEFORE UPDATE ON audit_entry
    WHEN NOT (NEW.redacted_at IS NOT NULL
              AND {" AND ".join(f'NEW."{c}" IS OLD."{c}"' for c in _KEPT)}
              AND (NEW."before" IS NULL OR NEW."before" IS OLD."before")
              AND (NEW."after" IS NULL OR NEW."after" IS OLD."after"))
    BEGIN SELECT RAISE(ABORT, 'caleol:immutable:audit_entry'); END"""

_PG_GUARD = """CREATE FUNCTION caleol_guard_audit() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'UPDATE' AND NEW.redacted_at IS NOT NULL
           AND (to_jsonb(NEW) - 'before' - 'after' - 'redacted_at')
               = (to_jsonb(OLD) - 'before' - 'after' - 'redacted_at')
           AND (NEW."before" IS NULL OR NEW."before" IS NOT DISTINCT FROM OLD."before")
           AND (NEW."after" IS NULL OR NEW."after" IS NOT DISTINCT FROM OLD."after") THEN
            RETURN NEW;
        END IF;
        RAISE EXCEPTION 'caleol:immutable:%', TG_TABLE_NAME;
    END $$"""


def _drop_update_guard(dialect: str) -> None:
    if dialect == 'sqlite':
        op.execute('DROP TRIGGER IF EXISTS audit_entry_immutable_update')
    else:
        op.execute('DROP TRIGGER IF EXISTS audit_entry_immutable ON audit_entry')


def _rechain(to_v2: bool) -> None:
    """Verify the chain with the current formula, then rewrite it with the other one."""
    connection = op.get_bind()
    rows = connection.execute(sa.select(_entries).order_by(_entries.c.id)).all()
    old_prev = GENESIS
    new_prev = GENESIS
    updates = []
    for row in rows:
        if to_v2:
            expected = _hash_v1(row, old_prev)
        else:
            if row.redacted_at is not None:
                raise RuntimeError(
                    "caleol: retour arrière impossible, des entrées du journal d'audit ont "
                    "été expurgées (données personnelles effacées)")
            expected = _hash_v2(row, row.before_sha256, row.after_sha256, old_prev)
        if row.prev_hash != old_prev or row.hash != expected:
            raise RuntimeError(
                f"caleol: journal d'audit altéré à l'entrée n° {row.id} ; mise à jour du "
                "schéma refusée (vérifiez la base avec « caleol verify-db » ou restaurez "
                "une sauvegarde)")
        old_prev = row.hash
        before_sha256, after_sha256 = _digest(row.before), _digest(row.after)
        if to_v2:
            new_hash = _hash_v2(row, before_sha256, after_sha256, new_prev)
        else:
            new_hash = _hash_v1(row, new_prev)
        updates.append({
            'row_id': row.id, 'new_prev': new_prev, 'new_hash': new_hash,
            'b': before_sha256 if to_v2 else None, 'a': after_sha256 if to_v2 else None,
        })
        new_prev = new_hash
    statement = (
        sa.update(_entries).where(_entries.c.id == sa.bindparam('row_id'))
        .values(prev_hash=sa.bindparam('new_prev'), hash=sa.bindparam('new_hash'),
                before_sha256=sa.bindparam('b'), after_sha256=sa.bindparam('a'))
    )
    for start in range(0, len(updates), _BATCH):
        connection.execute(statement, updates[start:start + _BATCH])


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    with op.batch_alter_table('audit_entry', schema=None) as batch_op:
        batch_op.add_column(sa.Column('before_sha256', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('after_sha256', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('redacted_at', sa.DateTime(timezone=True), nullable=True))
    _drop_update_guard(dialect)
    _rechain(to_v2=True)
    if dialect == 'sqlite':
        op.execute(_SQLITE_NEW_UPDATE)
    else:
        op.execute(_PG_GUARD)
        op.execute('CREATE TRIGGER audit_entry_immutable BEFORE UPDATE OR DELETE ON '
                   'audit_entry FOR EACH ROW EXECUTE FUNCTION caleol_guard_audit()')


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    _drop_update_guard(dialect)
    _rechain(to_v2=False)
    if dialect == 'sqlite':
        op.execute('ALTER TABLE audit_entry DROP COLUMN redacted_at')
        op.execute('ALTER TABLE audit_entry DROP COLUMN after_sha256')
        op.execute('ALTER TABLE audit_entry DROP COLUMN before_sha256')
        op.execute(_SQLITE_OLD_UPDATE)
    else:
        op.execute('DROP FUNCTION caleol_guard_audit()')
        with op.batch_alter_table('audit_entry', schema=None) as batch_op:
            batch_op.drop_column('redacted_at')
            batch_op.drop_column('after_sha256')
            batch_op.drop_column('before_sha256')
        op.execute('CREATE TRIGGER audit_entry_immutable BEFORE UPDATE OR DELETE ON '
                   'audit_entry FOR EACH ROW EXECUTE FUNCTION caleol_reject_change()')
