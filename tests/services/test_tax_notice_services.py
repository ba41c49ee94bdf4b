"""The tax notice's year from the stored demande to the séance's ceiling check, and
through the CSV import, export and editor service.

Séance of 10 March 2026 (`sessions_factory`): couple + 1 child, category 3, PLUS 2026
« autres régions » 37 584 €, revenu fiscal 20 000 €. Incomes of 2024 are n-2.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sessions_factory import SESSION_DATE, World, add_demande_row, add_dwelling_row, build_world
from sqlalchemy import Engine
from sqlmodel import Session, select

from caleol.db.engine import session_scope
from caleol.db.models import Demande
from caleol.services import sessions as svc
from caleol.services.editing import load_demande, save_demande
from caleol.services.exports import export_demandes
from caleol.services.imports import import_demandes
from tests.services.import_fixtures import TODAY, csv_bytes, with_references
from tests.services.test_editing import a_demande


@pytest.fixture
def world(engine: Engine) -> World:
    return build_world(engine)


def ceiling_of(engine: Engine, world: World, year: int | None, n1: bool) -> dict[str, Any]:
    session_id = svc.create_session(engine, world.commission_id, SESSION_DATE, place="Metz")
    item_id = svc.add_dwelling(engine, session_id, add_dwelling_row(engine, world))
    demande_id = add_demande_row(engine, world)
    with session_scope(engine) as db:
        demande = db.get(Demande, demande_id)
        assert demande is not None
        demande.reference_tax_income_year = year
        demande.tax_income_n1_requested = n1
    svc.add_candidate(engine, item_id, demande_id)
    candidacy = svc.session_detail(engine, session_id).agenda[0].candidacies[0]
    return candidacy.checks["ceiling"]


def test_the_seance_checks_the_year_of_the_stored_notice(engine: Engine, world: World) -> None:
    # incomes 2024 in 2026: n-2, 20 000 ≤ 37 584
    assert ceiling_of(engine, world, 2024, False)["status"] == "pass"
    # incomes 2025 at the household's request (n-1): compared too
    assert ceiling_of(engine, world, 2025, True)["status"] == "pass"
    # the 2023 notice (incomes 2022): unknown, both years stated
    old = ceiling_of(engine, world, 2022, False)
    assert old["status"] == "unknown"
    assert "Avis d'imposition 2023 (revenus 2022) : revenus trop anciens" in old["explanation"]
    assert "Attendu : l'avis d'imposition 2025 (revenus 2024)" in old["explanation"]
    assert ceiling_of(engine, world, None, False)["status"] == "unknown"


DEMANDES = (
    "NUR,Date dépôt,Nom,Membres,Revenu fiscal référence,Année revenu fiscal,Revenus n-1\n"
    "057240300123G5701,12/03/2024,Muller,demandeur:02/03/1985,19000,2025,oui\n"
    "057240300124G5701,12/03/2024,Zimmer,demandeur:02/03/1980,21000,2024,\n"
)


def test_import_export_and_editor_carry_the_request_for_n_1(engine: Engine,
                                                            tmp_path: Path) -> None:
    db = with_references(engine)
    report = import_demandes(db, csv_bytes(DEMANDES), today=TODAY)
    assert report.created == 2, report.text()
    with Session(db) as session:
        flags = {d.applicant_surname: (d.reference_tax_income_year, d.tax_income_n1_requested)
                 for d in session.exec(select(Demande))}
    assert flags == {"Muller": (2025, True), "Zimmer": (2024, False)}
    path = tmp_path / "demandes.csv"
    assert export_demandes(db, path) == 2
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    header = lines[0].split(";")
    column = header.index("Revenus n-1")
    assert header[column - 1] == "Année revenu fiscal"
    assert sorted(line.split(";")[column] for line in lines[1:]) == ["non", "oui"]
    # the editor's form reads and writes it
    new_id = save_demande(db, a_demande(nur="057240300125G5701", tax_income_n1_requested=True,
                                        reference_tax_income_year="2025"), today=TODAY)
    form = load_demande(db, new_id)
    assert (form.tax_income_n1_requested, form.reference_tax_income_year) == (True, "2025")
