"""What `caleol.services.bulk` knows of a table, and a batch of its rows turned into
statement parameters and audit images, column by column.

A plan is made once per table (column order, model defaults, SQLAlchemy's own bind
processors, the converters `caleol.db.audit.canonical_json` applies). A batch is then
handled a column at a time: a column without bind processor or image converter (most
of them) costs nothing per row in Python, and the images of the whole batch are
written by `json`'s C encoder in one call (`images`), instead of one dictionary and
one encoder call per row. Image texts are exactly what `audit.row_image` gives for
the row read back (`tests/services/test_bulk.py`, `tests/services/test_bulk_plan.py`).
"""

from __future__ import annotations

import functools
import itertools
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from functools import cache
from typing import Any

from pydantic_core import PydanticUndefined
from sqlalchemy import JSON, Date, DateTime, Dialect, LargeBinary, Table, Time, insert
from sqlmodel import SQLModel

from caleol.db import audit, models
from caleol.db.models import metadata
from caleol.db.models.base import DecimalText

MISSING = object()
_JSON = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))  # = canonical_json
encode = _JSON.encode


def _unsupported(value: Any) -> Any:
    raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")


# `json`'s C encoder, called directly (`JSONEncoder.encode` builds one per call), with
# NUL between items: an encoded value never holds a raw NUL (JSON escapes it as
# \u0000), so splitting on it gives back each value's text. None without the C module.
_c_make_encoder = getattr(json.encoder, "c_make_encoder", None)
_split_encoder = (
    _c_make_encoder(None, _unsupported, json.encoder.encode_basestring, None, ":", "\x00",
                    False, False, True)
    if _c_make_encoder is not None else None
)


class Factory:
    """A default computed per row (timestamps), never frozen in a cached plan."""

    def __init__(self, make: Callable[[], Any]) -> None:
        self.make = make


@cache
def _model_of(table_name: str) -> type[SQLModel] | None:
    for name in models.__all__:
        candidate = getattr(models, name)
        if isinstance(candidate, type) and getattr(candidate, "__tablename__", None) == table_name:
            return candidate
    return None


def _default(column: Any, model: type[SQLModel] | None) -> Any:
    if column.name == "version":
        return 1  # what the ORM's version counter starts at
    field = model.model_fields.get(column.name) if model is not None else None
    if field is None:
        return None
    if field.default_factory is not None:
        # The models' factories take no argument (pydantic also allows one taking the data).
        return Factory(field.default_factory)  # type: ignore[arg-type]
    if field.default is PydanticUndefined:
        return MISSING
    return field.default


def datetime_text(value: datetime) -> str:
    """As `audit_images` writes a stored timestamp (no offset: UTC, as SQLite keeps it);
    a naive Paris wall time is refused at bind by UTCDateTime (`fr.utc_instant` first)."""
    if value.utcoffset() is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).isoformat()


def _iso(value: date | time) -> str:
    return value.isoformat()


def _via_canonical(value: Any) -> Any:
    return json.loads(audit.canonical_json(value))


def _image_converter(column: Any) -> Callable[[Any], Any] | None:
    """How `audit.canonical_json` turns this column's values into JSON (None: as is)."""
    kind = column.type
    if isinstance(kind, DateTime) or isinstance(getattr(kind, "impl", None), DateTime):
        return datetime_text  # SQLModel's UTCDateTime decorates a DateTime
    if isinstance(kind, Date | Time):
        return _iso
    if isinstance(kind, JSON | LargeBinary | DecimalText):
        return _via_canonical
    return None


@dataclass(frozen=True)
class Plan:  # cached_property needs a __dict__: no slots
    """Everything about a table that does not change from one row to the next."""

    table: Table
    names: tuple[str, ...]  # every column but `id`, in table order
    pairs: tuple[tuple[str, Any], ...]  # (name, default) in table order
    special: tuple[int, ...]  # positions whose default is required or computed per row
    binders: tuple[tuple[int, Callable[[Any], Any]], ...]  # positions in the statement
    # (column name, index in `names` or -1 for id, converter), sorted by column name
    image_order: tuple[tuple[str, int, Callable[[Any], Any] | None], ...]
    sql: str
    named: bool  # pyformat/named paramstyle (PostgreSQL) vs qmark (SQLite)
    explicit_id: bool  # the statement takes `id` first (ids reserved beforehand)

    @functools.cached_property
    def defaults(self) -> tuple[Any, ...]:
        return tuple(default for _name, default in self.pairs)

    @functools.cached_property
    def image_keys(self) -> tuple[str, ...]:
        return tuple(name for name, _index, _convert in self.image_order)

    @functools.cached_property
    def image_positions(self) -> tuple[int, ...]:
        """Where each image key's value is in a row's values (-1: the new id)."""
        return tuple(index for _name, index, _convert in self.image_order)

    @functools.cached_property
    def image_converters(self) -> tuple[tuple[int, Callable[[Any], Any]], ...]:
        """(position in the image, converter) of the values `canonical_json` rewrites."""
        return tuple((at, convert) for at, (_name, _index, convert)
                     in enumerate(self.image_order) if convert is not None)

    @functools.cached_property
    def image_template(self) -> str | None:
        """`{"key":%s,…}` in sorted key order, for images made of plain JSON values
        only; None when a column may hold a list or a mapping (JSON, bytes, decimals
        go through `canonical_json`, one row at a time)."""
        if _split_encoder is None or any(
                convert is _via_canonical for _name, _index, convert in self.image_order):
            return None
        keys = (encode(name).replace("%", "%%") for name in self.image_keys)
        return "{" + ",".join(f"{key}:%s" for key in keys) + "}"


