"""Work off the GUI thread: progress, result, error and cancellation, all by signals."""

from __future__ import annotations

import logging
import threading
import time

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMainWindow, QMessageBox, QPushButton
from ui.message_boxes import when_box_shows

from caleol.errors import CaleolError
from caleol.ui import messages
from caleol.ui.tasks import (
    CancelToken,
    TaskCancelledError,
    TaskContext,
    TaskRunner,
    run_with_progress,
)

WAIT_MS = 5000


@pytest.fixture
def runner(qtbot):
    runner = TaskRunner()
    yield runner
    runner.cancel_all()
    assert runner.wait_for_done(WAIT_MS)


def test_result_and_progress_arrive_in_the_gui_thread(qtbot, runner: TaskRunner) -> None:
    worker_thread: list[int] = []

    def work(ctx: TaskContext) -> int:
        worker_thread.append(threading.get_ident())
        ctx.progress(0, "Début")
        ctx.progress(100, "Fin")
        return 6 * 7

    progress: list[tuple[int, str]] = []
    task = runner.start(work, name="calcul")
    task.progress_changed.connect(lambda p, t: progress.append((p, t)))
    with qtbot.waitSignal(task.finished, timeout=WAIT_MS), \
            qtbot.assertNotEmitted(task.failed), qtbot.assertNotEmitted(task.cancelled):
        pass
    assert task.result == 42
    assert task.done
    assert progress == [(0, "Début"), (100, "Fin")]
    assert worker_thread and worker_thread[0] != threading.get_ident()
    assert runner.running() == []


def test_cancel_stops_the_work_at_its_next_check(qtbot, runner: TaskRunner) -> None:
    started = threading.Event()
    gate = threading.Event()
    reached_end: list[bool] = []

    def work(ctx: TaskContext) -> str:
        started.set()
        gate.wait(WAIT_MS / 1000)
        ctx.progress(50, "Moitié")  # a cancellation point
        reached_end.append(True)
        return "fini"

    task = runner.start(work)
    assert started.wait(WAIT_MS / 1000)
    task.cancel()
    gate.set()
    with qtbot.waitSignal(task.cancelled, timeout=WAIT_MS), \
            qtbot.assertNotEmitted(task.succeeded):
        pass
    assert task.was_cancelled
    assert reached_end == []
    assert task.result is None


def test_a_bug_in_the_work_is_delivered_as_failed(qtbot, runner, fail_on_log) -> None:
    fail_on_log.expect("caleol.ui.tasks", logging.ERROR, "crashed")

    def work(ctx: TaskContext) -> None:
        raise ZeroDivisionError("division by zero in row 12")

    task = runner.start(work, name="import")
    with qtbot.waitSignal(task.failed, timeout=WAIT_MS) as blocker:
        pass
    error = blocker.args[0]
    assert isinstance(error, ZeroDivisionError)
    assert error.__traceback__ is not None  # the report can show where it happened
    assert task.error is error


def test_a_known_error_is_delivered_as_failed(qtbot, runner, fail_on_log) -> None:
    fail_on_log.expect("caleol.ui.tasks", logging.WARNING, "failed")

    def work(ctx: TaskContext) -> None:
        raise CaleolError("Fichier illisible.")

    task = runner.start(work)
    with qtbot.waitSignal(task.failed, timeout=WAIT_MS) as blocker:
        pass
    assert str(blocker.args[0]) == "Fichier illisible."


def test_cancel_token_and_progress_clamping() -> None:
    token = CancelToken()
    sent: list[tuple[int, str]] = []
    ctx = TaskContext(token, lambda p, t: sent.append((p, t)))
    ctx.progress(150, "trop")
    ctx.progress(-5, "négatif")
    assert sent == [(100, "trop"), (0, "négatif")]
    token.cancel()
    assert ctx.cancelled
    with pytest.raises(TaskCancelledError):
        ctx.check_cancelled()
    with pytest.raises(TaskCancelledError):
        ctx.progress(10)


