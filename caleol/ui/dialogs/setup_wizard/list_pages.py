"""Pages that gather a list: agencies, réservataires, commissions.

The records entered are listed on the left; the form on the right adds one, or edits
the one chosen in the list. Each record is checked by the services when it is added
(its messages beside its fields, what was typed kept); « Suivant » adds what is still
in the form, then checks the whole list.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPushButton,
    QVBoxLayout,
)

from caleol.errors import CaleolError
from caleol.services.organisation.choices import department_choices, epci_choices
from caleol.services.organisation.draft import (
    AGENCY,
    COMMISSION,
    LANDLORD,
    RESERVATAIRE,
    DraftError,
    OrganisationDraft,
    check_draft,
)
from caleol.ui.dialogs.setup_wizard.common import SetupPage, hint
from caleol.ui.forms.agency import AgencyForm
from caleol.ui.forms.base import RecordForm
from caleol.ui.forms.commission import CommissionForm
from caleol.ui.forms.reservataire import ReservataireForm

if TYPE_CHECKING:
    from caleol.ui.dialogs.setup_wizard.wizard import SetupWizard

LIST_WIDTH = 300


class RecordListPage(SetupPage):
    """A list of records of one `section` of the draft and the form that adds them."""

    section = ""
    required: tuple[str, ...] = ()  # the sections complete once past this page

    def __init__(self, wizard: SetupWizard, title: str, subtitle: str, form: RecordForm,
                 *, heading: str, empty: str) -> None:
        super().__init__(wizard, title, subtitle)
        self.form = form
        self.editing: int | None = None  # the record the form shows, None: a new one
        self.dirty = False  # typed since the form was last filled
        self.list = QListWidget(self)
        self.list.setObjectName(f"{self.section}List")
        self.list.setFixedWidth(LIST_WIDTH)
        self.list.setWordWrap(True)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.currentRowChanged.connect(self._row_chosen)
        self.empty_label = hint(empty, self)
        self.new_button = QPushButton(self.tr("Nouveau"), self)
        self.new_button.setObjectName(f"{self.section}NewButton")
        self.new_button.clicked.connect(self._new_clicked)
        self.remove_button = QPushButton(self.tr("Retirer"), self)
        self.remove_button.setObjectName(f"{self.section}RemoveButton")
        self.remove_button.clicked.connect(self.remove_selected)
        list_buttons = QHBoxLayout()
        list_buttons.addWidget(self.new_button)
        list_buttons.addWidget(self.remove_button)
        list_buttons.addStretch(1)
        left = QVBoxLayout()
        left.addWidget(QLabel(heading, self))
        left.addWidget(self.list, 1)
        left.addWidget(self.empty_label)
        left.addLayout(list_buttons)
        self.commit_button = QPushButton(self)
        self.commit_button.setObjectName(f"{self.section}CommitButton")
        self.commit_button.setDefault(False)
        self.commit_button.setAutoDefault(False)
        self.commit_button.clicked.connect(self.commit_form)
        commit_row = QHBoxLayout()
        commit_row.addStretch(1)
        commit_row.addWidget(self.commit_button)
        self.group = QGroupBox(self)
        group_layout = QVBoxLayout(self.group)
        group_layout.addWidget(form, 1)
        group_layout.addLayout(commit_row)
        body = QHBoxLayout()
        body.addLayout(left)
        body.addWidget(self.group, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.page_error)
        layout.addLayout(body, 1)
        form.edited.connect(self._typed)

    # --- what each list says -----------------------------------------------------------

    def records(self) -> tuple[Any, ...]:
        raise NotImplementedError

    def put(self, draft: OrganisationDraft, index: int | None, record: Any
            ) -> OrganisationDraft:
        raise NotImplementedError

    def drop(self, draft: OrganisationDraft, index: int) -> OrganisationDraft:
        raise NotImplementedError

    def describe(self, record: Any) -> str:
        raise NotImplementedError

    def prepare_form(self) -> None:
        """Refresh what the form offers from the pages before (hook)."""

    def new_title(self) -> str:
        raise NotImplementedError

    def section_index(self, local: int | None) -> int:
        """Where the form's record sits in the draft's section once put there."""
        return local if local is not None else len(self.records())

    def local_index(self, index: int) -> int | None:
        """The list's row of the section's record `index` (None: not in this list)."""
        return index

    # --- the list and the form -------------------------------------------------------------

    def initializePage(self) -> None:
        self.prepare_form()
        self.refresh_list()
        if self.editing is None and self.form.is_blank():
            self.new_record()

    def refresh_list(self) -> None:
        self.list.blockSignals(True)
        self.list.clear()
        for record in self.records():
            self.list.addItem(self.describe(record))
        if self.editing is not None:
            self.list.setCurrentRow(self.editing)
        self.list.blockSignals(False)
        self.empty_label.setVisible(not self.records())
        self.remove_button.setEnabled(self.editing is not None)

    def _typed(self) -> None:
        self.dirty = True

    def _fill(self, record: Any) -> None:
        self.form.set_record(record)
        self.dirty = False

    def new_record(self) -> None:
        """An empty form for a new record."""
        self.editing = None
        self._fill(None)
        self.group.setTitle(self.new_title())
        self.commit_button.setText(self.tr("Ajouter à la liste"))
        self.list.blockSignals(True)
        self.list.setCurrentRow(-1)
        self.list.clearSelection()
        self.list.blockSignals(False)
        self.remove_button.setEnabled(False)

    def _new_clicked(self) -> None:
        if self.dirty and not self.form.is_blank() and not self.commit_form():
            return
        self.new_record()

    def edit_record(self, index: int) -> None:
        self.editing = index
        record = self.records()[index]
        self._fill(record)
        self.group.setTitle(self.describe(record))
        self.commit_button.setText(self.tr("Enregistrer les modifications"))
        self.list.blockSignals(True)
        self.list.setCurrentRow(index)
        self.list.blockSignals(False)
        self.remove_button.setEnabled(True)

    def _row_chosen(self, row: int) -> None:
        if row < 0 or row == self.editing:
            return
        if self.dirty and not self.form.is_blank() and not self.commit_form():
            self.list.blockSignals(True)  # stay on what is being typed
            self.list.setCurrentRow(self.editing if self.editing is not None else -1)
            self.list.blockSignals(False)
            return
        self.edit_record(row)

    def commit_form(self) -> bool:
        """Add the form's record to the list (or replace the one edited), once the
        services accept it; refused, the form keeps it with the messages."""
        self.show_page_error(None)
        index = self.section_index(self.editing)
        draft = self.put(self.setup.draft, self.editing, self.form.record())
        try:
            check_draft(self.setup.engine, draft)
        except DraftError as exc:
            if exc.section == self.section and exc.index == index:
                self.form.show_error(exc)
            else:
                self.show_page_error(exc)
            return False
        except CaleolError as exc:
            self.show_page_error(exc)
            return False
        self.setup.draft = draft
        self.refresh_list()
        self.new_record()
        return True

    def remove_selected(self) -> None:
        if self.editing is None:
            return
        self.setup.draft = self.drop(self.setup.draft, self.editing)
        self.editing = None
        self.refresh_list()
        self.new_record()

    def show_refusal(self, exc: DraftError) -> None:
        """A record of this list beside its fields, anything else on the page's line."""
        row = self.local_index(exc.index) if exc.section == self.section and \
            exc.index >= 0 else None
        if row is None:
            self.show_page_error(exc)
            return
        self.edit_record(row)
        self.form.show_error(exc)

    def validatePage(self) -> bool:
        if self.dirty and not self.form.is_blank() and not self.commit_form():
            return False
        self.show_page_error(None)
        try:
            check_draft(self.setup.engine, self.setup.draft,
                        require=(LANDLORD, *self.required))
        except DraftError as exc:
            self.show_refusal(exc)
            return False
        except CaleolError as exc:
            self.show_page_error(exc)
            return False
        return True


