"""Helpers for the import/export tests: a database with the demo's reference data."""

from __future__ import annotations

import io
from datetime import date

from sqlalchemy import Engine, func, select

from caleol.db.models import metadata
from caleol.services.bulk import AuditedInserter
from caleol.services.demo.reference import create_references
from caleol.services.demo.territory import create_territory

TODAY = date(2026, 11, 23)
DATA_TABLES = (
    "dwelling", "demande", "household_member", "resource", "demande_priority",
    "wished_commune", "commune", "audit_entry",
)


def with_references(engine: Engine) -> Engine:
    """Territory (agencies, communes, EPCI) and reference tables of the demo."""
    with engine.begin() as connection:
        writer = AuditedInserter(connection)
        territory = create_territory(writer)
        create_references(writer, territory)
    return engine


def counts(engine: Engine) -> dict[str, int]:
    with engine.connect() as connection:
        return {
            name: connection.execute(
                select(func.count()).select_from(metadata.tables[name])
            ).scalar_one()
            for name in DATA_TABLES
        }


def csv_bytes(text: str, encoding: str = "utf-8-sig") -> io.BytesIO:
    return io.BytesIO(text.encode(encoding))
