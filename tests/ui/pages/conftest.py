"""Fixtures of the page tests: `demo_db`, a copy of the run's demo database.

Not named `engine`: the root conftest's `engine` (an empty migrated database, on
SQLite and on PostgreSQL when configured) serves the browser, settings and fitting
tests of this folder, which must keep it; the indicators, reference and live-impact
screens need the demo's data instead.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine
from ui.pages.demo_copy import demo_engine


@pytest.fixture
def demo_db(tmp_path_factory: pytest.TempPathFactory, tmp_path: Path) -> Iterator[Engine]:
    """A fresh copy of the demo (built once per run), disposed after the test."""
    engine = demo_engine(tmp_path_factory, tmp_path)
    yield engine
    engine.dispose()
