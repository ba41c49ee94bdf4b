"""The Séances list is what a cold start waits for: it must not import the workspace.

The workspace brings documents, signing, cryptography and reportlab (~150 ms on an
office PC); it is imported when a séance is first opened, or in idle time once the
list is shown (issue 19). Checked in a fresh interpreter: in this one, another test
may already have imported it.
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
