"""Settings files of an older version: `indicators_on_leases` becomes `indicator_bases`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from caleol import settings as settings_module
from caleol.settings import Settings


def write(path: Path, data: dict[str, object]) -> Path:
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


@pytest.mark.parametrize(("old", "expected"), [
    # true was the default, written by every save: it gives the sources' bases
    (True, {}),
    # false was a choice (everything on proposals): PS-1 keeps it; QPV already counts so
    (False, {"Q1-HQPV": "propositions"}),
])
def test_old_switch_is_migrated(tmp_path: Path, old: bool, expected: dict[str, str]) -> None:
    path = write(tmp_path / "settings.json", {"indicators_on_leases": old, "agency": "Metz"})
    loaded = settings_module.load(path)
    assert loaded.indicator_bases == expected
    assert loaded.agency == "Metz"
    settings_module.save(loaded, path)
    stored = json.loads(path.read_text(encoding="utf-8"))
    assert "indicators_on_leases" not in stored
    assert stored["indicator_bases"] == expected


def test_new_key_wins_over_the_old_one(tmp_path: Path) -> None:
    path = write(tmp_path / "s.json", {"indicators_on_leases": False,
                                       "indicator_bases": {"PS-2": "baux"}})
    assert settings_module.load(path).indicator_bases == {"PS-2": "baux"}


def test_unknown_codes_and_bases_are_dropped(tmp_path: Path) -> None:
    path = write(tmp_path / "s.json", {"indicator_bases": {
        "Q1-HQPV": "propositions", "NOPE": "baux", "PS-3": "demain", "PS-2": 3}})
    assert settings_module.load(path).indicator_bases == {"Q1-HQPV": "propositions"}
    path = write(tmp_path / "s.json", {"indicator_bases": ["baux"]})
    assert settings_module.load(path).indicator_bases == {}
    path = write(tmp_path / "s.json", ["not", "an", "object"])
    assert settings_module.load(path) == Settings()
