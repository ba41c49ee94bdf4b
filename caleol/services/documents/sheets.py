"""Fiche candidat: the one-page synthesis each member reads before the session.

Shows the household, resources, every check with its explanation and legal
reference (the secretary must be able to explain each figure), priority and the
history of previous offers. No decision: the sheet prepares the debate.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, PageBreak, Spacer

from caleol.errors import CaleolError
from caleol.fr import format_date
from caleol.rules.charter import name_landlord
from caleol.rules.nur import format_nur
from caleol.services.documents import figures
from caleol.services.documents.data import (
    CEILING,
    Candidate,
    DwellingExamination,
    MinutesData,
)
from caleol.services.documents.layout import (
    data_table,
    key_value_table,
    markup,
    para,
    styles,
    text,
)
from caleol.services.documents.pages import PageGroupStart, RunningHeading, build_pdf

CONFIDENTIAL = ("Document confidentiel réservé aux membres de la commission : il contient "
                "des données personnelles ; ne pas diffuser, détruire après la séance.")


def _resources_pairs(candidate: Candidate) -> list[tuple[str, str]]:
    ceiling = candidate.check(CEILING)
    stable = {True: "stables", False: "précaires", None: "non précisée"}[
        candidate.resources_stable]
    income = figures.decimal_or_none(ceiling.get("income"))
    limit = figures.decimal_or_none(ceiling.get("ceiling"))
    category = ceiling.get("category")
    return [
        ("Ressources mensuelles", figures.money(candidate.monthly_resources)),
        ("Nature", stable),
        ("Aide au logement", figures.money(candidate.housing_aid)),
        ("Cotation", candidate.cotation or "non communiquée"),
        ("Revenu fiscal (n-2)", figures.money(income, 0)),
        ("Plafond", f"{figures.money(limit, 0)}"
                    + (f" (catégorie {category})" if category is not None else "")),
    ]


def _check_rows(candidate: Candidate, landlord: str) -> list[list[Any]]:
    st = styles()
    names = [*figures.CHECK_TITLES, *(n for n in candidate.checks
                                      if n not in figures.CHECK_TITLES)]
    rows = []
    for name in names:
        check = candidate.check(name)
        rows.append([
            para(figures.CHECK_TITLES.get(name, name), st.cell_bold),
            markup(figures.check_summary(check), st.cell),
            para(str(check.get("explanation") or "Contrôle non effectué."), st.cell),
            para(name_landlord(str(check.get("reference") or "—"), landlord), st.cell),
        ])
    return rows


def candidate_sheet(exam: DwellingExamination, candidate: Candidate, data: MinutesData,
                    index: int) -> list[Flowable]:
    st = styles()
    d = exam.dwelling
    waiting = candidate.check("waiting_time").get("months")
    filed = format_date(candidate.filed_on) if candidate.filed_on else "date inconnue"
    if waiting is not None:
        filed += f" ({waiting} mois)"
    nur = format_nur(candidate.nur)  # spaced, as the reports and every document print it
    story: list[Flowable] = [
        PageGroupStart(),
        RunningHeading(f"Fiche candidat — {candidate.name} — demande n° {nur}"),
        para("Fiche candidat", st.title),
        para(f"{data.session.commission} — séance du {format_date(data.session.date)}",
             st.subtitle),
        markup(f"<b>{text(candidate.name)}</b> — demande n° <b>{text(nur)}</b>",
               st.body),
        para("Demande", st.h2),
        key_value_table([
            ("Ménage", candidate.household),
            ("Déposée le", filed),
            ("Présentée par", candidate.presented_by or "—"),
            ("Priorité", figures.priority_text(candidate)),
        ]),
    ]
    story += [
        para("Ressources", st.h2),
        key_value_table(_resources_pairs(candidate)),
        para(f"Logement proposé (logement {index} / {len(data.dwellings)})", st.h2),
        key_value_table([
            ("Référence", d.reference),
            ("Typologie", figures.typology(d, ", ")),
            ("Adresse", f"{d.address}, {d.commune}"),
            ("Financement", d.financing),
            ("Loyer + charges", f"{figures.money(d.rent)} + {figures.money(d.charges)}"),
            ("Total mensuel", figures.money(d.total_cost)
             + ("" if d.energy is not None else " (hors énergie)")),
        ]),
        para("Contrôles", st.h2),
        data_table(("Contrôle", "Résultat", "Explication", "Référence"),
                   _check_rows(candidate, data.letterhead.landlord), (30, 24, 80, 40),
                   zebra=False),
        para("Propositions antérieures", st.h2),
    ]
    if candidate.previous_offers:
        story.append(data_table(
            ("Date", "Logement", "Suite donnée"),
            [[format_date(o.date), o.dwelling, o.outcome] for o in candidate.previous_offers],
            (28, 70, 76)))
    else:
        story.append(para("Aucune proposition antérieure enregistrée.", st.body))
    if candidate.notes:
        story += [para("Observations", st.h2), para(candidate.notes, st.body)]
    story += [Spacer(1, 4 * mm), para(CONFIDENTIAL, st.small), RunningHeading("")]
    return story


def render_candidate_sheets(data: MinutesData, nurs: Sequence[str] | None = None) -> bytes:
    """One sheet per candidate (all of the session, or those of `nurs`), each starting
    on a new page numbered on its own.

    Raises:
        CaleolError: a NUR is not a candidate of the session, or there is no candidate.
    """
    chosen: list[tuple[int, DwellingExamination, Candidate]] = []
    wanted = list(nurs) if nurs is not None else None
    for index, exam in enumerate(data.dwellings, start=1):
        for candidate in exam.candidates:
            if wanted is None or candidate.nur in wanted:
                chosen.append((index, exam, candidate))
    if wanted is not None:
        missing = set(wanted) - {c.nur for _i, _e, c in chosen}
        if missing:
            raise CaleolError("Demandes absentes de la séance : " + ", ".join(sorted(missing)))
    if not chosen:
        raise CaleolError("Aucun candidat dans cette séance.")
    story: list[Flowable] = []
    for position, (index, exam, candidate) in enumerate(chosen):
        if position:
            story.append(PageBreak())
        story += candidate_sheet(exam, candidate, data, index)
    session = data.session
    return build_pdf(
        story,
        letterhead=data.letterhead,
        title=f"Fiches candidats — {session.commission} — {format_date(session.date)}",
        header_right=f"Fiche candidat — séance du {format_date(session.date)}",
        footer_left=f"{session.commission} — document confidentiel",
    ).data
