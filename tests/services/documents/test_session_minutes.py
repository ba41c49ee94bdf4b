"""Minutes of a séance closed through the session services: produced, signed, stored."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import pytest
from pdf_probe import text_of
from sqlalchemy import Engine

from caleol.errors import CaleolError
from caleol.rules.nur import format_nur
from caleol.services import sessions
from caleol.services.documents.session_minutes import (
    SigningKey,
    find_signed_document,
    load_minutes_data,
    produce_agenda,
    produce_candidate_sheets,
    produce_extract,
    produce_letters,
    produce_minutes,
    produce_offer_after_refusal,
    produce_rectificatif,
    verify_with_database,
)
from caleol.services.signing import create_demo_certificate, sha256_hex, verify_pdf
from caleol.settings import Settings

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the session factories
from sessions_factory import CLOSING, Sitting, held

PASS = b"phrase"


@pytest.fixture(scope="module")
def key(tmp_path_factory: pytest.TempPathFactory) -> tuple[SigningKey, Path]:
    p12 = tmp_path_factory.mktemp("cert") / "demo.p12"
    pem = create_demo_certificate(p12, PASS)
    return SigningKey(p12, PASS), pem


def closed(engine: Engine) -> Sitting:
    sitting = held(engine)
    first, second, third = sitting.candidacies
    sessions.record_decision(engine, first, "attribution_rang", rank=1,
                             votes=(5, 0, 0))
    sessions.record_decision(engine, second, "attribution_rang", rank=2, unanimous=True)
    reason = sitting.world.reasons["mieux_classe"]
    sessions.record_decision(engine, third, "non_attribution", reason_id=reason,
                             reason_text="rang 3 non retenu", unanimous=True)
    sessions.record_occupation_review(engine, sitting.session_id, "sous_occupation",
                                      opinion="Avis favorable à une mutation",
                                      tenant_name="M. et Mme Haag")
    sessions.close_session(engine, sitting.session_id, **CLOSING)
    return sitting


def test_minutes_data_reads_the_frozen_snapshot(engine: Engine) -> None:
    sitting = closed(engine)
    data = load_minutes_data(engine, sitting.session_id)
    detail = sessions.session_detail(engine, sitting.session_id)
    assert data.session.commission == "CALEOL Metz"
    assert data.president == "Administrateur 1"
    assert data.quorum.reached and data.quorum.present_or_represented == 5
    (exam,) = data.dwellings
    item = detail.agenda[0]
    assert exam.dwelling.reference == item.reference
    # snapshot: 450 € rent + 80 € charges + 60 € energy = 590 €, 6 540 dm² = 65,4 m²
    assert exam.dwelling.total_cost == 590
    assert str(exam.dwelling.surface_m2) == "65.4"
    assert exam.candidate_rule.satisfied and exam.candidate_rule.candidate_count == 3
    assert [c.nur for c in exam.candidates] == [c.nur for c in item.candidacies]
    first, _, third = exam.candidates
    assert first.decision.votes.label == "pour 5 · contre 0 · abst. 0"
    assert third.decision.reason == "Un candidat mieux classé a été retenu ; rang 3 non retenu"
    assert first.checks["ceiling"]["status"] == "pass"
    assert data.occupancy_reviews[0].situation == "Sous-occupation"


def test_closed_session_minutes_signed_stored_and_reexported(engine: Engine, key) -> None:
    sitting = closed(engine)
    draft = produce_minutes(engine, sitting.session_id)
    assert not draft.signed and draft.stored is None
    content = text_of(draft.pdf)
    for candidacy in sessions.session_detail(engine, sitting.session_id).agenda[0].candidacies:
        assert format_nur(candidacy.nur) in content
    assert "Attribution par ordre de priorité — rang 2" in content
    assert "Le président de séance" in content
    assert sessions.session_detail(engine, sitting.session_id).status == "closed"

    signing_key, pem = key
    signed = produce_minutes(engine, sitting.session_id, key=signing_key)
    assert signed.signed and signed.stored is not None
    assert signed.sha256 == sha256_hex(signed.pdf) == signed.stored.sha256
    assert sessions.session_detail(engine, sitting.session_id).status == "signed"
    assert verify_pdf(signed.pdf, [pem]).ok

    again = produce_minutes(engine, sitting.session_id)
    assert again.reexported and again.pdf == signed.pdf
    with pytest.raises(CaleolError, match="déjà signé"):
        produce_minutes(engine, sitting.session_id, key=signing_key)

    report = verify_with_database(engine, signed.pdf, [pem])
    assert report.ok, report.text()
    assert "Document enregistré : procès-verbal de la séance" in report.text()
    stranger = verify_with_database(engine, draft.pdf, [pem])
    assert not stranger.ok
    assert "Aucun document signé enregistré" in stranger.text()
    assert find_signed_document(engine, signed.sha256).session_id == sitting.session_id


def test_minutes_need_a_closed_session(engine: Engine) -> None:
    sitting = held(engine)
    with pytest.raises(CaleolError, match="n'est pas close"):
        produce_minutes(engine, sitting.session_id)


def test_extract_and_rectificatif_after_signature(engine: Engine, key) -> None:
    sitting = closed(engine)
    signing_key, pem = key
    with pytest.raises(CaleolError, match="pas encore signé"):
        produce_extract(engine, sitting.session_id, "x")
    pv = produce_minutes(engine, sitting.session_id, key=signing_key)
    data = load_minutes_data(engine, sitting.session_id)
    me, *others = data.dwellings[0].candidates
    extract = produce_extract(engine, sitting.session_id, me.nur, key=signing_key)
    assert extract.stored is not None and extract.stored.kind == "extrait"
    content = text_of(extract.pdf)
    assert format_nur(me.nur) in content
    assert all(format_nur(o.nur) not in content for o in others)
    assert verify_with_database(engine, extract.pdf, [pem]).ok

    with pytest.raises(CaleolError, match="Aucune rectification"):
        produce_rectificatif(engine, sitting.session_id)
    sessions.add_rectification(engine, sitting.session_id,
                               "Le rang 2 est attribué à la demande suivante.",
                               author="M. Lefèvre")
    rect = produce_rectificatif(engine, sitting.session_id, key=signing_key)
    assert rect.stored is not None and rect.stored.kind == "rectificatif"
    content = text_of(rect.pdf)
    assert pv.sha256 in content
    assert "Le rang 2 est attribué à la demande suivante." in content
    assert verify_pdf(rect.pdf, [pem]).ok
    # the signed PV itself is untouched
    assert produce_minutes(engine, sitting.session_id).pdf == pv.pdf


def test_agenda_sheets_and_letters_from_the_database(engine: Engine) -> None:
    sitting = held(engine)
    nurs = [c.nur for c in sessions.session_detail(engine, sitting.session_id)
            .agenda[0].candidacies]
    agenda = text_of(produce_agenda(engine, sitting.session_id))
    sheets = text_of(produce_candidate_sheets(engine, sitting.session_id, nurs=nurs[:1]))
    assert all(format_nur(nur) in agenda for nur in nurs)
    assert format_nur(nurs[0]) in sheets and format_nur(nurs[1]) not in sheets
    with pytest.raises(CaleolError, match="n'est pas close"):
        produce_letters(engine, sitting.session_id)
    first, second, third = sitting.candidacies
    sessions.record_decision(engine, first, "attribution_rang", rank=1, unanimous=True)
    sessions.record_decision(engine, second, "attribution_rang", rank=2, unanimous=True)
    sessions.record_decision(engine, third, "non_attribution",
                             reason_id=sitting.world.reasons["mieux_classe"], unanimous=True)
    sessions.close_session(engine, sitting.session_id, **CLOSING)
    letters = text_of(produce_letters(engine, sitting.session_id, today=date(2026, 3, 11),
                                      settings=Settings(offer_answer_days=8)))
    assert "proposition d'attribution d'un logement — demande n° " + format_nur(nurs[0]) in letters
    assert "au plus tard le 19 mars 2026 (8 jours)" in letters  # 11 March + 8 days
    assert "votre candidature est classée au rang 2" in letters
    assert "Un candidat mieux classé a été retenu" in letters
    sessions.record_refusal(engine, first, date(2026, 3, 12), "Trop loin du travail")
    offer = text_of(produce_offer_after_refusal(
        engine, sitting.session_id, nurs[1], today=date(2026, 3, 13),
        settings=Settings(offer_answer_days=8)))
    assert "proposition de logement après désistement — demande n° " + format_nur(nurs[1]) in offer
    # 13 March + 8 days = Saturday 21 March: Monday 23 March
    assert "au plus tard le 23 mars 2026 (8 jours)" in offer
    assert nurs[0] not in offer  # the letter of one candidate only
