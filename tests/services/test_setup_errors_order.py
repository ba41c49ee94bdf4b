"""A refused setup file lists its errors from the top of the file down, as one corrects
it: under the CLI an unknown key of a réservataire (line 51) came before the landlord's
SIREN (line 14) and an agency's e-mail (line 44), the order the checks ran in."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine

from caleol.errors import ValidationError
from caleol.services import organisation as org

FILE = """format = 1

[bailleur]
nom = "Habitat Mosellan de l'Est"
siren = "732829321"

[[agences]]
code = "METZ"
nom = "Agence de Metz"
courriel = "metz-hme.fr"

[[reservataires]]
code = "ALS"
nom = "Action Logement Services"
type = "action_logement"
couleur = "bleu"
"""

def test_errors_come_in_the_order_of_the_file(engine: Engine, tmp_path: Path) -> None:
    with pytest.raises(ValidationError) as info:
        org.apply_setup_data(engine, FILE.encode(), tmp_path)
    lines = [int(d.split(" : ")[0].removeprefix("Ligne ")) for d in info.value.details]
    assert lines == [5, 10, 16]
    assert "SIREN" in info.value.details[0] and "couleur" in info.value.details[2]
    assert org.get_landlord(engine) is None
