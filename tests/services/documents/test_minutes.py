"""The PV read back from the PDF: every NUR, decision, signature block, in the margins."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest
from pdf_probe import pages_text, text_of, words_of
from pypdf import PdfReader
from reportlab.lib.units import mm

from caleol.fr import format_money
from caleol.rules.nur import format_nur
from caleol.services.documents import figures
from caleol.services.documents.data import (
    Attendance,
    Candidate,
    CandidateRule,
    Decision,
    DecisionKind,
    DwellingExamination,
    Member,
    OriginalReference,
    Quorum,
    SessionKind,
    SignatureMode,
    SigningPlan,
    Votes,
)
from caleol.services.documents.layout import (
    MARGIN_BOTTOM,
    MARGIN_LEFT,
    MARGIN_RIGHT,
    MARGIN_TOP,
    PAGE_HEIGHT,
    PAGE_WIDTH,
)
from caleol.services.documents.minutes import render_minutes, render_minutes_pdf
from caleol.services.documents.samples import sample_minutes_data
from caleol.services.documents.signatories import SECRETARY_TITLE

TOLERANCE = 1.0  # points: pdftotext boxes are computed from font metrics


SEAL = SigningPlan(SignatureMode.SEAL, organisation="Vivest")


@pytest.fixture(scope="module")
def small_pv() -> tuple[bytes, str]:
    """The PV as rendered to be sealed (PDF/A, empty signature fields)."""
    pdf = render_minutes(sample_minutes_data(6, 3), SEAL)
    return pdf, text_of(pdf)


def all_candidates(data):
    return [c for exam in data.dwellings for c in exam.candidates]


def test_every_nur_decision_and_signature_block_is_in_the_text(small_pv) -> None:
    _pdf, content = small_pv
    data = sample_minutes_data(6, 3)
    for candidate in all_candidates(data):
        # spaced as the annual and préfet reports print it, never compact (issue 15)
        assert format_nur(candidate.nur) in content and candidate.nur not in content
        assert figures.decision_label(candidate.decision) in content
        for line in figures.decision_details(candidate.decision):
            assert line.replace("\u00a0", " ") in content
    # Mme Brigitte Kieffer presided, M. Thomas Lefèvre was the secretary
    assert "La présidente de séance" in content and SECRETARY_TITLE in content
    assert data.president in content and data.secretary in content
    assert "Fait à Forbach, le 10 mars 2026." in content


def test_every_decision_kind_of_the_sample_is_printed(small_pv) -> None:
    _pdf, content = small_pv
    for label in ("Attribution par ordre de priorité — rang 1",
                  "Attribution par ordre de priorité — rang 2",
                  "Attribution sous condition suspensive",
                  "Non-attribution", "Rejet pour irrecevabilité"):
        assert label in content
    assert "Condition : Avis d'imposition 2025 (revenus 2024) à fournir, au plus tard le " \
           "24 mars 2026." in content


def test_header_figures_are_french(small_pv) -> None:
    _pdf, content = small_pv
    data = sample_minutes_data(6, 3)
    first = data.dwellings[0].dwelling
    # total = rent + charges + energy, printed like "480,44 €"
    assert first.total_cost == first.rent + first.charges + first.energy
    assert format_money(first.total_cost).replace("\u00a0", " ") in content
    assert "Séance du mardi 10 mars 2026 de 14 h 00 à 16 h 45" in content
    assert "Membres à voix délibérative : 9 ; présents ou représentés : 7 ; " \
           "quorum requis : 5." in content
    assert "représenté par Mme Sylvie Roth" in content
    assert "Le quorum est atteint" in content


def test_three_candidate_exception_and_eol_opinions(small_pv) -> None:
    _pdf, content = small_pv
    assert "Exception à la règle des trois candidats (1 candidat présenté) — motif : " \
           "Ménage reconnu prioritaire DALO." in content
    assert "Règle des trois candidats respectée (3 candidats présentés)." in content
    assert "Avis favorable à une mutation prioritaire vers un T4" in content


def test_pages_are_numbered_x_of_y(small_pv) -> None:
    pdf, _ = small_pv
    pages = pages_text(pdf)
    total = len(pages)
    assert total > 1
    for number, page in enumerate(pages, start=1):
        assert f"page {number} / {total}" in page
        assert page.startswith("Vivest Agence de Forbach")


def test_fonts_are_embedded_dejavu(small_pv) -> None:
    pdf, _ = small_pv
    reader = PdfReader(io.BytesIO(pdf))
    fonts = reader.pages[0]["/Resources"]["/Font"]
    names = set()
    for ref in fonts.values():
        font = ref.get_object()
        descriptor = font["/FontDescriptor"].get_object() if "/FontDescriptor" in font else None
        if descriptor is None:  # Type0 composite fonts keep it on the descendant
            descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
        assert "/FontFile2" in descriptor
        names.add(str(font["/BaseFont"]))
    assert any("DejaVuSans" in n for n in names)


def test_signature_fields_sit_on_the_signature_blocks(small_pv) -> None:
    pdf, _ = small_pv
    reader = PdfReader(io.BytesIO(pdf))
    last = reader.pages[-1]
    widgets = {str(a.get_object()["/T"]): [float(v) for v in a.get_object()["/Rect"]]
               for a in last["/Annots"]}
    assert set(widgets) == {"Président", "Secrétaire"}
    rendered = render_minutes_pdf(sample_minutes_data(6, 3), SEAL)
    for slot in rendered.signature_slots:
        assert slot.page == len(reader.pages) - 1
        assert widgets[slot.field_name] == [float(v) for v in slot.box]
    president, secretary = widgets["Président"], widgets["Secrétaire"]
    assert president[2] < secretary[0]  # side by side, not overlapping
    for x1, y1, x2, y2 in widgets.values():
        assert MARGIN_LEFT <= x1 < x2 <= PAGE_WIDTH - MARGIN_RIGHT
        assert MARGIN_BOTTOM <= y1 < y2 <= PAGE_HEIGHT - MARGIN_TOP
        assert y2 - y1 > 50  # room for a visible stamp


@pytest.mark.slow
def test_sixty_dwellings_stay_inside_the_margins() -> None:
    data = sample_minutes_data(60, 3)
    pdf = render_minutes(data, SEAL)
    pages, words = words_of(pdf)
    assert len(pages) > 20
    header_words = {"Vivest", "Agence", "de", "Forbach", "Procès-verbal", "—", "séance",
                    "du", "10", "mars", "2026"}
    running: dict[int, list[str]] = {}  # page → the words of its « (suite) » heading
    for word in words:
        page = pages[word.page - 1]
        assert page.width == pytest.approx(PAGE_WIDTH, abs=0.01)
        where = f"page {word.page}: {word.text!r} at {word}"
        assert word.x_min >= MARGIN_LEFT - TOLERANCE, where
        assert word.x_max <= page.width - MARGIN_RIGHT + TOLERANCE, where
        if MARGIN_TOP - 6 * mm < word.y_min and word.y_max <= MARGIN_TOP:
            running.setdefault(word.page, []).append(word.text)  # under the header rule
        elif word.y_max <= MARGIN_TOP:  # letterhead band
            assert word.text in header_words, where
        elif word.y_min >= page.height - MARGIN_BOTTOM:  # footer band
            assert word.y_max <= page.height - 5, where
        else:
            assert word.y_min >= MARGIN_TOP - TOLERANCE, where
            assert word.y_max <= page.height - MARGIN_BOTTOM + TOLERANCE, where
    assert running  # 60 dwellings: some continue on the next page
    for heading in running.values():
        assert heading[0] == "Logement" and heading[-1] == "(suite)", heading
    content = " ".join(w.text for w in words).replace("\u00a0", " ")
    flat = text_of(pdf)
    for candidate in all_candidates(data):
        assert format_nur(candidate.nur) in content
        assert figures.decision_label(candidate.decision) in flat
    assert "La présidente de séance" in flat and SECRETARY_TITLE in flat
    assert f"page {len(pages)} / {len(pages)}" in flat


def test_a_long_candidate_table_repeats_its_header_on_each_page() -> None:
    data = sample_minutes_data(1, 3)
    exam = data.dwellings[0]
    many = tuple(replace(exam.candidates[i % 3], nur=f"05725010{i:05d}A5710")
                 for i in range(45))
    data = replace(data, dwellings=(DwellingExamination(exam.dwelling,
                                                        CandidateRule(45, True), many),))
    pdf = render_minutes(data)
    pages = pages_text(pdf)
    spanned = [p for p in pages if "05725010" in p]
    with_candidates_header = [p for p in spanned if "Candidat Ménage Revenu / plafond" in p]
    assert len(with_candidates_header) >= 2
    for page in spanned:  # a continued table always starts with its header
        assert ("Candidat Ménage Revenu / plafond" in page
                or "Candidat Décision Votes" in page)
    content = text_of(pdf)
    for candidate in many:
        assert format_nur(candidate.nur) in content


def test_markup_characters_in_names_print_as_typed() -> None:
    data = sample_minutes_data(1, 3)
    exam = data.dwellings[0]
    odd = replace(exam.candidates[0], name="M. Jean <Bob> DUPONT & fils")
    data = replace(data, dwellings=(replace(exam, candidates=(odd, *exam.candidates[1:])),))
    assert "M. Jean <Bob> DUPONT & fils" in text_of(render_minutes(data))


def test_remote_session_unreached_quorum_missing_checks_and_rectification() -> None:
    data = sample_minutes_data(1, 3)
    exam = data.dwellings[0]
    bare = Candidate(nur="054260100001B5401", name="Mme Inès HADDAD",
                     household="Personne seule (1 pers.)",
                     decision=Decision(DecisionKind.NON_ATTRIBUTION,
                                       reason="Pièces justificatives manquantes.",
                                       votes=Votes(4, 0, 0)))
    data = replace(
        data,
        session=replace(data.session, kind=SessionKind.REMOTE),
        members=(Member("M. A", "Administrateur", True, Attendance.PRESENT),
                 Member("Mme B", "Administratrice", True, Attendance.ABSENT, "M. A")),
        quorum=Quorum(9, 3, 5, False),
        dwellings=(DwellingExamination(exam.dwelling, CandidateRule(2, False),
                                       (exam.candidates[0], bare)),),
        rectifies=OriginalReference(date(2026, 3, 10), date(2026, 3, 11), "ab" * 32),
        occupancy_reviews=(),
    )
    content = text_of(render_minutes(data))
    assert "séance à distance (visioconférence)" in content
    assert "Le quorum n'est pas atteint." in content
    assert "absent, pouvoir à M. A" in content
    assert "Règle des trois candidats non respectée (2 candidats)" in content
    assert "054 26 01 00001 B5401" in content
    assert "? — / —" in content  # no ceiling snapshot: unknown mark, no figures
    assert f"empreinte SHA-256 : {'ab' * 32}" in content
    assert "Aucun dossier d'examen de l'occupation" in content


def test_money_in_cells_uses_french_format() -> None:
    candidate = sample_minutes_data(1, 3).dwellings[0].candidates[0]
    income = Decimal(candidate.checks["ceiling"]["income"])
    cell = figures.income_cell(candidate)
    assert format_money(income, places=0) in cell
    assert figures.money(Decimal("1234.56")) == "1\u00a0234,56\u00a0€"
