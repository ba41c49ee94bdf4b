"""The setup assistant's draft: checked without a write, saved whole or not at all."""

from __future__ import annotations

import pytest
from services.organisation_factory import LANDLORD_SIREN
from sqlalchemy import Engine, func, select

from caleol.db.engine import session_scope
from caleol.db.models import AuditEntry
from caleol.services import organisation as org
from caleol.services import sessions
from caleol.services.organisation.defaults import CRITERIA, REASONS
from caleol.services.organisation.draft import (
    AGENCY,
    COMMISSION,
    LANDLORD,
    MEMBER,
    DraftError,
    OrganisationDraft,
    check_draft,
    draft_member_ref,
    organisation_started,
    save_draft,
)


def audit_count(engine: Engine) -> int:
    with session_scope(engine) as db:
        return int(db.execute(select(func.count()).select_from(AuditEntry)).scalar_one())


def full_draft() -> OrganisationDraft:
    draft = OrganisationDraft(landlord=org.LandlordRecord(
        "Habitat Lorrain", LANDLORD_SIREN, "3 rue des Clercs\n57000 Metz"))
    draft = draft.with_agency(None, org.AgencyRecord("METZ", "Agence de Metz",
                                                     department_code="57"))
    draft = draft.with_reservataire(None, org.ReservataireRecord(
        "ALS", "Action Logement Services", "action_logement"))
    draft = draft.with_commission(None, org.CommissionRecord(
        "CAL-METZ", "CALEOL de Metz", ("METZ",), quorum="1/2"))
    for member in (
            org.MemberRecord("CAL-METZ", "", "Claire Martin", "administrateur", "Mme",
                             casting_vote=True),
            org.MemberRecord("CAL-METZ", "", "Karim Benali", "reservataire", "M.",
                             deliberative=False, reservataire_code="ALS"),
            org.MemberRecord("CAL-METZ", "", "Anne Muller", "administrateur", "Mme",
                             substitute_for=draft_member_ref(0))):
        draft = draft.with_member(None, member)
    return draft


def test_a_checked_draft_writes_nothing(engine: Engine) -> None:
    before = audit_count(engine)
    check_draft(engine, full_draft(), require=(LANDLORD, AGENCY, COMMISSION, MEMBER))
    assert audit_count(engine) == before
    assert not organisation_started(engine)
    assert org.get_landlord(engine) is None and org.list_agencies(engine) == ()


def test_a_refused_record_is_named_with_its_fields(engine: Engine) -> None:
    draft = full_draft().with_agency(None, org.AgencyRecord(
        "METZ", "", phone="12", email="pas une adresse"))
    with pytest.raises(DraftError) as caught:
        check_draft(engine, draft)
    error = caught.value
    assert (error.section, error.index) == (AGENCY, 1)
    assert error.fields == {
        "code": "Le code « METZ » est déjà celui de l'agence « Agence de Metz ».",
        "name": "Le nom de l'agence est obligatoire.",
        "phone": "Numéro de téléphone « 12 » invalide : dix chiffres (03 87 12 34 56) ou "
                 "un numéro international (+33 3 87 12 34 56).",
        "email": "Adresse électronique « pas une adresse » invalide "
                 "(ex. agence.metz@bailleur.fr).",
    }
    assert error.message == "4 champs à corriger."


def test_required_sections_say_what_is_missing(engine: Engine) -> None:
    landlord_only = OrganisationDraft(landlord=org.LandlordRecord("Habitat Lorrain"))
    check_draft(engine, landlord_only, require=(LANDLORD,))
    with pytest.raises(DraftError) as caught:
        check_draft(engine, landlord_only, require=(LANDLORD, AGENCY))
    assert (caught.value.section, caught.value.index) == (AGENCY, -1)
    assert caught.value.message.startswith("Ajoutez au moins une agence")
    no_voter = full_draft()
    for index in (2, 0):  # the deliberative members; the réservataire stays
        no_voter = no_voter.without_member(index)
    with pytest.raises(DraftError) as caught:
        check_draft(engine, no_voter, require=(LANDLORD, AGENCY, COMMISSION, MEMBER))
    assert caught.value.section == MEMBER and caught.value.subject == "CAL-METZ"
    assert "« CALEOL de Metz » n'a encore aucun membre à voix délibérative" in \
        caught.value.message
    with pytest.raises(DraftError) as caught:
        check_draft(engine, OrganisationDraft(), require=(LANDLORD,))
    assert caught.value.fields == {"name": "Le nom du bailleur est obligatoire."}


def test_saved_draft_is_the_whole_organisation_with_the_charter_defaults(
        engine: Engine) -> None:
    save_draft(engine, full_draft())
    assert organisation_started(engine)
    assert org.get_landlord(engine).name == "Habitat Lorrain"  # type: ignore[union-attr]
    [agency] = org.list_agencies(engine)
    assert (agency.code, agency.department_code) == ("METZ", "57")
    members = org.list_members(engine, "CAL-METZ")
    by_name = {m.name: m for m in members}
    # the substitute names its titular by the code made when the titular was written
    assert by_name["Anne Muller"].substitute_for == by_name["Claire Martin"].code != ""
    assert by_name["Karim Benali"].reservataire_code == "ALS"
    assert len(org.list_reasons(engine)) == len(REASONS)
    assert len(org.list_criteria(engine)) == len(CRITERIA)
    [choice] = sessions.commission_choices(engine)
    assert choice.name == "CALEOL de Metz" and len(choice.members) == 3


def test_a_refused_save_leaves_nothing(engine: Engine) -> None:
    # two titular members with the casting vote: refused once every member is written
    draft = full_draft().with_member(None, org.MemberRecord(
        "CAL-METZ", "", "Paul Weber", "maire", "M.", casting_vote=True))
    before = audit_count(engine)
    with pytest.raises(DraftError) as caught:
        save_draft(engine, draft)
    assert caught.value.section == MEMBER and "casting_vote" in caught.value.fields
    assert "un seul membre actif a la voix prépondérante" in caught.value.fields[
        "casting_vote"]
    assert audit_count(engine) == before and not organisation_started(engine)
    assert org.list_reasons(engine) == []


def test_a_new_code_follows_into_what_refers_to_it() -> None:
    draft = full_draft()
    draft = draft.with_agency(0, org.AgencyRecord("METZ-CENTRE", "Agence de Metz"))
    assert draft.commissions[0].agency_codes == ("METZ-CENTRE",)
    draft = draft.with_reservataire(0, org.ReservataireRecord(
        "ALS-57", "Action Logement Services", "action_logement"))
    assert draft.members[1].reservataire_code == "ALS-57"
    draft = draft.with_commission(0, org.CommissionRecord("CAL-57", "CALEOL de Metz",
                                                          ("METZ-CENTRE",)))
    assert {m.commission_code for m in draft.members} == {"CAL-57"}
    # removing the first member: the substitute of member 0 no longer replaces anyone
    assert draft.without_member(0).members[1].substitute_for == ""
    # removing the second: the substitute's reference to member 0 stays right
    assert draft.without_member(1).members[1].substitute_for == draft_member_ref(0)
    assert draft.without_reservataire(0).members[1].reservataire_code == ""
    assert draft.without_agency(0).commissions[0].agency_codes == ()
    assert draft.without_commission(0).members == ()
