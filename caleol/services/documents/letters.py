"""Letters to candidates and réservataires, from editable text templates.

The law requires every refusal to be notified in writing with its reason, and an
offer to state the dwelling, its cost, the delay to answer and what a refusal
entails (R441-2-17 CCH). Which letter a candidate gets follows the facts after the
séance (`letter_choice`). Each letter names who follows the case and how to reach
the agency (a phone or e-mail not recorded is simply not printed). The wording lives
in `resources/templates/*.txt` (see its LISEZMOI.md) so an agency can adapt it
without code; a copy in the user's `modeles` folder takes precedence.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, PageBreak, Spacer, Table, TableStyle

from caleol.errors import CaleolError
from caleol.fr import NBSP, addressed, format_date, salutation
from caleol.rules.calendar import working_day_on_or_after
from caleol.rules.nur import format_nur
from caleol.services.documents import figures
from caleol.services.documents.data import (
    Candidate,
    DecisionKind,
    DwellingExamination,
    Letterhead,
    MinutesData,
)
from caleol.services.documents.fonts import FONT
from caleol.services.documents.layout import CONTENT_WIDTH, data_table, markup, para, styles, text
from caleol.services.documents.letter_choice import CONDITION_MET, choose, withdrawal
from caleol.services.documents.letter_templates import (
    TABLE_MARKER,
    LetterKind,
    fill_template,
    load_template,
)
from caleol.services.documents.pages import PageGroupStart, build_pdf


@dataclass(frozen=True)
class LetterOptions:
    issued_on: date
    signatory: str  # who signs the letters
    signatory_title: str = "Le secrétaire de la commission d'attribution"
    answer_days: int = 10  # setting "offer_answer_days"


@dataclass(frozen=True)
class Addressee:
    """A réservataire's postal address and contact, from its record."""

    address: str = ""  # one line per "\n"
    contact: str = ""  # « À l'attention de … »


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


def recipient(candidate: Candidate) -> str:
    """`Madame Élodie MARTIN` (civility written out, first names, surname); without a
    civility recorded, the name alone (never guessed from a first name)."""
    return addressed(candidate.civility, candidate.addressee or candidate.name)


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
        # « T3 de 65 m² », or « T3 » when the surface is not known
        "logement_description": d.typology + (f" de {figures.surface(d.surface_m2)}"
                                              if d.surface_m2 else ""),
        # for templates written before $logement_description
        "logement_surface": figures.surface(d.surface_m2) or "surface non précisée",
        "logement_etage": d.floor or "étage non précisé",
        "logement_financement": d.financing,
        "logement_disponible": format_date(d.available_on) if d.available_on
        else "dès que possible",
        # « disponible le dès que possible » was printed with the field above
        "logement_disponibilite": f"disponible le {format_date(d.available_on)}"
        if d.available_on else "disponible dès que possible",
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


def _condition_paragraph(candidate: Candidate, on: date) -> str:
    decision = candidate.decision
    if decision is None or decision.kind is not DecisionKind.ATTRIBUTION_SOUS_CONDITION:
        return ""
    condition = (decision.condition or "pièce manquante").rstrip(" .")
    # « Avis d'imposition à fournir » is not followed by a second « à fournir »
    condition = re.sub(r",?\s*à fournir$", "", condition, flags=re.IGNORECASE) or condition
    met = candidate.event(CONDITION_MET)
    if met is not None:
        return (f"Cette attribution était prononcée sous condition suspensive ({condition}) ; "
                f"la condition a été levée le {format_date(met.date)}.\n\n")
    deadline = (f" au plus tard le {format_date(decision.deadline)}"
                if decision.deadline and decision.deadline >= on else "")
    return (f"Cette attribution est prononcée sous condition suspensive : {condition}, à "
            f"fournir{deadline}. À défaut, la décision d'attribution deviendra caduque.\n\n")


