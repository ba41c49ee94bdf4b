"""Test-wide set-up: offscreen Qt and a throw-away user profile for every test."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@pytest.fixture(autouse=True)
def caleol_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own CALEOL_HOME: no test touches the user's profile."""
    home = tmp_path_factory.mktemp("caleol_home")
    monkeypatch.setenv("CALEOL_HOME", str(home))
    return home
