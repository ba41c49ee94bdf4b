"""Preparing a séance's agenda in the workspace: dwellings and their orientation,
candidates presented (by hand or suggested), their order, the exception to the three
candidates, a candidate's typology adaptation, the séance's details, « prête ».

Each change the user can take back goes on the undo stack (`undo`).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from shiboken6 import isValid

from caleol import fr
from caleol.errors import CaleolError
from caleol.services import sessions
from caleol.services.sessions import (
    CommissionChoice,
    MemberChoice,
    SessionDetail,
    SuggestionList,
)
from caleol.ui import messages
from caleol.ui.dialogs.new_session import NewSessionDialog, NewSessionValues
from caleol.ui.dialogs.suggestions import SuggestionsDialog
from caleol.ui.pages.session import undo
from caleol.ui.pages.session.exception_dialog import ExceptionDialog
from caleol.ui.pages.session.orientation_form import OrientationForm
from caleol.ui.pages.session.pick_dialog import (
    DEMANDE_COLUMNS,
    DWELLING_COLUMNS,
    PickDialog,
    demande_search,
    dwelling_search,
)
from caleol.ui.pages.session.workspace_base import WorkspaceBase
from caleol.ui.tasks import TaskContext


class PreparingActions(WorkspaceBase):
    """What the secretary does while the séance is a draft (or ready)."""

    def suggest(self) -> None:
        """Open the suggestions dialog at once, searching, and fill it off the GUI thread.

        On 100 000 demandes the search takes longer than an interaction may (issue 19):
        the dialog shows « Recherche des candidats… » with a busy bar meanwhile. An
        error or an empty result closes the dialog first, then is shown alone; a
        result for a séance no longer shown is dropped.
        """
        item = self.agenda.current()
        if item is None:
            return
        dialog = SuggestionsDialog(parent=self, reference=item.reference)
        dialog.accepted.connect(lambda: self._add_suggested(item.id, dialog))
        self._open(dialog)
        session_id, search = self.controller.session_id, self.controller.suggestion_search(item.id)

        def work(ctx: TaskContext) -> SuggestionList:
            ctx.check_cancelled()  # closed before the search began
            return search()

        task = self.tasks.start(work, name="suggestions")
        dialog.finished.connect(task.cancel)  # closed: the search is abandoned
        task.succeeded.connect(lambda found: self._suggestions_found(dialog, session_id, found))
        task.failed.connect(lambda error: self._suggestions_failed(dialog, error))

    def _suggestions_found(self, dialog: SuggestionsDialog, session_id: int,
                           found: SuggestionList) -> None:
        if not isValid(self) or not isValid(dialog) or not dialog.isVisible():
            return  # closed meanwhile: nobody waits for it
        shown = self.detail
        if shown is None or shown.id != session_id or all(
                i.id != found.agenda_item_id for i in shown.agenda):
            dialog.reject()
            messages.show_status(self, self.tr(
                "Suggestions abandonnées : la séance a changé pendant la recherche."))
            return
        if not found.suggestions:
            dialog.reject()  # gone before the message, which it would hide
            messages.show_info(self, self.tr("Aucune demande active ne correspond à ce "
                                             "logement."))
            return
        dialog.show_suggestions(found)

    def _suggestions_failed(self, dialog: SuggestionsDialog, error: BaseException) -> None:
        waited = isValid(dialog) and dialog.isVisible()
        if waited:
            dialog.reject()  # gone before the error, which it would hide
        if not isinstance(error, CaleolError):
            messages.report_exception(error)  # a bug is reported, waited for or not
        elif waited and isValid(self):
            self.controller.show_error(error)

    def _add_suggested(self, agenda_item_id: int, dialog: SuggestionsDialog) -> None:
        chosen = dialog.chosen()
        added = self.controller.add_suggested(agenda_item_id, chosen)
        if added:
            self.undo_stack.beginMacro(self.tr("ajout de {n}").format(
                n=fr.counted(len(added), self.tr("candidat"), self.tr("candidats"))))
            for suggestion, candidacy_id in zip(chosen, added, strict=False):
                self.undo_stack.push(undo.CandidateAdded(
                    self.controller, agenda_item_id, suggestion.demande_id, candidacy_id,
                    self.tr("ajout de {name}").format(name=suggestion.name),
                    " ; ".join(suggestion.reasons)))
            self.undo_stack.endMacro()
            messages.show_status(self, fr.counted(
                len(added), self.tr("candidat ajouté."), self.tr("candidats ajoutés.")))

    def add_dwelling(self) -> None:
        try:
            reservataires = sessions.reservataire_choices(self.controller.engine)
        except CaleolError as exc:
            messages.show_error(self, exc)
            return
        orientation = OrientationForm(reservataires)
        dialog = PickDialog(self.tr("Ajouter un logement à l'ordre du jour"),
                            self.tr("Référence, adresse ou commune (logements vacants)"),
                            DWELLING_COLUMNS, dwelling_search(self.controller.dwelling_browser()),
                            self, extra=orientation)
        dialog.view.selectionModel().selectionChanged.connect(
            lambda *_: orientation.follow(dialog.chosen()))
        orientation.follow(dialog.chosen())
        self.orientation = orientation  # tests fill it

        def add() -> None:
            row = dialog.chosen()
            reservataire_id, on = orientation.values()
            if row is not None and self.controller.add_dwelling(row.id, reservataire_id, on):
                self.agenda.select_reference(row.reference)

        dialog.accepted.connect(add)
        self._open(dialog)

    def _set_adaptation(self, candidacy_id: int, adaptation: str | None) -> None:
        before = self._candidacy(candidacy_id)
        if self.controller.set_typology_adaptation(candidacy_id, adaptation):
            if before is not None:
                self.undo_stack.push(undo.AdaptationChanged(
                    self.controller, candidacy_id, before.typology_adaptation, adaptation,
                    self.tr("adaptation de typologie de {name}").format(name=before.name)))
            self._reselect_candidate(candidacy_id)
            messages.show_status(self, self.tr("Adaptation de typologie enregistrée ; "
                                               "contrôles relancés."))

    def edit_info(self) -> None:
        """The séance's date, time, place, form and members convened (before opening)."""
        detail = self.detail
        if detail is None:
            return
        try:
            commissions = sessions.commission_choices(self.controller.engine)
        except CaleolError as exc:
            messages.show_error(self, exc)
            return
        own = tuple(with_convened(c, detail) for c in commissions
                    if c.id == detail.summary.commission_id)
        version = [detail.summary.version]
        dialog: NewSessionDialog

        def submit(values: NewSessionValues) -> CaleolError | None:
            error = self.controller.update_info(values, version[0])
            stored = self.detail
            if error is not None and stored is not None and (
                    stored.summary.version != version[0]):
                # Saved elsewhere meanwhile: the séance behind shows what is stored now;
                # the form keeps what was typed, and saving again replaces it.
                version[0] = stored.summary.version
                return CaleolError(error.message + " " + self.tr(
                    "La séance affichée derrière ce formulaire a été rechargée ; "
                    "« Enregistrer » la remplacera par ce que vous avez saisi."))
            if error is None:
                messages.show_status(self, self.tr("Séance modifiée."))
            return error

        dialog = NewSessionDialog(own, detail.secretary_name, self, submit=submit,
                                  initial=session_values(detail))
        self._open(dialog)

    def _remove_dwelling(self, agenda_item_id: int) -> None:
        self._confirm(self.tr("Retirer ce logement et ses candidats de l'ordre du jour ?"),
                      self.tr("Retirer"),
                      lambda: self.controller.remove_dwelling(agenda_item_id))

    def add_candidate(self) -> None:
        item = self.agenda.current()
        if item is None:
            return
        dialog = PickDialog(self.tr("Présenter une demande pour {ref}").format(ref=item.reference),
                            self.tr("NUR ou nom du demandeur (demandes actives)"),
                            DEMANDE_COLUMNS, demande_search(self.controller.demande_browser()),
                            self)

        def add() -> None:
            row = dialog.chosen()
            added = self.controller.add_candidate(item.id, row.id) if row is not None else None
            if row is not None and added is not None:
                self.undo_stack.push(undo.CandidateAdded(
                    self.controller, item.id, row.id, added,
                    self.tr("ajout de {name}").format(name=row.name)))
                self.candidates.select_nur(row.nur)

        dialog.accepted.connect(add)
        self._open(dialog)

    def _move(self, candidacy_id: int, rank: int) -> None:
        before = self._candidacy(candidacy_id)
        if self.controller.move_candidate(candidacy_id, rank):
            if before is not None and before.proposed_rank is not None:
                self.undo_stack.push(undo.CandidateMoved(
                    self.controller, candidacy_id, before.proposed_rank, rank,
                    self.tr("rang de {name}").format(name=before.name),
                    lambda: self._reselect_candidate(candidacy_id)))
            self._reselect_candidate(candidacy_id)

    def _remove(self, candidacy_id: int) -> None:
        item, before = self.controller.item_of(candidacy_id), self._candidacy(candidacy_id)

        def remove() -> None:
            if self.controller.remove_candidate(candidacy_id) and item and before:
                self.undo_stack.push(undo.CandidateRemoved(
                    self.controller, item.id, before,
                    self.tr("retrait de {name}").format(name=before.name)))

        self._confirm(self.tr("Retirer ce candidat de l'ordre du jour ?"), self.tr("Retirer"),
                      remove)

    def edit_exception(self) -> None:
        item = self.agenda.current()
        if item is None:
            return
        def submit(ground: str | None, text: str, on_error: Any) -> bool:
            if not self.controller.set_exception(item.id, ground, text, on_error):
                return False
            self.undo_stack.push(undo.ExceptionChanged(
                self.controller, item.id, (item.exception, item.exception_justification),
                (ground, text), self.tr("exception pour {ref}").format(ref=item.reference)))
            return True

        dialog = ExceptionDialog(item.reference, item.exception, item.exception_justification,
                                 self, submit=submit)
        self._open(dialog)

    def mark_ready(self) -> None:
        if self.controller.mark_ready():
            messages.show_status(self, self.tr("Séance prête : l'ordre du jour est complet."))


def with_convened(choice: CommissionChoice, detail: SessionDetail) -> CommissionChoice:
    """The commission's active members plus anyone convened since made inactive, so
    saving the form never drops a member from the convocation unasked."""
    known = {m.id for m in choice.members}
    extra = tuple(MemberChoice(a.member_id, a.name, a.deliberative)
                  for a in detail.attendance if a.member_id not in known)
    return replace(choice, members=choice.members + extra)


def session_values(detail: SessionDetail) -> NewSessionValues:
    """The edit form's values for a séance as stored."""
    s = detail.summary
    return NewSessionValues(
        commission_id=s.commission_id, on=s.date, start_time=detail.start_time,
        place=s.place, kind=s.kind, member_ids=[a.member_id for a in detail.attendance],
        secretary_name=detail.secretary_name)
