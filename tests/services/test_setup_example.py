"""docs/exemple-organisation.toml applies cleanly to a new database, and
docs/organisation-toml.md documents every key the format knows."""

from __future__ import annotations

import re
import string
import tomllib
from pathlib import Path

import pytest
from sqlalchemy import Engine

from caleol import paths
from caleol.services import organisation as org
from caleol.services.organisation import setup_format as fmt

DOCS = Path(__file__).resolve().parents[2] / "docs"
EXAMPLE = DOCS / "exemple-organisation.toml"


def test_the_example_applies_to_an_empty_database(engine: Engine) -> None:
    report = org.apply_setup_file(engine, EXAMPLE)
    assert report.changed and report.templates_written == ("offre",)
    landlord = org.get_landlord(engine)
    assert landlord is not None and landlord.name == "Habitat Lorrain"
    assert [a.code for a in org.list_agencies(engine)] == ["METZ", "WOIPPY"]
    [commission] = org.list_commissions(engine)
    assert commission.agency_codes == ("METZ", "WOIPPY") and commission.remote_sessions_allowed
    members = {m.code: m for m in org.list_members(engine, "CALEOL-METZ")}
    assert len(members) == 8 and members["PREFET-S"].substitute_for == "PREFET"
    assert members["ALS"].reservataire_code == "ALS" and not members["ALS"].deliberative
    reasons = {r.code for r in org.list_reasons(engine)}
    assert {"PLAFOND", "ETAGE_SANS_ASCENSEUR"} <= reasons  # the charter's set, then the file's
    departments = {d.code: d for d in org.list_departments(engine)}
    assert departments["57"].abnormal_delay_months == 18
    again = org.apply_setup_file(engine, EXAMPLE)
    assert not again.changed


def test_the_doc_names_every_key_and_table() -> None:
    text = (DOCS / "organisation-toml.md").read_text(encoding="utf-8")
    for section in (*fmt.SECTIONS, fmt.MEMBERS):
        assert f"[{section.name}]" in text, section.name
        for key in section.keys:
            assert f"`{key.name}`" in text, (section.name, key.name)


def test_the_example_uses_every_table() -> None:
    data = tomllib.loads(EXAMPLE.read_text(encoding="utf-8"))
    assert set(data) == set(fmt.TOP_KEYS)


@pytest.mark.parametrize("kind", ["offre"])
def test_the_example_template_uses_fields_the_letter_knows(kind: str) -> None:
    data = tomllib.loads(EXAMPLE.read_text(encoding="utf-8"))
    [template] = [t for t in data["modeles_courriers"] if t["type"] == kind]
    shipped = (paths.resources_dir() / "templates" / f"{kind}.txt").read_text(encoding="utf-8")

    def fields(text: str) -> set[str]:
        pattern = string.Template.pattern
        return {m.group("named") or m.group("braced") for m in re.finditer(pattern, text)
                if m.group("named") or m.group("braced")}

    assert fields(template["texte"]) <= fields(shipped)
