"""The séance's documents as work for the task runner (`caleol.ui.tasks`).

A work runs off the GUI thread: it captures the engine, the séance and the settings
when it is asked for, and never reads the controller or a widget while it runs.
Imported when a document is first asked for (reportlab is not needed to open caleol).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from caleol.services.documents import session_minutes
from caleol.services.documents.session_minutes import (
    ProducedDocument,
    ProducedLetters,
    SigningKey,
)
from caleol.settings import Settings
from caleol.ui.tasks import TaskContext

T = TypeVar("T")


def _work(step: str, produce: Callable[[], T]) -> Callable[[TaskContext], T]:
    """`produce` for the task runner, its first step announced."""

    def work(ctx: TaskContext) -> T:
        ctx.progress(10, step)
        return produce()

    return work


@dataclass(frozen=True)
class SessionDocuments:
    """One séance's documents, with the settings of the moment they are asked for."""

    engine: Any
    session_id: int
    settings: Settings

    def minutes(self, key: SigningKey | None, fields: Sequence[str] | None = None
                ) -> Callable[[TaskContext], ProducedDocument]:
        """The PV: rendered, signed with `key` and stored (None: an unsigned draft).

        Args:
            fields: the signature fields to sign (default: president and secretary);
                some only, e.g. the president alone, seal the PV on those.
        """
        engine, session_id, settings = self.engine, self.session_id, self.settings

        def work(ctx: TaskContext) -> ProducedDocument:
            ctx.progress(10, "Mise en page du procès-verbal…")
            if key is None or fields is None:
                produced = session_minutes.produce_minutes(engine, session_id,
                                                           settings=settings, key=key)
                ctx.progress(100, "Procès-verbal prêt.")
                return produced
            ctx.progress(40, "Signature…")
            return session_minutes.produce_minutes(engine, session_id, settings=settings,
                                                   key=key, fields=tuple(fields))

        return work

    def extract(self, nur: str, key: SigningKey | None
                ) -> Callable[[TaskContext], ProducedDocument]:
        """The extract of the signed PV for one candidate (signed and stored with `key`)."""
        engine, session_id, settings = self.engine, self.session_id, self.settings
        return _work("Extrait du procès-verbal…", lambda: session_minutes.produce_extract(
            engine, session_id, nur, settings=settings, key=key))

    def rectificatif(self, key: SigningKey | None
                     ) -> Callable[[TaskContext], ProducedDocument]:
        """The rectificatif of the signed PV, from every recorded rectification."""
        engine, session_id, settings = self.engine, self.session_id, self.settings
        return _work("Procès-verbal rectificatif…",
                     lambda: session_minutes.produce_rectificatif(
                         engine, session_id, settings=settings, key=key))

    def offer_letter(self, nur: str) -> Callable[[TaskContext], bytes]:
        """The offer to the candidate who holds the dwelling after a refusal."""
        engine, session_id, settings = self.engine, self.session_id, self.settings
        return _work("Préparation du courrier…",
                     lambda: session_minutes.produce_offer_after_refusal(
                         engine, session_id, nur, settings=settings))

    def letters(self) -> Callable[[TaskContext], ProducedLetters]:
        """The séance's letters today: the PDF, and who gets none and why."""
        engine, session_id, settings = self.engine, self.session_id, self.settings
        return _work("Préparation des courriers…", lambda: session_minutes.produce_letter_set(
            engine, session_id, settings=settings))

    def agenda(self) -> Callable[[TaskContext], bytes]:
        """The agenda (convocation), at any stage of the séance."""
        engine, session_id, settings = self.engine, self.session_id, self.settings
        return _work("Mise en page de l'ordre du jour…", lambda: session_minutes.produce_agenda(
            engine, session_id, settings=settings))

    def sheets(self) -> Callable[[TaskContext], bytes]:
        """The candidates' sheets, one per candidacy."""
        engine, session_id, settings = self.engine, self.session_id, self.settings
        return _work("Mise en page des fiches des candidats…",
                     lambda: session_minutes.produce_candidate_sheets(
                         engine, session_id, settings=settings))
