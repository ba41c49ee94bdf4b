"""The texts and digests the audit log is made of (`caleol.db.audit` writes them).

An image is a row as canonical JSON (sorted keys, no spaces, UTF-8 kept, bytes as
their sha256 and size); the chain covers each image's sha256, and each entry's hash
covers its fields and the previous entry's hash (`entry_hash`). `caleol verify-db`
recomputes all of them, so these functions must never change their output.
"""

from __future__ import annotations

import getpass
import hashlib
import json
from collections.abc import Mapping
from datetime import UTC, date, datetime, time
from decimal import Decimal
from functools import cache
from typing import Any

GENESIS = "0" * 64  # prev_hash of the first entry


@cache
def current_os_user() -> str:
    """The OS account writing (the secretary); never fails."""
    try:
        return getpass.getuser()
    except Exception:
        return "inconnu"


_PLAIN = frozenset({str, int, float, bool, type(None)})


def _jsonable(value: Any) -> Any:
    # Plain values first, by exact type (StrEnum members are not `str` here): the ABC
    # `Mapping` check below is slow, and check snapshots are deep trees of plain values.
    if type(value) in _PLAIN:
        return value
    if type(value) is dict:
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, datetime):
        if value.utcoffset() is None:
            value = value.replace(tzinfo=UTC)  # stored without zone: UTC by convention
        return value.astimezone(UTC).isoformat()
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, bytes | bytearray | memoryview):
        data = bytes(value)
        return {"sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    return value


def canonical_json(data: Any) -> str:
    """One text per value: sorted keys, no spaces, UTF-8 kept."""
    return json.dumps(_jsonable(data), sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def _converted(value: Any) -> Any:
    """`json`'s hook for what it cannot write itself: as `_jsonable` writes it."""
    converted = _jsonable(value)
    if converted is value:
        raise TypeError(f"{type(value).__name__} is not JSON serializable")
    return converted


_ROW_ENCODER = json.JSONEncoder(sort_keys=True, ensure_ascii=False, separators=(",", ":"),
                                default=_converted)


def row_image(row: Mapping[Any, Any]) -> str:
    """Canonical JSON of a stored row (bytes appear as their sha256 and size).

    The same text as `canonical_json`, written in one pass of `json`'s C encoder
    (the hook converts dates, decimals and bytes only): a stored row's keys are
    column names and its JSON columns were decoded from JSON, so no key needs the
    `str()` that `_jsonable` applies. Reading the images is most of an audited
    update's cost (check snapshots are deep trees): half the time of `canonical_json`.
    """
    return _ROW_ENCODER.encode(dict(row))


def text_digest(image: str) -> str:
    """sha256 (hex) of an image's text: what the chain covers instead of the text."""
    return hashlib.sha256(image.encode("utf-8")).hexdigest()


def image_digest(image: str | None) -> str | None:
    """`text_digest` of an image, None for no image (an insert's before...)."""
    return None if image is None else text_digest(image)


def entry_hash(
    *,
    at: datetime,
    os_user: str,
    entity: str,
    entity_id: int,
    action: str,
    before_sha256: str | None,
    after_sha256: str | None,
    prev_hash: str,
) -> str:
    payload = canonical_json(
        {
            "at": at,
            "os_user": os_user,
            "entity": entity,
            "entity_id": entity_id,
            "action": action,
            "before_sha256": before_sha256,
            "after_sha256": after_sha256,
            "prev_hash": prev_hash,
        }
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()
