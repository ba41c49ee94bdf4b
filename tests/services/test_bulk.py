"""Audited bulk inserts write the same audit entries the ORM hooks would."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import Engine, select

from caleol.db import audit
from caleol.db.models import AuditEntry, Demande, Target
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
