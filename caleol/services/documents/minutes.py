"""The procès-verbal (minutes) of a closed session: a draft, or ready to be signed.

Rendered from the frozen snapshot only: what the PV says is what the commission saw.
A draft says « PROJET — non signé » on every page and has no « Fait à » nor
signature fields; a PV to be signed is PDF/A-2b with two empty visible signature
fields (président, secrétaire) and says how it is about to be signed (`SigningPlan`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Spacer

from caleol.fr import format_date
from caleol.rules.nur import format_nur
from caleol.services.collector import collector_held
from caleol.services.documents import figures
from caleol.services.documents.data import (
    DRAFT,
    DRAFT_MARK,
    Candidate,
    DwellingExamination,
    MinutesData,
    OriginalReference,
    SessionInfo,
    SessionKind,
    SigningPlan,
)
from caleol.services.documents.layout import (
    FAIL_COLOUR,
    data_table,
    key_value_table,
    markup,
    para,
    status_mark,
    styles,
    text,
)
from caleol.services.documents.measured import shared_layout
from caleol.services.documents.pages import KeepStart, RenderedPdf, RunningHeading, build_pdf
from caleol.services.documents.signatories import Signatories, role, signature_block
from caleol.services.signing import SignatureSlot, add_signature_fields

CANDIDATE_HEADER = ("Candidat", "Ménage", "Revenu / plafond", "Taux d'effort",
                    "Reste à vivre / jour / UC", "Typologie", "Priorité", "Ancienneté")
CANDIDATE_WIDTHS = (36, 24, 22, 15, 21, 17, 15, 24)
DECISION_HEADER = ("Candidat", "Décision", "Votes", "Motif, condition ou justification")
DECISION_WIDTHS = (38, 46, 30, 60)

# A redactor says, for a candidate, whether their personal data may be printed.
Redactor = Callable[[Candidate], bool]


def render_minutes(data: MinutesData, plan: SigningPlan = DRAFT) -> bytes:
    """The PV as PDF bytes: a draft, or PDF/A with empty "Président" and "Secrétaire"
    signature fields, saying how `plan` is about to sign it."""
    with collector_held():
        rendered = render_minutes_pdf(data, plan)
        return add_signature_fields(rendered.data, rendered.signature_slots)


def render_minutes_pdf(data: MinutesData, plan: SigningPlan = DRAFT) -> RenderedPdf:
    """The PV laid out, and where its signature fields go (no fields added yet)."""
    slots: list[SignatureSlot] = []
    story: list[Flowable] = []
    with shared_layout():  # its thousands of cells repeat headers, labels, « oui »
        story += title_block(data, "Procès-verbal de séance")
        if data.rectifies:
            story.append(rectifies_banner(data.rectifies))
        story += members_section(data, number=1)
        story += dwellings_section(data, number=2)
        story += occupancy_section(data, number=3)
        story += signature_section(data, number=4, slots=slots, plan=plan)
    session = data.session
    return build_pdf(
        story,
        letterhead=data.letterhead,
        title=f"Procès-verbal — {session.commission} — {format_date(session.date)}",
        header_right=f"Procès-verbal — séance du {format_date(session.date)}",
        footer_left=f"{session.commission}"
                    + (f" — séance n° {session.reference}" if session.reference else ""),
        slots=slots,
        watermark=DRAFT_MARK if plan.draft else "",
        pdfa=not plan.draft,
        keywords=data.keywords,
    )


# --- building blocks (shared with the extract and the rectificatif) --------------------


def title_block(data: MinutesData, kind: str) -> list[Flowable]:
    st = styles()
    session = data.session
    subtitle = f"Séance du {figures.long_date(session.date)}{figures.hours(session)}"
    if session.reference:
        subtitle += f" — n° {session.reference}"
    out: list[Flowable] = [
        para(kind, st.title),
        para(session.commission, st.subtitle),
        para(subtitle, st.subtitle),
        para(_place_line(session), st.body),
    ]
    if session.kind is SessionKind.REMOTE:
        out.append(para(
            "Séance tenue à distance comme le permet le règlement intérieur de la "
            "commission : le président a vérifié l'identité des participants et la "
            "confidentialité des échanges, et annoncé l'ouverture et la clôture de la "
            "séance ; chaque membre pouvait demander le renvoi d'un dossier en séance "
            "physique.", st.body))
    return out


def _place_line(session: SessionInfo) -> str:
    """« Lieu : … — séance en présentiel. »; a remote séance may have no place, one in
    person without its place says so (it read « Lieu :  — séance en présentiel »)."""
    place = session.place.strip()
    if place:
        return f"Lieu : {place} — séance {session.kind.label}."
    if session.kind is SessionKind.REMOTE:
        return f"Séance {session.kind.label}."
    return f"Lieu : non précisé — séance {session.kind.label}."


def rectifies_banner(original: OriginalReference) -> Flowable:
    st = styles()
    return markup(
        f"<b>Document rectificatif.</b> Le présent procès-verbal rectifie le procès-verbal "
        f"de la séance du {text(format_date(original.session_date))}, signé le "
        f"{text(format_date(original.signed_on))} (empreinte SHA-256 : "
        f"{text(original.sha256)}), qui reste conservé sans modification.", st.body)


def members_section(data: MinutesData, number: int) -> list[Flowable]:
    st = styles()
    rows = [
        [m.name, m.capacity, "délibérative" if m.deliberative else "consultative",
         figures.attendance_label(m)]
        for m in data.members
    ]
    q = data.quorum
    verdict = ("Le quorum est atteint : la commission peut valablement délibérer."
               if q.reached else
               f'<font color="{FAIL_COLOUR.hexval()}"><b>Le quorum n\'est pas atteint.</b></font>')
    return [
        para(f"{number}. Composition de la commission et quorum", st.h1),
        data_table(("Membre", "Qualité", "Voix", "Présence"), rows, (46, 70, 24, 34)),
        Spacer(1, 2 * mm),
        markup(
            f"Membres à voix délibérative : {q.deliberative_members} ; présents ou "
            f"représentés : {q.present_or_represented} ; quorum requis : {q.required}. "
            f"{verdict}", st.body),
        markup(f"{role(data.president, 'Président')} de séance : "
               f"<b>{text(data.president)}</b> ; secrétaire de séance : "
               f"<b>{text(data.secretary)}</b>.", st.body),
    ]


def dwellings_section(data: MinutesData, number: int,
                      visible: Redactor | None = None) -> list[Flowable]:
    st = styles()
    out: list[Flowable] = [
        para(f"{number}. Logements examinés et décisions", st.h1),
        markup(
            f"{len(data.dwellings)} logement{'s' if len(data.dwellings) > 1 else ''} "
            f"examiné{'s' if len(data.dwellings) > 1 else ''}. Contrôles : "
            f"{status_mark('pass')} conforme, {status_mark('fail')} non conforme, "
            f"{status_mark('unknown')} indéterminé (donnée manquante). Les chiffres sont "
            "ceux de l'instantané des contrôles figé à la clôture de la séance.",
            st.small),
    ]
    total = len(data.dwellings)
    for index, exam in enumerate(data.dwellings, start=1):
        out += dwelling_block(exam, index, total, visible)
    return out


def dwelling_block(exam: DwellingExamination, index: int, total: int,
                   visible: Redactor | None = None) -> list[Flowable]:
    """One dwelling: characteristics, three-candidate rule, candidates, decisions.

    With a `visible` redactor, candidates it refuses are printed as blacked-out rows
    whose personal data is not in the PDF at all.
    """
    st = styles()
    dwelling = exam.dwelling
    title = (f"Logement {index} / {total} — {dwelling.reference} — "
             f"{figures.typology(dwelling)} — {dwelling.commune}")
    heading = para(title, st.h2)
    rule_text, in_order = figures.candidate_rule_text(exam.candidate_rule)
    rule_markup = text(rule_text)
    if not in_order:
        rule_markup = f'<font color="{FAIL_COLOUR.hexval()}"><b>{rule_markup}</b></font>'
    show = visible or (lambda _c: True)
    candidate_rows: list[Sequence[Flowable | str]] = []
    detail_rows: list[int] = []
    for c in exam.candidates:
        if not show(c):
            candidate_rows.append(redacted_row(len(CANDIDATE_HEADER)))
            continue
        candidate_rows.append(candidate_row(c))
        if c.priority:
            # Priority grounds are long legal labels: a full-width line under the row.
            detail_rows.append(len(candidate_rows))
            candidate_rows.append([markup(f"<b>Priorité</b> : {text(c.priority)}", st.cell)]
                                  + [""] * (len(CANDIDATE_HEADER) - 1))
    decision_rows = [
        decision_row(c) if show(c) else redacted_row(len(DECISION_HEADER))
        for c in exam.candidates
    ]
    # The dwelling's description starts on the page of its candidates' table, with its
    # first rows at least; a table that continues repeats its header, and every page
    # the dwelling continues on repeats its heading « (suite) ».
    description = [heading, key_value_table(figures.dwelling_pairs(dwelling)),
                   Spacer(1, 1.5 * mm), markup(rule_markup, st.small)]
    candidates = _table_or_note(CANDIDATE_HEADER, candidate_rows, CANDIDATE_WIDTHS,
                                "Aucun candidat présenté.", detail_rows)
    return [
        KeepStart(description, candidates),
        description[0], RunningHeading(title), *description[1:], candidates,
        Spacer(1, 2 * mm),
        KeepTogether([_table_or_note(DECISION_HEADER, decision_rows, DECISION_WIDTHS,
                                     "Aucune décision."),
                      Spacer(1, 3 * mm)]),
        RunningHeading(""),
    ]


def _table_or_note(header: Sequence[str], rows: Sequence[Sequence[Flowable | str]],
                   widths: Sequence[float], empty: str,
                   detail_rows: Sequence[int] = ()) -> Flowable:
    if not rows:
        return para(empty, styles().small)
    return data_table(header, rows, widths, detail_rows=detail_rows)


def candidate_cell(candidate: Candidate) -> Flowable:
    st = styles()
    return markup(f"<b>{text(format_nur(candidate.nur))}</b><br/>{text(candidate.name)}", st.cell)


def candidate_row(candidate: Candidate) -> list[Flowable]:
    st = styles()
    return [
        candidate_cell(candidate),
        para(candidate.household, st.cell),
        markup(figures.income_cell(candidate), st.cell),
        markup(figures.effort_cell(candidate), st.cell),
        markup(figures.remaining_cell(candidate), st.cell),
        markup(figures.typology_cell(candidate), st.cell),
        markup(figures.priority_flag(candidate), st.cell),
        markup(figures.waiting_cell(candidate), st.cell),
    ]


def decision_row(candidate: Candidate) -> list[Flowable]:
    st = styles()
    decision = candidate.decision
    return [
        candidate_cell(candidate),
        markup(f"<b>{text(figures.decision_label(decision))}</b>", st.cell),
        para(figures.votes_label(decision), st.cell),
        para("\n".join(figures.decision_details(decision)) or "—", st.cell),
    ]


class BlackBar(Flowable):
    """A solid black bar standing for redacted data: no text is drawn under it."""

    def __init__(self, height: float = 8) -> None:
        super().__init__()
        self.bar_height = height

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.width = avail_width
        return avail_width, self.bar_height

    def draw(self) -> None:
        self.canv.saveState()
        self.canv.setFillColorRGB(0, 0, 0)
        self.canv.rect(0, 0, self.width, self.bar_height, stroke=0, fill=1)
        self.canv.restoreState()


def redacted_row(columns: int) -> list[Flowable]:
    return [BlackBar() for _ in range(columns)]


def occupancy_section(data: MinutesData, number: int) -> list[Flowable]:
    st = styles()
    out: list[Flowable] = [para(f"{number}. Examen de l'occupation des logements", st.h1)]
    if not data.occupancy_reviews:
        out.append(para("Aucun dossier d'examen de l'occupation n'a été présenté.", st.body))
        return out
    rows = []
    for review in data.occupancy_reviews:
        opinion = f"<b>{text(review.opinion)}</b>"
        if review.comment:
            opinion += f"<br/>{text(review.comment)}"
        rows.append([para(review.tenant, st.cell), para(review.dwelling, st.cell),
                     para(review.situation, st.cell), markup(opinion, st.cell)])
    out.append(data_table(("Locataire", "Logement", "Situation examinée",
                           "Avis de la commission"), rows, (30, 44, 44, 56)))
    return out


def signature_section(data: MinutesData, number: int, slots: list[SignatureSlot],
                      plan: SigningPlan = DRAFT, intro: str = "",
                      dated: date | None = None) -> list[Flowable]:
    """« Fait à », how the document is signed, and the two signature boxes.

    A draft has neither « Fait à » nor fields (its boxes are drawn, empty, to show
    where the signatures will go). The PV is dated the séance day (`dated`: the day
    an extract is made); the signatures carry their own dates.
    """
    return signature_block(
        Signatories(data.letterhead.city or data.session.place, data.president,
                    data.secretary, data.certifications),
        number, slots, plan, intro=intro, dated=dated or data.session.date)