def test_progress_is_throttled_in_tight_loops() -> None:
    sent: list[tuple[int, str]] = []
    ctx = TaskContext(CancelToken(), lambda p, t: sent.append((p, t)))
    for i in range(10_000):
        ctx.progress(i * 100 // 10_000, f"Ligne {i}")
    ctx.progress(100, "Terminé")
    assert sent[0] == (0, "Ligne 0")
    assert sent[-1] == (100, "Terminé")
    assert len(sent) < 200  # 10 000 updates would flood the GUI event queue


def test_progress_dialog_cancel_button(qtbot, runner: TaskRunner) -> None:
    window = QMainWindow()
    qtbot.addWidget(window)
    window.show()
    started = threading.Event()
    stop = threading.Event()

    def work(ctx: TaskContext) -> None:
        ctx.progress(10, "Import des demandes…")
        started.set()
        while not stop.wait(0.01):
            ctx.check_cancelled()

    done: list[object] = []
    task = run_with_progress(window, runner, "Import", work, done.append,
                             minimum_duration_ms=0)
    dialog = task.dialog
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.labelText() == "Import des demandes…", timeout=WAIT_MS)
    assert dialog.isVisible()
    assert dialog.value() == 10
    assert started.is_set()
    (cancel_button,) = dialog.findChildren(QPushButton)
    assert cancel_button.text() == "Annuler"
    with qtbot.waitSignal(task.cancelled, timeout=WAIT_MS):
        qtbot.mouseClick(cancel_button, Qt.MouseButton.LeftButton)
    stop.set()
    assert done == []
    assert not dialog.isVisible()
    assert window.statusBar().currentMessage() == "Opération annulée."


def test_progress_dialog_success_calls_back(qtbot, runner: TaskRunner) -> None:
    done: list[object] = []
    task = run_with_progress(None, runner, "Génération du PV", lambda ctx: "pv.pdf", done.append)
    with qtbot.waitSignal(task.finished, timeout=WAIT_MS):
        pass
    assert done == ["pv.pdf"]
    assert task.dialog is None


def test_progress_dialog_shows_known_errors(qtbot, runner, monkeypatch, fail_on_log) -> None:
    fail_on_log.expect("caleol.ui.tasks", logging.WARNING, "failed")
    fail_on_log.expect("caleol.ui.messages", logging.WARNING, "user-facing error")
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "exec", lambda box: shown.append(box.text()) or 0)

    def work(ctx: TaskContext) -> None:
        raise CaleolError("Le certificat est expiré.")

    task = run_with_progress(None, runner, "Signature", work)
    with qtbot.waitSignal(task.finished, timeout=WAIT_MS):
        pass
    assert shown == ["Le certificat est expiré."]


@pytest.mark.qt_no_exception_capture
def test_progress_dialog_reports_bugs(qtbot, runner, monkeypatch, fail_on_log) -> None:
    fail_on_log.expect("caleol.ui.tasks", logging.ERROR, "crashed")
    fail_on_log.expect("caleol.ui.messages", logging.CRITICAL, "unexpected error")
    reports: list[str] = []
    monkeypatch.setattr(messages.ErrorReportDialog, "exec",
                        lambda dialog: reports.append(dialog.report) or 0)

    def work(ctx: TaskContext) -> None:
        raise IndexError("list index out of range in sheet 7")

    hook = messages.install_excepthook(None)
    try:
        task = run_with_progress(None, runner, "Rapport", work)
        with qtbot.waitSignal(task.finished, timeout=WAIT_MS):
            pass
    finally:
        hook.uninstall()
    assert len(reports) == 1
    assert "IndexError: list index out of range in sheet 7" in reports[0]
    assert "in work" in reports[0]  # the worker's traceback survived the thread hop


def test_progress_dialog_without_cancel_button(qtbot, runner) -> None:
    task = run_with_progress(None, runner, "Sauvegarde", lambda ctx: None, cancellable=False)
    dialog = task.dialog
    assert dialog is not None
    assert dialog.findChildren(QPushButton) == []
    with qtbot.waitSignal(task.finished, timeout=WAIT_MS):
        pass


