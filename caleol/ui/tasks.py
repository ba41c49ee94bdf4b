"""Long work (imports, PDF generation, large reports) off the GUI thread.

The work function is plain Python that knows nothing of Qt:

    def work(ctx: TaskContext) -> Report:
        for i, row in enumerate(rows):
            ctx.progress(100 * i // len(rows), f"Ligne {i + 1} sur {len(rows)}")
            ...                               # progress() raises TaskCancelledError if asked
        return report

    task = runner.start(work)                 # or run_with_progress(...) for a dialog
    task.succeeded.connect(show_report)

Results, errors and progress reach the GUI thread through queued signals; the window
never freezes and never touches a widget from a worker thread.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, QTimer, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget
from shiboken6 import isValid

from caleol.errors import CaleolError
from caleol.ui import messages

log = logging.getLogger(__name__)

PROGRESS_INTERVAL_S = 0.05  # at most ~20 progress updates per second reach the GUI


class TaskCancelledError(Exception):
    """Raised inside the work function when the user asked to cancel."""


class CancelToken:
    """Thread-safe flag the work function polls (through `TaskContext`)."""

    def __init__(self) -> None:
        self._event = threading.Event()

    def cancel(self) -> None:
        self._event.set()

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()

    def raise_if_cancelled(self) -> None:
        if self._event.is_set():
            raise TaskCancelledError


class TaskContext:
    """Handed to the work function: report progress, check for cancellation."""

    def __init__(self, token: CancelToken, emit: Callable[[int, str], None]) -> None:
        self._token = token
        self._emit = emit
        self._last: tuple[int, str] | None = None
        self._last_time = 0.0

    @property
    def cancelled(self) -> bool:
        return self._token.cancelled

    def check_cancelled(self) -> None:
        """Raise `TaskCancelledError` if the user cancelled (call between units of work)."""
        self._token.raise_if_cancelled()

    def progress(self, percent: int, text: str = "") -> None:
        """Report progress (0-100) and a French line of text; also a cancellation point.

        Updates are throttled so a tight loop does not flood the GUI's event queue;
        0 %, 100 % and any change of text after the interval always get through.
        """
        self._token.raise_if_cancelled()
        percent = max(0, min(100, int(percent)))
        state = (percent, text)
        if state == self._last:
            return
        now = time.monotonic()
        if percent not in (0, 100) and now - self._last_time < PROGRESS_INTERVAL_S:
            return
        self._last, self._last_time = state, now
        self._emit(percent, text)


class Task(QObject):
    """A running piece of work, seen from the GUI thread.

    Exactly one of `succeeded(result)`, `failed(exception)`, `cancelled()` is emitted,
    then `finished()`.
    """

    progress_changed = Signal(int, str)
    succeeded = Signal(object)
    failed = Signal(object)
    cancelled = Signal()
    finished = Signal()

    def __init__(self, name: str = "", parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.name = name
        self.token = CancelToken()
        self.result: Any = None
        self.error: BaseException | None = None
        self.done = False
        self.was_cancelled = False
        self.dialog: QProgressDialog | None = None  # set by run_with_progress
        # The worker emits the private signals; queued connections re-emit the public
        # ones from the GUI thread (the Task lives there), whatever the receivers are.
        self._outcome.connect(self._deliver, Qt.ConnectionType.QueuedConnection)
        self._progress.connect(self._relay_progress, Qt.ConnectionType.QueuedConnection)

    _outcome = Signal(str, object)
    _progress = Signal(int, str)

    def _relay_progress(self, percent: int, text: str) -> None:
        if not self.done:
            self.progress_changed.emit(percent, text)

    def cancel(self) -> None:
        """Ask the work to stop at its next cancellation point."""
        if not self.done:
            log.info("task %s: cancellation requested", self.name)
            self.token.cancel()

    def _deliver(self, kind: str, payload: object) -> None:
        self.done = True
        if kind == "ok":
            self.result = payload
            self.succeeded.emit(payload)
        elif kind == "cancelled":
            self.was_cancelled = True
            self.cancelled.emit()
        else:
            assert isinstance(payload, BaseException)
            self.error = payload
            self.failed.emit(payload)
        self.finished.emit()


class _Runnable(QRunnable):
    def __init__(self, task: Task, work: Callable[[TaskContext], Any]) -> None:
        super().__init__()
        self.setAutoDelete(True)
        self._task = task
        self._work = work

    def run(self) -> None:
        task = self._task
        ctx = TaskContext(task.token, task._progress.emit)
        try:
            task.token.raise_if_cancelled()
            result = self._work(ctx)
        except TaskCancelledError:
            log.info("task %s cancelled", task.name)
            task._outcome.emit("cancelled", None)
        except CaleolError as exc:
            log.warning("task %s failed: %s", task.name, exc)
            task._outcome.emit("error", exc)
        except BaseException as exc:
            log.error("task %s crashed", task.name, exc_info=exc)
            task._outcome.emit("error", exc)
        else:
            log.info("task %s done", task.name)
            task._outcome.emit("ok", result)


class TaskRunner(QObject):
    """Starts tasks on its own thread pool and keeps them alive until they finish.

    One runner is built by `caleol.app` and passed to the pages that need it.
    """

    def __init__(self, max_threads: int = 2, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(max_threads)
        self._running: set[Task] = set()

    def start(self, work: Callable[[TaskContext], Any], name: str = "") -> Task:
        # No Qt parent: the Task belongs to Python, kept alive by `_running` until it
        # finishes, then freed with its last reference (no deleteLater, which could
        # delete it a second time if the runner went first).
        task = Task(name or getattr(work, "__name__", "task"))
        self._running.add(task)
        task.finished.connect(lambda: QTimer.singleShot(0, lambda: self._running.discard(task)))
        log.info("task %s started", task.name)
        self._pool.start(_Runnable(task, work))
        return task

    def running(self) -> list[Task]:
        return [task for task in self._running if not task.done]

    def cancel_all(self) -> None:
        for task in self.running():
            task.cancel()

    def wait_for_done(self, msecs: int = 10_000) -> bool:
        """Block until worker threads finish (on quit, after `cancel_all`)."""
        return self._pool.waitForDone(msecs)


def run_with_progress(
    parent: QWidget | None,
    runner: TaskRunner,
    title: str,
    work: Callable[[TaskContext], Any],
    on_success: Callable[[Any], None] | None = None,
    *,
    on_error: Callable[[BaseException], None] | None = None,
    cancellable: bool = True,
    minimum_duration_ms: int = 400,
) -> Task:
    """Run `work` with a window-modal progress dialog and an « Annuler » button.

    The one pattern for long work: progress while it runs, then the dialog is gone
    (hidden, its delayed-show timer stopped), then the result (`on_success`) or the
    error. Errors are shown by `caleol.ui.messages` (a `CaleolError` as a French
    message, a bug as an error report) unless `on_error` handles them; a cancellation
    leaves a status-bar message. Outcomes are never delivered from inside the
    dialog's own `setValue()` (whose nested event loop they would block).
    """
    dialog = QProgressDialog(title, "Annuler" if cancellable else "", 0, 100, parent)
    dialog.setObjectName("taskProgressDialog")
    dialog.setWindowTitle(title)
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(minimum_duration_ms)
    dialog.setAutoClose(False)
    dialog.setAutoReset(False)
    dialog.setMinimumWidth(420)
    if not cancellable:
        dialog.setCancelButton(None)
    dialog.setValue(0)
    task = runner.start(work, name=title)

    # A window-modal QProgressDialog.setValue() runs the event loop: the task may end
    # right there and close the dialog, which must not be freed before setValue returns.
    in_set_value = False
    dispose_after_set_value = False
    after_set_value: list[Callable[[], None]] = []  # outcomes that arrived inside it

    def on_progress(percent: int, text: str) -> None:
        nonlocal in_set_value, dispose_after_set_value
        # The dialog dies with its parent (a page closed while the work still runs):
        # a late progress report must not touch the deleted C++ object.
        if task.dialog is None or not isValid(dialog):
            return
        if text:
            dialog.setLabelText(text)
        if in_set_value:
            return  # a report arriving inside setValue(): the next one sets the bar
        in_set_value = True
        try:
            dialog.setValue(percent)
        finally:
            in_set_value = False
        if dispose_after_set_value:
            dispose()
        while after_set_value:
            after_set_value.pop(0)()

    def on_cancel_clicked() -> None:
        dialog.setLabelText(dialog.tr("Annulation en cours…"))
        task.cancel()

    def close_dialog() -> None:
        nonlocal dispose_after_set_value
        if task.dialog is None:
            return
        task.dialog = None
        if not isValid(dialog):
            return
        dialog.canceled.disconnect(on_cancel_clicked)
        # reset() stops the timer that shows a slow task's dialog after
        # `minimum_duration_ms`: left running, it would pop the finished dialog up,
        # window-modal, over the result or the error shown next.
        dialog.reset()
        dialog.hide()  # not close(): closeEvent would emit canceled again
        if in_set_value:
            dispose_after_set_value = True  # on_progress disposes once setValue returned
        else:
            dispose()

    def dispose() -> None:
        if dialog.parent() is not None and isValid(dialog):
            # Owned by its parent in C++. A parentless dialog belongs to Python and is
            # freed with its last reference; deleteLater() would delete it twice.
            dialog.deleteLater()

    def deliver(outcome: Callable[[], None]) -> None:
        """Close the dialog, then run the outcome (after setValue() if inside it)."""
        inside = in_set_value
        close_dialog()
        if inside:
            after_set_value.append(outcome)
        else:
            outcome()

    def on_succeeded(result: Any) -> None:
        if on_success is not None:
            deliver(lambda: on_success(result))
        else:
            deliver(lambda: None)

    def show_failure(exc: BaseException) -> None:
        if on_error is not None:
            on_error(exc)
        elif isinstance(exc, CaleolError):
            messages.show_error(parent if parent is None or isValid(parent) else None, exc)
        else:
            messages.report_exception(exc)

    cancelled_text = dialog.tr("Opération annulée.")

    def on_cancelled() -> None:
        deliver(lambda: messages.show_status(
            parent if parent is None or isValid(parent) else None, cancelled_text))

    def on_failed(exc: BaseException) -> None:
        deliver(lambda: show_failure(exc))

    task.dialog = dialog
    task.progress_changed.connect(on_progress)
    dialog.canceled.connect(on_cancel_clicked)
    task.succeeded.connect(on_succeeded)
    task.failed.connect(on_failed)
    task.cancelled.connect(on_cancelled)
    return task
