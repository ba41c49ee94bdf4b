"""Qt's own dialogs in French, and file dialogs that open where the user works."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QFileDialog, QLabel, QMessageBox, QPushButton

from caleol.ui import file_dialogs
from caleol.ui.translations import install_french


@pytest.fixture
def french(qapp):
    installed = install_french(qapp)
    yield
    for translator in installed:
        QCoreApplication.removeTranslator(translator)


def test_a_file_dialog_speaks_french(qtbot, french, tmp_path: Path) -> None:
    """Issue 17: « Look in: », « Files of type: » stayed English (Qt 6 moved their
    accelerators; qtbase_fr.qm still translates them under their old names)."""
    (tmp_path / "dossier").mkdir()
    dialog = QFileDialog(None, "Importer des demandes", str(tmp_path), "Fichiers CSV (*.csv)")
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
    qtbot.addWidget(dialog)
    dialog.show()
    labels = {label.objectName(): label.text() for label in dialog.findChildren(QLabel)}
    assert labels["lookInLabel"] == "&Voir dans\xa0:"
    assert labels["fileTypeLabel"] == "&Fichiers de type\xa0:"
    assert labels["fileNameLabel"] == "&Nom de fichier\xa0:"
    buttons = {b.text() for b in dialog.findChildren(QPushButton)}
    assert {"&Ouvrir", "Annuler"} <= buttons
    # the folder's type in the detail view: « Dossier », not « Folder »
    qtbot.waitUntil(lambda: _type_of(dialog, "dossier") != "")
    assert _type_of(dialog, "dossier") == "Dossier"


def _type_of(dialog: QFileDialog, name: str) -> str:
    from PySide6.QtWidgets import QFileSystemModel

    model = dialog.findChild(QFileSystemModel)
    index = model.index(str(Path(dialog.directory().absolutePath()) / name))
    return model.type(index) if index.isValid() else ""


def test_message_box_buttons_are_french(qtbot, french) -> None:
    box = QMessageBox(QMessageBox.Icon.Question, "Titre", "Texte",
                      QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No
                      | QMessageBox.StandardButton.Cancel)
    qtbot.addWidget(box)
    assert {b.text() for b in box.buttons()} == {"&Oui", "&Non", "Annuler"}


def test_caleol_strings_fall_through_unchanged(french) -> None:
    assert QCoreApplication.translate("SessionWorkspace", "Séance modifiée.") == (
        "Séance modifiée.")


def test_the_first_dialog_opens_in_documents_then_where_the_user_went(
        qtbot, monkeypatch, tmp_path: Path) -> None:
    documents = tmp_path / "Documents"
    documents.mkdir()
    monkeypatch.setattr(file_dialogs, "documents_folder", lambda: documents)
    starts: list[str] = []
    chosen = tmp_path / "exports" / "demandes.csv"
    chosen.parent.mkdir()
    chosen.write_text("NUR\n", encoding="utf-8")

    def fake_open(parent, title, start, filters, options):
        starts.append(start)
        assert options & QFileDialog.Option.DontUseNativeDialog  # Linux: Qt's, translated
        return str(chosen), filters

    monkeypatch.setattr(QFileDialog, "getOpenFileName", fake_open)
    assert file_dialogs.open_file(None, "import-csv", "Importer", "CSV (*.csv)") == chosen
    assert file_dialogs.open_file(None, "import-csv", "Importer", "CSV (*.csv)") == chosen
    assert file_dialogs.open_file(None, "certificate", "Certificat", "*.p12") == chosen
    # first: Documents; then the folder of the file chosen, per purpose
    assert starts == [str(documents), str(chosen.parent), str(documents)]


def test_a_remembered_folder_that_vanished_falls_back_to_documents(
        monkeypatch, tmp_path: Path) -> None:
    documents = tmp_path / "Documents"
    documents.mkdir()
    monkeypatch.setattr(file_dialogs, "documents_folder", lambda: documents)
    gone = tmp_path / "clé-usb"
    gone.mkdir()
    file_dialogs.remember("report", gone / "bilan.pdf")
    assert file_dialogs.start_folder("report") == gone
    gone.rmdir()
    assert file_dialogs.start_folder("report") == documents
