"""Hardening against tampering: purge records, chain anchors, stricter triggers.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-03 10:00:00.000000

Hostile testing (issue 16) found writes the triggers of 0001 and 0003 let through:

* `purged_row`: the rows whose audit images the retention purge erased. Erasing an
  entry's images (`redacted_at`) is now accepted only for a row listed there; rows
  erased before this revision are listed here, each with its audit entry, so the
  chain and `caleol verify-db` account for them.
* `chain_anchor`: the audit chain's head at a séance's closing (printed in its PV).
* `ix_audit_entry_row`: a row's history by (entity, entity_id), read by every write.
* New triggers (SQLite and PostgreSQL), each refusing with `caleol:refused:<table>`
  or `caleol:frozen:…`/`caleol:immutable:…` for `caleol.db.errors` to translate:
  - audit_entry INSERT: `prev_hash` must be the head of the chain and an entry is
    never born redacted; PostgreSQL also checks that ids only grow and that the images
    match the action and their digests. SQLite has no SHA-256, and each check of a
    trigger run for every row costs every write: `caleol verify-db` recomputes the
    digests and every hash;
  - commission_session: « signed » only with a signed PV stored for it;
  - signed_document INSERT: a PV for a closed séance not yet signed, once; any other
    document for a signed séance; a PDF; a 64-character SHA-256 (checked against the
    content by PostgreSQL), a rectified document of the same séance;
  - candidacy_event INSERT: on an attribution of a closed or signed séance, dated no
    earlier than the séance, passing to a candidacy of the same dwelling; never
    changed or deleted;
  - rectification INSERT: of a closed or signed séance, about one of its documents;
    never changed or deleted;
  - purged_row, chain_anchor: insert-only; an anchor names an existing entry and the
    number of entries up to it.

No existing table is copied (no batch mode): that would drop the triggers of 0001.
"""
import hashlib
import json
from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op


revision: str = '0007'
down_revision: str | None = '0006'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

GENESIS = "0" * 64
FROZEN = "('closed', 'signed')"
ATTRIBUTIONS = "('attribution', 'attribution_rang', 'attribution_sous_condition')"
BEFORE_0007 = "avant-0007"  # purged_row.action of the erasures this revision records

# --- frozen copies (caleol.db.audit may change later) ---------------------------------


def _jsonable(value):
    if isinstance(value, datetime):
        if value.utcoffset() is None:
            value = value.replace(tzinfo=UTC)
        return value.astimezone(UTC).isoformat()
    return value


def _canonical(data: dict) -> str:
    return json.dumps({k: _jsonable(v) for k, v in data.items()}, sort_keys=True,
                      ensure_ascii=False, separators=(",", ":"))


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


_entries = sa.table(
    'audit_entry',
    sa.column('id', sa.Integer()), sa.column('at', sa.DateTime(timezone=True)),
    sa.column('os_user', sa.String()), sa.column('entity', sa.String()),
    sa.column('entity_id', sa.Integer()), sa.column('action', sa.String()),
    sa.column('before', sa.Text()), sa.column('after', sa.Text()),
    sa.column('prev_hash', sa.String()), sa.column('hash', sa.String()),
    sa.column('before_sha256', sa.String()), sa.column('after_sha256', sa.String()),
    sa.column('redacted_at', sa.DateTime(timezone=True)),
)
_purged = sa.table(
    'purged_row',
    sa.column('id', sa.Integer()), sa.column('purged_at', sa.DateTime(timezone=True)),
    sa.column('demande_id', sa.Integer()), sa.column('entity', sa.String()),
    sa.column('entity_id', sa.Integer()), sa.column('action', sa.String()),
)


