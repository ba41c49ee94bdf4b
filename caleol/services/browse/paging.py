"""What the Logements and Demandes lists share: the sort a page is read in, and the
communes a filter offers."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from sqlalchemy import Engine, exists, select
from sqlmodel import col

from caleol.db.engine import session_scope
from caleol.db.models import Commune

if TYPE_CHECKING:
    from typing import TypeAlias

    from sqlalchemy.sql import Select

    # A select of any columns: SQLAlchemy 2.1 types a select by its row's columns.
    Rows: TypeAlias = Select[*tuple[Any, ...]]


class SortLike(Protocol):
    """What the UI's sort spec provides (`caleol.ui.models.paged.SortSpec`)."""

    key: str
    descending: bool


@dataclass(frozen=True)
class Choice:
    """A value offered by a filter combo box and its French label."""

    value: Any
    label: str


def ordered(statement: Rows, columns: dict[str, Any], sort: SortLike | None,
            default: Sequence[Any], tie_breaker: Any,
            not_null: frozenset[str] = frozenset()) -> Rows:
    """`statement` in the order of `sort` (the default order for an unknown key), the
    id breaking ties so that pages never overlap or skip a row."""
    column = columns.get(sort.key) if sort is not None else None
    if column is None:
        return statement.order_by(*default, tie_breaker)
    descending = sort is not None and sort.descending
    keys = [column.desc(), tie_breaker.desc()] if descending else [column.asc(), tie_breaker]
    # Empty values last in both directions, as the in-memory tables do; not for
    # columns that are never empty: the extra term would stop SQLite using an index.
    if sort is not None and sort.key not in not_null:
        keys.insert(0, column.is_(None))
    return statement.order_by(*keys)


def count_then_fetch(count: Callable[[Any], int],
                     fetch: Callable[[int, int, Any, Any], Sequence[Any]],
                     limit: int, sort: Any, filters: Any) -> tuple[int, Sequence[Any]]:
    """A list's total and first page, asked one after the other (what `first_page`
    is wherever a service has no cheaper way to give both)."""
    total = max(0, int(count(filters)))
    return total, fetch(0, min(limit, total), sort, filters) if total else []


def communes_in_use(engine: Engine, commune_of: Any) -> list[Choice]:
    """The communes a filter offers: those `commune_of` (a commune id column of the
    listed records) refers to, by name."""
    with session_scope(engine) as session:
        communes = session.execute(
            select(col(Commune.id), col(Commune.name))
            .where(exists().where(commune_of == Commune.id))
            .order_by(col(Commune.name))
        ).all()
    return [Choice(cid, name) for cid, name in communes]
