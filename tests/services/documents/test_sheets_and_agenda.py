"""Fiches candidats (one per candidate, checks explained) and the ordre du jour."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest
from pdf_probe import pages_text, text_of

from caleol.errors import CaleolError
from caleol.fr import format_money
from caleol.rules.nur import format_nur
from caleol.services.documents.agenda import render_agenda
from caleol.services.documents.samples import sample_minutes_data
from caleol.services.documents.sheets import render_candidate_sheets


@pytest.fixture(scope="module")
def data():
    return sample_minutes_data(3, 3)


def test_one_sheet_per_candidate_with_checks_and_history(data) -> None:
    candidates = [c for e in data.dwellings for c in e.candidates]
    pages = pages_text(render_candidate_sheets(data))
    assert len(pages) == len(candidates)
    for page, candidate in zip(pages, candidates, strict=True):
        assert format_nur(candidate.nur) in page and candidate.name in page
        assert "page 1 / 1" in page
        for check in candidate.checks.values():
            assert check["explanation"].replace("\u00a0", " ") in page
        for offer in candidate.previous_offers:
            assert offer.outcome in page
        if not candidate.previous_offers:
            assert "Aucune proposition antérieure enregistrée." in page
        assert "Document confidentiel" in page
        # the sheet prepares the debate: no decision on it
        assert "Attribution par ordre" not in page and "Non-attribution" not in page


def test_sheets_for_chosen_candidates_and_missing_checks(data) -> None:
    first = data.dwellings[0].candidates[0]
    bare = replace(first, checks={}, previous_offers=(), monthly_resources=None)
    changed = replace(data, dwellings=(replace(data.dwellings[0], candidates=(bare,)),))
    content = text_of(render_candidate_sheets(changed, [first.nur]))
    assert content.count("Contrôle non effectué.") == 4
    assert "non évalué" in content
    with pytest.raises(CaleolError, match="absentes"):
        render_candidate_sheets(data, ["inconnu"])
    with pytest.raises(CaleolError, match="Aucun candidat"):
        render_candidate_sheets(replace(data, dwellings=()))


def test_agenda_lists_cases_without_financial_figures(data) -> None:
    content = text_of(render_agenda(data, convened_on=date(2026, 3, 2)))
    assert "Ordre du jour et convocation" in content
    assert "séance du mardi 10 mars 2026 à 14 h 00" in content
    assert "Convocation adressée le 2 mars 2026." in content
    for member in data.members:
        assert member.name in content
    for exam in data.dwellings:
        assert exam.dwelling.reference in content
        for candidate in exam.candidates:
            assert format_nur(candidate.nur) in content
            income = format_money(Decimal(candidate.checks["ceiling"]["income"]), places=0)
            assert income.replace("\u00a0", " ") not in content
    assert "Revenu" not in content and "Taux d'effort" not in content
    assert "Examen de l'occupation des logements" in content
    assert "Questions diverses" in content


def test_a_long_agenda_table_continues_under_its_heading() -> None:
    data = sample_minutes_data(1, 3)
    exam = data.dwellings[0]
    many = tuple(replace(exam.candidates[i % 3], nur=f"05725010{i:05d}A5710")
                 for i in range(45))
    data = replace(data, dwellings=(replace(exam, candidates=many),))
    pages = pages_text(render_agenda(data))
    assert "1 logement à attribuer." in pages[0]  # the count is known: no « (s) »
    heading = (f"Logement 1 / 1 — {exam.dwelling.reference} — {exam.dwelling.typology}")
    start = next(i for i, p in enumerate(pages) if heading in p)
    assert "(suite)" not in pages[start]  # where the dwelling starts, its own heading
    continued = [p for p in pages[start + 1:] if "05725010" in p]
    assert continued
    for page in continued:
        assert heading in page and "(suite)" in page


def test_the_last_heading_of_the_agenda_is_never_alone_at_a_page_foot() -> None:
    # Seen in the audit (3 dwellings of 3 candidates, 7 members): « 3. Questions
    # diverses » at the foot of page 1, the text under it alone on page 2. Every length
    # of agenda from 1 to 24 candidates puts that heading at a different height.
    data = replace(sample_minutes_data(1, 3), occupancy_reviews=())  # « Aucun dossier. »
    exam = data.dwellings[0]
    for count in range(1, 25):  # 9 candidates put it there before the fix
        many = tuple(replace(exam.candidates[i % 3], nur=f"05725010{i:05d}A5710")
                     for i in range(count))
        pages = pages_text(render_agenda(replace(data, dwellings=(
            replace(exam, candidates=many),))))
        page = next(p for p in pages if "3. Questions diverses" in p)
        assert "Document confidentiel réservé aux membres" in page, count


def test_a_seance_without_its_place_says_so(data) -> None:
    # Seen on a new base: a séance created with « Lieu » left empty printed « convoqués à
    # la séance du jeudi 3 décembre 2026 à 9 h 30, (séance en présentiel) » and the PV
    # « Lieu :  — séance en présentiel ».
    from caleol.services.documents.minutes import render_minutes

    nowhere = replace(data, session=replace(data.session, place=" "))
    agenda = " ".join(text_of(render_agenda(nowhere)).split())
    assert "à 14 h 00, lieu à préciser (séance en présentiel)." in agenda
    minutes = " ".join(text_of(render_minutes(nowhere)).split())
    assert "Lieu : non précisé — séance en présentiel." in minutes


def test_resources_of_an_unknown_nature_agree_with_nature(data) -> None:
    # « Nature : non précisé »: the word agrees with « nature »
    exam = data.dwellings[0]
    unknown = replace(exam.candidates[0], resources_stable=None)
    changed = replace(data, dwellings=(replace(exam, candidates=(unknown,)),))
    page = " ".join(pages_text(render_candidate_sheets(changed))[0].split())
    assert "Nature non précisée" in page


def test_a_seance_at_a_distance_needs_no_place(data) -> None:
    # a séance at a distance may have no place: its form says it all
    from caleol.services.documents.data import SessionKind
    from caleol.services.documents.minutes import render_minutes

    remote = replace(data, session=replace(data.session, place="",
                                           kind=SessionKind.REMOTE))
    agenda = " ".join(text_of(render_agenda(remote)).split())
    assert "à 14 h 00 (séance à distance (visioconférence))." in agenda
    minutes = " ".join(text_of(render_minutes(remote)).split())
    assert "Séance à distance (visioconférence)." in minutes and "Lieu :" not in minutes
