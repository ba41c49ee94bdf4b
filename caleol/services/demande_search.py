"""The Demandes text filter: fragments of a name or a NUR, through the trigram index.

What the secretary types is split into words; each word must appear in the
applicant's name or in the NUR (digits alone: the NUR's start). Names are compared by
their stored sort key (no accents, case-folded: « elodie » finds « Élodie », « oeuvre »
finds « Œuvre »).

On SQLite every word of three characters or more is answered by the FTS5 trigram
index (`caleol.db.text_search`), all of them in one query; shorter words, or a
database without the index, are checked by `LIKE` on every demande: the same rows,
more slowly (the index folds case as SQLite's LIKE does). On PostgreSQL, LIKE on the
folded name and ILIKE on the NUR use
its own trigram indexes by itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, and_, column, func, or_, select, table
from sqlalchemy.sql import ColumnElement, Select
from sqlmodel import col

from caleol.db import text_search
from caleol.db.models import Demande
from caleol.db.models.demande import name_sort_key

# Above this many demandes found by the index, a page in the list's order is read by
# walking the order's index and keeping the demandes found (a few thousand index
# entries), rather than reading every demande found to sort them.
WALK_ORDER_ABOVE = 2000

_SEARCH = table(text_search.SEARCH_TABLE, column("rowid"), column(text_search.SEARCH_TABLE))


def like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def contains(column: Any, text: str, plain_like: bool = False) -> ColumnElement[bool]:
    """Case-insensitive substring match.

    With `plain_like` (SQLite), a bare LIKE: SQLite's LIKE already ignores ASCII case
    and its lower() folds ASCII only, so the lower(…) pair `ilike` adds matches the
    same rows while costing two function calls per row (2–3× the filter's time on
    100 000 demandes). PostgreSQL's LIKE is case-sensitive: `ilike` there.
    """
    pattern = f"%{like_escape(text)}%"
    if plain_like:
        return col(column).like(pattern, escape="\\")
    return col(column).ilike(pattern, escape="\\")


@dataclass(frozen=True)
class TextCondition:
    """The text filter as SQL.

    Attributes:
        scanned: conditions checked on every demande (short words, NUR prefix).
        match: the FTS5 query of the words the index answers, None if none.
    """

    scanned: tuple[ColumnElement[bool], ...] = ()
    match: str | None = None


class DemandeTextSearch:
    """Turns the typed text into SQL for one database (the index looked up once)."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._sqlite = engine.dialect.name == "sqlite"
        self._index: bool | None = None
        self._last_found: tuple[str, int] | None = None  # the last count_found

    def has_index(self) -> bool:
        """The SQLite trigram index exists in this database (asked once)."""
        if not self._sqlite:
            return False
        if self._index is None:
            with self._engine.connect() as connection:
                self._index = text_search.has_index(connection)
        return self._index

    def use_scan_only(self) -> None:
        """Ignore the index (the benchmark's baseline: the scan it replaces)."""
        self._index = False

    def condition(self, text: str) -> TextCondition:
        text = text.strip()
        if not text:
            return TextCondition()
        if text.replace(" ", "").isdigit():
            return TextCondition((self._nur_prefix(text.replace(" ", "")),))
        scanned: list[ColumnElement[bool]] = []
        matched: list[str] = []
        for word in text.split():
            key = name_sort_key(word, "")
            if min(len(key), len(word)) >= text_search.MIN_FRAGMENT and self.has_index():
                matched.append(f"(name_sort_key : {text_search.phrase(key)} "
                               f"OR nur : {text_search.phrase(word)})")
            else:
                # the key and the stored key are both case-folded: a plain LIKE on
                # any database (PostgreSQL's ILIKE folds each row again: its trigram
                # recheck of 5 021 rows for « mar » costs ~2× the LIKE's)
                scanned.append(or_(contains(Demande.name_sort_key, key, plain_like=True),
                                   contains(Demande.nur, word, self._sqlite)))
        return TextCondition(tuple(scanned), " AND ".join(matched) or None)

    def found(self, match: str, *, walk_order: bool = False) -> ColumnElement[bool]:
        """Demandes the index finds for `match`; `walk_order`: written so SQLite reads
        them in the order's index instead of looking each one up (`+id`)."""
        ids = select(_SEARCH.c.rowid).where(_SEARCH.c[text_search.SEARCH_TABLE].match(match))
        target = col(Demande.id) + 0 if walk_order else col(Demande.id)
        return target.in_(ids)

    def count_found(self, match: str) -> int:
        """How many demandes the index finds (each demande is one row of the index)."""
        statement: Select[Any] = select(func.count()).select_from(_SEARCH).where(
            _SEARCH.c[text_search.SEARCH_TABLE].match(match))
        with self._engine.connect() as connection:
            found = int(connection.execute(statement).scalar_one())
        self._last_found = (match, found)
        return found

    def many_found(self, match: str) -> bool:
        """Whether the index finds more than `WALK_ORDER_ABOVE` demandes: the count the
        list has just asked for, else counted now (a choice of plan, never a result)."""
        last = self._last_found
        found = last[1] if last is not None and last[0] == match else self.count_found(match)
        return found > WALK_ORDER_ABOVE

    def _nur_prefix(self, prefix: str) -> ColumnElement[bool]:
        """NURs starting with these digits.

        On SQLite (byte order) also as a range of the unique NUR index, which a LIKE
        prefix cannot use (SQLite's LIKE ignores case); a server's collation may order
        « : » (the digit after 9) elsewhere, so PostgreSQL keeps the LIKE alone.
        """
        nur = col(Demande.nur)
        like = nur.like(f"{like_escape(prefix)}%", escape="\\")
        if not self._sqlite:
            return like
        upper = prefix[:-1] + chr(ord(prefix[-1]) + 1)
        return and_(nur >= prefix, nur < upper, like)