@cache
def plan_of(table_name: str, dialect: Dialect, explicit_id: bool) -> Plan:
    table = metadata.tables[table_name]
    model = _model_of(table_name)
    columns = [c for c in table.columns if c.name != "id"]
    names = tuple(c.name for c in columns)
    with_id = ("id", *names) if explicit_id else names
    compiled = insert(table).compile(dialect=dialect, column_keys=list(with_id))
    binders = tuple(
        (position, binder)
        for position, name in enumerate(with_id)
        if (binder := table.c[name].type._cached_bind_processor(dialect)) is not None
    )
    defaults = tuple(_default(c, model) for c in columns)
    image_order = tuple(
        (name,
         -1 if name == "id" else names.index(name),
         None if name == "id" else _image_converter(table.c[name]))
        for name in sorted(("id", *names))
    )
    return Plan(
        table=table,
        names=names,
        pairs=tuple(zip(names, defaults, strict=True)),
        special=tuple(
            i for i, d in enumerate(defaults) if d is MISSING or isinstance(d, Factory)
        ),
        binders=binders,
        image_order=image_order,
        sql=str(compiled),
        named=dialect.paramstyle in ("pyformat", "named"),
        explicit_id=explicit_id,
    )


def row_values(plan: Plan, row: Mapping[str, Any]) -> list[Any]:
    """A row's values in `plan.names` order, defaults filled in."""
    values = list(map(row.get, plan.names, plan.defaults))
    for index in plan.special:
        value = values[index]
        if value is MISSING:
            raise KeyError(f"{plan.table.name}: column {plan.names[index]} is required")
        if isinstance(value, Factory):
            values[index] = value.make()
    return values


def _image(plan: Plan, values: Sequence[Any], new_id: int) -> str:
    """Same text as `audit.row_image` (sorted keys, compact, UTF-8 kept)."""
    image = [new_id if index < 0 else values[index] for index in plan.image_positions]
    for at, convert in plan.image_converters:
        if image[at] is not None:
            image[at] = convert(image[at])
    return encode(dict(zip(plan.image_keys, image, strict=True)))  # keys in sorted order


def columns_of(batch: Sequence[Sequence[Any]], width: int) -> list[Sequence[Any]]:
    """The batch's rows as columns (`width` of them, even for no row)."""
    return list(zip(*batch, strict=True)) if batch else [() for _ in range(width)]


def images(plan: Plan, columns: Sequence[Sequence[Any]], ids: Sequence[int]) -> list[str]:
    """The audit images of a batch given as columns (`plan.names` order) and its ids.

    One C encoder call writes every value of the batch, NUL-separated; each row's
    values then fill the plan's template, all rows at once (rows joined by a raw
    \\x01, which no encoded value or column name holds). The count of values is
    checked: a value the encoder wrote as a list of several items would be split.
    """
    template = plan.image_template
    count = len(ids)
    if template is None or _split_encoder is None or not count:
        rows = list(zip(*columns, strict=True)) if columns else [() for _ in ids]
        return [_image(plan, values, new_id) for values, new_id in zip(rows, ids, strict=True)]
    converters = dict(plan.image_converters)
    ordered: list[Sequence[Any]] = []
    for at, index in enumerate(plan.image_positions):
        column = ids if index < 0 else columns[index]
        convert = converters.get(at)
        if convert is not None:
            column = [None if v is None else convert(v) for v in column]
        ordered.append(column)
    flat = list(itertools.chain.from_iterable(zip(*ordered, strict=True)))
    pieces = "".join(_split_encoder(flat, 0))[1:-1].split("\x00")
    if len(pieces) != len(flat):
        raise TypeError(f"{plan.table.name}: a value is not a plain JSON value")
    return ("\x01".join([template] * count) % tuple(pieces)).split("\x01")


def bound_columns(plan: Plan, columns: Sequence[Sequence[Any]], ids: Sequence[int] | None,
                  prebound: frozenset[int] = frozenset()) -> list[Sequence[Any]]:
    """The statement's columns (the id first when `plan.explicit_id`), each value through
    SQLAlchemy's bind processor of its column (None stays None)."""
    bound: list[Sequence[Any]] = [ids] if ids is not None else []
    bound += columns
    for index, binder in plan.binders:
        if index not in prebound:
            bound[index] = [None if v is None else binder(v) for v in bound[index]]
    return bound


__all__ = ["MISSING", "Factory", "Plan", "bound_columns", "columns_of", "datetime_text",
           "encode", "images", "plan_of", "row_values"]
