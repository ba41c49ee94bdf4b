"""What `caleol setup apply` reports on a new base: a substitute written then linked to
its titular in the same apply is one addition, not « 2 ajouts, 1 modification » (seen
applying an exported organisation to a new base: « membres de commission : 6 ajouts,
2 modifications » for six new members, two of them substitutes)."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine

from caleol.services import organisation as org

FILE = """format = 1

[bailleur]
nom = "Habitat Mosellan de l'Est"
siren = "732829320"

[[agences]]
code = "METZ"
nom = "Agence de Metz"

[[commissions]]
code = "CAL"
nom = "CALEOL de Metz"
agences = ["METZ"]

[[commissions.membres]]
code = "M1"
civilite = "Mme"
nom = "Claire Martin"
qualite = "administrateur"

[[commissions.membres]]
code = "M2"
civilite = "Mme"
nom = "Anne Petit"
qualite = "administrateur"
suppleant_de = "M1"
"""


def test_new_members_are_additions_only(engine: Engine, tmp_path: Path) -> None:
    report = org.apply_setup_data(engine, FILE.encode(), tmp_path)
    assert "membres de commission : 2 ajouts" in report.lines
    assert not any("modification" in line for line in report.lines), report.lines
    again = org.apply_setup_data(engine, FILE.encode(), tmp_path)
    assert not again.changed
