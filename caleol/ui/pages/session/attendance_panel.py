"""Attendance (présent / représenté avec pouvoir / absent), the live quorum, the president.

The quorum line is recomputed from the form at every change (the same pure
`compute_quorum` the services use), before anything is saved. A refused save keeps
the form as set, with each member's problem in red under the member. Each member
takes one line (full name, status); the proxy holder, when represented, goes on the
line below, so a commission of twelve fits the tab's width without scrolling sideways.
"""

from __future__ import annotations

from fractions import Fraction

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from caleol.errors import CaleolError
from caleol.services.sessions import (
    AttendanceChange,
    AttendanceRecord,
    AttendanceView,
    QuorumView,
    compute_quorum,
)
from caleol.ui.dialogs.form_errors import FormErrors, error_label

STATUSES = (("present", "présent"), ("represented", "représenté"), ("absent", "absent"))
COLUMN_GAP = 24  # between a member's name and status, and between two columns of members


class _MemberRow:
    """One member: name and status on a line, the proxy holder and the problem under."""

    def __init__(self, member: AttendanceView, host: QWidget) -> None:
        self.member = member
        self.widget = parent = QWidget(host)
        self.widget.setObjectName(f"attendanceMember_{member.member_id}")
        self.name = QLabel(member.name + ("" if member.deliberative else " (consultatif)"),
                           parent)
        self.name.setObjectName(f"attendanceName_{member.member_id}")
        self.name.setToolTip(member.capacity_label
                             + (" ; voix prépondérante" if member.casting_vote else ""))
        self.status = QComboBox(parent)
        self.status.setObjectName(f"attendanceStatus_{member.member_id}")
        for value, label in STATUSES:
            self.status.addItem(label, value)
        self.status.setCurrentIndex(self.status.findData(member.status))
        self.proxy_line = QWidget(parent)
        line = QHBoxLayout(self.proxy_line)
        line.setContentsMargins(24, 0, 0, 0)
        line.addWidget(QLabel("pouvoir à :", self.proxy_line))
        self.proxy = QComboBox(self.proxy_line)
        self.proxy.setObjectName(f"attendanceProxy_{member.member_id}")
        self.proxy.setToolTip("Membre présent, à voix délibérative, qui détient le pouvoir")
        self.proxy.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        line.addWidget(self.proxy)
        line.addStretch(1)
        self.error = error_label(parent, f"attendanceError_{member.member_id}")
        grid = QGridLayout(parent)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setVerticalSpacing(2)
        grid.addWidget(self.name, 0, 0)
        grid.addWidget(self.status, 0, 1)
        grid.addWidget(self.proxy_line, 1, 0, 1, 2)
        grid.addWidget(self.error, 2, 0, 1, 2)
        grid.setColumnStretch(0, 1)

    def shows(self, member: AttendanceView) -> bool:
        """Whether this row already shows `member` but for its status (see `update`)."""
        shown = self.member
        return (shown.member_id, shown.name, shown.deliberative, shown.capacity_label,
                shown.casting_vote) == (member.member_id, member.name, member.deliberative,
                                        member.capacity_label, member.casting_vote)

    def update(self, member: AttendanceView) -> None:
        """Show `member`'s recorded status (the panel refreshes proxies and quorum)."""
        self.member = member
        self.status.blockSignals(True)
        self.status.setCurrentIndex(self.status.findData(member.status))
        self.status.blockSignals(False)

    def width_needed(self) -> int:
        return (self.name.sizeHint().width() + self.status.sizeHint().width()
                + COLUMN_GAP)

    def change(self) -> AttendanceChange:
        status = str(self.status.currentData())
        proxy = self.proxy.currentData() if status == "represented" else None
        return AttendanceChange(self.member.member_id, status, proxy)


