"""What a séance or a year lacks among the yearly tables (the banners' data)."""

from __future__ import annotations

from sqlalchemy import Engine

from caleol.services import sessions as svc
from caleol.services.territory import yearly
from caleol.services.territory.missing import (
    MissingTables,
    missing_for_session,
    missing_for_year,
)
from tests.services.sessions_factory import SESSION_DATE, add_dwelling_row, build_world

QUARTILE = ("siren_epci;annee;seuil;source\n"
            "200039865;2026;10105,40;arrêté préfectoral du 2 février 2026\n").encode()


def _seance(engine: Engine, *financings: str) -> int:
    world = build_world(engine)
    session_id = svc.create_session(engine, world.commission_id, SESSION_DATE, place="Metz")
    for financing in financings:
        svc.add_dwelling(engine, session_id, add_dwelling_row(engine, world, financing=financing))
    return session_id


def test_missing_ceiling_tables_and_threshold_of_a_seance(engine: Engine) -> None:
    # 10 March 2026: PLUS 2026 is shipped, PLS derives from it (× 1,3), PLAI stops at 2022
    # and PLI has no shipped table; Metz Métropole has no 2026 threshold yet.
    session_id = _seance(engine, "PLUS", "PLS", "PLAI adapté", "PLAI", "PLI")
    missing = missing_for_session(engine, session_id)
    assert missing.year == 2026
    assert missing.ceilings == ("PLAI, zone autres régions", "PLI, zone autres régions")
    assert missing.quartiles == ("Metz Métropole (SIREN 200039865)",)
    assert missing.text == (
        "Plafonds de ressources 2026 manquants : PLAI, zone autres régions ; PLI, zone autres "
        "régions — le contrôle du plafond restera « inconnu » pour ces logements. Seuil de "
        "premier quartile 2026 manquant : Metz Métropole (SIREN 200039865) — les attributions "
        "de cet EPCI seront comptées en « seuil inconnu ».")
    # seen on a new base: one EPCI read « les attributions de ces EPCI »
    assert MissingTables(2026, quartiles=("A (SIREN 1)", "B (SIREN 2)")).text == (
        "Seuils de premier quartile 2026 manquants : A (SIREN 1) ; B (SIREN 2) — les "
        "attributions de ces EPCI seront comptées en « seuil inconnu ».")
    yearly.import_quartile_file(engine, QUARTILE)
    assert missing_for_session(engine, session_id).quartiles == ()


def test_nothing_missing(engine: Engine) -> None:
    session_id = _seance(engine, "PLUS")
    yearly.import_quartile_file(engine, QUARTILE)
    assert missing_for_session(engine, session_id).empty


def test_missing_thresholds_of_a_year(engine: Engine) -> None:
    _seance(engine, "PLUS")
    assert missing_for_year(engine, 2026).quartiles == ("Metz Métropole (SIREN 200039865)",)
    yearly.import_quartile_file(engine, QUARTILE)
    assert missing_for_year(engine, 2026).empty
    assert not missing_for_year(engine, 2027).empty
