"""The dependency direction rules <- db <- services <- (ui, cli) is enforced here."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "caleol"

# layer -> project packages (and third-party roots) it must never import
FORBIDDEN: dict[str, tuple[str, ...]] = {
    "rules": ("caleol.db", "caleol.services", "caleol.ui", "caleol.cli", "caleol.app",
              "PySide6", "sqlalchemy", "sqlmodel", "alembic", "reportlab", "pyhanko"),
    "db": ("caleol.services", "caleol.ui", "caleol.cli", "caleol.app", "PySide6"),
    "services": ("caleol.ui", "caleol.cli", "caleol.app", "PySide6"),
}


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def violations(layer: str) -> list[str]:
    found = []
    for path in sorted((PACKAGE / layer).rglob("*.py")):
        for name in imported_modules(path):
            for forbidden in FORBIDDEN[layer]:
                if name == forbidden or name.startswith(forbidden + "."):
                    found.append(f"{path.relative_to(PACKAGE)} imports {name}")
    return found


@pytest.mark.parametrize("layer", sorted(FORBIDDEN))
def test_layer_imports_only_downwards(layer: str) -> None:
    assert violations(layer) == []


def test_checker_detects_a_violation(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text("from PySide6.QtCore import QObject\nimport caleol.db.engine\n")
    assert imported_modules(bad) == {"PySide6.QtCore", "caleol.db.engine"}