class AttendancePanel(QWidget):
    attendance_requested = Signal(object)  # list[AttendanceChange]
    president_requested = Signal(object)  # member id | None

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("attendancePanel")
        self._rows: list[_MemberRow] = []
        self._fraction = Fraction(1, 2)
        self.quorum_label = QLabel(self)
        self.quorum_label.setObjectName("quorumLabel")
        self.quorum_label.setWordWrap(True)
        self.problem = error_label(self, "attendanceProblem")
        self.errors = FormErrors(self.problem)
        self._grid_host = QWidget(self)
        self._grid = QGridLayout(self._grid_host)
        self._grid.setContentsMargins(0, 0, 0, 0)
        self._grid.setVerticalSpacing(4)
        self._grid.setHorizontalSpacing(COLUMN_GAP)
        self._columns = 1
        self.scroll_area = QScrollArea(self)
        self.scroll_area.setObjectName("attendanceScroll")
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scroll_area.setWidget(self._grid_host)
        self.scroll_area.viewport().installEventFilter(self)
        scroll = self.scroll_area
        self.all_present_button = QPushButton(self.tr("Tous présents"), self)
        self.save_button = QPushButton(self.tr("Enregistrer les présences"), self)
        self.save_button.setObjectName("saveAttendanceButton")
        self.president = QComboBox(self)
        self.president.setObjectName("presidentCombo")
        self.president_button = QPushButton(self.tr("Désigner"), self)
        self.president_button.setObjectName("setPresidentButton")
        self.president_label = QLabel(self)
        self.president_label.setObjectName("presidentLabel")

        buttons = QHBoxLayout()
        buttons.addWidget(self.all_present_button)
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        president_row = QHBoxLayout()
        president_row.addWidget(QLabel(self.tr("Président de séance :"), self))
        president_row.addWidget(self.president, 1)
        president_row.addWidget(self.president_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.quorum_label)
        layout.addWidget(self.problem)
        layout.addWidget(scroll, 1)
        layout.addLayout(buttons)
        layout.addLayout(president_row)
        layout.addWidget(self.president_label)

        self.all_present_button.clicked.connect(self.set_all_present)
        self.save_button.clicked.connect(
            lambda: self.attendance_requested.emit([r.change() for r in self._rows]))
        self.president_button.clicked.connect(
            lambda: self.president_requested.emit(self.president.currentData()))

    def set_attendance(self, attendance: tuple[AttendanceView, ...], quorum: QuorumView,
                       president_id: int | None, president: str, *, writable: bool) -> None:
        self._fraction = Fraction(quorum.numerator, max(quorum.denominator, 1))
        if len(attendance) == len(self._rows) and all(
                row.shows(member) for row, member in zip(self._rows, attendance, strict=True)):
            # the same members (another séance of the commission, the same one opened
            # again, presences recorded): their rows are kept, only the statuses change;
            # building and laying out a dozen rows again cost ~15 ms per opening
            self.errors.clear()
            for row, member in zip(self._rows, attendance, strict=True):
                row.update(member)
        else:
            self._build_rows(attendance)
        for row in self._rows:
            for widget in (row.status, row.proxy):
                widget.setEnabled(writable)
        for row in self._rows:
            self._fill_proxy(row, row.member.proxy_member_id)
        self.president.clear()
        self.president.addItem(self.tr("(aucun)"), None)
        for member in attendance:
            if member.deliberative and member.status == "present":
                self.president.addItem(member.name, member.member_id)
        self.president.setCurrentIndex(max(self.president.findData(president_id), 0))
        self.president_label.setText(
            self.tr("Préside : {name}").format(name=president) if president
            else self.tr("Aucun président désigné."))
        for control in (self.save_button, self.all_present_button, self.president,
                        self.president_button):
            control.setEnabled(writable)
        self._refresh_quorum()

    def _build_rows(self, attendance: tuple[AttendanceView, ...]) -> None:
        for row in self._rows:
            row.widget.deleteLater()
        self._rows = []
        self.errors = FormErrors(self.problem)
        self.errors.clear()
        for member in attendance:
            row = _MemberRow(member, self._grid_host)
            self.errors.add(f"member_{member.member_id}", row.error,
                            (row.name, row.status, row.proxy))
            row.status.currentIndexChanged.connect(self._refresh)
            row.proxy.currentIndexChanged.connect(self._refresh_quorum)
            self._rows.append(row)
        self._place_rows(self._columns_for(self.scroll_area.viewport().width()), force=True)

    def _columns_for(self, width: int) -> int:
        """Two columns of members when both fit side by side (a commission of twelve
        then shows whole), else one."""
        if len(self._rows) < 2:
            return 1
        half = -(-len(self._rows) // 2)
        first, second = self._rows[:half], self._rows[half:]
        needed = (max(r.width_needed() for r in first) + COLUMN_GAP
                  + max(r.width_needed() for r in second))
        return 2 if needed <= width else 1

    def _place_rows(self, columns: int, *, force: bool = False) -> None:
        if columns == self._columns and not force:
            return
        self._columns = columns
        while self._grid.count():
            self._grid.takeAt(0)
        per_column = -(-len(self._rows) // columns) if self._rows else 0
        for index, row in enumerate(self._rows):  # down the first column, then the next
            column, line = divmod(index, per_column) if per_column else (0, 0)
            self._grid.addWidget(row.widget, line, column, Qt.AlignmentFlag.AlignTop)
        for column in range(2):
            self._grid.setColumnStretch(column, 1 if column < columns else 0)
        self._grid.setRowStretch(per_column, 1)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.scroll_area.viewport() and event.type() == QEvent.Type.Resize:
            self._place_rows(self._columns_for(self.scroll_area.viewport().width()))
        return False

    def show_error(self, error: CaleolError) -> None:
        """A refused save or designation: the form stays as set, problems in red."""
        self.errors.show(error)

    def row_for(self, member_id: int) -> _MemberRow:
        return next(r for r in self._rows if r.member.member_id == member_id)

    def set_all_present(self) -> None:
        for row in self._rows:
            row.status.setCurrentIndex(row.status.findData("present"))

    def _fill_proxy(self, row: _MemberRow, selected: int | None) -> None:
        row.proxy.blockSignals(True)
        row.proxy.clear()
        represented = row.status.currentData() == "represented"
        if represented:
            row.proxy.addItem(self.tr("choisir…"), None)
            # only a deliberative member present can hold a proxy (the service refuses
            # the others): the list offers no choice that would be refused
            for other in self._rows:
                if (other is not row and other.member.deliberative
                        and other.status.currentData() == "present"):
                    row.proxy.addItem(other.member.name, other.member.member_id)
            row.proxy.setCurrentIndex(max(row.proxy.findData(selected), 0))
        row.proxy_line.setVisible(represented)
        row.proxy.blockSignals(False)

    def _refresh(self) -> None:
        for row in self._rows:
            self._fill_proxy(row, row.proxy.currentData())
        self._refresh_quorum()

    def live_quorum(self) -> QuorumView:
        records = [AttendanceRecord(r.member.member_id, r.member.deliberative,
                                    str(r.status.currentData()), r.change().proxy_member_id)
                   for r in self._rows]
        return compute_quorum(records, self._fraction)

    def _refresh_quorum(self) -> None:
        quorum = self.live_quorum()
        color = "#1b7a35" if quorum.reached else "#c62828"
        mark = "✓" if quorum.reached else "✗"
        self.quorum_label.setText(
            f"<b style='color:{color}'>{mark} Quorum : {quorum.counted} / {quorum.required} "
            f"requis</b><br><small>{quorum.explanation}</small>")
