"""A model's class attributes as SQLAlchemy's typed API takes them.

SQLModel declares each field with the type an instance holds (`Demande.members` is a
`list[HouseholdMember]`, `Demande.id` an `int | None`) and leaves `__table__` undeclared,
while on the class they are SQLAlchemy's instrumented attributes and table. `sqlmodel.col`
gives a column its SQL type; these two do the same for a relationship (loader options such
as `selectinload`) and for a model's table, checked at run time rather than cast. A row's
`id` is None only before it is first flushed: `stored_id` says so once.
"""

from typing import Any, Protocol

from sqlalchemy import Table
from sqlalchemy.orm import QueryableAttribute


def rel(attribute: object) -> QueryableAttribute[Any]:
    """`Demande.members` as the relationship attribute it is on the class."""
    if not isinstance(attribute, QueryableAttribute):
        raise TypeError(f"not a mapped attribute: {attribute!r}")
    return attribute


def table_of(model: type[object]) -> Table:
    """The table a `table=True` model is mapped to."""
    table = getattr(model, "__table__", None)
    if not isinstance(table, Table):
        raise TypeError(f"{model.__name__} is not mapped to a table")
    return table


class Stored(Protocol):
    """A model with an `id` primary key (every caleol table)."""

    id: int | None


def stored_id(row: Stored) -> int:
    """The id of a row read from the database or flushed to it."""
    if row.id is None:
        raise ValueError(f"{type(row).__name__} not flushed yet: no id")
    return row.id
