"""Red messages beside a form's fields: the one way a refused save is shown in a form.

A refused save leaves every field as typed; each faulty field gets its French message
beside it and a red tint, the rest goes on a general line. The service says which
field a message is about (`ValidationError.fields`, `FormError`, a `FieldError`'s
`field`); a message about no known field goes on the general line. Used by the
editors (`RecordDialog`) and by the séance's forms (new séance, events, exception,
attendance).
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QLabel, QLayout, QVBoxLayout, QWidget

from caleol.errors import CaleolError

ERROR_COLOR = "#b3261e"
ERROR_STYLE = f"color: {ERROR_COLOR};"
INVALID_BASE = "#fdecea"  # the tint of a faulty input (its text stays readable)


def error_label(parent: QWidget | None = None, name: str = "") -> QLabel:
    """A red, word-wrapped message line, hidden while empty."""
    label = QLabel(parent)
    if name:
        label.setObjectName(name)
    label.setStyleSheet(ERROR_STYLE)
    label.setWordWrap(True)
    label.hide()
    return label


def make_room(window: QWidget) -> None:
    """Grow a shown dialog so the messages that just appeared fit: Qt keeps a shown
    window's height, so a message wrapped on two lines would overlap the next field
    or squeeze an address box."""
    layout = window.layout()
    if layout is None:
        return
    layout.activate()
    width = window.width()
    needed = (layout.totalHeightForWidth(width) if layout.hasHeightForWidth()
              else layout.totalSizeHint().height())
    screen = window.screen()
    if screen is not None:  # never past the screen's bottom (a long editor scrolls)
        needed = min(needed, screen.availableGeometry().height())
    if needed > window.height():
        window.resize(width, needed)


def error_messages(error: CaleolError) -> dict[str, str]:
    """Field name → French message ("" : the record as a whole)."""
    fields: dict[str, str] = dict(getattr(error, "fields", None) or {})
    if fields:
        return fields
    field = getattr(error, "field", None) or ""
    text = error.message
    if error.details:
        text += "\n" + "\n".join(f"• {d}" for d in error.details)
    return {field: text}


def mark_invalid(widget: QWidget, invalid: bool) -> None:
    """Tint an input (line edit, combo box, spin box, date...) or redden a label."""
    if widget.property("caleolInvalid") == invalid:
        return
    widget.setProperty("caleolInvalid", invalid)
    if isinstance(widget, QLabel):
        widget.setStyleSheet(ERROR_STYLE if invalid else "")
        return
    palette = widget.palette()
    if invalid:
        widget.setProperty("caleolPalette", QPalette(palette))
        for role in (QPalette.ColorRole.Base, QPalette.ColorRole.Button):
            palette.setColor(role, QColor(INVALID_BASE))
        widget.setPalette(palette)
    else:
        saved = widget.property("caleolPalette")
        widget.setPalette(saved if isinstance(saved, QPalette) else QPalette())


def is_marked_invalid(widget: QWidget) -> bool:
    return bool(widget.property("caleolInvalid"))


class FormErrors:
    """The error lines of one form.

    Args:
        general: the line for messages about no known field (shown above or under
            the form by its owner).
    """

    def __init__(self, general: QLabel) -> None:
        self.general = general
        self.lines: dict[str, QLabel] = {}
        self.widgets: dict[str, tuple[QWidget, ...]] = {}

    def add(self, name: str, line: QLabel, widgets: Iterable[QWidget] = ()) -> QLabel:
        """Register field `name`: its message line and the inputs tinted with it."""
        line.setObjectName(line.objectName() or f"error_{name}")
        self.lines[name] = line
        self.widgets[name] = tuple(widgets)
        return line

    def line(self, name: str, parent: QWidget | None,
             widgets: Iterable[QWidget] = ()) -> QLabel:
        """A new (hidden) message line for field `name`, to lay out beside it."""
        return self.add(name, error_label(parent, f"error_{name}"), widgets)

    def clear(self) -> None:
        for label in (*self.lines.values(), self.general):
            label.clear()
            label.hide()
        for widgets in self.widgets.values():
            for widget in widgets:
                mark_invalid(widget, False)

    def show(self, error: CaleolError | dict[str, str]) -> list[str]:
        """Show the messages beside their fields; returns the fields in error."""
        self.clear()
        messages = error if isinstance(error, dict) else error_messages(error)
        general: list[str] = []
        shown: list[str] = []
        for name, message in messages.items():
            if not message:
                continue
            label = self.lines.get(name)
            if label is None:
                general.append(message)
                continue
            label.setText(message)
            label.show()
            for widget in self.widgets.get(name, ()):
                mark_invalid(widget, True)
            shown.append(name)
        if general:
            self.general.setText("\n".join(general))
            self.general.show()
        return shown

    def visible(self) -> dict[str, str]:
        """Field → message currently shown ("" : the general line)."""
        shown = {name: label.text() for name, label in self.lines.items() if label.text()}
        if self.general.text():
            shown[""] = self.general.text()
        return shown


def reserve_line(label: QLabel, lines: int = 1) -> QLabel:
    """Keep `lines` lines of room for `label` while it is hidden or empty: a message
    of that many lines then shows without moving anything under it (the form does
    not jump)."""
    policy = label.sizePolicy()
    policy.setRetainSizeWhenHidden(True)
    label.setSizePolicy(policy)
    label.setMinimumHeight(lines * label.fontMetrics().lineSpacing())
    return label


def with_error_line(errors: FormErrors, name: str, field: QWidget | QLayout,
                    parent: QWidget, tinted: Iterable[QWidget] = (), *,
                    reserved: bool = False) -> QWidget:
    """`field` with the (hidden) error line of `name` under it, for a form row;
    `reserved`: the line keeps its room while hidden (`reserve_line`)."""
    host = QWidget(parent)
    box = QVBoxLayout(host)
    box.setContentsMargins(0, 0, 0, 0)
    box.setSpacing(2)
    if isinstance(field, QLayout):
        box.addLayout(field)
    else:
        box.addWidget(field)
    line = errors.line(name, host, tinted)
    box.addWidget(reserve_line(line) if reserved else line)
    return host
