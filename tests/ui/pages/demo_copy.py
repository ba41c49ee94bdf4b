"""One demo database per test run, copied for each test that writes to it.

Building the demo takes tens of seconds; the indicators and reference screens only
need its data, so it is built once (certificate-free) and each test gets its own copy.
"""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine

from caleol.db.engine import open_database

DEMO_TODAY = date(2026, 6, 15)
_built: dict[str, Path] = {}


def demo_engine(tmp_path_factory: pytest.TempPathFactory, tmp_path: Path) -> Engine:
    """A fresh copy of the run's demo database (built on first use)."""
    if "path" not in _built:
        from caleol.services.demo import create_demo_database

        folder = tmp_path_factory.mktemp("demo_template")
        create_demo_database(folder / "demo.sqlite3", today=DEMO_TODAY, certificate=False)
        _built["path"] = folder / "demo.sqlite3"
    copy = tmp_path / "demo.sqlite3"
    shutil.copyfile(_built["path"], copy)
    return open_database(f"sqlite:///{copy}")
