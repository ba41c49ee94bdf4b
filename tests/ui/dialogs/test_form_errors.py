"""The one way a refused save is shown in a form: messages beside fields, inputs tinted."""

from __future__ import annotations

from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QLabel, QLineEdit, QWidget

from caleol.errors import CaleolError, FormError, ValidationError
from caleol.ui.dialogs.form_errors import (
    INVALID_BASE,
    FormErrors,
    error_label,
    error_messages,
    is_marked_invalid,
)


def _form(qtbot):  # type: ignore[no-untyped-def]
    host = QWidget()
    qtbot.addWidget(host)
    place, name = QLineEdit("salle 3", host), QLineEdit("", host)
    errors = FormErrors(error_label(host, "general"))
    errors.line("place", host, (place,))
    errors.line("name", host, (name,))
    return host, place, name, errors


def test_each_message_goes_beside_its_field_and_tints_it(qtbot) -> None:
    _host, place, name, errors = _form(qtbot)
    before = place.palette().color(QPalette.ColorRole.Base)
    shown = errors.show(FormError({"place": "Indiquez le lieu.", "": "Séance close."}))
    assert shown == ["place"]
    assert errors.visible() == {"place": "Indiquez le lieu.", "": "Séance close."}
    assert is_marked_invalid(place) and not is_marked_invalid(name)
    assert place.palette().color(QPalette.ColorRole.Base).name() == INVALID_BASE
    assert place.text() == "salle 3"  # what was typed stays
    errors.clear()
    assert errors.visible() == {}
    assert not is_marked_invalid(place)
    assert place.palette().color(QPalette.ColorRole.Base) == before


def test_an_error_about_no_field_lists_its_details_on_the_general_line(qtbot) -> None:
    _host, place, _name, errors = _form(qtbot)
    errors.show(CaleolError("Présences incohérentes :", details=["A", "B"]))
    assert errors.visible() == {"": "Présences incohérentes :\n• A\n• B"}
    assert not errors.general.isHidden()
    assert not is_marked_invalid(place)


def test_field_names_come_from_the_service() -> None:
    assert error_messages(ValidationError("x", fields={"member_3": "absent"})) == {
        "member_3": "absent"}

    class OneFieldError(ValidationError):
        def __init__(self) -> None:
            super().__init__("L'année est hors limites.")
            self.field = "year"

    assert error_messages(OneFieldError()) == {"year": "L'année est hors limites."}


def test_a_label_is_reddened_not_tinted(qtbot) -> None:
    host = QWidget()
    qtbot.addWidget(host)
    label = QLabel("Mme Léa Klein", host)
    errors = FormErrors(error_label(host))
    errors.line("member_1", host, (label,))
    errors.show({"member_1": "Indiquez qui détient son pouvoir."})
    assert "color" in label.styleSheet()
    errors.clear()
    assert label.styleSheet() == ""