def _record_past_redactions() -> None:
    """One `purged_row` per row the purge erased before this revision, each audited."""
    connection = op.get_bind()
    erased = connection.execute(
        sa.select(_entries.c.entity, _entries.c.entity_id,
                  sa.func.max(_entries.c.redacted_at))
        .where(_entries.c.redacted_at.is_not(None))
        .group_by(_entries.c.entity, _entries.c.entity_id)
        .order_by(_entries.c.entity, _entries.c.entity_id)
    ).all()
    if not erased:
        return
    connection.execute(sa.insert(_purged), [
        {'purged_at': when, 'entity': entity, 'entity_id': entity_id,
         'demande_id': entity_id if entity == 'demande' else None, 'action': BEFORE_0007}
        for entity, entity_id, when in erased
    ])
    prev = connection.execute(
        sa.select(_entries.c.hash).order_by(_entries.c.id.desc()).limit(1)).scalar()
    at = datetime.now(UTC)
    rows = []
    for row in connection.execute(sa.select(_purged).order_by(_purged.c.id)).mappings():
        after = _canonical(dict(row))
        after_sha256 = _sha(after)
        digest = _sha(_canonical({
            "at": at, "os_user": "migration 0007", "entity": "purged_row",
            "entity_id": row["id"], "action": "insert", "before_sha256": None,
            "after_sha256": after_sha256, "prev_hash": prev,
        }))
        rows.append({'at': at, 'os_user': "migration 0007", 'entity': "purged_row",
                     'entity_id': row["id"], 'action': "insert", 'before': None,
                     'after': after, 'prev_hash': prev, 'hash': digest,
                     'before_sha256': None, 'after_sha256': after_sha256})
        prev = digest
    connection.execute(sa.insert(_entries), rows)


# --- SQLite ----------------------------------------------------------------------------

_KEPT = ("id", "at", "os_user", "entity", "entity_id", "action", "prev_hash", "hash",
         "before_sha256", "after_sha256")


def _redaction_trigger(purge_record: bool) -> str:
    """0003's guard of the log (`purge_record` False), or this revision's."""
    listed = (" AND EXISTS (SELECT 1 FROM purged_row p WHERE p.entity = OLD.entity"
              " AND p.entity_id = OLD.entity_id)") if purge_record else ""
    return f"""CREATE TRIGGER audit_entry_immutable_update BEFORE UPDATE ON audit_entry
    WHEN NOT (NEW.redacted_at IS NOT NULL
              AND {" AND ".join(f'NEW."{c}" IS OLD."{c}"' for c in _KEPT)}
              AND (NEW."before" IS NULL OR NEW."before" IS OLD."before")
              AND (NEW."after" IS NULL OR NEW."after" IS OLD."after"){listed})
    BEGIN SELECT RAISE(ABORT, 'caleol:immutable:audit_entry'); END"""


def _session_of_candidacy(candidacy: str) -> str:
    return ("(SELECT s.{col} FROM candidacy c JOIN agenda_item a ON a.id = c.agenda_item_id"
            f" JOIN commission_session s ON s.id = a.session_id WHERE c.id = {candidacy})")


def _refuse(table: str) -> str:
    return f"BEGIN SELECT RAISE(ABORT, 'caleol:refused:{table}'); END"


def _immutable(table: str) -> list[str]:
    return [
        f"""CREATE TRIGGER {table}_immutable_update BEFORE UPDATE ON {table}
        BEGIN SELECT RAISE(ABORT, 'caleol:immutable:{table}'); END""",
        f"""CREATE TRIGGER {table}_immutable_delete BEFORE DELETE ON {table}
        BEGIN SELECT RAISE(ABORT, 'caleol:immutable:{table}'); END""",
    ]


