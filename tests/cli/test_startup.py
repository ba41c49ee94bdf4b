"""Every `caleol` command builds the whole parser first: that must stay cheap.

The command modules import their services (SQLAlchemy, Alembic, reportlab, pyHanko
and its aiohttp, PySide6) inside the handlers; `caleol --version` or `caleol
evaluate` used to load them all (about 2.5 s of CPU) just to list the sub-commands.
"""

from __future__ import annotations

import json
import subprocess
import sys

HEAVY = ("reportlab", "pyhanko", "aiohttp", "sqlalchemy", "sqlmodel", "alembic", "PySide6")

PROBE = f"""
import json, sys
import caleol.cli
caleol.cli.build_parser()
print(json.dumps(sorted(m for m in sys.modules if m.split(".")[0] in {HEAVY!r})))
"""


def test_building_the_parser_loads_no_heavy_library() -> None:
    result = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True,
                            check=True, timeout=60)
    loaded = json.loads(result.stdout)
    assert loaded == [], f"chargés pour construire l'analyseur : {loaded}"


def test_demo_sizes_of_the_parser_are_those_of_the_service() -> None:
    from caleol.cli.data import DEMO_SIZES
    from caleol.services.demo import SIZES

    assert sorted(DEMO_SIZES) == sorted(SIZES)
