"""Dwelling and demande editors: worked cases, version conflicts, every bad field at once."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from caleol.db.models import AuditEntry, Demande, Dwelling
from caleol.errors import ConcurrentModificationError, FormError
from caleol.rules.nir import contains_nir
from caleol.services.audit import verify_chain
from caleol.services.editing import (
    DemandeForm,
    DwellingForm,
    MemberForm,
    ResourceForm,
    demande_choices,
    dwelling_choices,
    load_demande,
    load_dwelling,
    new_demande_form,
    save_demande,
    save_dwelling,
)
from tests.services.import_fixtures import TODAY, counts, with_references

NIR = "1 85 05 78 006 084 36"


@pytest.fixture
def db(engine: Engine) -> Iterator[Engine]:
    yield with_references(engine)


def a_dwelling(**changes: object) -> DwellingForm:
    form = DwellingForm(reference="MET-100", commune="57463", typology="T3", financing="PLUS",
                        rent="412,50", charges="85", surface="66,5", floor="2",
                        availability_date="01/12/2026", agency="METZ", qpv=True,
                        reservataire="ETAT-57-PRIO")
    return replace(form, **changes)


def a_demande(**changes: object) -> DemandeForm:
    form = DemandeForm(
        nur="057240300123G5701", filing_date="12/03/2024", applicant_surname="Muller",
        applicant_first_names="Anne", reference_tax_income="19000",
        reference_tax_income_year="2024", dalo=True, criteria=["HANDICAP"],
        wished_communes=["57463"], wished_typologies=["T2", "T3"], max_rent="520,00",
        members=[MemberForm("applicant", "Muller", "Anne", "02/03/1985"),
                 MemberForm("child", "Muller", "Léo", "01/06/2012")],
        resources=[ResourceForm("salaire", "1 850,50", True, 0, "CDI"),
                   ResourceForm("prestation", "320", True, None, "")],
    )
    return replace(form, **changes)


# --- dwellings -----------------------------------------------------------------------


def test_new_dwelling_is_created_with_french_formats(db: Engine) -> None:
    new_id = save_dwelling(db, a_dwelling(), today=TODAY)
    with Session(db) as s:
        dwelling = s.get(Dwelling, new_id)
        assert dwelling is not None
        assert dwelling.rent_cents == 41_250  # « 412,50 » € = 41 250 centimes
        assert dwelling.charges_cents == 8_500
        assert dwelling.surface_dm2 == 6_650  # 66,5 m² = 6 650 dm²
        assert dwelling.floor == 2 and dwelling.qpv is True
    form = load_dwelling(db, new_id)
    assert (form.reference, form.rent, form.surface, form.version) == (
        "MET-100", "412,50", "66,50", 1)
    verify_chain(db)  # the insert is in the audit log


def test_update_changes_the_values_bumps_the_version_and_is_audited(db: Engine) -> None:
    new_id = save_dwelling(db, a_dwelling(), today=TODAY)
    form = load_dwelling(db, new_id)
    with Session(db) as s:
        audit_before = len(s.exec(select(AuditEntry)).all())
    save_dwelling(db, replace(form, rent="430", status="proposed"), today=TODAY)
    again = load_dwelling(db, new_id)
    assert (again.rent, again.status, again.version) == ("430,00", "proposed", 2)
    with Session(db) as s:
        entries = s.exec(select(AuditEntry).order_by(AuditEntry.id)).all()  # type: ignore[arg-type]
    assert len(entries) == audit_before + 1
    assert (entries[-1].entity, entries[-1].action) == ("dwelling", "update")
    verify_chain(db)


def test_stale_dwelling_is_refused_and_left_unchanged(db: Engine) -> None:
    new_id = save_dwelling(db, a_dwelling(), today=TODAY)
    first = load_dwelling(db, new_id)
    second = load_dwelling(db, new_id)
    save_dwelling(db, replace(first, rent="430"), today=TODAY)
    with pytest.raises(ConcurrentModificationError) as caught:
        save_dwelling(db, replace(second, rent="999"), today=TODAY)
    assert caught.value.message.startswith("Le logement : enregistrement modifié par ailleurs")
    assert load_dwelling(db, new_id).rent == "430,00"


def test_every_bad_dwelling_field_is_reported_at_once(db: Engine) -> None:
    before = counts(db)
    bad = a_dwelling(reference="", commune="", rent="douze", surface="3",
                     availability_date="31/02/2026", floor="2,5", programme=NIR)
    with pytest.raises(FormError) as caught:
        save_dwelling(db, bad, today=TODAY)
    fields = caught.value.fields
    assert set(fields) == {"reference", "commune", "rent", "surface", "availability_date",
                           "floor", "programme"}
    assert fields["rent"] == "« douze » n'est pas un montant (exemple : 1234,56)"
    assert fields["availability_date"] == "« 31/02/2026 » : cette date n'existe pas"
    assert "NIR" in fields["programme"]
    assert counts(db) == before


def test_reference_already_used_is_refused(db: Engine) -> None:
    save_dwelling(db, a_dwelling(), today=TODAY)
    with pytest.raises(FormError) as caught:
        save_dwelling(db, a_dwelling(rent="1"), today=TODAY)
    assert caught.value.fields == {"reference": "Un logement porte déjà la référence "
                                                "« MET-100 »"}


def test_dwelling_choices_list_the_territory(db: Engine) -> None:
    choices = dwelling_choices(db)
    assert any(c.value == "57463" and c.label == "Metz (57000)" for c in choices.communes)
    assert [c.value for c in choices.statuses] == ["vacant", "proposed", "let"]


# --- demandes ------------------------------------------------------------------------


def test_new_demande_with_household_resources_and_wishes(db: Engine) -> None:
    new_id = save_demande(db, a_demande(), today=TODAY)
    form = load_demande(db, new_id)
    assert form.version == 1
    assert [(m.role, m.first_names, m.birth_date) for m in form.members] == [
        ("applicant", "Anne", "02/03/1985"), ("child", "Léo", "01/06/2012")]
    # 1 850,50 € for member 1 (index 0) labelled CDI, 320 € for the household
    assert [(r.kind, r.amount, r.member, r.label) for r in form.resources] == [
        ("salaire", "1\u00a0850,50", 0, "CDI"), ("prestation", "320,00", None, "")]
    assert (form.criteria, form.wished_communes, form.wished_typologies) == (
        ["HANDICAP"], ["57463"], ["T2", "T3"])
    assert (form.max_rent, form.dalo, form.department_code) == ("520,00", True, "57")
    with Session(db) as s:
        demande = s.get(Demande, new_id)
        assert demande is not None and demande.name_sort_key == "muller anne"
    verify_chain(db)


def test_adding_a_child_and_changing_a_resource_bumps_the_version(db: Engine) -> None:
    new_id = save_demande(db, a_demande(), today=TODAY)
    form = load_demande(db, new_id)
    form.members.append(MemberForm("child", "Muller", "Zoé", "15/09/2016", False, True))
    form.resources[1] = ResourceForm("prestation", "410,20", True, None, "CAF")
    save_demande(db, form, today=TODAY)
    again = load_demande(db, new_id)
    assert [m.first_names for m in again.members] == ["Anne", "Léo", "Zoé"]
    assert again.members[2].visiting_rights is True
    assert ("prestation", "410,20", "CAF") in [(r.kind, r.amount, r.label)
                                                for r in again.resources]
    # only the household changed: the version is bumped anyway (2), so a stale
    # editor of the same household is refused
    assert again.version == 2
    with pytest.raises(ConcurrentModificationError):
        save_demande(db, replace(form, notes="trop tard"), today=TODAY)
    verify_chain(db)


def test_renaming_a_member_alone_is_saved(db: Engine) -> None:
    new_id = save_demande(db, a_demande(), today=TODAY)
    form = load_demande(db, new_id)
    form.members[1].first_names = "Léonard"
    save_demande(db, form, today=TODAY)
    assert load_demande(db, new_id).members[1].first_names == "Léonard"


def test_changing_the_name_updates_the_sort_key(db: Engine) -> None:
    new_id = save_demande(db, a_demande(), today=TODAY)
    form = load_demande(db, new_id)
    save_demande(db, replace(form, applicant_surname="Écuyer", applicant_first_names="Œdipe"),
                 today=TODAY)
    with Session(db) as s:
        demande = s.get(Demande, new_id)
        assert demande is not None and demande.name_sort_key == "ecuyer oedipe"


def test_stale_demande_is_refused_with_a_french_message(db: Engine) -> None:
    new_id = save_demande(db, a_demande(), today=TODAY)
    first, second = load_demande(db, new_id), load_demande(db, new_id)
    save_demande(db, replace(first, notes="appelée le 20/11"), today=TODAY)
    before = counts(db)
    with pytest.raises(ConcurrentModificationError) as caught:
        save_demande(db, replace(second, city="Nancy"), today=TODAY)
    assert caught.value.message == ("La demande : enregistrement modifié par ailleurs "
                                    "entre-temps ; rechargez avant d'enregistrer.")
    assert counts(db) == before
    assert load_demande(db, new_id).city == ""


def test_every_bad_demande_field_is_reported_at_once(db: Engine) -> None:
    new_id = save_demande(db, a_demande(), today=TODAY)
    form = load_demande(db, new_id)
    before = counts(db)
    form.members.append(MemberForm("child", "Muller", "Tom", "32/01/2020"))
    form.resources.append(ResourceForm("salaire", "-5", True, None, ""))
    bad = replace(form, filing_date="hier", max_rent="12,345", postal_code="570",
                  notes=f"NIR du demandeur : {NIR}", wished_communes=["99999"])
    with pytest.raises(FormError) as caught:
        save_demande(db, bad, today=TODAY)
    fields = caught.value.fields
    assert set(fields) >= {"filing_date", "max_rent", "postal_code", "notes", "members",
                           "resources", "wished_communes"}
    assert fields["members"] == "Membre 3 (enfant) : « 32/01/2020 » : cette date n'existe pas"
    assert fields["resources"] == "Ressource 3 (salaire) : « -5 » : montant négatif"
    assert fields["max_rent"] == "« 12,345 » : au plus deux décimales"
    assert "NIR" in fields["notes"]
    assert counts(db) == before
    assert load_demande(db, new_id).version == form.version


def test_household_bounds_are_the_importer_s(db: Engine) -> None:
    no_applicant = a_demande(members=[MemberForm("child", "A", "B", "01/01/2015")],
                             resources=[])
    with pytest.raises(FormError) as caught:
        save_demande(db, no_applicant, today=TODAY)
    assert "demandeur doit être le premier membre" in caught.value.fields["members"]
    empty = a_demande(members=[], resources=[])
    with pytest.raises(FormError) as caught:
        save_demande(db, empty, today=TODAY)
    assert caught.value.fields["members"] == "Au moins un membre : le demandeur"


def test_nur_already_used_is_refused(db: Engine) -> None:
    save_demande(db, a_demande(), today=TODAY)
    with pytest.raises(FormError) as caught:
        save_demande(db, a_demande(applicant_surname="Autre"), today=TODAY)
    assert caught.value.fields == {"nur": "Une demande porte déjà le NUR « 057240300123G5701 »"}


def test_new_form_and_choices(db: Engine) -> None:
    form = new_demande_form(TODAY)
    assert form.filing_date == "23/11/2026"
    assert [m.role for m in form.members] == ["applicant"]
    choices = demande_choices(db)
    assert "HANDICAP" in [c.value for c in choices.criteria]
    assert choices.motives[0].value == ""


@pytest.mark.parametrize(("text", "expected"), [
    ("185057800608436", True),
    ("NIR : 1 85 05 78 006 084 36, à vérifier", True),
    ("2.85.05.78.006.084", True),  # 13 digits without the key
    ("06 12 34 56 78", False),  # a phone number
    ("057240300123G5701", False),  # a NUR
    ("", False),
])
def test_nir_is_found_inside_free_text(text: str, expected: bool) -> None:
    assert contains_nir(text) is expected
