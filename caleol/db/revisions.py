"""The schema revision, read without Alembic: the fast path of every start.

Importing Alembic costs a fifth of a second on an office PC, for a check that finds
the database up to date nearly every time. The packaged head is read from the
migration scripts' own `revision` / `down_revision` lines (so it can never disagree
with them), the stored one with one SELECT. Anything unusual (no scripts found, a
database not at the head) goes through `caleol.db.migrate` and Alembic as before.
SQLAlchemy is imported only to read the stored revision: the light read of the
Séances list (`caleol.services.session_list`) asks for the head before it is loaded.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlalchemy import Connection

VERSIONS_DIR = Path(__file__).resolve().parent / "migrations" / "versions"
VERSION_TABLE = "alembic_version"
_REVISION = re.compile(r"^(revision|down_revision)\s*(?::[^=]*)?=\s*['\"]?([\w]+|None)['\"]?",
                       re.MULTILINE)


def packaged_head() -> str | None:
    """The one revision no script revises, or None when that cannot be told simply."""
    return _head_of(VERSIONS_DIR)


@cache
def _head_of(folder: Path) -> str | None:
    revisions: set[str] = set()
    revised: set[str] = set()
    for script in folder.glob("*.py"):
        found = _assignments(script)
        if "revision" not in found:
            continue
        revisions.add(found["revision"])
        if found.get("down_revision", "None") != "None":
            revised.add(found["down_revision"])
    heads = revisions - revised
    return heads.pop() if len(heads) == 1 else None


def packaged_revisions() -> frozenset[str]:
    """Every revision of the packaged scripts: one a database caleol can open may have."""
    return _revisions_of(VERSIONS_DIR)


@cache
def _revisions_of(folder: Path) -> frozenset[str]:
    found = (_assignments(script) for script in folder.glob("*.py"))
    return frozenset(f["revision"] for f in found if "revision" in f)


def stored_revision(connection: Connection) -> str | None:
    """The revision recorded in the database, None when it has no version table."""
    from sqlalchemy import text

    if not connection.dialect.has_table(connection, VERSION_TABLE):
        return None
    rows = connection.execute(text(f"SELECT version_num FROM {VERSION_TABLE}")).all()
    return rows[0][0] if len(rows) == 1 else None


def is_up_to_date(connection: Connection) -> bool:
    head = packaged_head()
    return head is not None and stored_revision(connection) == head


def _assignments(script: Path) -> dict[str, str]:
    """The script's `revision` and `down_revision` assignments, as written."""
    return {m[1]: m[2] for m in _REVISION.finditer(script.read_text("utf-8"))}
