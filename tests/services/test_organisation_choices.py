"""What the organisation forms offer on a database that stores no territory yet."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

from caleol.services import organisation as org
from caleol.services.organisation.choices import department_choices, epci_choices


def test_departements_and_epci_come_from_the_reference_before_anything_is_stored(
        sqlite_engine: Engine) -> None:
    departments = {c.value: c.label for c in department_choices(sqlite_engine)}
    assert departments["57"] == "57 — Moselle" and departments["2A"] == "2A — Corse-du-Sud"
    assert departments["974"] == "974 — La Réunion"
    moselle = {c.value: c.label for c in epci_choices(sqlite_engine, ["57"])}
    assert moselle["200039865"] == "Metz Métropole (200039865)"
    assert "245400676" not in moselle  # Métropole du Grand Nancy: Meurthe-et-Moselle
    both = {c.value for c in epci_choices(sqlite_engine, ["57", "54"])}
    assert "245400676" in both and set(moselle) < both
    assert epci_choices(sqlite_engine, [""]) == ()


def test_a_stored_epci_the_reference_lacks_is_offered(sqlite_engine: Engine) -> None:
    org.save_department(sqlite_engine, org.DepartmentRecord("57", "Moselle"))
    org.save_epci(sqlite_engine, org.EpciRecord("732829320", "EPCI d'essai", "57"))
    assert "732829320" in {c.value for c in epci_choices(sqlite_engine, ["57"])}


def test_departements_are_offered_without_decoding_the_communes(
        sqlite_engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    """Decoding the ~35 000 communes took 1,3 s on the GUI thread when the setup
    assistant or Référentiels opened an agency form: the shipped départements come from
    their small list."""
    from caleol.services.territory import resolve

    def decoded() -> None:
        raise AssertionError("the whole territory reference was decoded")

    monkeypatch.setattr(resolve, "shipped_dataset", decoded)
    monkeypatch.setattr(resolve, "load_compact", decoded)
    departments = {c.value: c.label for c in department_choices(sqlite_engine)}
    assert departments["57"] == "57 — Moselle" and len(departments) == 101


def test_an_imported_newer_reference_gives_its_departements(sqlite_engine: Engine) -> None:
    from services.territory.npm_fixture import npm_tarball

    from caleol.services.territory import updates

    updates.import_communes(sqlite_engine, npm_tarball("7.0.0"))
    # the fixture's package (dated after the shipped one) holds Moselle and Paris only
    assert {c.value for c in department_choices(sqlite_engine)} == {"57", "75"}