def _sqlite_statements() -> list[str]:
    head = "(SELECT hash FROM audit_entry ORDER BY id DESC LIMIT 1)"
    status = "(SELECT status FROM commission_session WHERE id = NEW.session_id)"
    of_event = _session_of_candidacy("NEW.candidacy_id")
    return [
        _redaction_trigger(purge_record=True),
        # Only what matters most, every row of every write pays for it (a trigger
        # doubles an insert's cost on SQLite): the chain is extended at its head, never
        # forked nor spliced, and no entry is born redacted. The rest (ids, images and
        # digests, the hash itself: no SHA-256 here) is recomputed by verify-db.
        f"""CREATE TRIGGER audit_entry_append_only BEFORE INSERT ON audit_entry
        WHEN NEW.prev_hash IS NOT coalesce({head}, '{GENESIS}')
          OR NEW.redacted_at IS NOT NULL
        {_refuse('audit_entry')}""",
        f"""CREATE TRIGGER commission_session_signed_with_pv
        BEFORE UPDATE OF status ON commission_session
        WHEN NEW.status = 'signed' AND OLD.status IS NOT 'signed' AND (
            NEW.signed_at IS NULL OR NOT EXISTS (SELECT 1 FROM signed_document d
                WHERE d.session_id = NEW.id AND d.kind = 'pv'))
        BEGIN SELECT RAISE(ABORT, 'caleol:frozen:commission_session'); END""",
        f"""CREATE TRIGGER commission_session_born_unsigned BEFORE INSERT ON commission_session
        WHEN NEW.status = 'signed' {_refuse('commission_session')}""",
        f"""CREATE TRIGGER signed_document_rules BEFORE INSERT ON signed_document
        WHEN NOT coalesce(
              (NEW.kind = 'pv' AND {status} = 'closed' AND NOT EXISTS (
                  SELECT 1 FROM signed_document o WHERE o.session_id = NEW.session_id
                  AND o.kind = 'pv'))
              OR (NEW.kind <> 'pv' AND {status} = 'signed'), 0)
          OR substr(NEW.content, 1, 5) IS NOT X'255044462D'
          OR length(NEW.sha256) <> 64
          OR (NEW.rectifies_document_id IS NOT NULL AND NOT EXISTS (
              SELECT 1 FROM signed_document o WHERE o.id = NEW.rectifies_document_id
              AND o.session_id = NEW.session_id))
        {_refuse('signed_document')}""",
        f"""CREATE TRIGGER candidacy_event_rules BEFORE INSERT ON candidacy_event
        WHEN coalesce({of_event.format(col='status')}, '') NOT IN {FROZEN}
          OR NEW.date < {of_event.format(col='date')}
          OR NOT EXISTS (SELECT 1 FROM decision d WHERE d.candidacy_id = NEW.candidacy_id
                         AND d.kind IN {ATTRIBUTIONS})
          OR (NEW.passes_to_candidacy_id IS NOT NULL
              AND (SELECT agenda_item_id FROM candidacy WHERE id = NEW.passes_to_candidacy_id)
                  IS NOT (SELECT agenda_item_id FROM candidacy WHERE id = NEW.candidacy_id))
        {_refuse('candidacy_event')}""",
        *_immutable("candidacy_event"),
        f"""CREATE TRIGGER rectification_rules BEFORE INSERT ON rectification
        WHEN coalesce({status}, '') NOT IN {FROZEN}
          OR (NEW.document_id IS NOT NULL AND NOT EXISTS (
              SELECT 1 FROM signed_document d WHERE d.id = NEW.document_id
              AND d.session_id = NEW.session_id))
        {_refuse('rectification')}""",
        *_immutable("rectification"),
        *_immutable("purged_row"),
        f"""CREATE TRIGGER chain_anchor_rules BEFORE INSERT ON chain_anchor
        WHEN coalesce({status}, '') NOT IN {FROZEN}
          OR NEW.entry_count <> (SELECT count(*) FROM audit_entry WHERE id <= coalesce(
              (SELECT id FROM audit_entry WHERE hash = NEW.head_hash), -1))
        {_refuse('chain_anchor')}""",
        *_immutable("chain_anchor"),
    ]


