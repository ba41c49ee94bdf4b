"""The séance's header: title, status, read-only banner and the workflow buttons.

Which buttons are shown follows the status: draft → « Marquer prête »; ready →
« Ouvrir la séance »; held → « Clôturer »; closed → « Générer le PV » and « Signer »;
closed or signed → « Courriers »; draft or ready → « Modifier… » (date, place,
members convened). The signed séance's secondary documents (extract, rectification)
sit in the « Documents ▾ » menu, so the row still fits 1366 px.
"""

from __future__ import annotations

from PySide6.QtCore import Signal, SignalInstance
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMenu,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from caleol import fr
from caleol.services.sessions import SessionDetail
from caleol.ui.models.session_list_model import KIND_TEXT, status_text
from caleol.ui.pages.session.controller import read_only_reason
from caleol.ui.widgets.menu_button import NO_MENU_ARROW


class SessionHeader(QWidget):
    back_requested = Signal()
    ready_requested = Signal()
    start_requested = Signal()
    close_requested = Signal()
    minutes_requested = Signal()
    sign_requested = Signal()
    letters_requested = Signal()
    edit_requested = Signal()
    extract_requested = Signal()
    rectify_requested = Signal()
    agenda_requested = Signal()
    sheets_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = QLabel(self)
        self.title.setObjectName("sessionTitle")
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        self.title.setFont(font)
        self.subtitle = QLabel(self)
        self.subtitle.setObjectName("sessionSubtitle")
        # wraps rather than widening the window: a closed séance's four buttons beside
        # a long commission and address pushed « Documents ▾ » off a 1366 px screen
        self.subtitle.setWordWrap(True)
        self.banner = QLabel(self)
        self.banner.setObjectName("readOnlyBanner")
        self.banner.setWordWrap(True)
        self.banner.setStyleSheet("QLabel#readOnlyBanner { background:#eef2f8; color:#1f3557;"
                                  " border:1px solid #b7c4da; padding:4px 8px; }")
        self.back_button = self._button("◀ Séances", "backButton", self.back_requested)
        self.ready_button = self._button("Marquer prête", "markReadyButton", self.ready_requested)
        self.start_button = self._button("Ouvrir la séance", "startSessionButton",
                                         self.start_requested)
        self.close_button = self._button("Clôturer…", "closeSessionButton",
                                         self.close_requested)
        self.minutes_button = self._button("Générer le PV", "minutesButton",
                                           self.minutes_requested)
        self.sign_button = self._button("Signer le PV…", "signButton", self.sign_requested)
        self.letters_button = self._button("Courriers", "lettersButton",
                                           self.letters_requested)
        self.edit_button = self._button("Modifier…", "editSessionButton", self.edit_requested)
        self.edit_button.setToolTip(self.tr("Date, heure, lieu, forme et membres convoqués"))
        self.documents_button = QPushButton(self.tr("Documents ▾"), self)
        self.documents_button.setObjectName("documentsButton")
        self.documents_menu = QMenu(self.documents_button)
        self.documents_menu.setObjectName("documentsMenu")
        self.agenda_action = self.documents_menu.addAction(self.tr("Ordre du jour"))
        self.agenda_action.setObjectName("agendaAction")
        self.agenda_action.triggered.connect(self.agenda_requested)
        self.sheets_action = self.documents_menu.addAction(self.tr("Fiches des candidats"))
        self.sheets_action.setObjectName("sheetsAction")
        self.sheets_action.triggered.connect(self.sheets_requested)
        self.documents_menu.addSeparator()
        self.extract_action = self.documents_menu.addAction(self.tr("Extrait du PV…"))
        self.extract_action.setObjectName("extractAction")
        self.extract_action.triggered.connect(self.extract_requested)
        self.rectify_action = self.documents_menu.addAction(self.tr("Rectifier le PV…"))
        self.rectify_action.setObjectName("rectifyAction")
        self.rectify_action.triggered.connect(self.rectify_requested)
        self.documents_button.setMenu(self.documents_menu)
        # the « ▾ » of the text says it is a menu; Qt's own arrow beside it read « ▾ ▾ »
        self.documents_button.setStyleSheet(NO_MENU_ARROW)
        top = QHBoxLayout()
        top.addWidget(self.back_button)
        top.addWidget(self.title)
        top.addWidget(self.subtitle, 1)
        for button in (self.edit_button, self.ready_button, self.start_button,
                       self.close_button, self.minutes_button, self.sign_button,
                       self.letters_button, self.documents_button):
            top.addWidget(button)
            # Shown by `set_detail` according to the status: all of them at once would
            # force the window wider than 1366 px before the séance is even loaded.
            button.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.banner)

    def _button(self, text: str, name: str, signal: SignalInstance) -> QPushButton:
        button = QPushButton(self.tr(text), self)
        button.setObjectName(name)
        button.clicked.connect(signal)
        return button

    def set_detail(self, detail: SessionDetail) -> None:
        s = detail.summary
        self.title.setText(self.tr("Séance du {date}").format(date=fr.format_short_date(s.date)))
        where = s.place or KIND_TEXT.get(s.kind, "")
        self.subtitle.setText(f"{s.commission} · {where} · <b>{status_text(s.status)}</b>")
        reason = read_only_reason(detail)
        # no emoji padlock: office fonts (DejaVu, older Windows) lack U+1F512
        self.banner.setText(f"<b>{self.tr('Lecture seule')}</b> — {reason}" if reason else "")
        self.banner.setVisible(bool(reason))
        # Only the next steps of the workflow are shown, so the row fits 1366 px.
        status = s.status
        self.ready_button.setVisible(status == "draft")
        self.start_button.setVisible(status == "ready")
        self.close_button.setVisible(status == "held")
        self.minutes_button.setVisible(status in ("closed", "signed"))
        self.minutes_button.setText(self.tr("Ouvrir le PV signé") if status == "signed"
                                    else self.tr("Générer le PV"))
        self.sign_button.setVisible(status == "closed")
        self.letters_button.setVisible(status in ("closed", "signed"))
        self.edit_button.setVisible(status in ("draft", "ready"))
        self.documents_button.setVisible(True)  # the agenda and the sheets, at any stage
        self.extract_action.setVisible(status == "signed")
        self.rectify_action.setVisible(status == "signed")