class AgenciesPage(RecordListPage):
    section = AGENCY
    required = (AGENCY,)

    def __init__(self, wizard: SetupWizard) -> None:
        super().__init__(wizard, "Les agences", (
            "Les agences du bailleur : leur nom, leur adresse et leur contact figurent sur "
            "les courriers des commissions qui les couvrent."), AgencyForm(),
            heading="Agences saisies :", empty="Aucune agence encore.")
        self.setObjectName("agenciesPage")
        self._departments_loaded = False

    def prepare_form(self) -> None:
        if not self._departments_loaded:  # the territory reference: read once, here
            assert isinstance(self.form, AgencyForm)
            self.form.set_departments(department_choices(self.setup.engine))
            self._departments_loaded = True

    def records(self) -> tuple[Any, ...]:
        return self.setup.draft.agencies

    def put(self, draft: OrganisationDraft, index: int | None, record: Any
            ) -> OrganisationDraft:
        return draft.with_agency(index, record)

    def drop(self, draft: OrganisationDraft, index: int) -> OrganisationDraft:
        return draft.without_agency(index)

    def describe(self, record: Any) -> str:
        return f"{record.name} ({record.code})"

    def new_title(self) -> str:
        return self.tr("Nouvelle agence")


class ReservatairesPage(RecordListPage):
    section = RESERVATAIRE
    required = (AGENCY,)

    def __init__(self, wizard: SetupWizard) -> None:
        super().__init__(wizard, "Les réservataires", (
            "Ceux qui détiennent des droits de réservation (gestion en flux) : l'État, "
            "Action Logement Services, les collectivités… Facultatif : ajoutez-les "
            "maintenant ou plus tard dans Référentiels."), ReservataireForm(),
            heading="Réservataires saisis :", empty="Aucun réservataire encore.")
        self.setObjectName("reservatairesPage")

    def records(self) -> tuple[Any, ...]:
        return self.setup.draft.reservataires

    def put(self, draft: OrganisationDraft, index: int | None, record: Any
            ) -> OrganisationDraft:
        return draft.with_reservataire(index, record)

    def drop(self, draft: OrganisationDraft, index: int) -> OrganisationDraft:
        return draft.without_reservataire(index)

    def describe(self, record: Any) -> str:
        return f"{record.name} ({record.code})"

    def new_title(self) -> str:
        return self.tr("Nouveau réservataire")


