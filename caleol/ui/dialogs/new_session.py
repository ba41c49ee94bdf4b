"""New séance: commission, date, time, place, physical or remote, members convened.

Form split from the call: `values()` gives a `NewSessionValues`; the Séances page's
`submit` callback calls `create_session` and returns the refusal, if any: the dialog
then stays open with what was typed, the message beside the field it is about (the
service names it with `NewSessionValues`' field names). The same form edits a séance in
preparation (`initial=`): the commission is then fixed and `submit` calls
`update_session_info`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, time, timedelta
from typing import Any

from PySide6.QtCore import Qt, QTime
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QRadioButton,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from caleol.errors import CaleolError
from caleol.fr import paris_today
from caleol.services.sessions import CommissionChoice
from caleol.ui.dialogs.buttons import accept_cancel
from caleol.ui.dialogs.form_errors import (
    FormErrors,
    error_label,
    reserve_line,
    with_error_line,
)
from caleol.ui.qdates import from_qdate, from_qtime, to_qdate

Problem = str | CaleolError | None
"""What `submit` returns: nothing (saved), a refusal, or a French sentence."""
NO_COMMISSION = "Aucune commission active : créez-en une dans Référentiels."


@dataclass(frozen=True)
class NewSessionValues:
    commission_id: int
    on: date
    start_time: time | None
    place: str
    kind: str  # "physical" | "remote"
    member_ids: list[int]
    secretary_name: str


class NewSessionDialog(QDialog):
    def __init__(self, commissions: tuple[CommissionChoice, ...], secretary: str = "",
                 parent: QWidget | None = None, *,
                 submit: Callable[[NewSessionValues], Problem] | None = None,
                 initial: NewSessionValues | None = None) -> None:
        super().__init__(parent)
        self._submit = submit
        self.setObjectName("editSessionDialog" if initial else "newSessionDialog")
        self.setWindowTitle(self.tr("Modifier la séance") if initial
                            else self.tr("Nouvelle séance"))
        self._commissions = commissions
        self.commission = QComboBox(self)
        self.commission.setObjectName("commissionCombo")
        for c in commissions:
            self.commission.addItem(c.name, c.id)
        self.date = QDateEdit(to_qdate(paris_today() + timedelta(days=7)), self)
        self.date.setObjectName("sessionDate")
        self.date.setCalendarPopup(True)
        self.date.setDisplayFormat("dddd dd/MM/yyyy")
        self.start = QTimeEdit(QTime(14, 0), self)
        self.start.setObjectName("sessionTime")
        self.start.setDisplayFormat("HH:mm")
        self.place = QLineEdit(self)
        self.place.setObjectName("sessionPlace")
        self.place.setPlaceholderText(self.tr("salle, adresse (ou outil de visioconférence)"))
        self.physical = QRadioButton(self.tr("en présentiel"), self)
        self.physical.setChecked(True)
        self.remote = QRadioButton(self.tr("dématérialisée (à distance)"), self)
        self.remote.setObjectName("remoteRadio")
        kind_row = QHBoxLayout()
        kind_row.addWidget(self.physical)
        kind_row.addWidget(self.remote)
        kind_row.addStretch(1)
        self.members = QListWidget(self)
        self.members.setObjectName("convenedMembers")
        # a substitute's line (« …, DDETS de la Moselle (suppléante) — supplée … ») wraps
        # instead of scrolling sideways
        self.members.setWordWrap(True)
        self.members.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.members.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.secretary = QLineEdit(secretary, self)
        self.secretary.setObjectName("secretaryName")
        # « Nadia Rahmani » alone printed « Le secrétaire de séance » on the PV and the
        # letters: the civility is what says « La secrétaire »
        self.secretary.setPlaceholderText(self.tr(
            "civilité, prénom et nom, ex. Mme Claire Martin (le PV dira « la secrétaire »)"))
        self.problem = reserve_line(error_label(self, "newSessionProblem"))
        self.errors = FormErrors(self.problem)
        # every error line keeps its room, empty: a refusal of one line shows beside its
        # field without pushing the rows under it down (the line is the rows' spacing)
        form = QFormLayout()
        form.setVerticalSpacing(2)
        rows: tuple[tuple[str, str, Any, tuple[QWidget, ...]], ...] = (
            ("commission_id", self.tr("Commission"), self.commission, (self.commission,)),
            ("on", self.tr("Date"), self.date, (self.date,)),
            ("start_time", self.tr("Heure"), self.start, (self.start,)),
            ("kind", self.tr("Forme"), kind_row, ()),
            ("place", self.tr("Lieu"), self.place, (self.place,)),
            ("secretary_name", self.tr("Secrétaire"), self.secretary, (self.secretary,)),
            ("member_ids", self.tr("Membres convoqués"), self.members, (self.members,)),
        )
        hosts: dict[str, QWidget] = {}
        for name, title, field, tinted in rows:
            hosts[name] = with_error_line(self.errors, name, field, self, tinted,
                                          reserved=True)
            form.addRow(title, hosts[name])
        buttons, self.create_button = accept_cancel(
            self, self.tr("Créer la séance"), "createSessionButton")
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.problem)
        layout.addWidget(buttons)
        self.commission.currentIndexChanged.connect(self._fill_members)
        self._fill_members()
        if initial is not None:
            self.create_button.setText(self.tr("Enregistrer"))
            self.set_values(initial)
            self.commission.setEnabled(False)
        elif not commissions:
            # said at once beside the commission, rather than an empty list of members
            # to discover at « Créer »
            self.errors.show({"commission_id": NO_COMMISSION})
            form.setRowVisible(hosts["member_ids"], False)
            self.create_button.setEnabled(False)
        self.resize(640, 520)

    def set_values(self, values: NewSessionValues) -> None:
        """Fill the form from a séance (editing, or after a reload)."""
        self.commission.setCurrentIndex(max(self.commission.findData(values.commission_id), 0))
        self.date.setDate(to_qdate(values.on))
        if values.start_time is not None:
            self.start.setTime(QTime(values.start_time.hour, values.start_time.minute))
        self.place.setText(values.place)
        (self.remote if values.kind == "remote" else self.physical).setChecked(True)
        self.secretary.setText(values.secretary_name)
        for i in range(self.members.count()):
            item = self.members.item(i)
            convened = int(item.data(Qt.ItemDataRole.UserRole)) in values.member_ids
            item.setCheckState(Qt.CheckState.Checked if convened else Qt.CheckState.Unchecked)

    def _fill_members(self) -> None:
        self.members.clear()
        index = self.commission.currentIndex()
        if index < 0:
            return
        choice = self._commissions[index]
        for member in choice.members:
            text = member.name + ("" if member.deliberative else self.tr(" (consultatif)"))
            if member.substitute_for:  # convened by name, in place of an absent titular
                text += self.tr(" — supplée {0}").format(member.substitute_for)
            item = QListWidgetItem(text, self.members)
            item.setData(Qt.ItemDataRole.UserRole, member.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked if member.substitute_for
                               else Qt.CheckState.Checked)
        self.remote.setEnabled(choice.remote_allowed)
        if not choice.remote_allowed:
            self.physical.setChecked(True)
            self.remote.setToolTip(self.tr(
                "Le règlement intérieur de cette commission ne prévoit pas de séance à distance."))

    def values(self) -> NewSessionValues:
        members = [int(self.members.item(i).data(Qt.ItemDataRole.UserRole))
                   for i in range(self.members.count())
                   if self.members.item(i).checkState() == Qt.CheckState.Checked]
        return NewSessionValues(
            commission_id=int(self.commission.currentData()),
            on=from_qdate(self.date.date()),
            start_time=from_qtime(self.start.time()),
            place=self.place.text().strip(),
            kind="remote" if self.remote.isChecked() else "physical",
            member_ids=members,
            secretary_name=self.secretary.text().strip(),
        )

    def show_problem(self, problem: Problem) -> None:
        """A refusal beside its field (a sentence on the line under the form)."""
        if not problem:
            self.errors.clear()
        elif isinstance(problem, CaleolError):
            self.errors.show(problem)
        else:
            self.errors.show({"": problem})

    def accept(self) -> None:
        if self.commission.currentIndex() < 0:
            self.errors.show({"commission_id": NO_COMMISSION})
            return
        refused: dict[str, str] = {}
        values = self.values()
        # the convocation and the PV print it (« Lieu :  — »); a remote séance may have none
        if not values.place and values.kind == "physical":
            refused["place"] = self.tr("Indiquez le lieu, que la convocation et le "
                                       "procès-verbal citent.")
        if not values.member_ids:
            refused["member_ids"] = self.tr("Convoquez au moins un membre de la commission.")
        if refused:
            self.errors.show(refused)
            return
        self.errors.clear()
        if self._submit is not None:
            problem = self._submit(self.values())
            if problem:
                self.show_problem(problem)
                return
        super().accept()
