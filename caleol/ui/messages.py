"""The one place that shows errors and status to the user, and logs them.

Two kinds of failure (qutebrowser's KnownError / BugError split):
- a `CaleolError` is expected (bad input, base occupée, séance close...): its French
  message is shown next to the action with `show_error`, logged at WARNING;
- anything else is a bug: `install_excepthook` catches it wherever it happens in the
  GUI (slots, virtual methods, task errors via `report_exception`), writes the
  traceback to the log and shows « Une erreur inattendue s'est produite » with a
  report the user can copy. The application never dies silently.
"""

from __future__ import annotations

import datetime
import logging
import sys
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QLabel,
    QMainWindow,
    QPushButton,
    QStatusBar,
    QVBoxLayout,
    QWidget,
)

if TYPE_CHECKING:
    from PySide6.QtWidgets import QMessageBox

# The message boxes and the report dialog's own classes are imported when one is
# shown: this module is imported at start (the exception hook), before the window,
# and each Qt class costs its enums' creation the first time it is named.

from caleol.errors import CaleolError
from caleol.logs import flush_logging

log = logging.getLogger(__name__)

STATUS_TIMEOUT_MS = 5000
UNEXPECTED_TITLE = "Erreur inattendue"
UNEXPECTED_TEXT = "Une erreur inattendue s'est produite"


def _window_of(parent: QWidget | None) -> QWidget | None:
    if parent is not None:
        return parent.window()
    return QApplication.activeWindow()


def show_error(parent: QWidget | None, error: CaleolError, title: str = "") -> None:
    """Tell the user about an expected failure, in French, next to the action."""
    log.warning("user-facing error: %s", error)
    from PySide6.QtWidgets import QMessageBox

    box = QMessageBox(_window_of(parent))
    box.setObjectName("caleolErrorBox")
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle(title or QApplication.translate("messages", "Opération impossible"))
    box.setText(error.message)
    if error.details:
        box.setInformativeText("\n".join(f"• {d}" for d in error.details))
    box.setStandardButtons(QMessageBox.StandardButton.Ok)
    box.exec()


def show_info(parent: QWidget | None, text: str, title: str = "") -> None:
    log.info("user info: %s", text)
    from PySide6.QtWidgets import QMessageBox

    box = QMessageBox(_window_of(parent))
    box.setObjectName("caleolInfoBox")
    box.setIcon(QMessageBox.Icon.Information)
    box.setWindowTitle(title or QApplication.translate("messages", "Information"))
    box.setText(text)
    box.setStandardButtons(QMessageBox.StandardButton.Ok)
    box.exec()


def show_notice(parent: QWidget | None, text: str, details: Sequence[str] = (),
                title: str = "") -> QMessageBox:
    """What the user should read about a result, without having to answer it now: not
    modal, so the document it comes with stays usable and nothing waits on it."""
    log.info("user notice: %s %s", text, " ; ".join(details))
    from PySide6.QtWidgets import QMessageBox

    box = QMessageBox(_window_of(parent))
    box.setObjectName("caleolNoticeBox")
    box.setIcon(QMessageBox.Icon.Information)
    box.setWindowTitle(title or QApplication.translate("messages", "Information"))
    box.setText(text)
    if details:
        box.setInformativeText("\n".join(f"• {d}" for d in details))
    box.setStandardButtons(QMessageBox.StandardButton.Ok)
    from PySide6.QtCore import Qt

    box.setWindowModality(Qt.WindowModality.NonModal)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.show()
    return box


