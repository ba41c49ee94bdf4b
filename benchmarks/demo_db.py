"""The large demo database (100 000 demandes, 20 000 dwellings), built once and reused.

Building it takes minutes, so it is kept in the benchmark folder (default: a
`caleol-bench` folder in the system temp directory) with a marker naming the schema
revision and the seed; a changed schema or a half-built file means a rebuild.
"""

from __future__ import annotations

import tempfile
import time
from datetime import date
from pathlib import Path

from caleol.db import migrate

SEED = 57054
TODAY = date(2026, 3, 10)  # fixed, so the cached database is the same from run to run


def default_folder() -> Path:
    return Path(tempfile.gettempdir()) / "caleol-bench"


def _stamp(size: str) -> str:
    return f"size={size} seed={SEED} today={TODAY.isoformat()} schema={migrate.head_revision()}"


def demo_database(folder: Path, size: str = "large", *, say=print) -> Path:  # type: ignore[no-untyped-def]
    """The path of the cached demo database of `size`, built if missing or stale."""
    from caleol.services.demo import create_demo_database

    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"demo-{size}.sqlite3"
    marker = folder / f"demo-{size}.ok"
    if path.exists() and marker.exists() and marker.read_text() == _stamp(size):
        return path
    marker.unlink(missing_ok=True)
    say(f"building the {size} demo database in {path} (once; reused by later runs)…")
    start = time.perf_counter()
    create_demo_database(path, seed=SEED, size=size, today=TODAY, replace=True,
                         certificate=False)
    say(f"  built in {time.perf_counter() - start:.0f} s")
    marker.write_text(_stamp(size))
    return path
