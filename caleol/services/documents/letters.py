"""Letters to candidates and réservataires, from editable text templates.

The law requires every refusal to be notified in writing with its reason, and an
offer to state the dwelling, its cost, the delay to answer and what a refusal
entails (R441-2-17 CCH). The wording lives in `resources/templates/*.txt` (see its
LISEZMOI.md) so an agency can adapt it without code; a copy in the user's
`modeles` folder takes precedence over the shipped file.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, PageBreak, Spacer, Table, TableStyle

from caleol.errors import CaleolError
from caleol.fr import format_date
from caleol.services.documents import figures
from caleol.services.documents.data import (
    Candidate,
    DecisionKind,
    DwellingExamination,
    Letterhead,
    MinutesData,
)
from caleol.services.documents.layout import (
    CONTENT_WIDTH,
    FONT,
    PageGroupStart,
    build_pdf,
    data_table,
    markup,
    para,
    styles,
    text,
)
from caleol.services.documents.letter_templates import (
    TABLE_MARKER,
    LetterKind,
    fill_template,
    load_template,
)


@dataclass(frozen=True)
class LetterOptions:
    issued_on: date
    signatory: str  # who signs the letters
    signatory_title: str = "Le secrétaire de la commission d'attribution"
    answer_days: int = 10  # setting "offer_answer_days"


@dataclass(frozen=True)
class Letter:
    """One letter ready to render: template, recipient and the values of its fields."""

    kind: LetterKind
    letterhead: Letterhead
    recipient: str
    recipient_address: str
    values: Mapping[str, str]
    options: LetterOptions
    table: tuple[tuple[str, ...], ...] = field(default=())  # réservataire notice rows


# --- building letters ------------------------------------------------------------------------


def salutation(name: str) -> str:
    """`Mme X` → `Madame`, `M. X` → `Monsieur`, anything else → `Madame, Monsieur`."""
    if name.startswith("Mme ") and " et " not in name:
        return "Madame"
    if name.startswith("M. ") and " et " not in name:
        return "Monsieur"
    return "Madame, Monsieur"


def _common_values(data: MinutesData, options: LetterOptions) -> dict[str, str]:
    return {
        "commission": data.session.commission,
        "date_commission": format_date(data.session.date),
        "date_courrier": format_date(options.issued_on),
        "bailleur": data.letterhead.landlord,
        "agence": data.letterhead.agency,
        "signataire": options.signatory,
    }


def _dwelling_values(exam: DwellingExamination) -> dict[str, str]:
    d = exam.dwelling
    return {
        "logement_reference": d.reference,
        "logement_adresse": d.address,
        "logement_commune": d.commune,
        "logement_typologie": d.typology,
        "logement_surface": figures.surface(d.surface_m2),
        "logement_etage": d.floor or "étage non précisé",
        "logement_financement": d.financing,
        "logement_disponible": format_date(d.available_on) if d.available_on
        else "dès que possible",
        "loyer": figures.money(d.rent),
        "charges": figures.money(d.charges),
        "energie": figures.money(d.energy) if d.energy is not None else "non estimée",
        "total": figures.money(d.total_cost),
    }


def _decision_phrase(candidate: Candidate) -> str:
    decision = candidate.decision
    assert decision is not None
    label = decision.kind.label.lower()
    if decision.kind is DecisionKind.ATTRIBUTION_RANG and decision.rank is not None:
        label += f", au rang {decision.rank}"
    return label


def _condition_paragraph(candidate: Candidate) -> str:
    decision = candidate.decision
    if decision is None or decision.kind is not DecisionKind.ATTRIBUTION_SOUS_CONDITION:
        return ""
    deadline = (f" au plus tard le {format_date(decision.deadline)}" if decision.deadline
                else "")
    return (f"Cette attribution est prononcée sous condition suspensive : "
            f"{decision.condition or 'pièce manquante'}, à fournir{deadline}. À défaut, "
            "la décision d'attribution deviendra caduque.\n\n")


def _dalo_paragraph(candidate: Candidate) -> str:
    if not candidate.dalo:
        return ""
    return ("Ce logement vous est proposé au titre du droit au logement opposable (DALO). "
            "Le refus d'une offre adaptée à vos besoins et à vos capacités peut vous faire "
            "perdre le bénéfice de la décision de la commission de médiation.\n\n")


def letter_kind_for(candidate: Candidate, *, after_refusal: bool = False) -> LetterKind | None:
    """Which letter a decision calls for (None: no decision, no letter)."""
    decision = candidate.decision
    if decision is None:
        return None
    kind = decision.kind
    if kind is DecisionKind.NON_ATTRIBUTION:
        return LetterKind.NON_ATTRIBUTION
    if kind is DecisionKind.IRRECEVABILITE:
        return LetterKind.IRRECEVABILITE
    if after_refusal:
        return LetterKind.OFFER_AFTER_REFUSAL
    if kind is DecisionKind.ATTRIBUTION_RANG and (decision.rank or 1) > 1:
        return LetterKind.RANK
    return LetterKind.OFFER


def candidate_letter(data: MinutesData, nur: str, options: LetterOptions, *,
                     after_refusal: bool = False) -> Letter:
    """The letter telling a candidate the commission's decision about them.

    With `after_refusal`, the offer made to the next ranked candidate once the one
    ranked before has refused.

    Raises:
        CaleolError: unknown NUR, or no decision recorded for the candidate.
    """
    try:
        exam, candidate = data.find_candidate(nur)
    except KeyError:
        raise CaleolError(f"Aucun candidat de la séance n'a le numéro {nur}.") from None
    kind = letter_kind_for(candidate, after_refusal=after_refusal)
    if kind is None:
        raise CaleolError(f"Aucune décision n'est enregistrée pour la demande {nur}.")
    decision = candidate.decision
    assert decision is not None
    values = {
        **_common_values(data, options),
        **_dwelling_values(exam),
        "civilite": salutation(candidate.name),
        "destinataire": candidate.name,
        "nur": candidate.nur,
        "decision": _decision_phrase(candidate),
        "rang_numero": str(decision.rank) if decision.rank is not None else "",
        "condition": _condition_paragraph(candidate),
        "dalo": _dalo_paragraph(candidate),
        "motif": decision.reason or "motif non précisé",
        "delai_jours": str(options.answer_days),
        "date_limite": format_date(options.issued_on + timedelta(days=options.answer_days)),
        "cotation": candidate.cotation or "non communiquée",
    }
    return Letter(kind, data.letterhead, candidate.name, candidate.postal_address, values,
                  options)


def reservataire_of(exam: DwellingExamination, candidate: Candidate) -> str:
    return candidate.presented_by or exam.dwelling.reservataire


def reservataire_letter(data: MinutesData, reservataire: str, options: LetterOptions,
                        address: str = "") -> Letter:
    """Notice to a réservataire of the decisions on the candidates it presented."""
    rows: list[tuple[str, ...]] = []
    for exam in data.dwellings:
        for candidate in exam.candidates:
            if reservataire_of(exam, candidate) != reservataire:
                continue
            d = exam.dwelling
            decision = figures.decision_label(candidate.decision)
            # The commission's internal justification stays in the PV.
            details = [line for line in figures.decision_details(candidate.decision)
                       if not line.startswith("Justification")]
            rows.append((f"{d.reference}\n{d.typology}, {d.commune}",
                         f"{candidate.nur}\n{candidate.name}",
                         "\n".join([decision, *details])))
    values = {**_common_values(data, options), "reservataire": reservataire,
              "nombre_candidats": str(len(rows))}
    return Letter(LetterKind.RESERVATAIRE, data.letterhead, reservataire, address, values,
                  options, tuple(rows))


def session_letters(data: MinutesData, options: LetterOptions,
                    reservataire_addresses: Mapping[str, str] | None = None) -> list[Letter]:
    """Every letter a closed session calls for: one per decided candidate, then one per
    réservataire (the landlord's own contingent excepted)."""
    letters = [candidate_letter(data, c.nur, options)
               for exam in data.dwellings for c in exam.candidates if c.decision is not None]
    names: list[str] = []
    for exam in data.dwellings:
        for candidate in exam.candidates:
            name = reservataire_of(exam, candidate)
            if name and name not in names and not name.startswith(data.letterhead.landlord):
                names.append(name)
    addresses = reservataire_addresses or {}
    letters += [reservataire_letter(data, name, options, addresses.get(name, ""))
                for name in names]
    return letters


# --- rendering -------------------------------------------------------------------------------


def _address_block(letter: Letter) -> Table:
    st = styles()
    head = letter.letterhead
    sender = markup(f"<b>{text(head.landlord)}</b><br/>{text(head.agency)}"
                    + (f"<br/>{text(head.address)}" if head.address else ""), st.body)
    recipient = markup(f"<b>{text(letter.recipient)}</b>"
                       + (f"<br/>{text(letter.recipient_address)}"
                          if letter.recipient_address else ""), st.body)
    table = Table([[sender, recipient]], colWidths=[95 * mm, CONTENT_WIDTH - 95 * mm],
                  hAlign="LEFT")
    table.setStyle(TableStyle([
        ("FONT", (0, 0), (-1, -1), FONT, 9),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("RIGHTPADDING", (0, 0), (-1, -1), 0),
        ("TOPPADDING", (1, 0), (1, 0), 14 * mm),  # window-envelope position
    ]))
    return table


def letter_story(letter: Letter, folders: Sequence[Path] | None = None) -> list[Flowable]:
    st = styles()
    subject, paragraphs = fill_template(load_template(letter.kind, folders), letter.values,
                                        letter.kind.value)
    city = letter.letterhead.city
    dated = (f"{city}, le " if city else "Le ") + format_date(letter.options.issued_on)
    story: list[Flowable] = [PageGroupStart(), _address_block(letter), Spacer(1, 10 * mm),
                             para(dated, st.right), Spacer(1, 4 * mm)]
    if subject:
        story += [markup(f"<b>{text(subject)}</b>", st.body), Spacer(1, 4 * mm)]
    for paragraph in paragraphs:
        if paragraph.strip() == TABLE_MARKER:
            story.append(data_table(("Logement", "Candidat", "Décision"),
                                    letter.table or [("—", "Aucun candidat", "—")],
                                    (40, 55, 79)))
            story.append(Spacer(1, 3 * mm))
        else:
            story.append(para(paragraph, st.letter))
    story += [Spacer(1, 8 * mm), KeepTogether([
        para(letter.options.signatory_title, st.signature),
        para(letter.options.signatory, st.signature),
    ])]
    return story


def render_letters(letters: Sequence[Letter], folders: Sequence[Path] | None = None) -> bytes:
    """One PDF with every letter, each starting on a new page numbered "page 1 / n".

    Raises:
        CaleolError: no letter, or a template is missing or wrong.
    """
    if not letters:
        raise CaleolError("Aucun courrier à produire.")
    story: list[Flowable] = []
    for index, letter in enumerate(letters):
        if index:
            story.append(PageBreak())
        story += letter_story(letter, folders)
    first = letters[0]
    return build_pdf(
        story,
        letterhead=first.letterhead,
        title=f"Courriers — {first.values.get('commission', '')} — "
              f"{first.values.get('date_commission', '')}",
        header_right="",
        footer_left=f"{first.letterhead.landlord} — {first.letterhead.agency}",
    ).data


def render_letter(letter: Letter, folders: Sequence[Path] | None = None) -> bytes:
    return render_letters([letter], folders)
