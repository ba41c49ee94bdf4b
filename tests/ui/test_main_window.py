"""The navigation shell: pages, shortcuts forwarded to the page shown, status bar."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit, QVBoxLayout

from caleol import __version__
from caleol.ui.dialogs.about import AboutDialog, bundled_libraries
from caleol.ui.dialogs.help import BUILTIN_HELP, HelpDialog
from caleol.ui.main_window import MainWindow
from caleol.ui.pages.base import Page, PlaceholderPage


class SearchPage(Page):
    def __init__(self, page_id: str = "demandes", title: str = "Demandes") -> None:
        super().__init__(page_id, title)
        self.search = QLineEdit(self)
        self.search.setText("0572401")
        self.activations = 0
        self.printed = 0
        self.created = 0
        QVBoxLayout(self).addWidget(self.search)

    def search_field(self) -> QLineEdit:
        return self.search

    def activated(self) -> None:
        self.activations += 1

    def print_current(self) -> bool:
        self.printed += 1
        return True

    def start_new(self) -> bool:
        self.created += 1
        return True


@pytest.fixture
def window(qtbot) -> MainWindow:
    window = MainWindow("/tmp/caleol.sqlite3")
    qtbot.addWidget(window)
    window.add_page(PlaceholderPage("sessions", "Séances", "Les séances."))
    window.add_page(SearchPage())
    window.add_page(PlaceholderPage("settings", "Paramètres", "Réglages."))
    window.resize(1000, 700)
    with qtbot.waitActive(window):
        window.show()
        window.activateWindow()
    return window


def nav_titles(window: MainWindow) -> list[str]:
    return [window.navigation.item(i).text() for i in range(window.navigation.count())]


def test_navigation_lists_pages_in_order_and_shows_the_first(window: MainWindow) -> None:
    assert nav_titles(window) == ["Séances", "Demandes", "Paramètres"]
    assert window.current_page().page_id == "sessions"
    assert window.database_label.text() == "Base : /tmp/caleol.sqlite3"


def test_clicking_the_navigation_switches_page(qtbot, window: MainWindow) -> None:
    demandes = window.page("demandes")
    item = window.navigation.item(1)
    rect = window.navigation.visualItemRect(item)
    with qtbot.waitSignal(window.page_changed) as blocker:
        qtbot.mouseClick(window.navigation.viewport(), Qt.MouseButton.LeftButton,
                         pos=rect.center())
    assert blocker.args == ["demandes"]
    assert window.current_page() is demandes
    assert demandes.activations == 1


def test_ctrl_number_goes_to_a_page(qtbot, window: MainWindow) -> None:
    qtbot.keyClick(window, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
    assert window.current_page().page_id == "settings"


def test_ctrl_f_focuses_the_search_field_of_the_page(qtbot, window: MainWindow) -> None:
    page = window.show_page("demandes")
    window.navigation.setFocus()
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(page.search.hasFocus)
    assert page.search.selectedText() == "0572401"


def test_ctrl_f_without_search_says_so(qtbot, window: MainWindow) -> None:
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert window.statusBar().currentMessage() == "Pas de recherche sur cet écran."


def test_ctrl_p_prints_the_current_page_or_explains(qtbot, window: MainWindow) -> None:
    qtbot.keyClick(window, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    assert window.statusBar().currentMessage() == "Rien à imprimer sur cet écran."
    page = window.show_page("demandes")
    qtbot.keyClick(window, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    assert page.printed == 1


def test_ctrl_n_goes_to_sessions_and_starts_a_new_one(qtbot) -> None:
    window = MainWindow("")
    qtbot.addWidget(window)
    sessions = SearchPage("sessions", "Séances")
    window.add_page(PlaceholderPage("settings", "Paramètres", "Réglages."))
    window.add_page(sessions)
    with qtbot.waitActive(window):
        window.show()
        window.activateWindow()
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert window.current_page() is sessions
    assert sessions.created == 1


def test_ctrl_n_on_a_placeholder_explains(qtbot, window: MainWindow) -> None:
    window.show_page("settings")
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert window.current_page().page_id == "sessions"
    assert "pas encore disponible" in window.statusBar().currentMessage()


def test_f1_opens_the_help(qtbot, window: MainWindow) -> None:
    qtbot.keyClick(window, Qt.Key.Key_F1)
    dialog = window.help_dialog
    assert isinstance(dialog, HelpDialog) and dialog.isVisible()
    text = dialog.browser.toPlainText()
    assert "Raccourcis clavier" in text or "caleol" in text
    dialog.close()


def test_help_falls_back_to_the_builtin_text(qtbot, tmp_path: Path, fail_on_log) -> None:
    fail_on_log.expect("caleol.ui.dialogs.help", text="unreadable")
    dialog = HelpDialog(tmp_path / "absent.md")
    qtbot.addWidget(dialog)
    assert "Ctrl+N" in dialog.browser.toPlainText()
    guide = tmp_path / "guide.md"
    guide.write_text("# Guide de test\n\nBonjour.", encoding="utf-8")
    dialog = HelpDialog(guide)
    qtbot.addWidget(dialog)
    assert dialog.browser.toPlainText().startswith("Guide de test")
    assert "Ctrl+Q" in BUILTIN_HELP


def test_about_lists_version_and_licences(qtbot, window: MainWindow, monkeypatch) -> None:
    shown: list[AboutDialog] = []
    monkeypatch.setattr(AboutDialog, "exec", lambda dialog: shown.append(dialog) or 0)
    window.about_action.trigger()
    assert len(shown) == 1
    dialog = shown[0]
    assert dialog.windowTitle() == "À propos de caleol"
    assert f"caleol {__version__}" in dialog.title_label.text()
    model = dialog.model
    rows = {model.index(r, 0).data(): (model.index(r, 1).data(), model.index(r, 2).data())
            for r in range(model.rowCount())}
    assert rows["SQLAlchemy"][1] == "MIT"
    assert "LGPL" in rows["PySide6 / Qt"][1]
    assert "LGPL" in rows["psycopg"][1]
    assert "BSD" in rows["reportlab"][1]
    data = {dialog.data_model.index(r, 0).data(): dialog.data_model.index(r, 2).data()
            for r in range(dialog.data_model.rowCount())}
    assert "DejaVu" in data["Polices DejaVu Sans"]
    import importlib.metadata

    assert rows["Alembic"][0] == importlib.metadata.version("alembic")


def test_bundled_libraries_marks_missing_ones(monkeypatch) -> None:
    import importlib.metadata

    def missing(name: str) -> None:
        raise importlib.metadata.PackageNotFoundError(name)

    monkeypatch.setattr(importlib.metadata, "metadata", missing)
    libs = {lib.name: lib for lib in bundled_libraries()}
    assert libs["pyHanko"].version == "non installé"
    assert libs["pyHanko"].licence == "MIT"


def test_ctrl_q_closes_the_window(qtbot, window: MainWindow) -> None:
    with qtbot.waitSignal(window.closing):
        qtbot.keyClick(window, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)
    assert not window.isVisible()


def test_duplicate_page_is_refused(window: MainWindow) -> None:
    with pytest.raises(ValueError, match="already registered"):
        window.add_page(PlaceholderPage("sessions", "Séances", "x"))


def test_demo_database_is_announced(qtbot) -> None:
    window = MainWindow("/data/caleol-demo.sqlite3", demo=True)
    qtbot.addWidget(window)
    assert "démonstration" in window.windowTitle()
    assert window.database_label.text().startswith("Base de démonstration")
    window.set_database_label("")
    assert window.database_label.text() == "Aucune base ouverte"


class UndoPage(PlaceholderPage):
    """A screen with a history of one change."""

    def __init__(self) -> None:
        super().__init__("sessions", "Séances", "Les séances.")
        from PySide6.QtGui import QUndoCommand, QUndoStack

        self.history = QUndoStack(self)
        self.value = 0
        page = self

        class Increment(QUndoCommand):
            def redo(self) -> None:
                page.value += 1

            def undo(self) -> None:
                page.value -= 1

        self.history.push(Increment("décision pour DURAND Léa"))

    def undo_stack(self):
        return self.history


def test_ctrl_z_and_ctrl_shift_z_undo_and_redo_the_page_s_changes(qtbot) -> None:
    window = MainWindow("")
    qtbot.addWidget(window)
    page = UndoPage()
    window.add_page(page)
    window.add_page(PlaceholderPage("settings", "Paramètres", "Réglages."))
    with qtbot.waitActive(window):
        window.show()
        window.activateWindow()
    window.update_undo_actions()  # as when the « Édition » menu opens
    assert window.undo_action.text() == "&Annuler « décision pour DURAND Léa »"
    assert window.redo_action.text() == "&Rétablir"
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert page.value == 0
    assert window.statusBar().currentMessage() == "Annulé : décision pour DURAND Léa."
    window.update_undo_actions()
    assert window.redo_action.text() == "&Rétablir « décision pour DURAND Léa »"
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier
                   | Qt.KeyboardModifier.ShiftModifier)
    assert page.value == 1
    window.show_page("settings")  # another screen: its own (empty) history
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert page.value == 1
    assert window.statusBar().currentMessage() == "Rien à annuler."
    edit = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Édition")
    assert [a.objectName() for a in edit.actions()][:2] == ["undoAction", "redoAction"]
