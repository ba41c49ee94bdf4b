"""The one look of a dialog's buttons: the action named in French, then « Annuler »."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QPushButton


def accept_cancel(dialog: QDialog, text: str, name: str) -> tuple[QDialogButtonBox, QPushButton]:
    """A button box whose accept button says what it does (« Créer la séance »...).

    Args:
        dialog: accepted or rejected by the two buttons.
        text: the accept button's French text (already translated).
        name: its object name (tests find it by it).

    Returns:
        The box to lay out, and the accept button (to enable or click).
    """
    buttons = QDialogButtonBox(dialog)
    accept = buttons.addButton(text, QDialogButtonBox.ButtonRole.AcceptRole)
    accept.setObjectName(name)
    cancel = buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
    cancel.setText(dialog.tr("Annuler"))
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    return buttons, accept
