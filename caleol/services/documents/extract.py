"""Extrait de PV for one candidate: only their dwelling, others' data left out.

A candidate may obtain the part of the minutes that concerns them (R441-2-17 CCH);
the other candidates' personal data is not hidden under a box but never written
into the PDF: their rows are drawn as black bars with no text at all.
"""

from __future__ import annotations

from datetime import date

from reportlab.platypus import Flowable

from caleol.errors import CaleolError
from caleol.fr import format_date
from caleol.rules.nur import format_nur
from caleol.services.documents import minutes
from caleol.services.documents.data import (
    DRAFT,
    DRAFT_MARK,
    Candidate,
    Correction,
    MinutesData,
    SigningPlan,
)
from caleol.services.documents.layout import markup, para, styles, text
from caleol.services.documents.pages import build_pdf
from caleol.services.signing import SignatureSlot, add_signature_fields

REDACTION_NOTE = (
    "Les données personnelles des autres candidats examinés pour ce logement ont été "
    "occultées (articles L311-6 et L311-7 du code des relations entre le public et "
    "l'administration) : elles ne figurent pas dans ce document."
)


def rectifications_section(corrections: tuple[Correction, ...], number: int
                            ) -> list[Flowable]:
    """The rectifications of the signed PV that concern the candidate: the extract
    certifies the record as corrected, not the wording a rectificatif replaced."""
    st = styles()
    story: list[Flowable] = [
        para(f"{number}. Rectification du procès-verbal", st.h1),
        para("Le procès-verbal signé a été rectifié sur ce qui suit ; la mention "
             "rectifiée remplace la mention initiale reproduite ci-dessus.", st.body),
    ]
    for c in corrections:
        recorded = f" enregistrée le {format_date(c.recorded_on)}" if c.recorded_on else ""
        lines = [f"<b>Rectification{text(recorded)}</b> — {text(c.location)}"]
        if c.before:
            lines.append(f"Mention initiale : « {text(c.before)} »")
        lines.append(f"Mention rectifiée : « {text(c.after)} »")
        if c.reason:
            lines.append(f"Motif : {text(c.reason)}")
        story.append(markup("<br/>".join(lines), st.body))
    return story


def render_extract(data: MinutesData, nur: str, plan: SigningPlan = DRAFT, *,
                   made_on: date | None = None,
                   corrections: tuple[Correction, ...] = ()) -> bytes:
    """Extract of the PV for the candidate `nur`, made `made_on`: a draft, or with
    empty signature fields for `plan`; `corrections`: the rectifications recorded
    for this candidate's candidacy, printed after the deliberation.

    Raises:
        CaleolError: no candidate of the session has this NUR.
    """
    try:
        exam, candidate = data.find_candidate(nur)
    except KeyError:
        raise CaleolError(f"Aucun candidat de la séance n'a le numéro {nur}.") from None
    st = styles()
    index = data.dwellings.index(exam) + 1

    def visible(other: Candidate) -> bool:
        return other.nur == candidate.nur

    slots: list[SignatureSlot] = []
    story: list[Flowable] = [
        *minutes.title_block(data, "Extrait du procès-verbal de séance"),
        para(f"Extrait établi pour la demande n° {format_nur(candidate.nur)} ({candidate.name}).",
             st.body),
        *minutes.members_section(data, number=1),
        para("2. Logement examiné et décision", st.h1),
        para(REDACTION_NOTE, st.small),
        *minutes.dwelling_block(exam, index, len(data.dwellings), visible),
    ]
    certified = "Extrait certifié conforme au procès-verbal signé de la séance."
    if corrections:
        story += rectifications_section(corrections, number=3)
        certified = ("Extrait certifié conforme au procès-verbal signé de la séance et "
                     "à sa rectification.")
    story += minutes.signature_section(
        data, number=4 if corrections else 3, slots=slots, plan=plan, dated=made_on,
        intro=certified)
    session = data.session
    rendered = build_pdf(
        story,
        letterhead=data.letterhead,
        title=f"Extrait du procès-verbal — {session.commission} — "
              f"{format_date(session.date)}",
        header_right=f"Extrait du procès-verbal — séance du {format_date(session.date)}",
        footer_left=f"{session.commission} — extrait pour la demande {format_nur(candidate.nur)}",
        slots=slots,
        watermark=DRAFT_MARK if plan.draft else "",
    )
    return add_signature_fields(rendered.data, rendered.signature_slots)
