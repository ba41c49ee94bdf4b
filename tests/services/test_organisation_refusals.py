"""The refusal to delete what something refers to reads as French a secretary can act on:
each way a record is cited named once (an agency that heads a commission's documents and
that the commission covers is not « 1 commission, 1 commission »), no « supprimé(e) » nor
« désactivez-le » said of an agency, and the button that deactivates named as on screen.
Seen in Référentiels under Xvfb on a base set up with the assistant (no demo)."""

from __future__ import annotations

from datetime import date

import pytest
from db.factories import make_dwelling
from sqlalchemy import Engine

from caleol.db.engine import session_scope
from caleol.db.models import CommissionSession
from caleol.errors import CaleolError
from caleol.services import organisation as org
from caleol.services import sessions

HINT = ("Rien de ce qu'une séance ou un dossier cite n'est supprimé : désactivez plutôt la "
        "fiche (« Activer / désactiver ») ; elle ne sera plus proposée et rien ne sera "
        "effacé.")


def refusal(delete, engine: Engine, row_id: int) -> str:
    with pytest.raises(CaleolError) as info:
        delete(engine, row_id)
    return info.value.message


@pytest.fixture
def commission(engine: Engine) -> org.CommissionRecord:
    org.save_agency(engine, org.AgencyRecord("METZ", "Agence de Metz"))
    return org.save_commission(engine, org.CommissionRecord("CAL", "CALEOL de Metz",
                                                            ("METZ",)))


def test_an_agency_cited_by_a_commission_and_dwellings(engine: Engine,
                                                       commission: org.CommissionRecord) -> None:
    agency = org.list_agencies(engine)[0]
    with session_scope(engine) as db:
        make_dwelling(db, agency_id=agency.id)
        make_dwelling(db, agency_id=agency.id)
    assert refusal(org.delete_agency, engine, agency.id) == (
        "Impossible de supprimer l'agence « Agence de Metz » : 1 commission dont elle est "
        "l'agence d'en-tête, 1 commission qui couvre cette agence et 2 logements y font "
        "référence. " + HINT)
    assert [a.code for a in org.list_agencies(engine)] == ["METZ"]  # still there


def test_a_member_who_has_a_substitute_presided_and_sat(
        engine: Engine, commission: org.CommissionRecord) -> None:
    org.save_member(engine, org.MemberRecord("CAL", "ADM1", "Claire Martin", "administrateur",
                                             "Mme", casting_vote=True))
    org.save_member(engine, org.MemberRecord("CAL", "ADM2", "Anne Petit", "administrateur",
                                             "Mme", substitute_for="ADM1"))
    claire, anne = org.list_members(engine, "CAL")
    assert refusal(org.delete_member, engine, claire.id) == (
        "Impossible de supprimer le membre « Mme Claire Martin » : 1 suppléant y fait "
        "référence. " + HINT)
    created = sessions.create_session(engine, commission.id, date(2027, 1, 14),
                                      place="Salle du conseil", member_ids=[claire.id])
    with session_scope(engine) as db:
        seance = db.get(CommissionSession, created)
        assert seance is not None
        seance.president_member_id = claire.id
    assert refusal(org.delete_member, engine, claire.id) == (
        "Impossible de supprimer le membre « Mme Claire Martin » : 1 suppléant, 1 séance "
        "présidée et 1 présence en séance y font référence. " + HINT)
    org.delete_member(engine, anne.id)  # entered by mistake, cited by nothing
    assert [m.code for m in org.list_members(engine, "CAL")] == ["ADM1"]


def test_a_record_deleted_meanwhile(engine: Engine) -> None:
    with pytest.raises(CaleolError) as info:
        org.set_agency_active(engine, 999_999, False)
    assert info.value.message == ("Cette agence n'existe plus dans la base (suppression faite "
                                  "entre-temps) ; rechargez la liste.")
