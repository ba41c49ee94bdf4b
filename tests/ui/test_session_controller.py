"""The controller shows what a service reports beside success (here: a failed backup)."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from caleol.services import sessions
from caleol.services.sessions import ClosingOutcome
from caleol.settings import Settings
from caleol.ui import messages
from caleol.ui.pages.session.controller import SessionController


def _controller(qtbot, monkeypatch, outcome: ClosingOutcome):  # type: ignore[no-untyped-def]
    widget = QWidget()
    qtbot.addWidget(widget)
    controller = SessionController(object(), Settings, widget)
    monkeypatch.setattr(SessionController, "session_id", property(lambda self: 7))
    monkeypatch.setattr(sessions, "close_session", lambda engine, sid, settings, **times: outcome)
    monkeypatch.setattr(controller, "reload", lambda: None)
    shown: list[str] = []
    monkeypatch.setattr(messages, "show_info", lambda parent, text, title="": shown.append(text))
    return controller, shown


def test_a_failed_backup_after_closing_is_shown(qtbot, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    warning = "La sauvegarde automatique a échoué : disque plein."
    controller, shown = _controller(qtbot, monkeypatch, ClosingOutcome(7, None, (warning,)))
    assert controller.close_session() is True
    assert shown == [warning]


def test_a_clean_close_shows_nothing(qtbot, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    controller, shown = _controller(qtbot, monkeypatch, ClosingOutcome(7))
    assert controller.close_session() is True
    assert shown == []
