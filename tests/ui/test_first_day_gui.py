"""A landlord's first day, as a new user does it: « Base vide » at first start on a
computer with no database, the setup assistant, then the first séance created in the
window. No demo code, no service called by the test to set anything up."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QWizard
from ui.dialogs.wizard_steps import next_page, press, walk_to_certificate

from caleol import app as app_module
from caleol import paths
from caleol.services import organisation as org
from caleol.ui.dialogs.first_start import FirstStartChoice, StartKind
from caleol.ui.dialogs.setup_wizard import SetupWizard
from caleol.ui.dialogs.setup_wizard.wizard import PageId


def test_from_base_vide_to_a_first_seance(qtbot, tmp_path: Path) -> None:
    database = paths.default_database_path()
    assert not database.exists()  # a computer where caleol never ran
    started = app_module.start(settings_file=tmp_path / "settings.json",
                               ask=lambda: FirstStartChoice(StartKind.EMPTY))
    assert started is not None
    ctx, window = started
    qtbot.addWidget(window)
    try:
        qtbot.waitUntil(lambda: ctx.opened)
        assert database.exists() and ctx.engine is not None
        wizard = getattr(window, "setup_wizard", None)
        assert isinstance(wizard, SetupWizard) and wizard.isVisible()
        assert wizard.windowModality() == Qt.WindowModality.WindowModal  # not blocking
        walk_to_certificate(qtbot, wizard)
        next_page(wizard)  # no certificate yet
        assert wizard.currentId() == PageId.FINISH
        press(wizard, QWizard.WizardButton.FinishButton)
        assert not wizard.isVisible()
        # the Séances screen, ready to create a séance
        assert window.current_page().page_id == "sessions"
        assert "Créez votre première séance" in window.statusBar().currentMessage()
        assert org.get_landlord(ctx.engine).name == "Habitat Lorrain"  # type: ignore[union-attr]
        sessions_page = window.page("sessions").content
        assert sessions_page.model.rowCount() == 0
        window.new_session_action.trigger()  # Ctrl+N
        dialog = sessions_page.new_dialog
        assert dialog is not None and dialog.isVisible()
        assert dialog.commission.currentText() == "CALEOL de Metz"
        names = [dialog.members.item(i).text() for i in range(dialog.members.count())]
        assert names[:2] == ["Mme Claire Martin", "M. Karim Benali (consultatif)"]
        assert names[2].startswith("Mme Anne Muller")  # the substitute
        assert not dialog.remote.isEnabled()  # the commission's rules did not allow it
        dialog.date.setDate(QDate(2027, 1, 14))
        qtbot.keyClicks(dialog.place, "Agence de Metz, salle du conseil")
        qtbot.mouseClick(dialog.create_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: sessions_page.stack.currentWidget() is sessions_page.workspace)
        detail = sessions_page.workspace.detail
        assert (detail.summary.date, detail.summary.place, detail.status) == (
            date(2027, 1, 14), "Agence de Metz, salle du conseil", "draft")
        assert detail.summary.commission == "CALEOL de Metz"
    finally:
        window.close()


def test_an_empty_base_reopened_offers_the_assistant_again(qtbot, tmp_path: Path) -> None:
    """Cancelled on the first day, the assistant comes back at the next start (the base
    exists, empty); a base with an organisation opens without it."""
    from caleol.db.engine import open_database

    open_database(str(paths.default_database_path()), create=True).dispose()
    started = app_module.start(settings_file=tmp_path / "settings.json",
                               ask=lambda: None)
    assert started is not None
    ctx, window = started
    qtbot.addWidget(window)
    try:
        qtbot.waitUntil(lambda: ctx.opened)
        wizard = window.setup_wizard
        assert wizard.isVisible()
        press(wizard, QWizard.WizardButton.CancelButton)  # nothing typed: no question
        assert not wizard.isVisible()
    finally:
        window.close()
