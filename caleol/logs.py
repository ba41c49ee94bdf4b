"""Logging set-up: one rotating file in the user log directory, Qt messages included.

Every module logs through `logging.getLogger(__name__)`; this module only decides
where the records go. The log file is what a user sends with an error report, so it
must exist and be findable (`log_file_path()`), and it never holds more than a few
megabytes.
"""

from __future__ import annotations

import logging
import logging.handlers
from collections.abc import Callable
from pathlib import Path
from typing import Any

from caleol import paths

LOG_FILE_NAME = "caleol.log"
MAX_BYTES = 2_000_000
BACKUP_COUNT = 5
FORMAT = "%(asctime)s %(levelname)-8s %(name)s: %(message)s"

log = logging.getLogger(__name__)

# Marks the handler installed here so reconfiguring replaces it instead of stacking.
_HANDLER_ATTR = "_caleol_handler"


def log_file_path(directory: Path | None = None) -> Path:
    return (directory or paths.log_dir()) / LOG_FILE_NAME


def configure_logging(level: int = logging.INFO, directory: Path | None = None) -> Path:
    """Send caleol's records to a rotating file; idempotent.

    Args:
        level: lowest level written for caleol's own loggers.
        directory: log directory (default: the user log directory of `caleol.paths`).

    Returns:
        The path of the log file, to show in error reports.
    """
    path = log_file_path(directory)
    path.parent.mkdir(parents=True, exist_ok=True)
    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, _HANDLER_ATTR, False):
            root.removeHandler(handler)
            handler.close()
    handler = logging.handlers.RotatingFileHandler(
        path, maxBytes=MAX_BYTES, backupCount=BACKUP_COUNT, encoding="utf-8", delay=False
    )
    handler.setFormatter(logging.Formatter(FORMAT))
    handler.setLevel(logging.DEBUG)
    setattr(handler, _HANDLER_ATTR, True)
    root.addHandler(handler)
    if root.level == logging.NOTSET or root.level > logging.WARNING:
        root.setLevel(logging.WARNING)  # third-party libraries: warnings and above
    logging.getLogger("caleol").setLevel(level)
    return path


def remove_logging() -> None:
    """Detach the file handler (tests, and a clean shutdown so the file is closed)."""
    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, _HANDLER_ATTR, False):
            root.removeHandler(handler)
            handler.close()


def flush_logging() -> None:
    for handler in logging.getLogger().handlers:
        if getattr(handler, _HANDLER_ATTR, False):
            handler.flush()


QT_LOGGER_NAME = "caleol.qt"


def install_qt_message_handler() -> Callable[[], None]:
    """Route Qt's own messages (qDebug, qWarning...) into the `caleol.qt` logger.

    The previous handler (pytest-qt installs one to fail tests on warnings) is still
    called, so installing this never hides a message from it.

    Returns:
        A function that restores the previous handler.
    """
    from PySide6.QtCore import QtMsgType, qInstallMessageHandler

    qt_log = logging.getLogger(QT_LOGGER_NAME)
    levels = {
        QtMsgType.QtDebugMsg: logging.DEBUG,
        QtMsgType.QtInfoMsg: logging.INFO,
        QtMsgType.QtWarningMsg: logging.WARNING,
        QtMsgType.QtCriticalMsg: logging.ERROR,
        QtMsgType.QtFatalMsg: logging.CRITICAL,
    }
    previous: Any = None

    def handler(msg_type: QtMsgType, context: Any, message: str) -> None:
        where = ""
        if context is not None and getattr(context, "file", None):
            where = f" ({context.file}:{context.line})"
        qt_log.log(levels.get(msg_type, logging.WARNING), "%s%s", message, where)
        if previous is not None:
            previous(msg_type, context, message)

    previous = qInstallMessageHandler(handler)

    def restore() -> None:
        qInstallMessageHandler(previous)

    return restore