def ask_confirmation(parent: QWidget | None, text: str, title: str = "",
                     confirm: str = "", keep: str = "") -> bool:
    """Yes/no question before something that cannot be undone; default is « non »
    (`keep`: its text when « Annuler » would be ambiguous, as when « Annuler » is what
    asked the question)."""
    from PySide6.QtWidgets import QMessageBox

    box = QMessageBox(_window_of(parent))
    box.setObjectName("caleolConfirmBox")
    box.setIcon(QMessageBox.Icon.Question)
    box.setWindowTitle(title or QApplication.translate("messages", "Confirmation"))
    box.setText(text)
    yes = box.addButton(confirm or QApplication.translate("messages", "Confirmer"),
                        QMessageBox.ButtonRole.AcceptRole)
    no = box.addButton(keep or QApplication.translate("messages", "Annuler"),
                       QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(no)
    box.exec()
    return box.clickedButton() is yes


def show_status(widget: QWidget | None, text: str, timeout_ms: int = STATUS_TIMEOUT_MS) -> None:
    """A transient message in the status bar of the widget's main window (and the log)."""
    log.info("status: %s", text)
    window = widget.window() if widget is not None else QApplication.activeWindow()
    bar: QStatusBar | None = None
    if isinstance(window, QMainWindow):
        bar = window.statusBar()
    if bar is not None:
        bar.showMessage(text, timeout_ms)


# --- unexpected errors -----------------------------------------------------------

ExcInfo = tuple[type[BaseException], BaseException, TracebackType | None]


def build_report(exc_type: type[BaseException], exc: BaseException,
                 tb: TracebackType | None, log_file: Path | None) -> str:
    """Plain-text report a user can paste in an e-mail to support.

    It holds the traceback and versions only: no personal data beyond what the
    exception message itself contains.
    """
    from caleol.ui.dialogs.about import runtime_summary  # metadata reads: only on a bug

    lines = [
        f"Rapport d'erreur caleol — {datetime.datetime.now().isoformat(timespec='seconds')}",
        "",
        runtime_summary(),
        f"Journal : {log_file}" if log_file else "Journal : (non configuré)",
        "",
        "".join(traceback.format_exception(exc_type, exc, tb)).rstrip(),
    ]
    return "\n".join(lines)


class ErrorReportDialog(QDialog):
    """« Une erreur inattendue s'est produite » with a copyable report."""

    def __init__(self, report: str, log_file: Path | None, parent: QWidget | None = None) -> None:
        from PySide6.QtGui import QFontDatabase
        from PySide6.QtWidgets import QDialogButtonBox, QPlainTextEdit

        super().__init__(parent)
        self.setObjectName("errorReportDialog")
        self.setWindowTitle(self.tr(UNEXPECTED_TITLE))
        self.report = report
        self.log_file = log_file
        layout = QVBoxLayout(self)
        headline = QLabel(self.tr(
            "<b>Une erreur inattendue s'est produite.</b><br>"
            "L'opération en cours n'a peut-être pas abouti ; vos données enregistrées "
            "ne sont pas perdues. Vous pouvez continuer à travailler ou redémarrer "
            "l'application. Pour signaler le problème, copiez le rapport ci-dessous "
            "et joignez le fichier journal."
        ))
        headline.setWordWrap(True)
        layout.addWidget(headline)
        self.report_view = QPlainTextEdit(report, self)
        self.report_view.setObjectName("reportView")
        self.report_view.setReadOnly(True)
        self.report_view.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        layout.addWidget(self.report_view)
        if log_file is not None:
            where = QLabel(self.tr("Journal : {path}").format(path=log_file))
            where.setWordWrap(True)
            layout.addWidget(where)
        buttons = QDialogButtonBox(self)
        self.copy_button = QPushButton(self.tr("Copier le rapport"), self)
        self.copy_button.setObjectName("copyReportButton")
        self.copy_button.clicked.connect(self.copy_report)
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        if log_file is not None:
            self.open_logs_button = QPushButton(self.tr("Ouvrir le dossier des journaux"), self)
            self.open_logs_button.clicked.connect(self.open_log_folder)
            buttons.addButton(self.open_logs_button, QDialogButtonBox.ButtonRole.ActionRole)
        close = buttons.addButton(QDialogButtonBox.StandardButton.Close)
        close.setText(self.tr("Fermer"))
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(720, 460)

    def copy_report(self) -> None:
        QGuiApplication.clipboard().setText(self.report)
        self.copy_button.setText(self.tr("Rapport copié"))

    def open_log_folder(self) -> None:
        from PySide6.QtCore import QUrl
        from PySide6.QtGui import QDesktopServices

        if self.log_file is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.log_file.parent)))


class ExceptionHook:
    """The GUI's `sys.excepthook`: known errors get a message, bugs a report.

    Installed once by the composition root; `uninstall()` restores the previous hook
    (tests). Re-entrant exceptions (an error while the dialog is open) are logged but
    do not stack dialogs.
    """

    def __init__(self, log_file: Path | None,
                 parent: Callable[[], QWidget | None] | None = None) -> None:
        self.log_file = log_file
        self._parent = parent or QApplication.activeWindow
        self._previous: Callable[..., object] | None = None
        self._showing = False

    def install(self) -> ExceptionHook:
        self._previous = sys.excepthook
        sys.excepthook = self
        return self

    def uninstall(self) -> None:
        if sys.excepthook is self and self._previous is not None:
            sys.excepthook = self._previous

    def __call__(self, exc_type: type[BaseException], exc: BaseException,
                 tb: TracebackType | None) -> None:
        if issubclass(exc_type, KeyboardInterrupt):
            log.info("interrupted by the user")
            app = QApplication.instance()
            if app is not None:
                app.quit()
            return
        if isinstance(exc, CaleolError):
            if not self._showing:
                self._showing = True
                try:
                    show_error(self._parent(), exc)
                finally:
                    self._showing = False
            else:
                log.warning("user-facing error while a dialog was open: %s", exc)
            return
        log.critical("unexpected error", exc_info=(exc_type, exc, tb))
        flush_logging()
        if self._showing:
            return
        self._showing = True
        try:
            report = build_report(exc_type, exc, tb, self.log_file)
            dialog = ErrorReportDialog(report, self.log_file, self._parent())
            dialog.exec()
        except Exception:  # never let the hook itself kill the application
            log.exception("could not show the error dialog")
            stream = sys.stderr or sys.__stderr__
            if stream is not None:  # both are None under pythonw on Windows
                stream.write(build_report(exc_type, exc, tb, self.log_file) + "\n")
        finally:
            self._showing = False


def install_excepthook(log_file: Path | None,
                       parent: Callable[[], QWidget | None] | None = None) -> ExceptionHook:
    """Install the GUI's exception hook (once, from `caleol.app`).

    Args:
        log_file: shown in the report so the user can attach it.
        parent: returns the window dialogs are centred on (default: active window).

    Returns:
        The hook; call `uninstall()` to restore the previous one.
    """
    return ExceptionHook(log_file, parent).install()


def report_exception(exc: BaseException) -> None:
    """Route an exception caught elsewhere (a task's error) through the same hook."""
    hook = sys.excepthook
    hook(type(exc), exc, exc.__traceback__)
