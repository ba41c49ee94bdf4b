"""`caleol letters` and the offer after a refusal, from a séance held and followed up
through the services: each letter from the candidacy's state on its date."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import pytest
from pdf_probe import pages_text, text_of
from sqlalchemy import Engine
from sqlmodel import select

from caleol.db.engine import session_scope
from caleol.db.models import Agency, Commission, Landlord, Reservataire
from caleol.errors import CaleolError
from caleol.rules.nur import format_nur
from caleol.services import sessions
from caleol.services.documents.session_minutes import (
    produce_letter_set,
    produce_offer_after_refusal,
)

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the session factories
from sessions_factory import (
    CLOSING,
    SESSION_DATE,
    Sitting,
    add_demande_row,
    add_dwelling_row,
    attend,
    build_world,
    held,
)

ON = date(2026, 3, 16)  # the letters' day: after the events below


def closed(engine: Engine) -> tuple[Sitting, list[str]]:
    """Ranks 1, 2 and 3 attributed on one dwelling; the third presented by Action
    Logement Services, whose address and contact are recorded."""
    sitting = held(engine)
    for rank, candidacy in enumerate(sitting.candidacies, start=1):
        sessions.record_decision(engine, candidacy, "attribution_rang", rank=rank,
                                 unanimous=True)
    sessions.close_session(engine, sitting.session_id, **CLOSING)
    detail = sessions.session_detail(engine, sitting.session_id)
    return sitting, [c.nur for c in detail.agenda[0].candidacies]


def letters_of(engine: Engine, sitting: Sitting):
    produced = produce_letter_set(engine, sitting.session_id, today=ON)
    pages = pages_text(produced.pdf)
    return produced, pages


def offers_to(pages: list[str], nur: str) -> list[str]:
    return [p for p in pages if "demande n° " + format_nur(nur) in p and "proposition" in p]


def test_after_a_refusal_and_a_signed_lease(engine: Engine) -> None:
    sitting, (first, second, third) = closed(engine)
    one, two, _three = sitting.candidacies
    sessions.record_refusal(engine, one, date(2026, 3, 12), "Trop loin du travail")
    # the dwelling passes to rank 2: the offer after a refusal is theirs
    produced, pages = letters_of(engine, sitting)
    assert not offers_to(pages, first)
    (offer,) = offers_to(pages, second)
    assert "proposition de logement après désistement" in offer
    assert "Le candidat classé avant vous ayant refusé ce logement, nous avons" in offer
    assert "votre candidature est classée au rang 3" in text_of(produced.pdf)  # still waits
    assert any(line.startswith(f"Demande {format_nur(first)}")
               and "a refusé le logement le 12 mars 2026" in line for line in produced.withheld)
    with pytest.raises(CaleolError, match=f"il est proposé à la demande {format_nur(second)}"):
        produce_offer_after_refusal(engine, sitting.session_id, third, today=ON)
    # rank 2 signs: nobody gets an offer any more, rank 3 is told nothing stale
    sessions.record_lease_signed(engine, two, date(2026, 3, 15))
    with pytest.raises(CaleolError) as refused:
        produce_letter_set(engine, sitting.session_id, today=ON)
    message = str(refused.value)
    assert message.startswith("Aucun courrier à produire :")
    assert f"Demande {format_nur(second)} (" in message
    assert "son bail est signé depuis le 15 mars 2026" in message
    assert f"le bail du logement est signé par la demande {format_nur(second)}" in message
    with pytest.raises(CaleolError, match="son bail est signé"):
        produce_offer_after_refusal(engine, sitting.session_id, second, today=ON)
    with pytest.raises(CaleolError, match="le logement n'est plus disponible"):
        produce_offer_after_refusal(engine, sitting.session_id, third, today=ON)


def test_a_lapsed_condition(engine: Engine) -> None:
    sitting = held(engine)
    one, two, three = sitting.candidacies
    sessions.record_decision(engine, one, "attribution_sous_condition", rank=1,
                             unanimous=True, condition="Avis d'imposition 2025",
                             deadline=date(2026, 3, 13))
    sessions.record_decision(engine, two, "attribution_rang", rank=2, unanimous=True)
    sessions.record_decision(engine, three, "non_attribution", unanimous=True,
                             reason_id=sitting.world.reasons["mieux_classe"])
    sessions.close_session(engine, sitting.session_id, **CLOSING)
    nurs = [c.nur for c in sessions.session_detail(engine, sitting.session_id)
            .agenda[0].candidacies]
    # 16 March, deadline 13 March passed, nothing recorded: no offer printed as open
    produced, pages = letters_of(engine, sitting)
    assert not offers_to(pages, nurs[0])
    assert any("délai de sa condition suspensive a expiré le 13 mars 2026" in line
               for line in produced.withheld)
    sessions.record_condition_lapsed(engine, one, date(2026, 3, 14))
    produced, pages = letters_of(engine, sitting)
    assert not offers_to(pages, nurs[0])
    (offer,) = offers_to(pages, nurs[1])
    assert "après désistement" in offer
    # the reason is the lapse, not a refusal (it read « ayant refusé ce logement »)
    assert ("La condition suspensive posée au candidat classé avant vous n'ayant pas été "
            "remplie, nous avons le plaisir de vous le proposer.") in offer
    assert "refusé ce logement" not in offer
    assert "13 mars 2026" not in text_of(produced.pdf)


def test_letters_name_a_contact_and_the_reservataire_its_own(engine: Engine) -> None:
    world = build_world(engine)
    with session_scope(engine) as db:
        landlord = db.exec(select(Landlord)).one()  # the one row, renamed
        landlord.name, landlord.address = "Vivest", "1 rue de l'Abbé Grégoire\n57000 Metz"
        agency = Agency(landlord_id=landlord.id, code="AG-MET", name="Agence de Metz",
                        address="4 rue de la Mayenne, 57000 Metz", phone="03 87 00 00 00",
                        email="agence.metz@vivest.example")
        db.add(agency)
        db.flush()
        db.get(Commission, world.commission_id).agency_id = agency.id
        action_logement = db.get(Reservataire, world.action_logement_id)
        action_logement.address = "20 rue Serpenoise\n57000 Metz"
        action_logement.contact_name = "Mme Anne Klein"
    session_id = sessions.create_session(engine, world.commission_id, SESSION_DATE,
                                         place="Metz")
    item_id = sessions.add_dwelling(engine, session_id, add_dwelling_row(engine, world))
    candidacies = [sessions.add_candidate(engine, item_id, add_demande_row(engine, world))
                   for _ in range(3)]
    # a fourth candidate, presented by Action Logement Services
    candidacies.append(sessions.add_candidate(
        engine, item_id, add_demande_row(engine, world),
        reservataire_id=world.action_logement_id))
    sessions.mark_ready(engine, session_id)
    sessions.start_session(engine, session_id)
    sitting = Sitting(world, session_id, item_id, candidacies)
    attend(engine, sitting, 5)
    sessions.set_president(engine, session_id, world.president_id)
    for rank, candidacy in enumerate(candidacies[:2], start=1):
        sessions.record_decision(engine, candidacy, "attribution_rang", rank=rank,
                                 unanimous=True)
    for candidacy in candidacies[2:]:
        sessions.record_decision(engine, candidacy, "non_attribution", unanimous=True,
                                 reason_id=world.reasons["mieux_classe"])
    sessions.close_session(engine, session_id, **CLOSING)
    nurs = [c.nur for c in sessions.session_detail(engine, session_id).agenda[0].candidacies]
    produced = produce_letter_set(engine, session_id, today=ON)
    pages = pages_text(produced.pdf)
    assert len(pages) == 5  # four candidates, one réservataire
    for page in pages:
        assert "tél. 03 87 00 00 00 — courriel agence.metz@vivest.example" in page
        assert "Metz, le 16 mars 2026" in page
        assert "non désigné" not in page
    (notice,) = [p for p in pages if "À l'attention de" in p]
    assert "Action Logement Services À l'attention de Mme Anne Klein 20 rue Serpenoise " \
           "57000 Metz" in notice
    assert "sur le candidat que vous avez présenté." in notice
    assert [n for n in nurs if format_nur(n) in notice] == [nurs[3]]  # the others are not its own


def test_the_letterhead_comes_from_the_organisation_records(engine: Engine) -> None:
    sitting, _nurs = closed(engine)
    with session_scope(engine) as db:
        landlord = db.exec(select(Landlord)).one()
        landlord.name = "Habitat de l'Est"
        landlord.address = "1 rue de l'Abbé Grégoire\n57000 Metz"
        agency = Agency(landlord_id=landlord.id, code="AG-W", name="Agence de Woippy",
                        address="2 rue du Fort Gambetta, 57140 Woippy")
        db.add(agency)
        db.flush()
        db.get(Commission, sitting.world.commission_id).agency_id = agency.id
    pages = pages_text(produce_letter_set(engine, sitting.session_id, today=ON).pdf)
    for page in pages:
        assert page.startswith("Habitat de l'Est Agence de Woippy")  # not the setting
        assert "Woippy, le 16 mars 2026" in page
        assert "Habitat de l'Est — siège : 1 rue de l'Abbé Grégoire, 57000 Metz" in page
        assert "tél." not in page and "courriel" not in page  # none recorded: not printed
        # no secretary recorded for the séance: the agency is the contact and signs
        assert "Votre contact : Agence de Woippy" in page
        assert "Pour la commission d'attribution Agence de Woippy" in page
        assert "non désigné" not in page
