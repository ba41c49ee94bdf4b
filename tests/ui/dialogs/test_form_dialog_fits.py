"""A refusal shown in a Référentiels dialog makes room for itself: the dialog grows so
that a message wrapped on two or three lines neither overlaps the next field nor squeezes
the address box (seen under Xvfb at 1366×768: the member's « a siégé en séance » message
was cut in the middle of its second line)."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QLabel, QLayout, QLineEdit, QWidget
from ui.dialogs.wizard_steps import type_in

from caleol.errors import FormError
from caleol.ui.dialogs.record_dialog import RecordDialog
from caleol.ui.forms.agency import AgencyForm
from caleol.ui.forms.base import ADDRESS_HEIGHT, FormDialog

LONG = ("M. Jean Dupont, adjoint au maire de Metz a siégé en séance : son nom, sa qualité "
        "et ses voix restent ceux que les procès-verbaux citent. Pour le remplacer, "
        "ajoutez un nouveau membre et désactivez celui-ci.")


@pytest.fixture(autouse=True)
def discard_without_asking(monkeypatch: pytest.MonkeyPatch) -> None:
    """Closing the dialogs at the end discards what was typed without a question."""
    monkeypatch.setattr("caleol.ui.messages.ask_confirmation", lambda *a, **k: True)


def refuse(record: object) -> object:
    raise FormError({"email": LONG, "phone": LONG})


def assert_fits(dialog: QWidget) -> None:
    layout = dialog.layout()
    assert isinstance(layout, QLayout)
    needed = layout.totalHeightForWidth(dialog.width()) if layout.hasHeightForWidth() \
        else layout.totalMinimumSize().height()
    assert dialog.height() >= needed
    for label in dialog.findChildren(QLabel):
        if label.isVisible() and label.wordWrap() and label.text():
            assert label.height() >= label.heightForWidth(label.width()), label.text()


def test_a_refusal_grows_the_form_dialog(qtbot) -> None:
    form = AgencyForm()
    dialog = FormDialog("Modifier l'agence", form, refuse)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    before = dialog.height()
    type_in(qtbot, form.code_edit, "METZ")
    type_in(qtbot, form.address_edit, "1 rue de la Gare\n57000 Metz")
    dialog.save_button.click()
    assert set(form.visible_errors()) == {"email", "phone"}
    assert dialog.isVisible() and form.code_edit.text() == "METZ"  # kept
    assert dialog.height() > before
    assert form.address_edit.height() >= ADDRESS_HEIGHT  # not squeezed
    assert_fits(dialog)


class _Refusing(RecordDialog):
    def __init__(self) -> None:
        super().__init__("Motif")
        self.label = QLineEdit(self)
        self.add_field("label", "Libellé", self.label)

    def build(self) -> object:
        return None

    def save(self, record: object) -> object:
        raise FormError({"label": LONG + " " + LONG})


def test_a_refusal_grows_the_record_dialog(qtbot) -> None:
    dialog = _Refusing()
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    before = dialog.height()
    dialog.accept()
    assert dialog.visible_errors() == {"label": LONG + " " + LONG}
    assert dialog.height() > before
    assert_fits(dialog)