SQLITE_TRIGGERS = (
    "audit_entry_append_only", "commission_session_signed_with_pv",
    "commission_session_born_unsigned", "signed_document_rules", "candidacy_event_rules",
    "candidacy_event_immutable_update", "candidacy_event_immutable_delete",
    "rectification_rules", "rectification_immutable_update",
    "rectification_immutable_delete", "purged_row_immutable_update",
    "purged_row_immutable_delete", "chain_anchor_rules", "chain_anchor_immutable_update",
    "chain_anchor_immutable_delete",
)

# --- PostgreSQL ------------------------------------------------------------------------


def _pg_audit_guard(purge_record: bool) -> str:
    """0003's function (`purge_record` False), or this revision's."""
    listed = ("\n           AND EXISTS (SELECT 1 FROM purged_row p WHERE p.entity = OLD.entity"
              " AND p.entity_id = OLD.entity_id)") if purge_record else ""
    return f"""CREATE OR REPLACE FUNCTION caleol_guard_audit() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'UPDATE' AND NEW.redacted_at IS NOT NULL
           AND (to_jsonb(NEW) - 'before' - 'after' - 'redacted_at')
               = (to_jsonb(OLD) - 'before' - 'after' - 'redacted_at')
           AND (NEW."before" IS NULL OR NEW."before" IS NOT DISTINCT FROM OLD."before")
           AND (NEW."after" IS NULL OR NEW."after" IS NOT DISTINCT FROM OLD."after"){listed}
           THEN
            RETURN NEW;
        END IF;
        RAISE EXCEPTION 'caleol:immutable:%', TG_TABLE_NAME;
    END $$"""


def _digest(column: str) -> str:
    return f"encode(sha256(convert_to(NEW.\"{column}\", 'UTF8')), 'hex')"


