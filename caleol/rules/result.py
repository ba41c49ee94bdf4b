"""The one shape every check returns, so the UI, the minutes and the JSON API agree."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Any


class Status(StrEnum):
    PASS = "pass"
    FAIL = "fail"
    UNKNOWN = "unknown"

    @property
    def label(self) -> str:
        return {"pass": "conforme", "fail": "non conforme", "unknown": "indéterminé"}[self.value]


@dataclass(frozen=True)
class CheckResult:
    """Outcome of one check.

    `figures` holds every input and derived figure the explanation relies on, so the
    secretary can show the commission where a number comes from.
    """

    name: str
    status: Status
    explanation: str
    reference: str
    figures: Mapping[str, Any] = field(default_factory=dict)

    @property
    def passed(self) -> bool:
        return self.status is Status.PASS

    def to_json(self) -> dict[str, Any]:
        """JSON-ready dict: Decimals become strings of fixed precision, dates ISO."""
        out: dict[str, Any] = {
            "status": self.status.value,
            "explanation": self.explanation,
            "reference": self.reference,
        }
        for key, value in self.figures.items():
            out[key] = to_jsonable(value)
        return out


_PLAIN = frozenset({str, int, float, bool, type(None)})


def to_jsonable(value: Any) -> Any:
    # Plain values first, by exact type: most figures are, and the ABC `Mapping`
    # check below is slow (a session's 300 snapshots spent a third of their time here).
    if type(value) in _PLAIN:
        return value
    if type(value) is dict:
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, StrEnum):
        return value.value
    if isinstance(value, Mapping):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [to_jsonable(v) for v in value]
    return value
