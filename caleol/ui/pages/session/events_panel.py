"""After the séance: who holds the offer of the selected dwelling, the events already
recorded for its candidates, and the buttons that record the next one.

The panel only shows and asks: the workspace opens the `EventDialog` and the
services decide (the dwelling passes to the next ranked candidate on a refusal or a
lapsed condition). The signed PV is never touched: events are separate records.
"""

from __future__ import annotations

import html

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGridLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from caleol import fr
from caleol.rules.decisions import DecisionKind
from caleol.services.sessions import AgendaItemView, CandidacyView
from caleol.ui.pages.session.event_dialog import (
    CONDITION_LAPSED,
    CONDITION_MET,
    LEASE_SIGNED,
    NOT_MODIFIED,
    REFUSAL,
)

COLUMNS = ("Date", "Candidat", "Événement", "Motif", "Proposé ensuite à")


def _is_attributed(candidate: CandidacyView) -> bool:
    return (candidate.decision is not None
            and DecisionKind(candidate.decision.kind).is_attribution)


def holder_text(item: AgendaItemView | None, frozen: bool) -> str:
    """One French sentence: where the offer of the dwelling stands now."""
    if item is None:
        return ""
    if not frozen:
        return "Les suites de la séance (refus, condition, bail) s'enregistrent après la clôture."
    by_id = {c.id: c for c in item.candidacies}
    if item.lease_holder_id in by_id:
        leased = by_id[item.lease_holder_id]
        on = next((e.date for e in leased.events if e.kind == LEASE_SIGNED), None)
        when = f" le {fr.format_short_date(on)}" if on else ""
        return (f"Bail signé{when} : <b>{leased.nur} — {html.escape(leased.name)}</b>. "
                "Le logement est loué.")
    if item.offer_holder_id in by_id:
        holder = by_id[item.offer_holder_id]
        decision = holder.decision
        label = decision.kind_label if decision is not None else ""
        if decision is not None and decision.rank:
            label += f" {decision.rank}"
        return f"Logement proposé à : <b>{holder.nur} — {html.escape(holder.name)}</b> ({label})."
    if any(_is_attributed(c) for c in item.candidacies):
        return "Plus aucun candidat classé : le logement doit repasser en commission."
    return "Aucune attribution pour ce logement : pas de suite à enregistrer."