def _dalo_paragraph(candidate: Candidate) -> str:
    if not candidate.dalo:
        return ""
    return ("Ce logement vous est proposé au titre du droit au logement opposable (DALO). "
            "Le refus d'une offre adaptée à vos besoins et à vos capacités peut vous faire "
            "perdre le bénéfice de la décision de la commission de médiation.\n\n")


def candidate_letter(data: MinutesData, nur: str, options: LetterOptions, *,
                     after_refusal: bool = False) -> Letter:
    """The letter telling a candidate where they stand, on `options.issued_on`.

    With `after_refusal`, it must be the offer made to the candidate now holding the
    dwelling because the one ranked before refused it (or let a condition lapse).

    Raises:
        CaleolError: unknown NUR, or no letter is due to this candidate (French reason:
            no decision, lease signed, refused, lapsed…), or, with `after_refusal`, the
            dwelling is not theirs after a refusal.
    """
    try:
        exam, candidate = data.find_candidate(nur)
    except KeyError:
        raise CaleolError(f"Aucun candidat de la séance n'a le numéro {nur}.") from None
    choice = choose(exam, candidate, options.issued_on)
    if choice.kind is None:
        raise CaleolError(f"Pas de courrier pour la demande {format_nur(nur)} : {choice.withheld}.")
    if after_refusal and choice.kind is not LetterKind.OFFER_AFTER_REFUSAL:
        holder = format_nur(exam.offer_holder)
        raise CaleolError(
            f"La demande {format_nur(nur)} n'est pas celle à qui le logement "
            f"{exam.dwelling.reference} "
            "revient après un refus" + (f" : il est proposé à la demande {holder}." if holder
                                        else " : il n'est plus proposé à personne."))
    decision = candidate.decision
    assert decision is not None
    values = {
        **_common_values(data, options),
        **_dwelling_values(exam),
        "civilite": salutation(candidate.civility),
        "destinataire": recipient(candidate),
        "nur": format_nur(candidate.nur),
        "decision": _decision_phrase(candidate),
        "rang_numero": str(decision.rank) if decision.rank is not None else "",
        "condition": _condition_paragraph(candidate, options.issued_on),
        "dalo": _dalo_paragraph(candidate),
        "motif": decision.reason or "motif non précisé",
        "pour_motif": ("pour les motifs suivants" if decision.reason_count > 1
                       else "pour le motif suivant"),
        "delai_jours": str(options.answer_days),
        # the household's time to answer (délai de réflexion) never ends on a
        # Saturday, a Sunday or a public holiday: « au plus tard le 13 décembre » was a
        # Sunday
        "date_limite": format_date(working_day_on_or_after(
            options.issued_on + timedelta(days=options.answer_days))),
        "cotation": candidate.cotation or "non communiquée",
        "desistement": withdrawal(exam, candidate),
        # no « était de non communiquée »: the sentence only when the score is known
        "cotation_paragraphe": ("Pour information, la cotation de votre demande à la date "
                                f"de la commission était de {candidate.cotation}.\n\n"
                                if candidate.cotation else ""),
    }
    return Letter(choice.kind, data.letterhead, recipient(candidate),
                  candidate.postal_address, values, options)


def reservataire_letter(data: MinutesData, reservataire: str, options: LetterOptions,
                        addressee: Addressee | None = None) -> Letter:
    """Notice to a réservataire of the decisions on the candidates it presented (and
    on those only: the others' decisions are no business of it)."""
    rows: list[tuple[str, ...]] = []
    for exam in data.dwellings:
        for candidate in exam.candidates:
            if candidate.presented_by != reservataire:
                continue
            d = exam.dwelling
            decision = figures.decision_label(candidate.decision)
            # The commission's internal justification stays in the PV.
            details = [line for line in figures.decision_details(candidate.decision)
                       if not line.startswith("Justification")]
            rows.append((f"{d.reference}\n{d.typology}, {d.commune}",
                         f"{format_nur(candidate.nur)}\n{candidate.name}",
                         "\n".join([decision, *details])))
    count = len(rows)
    addressee = addressee or Addressee()
    address = "\n".join(part for part in (addressee.contact and
                                           f"À l'attention de {addressee.contact}",
                                           addressee.address) if part)
    values = {**_common_values(data, options), "reservataire": reservataire,
              "nombre_candidats": str(count),
              "candidats_presentes": ("le candidat que vous avez présenté" if count == 1
                                      else f"les {count} candidats que vous avez présentés")}
    return Letter(LetterKind.RESERVATAIRE, data.letterhead, reservataire, address, values,
                  options, tuple(rows))


