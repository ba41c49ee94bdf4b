"""Driving the setup assistant as a user does: typing in its fields (real key events),
choosing in its lists, pressing its buttons. Shared by the assistant's tests and the
first-day test that goes on to the first séance."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QComboBox, QLineEdit, QPlainTextEdit, QWizard

from caleol.ui.dialogs.setup_wizard import SetupWizard
from caleol.ui.dialogs.setup_wizard.wizard import PageId

LANDLORD_SIREN = "732829320"  # a made-up landlord whose Luhn key is right


def type_in(qtbot, widget: QLineEdit | QPlainTextEdit, text: str, *, clear: bool = True
            ) -> None:
    """Type `text` with key events (lines of an address: Return between them)."""
    if clear:
        widget.selectAll()
        qtbot.keyClick(widget, Qt.Key.Key_Delete)
    for number, line in enumerate(text.split("\n")):
        if number:
            qtbot.keyClick(widget, Qt.Key.Key_Return)
        for char in line:
            if char.isascii():
                qtbot.keyClicks(widget, char)
            else:  # QTest's keyClicks aborts on a non-ASCII character: a key event
                for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
                    QApplication.sendEvent(widget, QKeyEvent(
                        kind, Qt.Key.Key_unknown, Qt.KeyboardModifier.NoModifier, char))


def choose(box: QComboBox, value: str) -> None:
    """Pick the item whose value is `value`, as a click in the list does."""
    index = box.findData(value)
    assert index >= 0, f"{value!r} not offered by {box.objectName()}"
    box.setCurrentIndex(index)
    box.activated.emit(index)


def press(wizard: SetupWizard, button: QWizard.WizardButton) -> None:
    wizard.button(button).click()


def next_page(wizard: SetupWizard) -> None:
    press(wizard, QWizard.WizardButton.NextButton)


def fill_landlord(qtbot, wizard: SetupWizard) -> None:
    form = wizard.landlord.form
    type_in(qtbot, form.name_edit, "Habitat Lorrain")
    type_in(qtbot, form.siren_edit, "732 829 320")
    type_in(qtbot, form.address_edit, "3 rue des Clercs\n57000 Metz")


def add_agency(qtbot, wizard: SetupWizard, code: str, name: str, department: str = "57"
               ) -> None:
    page = wizard.agencies
    form = page.form
    type_in(qtbot, form.code_edit, code)
    type_in(qtbot, form.name_edit, name)
    type_in(qtbot, form.address_edit, f"1 rue de la Gare\n57000 {name.split()[-1]}")
    choose(form.department_box, department)
    type_in(qtbot, form.phone_edit, "03 87 00 00 10")
    type_in(qtbot, form.email_edit, f"agence.{code.lower()}@habitat-lorrain.fr")
    page.commit_button.click()


def add_commission(qtbot, wizard: SetupWizard, code: str, name: str,
                   agencies: tuple[str, ...]) -> None:
    page = wizard.commissions
    form = page.form
    type_in(qtbot, form.code_edit, code)
    type_in(qtbot, form.name_edit, name)
    for agency in agencies:
        form.check_agency(agency)
    page.commit_button.click()


def add_member(qtbot, wizard: SetupWizard, civility: str, name: str, capacity: str, *,
               casting: bool = False, reservataire: str = "", titular: str = "") -> None:
    page = wizard.members
    form = page.member_form
    choose(form.civility_box, civility)
    type_in(qtbot, form.name_edit, name)
    choose(form.capacity_box, capacity)
    if casting:
        form.casting_check.click()
    if reservataire:
        choose(form.reservataire_box, reservataire)
    if titular:
        index = form.titular_box.findText(titular)
        assert index >= 0, titular
        form.titular_box.setCurrentIndex(index)
        form.titular_box.activated.emit(index)
    page.commit_button.click()


def walk_to_certificate(qtbot, wizard: SetupWizard) -> None:
    """Landlord, two agencies, one réservataire, one commission with three members
    (one representing the réservataire, one substitute)."""
    assert wizard.currentId() == PageId.WELCOME
    next_page(wizard)
    fill_landlord(qtbot, wizard)
    next_page(wizard)
    assert wizard.currentId() == PageId.AGENCIES
    add_agency(qtbot, wizard, "METZ", "Agence de Metz")
    add_agency(qtbot, wizard, "WOIPPY", "Agence de Woippy")
    next_page(wizard)
    assert wizard.currentId() == PageId.RESERVATAIRES
    form = wizard.reservataires.form
    choose(form.kind_box, "action_logement")
    type_in(qtbot, form.code_edit, "ALS")
    type_in(qtbot, form.name_edit, "Action Logement Services")
    next_page(wizard)  # « Suivant » adds what the form holds
    assert wizard.currentId() == PageId.COMMISSIONS
    add_commission(qtbot, wizard, "CALEOL-METZ", "CALEOL de Metz", ("METZ", "WOIPPY"))
    next_page(wizard)
    assert wizard.currentId() == PageId.MEMBERS
    add_member(qtbot, wizard, "Mme", "Claire Martin", "administrateur", casting=True)
    add_member(qtbot, wizard, "M.", "Karim Benali", "reservataire", reservataire="ALS")
    add_member(qtbot, wizard, "Mme", "Anne Muller", "administrateur",
               titular="Mme Claire Martin")
    next_page(wizard)
    assert wizard.currentId() == PageId.CERTIFICATE
