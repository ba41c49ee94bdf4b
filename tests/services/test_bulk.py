"""Audited bulk inserts write the same audit entries the ORM hooks would."""

from __future__ import annotations

import json
from datetime import date, datetime
from decimal import Decimal

import pytest
from sqlalchemy import Engine, select

from caleol.db import audit
from caleol.db.models import AuditEntry, Demande, Target, TerritoryDatasetRow
from caleol.fr import PARIS
from caleol.services.audit import verify_chain
from caleol.services.bulk import AuditedInserter


def test_images_and_hashes_match_the_audit_module(engine: Engine) -> None:
    with engine.begin() as connection:
        writer = AuditedInserter(connection)
        ids = writer.insert(Demande.__table__, [  # type: ignore[attr-defined]
            {"nur": f"05724030012{n}G5701", "filing_date": date(2024, 3, 1),
             "applicant_surname": "Müller « é »", "dalo": n == 1}
            for n in range(3)
        ])
        writer.insert(Target.__table__, [  # type: ignore[attr-defined]
            {"indicator_code": "PS-1", "year": 2026, "value": Decimal("0.25")}
        ])
    assert len(ids) == 3 and len(set(ids)) == 3
    table = AuditEntry.__table__  # type: ignore[attr-defined]
    with engine.connect() as connection:
        entries = connection.execute(select(table).order_by(table.c.id)).mappings().all()
        stored = audit.read_images(connection, Demande.__table__, ids)  # type: ignore[attr-defined]
    assert [e["entity_id"] for e in entries[:3]] == ids
    for entry in entries[:3]:
        assert entry["after"] == stored[entry["entity_id"]]  # image = the row as stored
        assert json.loads(entry["after"])["version"] == 1
    for entry in entries:
        fields = {k: entry[k] for k in ("at", "os_user", "entity", "entity_id", "action",
                                        "before_sha256", "after_sha256", "prev_hash")}
        assert entry["hash"] == audit.entry_hash(**fields)
        assert entry["after_sha256"] == audit.image_digest(entry["after"])
    assert verify_chain(engine).ok


def test_unknown_column_is_a_programming_error(engine: Engine) -> None:
    with engine.begin() as connection, pytest.raises(KeyError, match="nir"):
        AuditedInserter(connection).insert(
            Demande.__table__, [{"nur": "x", "filing_date": date(2024, 1, 1), "nir": "1"}]  # type: ignore[attr-defined]
        )


def _dataset(imported_at: datetime, sha: str) -> dict[str, object]:
    return {"name": "communes", "version": "2026", "data_date": date(2026, 1, 1),
            "sha256": sha, "imported_at": imported_at, "content": b"x"}


def test_a_timestamp_is_imaged_as_the_utc_instant_stored(engine: Engine) -> None:
    """A Paris time given with its zone is stored and audited as the same UTC instant;
    a naive one is refused (UTCDateTime): it never reaches the base, so the image's
    naive-means-UTC reading (the convention of a stored value without offset, as in
    `audit_images`) cannot mislabel a Paris wall time (those go through
    `fr.utc_instant` first)."""
    paris = datetime(2026, 3, 10, 14, 30, tzinfo=PARIS)
    table = TerritoryDatasetRow.__table__  # type: ignore[attr-defined]
    with engine.begin() as connection:
        [row_id] = AuditedInserter(connection).insert(table, [_dataset(paris, "a" * 64)])
    entries = AuditEntry.__table__  # type: ignore[attr-defined]
    with engine.connect() as connection:
        stored = audit.read_images(connection, table, [row_id])[row_id]
        entry = connection.execute(select(entries.c.after).where(
            entries.c.entity == "territory_dataset", entries.c.entity_id == row_id)
        ).scalar_one()
    assert entry == stored
    assert json.loads(stored)["imported_at"] == "2026-03-10T13:30:00+00:00"
    naive = datetime(2026, 3, 10, 14, 30)
    with engine.begin() as connection, pytest.raises(ValueError, match="timezone"):
        AuditedInserter(connection).insert(table, [_dataset(naive, "b" * 64)])
    with engine.connect() as connection:
        assert connection.execute(select(table.c.id)).scalars().all() == [row_id]
