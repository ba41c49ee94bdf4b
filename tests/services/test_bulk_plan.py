"""A batch's audit images, written all at once, are the images of the rows as stored."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.dialects import sqlite

from caleol.db import audit
from caleol.db.models import AuditEntry, Demande, HouseholdMember
from caleol.services import bulk_plan
from caleol.services.audit import verify_chain
from caleol.services.bulk import AuditedInserter

# what JSON must escape, what the batch writer uses as separators, what `%` formats
AWKWARD = ['quote " and \\ backslash', "nul \x00 and \x01 \x1f\n\t", "per %s cent %% %(x)s",
           "Müller « é » 漢字 \u2028 😀", "", " padded "]


STORABLE = [text.replace("\x00", "") for text in AWKWARD]  # PostgreSQL text holds no NUL


def _rows(texts: list[str] = AWKWARD) -> list[dict[str, Any]]:
    return [{"nur": f"05724030012{n}G5701", "filing_date": date(2024, 3, 1 + n),
             "applicant_surname": text, "applicant_first_names": text[::-1],
             "notes": text * 2, "dalo": n % 2 == 0, "cotation_score": n * 7 or None,
             "renewal_date": None if n % 3 else date(2025, 1, 2)}
            for n, text in enumerate(texts)]


def test_batch_images_are_the_row_images() -> None:
    plan = bulk_plan.plan_of("demande", sqlite.dialect(), False)
    assert plan.image_template is not None  # plain values: the one-call path
    batch = [bulk_plan.row_values(plan, row) for row in _rows()]
    ids = list(range(40, 40 + len(batch)))
    written = bulk_plan.images(plan, bulk_plan.columns_of(batch, len(plan.names)), ids)
    for values, new_id, image in zip(batch, ids, written, strict=True):
        row = {"id": new_id, **dict(zip(plan.names, values, strict=True))}
        assert image == audit.row_image(row) == audit.canonical_json(row)


def test_a_table_with_json_columns_is_imaged_row_by_row() -> None:
    plan = bulk_plan.plan_of("candidacy", sqlite.dialect(), False)
    assert plan.image_template is None  # a JSON column may hold a mapping


def test_no_row_gives_no_image() -> None:
    plan = bulk_plan.plan_of("household_member", sqlite.dialect(), False)
    assert bulk_plan.images(plan, bulk_plan.columns_of([], len(plan.names)), []) == []


def test_a_value_json_cannot_write_is_refused() -> None:
    plan = bulk_plan.plan_of("household_member", sqlite.dialect(), False)
    row = bulk_plan.row_values(plan, {"role": "applicant", "surname": object()})
    with pytest.raises(TypeError):
        bulk_plan.images(plan, bulk_plan.columns_of([row], len(plan.names)), [1])


def test_awkward_texts_are_audited_as_stored(engine: Engine) -> None:
    with engine.begin() as connection:
        writer = AuditedInserter(connection)
        ids = writer.insert(Demande.__table__, _rows(STORABLE))  # type: ignore[attr-defined]
        member_ids = writer.insert(HouseholdMember.__table__, [  # type: ignore[attr-defined]
            {"demande_id": demande_id, "position": 0, "role": "applicant", "surname": text,
             "birth_date": date(1980, 1, 1), "disabled": False}
            for demande_id, text in zip(ids, STORABLE, strict=True)])
    entries = AuditEntry.__table__  # type: ignore[attr-defined]
    with engine.connect() as connection:
        for table, row_ids in ((Demande.__table__, ids),  # type: ignore[attr-defined]
                               (HouseholdMember.__table__, member_ids)):  # type: ignore[attr-defined]
            afters: dict[int, str] = dict(connection.execute(
                select(entries.c.entity_id, entries.c.after)
                .where(entries.c.entity == table.name)).all())
            assert afters == audit.read_images(connection, table, row_ids)
    assert verify_chain(engine).ok
