"""The import's progress bar: the share of the file read, and « Annuler » rolls it back."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QProgressDialog
from sqlalchemy import Engine
from ui.pages.browser_driving import show_browser

from caleol.services.browse import DwellingBrowser
from caleol.services.imports import ImportReport, import_dwellings, runner
from caleol.ui import messages
from caleol.ui.pages.dwellings_page import DwellingsPage
from caleol.ui.tasks import TaskRunner
from tests.services.import_fixtures import with_references

HEADER = "Référence;Code INSEE;Commune;Code postal;Typologie;Financement;Loyer (€)\n"
_FINISHED_TASKS: list[object] = []  # see test_import_dialog: freed Tasks' addresses reused


@pytest.fixture
def task_runner(qtbot) -> Iterator[TaskRunner]:
    task_runner = TaskRunner()
    yield task_runner
    task_runner.wait_for_done()
    qtbot.waitUntil(lambda: not task_runner.running())


@pytest.fixture
def page(qtbot, sqlite_engine: Engine, task_runner: TaskRunner) -> Iterator[DwellingsPage]:
    page = show_browser(qtbot, DwellingsPage(DwellingBrowser(sqlite_engine),
                                             engine=sqlite_engine, runner=task_runner))
    yield page
    if page.import_task is not None:
        _FINISHED_TASKS.append(page.import_task)


def _dialog(page: DwellingsPage) -> QProgressDialog | None:
    found = page.findChild(QProgressDialog, "taskProgressDialog")
    return found if isinstance(found, QProgressDialog) else None


def test_the_bar_shows_the_share_of_the_file_read(qtbot, tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch,
                                                  page: DwellingsPage) -> None:
    """The import tells 40 % and its line; the bar shows both before the import ends."""
    release = threading.Event()

    def slow_import(path: Path, progress: Callable[[int, str], None]) -> ImportReport:
        progress(40, "8 000 lignes lues")
        release.wait(10)
        return ImportReport("logements", path.name, rows=2, created=2)

    monkeypatch.setattr(page, "_import_file", slow_import)
    infos: list[str] = []
    monkeypatch.setattr(messages, "show_info", lambda parent, text, title="": infos.append(text))
    page.import_csv(tmp_path / "logements.csv")
    qtbot.waitUntil(lambda: (dialog := _dialog(page)) is not None and dialog.value() == 40
                    and dialog.labelText() == "8 000 lignes lues", timeout=10_000)
    release.set()
    qtbot.waitUntil(lambda: bool(infos), timeout=10_000)


def test_cancelling_rolls_the_whole_import_back(qtbot, tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch,
                                                sqlite_engine: Engine,
                                                page: DwellingsPage) -> None:
    with_references(sqlite_engine)
    monkeypatch.setattr(runner, "CHUNK", 1)  # a progress report after every line
    lines = "".join(f"X-{n};57001;Aboncourt;57920;T2;PLUS;300\n" for n in range(1, 41))
    path = tmp_path / "logements.csv"
    path.write_text(HEADER + lines, encoding="utf-8")
    written: list[ImportReport] = []

    def import_file(source: Path, progress: Callable[[int, str], None]) -> ImportReport:
        def cancel_at_the_tenth_line(percent: int, text: str) -> None:
            if text.startswith("10 "):
                assert page.import_task is not None
                page.import_task.cancel()  # what « Annuler » does
            progress(percent, text)  # TaskContext.progress: raises once cancelled

        written.append(import_dwellings(sqlite_engine, source, progress=cancel_at_the_tenth_line))
        return written[-1]

    monkeypatch.setattr(page, "_import_file", import_file)
    monkeypatch.setattr(messages, "show_info",
                        lambda *a, **k: pytest.fail("a cancelled import is not « terminé »"))
    page.import_csv(path)
    task = page.import_task
    assert task is not None
    qtbot.waitUntil(lambda: task.was_cancelled, timeout=20_000)
    assert written == []
    page.reload()
    assert page.model.rowCount() == 0  # the lines before the cancellation rolled back too
