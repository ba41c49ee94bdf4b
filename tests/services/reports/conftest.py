"""Make the database builders of tests/db (factories.py) importable from these tests."""

from __future__ import annotations

import sys
from pathlib import Path

_DB_TESTS = str(Path(__file__).resolve().parents[2] / "db")
if _DB_TESTS not in sys.path:
    sys.path.append(_DB_TESTS)
