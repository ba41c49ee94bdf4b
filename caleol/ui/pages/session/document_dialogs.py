"""Documents of a signed séance: an extract of the PV, a rectification.

Both are signed like the PV when a certificate is declared in Paramètres (the
passphrase is asked at « Produire » through `sign_dialog.ask_passphrase`, never
stored); without one, the extract is an unsigned copy that is not stored. A
rectification is a new record linked to the séance: the signed PV is never edited.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from caleol.errors import CaleolError
from caleol.services.certificates import load_certificate
from caleol.services.documents import rectification_text
from caleol.services.documents.rectification_text import RectificationParts
from caleol.services.sessions import AgendaItemView
from caleol.ui.dialogs import sign_dialog
from caleol.ui.dialogs.buttons import accept_cancel
from caleol.ui.dialogs.sign_dialog import SignRequest
from caleol.ui.pages.session.event_dialog import error_label, show_error


@dataclass(frozen=True)
class ExtractRequest:
    nur: str
    signing: SignRequest | None


@dataclass(frozen=True)
class RectifyRequest:
    text: str  # what is corrected, then the correction: the rectification's text
    signing: SignRequest | None


class SignatureChoice(QWidget):
    """« Signer avec le certificat … » when one is declared in Paramètres."""

    def __init__(self, certificate: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.certificate = certificate
        self.refusal = ""  # why `request` gave no signature (French)
        self.box = QCheckBox(self)
        self.box.setObjectName("signDocument")
        if certificate:
            self.box.setText(self.tr("Signer (président et secrétaire) avec {c}").format(
                c=Path(certificate).name))
            self.box.setChecked(True)
        else:
            self.box.setText(self.tr("Non signé : aucun certificat dans Paramètres"))
            self.box.setEnabled(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.box)

    def request(self, parent: QWidget) -> SignRequest | Literal[False] | None:
        """The signing request; None: unsigned; False: no signature, `refusal` says why.

        The certificate is opened here: a mistyped passphrase is said in the dialog,
        which keeps what was typed, and a rectification is never recorded before its
        signature is known to work (it was, then the signing failed)."""
        self.refusal = self.tr("Signature abandonnée : le certificat est introuvable ou la "
                               "phrase secrète n'a pas été donnée.")
        if not (self.certificate and self.box.isChecked()):
            return None
        if not Path(self.certificate).is_file():
            return False
        passphrase = sign_dialog.ask_passphrase(parent, self.certificate)
        if passphrase is None:
            return False
        try:
            load_certificate(Path(self.certificate), passphrase.encode("utf-8"))
        except CaleolError as exc:
            self.refusal = exc.message
            return False
        return SignRequest(Path(self.certificate), passphrase.encode("utf-8"),
                           (sign_dialog.PRESIDENT, sign_dialog.SECRETARY))


class ExtractDialog(QDialog):
    """A dwelling of the agenda, then one of its candidates: their extract of the PV."""

    def __init__(self, agenda: tuple[AgendaItemView, ...], certificate: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("extractDialog")
        self.setWindowTitle(self.tr("Extrait du procès-verbal"))
        self.request: ExtractRequest | None = None
        self._agenda = agenda
        intro = QLabel(self.tr(
            "L'extrait reprend la délibération sur un logement pour un candidat ; les "
            "autres candidats y sont occultés. Il est tiré du procès-verbal signé, qui "
            "n'est pas modifié."), self)
        intro.setWordWrap(True)
        self.dwelling = QComboBox(self)
        self.dwelling.setObjectName("extractDwelling")
        for item in agenda:
            self.dwelling.addItem(f"{item.reference} — {item.typology}, {item.commune}",
                                  item.id)
        self.candidate = QComboBox(self)
        self.candidate.setObjectName("extractCandidate")
        self.candidate_error = error_label(self, "extractCandidateError")
        self.signature = SignatureChoice(certificate, self)
        self.problem = error_label(self, "extractProblem")
        form = QFormLayout()
        form.addRow(self.tr("Logement"), self.dwelling)
        form.addRow(self.tr("Candidat"), self.candidate)
        form.addRow("", self.candidate_error)
        form.addRow(self.tr("Signature"), self.signature)
        buttons, self.produce_button = accept_cancel(
            self, self.tr("Produire l'extrait"), "produceExtract")
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.problem)
        layout.addWidget(buttons)
        self.dwelling.currentIndexChanged.connect(self._fill_candidates)
        self._fill_candidates()
        self.resize(600, 0)

    def select_dwelling(self, reference: str) -> bool:
        for index, item in enumerate(self._agenda):
            if item.reference == reference:
                self.dwelling.setCurrentIndex(index)
                return True
        return False

    def _fill_candidates(self) -> None:
        self.candidate.clear()
        index = self.dwelling.currentIndex()
        if index < 0:
            return
        for candidate in self._agenda[index].candidacies:
            decision = candidate.decision.kind_label if candidate.decision else "—"
            self.candidate.addItem(f"{candidate.nur} — {candidate.name} ({decision})",
                                   candidate.nur)

    def accept(self) -> None:
        nur = self.candidate.currentData()
        show_error(self.candidate_error,
                   "" if nur else self.tr("Choisissez le candidat de l'extrait."))
        if not nur:
            return
        signing = self.signature.request(self)
        if signing is False:
            show_error(self.problem, self.signature.refusal)
            return
        self.request = ExtractRequest(str(nur), signing)
        super().accept()


class RectifyDialog(QDialog):
    """What is corrected, the wording the signed PV has, the wording it takes, and why:
    a rectification record, then its PDF (the rectificatif prints each part in its
    own column).

    Args:
        submit: records the rectification text and the candidacy it corrects (None:
            none in particular); returns the French problem ("" once recorded). The
            rectificatif PDF is produced afterwards from `request`.
        agenda: the séance's dwellings, whose candidacies the correction may concern
            (that candidate's extract of the PV then prints it).
    """

    def __init__(self, certificate: str, submit: Callable[[str, int | None], str],
                 parent: QWidget | None = None, *,
                 agenda: tuple[AgendaItemView, ...] = ()) -> None:
        super().__init__(parent)
        self.setObjectName("rectifyDialog")
        self.setWindowTitle(self.tr("Rectifier le procès-verbal"))
        self.request: RectifyRequest | None = None
        self._submit = submit
        intro = QLabel(self.tr(
            "Le procès-verbal signé n'est pas modifié : la correction est enregistrée à "
            "part, liée à la séance, et publiée par un procès-verbal rectificatif qui "
            "reprend toutes les rectifications de la séance."), self)
        intro.setWordWrap(True)
        self.what = QLineEdit(self)
        self.what.setObjectName("rectifyWhat")
        self.what.setPlaceholderText(self.tr("ex. logement MET-00021, candidat classé 2 : "
                                             "rang"))
        self.what_error = error_label(self, "rectifyWhatError")
        self.candidacy = QComboBox(self)
        self.candidacy.setObjectName("rectifyCandidacy")
        self.candidacy.addItem(self.tr("aucune en particulier (la séance)"), None)
        for item in agenda:
            for candidacy in item.candidacies:
                self.candidacy.addItem(
                    f"{item.reference} — {candidacy.nur} — {candidacy.name}", candidacy.id)
        self.before = QPlainTextEdit(self)
        self.before.setObjectName("rectifyBefore")
        self.before.setPlaceholderText(self.tr("la mention telle qu'elle figure au "
                                               "procès-verbal signé"))
        self.before.setFixedHeight(64)
        self.before_error = error_label(self, "rectifyBeforeError")
        self.correction = QPlainTextEdit(self)
        self.correction.setObjectName("rectifyText")
        self.correction.setPlaceholderText(self.tr("le texte exact qui remplace l'erroné"))
        self.correction.setFixedHeight(64)
        self.correction_error = error_label(self, "rectifyTextError")
        self.reason = QLineEdit(self)
        self.reason.setObjectName("rectifyReason")
        self.reason.setPlaceholderText(self.tr("ex. erreur matérielle de saisie"))
        self.reason_error = error_label(self, "rectifyReasonError")
        self.signature = SignatureChoice(certificate, self)
        self.problem = error_label(self, "rectifyProblem")
        form = QFormLayout()
        form.addRow(self.tr("Point rectifié"), self.what)
        form.addRow("", self.what_error)
        form.addRow(self.tr("Candidature concernée"), self.candidacy)
        form.addRow(self.tr("Mention initiale"), self.before)
        form.addRow("", self.before_error)
        form.addRow(self.tr("Mention rectifiée"), self.correction)
        form.addRow("", self.correction_error)
        form.addRow(self.tr("Motif"), self.reason)
        form.addRow("", self.reason_error)
        form.addRow(self.tr("Signature"), self.signature)
        buttons, self.record_button = accept_cancel(self, self.tr("Enregistrer et produire"),
                                               "recordRectification")
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.problem)
        layout.addWidget(buttons)
        self.resize(600, 0)

    def parts(self) -> RectificationParts:
        return RectificationParts(self.what.text().strip(), self.before.toPlainText().strip(),
                                  self.correction.toPlainText().strip(),
                                  self.reason.text().strip())

    def text(self) -> str:
        """The stored text of the rectification (its parts as labelled lines)."""
        return rectification_text.compose(self.parts())

    def accept(self) -> None:
        parts = self.parts()
        show_error(self.what_error,
                   "" if parts.point else self.tr("Indiquez ce qui est rectifié."))
        show_error(self.before_error, "" if parts.before else self.tr(
            "Citez la mention telle qu'elle figure au procès-verbal signé."))
        show_error(self.correction_error,
                   "" if parts.after else self.tr("Le texte de la correction est obligatoire."))
        show_error(self.reason_error,
                   "" if parts.reason else self.tr("Indiquez le motif de la rectification."))
        if not (parts.point and parts.before and parts.after and parts.reason):
            return
        # The passphrase first: a refused signature must not leave a rectification
        # recorded without its document.
        signing = self.signature.request(self)
        if signing is False:
            show_error(self.problem, self.signature.refusal)
            return
        problem = self._submit(self.text(), self.candidacy.currentData())
        show_error(self.problem, problem)
        if problem:
            return
        self.request = RectifyRequest(self.text(), signing)
        super().accept()
