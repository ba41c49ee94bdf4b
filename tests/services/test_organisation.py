"""Organisation services: French per-field errors, deactivation, no deletion of what a
séance refers to, and no write (no audit entry) when nothing changes."""

from __future__ import annotations

from datetime import date

import pytest
from db.factories import make_dwelling
from services.organisation_factory import (
    LANDLORD_SIREN,
    METZ_METROPOLE,
    build_organisation,
    png_logo,
)
from sqlalchemy import Engine, func, select

from caleol.db.engine import session_scope
from caleol.db.models import (
    Agency,
    AuditEntry,
    Commission,
    CommissionAgency,
    CommissionMember,
    PriorityCriterion,
    Reason,
)
from caleol.errors import CaleolError, FormError
from caleol.services import organisation as org
from caleol.services import sessions
from caleol.services.organisation.defaults import CRITERIA, REASONS, default_target_rows
from caleol.services.organisation.fields import luhn_ok

SESSION_DATE = date(2026, 3, 10)


def audit_count(engine: Engine) -> int:
    with session_scope(engine) as db:
        return int(db.execute(select(func.count()).select_from(AuditEntry)).scalar_one())


def test_luhn_key_of_a_siren() -> None:
    # 732829320: from the right, digits 0 2 3 9 2 8 2 3 7; every second one doubled:
    # 0 + (2×2=4) + 3 + (9×2=18 → 9) + 2 + (8×2=16 → 7) + 2 + (3×2=6) + 7 = 40 ≡ 0 mod 10.
    assert luhn_ok("732829320")
    assert not luhn_ok("732829321")  # last digit changed: 41


def test_landlord_is_created_then_updated_and_names_the_documents(engine: Engine) -> None:
    assert org.get_landlord(engine) is None and org.landlord_name(engine) == ""
    saved = org.save_landlord(engine, org.LandlordRecord(
        "  Habitat   Lorrain ", "732 829 320", " 3 rue des Clercs \n\n 57000 Metz ",
        logo=png_logo()))
    assert (saved.name, saved.siren, saved.address) == (
        "Habitat Lorrain", LANDLORD_SIREN, "3 rue des Clercs\n57000 Metz")
    assert saved.logo is not None and saved.logo.startswith(b"\x89PNG")
    again = org.save_landlord(engine, org.LandlordRecord("Habitat Lorrain SA", LANDLORD_SIREN))
    assert again.id == saved.id and org.landlord_name(engine) == "Habitat Lorrain SA"
    assert again.logo is None  # the record says no logo


@pytest.mark.parametrize(("siren", "message"), [
    ("73282932", "9 chiffres"),
    ("7328293200", "9 chiffres"),
    ("73282932A", "9 chiffres"),
    ("732829321", "clé de contrôle"),
])
def test_bad_siren_is_refused_with_its_reason(engine: Engine, siren: str, message: str) -> None:
    with pytest.raises(FormError) as info:
        org.save_landlord(engine, org.LandlordRecord("Habitat Lorrain", siren))
    assert set(info.value.fields) == {"siren"} and message in info.value.fields["siren"]
    assert org.get_landlord(engine) is None


def test_every_bad_landlord_field_at_once(engine: Engine) -> None:
    with pytest.raises(FormError) as info:
        org.save_landlord(engine, org.LandlordRecord(
            " ", "12", "x" * 301, "12 34", "pas-une-adresse", b"GIF89a not an image"))
    fields = info.value.fields
    assert set(fields) == {"name", "siren", "address", "phone", "email", "logo"}
    assert fields["name"] == "Le nom du bailleur est obligatoire."
    assert "PNG ou JPEG" in fields["logo"]
    assert "téléphone « 12 34 » invalide" in fields["phone"]


def test_logo_too_large_or_damaged(engine: Engine) -> None:
    big = b"\x89PNG\r\n\x1a\n" + bytes(600 * 1024)
    with pytest.raises(FormError, match="champ") as info:
        org.save_landlord(engine, org.LandlordRecord("Bailleur", logo=big))
    assert "512 Ko au plus" in info.value.fields["logo"]
    damaged = png_logo()[:60]
    with pytest.raises(FormError) as info:
        org.save_landlord(engine, org.LandlordRecord("Bailleur", logo=damaged))
    assert "lisible" in info.value.fields["logo"]
    wide = png_logo(4200, 10)
    with pytest.raises(FormError) as info:
        org.save_landlord(engine, org.LandlordRecord("Bailleur", logo=wide))
    assert "4200 × 10 pixels" in info.value.fields["logo"]


