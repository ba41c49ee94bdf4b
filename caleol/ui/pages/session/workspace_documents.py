"""The séance's documents from the workspace: the PV (draft, then signed), the
letters, the agenda, the candidates' sheets, the offer after a refusal, an extract of
the signed PV, a rectificatif.

Each is produced off the GUI thread (`document_work`, `tasks.run_with_progress`), then
written in the documents folder and shown inside caleol (« Imprimer… »).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from caleol import paths
from caleol.ui import messages, printing
from caleol.ui.dialogs.sign_dialog import SignDialog
from caleol.ui.pages.session.document_dialogs import ExtractDialog, RectifyDialog
from caleol.ui.pages.session.workspace_base import WorkspaceBase
from caleol.ui.pdf_viewer import show_pdf
from caleol.ui.tasks import run_with_progress


class DocumentActions(WorkspaceBase):
    """The séance's documents, produced, written and shown."""
    def _write(self, pdf: bytes, name: str) -> Path:
        path = paths.documents_dir() / name
        path.write_bytes(pdf)
        self.last_document = path
        self.document_ready.emit(path)
        return path

    def _show_document(self, path: Path) -> None:
        """Written: shown inside caleol (« Imprimer… », « Ouvrir avec le lecteur PDF »)."""
        messages.show_status(self, self.tr("Document enregistré : {p}").format(p=path), 15000)
        self.viewer = show_pdf(path, self)

    def print_last_document(self) -> bool:
        if self.last_document is None or not self.last_document.exists():
            return False
        return printing.print_document(self, self.last_document)

    def generate_minutes(self) -> None:
        """Draft PV of a closed séance (or the stored signed one), opened in the viewer."""
        detail = self.detail
        if detail is None:
            return
        suffix = "signe" if detail.status == "signed" else "projet"

        def done(produced: Any) -> None:
            path = self._write(produced.pdf, f"pv-seance-{detail.id}-{suffix}.pdf")
            self._show_document(path)

        run_with_progress(self, self.tasks, self.tr("Procès-verbal…"),
                          self.controller.documents().minutes(None), done)

    def sign_minutes(self) -> None:
        detail = self.detail
        if detail is None:
            return
        settings = self.controller.settings
        dialog = SignDialog(detail.president, detail.secretary_name,
                            settings.signing_certificate, self)
        dialog.accepted.connect(lambda: self._sign(dialog))
        self._open(dialog)

    def _sign(self, dialog: SignDialog) -> None:
        from caleol.services.documents.session_minutes import SigningKey

        request = dialog.request
        if request is None:
            return
        key = SigningKey(request.p12_path, request.passphrase)
        fields = None if len(request.fields) == 2 else request.fields

        def done(produced: Any) -> None:
            name = produced.stored.filename if produced.stored else "pv-signe.pdf"
            path = self._write(produced.pdf, name)
            self.controller.reload()
            messages.show_status(self, self.tr("Procès-verbal signé et conservé : {p}")
                                 .format(p=path), 15000)

        run_with_progress(self, self.tasks, self.tr("Signature du procès-verbal…"),
                          self.controller.documents().minutes(key, fields), done)

    def generate_letters(self) -> None:
        detail = self.detail
        if detail is None:
            return

        def done(produced: Any) -> None:
            path = self._write(produced.pdf, f"courriers-seance-{detail.id}.pdf")
            self._show_document(path)
            if produced.withheld:  # who gets no letter today, and why (as caleol letters)
                self.letters_notice = messages.show_notice(
                    self, self.tr("Courriers enregistrés : {p}\nSans courrier aujourd'hui :")
                    .format(p=path), produced.withheld, self.tr("Courriers de la séance"))

        run_with_progress(self, self.tasks, self.tr("Courriers de la séance…"),
                          self.controller.documents().letters(), done)

    def generate_agenda(self) -> None:
        self._produce_plain(self.tr("Ordre du jour…"), self.controller.documents().agenda(),
                            "ordre-du-jour-seance-{id}.pdf")

    def generate_sheets(self) -> None:
        self._produce_plain(self.tr("Fiches des candidats…"), self.controller.documents().sheets(),
                            "fiches-candidats-seance-{id}.pdf")

    def _produce_plain(self, title: str, work: Callable[[Any], bytes], name: str) -> None:
        """A document nobody signs, off the GUI thread, written and shown."""
        detail = self.detail
        if detail is None:
            return
        run_with_progress(self, self.tasks, title, work, lambda pdf: self._show_document(
            self._write(pdf, name.format(id=detail.id))))

    def offer_letter(self, candidacy_id: int) -> None:
        detail = self.detail
        candidate = next((c for item in (detail.agenda if detail else ())
                          for c in item.candidacies if c.id == candidacy_id), None)
        if detail is None or candidate is None:
            return

        def done(pdf: bytes) -> None:
            self._show_document(self._write(
                pdf, f"proposition-apres-refus-{detail.id}-{candidate.nur}.pdf"))

        run_with_progress(self, self.tasks, self.tr("Courrier de proposition…"),
                          self.controller.documents().offer_letter(candidate.nur), done)

    def extract(self) -> None:
        detail = self.detail
        if detail is None:
            return
        dialog = ExtractDialog(detail.agenda, self.controller.settings.signing_certificate,
                               self)
        current = self.agenda.current()
        if current is not None:
            dialog.select_dwelling(current.reference)
        dialog.accepted.connect(lambda: self._produce_extract(dialog))
        self._open(dialog)

    def _produce_extract(self, dialog: ExtractDialog) -> None:
        request = dialog.request
        if request is None:
            return
        detail = self.detail
        assert detail is not None
        self._produce(self.tr("Extrait du procès-verbal…"),
                      self.controller.documents().extract(request.nur, _key(request.signing)),
                      f"extrait-seance-{detail.id}-{request.nur}.pdf")

    def rectify(self) -> None:
        dialog = RectifyDialog(self.controller.settings.signing_certificate,
                               self.controller.add_rectification, self,
                               agenda=self.detail.agenda if self.detail else ())
        dialog.accepted.connect(lambda: self._produce_rectificatif(dialog))
        self._open(dialog)

    def _produce_rectificatif(self, dialog: RectifyDialog) -> None:
        request = dialog.request
        if request is None:
            return
        detail = self.detail
        assert detail is not None
        self._produce(self.tr("Procès-verbal rectificatif…"),
                      self.controller.documents().rectificatif(_key(request.signing)),
                      f"rectificatif-seance-{detail.id}.pdf")

    def _produce(self, title: str, work: Callable[[Any], Any], name: str) -> None:
        """A signable document off the GUI thread, written, listed and opened."""
        def done(produced: Any) -> None:
            stored = produced.stored
            path = self._write(produced.pdf, stored.filename if stored else name)
            if stored is not None:
                self.controller.reload()
            self._show_document(path)

        run_with_progress(self, self.tasks, title, work, done)


def _key(signing: Any | None) -> Any | None:
    """A `SignRequest` from a dialog → the documents service's `SigningKey`."""
    if signing is None:
        return None
    from caleol.services.documents.session_minutes import SigningKey

    return SigningKey(signing.p12_path, signing.passphrase)