class CommissionsPage(RecordListPage):
    section = COMMISSION
    required = (AGENCY, COMMISSION)

    def __init__(self, wizard: SetupWizard) -> None:
        super().__init__(wizard, "Les commissions d'attribution", (
            "Chaque CALEOL, les agences dont elle examine les logements et la règle de "
            "quorum de son règlement intérieur."),
            CommissionForm(epci_choices=lambda departments: epci_choices(
                wizard.engine, departments)),
            heading="Commissions saisies :", empty="Aucune commission encore.")
        self.setObjectName("commissionsPage")

    def prepare_form(self) -> None:
        assert isinstance(self.form, CommissionForm)
        self.form.set_agencies(self.setup.draft.agencies)
        if self.form.is_blank() and len(self.setup.draft.agencies) == 1:
            self.form.check_agency(self.setup.draft.agencies[0].code)

    def new_record(self) -> None:
        super().new_record()
        assert isinstance(self.form, CommissionForm)
        if len(self.setup.draft.agencies) == 1:  # the one agency there is
            self.form.check_agency(self.setup.draft.agencies[0].code)
            self.dirty = False

    def records(self) -> tuple[Any, ...]:
        return self.setup.draft.commissions

    def put(self, draft: OrganisationDraft, index: int | None, record: Any
            ) -> OrganisationDraft:
        return draft.with_commission(index, record)

    def drop(self, draft: OrganisationDraft, index: int) -> OrganisationDraft:
        return draft.without_commission(index)

    def describe(self, record: Any) -> str:
        return f"{record.name} ({', '.join(record.agency_codes)})"

    def new_title(self) -> str:
        return self.tr("Nouvelle commission")
