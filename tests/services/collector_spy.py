"""Whether the garbage collector ran while a function was called (`caleol.services.collector`)."""

from __future__ import annotations

import gc
from typing import Any

import pytest


def collector_states(monkeypatch: pytest.MonkeyPatch, owner: Any, name: str) -> list[bool]:
    """Wrap `owner.name`: each call appends `gc.isenabled()` at that moment to the list
    returned (empty until it is called)."""
    seen: list[bool] = []
    original = getattr(owner, name)

    def spied(*args: Any, **kwargs: Any) -> Any:
        seen.append(gc.isenabled())
        return original(*args, **kwargs)

    monkeypatch.setattr(owner, name, spied)
    return seen
