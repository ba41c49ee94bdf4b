"""PySide6 keeps the source of every module imported after it in memory: not here.

Shiboken's import hook (`shibokensupport.feature.feature_imported`, PySide6 6.x)
asks, for each newly imported module, whether its source mentions PySide6 (to know
which modules may use `from __feature__ import …`). It reads the source with
`inspect.getsource`, which keeps every line of every module in `linecache`: some
20 MB for caleol's 700 modules, a sixth of the window's memory with the Demandes
list open (issue 19, ≤ 150 MB). The same question is answered here by reading the
file once, keeping nothing; `linecache` is emptied of what was read before (it
refills itself on demand, e.g. for a traceback). A module of the standard library
is answered without reading it (it never uses PySide6): some 60 files not read at
start.
"""

from __future__ import annotations

import inspect
import linecache
import os
import sys
import tokenize
from types import ModuleType
from typing import Any

_PATCHED = "_caleol_source_kept"
# The standard library's folder (where os.py is), its site-packages excepted.
_STDLIB = os.path.dirname(os.__file__) + os.sep
_PACKAGES = (os.sep + "site-packages" + os.sep, os.sep + "dist-packages" + os.sep)


def _in_stdlib(path: str) -> bool:
    return path.startswith(_STDLIB) and not any(part in path for part in _PACKAGES)


def _uses_pyside(original: Any) -> Any:
    def uses_pyside(module: ModuleType) -> bool:
        try:
            path = inspect.getsourcefile(module)
        except TypeError:  # a built-in module: what the original answers
            return False
        if path is None:
            return bool(original(module))  # a zip or frozen module: rare, as before
        if _in_stdlib(path):
            return False
        try:
            with tokenize.open(path) as source:  # its encoding, as linecache reads it
                return "PySide6" in source.read()
        except (OSError, SyntaxError, UnicodeDecodeError):
            return False

    return uses_pyside


def spare_source_cache() -> None:
    """Replace the hook's source reading (once; PySide6 must be imported)."""
    feature = sys.modules.get("shibokensupport.feature")
    original = getattr(feature, "_mod_uses_pyside", None)
    if feature is None or original is None or getattr(feature, _PATCHED, False):
        return
    feature._mod_uses_pyside = _uses_pyside(original)  # type: ignore[attr-defined]
    setattr(feature, _PATCHED, True)
    linecache.clearcache()
