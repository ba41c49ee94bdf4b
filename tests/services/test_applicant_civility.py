"""The applicant's civility (issue 15: « Civility … in every letter »): read from the CSV
« Civilité » column as the SNE or a secretary writes it, exported back, edited, kept
in the séance's snapshot, addressed in the letters (« Madame Élodie MARTIN »,
« Madame, »; not stated: « Madame, Monsieur, »), and shown in the access request."""

from __future__ import annotations

import sys
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlmodel import select

from caleol.db.engine import session_scope
from caleol.db.models import Demande
from caleol.errors import FormError
from caleol.services import sessions
from caleol.services.editing import load_demande, save_demande
from caleol.services.exports import export_demandes
from caleol.services.imports import ImportRejectedError, import_demandes
from caleol.services.privacy import collect_person_data
from tests.services.import_fixtures import TODAY, counts, csv_bytes, with_references

sys.path.insert(0, str(Path(__file__).resolve().parent))  # the session factories
sys.path.insert(0, str(Path(__file__).resolve().parent / "documents"))
from pdf_probe import pages_text
from sessions_factory import (
    CLOSING,
    SESSION_DATE,
    Sitting,
    add_demande_row,
    add_dwelling_row,
    attend,
    build_world,
)

from caleol.services.documents.session_minutes import produce_letter_set

HEADER = "NUR;Date dépôt;Civilité;Nom;Prénoms;Membres\n"
ROWS = (
    "057240300123G5701;12/03/2024;Madame;Martin;Élodie;demandeur:02/03/1985\n"
    "057240300124G5701;12/03/2024;M.;Roth;Rachid;demandeur:02/03/1980\n"
    "057240300125G5701;12/03/2024;;Klein;Dominique;demandeur:02/03/1975\n"
    "057240300126G5701;12/03/2024;MME;Haddad;Inès;demandeur:02/03/1990\n"
)


def civilities(engine: Engine) -> dict[str, str]:
    with session_scope(engine) as db:
        return {d.applicant_surname: d.applicant_civility for d in db.exec(select(Demande))}


def test_the_csv_column_is_read_exported_and_read_back(engine: Engine, tmp_path: Path) -> None:
    db = with_references(engine)
    report = import_demandes(db, csv_bytes(HEADER + ROWS), today=TODAY)
    assert report.created == 4
    assert civilities(db) == {"Martin": "Mme", "Roth": "M.", "Klein": "", "Haddad": "Mme"}
    path = tmp_path / "demandes.csv"
    export_demandes(db, path)
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    header = lines[0].split(";")
    assert header[header.index("Nom") - 1] == "Civilité"  # just before the name
    exported = {line.split(";")[header.index("Nom")]: line.split(";")[header.index("Civilité")]
                for line in lines[1:]}
    assert exported == {"Martin": "Mme", "Roth": "M.", "Klein": "", "Haddad": "Mme"}
    before = counts(db)
    assert import_demandes(db, path, today=TODAY).unchanged == 4  # round trip
    assert counts(db) == before


def test_an_unknown_civility_is_refused_and_nothing_written(engine: Engine) -> None:
    db = with_references(engine)
    before = counts(db)
    bad = HEADER + ROWS + "057240300127G5701;12/03/2024;Docteur;Weber;Paul;demandeur:02/03/1970\n"
    with pytest.raises(ImportRejectedError) as caught:
        import_demandes(db, csv_bytes(bad), today=TODAY)
    (error,) = caught.value.report.errors
    assert (error.line, error.column) == (6, "Civilité")
    assert "civilité « Docteur » inconnue : Madame, Monsieur ou vide" in error.message
    assert counts(db) == before


def test_the_editor_form_keeps_and_checks_the_civility(engine: Engine) -> None:
    db = with_references(engine)
    import_demandes(db, csv_bytes(HEADER + ROWS), today=TODAY)
    with session_scope(db) as s:
        klein = s.exec(select(Demande).where(Demande.applicant_surname == "Klein")).one().id
    assert klein is not None
    form = load_demande(db, klein)
    assert form.applicant_civility == ""
    save_demande(db, replace(form, applicant_civility="M."), today=TODAY)
    assert civilities(db)["Klein"] == "M."
    with pytest.raises(FormError) as refused:
        save_demande(db, replace(load_demande(db, klein), applicant_civility="Dr"), today=TODAY)
    assert "applicant_civility" in refused.value.fields
    assert civilities(db)["Klein"] == "M."  # nothing written


def test_letters_address_each_candidate_as_recorded(engine: Engine) -> None:
    """Three candidates on one dwelling: Madame, Monsieur, and one who did not say."""
    world = build_world(engine)
    session_id = sessions.create_session(engine, world.commission_id, SESSION_DATE,
                                         place="Metz")
    item_id = sessions.add_dwelling(engine, session_id, add_dwelling_row(engine, world))
    candidacies = [sessions.add_candidate(engine, item_id, add_demande_row(
        engine, world, civility=civility, surname=surname))
        for civility, surname in (("Mme", "Martin"), ("M.", "Roth"), ("", "Klein"))]
    sessions.mark_ready(engine, session_id)
    sessions.start_session(engine, session_id)
    sitting = Sitting(world, session_id, item_id, candidacies)
    attend(engine, sitting, 5)
    sessions.set_president(engine, session_id, world.president_id)
    for rank, candidacy in enumerate(candidacies, start=1):
        sessions.record_decision(engine, candidacy, "attribution_rang", rank=rank,
                                 unanimous=True)
    sessions.close_session(engine, session_id, **CLOSING)
    pages = [" ".join(p.split()) for p in pages_text(
        produce_letter_set(engine, session_id, today=date(2026, 3, 16)).pdf)]
    by_name = {name: next(p for p in pages if f"Camille {name}" in p)
               for name in ("MARTIN", "ROTH", "KLEIN")}
    assert "Madame Camille MARTIN" in by_name["MARTIN"]
    assert "Madame, La CALEOL" in by_name["MARTIN"]
    assert "agréer, Madame, l'expression" in by_name["MARTIN"]
    assert "Monsieur Camille ROTH" in by_name["ROTH"]
    assert "Monsieur, La CALEOL" in by_name["ROTH"]
    assert "agréer, Monsieur, l'expression" in by_name["ROTH"]
    # not stated: the name alone, « Madame, Monsieur, »
    assert "Madame Camille KLEIN" not in by_name["KLEIN"]
    assert "Monsieur Camille KLEIN" not in by_name["KLEIN"]
    assert "Madame, Monsieur, La CALEOL" in by_name["KLEIN"]


def test_the_access_request_states_the_civility(engine: Engine) -> None:
    db = with_references(engine)
    import_demandes(db, csv_bytes(HEADER + ROWS), today=TODAY)
    fields = collect_person_data(db, "Élodie Martin")["demandes"][0]["demande"]
    assert fields["civilité du demandeur"] == "Madame"
    fields = collect_person_data(db, "Dominique Klein")["demandes"][0]["demande"]
    assert fields["civilité du demandeur"] == "non précisée"
