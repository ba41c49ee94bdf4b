"""Small modules (issue 20): no module of caleol/ over 400 lines, migrations excepted.

A module named for what it holds stays readable at a sitting; a feature that would
grow one past the limit goes into a module of its own (split following the domain,
not by cutting a file in half).
"""

from __future__ import annotations

from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "caleol"
MAX_LINES = 400


def line_count(path: Path) -> int:
    with path.open("rb") as handle:
        return sum(1 for _ in handle)


def oversized(package: Path = PACKAGE) -> dict[str, int]:
    """Modules over the limit, path within the package → lines (migrations excepted)."""
    found: dict[str, int] = {}
    for path in sorted(package.rglob("*.py")):
        relative = path.relative_to(package)
        if "migrations" in relative.parts:
            continue
        lines = line_count(path)
        if lines > MAX_LINES:
            found[relative.as_posix()] = lines
    return found


def test_no_module_over_400_lines() -> None:
    offenders = oversized()
    assert not offenders, (
        f"modules over {MAX_LINES} lines (split them following the domain): "
        + ", ".join(f"caleol/{name} ({lines})" for name, lines in offenders.items()))


def test_the_check_names_a_long_module_but_not_a_migration(tmp_path: Path) -> None:
    (tmp_path / "services").mkdir()
    (tmp_path / "services" / "big.py").write_text("x = 1\n" * 401, encoding="utf-8")
    (tmp_path / "services" / "fits.py").write_text("x = 1\n" * 400, encoding="utf-8")
    (tmp_path / "db" / "migrations" / "versions").mkdir(parents=True)
    (tmp_path / "db" / "migrations" / "versions" / "0001.py").write_text(
        "x = 1\n" * 900, encoding="utf-8")
    assert oversized(tmp_path) == {"services/big.py": 401}
