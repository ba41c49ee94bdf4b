"""References cite the landlord's own charter, never the model's (Vivest's) sections."""

from __future__ import annotations

import pytest

from caleol.rules import candidates, solvency, tax_notice, typology, waiting
from caleol.rules.charter import CHARTER, LEGACY, name_landlord, of_landlord
from caleol.rules.indicators import DEFINITIONS
from caleol.services.organisation.defaults import CRITERIA, REASONS, TARGETS


@pytest.mark.parametrize(("name", "expected"), [
    ("Vivest", "de Vivest"),
    ("Alliade Habitat", "d'Alliade Habitat"),
    ("Émeraude Habitation", "d'Émeraude Habitation"),
    ("Le Foyer Rémois", "du Foyer Rémois"),
    ("Les Foyers de Seine-et-Marne", "des Foyers de Seine-et-Marne"),
    ("La Maison du CIL", "de la Maison du CIL"),
    ("L'Office public de l'habitat", "de l'Office public de l'habitat"),
    ("Habitat 44", "de Habitat 44"),  # h: no elision guessed (aspiré or muet)
    ("  Logiest ", "de Logiest"),
])
def test_of_landlord_contracts_the_article(name: str, expected: str) -> None:
    assert of_landlord(name) == expected


def test_the_rules_cite_the_law_and_the_landlords_charter_by_subject() -> None:
    references = [typology.REFERENCE, solvency.REFERENCE, candidates.REFERENCE,
                  waiting.REFERENCE, tax_notice.REFERENCE]
    references += [d.reference for d in DEFINITIONS]
    references += [d.basis_reference for d in DEFINITIONS]
    for reference in references:
        assert "Vivest" not in reference and "§" not in reference, reference
    assert typology.REFERENCE.endswith(f"; {CHARTER} (typologie adaptée)")


def test_the_defaults_installed_in_every_base_name_no_landlord() -> None:
    texts = [r[4] for r in REASONS] + [c[3] for c in CRITERIA] + [t[3] for t in TARGETS]
    for text in texts:
        assert "Vivest" not in text and "§" not in text, text


def test_a_document_names_the_landlords_charter_and_cus() -> None:
    assert name_landlord(typology.REFERENCE, "Habitat du Val") == (
        "Art. R441-3 CCH ; charte d'attribution de Habitat du Val (typologie adaptée)")
    assert name_landlord("Charte d'attribution du bailleur (Action Logement)",
                         "Le Toit Lorrain") == (
        "Charte d'attribution du Toit Lorrain (Action Logement)")
    assert name_landlord("Avenant 2024-2026 à la CUS du bailleur, PP-5", "Alliade") == (
        "Avenant 2024-2026 à la CUS d'Alliade, PP-5")
    # no landlord recorded: the generic words stay, they are true
    assert name_landlord(typology.REFERENCE, " ") == typology.REFERENCE


def test_references_stored_before_are_printed_with_the_landlords_charter() -> None:
    # a candidacy presented before this change holds the model's reference in its snapshot
    old_typology, _new = LEGACY[0]
    assert name_landlord(old_typology, "Habitat du Val") == (
        "Art. R441-3 CCH ; charte d'attribution de Habitat du Val (typologie adaptée)")
    old_ceiling = ("Arrêté du 29 juillet 1987, annexe I ; art. R441-1 CCH ; Art. R441-1 CCH ; "
                   "arrêté du 29 juillet 1987 modifié (revenu fiscal de référence de l'année "
                   "n-2, n-1 à la demande du ménage) ; charte des attributions §2")
    assert name_landlord(old_ceiling, "Habitat du Val").endswith("à la demande du ménage)")
    for old, _new in LEGACY:
        assert "Vivest" not in name_landlord(old, "Habitat du Val")
