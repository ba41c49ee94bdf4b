"""A landlord's targets belong to the landlord: stored rows, never shipped rules.

Vivest's CUS amendment commitments (PS-2 per département, 54/57) were written in
`rules/indicators/targets.py` and applied to every database. They are now default
rows, installed with the charter's reasons and criteria when an organisation is
created, each with its source, editable (Référentiels → Objectifs), exported and
applied by `caleol setup`; the indicators read them from the database. The rules keep
only the national targets of the CCH (art. L441-1).
"""

from __future__ import annotations

import tomllib
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

from sqlalchemy import Engine

from caleol.db.engine import open_database
from caleol.rules.indicators import Period, Territory
from caleol.services import organisation as org
from caleol.services.reports.queries import indicator_results

YEAR = Period.year(2026)
MOSELLE = Territory(department="57")
# the model's commitments: a default of caleol, never « la CUS de Vivest »
AVENANT = "Valeur par défaut de caleol (CUS type, avenant 2024-2026)"


def _result(engine: Engine, code: str, territory: Territory = MOSELLE,
            period: Period = YEAR) -> tuple[Decimal | None, str]:
    found = next(r for r in indicator_results(engine, period, territory) if r.code == code)
    return found.target, found.target_source


def test_the_defaults_are_stored_rows_with_their_source(engine: Engine) -> None:
    org.install_charter_defaults(engine)
    rows = {(t.indicator_code, t.year, t.department_code): t for t in org.list_targets(engine)}
    # Avenant, PS-2 « Engagements annuels en pourcentage »: % total 54 → 25, 26, 25;
    # % hors QPV 54 → 90 %, 57 → 60 % each year 2024-2026
    assert rows[("PS-2", 2025, "54")].value == Decimal("0.26")
    assert rows[("PS-2", 2024, "54")].value == Decimal("0.25")
    moselle = rows[("PS-2-HQPV", 2026, "57")]
    assert moselle.value == Decimal("0.60")
    assert moselle.source == f"{AVENANT}, PS-2 % hors QPV, 57-Moselle"
    assert rows[("PS-2-HQPV", 2024, "54")].value == Decimal("0.90")
    # the State convention of the amendment, the CUS's PP-5, the charter's Action Logement
    assert rows[("ETAT-AGENTS", 2026, "")].value == Decimal("0.05")
    assert rows[("PP-5", 2026, "")].value == Decimal("0.30")
    salaries = rows[("AL-SALARIES", 2026, "")]
    assert salaries.value == Decimal("0.50")
    assert salaries.source.startswith("Valeur par défaut de caleol (charte type)")
    assert all(t.source for t in rows.values())
    # the CCH's national targets are no rows: the rules apply them
    assert not {code for code, _y, _d in rows} & {"Q1-HQPV", "QPV-Q2Q4"}
    assert {year for _c, year, _d in rows} == {2024, 2025, 2026}


def test_the_indicators_use_the_stored_targets_only(engine: Engine) -> None:
    # no organisation yet: nothing of any landlord applies, only the CCH
    assert _result(engine, "PS-2-HQPV") == (None, "")
    assert _result(engine, "AL-SALARIES") == (None, "")
    assert _result(engine, "PS-2") == (Decimal("0.25"), "art. L441-1 du CCH")
    org.install_charter_defaults(engine)
    assert _result(engine, "PS-2-HQPV") == (Decimal("0.60"),
                                           f"{AVENANT}, PS-2 % hors QPV, 57-Moselle")
    assert _result(engine, "PS-2-HQPV", Territory(department="54"))[0] == Decimal("0.90")
    assert _result(engine, "PS-2", Territory(department="54"),
                   Period.year(2025))[0] == Decimal("0.26")
    # edited in Référentiels → Objectifs: the indicators follow
    stored = next(t for t in org.list_targets(engine, 2026)
                  if (t.indicator_code, t.department_code) == ("PS-2-HQPV", "57"))
    org.save_target(engine, replace(stored, value=Decimal("0.65"), source="CUS 2027 (projet)"))
    assert _result(engine, "PS-2-HQPV") == (Decimal("0.65"), "CUS 2027 (projet)")
    # deleted: nothing comes back from the program
    org.delete_target(engine, stored.id)
    assert _result(engine, "PS-2-HQPV") == (None, "")


def _targets(engine: Engine) -> set[tuple[str, int, str, Decimal, str]]:
    return {(t.indicator_code, t.year, t.department_code, t.value, t.source)
            for t in org.list_targets(engine)}


def test_the_defaults_go_through_setup_export_and_apply(engine: Engine,
                                                        tmp_path: Path) -> None:
    org.install_charter_defaults(engine)
    text = org.export_setup_text(engine).text
    exported = tomllib.loads(text)["objectifs"]
    assert {"indicateur": "PS-2-HQPV", "annee": 2026, "departement": "57",
            "source": f"{AVENANT}, PS-2 % hors QPV, 57-Moselle"}.items() <= next(
        t for t in exported if (t["indicateur"], t["annee"], t["departement"]) == (
            "PS-2-HQPV", 2026, "57")).items()
    path = tmp_path / "organisation.toml"
    path.write_text(text, encoding="utf-8")
    other = open_database(str(tmp_path / "autre.sqlite3"), create=True)
    try:
        org.apply_setup_file(other, path)
        assert _targets(other) == _targets(engine)
    finally:
        other.dispose()
