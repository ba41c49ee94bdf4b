"""An object set to the values it already has writes no entry and reads no image; the
row images written in one pass of `json` are the canonical JSON of `canonical_json`."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from db.factories import make_dwelling
from sqlalchemy import Engine, func, select

from caleol.db import audit
from caleol.db.engine import session_scope
from caleol.db.models import AuditEntry, Dwelling


def _entry_count(engine: Engine) -> int:
    with engine.connect() as connection:
        return connection.execute(select(func.count()).select_from(AuditEntry)).scalar_one()


def test_equal_values_write_no_entry_and_read_no_image(
        engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    with session_scope(engine) as s:
        dwelling_id = make_dwelling(s, rent_cents=45_000).id
    before = _entry_count(engine)
    reads: list[set[int]] = []
    real_read = audit.read_images

    def counting(connection: Any, table: Any, ids: Any) -> dict[int, str]:
        reads.append(set(ids))
        return real_read(connection, table, ids)

    monkeypatch.setattr(audit, "read_images", counting)
    with session_scope(engine) as s:
        dwelling = s.get(Dwelling, dwelling_id)
        dwelling.rent_cents = 45_000  # the same value: « dirty » for the session
        assert dwelling in s.dirty
    assert reads == [] and _entry_count(engine) == before
    with session_scope(engine) as s:
        s.get(Dwelling, dwelling_id).rent_cents = 46_000  # a real change: one entry
    assert reads == [{dwelling_id}, {dwelling_id}]  # before, then after
    assert _entry_count(engine) == before + 1


def test_row_image_is_the_canonical_json() -> None:
    row = {
        "id": 7, "name": "Élodie « test »", "flag": True, "none": None, "ratio": 0.5,
        "at": dt.datetime(2026, 3, 10, 14, 30, tzinfo=dt.UTC),
        "naive": dt.datetime(2026, 3, 10, 14, 30),  # stored without zone: UTC
        "day": dt.date(2026, 3, 10), "time": dt.time(14, 0),
        "amount": Decimal("12.50"), "blob": b"\x00\x01",
        "snapshot": {"b": [1, {"z": None, "a": "x"}], "a": {"nested": [True, 2.5]}},
    }
    assert audit.row_image(row) == audit.canonical_json(row)
    # keys sorted at every depth, no spaces, accents kept, bytes as their digest
    assert audit.row_image({"b": 1, "a": {"d": 2, "c": "é"}}) == '{"a":{"c":"é","d":2},"b":1}'
    assert '"blob":{"sha256":"' in audit.row_image(row)
