"""Documents are issued by the landlord recorded in the database: with none, every
document is refused with a French message saying where to enter it (never a PV or
letter headed by an empty name), and the landlord's own fields fill the letterhead."""

from __future__ import annotations

import pytest
from db.factories import make_session_with_agenda
from sqlalchemy import Engine

from caleol.db.engine import session_scope
from caleol.db.models import Agency, Landlord
from caleol.errors import CaleolError
from caleol.services.documents.letterheads import (
    NO_LANDLORD,
    letterhead_for,
    organisation_letterhead,
)
from caleol.services.documents.session_minutes import produce_agenda
from caleol.settings import Settings


def _sitting(engine: Engine) -> int:
    with session_scope(engine) as db:
        return make_session_with_agenda(db, candidates=1).id or 0


def test_no_landlord_no_document(engine: Engine) -> None:
    session_id = _sitting(engine)
    assert "Référentiels" in NO_LANDLORD
    with pytest.raises(CaleolError, match="Aucun bailleur n'est enregistré"):
        letterhead_for(engine, session_id)
    with pytest.raises(CaleolError, match="Aucun bailleur n'est enregistré"):
        organisation_letterhead(engine)
    with pytest.raises(CaleolError, match="Saisissez le bailleur dans Référentiels"):
        produce_agenda(engine, session_id)


def test_a_blank_landlord_name_is_no_landlord(engine: Engine) -> None:
    session_id = _sitting(engine)
    with session_scope(engine) as db:
        db.add(Landlord(name="  "))
    with pytest.raises(CaleolError, match="Aucun bailleur"):
        letterhead_for(engine, session_id)


def test_the_landlord_recorded_heads_the_documents(engine: Engine) -> None:
    session_id = _sitting(engine)
    with session_scope(engine) as db:
        landlord = Landlord(name="Habitat Lorrain", address="1 rue Haute, 57000 Metz",
                            phone="03 87 11 22 33", email="contact@habitat.example")
        db.add(landlord)
        db.flush()
        db.add(Agency(landlord_id=landlord.id, code="NCY", name="Agence de Nancy",
                      address="5 place Stanislas, 54000 Nancy", email="nancy@habitat.example"))
    head = letterhead_for(engine, session_id)
    assert (head.landlord, head.landlord_address) == ("Habitat Lorrain",
                                                      "1 rue Haute\n57000 Metz")
    # the séance's commission has no agency: the landlord's own contact
    assert (head.phone, head.email) == ("03 87 11 22 33", "contact@habitat.example")
    # the workstation's agency (setting « Agence »): its e-mail, the landlord's phone
    office = organisation_letterhead(engine, Settings(agency="NCY"))
    assert (office.agency, office.city) == ("Agence de Nancy", "Nancy")
    assert (office.phone, office.email) == ("03 87 11 22 33", "nancy@habitat.example")