_PG_FUNCTIONS = [
    f"""CREATE FUNCTION caleol_audit_append() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE head text;
    BEGIN
        SELECT e.hash INTO head FROM audit_entry e ORDER BY e.id DESC LIMIT 1;
        IF NEW.prev_hash IS DISTINCT FROM coalesce(head, '{GENESIS}')
           OR NEW.id <= coalesce((SELECT max(e.id) FROM audit_entry e), 0)
           OR NEW.redacted_at IS NOT NULL
           OR NEW.action NOT IN ('insert', 'update', 'delete')
           OR (NEW."before" IS NULL) <> (NEW.before_sha256 IS NULL)
           OR (NEW."after" IS NULL) <> (NEW.after_sha256 IS NULL)
           OR (NEW.action = 'insert') <> (NEW."before" IS NULL)
           OR (NEW.action = 'delete') <> (NEW."after" IS NULL)
           OR length(NEW.hash) <> 64
           OR (NEW."before" IS NOT NULL AND {_digest('before')} <> NEW.before_sha256)
           OR (NEW."after" IS NOT NULL AND {_digest('after')} <> NEW.after_sha256) THEN
            RAISE EXCEPTION 'caleol:refused:audit_entry';
        END IF;
        RETURN NEW;
    END $$""",
    """CREATE FUNCTION caleol_guard_signing() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'INSERT' AND NEW.status = 'signed' THEN
            RAISE EXCEPTION 'caleol:refused:commission_session';
        END IF;
        IF TG_OP = 'UPDATE' AND NEW.status = 'signed'
           AND OLD.status IS DISTINCT FROM 'signed' AND (
               NEW.signed_at IS NULL OR NOT EXISTS (SELECT 1 FROM signed_document d
                   WHERE d.session_id = NEW.id AND d.kind = 'pv')) THEN
            RAISE EXCEPTION 'caleol:frozen:commission_session';
        END IF;
        RETURN NEW;
    END $$""",
    """CREATE FUNCTION caleol_guard_signed_document() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE st text;
    BEGIN
        SELECT s.status INTO st FROM commission_session s WHERE s.id = NEW.session_id;
        IF NOT coalesce(
               (NEW.kind = 'pv' AND st = 'closed' AND NOT EXISTS (
                   SELECT 1 FROM signed_document o WHERE o.session_id = NEW.session_id
                   AND o.kind = 'pv'))
               OR (NEW.kind <> 'pv' AND st = 'signed'), false)
           OR substring(NEW.content from 1 for 5) <> '\\x255044462d'::bytea
           OR NEW.sha256 IS DISTINCT FROM encode(sha256(NEW.content), 'hex')
           OR (NEW.rectifies_document_id IS NOT NULL AND NOT EXISTS (
               SELECT 1 FROM signed_document o WHERE o.id = NEW.rectifies_document_id
               AND o.session_id = NEW.session_id)) THEN
            RAISE EXCEPTION 'caleol:refused:signed_document';
        END IF;
        RETURN NEW;
    END $$""",
    f"""CREATE FUNCTION caleol_guard_event() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE st text; day date;
    BEGIN
        SELECT s.status, s.date INTO st, day FROM candidacy c
            JOIN agenda_item a ON a.id = c.agenda_item_id
            JOIN commission_session s ON s.id = a.session_id WHERE c.id = NEW.candidacy_id;
        IF coalesce(st, '') NOT IN {FROZEN} OR NEW.date < day
           OR NOT EXISTS (SELECT 1 FROM decision d WHERE d.candidacy_id = NEW.candidacy_id
                          AND d.kind IN {ATTRIBUTIONS})
           OR (NEW.passes_to_candidacy_id IS NOT NULL
               AND (SELECT agenda_item_id FROM candidacy WHERE id = NEW.passes_to_candidacy_id)
                   IS DISTINCT FROM
                   (SELECT agenda_item_id FROM candidacy WHERE id = NEW.candidacy_id)) THEN
            RAISE EXCEPTION 'caleol:refused:candidacy_event';
        END IF;
        RETURN NEW;
    END $$""",
    f"""CREATE FUNCTION caleol_guard_rectification() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF coalesce((SELECT s.status FROM commission_session s WHERE s.id = NEW.session_id),
                    '') NOT IN {FROZEN}
           OR (NEW.document_id IS NOT NULL AND NOT EXISTS (
               SELECT 1 FROM signed_document d WHERE d.id = NEW.document_id
               AND d.session_id = NEW.session_id)) THEN
            RAISE EXCEPTION 'caleol:refused:rectification';
        END IF;
        RETURN NEW;
    END $$""",
    f"""CREATE FUNCTION caleol_guard_anchor() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF coalesce((SELECT s.status FROM commission_session s WHERE s.id = NEW.session_id),
                    '') NOT IN {FROZEN}
           OR NEW.entry_count <> (SELECT count(*) FROM audit_entry WHERE id <= coalesce(
               (SELECT e.id FROM audit_entry e WHERE e.hash = NEW.head_hash), -1)) THEN
            RAISE EXCEPTION 'caleol:refused:chain_anchor';
        END IF;
        RETURN NEW;
    END $$""",
]
_PG_FUNCTION_NAMES = ("caleol_audit_append()", "caleol_guard_signing()",
                      "caleol_guard_signed_document()", "caleol_guard_event()",
                      "caleol_guard_rectification()", "caleol_guard_anchor()")
_INSERT_ONLY = ("candidacy_event", "rectification", "purged_row", "chain_anchor")