def test_agency_fields_duplicates_and_unknown_department(engine: Engine) -> None:
    org.save_department(engine, org.DepartmentRecord("57", "Moselle", 18))
    metz = org.save_agency(engine, org.AgencyRecord("METZ", "Agence de Metz",
                                                    department_code="57",
                                                    phone="+33 3 87 00 00 00"))
    assert metz.department_code == "57" and metz.active
    with pytest.raises(FormError) as info:
        org.save_agency(engine, org.AgencyRecord("METZ", "", department_code="99",
                                                 email="agence@"))
    assert set(info.value.fields) == {"code", "name", "department_code", "email"}
    assert "déjà celui de l'agence « Agence de Metz »" in info.value.fields["code"]
    assert "Département « 99 » inconnu" in info.value.fields["department_code"]
    with pytest.raises(FormError, match="champ") as info:
        org.save_agency(engine, org.AgencyRecord("ME TZ", "Agence"))
    assert "ne contient pas d'espace" in info.value.fields["code"]


def test_an_agency_a_dwelling_refers_to_is_deactivated_not_deleted(engine: Engine) -> None:
    agency = org.save_agency(engine, org.AgencyRecord("METZ", "Agence de Metz"))
    spare = org.save_agency(engine, org.AgencyRecord("TYPO", "Agence saisie par erreur"))
    with session_scope(engine) as db:
        make_dwelling(db, agency_id=agency.id)
    with pytest.raises(CaleolError) as info:
        org.delete_agency(engine, agency.id)
    message = info.value.message
    assert "1 logement y fait référence" in message and "désactivez" in message
    assert not org.set_agency_active(engine, agency.id, False).active
    org.delete_agency(engine, spare.id)
    assert [a.code for a in org.list_agencies(engine)] == ["METZ"]
    assert org.list_agencies(engine, active_only=True) == ()


def test_reservataire_kind_delay_and_deletion(engine: Engine) -> None:
    with pytest.raises(FormError) as info:
        org.save_reservataire(engine, org.ReservataireRecord(
            "ALS", "Action Logement", "mutuelle", proposal_delay_days=400))
    assert set(info.value.fields) == {"kind", "proposal_delay_days"}
    assert "action_logement (Action Logement Services)" in info.value.fields["kind"]
    build_organisation(engine)
    als = next(r for r in org.list_reservataires(engine) if r.code == "ALS")
    assert als.kind_label == "Action Logement Services"
    with pytest.raises(CaleolError, match="membre"):
        org.delete_reservataire(engine, als.id)
    assert not org.set_reservataire_active(engine, als.id, False).active


def test_commission_covers_its_agencies_the_first_heads_its_documents(engine: Engine) -> None:
    build_organisation(engine)
    [commission] = org.list_commissions(engine)
    assert commission.agency_codes == ("METZ", "WOIPPY") and commission.quorum == "1/2"
    assert commission.epci_siren == METZ_METROPOLE and commission.remote_sessions_allowed
    moved = org.save_commission(engine, org.CommissionRecord(
        commission.code, commission.name, ("WOIPPY",), quorum="2/3", id=commission.id))
    assert moved.agency_codes == ("WOIPPY",) and moved.quorum == "2/3" and not moved.epci_siren
    with session_scope(engine) as db:
        row = db.get(Commission, commission.id)
        assert row is not None and db.get(Agency, row.agency_id).code == "WOIPPY"  # type: ignore[union-attr]
        assert db.execute(select(func.count()).select_from(CommissionAgency)).scalar_one() == 1


def test_bad_commission_fields(engine: Engine) -> None:
    with pytest.raises(FormError) as info:
        org.save_commission(engine, org.CommissionRecord(
            "C1", "Commission", (), "999999999", quorum="3/2"))
    assert set(info.value.fields) == {"agency_codes", "epci_siren", "quorum"}
    assert "au moins une agence" in info.value.fields["agency_codes"]
    assert "entre 0 et 1" in info.value.fields["quorum"]
    with pytest.raises(FormError) as info:
        org.save_commission(engine, org.CommissionRecord("C1", "Commission", ("NULLE",)))
    assert info.value.fields["agency_codes"] == "Agence « NULLE » inconnue."


def test_members_rules(engine: Engine) -> None:
    build_organisation(engine)

    def member(code: str, **changes: object) -> org.MemberRecord:
        base = org.MemberRecord("CALEOL-METZ", code, "Jeanne Roux", "administrateur", "Mme")
        return org.MemberRecord(**{**base.__dict__, **changes})  # type: ignore[arg-type]

    with pytest.raises(FormError) as info:
        org.save_member(engine, member("R", capacity="reservataire", deliberative=True))
    assert set(info.value.fields) == {"reservataire_code", "deliberative"}
    with pytest.raises(FormError) as info:
        org.save_member(engine, member("ADM1"))
    assert "déjà celui de Mme Claire Martin" in info.value.fields["code"]
    with pytest.raises(FormError) as info:  # Lucie Klein (EPCI) already holds it
        org.save_member(engine, member("X", casting_vote=True))
    assert "un seul membre actif a la voix prépondérante" in info.value.fields["casting_vote"]
    with pytest.raises(FormError) as info:
        org.save_member(engine, member("X", substitute_for="PREFET-S"))
    assert "lui-même suppléant" in info.value.fields["substitute_for"]
    with pytest.raises(FormError) as info:
        org.save_member(engine, member("X", substitute_for="INCONNU", civility="Mlle"))
    assert set(info.value.fields) == {"substitute_for", "civility"}
    with pytest.raises(FormError) as info:
        org.save_member(engine, member("X", commission_code="NULLE"))
    assert info.value.fields == {"commission_code": "Commission « NULLE » inconnue."}
    added = org.save_member(engine, member(""))
    assert added.code == f"M{added.id}" and added.display_name == "Mme Jeanne Roux"
    members = {m.code: m for m in org.list_members(engine, "CALEOL-METZ")}
    assert members["PREFET-S"].substitute_for == "PREFET"
    assert members["ALS"].reservataire_code == "ALS" and not members["ALS"].deliberative


