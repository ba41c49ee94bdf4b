"""Ordre du jour / convocation: who is convened, when, and the cases to examine.

Lists dwellings and candidates with what members need to prepare (household,
who presents them, priority) but none of the financial figures: those are in the
fiches candidats handed out in session.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Spacer

from caleol.fr import counted, format_date
from caleol.rules.nur import format_nur
from caleol.services.documents import figures
from caleol.services.documents.data import MinutesData, SessionKind
from caleol.services.documents.layout import data_table, markup, para, styles, text
from caleol.services.documents.pages import KeepStart, RunningHeading, build_pdf
from caleol.services.documents.sheets import CONFIDENTIAL


def render_agenda(data: MinutesData, *, convened_on: date | None = None) -> bytes:
    """The convocation and agenda of a prepared session (decisions are ignored)."""
    st = styles()
    session = data.session
    hours = f" à {figures.clock(session.convened)}" if session.convened else ""
    # a séance created without its place: said, not « 9 h 30,  (séance en présentiel) »
    place = session.place.strip() or (
        "" if session.kind is SessionKind.REMOTE else "lieu à préciser")
    story: list[Flowable] = [
        para("Ordre du jour et convocation", st.title),
        para(session.commission, st.subtitle),
        markup(
            f"Les membres de la {text(session.commission)} sont convoqués à la séance du "
            f"<b>{text(figures.long_date(session.date))}{text(hours)}</b>"
            f"{text(', ' + place if place else '')} (séance {text(session.kind.label)}).",
            st.body),
    ]
    if convened_on:
        story.append(para(f"Convocation adressée le {format_date(convened_on)}.", st.body))
    story += [
        para("Membres convoqués", st.h1),
        data_table(("Membre", "Qualité", "Voix"),
                   [[m.name, m.capacity, "délibérative" if m.deliberative else "consultative"]
                    for m in data.members], (50, 94, 30)),
        para("1. Attribution de logements", st.h1),
        para(f"{counted(len(data.dwellings), 'logement')} à attribuer.", st.body),
    ]
    total = len(data.dwellings)
    for index, exam in enumerate(data.dwellings, start=1):
        d = exam.dwelling
        title = (f"Logement {index} / {total} — {d.reference} — {figures.typology(d)} — "
                 f"{d.commune}")
        heading = para(title, st.h2)
        summary = para(
            f"{d.address}, {d.commune} ; {d.financing} ; loyer et charges "
            f"{figures.money(d.rent + d.charges)} ; QPV : {figures.qpv_label(d.qpv)} ; "
            f"réservataire : {d.reservataire}.", st.small)
        rows: list[list[Any]] = []
        details: list[int] = []
        for n, c in enumerate(exam.candidates, start=1):
            rows.append([str(n), format_nur(c.nur), c.name, c.household, c.presented_by or "—",
                         markup(figures.priority_flag(c), st.cell)])
            if c.priority:  # long legal labels: a full-width line under the row
                details.append(len(rows))
                rows.append([markup(f"<b>Priorité</b> : {text(c.priority)}", st.cell),
                             "", "", "", "", ""])
        table = (data_table(("N°", "Demande (NUR)", "Candidat", "Ménage", "Présenté par",
                             "Priorité"), rows, (8, 32, 44, 38, 36, 16),
                            detail_rows=details)
                 if rows else para("Aucun candidat présenté.", st.small))
        # the heading starts with the table's first rows; a long table continues on
        # the next page under « Logement … (suite) »
        story += [KeepStart([heading, summary], table), heading, RunningHeading(title),
                  summary, table, RunningHeading(""), Spacer(1, 2 * mm)]
    story.append(para("2. Examen de l'occupation des logements", st.h1))
    if data.occupancy_reviews:
        story.append(data_table(
            ("Locataire", "Logement", "Situation à examiner"),
            [[r.tenant, r.dwelling, r.situation] for r in data.occupancy_reviews],
            (40, 66, 68)))
    else:
        story.append(para("Aucun dossier.", st.body))
    # the last heading with the text under it: never alone at a page's foot
    story.append(KeepTogether([para("3. Questions diverses", st.h1), Spacer(1, 6 * mm),
                               para(CONFIDENTIAL, st.small)]))
    return build_pdf(
        story,
        letterhead=data.letterhead,
        title=f"Ordre du jour — {session.commission} — {format_date(session.date)}",
        header_right=f"Ordre du jour — séance du {format_date(session.date)}",
        footer_left=f"{session.commission} — document confidentiel",
    ).data
