"""Ceiling zones (arrêté du 29 juillet 1987, annexe I): hand cases."""

from __future__ import annotations

import pytest

from caleol.rules.ceilings import Zone
from caleol.rules.zones import PARIS_NEIGHBOURS, ceiling_zone, department_of, is_insee_code


@pytest.mark.parametrize(("insee", "zone"), [
    ("75056", Zone.PARIS_ET_LIMITROPHES),  # Paris, the commune
    ("75101", Zone.PARIS_ET_LIMITROPHES),  # Paris 1er arrondissement
    ("75120", Zone.PARIS_ET_LIMITROPHES),  # Paris 20e arrondissement
    ("93048", Zone.PARIS_ET_LIMITROPHES),  # Montreuil touches the 20e: limitrophe
    ("92012", Zone.PARIS_ET_LIMITROPHES),  # Boulogne-Billancourt, along the Bois de Boulogne
    ("94052", Zone.PARIS_ET_LIMITROPHES),  # Nogent-sur-Marne, along the Bois de Vincennes
    ("78646", Zone.ILE_DE_FRANCE_HORS_PARIS),  # Versailles (78): Île-de-France, not limitrophe
    ("92002", Zone.ILE_DE_FRANCE_HORS_PARIS),  # Antony (92): in the petite couronne, not limitrophe
    ("93008", Zone.ILE_DE_FRANCE_HORS_PARIS),  # Bobigny (93): not limitrophe
    ("57463", Zone.AUTRES_REGIONS),  # Metz
    ("54395", Zone.AUTRES_REGIONS),  # Nancy
    ("2A004", Zone.AUTRES_REGIONS),  # Ajaccio
    ("69381", Zone.AUTRES_REGIONS),  # Lyon 1er arrondissement: only Paris's count
    ("97411", Zone.OUTRE_MER),  # Saint-Denis (La Réunion): outside the arrêté's zones
])
def test_ceiling_zone(insee: str, zone: Zone) -> None:
    assert ceiling_zone(insee) is zone


def test_twenty_nine_neighbours_all_in_the_petite_couronne() -> None:
    # Paris touches 29 communes: 11 in Hauts-de-Seine, 8 in Seine-Saint-Denis and 10 in
    # Val-de-Marne (counted on the map, the two woods included).
    assert len(PARIS_NEIGHBOURS) == 29
    by_department = {d: sum(1 for c in PARIS_NEIGHBOURS if c[:2] == d) for d in ("92", "93", "94")}
    assert by_department == {"92": 11, "93": 8, "94": 10}


@pytest.mark.parametrize(("insee", "department"), [
    ("57463", "57"), ("2B033", "2B"), ("97411", "974"), ("75115", "75"),
])
def test_department_of(insee: str, department: str) -> None:
    assert department_of(insee) == department


@pytest.mark.parametrize("bad", ["5746", "574630", "2C004", "ABCDE", "", "57 63"])
def test_not_a_commune_code(bad: str) -> None:
    assert not is_insee_code(bad)
    with pytest.raises(ValueError, match="code INSEE"):
        ceiling_zone(bad)


def test_the_codes_the_simulator_gets_wrong_are_right_here() -> None:
    """OpenFisca-France's list (the names caleol follows, no legal text listing the
    communes being known: see the module's docstring) labels 93001 « Bagnolet » and
    93006 « Boulogne-Billancourt » and lacks 92012: here each code is its commune."""
    assert (PARIS_NEIGHBOURS["93001"], PARIS_NEIGHBOURS["93006"],
            PARIS_NEIGHBOURS["92012"]) == ("Aubervilliers", "Bagnolet", "Boulogne-Billancourt")
    import caleol.rules.zones as zones

    assert "No legal text listing them was found" in (zones.__doc__ or "")