def test_progress_after_the_parent_is_deleted_does_not_crash(qtbot, runner: TaskRunner) -> None:
    """A page closed while its work still runs: late progress reports are dropped."""
    from shiboken6 import isValid

    window = QMainWindow()
    window.show()
    release = threading.Event()

    def work(ctx: TaskContext) -> str:
        release.wait(WAIT_MS / 1000)
        ctx.progress(50, "Encore là")
        return "fini"

    done: list[object] = []
    task = run_with_progress(window, runner, "Export", work, done.append,
                             minimum_duration_ms=0)
    dialog = task.dialog
    assert dialog is not None
    with qtbot.waitSignal(window.destroyed, timeout=WAIT_MS):
        window.deleteLater()
    assert not isValid(dialog)
    with qtbot.waitSignal(task.finished, timeout=WAIT_MS):
        release.set()
    assert done == ["fini"]
    assert task.dialog is None


def test_progress_touches_nothing_after_set_value(qtbot, runner: TaskRunner) -> None:
    """A modal setValue() processes events; the dialog may be gone when it returns."""
    import shiboken6

    window = QMainWindow()
    qtbot.addWidget(window)
    window.show()
    release = threading.Event()

    def work(ctx: TaskContext) -> int:
        ctx.progress(30, "Calcul des indicateurs")
        release.wait(WAIT_MS / 1000)
        return 1

    task = run_with_progress(window, runner, "Export", work, minimum_duration_ms=0)
    dialog = task.dialog
    assert dialog is not None
    values: list[int] = []

    def dying_set_value(value: int) -> None:  # the task ended inside processEvents()
        values.append(value)
        shiboken6.delete(dialog)

    dialog.setValue = dying_set_value  # type: ignore[method-assign]
    qtbot.waitUntil(lambda: values == [30], timeout=WAIT_MS)
    with qtbot.waitSignal(task.finished, timeout=WAIT_MS):
        release.set()


def test_task_ending_inside_the_dialog_set_value_does_not_free_the_dialog(
        qtbot, runner: TaskRunner) -> None:
    """A window-modal QProgressDialog.setValue() runs the event loop: the task may end
    (and close the dialog) right there. The dialog must outlive that setValue call even
    if deferred deletions are processed inside it (CI once crashed in it)."""
    from PySide6.QtCore import QCoreApplication, QEvent
    from shiboken6 import isValid

    window = QMainWindow()
    qtbot.addWidget(window)
    window.show()
    release = threading.Event()

    def work(ctx: TaskContext) -> str:
        ctx.progress(10, "Calcul…")
        release.wait(WAIT_MS / 1000)
        return "fait"

    done: list[object] = []
    task = run_with_progress(window, runner, "Rapport", work, done.append,
                             minimum_duration_ms=0)
    dialog = task.dialog
    assert dialog is not None
    alive_after_nested_loop: list[bool] = []
    original = dialog.setValue

    def set_value_that_runs_the_loop(value: int) -> None:
        # as a modal setValue() does: the event loop runs, and the task's outcome
        # arrives right there (the work ends and its result is delivered)...
        release.set()
        deadline = time.monotonic() + WAIT_MS / 1000
        while not task.done and time.monotonic() < deadline:
            QCoreApplication.processEvents()
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        alive_after_nested_loop.append(isValid(dialog))
        original(value)  # ...then setValue() goes on with its dialog

    dialog.setValue = set_value_that_runs_the_loop
    qtbot.waitUntil(lambda: bool(alive_after_nested_loop), timeout=WAIT_MS)
    assert alive_after_nested_loop == [True]
    assert done == ["fait"] and task.dialog is None
    qtbot.waitUntil(lambda: not isValid(dialog), timeout=WAIT_MS)  # freed afterwards


# --- the dialog is gone before the result or the error is shown ------------------------


def _outlive_the_progress_delay(qtbot, delay_ms: int) -> None:
    """Let the progress dialog's delayed-show timer (started before) fire if it still
    runs: timers of the same loop fire in order, so a later, longer one comes after."""
    from PySide6.QtCore import QTimer

    later = QTimer()
    later.setSingleShot(True)
    with qtbot.waitSignal(later.timeout, timeout=WAIT_MS):
        later.start(2 * delay_ms)