def test_substitutes_are_not_convened_by_default(engine: Engine) -> None:
    build_organisation(engine)
    [choice] = sessions.commission_choices(engine)
    session_id = sessions.create_session(engine, choice.id, SESSION_DATE)
    detail = sessions.session_detail(engine, session_id)
    names = [a.name for a in detail.attendance]
    assert "Mme Claire Martin" in names  # civility and name, as the minutes print them
    assert not any("Anne Muller" in n for n in names)
    assert len(names) == 7


def test_a_member_who_sat_keeps_what_the_minutes_cite(engine: Engine) -> None:
    build_organisation(engine)
    [choice] = sessions.commission_choices(engine)
    sessions.create_session(engine, choice.id, SESSION_DATE)
    weber = next(m for m in org.list_members(engine, "CALEOL-METZ") if m.code == "ADM2")
    renamed = org.MemberRecord(**{**weber.__dict__, "name": "Paul Webber"})
    with pytest.raises(FormError) as info:
        org.save_member(engine, renamed)
    assert "a siégé en séance" in info.value.fields["name"]
    assert not org.set_member_active(engine, weber.id, False).active
    with pytest.raises(CaleolError, match="présence"):
        org.delete_member(engine, weber.id)
    with pytest.raises(CaleolError, match="séance"):
        org.delete_commission(engine, choice.id)


def test_a_commission_without_séance_is_deleted_with_its_members(engine: Engine) -> None:
    build_organisation(engine)
    [commission] = org.list_commissions(engine)
    org.delete_commission(engine, commission.id)
    with session_scope(engine) as db:
        assert db.execute(select(func.count()).select_from(CommissionMember)).scalar_one() == 0
        assert db.execute(select(func.count()).select_from(CommissionAgency)).scalar_one() == 0


def test_charter_defaults_fill_an_empty_catalogue_only(engine: Engine) -> None:
    assert org.install_charter_defaults(engine) == (len(REASONS), len(CRITERIA),
                                                   len(default_target_rows()))
    assert org.install_charter_defaults(engine) == (0, 0, 0)
    reasons = org.list_reasons(engine)
    assert all(r.legal_reference for r in reasons)
    assert {r.code for r in reasons if r.unlawful_alone} == {"RESSOURCES_FAIBLES", "PAS_DE_LIEN"}
    plafond = next(r for r in reasons if r.code == "PLAFOND")
    assert plafond.kind == "irrecevabilite" and "R441-1" in plafond.legal_reference
    assert all(c.legal_reference for c in org.list_criteria(engine))
    edited = org.save_criterion(engine, org.CriterionInfo(
        0, "CIA_NPNRU", "Relogement NPNRU", "CIA", "CIA de Metz Métropole", True))
    assert edited.id


def test_criteria_are_added_to_a_catalogue_of_one_s_own(engine: Engine) -> None:
    org.save_reason(engine, org.ReasonInfo(0, "MIEN", "Motif du bailleur", "non_attribution",
                                           False, True))
    assert org.install_charter_defaults(engine) == (0, len(CRITERIA), len(default_target_rows()))
    with session_scope(engine) as db:
        assert db.execute(select(func.count()).select_from(Reason)).scalar_one() == 1
        assert db.execute(select(func.count()).select_from(
            PriorityCriterion)).scalar_one() == len(CRITERIA)


def test_saving_an_unchanged_record_writes_nothing(engine: Engine) -> None:
    build_organisation(engine)
    before = audit_count(engine)
    landlord = org.get_landlord(engine)
    assert landlord is not None
    org.save_landlord(engine, landlord)
    for agency in org.list_agencies(engine):
        org.save_agency(engine, agency)
    for commission in org.list_commissions(engine):
        org.save_commission(engine, commission)
    for member in org.list_members(engine, "CALEOL-METZ"):
        org.save_member(engine, member)
    for reservataire in org.list_reservataires(engine):
        org.save_reservataire(engine, reservataire)
    assert audit_count(engine) == before
