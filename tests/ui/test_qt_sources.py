"""PySide6's import hook answers as before, without keeping every module's source."""

from __future__ import annotations

import linecache
import sys
from pathlib import Path

import PySide6.QtCore  # noqa: F401  (installs shiboken's import hook)
import pytest

from caleol.ui.qt_sources import spare_source_cache


def test_the_hook_keeps_no_source_and_answers_the_same(tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    feature = sys.modules["shibokensupport.feature"]
    original = feature._mod_uses_pyside
    spare_source_cache()
    spare_source_cache()  # once only: the original is not wrapped twice
    (tmp_path / "mentions_qt.py").write_text("# uses PySide6 later\nVALUE = 1\n")
    (tmp_path / "plain_module.py").write_text("VALUE = 2\n")
    (tmp_path / "another_qt.py").write_text("# PySide6 as well\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    # an import statement (shiboken's hook is on __import__, not importlib's functions)
    mentions, plain = (__import__(n) for n in ("mentions_qt", "plain_module"))
    # PySide6 in the source: 0 (features possible), otherwise -1, as shiboken decides
    assert feature.pyside_feature_dict["mentions_qt"] == 0
    assert feature.pyside_feature_dict["plain_module"] == -1
    assert [original(mentions), original(plain)] == [True, False]  # the original agrees
    assert str(tmp_path / "mentions_qt.py") in linecache.cache  # the original keeps it…
    linecache.clearcache()
    __import__("another_qt")
    assert feature.pyside_feature_dict["another_qt"] == 0
    assert str(tmp_path / "another_qt.py") not in linecache.cache  # … the replacement not
    for name in ("mentions_qt", "plain_module", "another_qt"):
        monkeypatch.delitem(sys.modules, name)
