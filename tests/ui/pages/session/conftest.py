"""The séance workspace on copies of one demo database built with its certificate.

The demo's signed séance is then really signed (its PV stored), so extracts and
rectificatifs can be produced; each test gets its own copy of the database.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from ui.pages.session.workbench import TODAY, Workbench

from caleol.db.engine import database_url, open_database
from caleol.services.demo import DemoSummary, create_demo_database
from caleol.settings import Settings
from caleol.ui import messages
from caleol.ui.pages.session.workspace import SessionWorkspace
from caleol.ui.tasks import TaskRunner


@pytest.fixture(scope="session")
def signed_demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, DemoSummary]:
    folder = tmp_path_factory.mktemp("signed_demo")
    with pytest.MonkeyPatch.context() as patch:  # the certificate goes under this home
        patch.setenv("CALEOL_HOME", str(folder / "home"))
        summary = create_demo_database(folder / "demo.sqlite3", today=TODAY)
    assert folder in summary.certificate.parents
    assert summary.certificate is not None and summary.certificate.exists()
    return folder / "demo.sqlite3", summary


@pytest.fixture
def bench(qtbot, signed_demo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
          ) -> Iterator[Workbench]:
    """A workspace (1366 px wide) on a fresh copy; error boxes are collected, not shown."""
    source, summary = signed_demo
    copy = tmp_path / "demo.sqlite3"
    shutil.copy(source, copy)
    engine = open_database(database_url(str(copy)))
    settings = Settings(signing_certificate=str(summary.certificate))
    errors: list = []
    monkeypatch.setattr(messages, "show_error",
                        lambda parent, error, title="": errors.append(error))
    bench = Workbench(None, engine, summary, settings, errors)  # type: ignore[arg-type]
    # Settings are read through the bench: a test may replace them (Paramètres).
    workspace = SessionWorkspace(engine, lambda: bench.settings, TaskRunner())
    bench.workspace = workspace
    qtbot.addWidget(workspace)
    workspace.resize(1366, 768)
    workspace.show()
    yield bench
    engine.dispose()