@dataclass(frozen=True)
class LetterSet:
    """The letters of a séance on a day, and the candidates who get none, with why."""

    letters: tuple[Letter, ...]
    withheld: tuple[str, ...]  # « Demande 057… (NOM Prénom) : son bail est signé… »


def session_letter_set(data: MinutesData, options: LetterOptions,
                       addressees: Mapping[str, Addressee] | None = None) -> LetterSet:
    """Every letter the séance calls for on `options.issued_on`: one per candidate
    whose state calls for one, then one per réservataire that presented candidates
    (the landlord's own contingent excepted)."""
    letters: list[Letter] = []
    withheld: list[str] = []
    for exam in data.dwellings:
        for candidate in exam.candidates:
            choice = choose(exam, candidate, options.issued_on)
            if choice.kind is None:
                if candidate.decision is not None:
                    withheld.append(f"Demande {format_nur(candidate.nur)} ({candidate.name}) : "
                                    f"{choice.withheld}.")
                continue
            letters.append(candidate_letter(data, candidate.nur, options))
    names: list[str] = []
    for exam in data.dwellings:
        for candidate in exam.candidates:
            name = candidate.presented_by
            if name and name not in names and not name.startswith(data.letterhead.landlord):
                names.append(name)
    found = addressees or {}
    letters += [reservataire_letter(data, name, options, found.get(name)) for name in names]
    return LetterSet(tuple(letters), tuple(withheld))


def session_letters(data: MinutesData, options: LetterOptions,
                    addressees: Mapping[str, Addressee] | None = None) -> list[Letter]:
    """The letters of `session_letter_set`."""
    return list(session_letter_set(data, options, addressees).letters)


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


def contact_line(letter: Letter) -> str:
    """`Affaire suivie par … — tél. … — courriel …` (what is not recorded is left out)."""
    head = letter.letterhead
    signatory = letter.options.signatory
    parts = [f"Affaire suivie par {signatory}" if signatory and signatory != head.agency
             else f"Votre contact : {head.agency}"]
    if head.phone:  # a number never splits across lines
        parts.append(f"tél. {head.phone.replace(' ', NBSP)}")
    if head.email:
        parts.append(f"courriel{NBSP}{head.email}")
    return " — ".join(parts)


def letter_story(letter: Letter, folders: Sequence[Path] | None = None) -> list[Flowable]:
    st = styles()
    subject, paragraphs = fill_template(load_template(letter.kind, folders), letter.values,
                                        letter.kind.value)
    city = letter.letterhead.city
    dated = (f"{city}, le " if city else "Le ") + format_date(letter.options.issued_on)
    story: list[Flowable] = [PageGroupStart(), _address_block(letter), Spacer(1, 10 * mm),
                             para(dated, st.right), para(contact_line(letter), st.small),
                             Spacer(1, 4 * mm)]
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
        footer_left=letterhead_footer(first.letterhead),
    ).data


def letterhead_footer(head: Letterhead) -> str:
    """`Vivest — siège : 1 rue …, 57000 Metz` (the agency when no head office is recorded)."""
    if head.landlord_address:
        return f"{head.landlord} — siège : {', '.join(head.landlord_address.splitlines())}"
    return f"{head.landlord} — {head.agency}"


def render_letter(letter: Letter, folders: Sequence[Path] | None = None) -> bytes:
    return render_letters([letter], folders)