def _pg_statements() -> list[str]:
    statements = [_pg_audit_guard(purge_record=True), *_PG_FUNCTIONS,
                  "CREATE TRIGGER audit_entry_append_only BEFORE INSERT ON audit_entry"
                  " FOR EACH ROW EXECUTE FUNCTION caleol_audit_append()",
                  "CREATE TRIGGER commission_session_signing BEFORE INSERT OR UPDATE ON"
                  " commission_session FOR EACH ROW EXECUTE FUNCTION caleol_guard_signing()",
                  "CREATE TRIGGER signed_document_rules BEFORE INSERT ON signed_document"
                  " FOR EACH ROW EXECUTE FUNCTION caleol_guard_signed_document()",
                  "CREATE TRIGGER candidacy_event_rules BEFORE INSERT ON candidacy_event"
                  " FOR EACH ROW EXECUTE FUNCTION caleol_guard_event()",
                  "CREATE TRIGGER rectification_rules BEFORE INSERT ON rectification"
                  " FOR EACH ROW EXECUTE FUNCTION caleol_guard_rectification()",
                  "CREATE TRIGGER chain_anchor_rules BEFORE INSERT ON chain_anchor"
                  " FOR EACH ROW EXECUTE FUNCTION caleol_guard_anchor()"]
    for table in _INSERT_ONLY:
        statements += [
            f"CREATE TRIGGER {table}_immutable BEFORE UPDATE OR DELETE ON {table}"
            " FOR EACH ROW EXECUTE FUNCTION caleol_reject_change()",
            f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table}"
            " FOR EACH STATEMENT EXECUTE FUNCTION caleol_reject_change()",
        ]
    return statements


def _pg_drop() -> None:
    for name, table in (("audit_entry_append_only", "audit_entry"),
                        ("commission_session_signing", "commission_session"),
                        ("signed_document_rules", "signed_document"),
                        ("candidacy_event_rules", "candidacy_event"),
                        ("rectification_rules", "rectification"),
                        ("chain_anchor_rules", "chain_anchor")):
        op.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}")
    for table in _INSERT_ONLY:
        op.execute(f"DROP TRIGGER IF EXISTS {table}_immutable ON {table}")
        op.execute(f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table}")
    for function in _PG_FUNCTION_NAMES:
        op.execute(f"DROP FUNCTION IF EXISTS {function}")
    op.execute(_pg_audit_guard(purge_record=False))


# --- revision ---------------------------------------------------------------------------


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    op.create_table(
        'purged_row',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('purged_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('demande_id', sa.Integer(), nullable=True),
        sa.Column('entity', sa.String(length=100), nullable=False),
        sa.Column('entity_id', sa.Integer(), nullable=False),
        sa.Column('action', sa.String(length=40), nullable=False),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_purged_row_row', 'purged_row', ['entity', 'entity_id'], unique=False)
    op.create_index('ix_purged_row_demande_id', 'purged_row', ['demande_id'], unique=False)
    op.create_table(
        'chain_anchor',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('session_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=40), nullable=False),
        sa.Column('entry_count', sa.Integer(), nullable=False),
        sa.Column('head_hash', sa.String(length=64), nullable=False),
        sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['session_id'], ['commission_session.id']),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_chain_anchor_session_id', 'chain_anchor', ['session_id'],
                    unique=False)
    op.create_index('ix_audit_entry_row', 'audit_entry', ['entity', 'entity_id'],
                    unique=False)
    _record_past_redactions()
    if dialect == 'sqlite':
        op.execute('DROP TRIGGER IF EXISTS audit_entry_immutable_update')
        for statement in _sqlite_statements():
            op.execute(statement)
    else:
        for statement in _pg_statements():
            op.execute(statement)


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == 'sqlite':
        for name in SQLITE_TRIGGERS:
            op.execute(f'DROP TRIGGER IF EXISTS {name}')
        op.execute('DROP TRIGGER IF EXISTS audit_entry_immutable_update')
        op.execute(_redaction_trigger(purge_record=False))
    else:
        _pg_drop()
    # the audit entries of the rows recorded by upgrade() stay: the log is append-only
    op.drop_index('ix_audit_entry_row', table_name='audit_entry')
    op.drop_index('ix_chain_anchor_session_id', table_name='chain_anchor')
    op.drop_table('chain_anchor')
    op.drop_index('ix_purged_row_demande_id', table_name='purged_row')
    op.drop_index('ix_purged_row_row', table_name='purged_row')
    op.drop_table('purged_row')
