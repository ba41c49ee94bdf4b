"""Documents printed for a landlord cite its own charter, never the model's (Vivest's).

caleol ships Vivest's attribution charter as the model of its defaults; a candidate
sheet, an access request or an annual report printed on another landlord's base must
not cite « Charte d'attribution Vivest §2 » or « CUS Vivest §8.2.2 » (a legal record
citing a charter its landlord never adopted). The applicant's copy states what could
not be verified, never what the office should do.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlalchemy import Engine

from caleol.services import organisation as org
from caleol.services import sessions as svc
from caleol.services.documents.session_minutes import produce_candidate_sheets
from caleol.services.privacy import export_access_request
from caleol.services.reports.generate import annual_report_pdf
from caleol.settings import Settings
from tests.services.documents.pdf_probe import text_of
from tests.services.sessions_factory import (
    SESSION_DATE,
    add_demande_row,
    add_dwelling_row,
    build_world,
)

LANDLORD = "Habitat de Metz"  # sessions_factory's landlord


def _presented_on_a_plai_dwelling(engine: Engine) -> int:
    """A séance whose dwelling is PLAI: no PLAI 2026 ceiling table is shipped, so the
    ceiling check is unknown for its candidates."""
    world = build_world(engine)
    org.install_charter_defaults(engine)  # the default targets, with their sources
    session_id = svc.create_session(engine, world.commission_id, SESSION_DATE, place="Metz")
    item_id = svc.add_dwelling(engine, session_id,
                               add_dwelling_row(engine, world, financing="PLAI"))
    svc.add_candidate(engine, item_id, add_demande_row(engine, world, surname="Durand"))
    for _ in range(2):
        svc.add_candidate(engine, item_id, add_demande_row(engine, world))
    svc.mark_ready(engine, session_id)
    return session_id


def test_the_candidate_sheet_names_the_landlords_charter(engine: Engine) -> None:
    session_id = _presented_on_a_plai_dwelling(engine)
    text = text_of(produce_candidate_sheets(engine, session_id, settings=Settings()))
    assert "Vivest" not in text and "§" not in text
    # typology: art. R441-3 CCH, then this landlord's charter by subject
    assert "charte d'attribution de Habitat de Metz (typologie adaptée)" in text
    assert "charte d'attribution de Habitat de Metz (solvabilité des ménages)" in text


def test_the_access_request_states_what_could_not_be_verified(
    engine: Engine, tmp_path: Path
) -> None:
    _presented_on_a_plai_dwelling(engine)
    destination = tmp_path / "acces.pdf"
    export_access_request(engine, "Durand", destination, Settings())
    text = text_of(destination.read_bytes())
    assert "Vivest" not in text and "§" not in text
    assert "charte d'attribution de Habitat de Metz (typologie adaptée)" in text
    # the ceiling could not be checked: said as a fact, not as an order to the office
    assert ("Le plafond de ressources n'a pas pu être vérifié : la table des plafonds PLAI "
            "2026 (zone autres régions, arrêté annuel de revalorisation) n'était pas "
            "disponible.") in text
    for instruction in ("Importez", "pour conclure", "Complétez", "cochez", "ajoutez",
                        "vérifiez"):
        assert instruction not in text, instruction


def test_the_annual_report_names_the_landlords_charter_and_cus(engine: Engine) -> None:
    _presented_on_a_plai_dwelling(engine)
    text = text_of(annual_report_pdf(engine, 2026, Settings(), today=date(2027, 1, 20)))
    assert "Vivest" not in text and "§8.2.2" not in text
    assert "charte d'attribution de Habitat de Metz (mixité sociale)" in text
    assert "CUS de Habitat de Metz et convention de réservation de l'État" in text
    # a default target installed with the base is said to be caleol's default, not a
    # commitment of this landlord's CUS (nor of the model's landlord)
    assert ("Objectif : au plus 5,0 % (Valeur par défaut de caleol (CUS type, avenant "
            "2024-2026), contingent de l'État : 5 % au plus aux agents de l'État)") in text
