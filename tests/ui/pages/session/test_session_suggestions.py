"""« Suggérer des candidats » searched off the GUI thread (issue 19): the dialog opens
at once with its progress, the suggestions land in it; an error, an empty result, a
dialog closed or a séance changed meanwhile are each handled, one window at a time."""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Callable
from dataclasses import replace

import pytest
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget
from shiboken6 import isValid
from ui.message_boxes import when_box_shows
from ui.pages.session.workbench import click

from caleol.errors import CaleolError
from caleol.services import sessions
from caleol.ui import messages
from caleol.ui.dialogs.suggestions import SuggestionsDialog
from caleol.ui.pages.session.workspace import SessionWorkspace
from caleol.ui.tasks import TaskRunner

WAIT_MS = 30_000
REAL_SHOW_ERROR = messages.show_error  # the bench collects errors; some tests show them


def open_blocked(bench):  # type: ignore[no-untyped-def]
    """The workspace on the séance in preparation, its blocked dwelling selected."""
    workspace = bench.workspace
    assert workspace.open_session(bench.summary.preparing_session_id)
    assert workspace.agenda.select_reference(bench.summary.blocked_dwelling)
    return workspace


def gone(dialog: QWidget) -> bool:
    """Closed (hidden, or already deleted: it deletes itself on close)."""
    return not isValid(dialog) or not dialog.isVisible()


def press_suggest(qtbot, workspace) -> SuggestionsDialog:  # type: ignore[no-untyped-def]
    click(qtbot, workspace.candidates.suggest_button)
    dialog = workspace.current_dialog
    assert isinstance(dialog, SuggestionsDialog)
    return dialog


def held_search(monkeypatch: pytest.MonkeyPatch,
                then: Callable[..., object] | None = None) -> threading.Event:
    """The search waits for the returned event (at most WAIT_MS), then runs `then`
    (default: the real search) with the same arguments."""
    release = threading.Event()
    real = sessions.suggest_candidates

    def held(*args: object, **kwargs: object) -> object:
        release.wait(WAIT_MS / 1000)
        return (then or real)(*args, **kwargs)

    monkeypatch.setattr(sessions, "suggest_candidates", held)
    return release


def alone(qtbot, box: QMessageBox) -> dict[str, object]:  # type: ignore[no-untyped-def]
    """What the user sees around the box: it must be the one modal, focused (the
    window system activates it a moment after it shows)."""
    with contextlib.suppress(qtbot.TimeoutError):  # recorded below as not focused
        qtbot.waitUntil(lambda: box.isActiveWindow() or box.isAncestorOf(
            QApplication.focusWidget()), timeout=2000)
    others = [w.objectName() for w in QApplication.topLevelWidgets()
              if isinstance(w, QWidget) and w.isVisible() and w.isModal() and w is not box]
    return {
        "visible": box.isVisible(),
        "modal": QApplication.activeModalWidget() is box,
        "focused": box.isActiveWindow() or box.isAncestorOf(QApplication.focusWidget()),
        "others": others,
    }


def test_the_dialog_shows_its_progress_then_the_suggestions(qtbot, bench,
                                                           monkeypatch) -> None:
    workspace = open_blocked(bench)
    release = held_search(monkeypatch)
    dialog = press_suggest(qtbot, workspace)
    # open before the search is done: the progress shown, nothing to add yet
    assert dialog.isVisible() and dialog.searching
    assert dialog.progress.isVisible()
    assert "Recherche des candidats" in dialog.intro.text()
    assert dialog.model.rowCount() == 0 and not dialog.add_button.isEnabled()
    release.set()
    qtbot.waitUntil(lambda: not dialog.searching, timeout=WAIT_MS)
    assert not dialog.progress.isVisible()
    assert dialog.model.rowCount() > 0 and "demandes correspondent" in dialog.intro.text()
    assert dialog.reasons.toPlainText()  # the first one's reasons beside the table
    before = workspace.candidates.model.rowCount()
    dialog.select_rows([0])
    first = dialog.model.row_at(0)
    click(qtbot, dialog.add_button)
    qtbot.waitUntil(lambda: workspace.candidates.model.rowCount() == before + 1)
    assert first.nur in [c.nur for c in workspace.candidates.model.rows()]
    assert bench.errors == []


