"""Rectificatif: the signed correction of a signed PV, which itself stays untouched.

Each rectification quotes the point of the PV, the wording the signed PV has and
the wording it takes, with the reason and the author in their own columns. Like
the PV: a draft says so on every page; a rectificatif to be signed is PDF/A-2b.
"""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer

from caleol.fr import format_date, format_short_date
from caleol.services.documents import figures
from caleol.services.documents.data import (
    DRAFT,
    DRAFT_MARK,
    Correction,
    RectificatifData,
    SigningPlan,
)
from caleol.services.documents.layout import data_table, markup, para, styles, text
from caleol.services.documents.pages import build_pdf
from caleol.services.documents.signatories import Signatories, signature_block
from caleol.services.signing import SignatureSlot, add_signature_fields

HEADER = ("Point du procès-verbal", "Mention initiale", "Mention rectifiée", "Motif",
          "Auteur")
WIDTHS = (34, 40, 40, 34, 26)
NOT_QUOTED = "(non citée à l'enregistrement : voir le procès-verbal signé)"


def _row(correction: Correction) -> list[str]:
    author = correction.author or "—"
    if correction.recorded_on:
        author += f"\nle {format_short_date(correction.recorded_on)}"
    return [correction.location or "—", correction.before or NOT_QUOTED, correction.after,
            correction.reason or "—", author]


def render_rectificatif(data: RectificatifData, plan: SigningPlan = DRAFT) -> bytes:
    """The rectifying document: a draft, or PDF/A with empty "Président" and
    "Secrétaire" fields for `plan`."""
    st = styles()
    session = data.session
    original = data.original
    slots: list[SignatureSlot] = []
    story: list[Flowable] = [
        para("Rectificatif au procès-verbal", st.title),
        para(session.commission, st.subtitle),
        para(f"Séance du {figures.long_date(session.date)}"
             + (f" — n° {session.reference}" if session.reference else ""), st.subtitle),
        markup(
            f"Le présent document rectifie le procès-verbal de la séance du "
            f"{text(format_date(original.session_date))}, signé le "
            f"{text(format_date(original.signed_on))}, dont l'empreinte SHA-256 est :",
            st.body),
        para(original.sha256, st.centred),
        para("Ce procès-verbal signé reste conservé sans aucune modification ; le présent "
             "rectificatif lui est rattaché et doit être lu avec lui. Chaque mention "
             "initiale est remplacée par la mention rectifiée en regard.", st.body),
        para("1. Rectifications", st.h1),
        data_table(HEADER, [_row(c) for c in data.corrections] or [["—"] * len(HEADER)],
                   WIDTHS),
        Spacer(1, 6 * mm),
        *signature_block(
            Signatories(data.letterhead.city or session.place, data.president,
                        data.secretary),
            2, slots, plan, dated=data.issued_on),
    ]
    rendered = build_pdf(
        story,
        letterhead=data.letterhead,
        title=f"Rectificatif au procès-verbal — {session.commission} — "
              f"{format_date(session.date)}",
        header_right=f"Rectificatif — séance du {format_date(session.date)}",
        footer_left=f"{session.commission} — rectificatif du {format_date(data.issued_on)}",
        slots=slots,
        watermark=DRAFT_MARK if plan.draft else "",
        pdfa=not plan.draft,
    )
    return add_signature_fields(rendered.data, rendered.signature_slots)
