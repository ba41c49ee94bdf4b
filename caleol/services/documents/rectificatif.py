"""Rectificatif: the signed correction of a signed PV, which itself stays untouched."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Spacer

from caleol.fr import format_date
from caleol.services.documents import figures
from caleol.services.documents.data import RectificatifData
from caleol.services.documents.layout import (
    PRESIDENT_FIELD,
    SECRETARY_FIELD,
    build_pdf,
    data_table,
    markup,
    para,
    signature_row,
    styles,
    text,
)
from caleol.services.documents.minutes import PRESIDENT_TITLE, SECRETARY_TITLE
from caleol.services.signing import SignatureSlot, add_signature_fields


def render_rectificatif(data: RectificatifData) -> bytes:
    """The rectifying document, with empty "Président" and "Secrétaire" fields."""
    st = styles()
    session = data.session
    original = data.original
    rows = [[c.location, c.before, c.after, c.reason or "—"] for c in data.corrections]
    slots: list[SignatureSlot] = []
    city = data.letterhead.city or session.place
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
             "rectificatif lui est rattaché et doit être lu avec lui.", st.body),
        para("1. Rectifications", st.h1),
        data_table(("Emplacement", "Mention initiale", "Mention rectifiée", "Motif"),
                   rows or [["—", "—", "—", "—"]], (38, 45, 45, 46)),
        Spacer(1, 6 * mm),
        KeepTogether([
            para("2. Signatures", st.h1),
            para(f"Fait à {city}, le {format_date(data.issued_on)}.", st.body),
            Spacer(1, 3 * mm),
            signature_row([(PRESIDENT_TITLE, data.president, PRESIDENT_FIELD),
                           (SECRETARY_TITLE, data.secretary, SECRETARY_FIELD)], slots),
        ]),
    ]
    rendered = build_pdf(
        story,
        letterhead=data.letterhead,
        title=f"Rectificatif au procès-verbal — {session.commission} — "
              f"{format_date(session.date)}",
        header_right=f"Rectificatif — séance du {format_date(session.date)}",
        footer_left=f"{session.commission} — rectificatif du {format_date(data.issued_on)}",
        slots=slots,
    )
    return add_signature_fields(rendered.data, rendered.signature_slots)