def test_an_error_in_the_search_is_shown_alone_and_closable(qtbot, bench, monkeypatch,
                                                          fail_on_log) -> None:
    fail_on_log.expect("caleol.ui.tasks", logging.WARNING, "failed")
    fail_on_log.expect("caleol.ui.messages", logging.WARNING, "user-facing error")
    monkeypatch.setattr(messages, "show_error", REAL_SHOW_ERROR)
    workspace = open_blocked(bench)

    def refused(*_args: object, **_kwargs: object) -> object:
        raise CaleolError("Base occupée : réessayez.")

    release = held_search(monkeypatch, refused)
    states: list[dict[str, object]] = []
    seen = when_box_shows("caleolErrorBox", lambda box: states.append(alone(qtbot, box)))
    dialog = press_suggest(qtbot, workspace)
    assert dialog.searching and dialog.isVisible()
    release.set()
    qtbot.waitUntil(lambda: bool(seen), timeout=WAIT_MS)
    qtbot.waitUntil(lambda: QApplication.activeModalWidget() is None, timeout=WAIT_MS)
    assert seen == ["Base occupée : réessayez."]
    assert states == [{"visible": True, "modal": True, "focused": True, "others": []}]


def test_a_bug_in_the_search_is_reported(qtbot, bench, monkeypatch, fail_on_log) -> None:
    fail_on_log.expect("caleol.ui.tasks", logging.ERROR, "crashed")
    reported: list[BaseException] = []
    monkeypatch.setattr(messages, "report_exception", reported.append)
    workspace = open_blocked(bench)

    def broken(*_args: object, **_kwargs: object) -> object:
        raise ZeroDivisionError("bug")

    release = held_search(monkeypatch, broken)
    dialog = press_suggest(qtbot, workspace)
    release.set()
    qtbot.waitUntil(lambda: bool(reported), timeout=WAIT_MS)
    assert isinstance(reported[0], ZeroDivisionError)
    assert workspace.current_dialog is dialog and gone(dialog)  # not over the report


def test_no_suggestion_closes_the_dialog_then_says_so(qtbot, bench, monkeypatch) -> None:
    workspace = open_blocked(bench)
    real = sessions.suggest_candidates
    release = held_search(monkeypatch, lambda *a, **k: replace(real(*a, **k), suggestions=()))
    states: list[dict[str, object]] = []
    seen = when_box_shows("caleolInfoBox", lambda box: states.append(alone(qtbot, box)))
    press_suggest(qtbot, workspace)
    release.set()
    qtbot.waitUntil(lambda: bool(seen), timeout=WAIT_MS)
    assert seen == ["Aucune demande active ne correspond à ce logement."]
    assert states == [{"visible": True, "modal": True, "focused": True, "others": []}]


def test_a_dialog_closed_during_the_search_stays_closed(qtbot, bench, monkeypatch) -> None:
    workspace = open_blocked(bench)
    release = held_search(monkeypatch)
    dialog = press_suggest(qtbot, workspace)
    before = workspace.candidates.model.rowCount()
    dialog.reject()
    release.set()
    qtbot.waitUntil(lambda: not workspace.tasks.running(), timeout=WAIT_MS)
    assert QApplication.activeModalWidget() is None
    assert workspace.candidates.model.rowCount() == before
    assert bench.errors == []


def test_a_seance_changed_during_the_search_drops_its_result(qtbot, bench,
                                                            monkeypatch) -> None:
    workspace = open_blocked(bench)
    release = held_search(monkeypatch)
    dialog = press_suggest(qtbot, workspace)
    assert workspace.open_session(bench.summary.ready_session_id)  # elsewhere, meanwhile
    filled: list[int] = []
    dialog.model.modelReset.connect(lambda: filled.append(dialog.model.rowCount()))
    release.set()
    qtbot.waitUntil(lambda: gone(dialog), timeout=WAIT_MS)
    qtbot.waitUntil(lambda: not workspace.tasks.running(), timeout=WAIT_MS)
    assert filled == []  # never filled with suggestions for the séance left
    assert workspace.detail.id == bench.summary.ready_session_id
    assert bench.errors == []


def test_a_workspace_deleted_during_the_search_ignores_its_result(qtbot, bench,
                                                                 monkeypatch) -> None:
    """The window closed while the search runs: its result reaches no deleted widget
    (a workspace of its own, not the bench's, which pytest-qt closes at the end)."""
    runner = TaskRunner()
    workspace = SessionWorkspace(bench.engine, lambda: bench.settings, runner)
    workspace.resize(1366, 768)
    workspace.show()
    assert workspace.open_session(bench.summary.preparing_session_id)
    assert workspace.agenda.select_reference(bench.summary.blocked_dwelling)
    release = held_search(monkeypatch)
    dialog = press_suggest(qtbot, workspace)
    task = next(t for t in runner.running() if t.name == "suggestions")
    workspace.deleteLater()
    qtbot.waitUntil(lambda: not isValid(workspace), timeout=WAIT_MS)
    assert not isValid(dialog)  # gone with its parent
    with qtbot.waitSignal(task.finished, timeout=WAIT_MS):
        release.set()
    assert task.result is not None  # delivered, and nothing raised in its slots
    assert runner.wait_for_done(WAIT_MS)