def _modal_state(window: QMainWindow, box: QMessageBox, dialog) -> dict[str, object]:
    from PySide6.QtWidgets import QApplication

    others = [w for w in QApplication.topLevelWidgets()
              if w.isVisible() and w.isModal() and w is not box]
    return {
        "box visible": box.isVisible(),
        "box is the modal": QApplication.activeModalWidget() is box,
        "box focused": box.isActiveWindow() or box.isAncestorOf(QApplication.focusWidget()),
        "progress visible": dialog.isVisible(),
        "other modals": others,
    }


def test_a_task_failing_at_10_percent_shows_a_closable_error_alone(
        qtbot, runner, fail_on_log) -> None:
    """Issue 17: a wrong passphrase left « Mise en page du procès-verbal… 10 % » over
    the error, every time: the dialog's delayed-show timer outlived the task."""
    from PySide6.QtWidgets import QApplication

    fail_on_log.expect("caleol.ui.tasks", logging.WARNING, "failed")
    fail_on_log.expect("caleol.ui.messages", logging.WARNING, "user-facing error")
    window = QMainWindow()
    qtbot.addWidget(window)
    window.show()
    delay = 150
    states: list[dict[str, object]] = []

    def work(ctx: TaskContext) -> None:
        ctx.progress(10, "Mise en page du procès-verbal…")
        raise CaleolError("La phrase secrète du certificat est incorrecte.")

    task_holder: list = []

    def check(box: QMessageBox) -> None:
        _outlive_the_progress_delay(qtbot, delay)
        states.append(_modal_state(window, box, task_holder[0]))

    seen = when_box_shows("caleolErrorBox", check)
    task = run_with_progress(window, runner, "Signature du procès-verbal…", work,
                             minimum_duration_ms=delay)
    task_holder.append(task.dialog)
    qtbot.waitUntil(lambda: task.done and bool(seen), timeout=WAIT_MS)
    qtbot.waitUntil(lambda: QApplication.activeModalWidget() is None, timeout=WAIT_MS)
    assert seen == ["La phrase secrète du certificat est incorrecte."]
    assert states == [{"box visible": True, "box is the modal": True, "box focused": True,
                       "progress visible": False, "other modals": []}]


def test_a_result_shown_after_success_is_alone_and_closable(
        qtbot, runner, fail_on_log) -> None:
    """Issue 17: « Procès-verbal prêt. 100 % [Annuler] » sat over « Opération
    impossible » (no PDF viewer) whose OK did nothing."""
    from PySide6.QtWidgets import QApplication

    fail_on_log.expect("caleol.ui.messages", logging.WARNING, "user-facing error")
    window = QMainWindow()
    qtbot.addWidget(window)
    window.show()
    delay = 150
    states: list[dict[str, object]] = []

    def work(ctx: TaskContext) -> str:
        ctx.progress(10, "Mise en page du procès-verbal…")
        ctx.progress(100, "Procès-verbal prêt.")
        return "pv.pdf"

    holder: list = []

    def no_viewer(path: str) -> None:
        messages.show_error(window, CaleolError(
            f"Aucune application n'est installée pour ouvrir les PDF ({path})."))

    def check(box: QMessageBox) -> None:
        _outlive_the_progress_delay(qtbot, delay)
        states.append(_modal_state(window, box, holder[0]))

    seen = when_box_shows("caleolErrorBox", check)
    task = run_with_progress(window, runner, "Procès-verbal…", work, no_viewer,
                             minimum_duration_ms=delay)
    holder.append(task.dialog)
    qtbot.waitUntil(lambda: bool(seen), timeout=WAIT_MS)
    qtbot.waitUntil(lambda: QApplication.activeModalWidget() is None, timeout=WAIT_MS)
    assert seen == ["Aucune application n'est installée pour ouvrir les PDF (pv.pdf)."]
    assert states[0]["progress visible"] is False
    assert states[0]["other modals"] == []
    assert states[0]["box is the modal"] is True
