"""The Séances list is what a cold start waits for: it must not import the workspace,
nor, when it is shown from its light read, SQLAlchemy.

The workspace brings documents, signing, cryptography and reportlab (~150 ms on an
office PC); it is imported when a séance is first opened, or in idle time once the
database is open (issue 19). SQLAlchemy, SQLModel and the models take half a second
more: the list read before the open must not need them. Checked in a fresh
interpreter: in this one, other tests have imported everything.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

WORKSPACE = "caleol.ui.pages.session.workspace"

PROBE = f"""
import json, sys
from PySide6.QtWidgets import QApplication
from caleol.db.engine import database_url, open_database
from caleol.settings import Settings
from caleol.ui.pages.sessions_page import SessionsPage

app = QApplication([])
engine = open_database(database_url(sys.argv[1]), create=True)
page = SessionsPage(engine, Settings, None)
built = {WORKSPACE!r} in sys.modules
app.processEvents()  # the idle-time warm-up
print(json.dumps([built, {WORKSPACE!r} in sys.modules, page.workspace is not None]))
engine.dispose()
"""


def test_the_sessions_page_imports_the_workspace_only_after_its_list(tmp_path: Path) -> None:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", CALEOL_HOME=str(tmp_path / "home"))
    result = subprocess.run([sys.executable, "-c", PROBE, str(tmp_path / "base.sqlite3")],
                            capture_output=True, text=True, timeout=120, env=env)
    assert result.returncode == 0, result.stderr[-3000:]
    at_construction, after_idle, usable = json.loads(result.stdout.splitlines()[-1])
    assert not at_construction, "l'espace de travail est importé avec la liste"
    assert after_idle and usable


START_PROBE = f"""
import json, sys
from pathlib import Path
from caleol import app

held = []
app.open_in_window = lambda ctx, window: held.append(window)  # the full open, held back
qapp = app.create_application()
ctx, window = app.start(db=sys.argv[1], settings_file=Path(sys.argv[2]), ask=lambda: None)
while not held:
    qapp.processEvents()
page = window.page("sessions")
heavy = ("sqlalchemy", "sqlmodel", "alembic", "caleol.db.models", {WORKSPACE!r})
print(json.dumps([page.built and page.content.model.rowCount(),
                  sorted(m for m in heavy if m in sys.modules)]))
"""


def test_the_list_read_before_the_open_imports_no_sqlalchemy(tmp_path: Path) -> None:
    from caleol.db.engine import open_database
    from caleol.services import sessions
    from tests.services.sessions_factory import prepare

    db = tmp_path / "base.sqlite3"
    engine = open_database(str(db), create=True)
    prepare(engine)
    assert len(sessions.list_sessions(engine)) == 1
    engine.dispose()
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", CALEOL_HOME=str(tmp_path / "home"))
    result = subprocess.run([sys.executable, "-c", START_PROBE, str(db),
                             str(tmp_path / "s.json")],
                            capture_output=True, text=True, timeout=120, env=env)
    assert result.returncode == 0, result.stderr[-3000:]
    rows, loaded = json.loads(result.stdout.splitlines()[-1])
    assert rows == 1, "la liste n'est pas lue avant l'ouverture"
    assert loaded == [], f"chargés avant l'ouverture de la base : {loaded}"