class EventsPanel(QWidget):
    event_requested = Signal(str, int)  # event kind, candidacy id
    letter_requested = Signal(int)  # candidacy id of the new holder after a refusal

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("eventsPanel")
        self._item: AgendaItemView | None = None
        self._candidate: CandidacyView | None = None
        self._frozen = False
        self.holder = QLabel(self)
        self.holder.setObjectName("offerHolder")
        self.holder.setWordWrap(True)
        self.holder.setTextFormat(Qt.TextFormat.RichText)
        note = QLabel("ℹ " + self.tr(NOT_MODIFIED), self)
        note.setObjectName("eventsNote")
        note.setWordWrap(True)
        note.setStyleSheet("color:#1f3557;")
        self.table = QTableWidget(0, len(COLUMNS), self)
        self.table.setObjectName("eventsTable")
        self.table.setHorizontalHeaderLabels([self.tr(c) for c in COLUMNS])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.table.setWordWrap(True)
        # an empty table says why, rather than a blank area (before the closing: where
        # the follow-up will go)
        self.empty = QLabel(self.table.viewport())
        self.empty.setObjectName("eventsEmpty")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)
        self.empty.setStyleSheet("color: palette(mid);")
        self.table.viewport().installEventFilter(self)
        self.buttons: dict[str, QPushButton] = {}
        grid = QGridLayout()  # two rows: the tab stays narrow enough for 1366 px
        for index, (kind, text, name) in enumerate((
            (REFUSAL, "Refus du candidat…", "refusalButton"),
            (CONDITION_MET, "Condition levée…", "conditionMetButton"),
            (CONDITION_LAPSED, "Condition non levée…", "conditionLapsedButton"),
            (LEASE_SIGNED, "Bail signé…", "leaseSignedButton"),
        )):
            button = QPushButton(self.tr(text), self)
            button.setObjectName(name)
            button.clicked.connect(lambda _=False, k=kind: self._request(k))
            self.buttons[kind] = button
            grid.addWidget(button, index // 3, index % 3)
        self.letter_button = QPushButton(self.tr("Courrier de proposition…"), self)
        self.letter_button.setObjectName("offerLetterButton")
        self.letter_button.setToolTip(self.tr(
            "Courrier au candidat qui reçoit la proposition après le refus du précédent."))
        self.letter_button.clicked.connect(self._request_letter)
        grid.addWidget(self.letter_button, 1, 1, 1, 2)
        grid.setColumnStretch(3, 1)
        self.why = QLabel(self)
        self.why.setObjectName("eventsWhyNot")
        self.why.setWordWrap(True)
        self.why.setStyleSheet("color:#555;")
        layout = QVBoxLayout(self)
        layout.addWidget(self.holder)
        layout.addWidget(self.table, 1)
        layout.addLayout(grid)
        layout.addWidget(self.why)
        layout.addWidget(note)
        self._update()

    def set_item(self, item: AgendaItemView | None, frozen: bool) -> None:
        self._item = item
        self._frozen = frozen
        self._candidate = None
        self.holder.setText(holder_text(item, frozen))
        candidates = item.candidacies if item is not None else ()
        events = sorted(((e, c) for c in candidates for e in c.events),
                        key=lambda pair: (pair[0].date, pair[0].id))
        names = {c.nur: c.name for c in candidates}
        self.table.setRowCount(len(events))
        for row, (event, candidate) in enumerate(events):
            following = event.passes_to_nur
            # names in the cells (the tab is narrow), NUR and name in the tooltips
            for column, (shown, tip) in enumerate((
                (fr.format_short_date(event.date), ""),
                (candidate.name, f"{candidate.nur} — {candidate.name}"),
                (event.kind_label, ""), (event.reason, event.reason),
                (names.get(following, following) if following else "",
                 f"{following} — {names.get(following, '')}" if following else ""),
            )):
                cell = QTableWidgetItem(shown)
                cell.setToolTip(tip or shown)
                self.table.setItem(row, column, cell)
        self.table.resizeRowsToContents()
        self.empty.setText(self.tr(
            "Aucun événement enregistré pour ce logement." if frozen else
            "Les suites de la séance (refus, levée de condition, bail signé) "
            "s'enregistrent ici une fois la séance close."))
        self.empty.setGeometry(self.table.viewport().rect())
        self.empty.setVisible(item is not None and not events)
        self._update()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.table.viewport() and event.type() == QEvent.Type.Resize:
            self.empty.setGeometry(self.table.viewport().rect())
        return super().eventFilter(watched, event)

    def set_candidate(self, candidate: CandidacyView | None) -> None:
        self._candidate = candidate
        self._update()

    def _allowed(self) -> tuple[tuple[str, ...], str]:
        """The events the selected candidate can receive now (the service says which),
        and why none when there are none."""
        candidate, item = self._candidate, self._item
        if not self._frozen:
            return (), self.tr("Disponible une fois la séance close.")
        if candidate is None or item is None:
            return (), self.tr("Sélectionnez un candidat attributaire.")
        if candidate.possible_events:
            return candidate.possible_events, ""
        if not _is_attributed(candidate):
            return (), self.tr("Ce candidat n'a pas reçu d'attribution.")
        return (), self.tr("L'attribution à ce candidat est terminée.")

    def _update(self) -> None:
        allowed, why = self._allowed()
        for kind, button in self.buttons.items():
            button.setEnabled(kind in allowed)
        self.letter_button.setEnabled(self._letter_candidate() is not None)
        self.why.setText(why)
        self.why.setVisible(bool(why))

    def _letter_candidate(self) -> CandidacyView | None:
        """The holder, when the offer came to them after another candidate left."""
        item = self._item
        if item is None or not self._frozen or item.offer_holder_id is None:
            return None
        passed = any(e.passes_to_candidacy_id == item.offer_holder_id
                     for c in item.candidacies for e in c.events)
        return next((c for c in item.candidacies if c.id == item.offer_holder_id and passed),
                    None)

    def _request(self, kind: str) -> None:
        if self._candidate is not None:
            self.event_requested.emit(kind, self._candidate.id)

    def _request_letter(self) -> None:
        holder = self._letter_candidate()
        if holder is not None:
            self.letter_requested.emit(holder.id)
