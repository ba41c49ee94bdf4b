"""A tab of organisation records (agencies, réservataires, commissions, members): new,
edit, deactivate, delete. The form is the one the setup assistant shows
(`caleol.ui.forms`); a deletion is refused by the service, with its French reason,
for anything a séance or a dossier refers to: deactivate it instead."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QWidget

from caleol.errors import CaleolError
from caleol.ui import messages
from caleol.ui.forms.base import FormDialog, RecordForm
from caleol.ui.models.table import Column
from caleol.ui.pages.reference.table_tab import TabContext, TableTab


class RecordTab(TableTab):
    """Args:
    noun: « agence », « réservataire »…, for the buttons (`new_text` for « Nouvelle… »).
    """

    def __init__(self, context: TabContext, columns: tuple[Column[Any], ...], intro: str,
                 parent: QWidget | None = None, *, name: str, new_text: str,
                 stretch: str = "") -> None:
        super().__init__(columns, intro, parent, stretch=stretch)
        self.context = context
        self.setObjectName(f"{name}Tab")
        self.add_button(new_text, f"new_{name}", lambda: self.edit(None))
        self.add_button(self.tr("Modifier…"), f"edit_{name}", lambda: self.edit(self.selected()))
        self.add_button(self.tr("Activer / désactiver"), f"toggle_{name}", self.toggle)
        self.add_button(self.tr("Supprimer…"), f"delete_{name}", self.delete)
        self.finish_buttons()
        self.table.doubleClicked.connect(lambda: self.edit(self.selected()))

    # --- what each tab says ------------------------------------------------------------

    def records(self) -> list[Any]:
        raise NotImplementedError

    def make_form(self, record: Any) -> RecordForm:
        raise NotImplementedError

    def save(self, record: Any) -> Any:
        raise NotImplementedError

    def set_active(self, record: Any, active: bool) -> Any:
        raise NotImplementedError

    def remove(self, record: Any) -> None:
        raise NotImplementedError

    def title(self, record: Any) -> str:
        """The dialog's title (record None: a new one)."""
        raise NotImplementedError

    def describe(self, record: Any) -> str:
        """« l'agence « Agence de Metz » » in a question."""
        raise NotImplementedError

    # --- actions ---------------------------------------------------------------------

    def reload(self) -> None:
        self.set_rows(self.records())

    def _keep(self, record: Any) -> None:
        self.reload()
        self.select_where(lambda r: r.id == record.id)

    def edit(self, current: Any) -> None:
        form = self.make_form(current)
        form.set_record(current)
        dialog = FormDialog(self.title(current), form, self.save, self)
        if self.context.run_dialog(dialog):
            self.show_error(None)
            self._keep(dialog.saved)
            messages.show_status(self, self.tr("Enregistré."))

    def toggle(self) -> None:
        record = self.selected()
        if record is None:
            messages.show_status(self, self.tr("Choisissez d'abord une ligne."))
            return
        try:
            saved = self.set_active(record, not record.active)
        except CaleolError as exc:
            self.show_error(exc)
            return
        self.show_error(None)
        self._keep(saved)

    def delete(self) -> None:
        record = self.selected()
        if record is None:
            messages.show_status(self, self.tr("Choisissez d'abord une ligne."))
            return
        if not messages.ask_confirmation(
                self, self.tr("Supprimer {what} ? Seul ce qui a été saisi par erreur se "
                              "supprime : ce à quoi une séance ou un dossier fait référence "
                              "se désactive.").format(what=self.describe(record)),
                confirm=self.tr("Supprimer")):
            return
        try:
            self.remove(record)
        except CaleolError as exc:
            self.show_error(exc)
            return
        self.show_error(None)
        self.reload()
        messages.show_status(self, self.tr("Supprimé."))
