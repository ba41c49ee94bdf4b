"""`caleol evaluate` run as the installed command, in a subprocess."""

from __future__ import annotations

import copy
import json
import math
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

EXAMPLE: dict[str, Any] = {
    "date": "2026-03-10",
    "dwelling": {"typology": "T3", "financing": "PLUS", "zone": "autres_regions",
                 "rent": "520.00", "charges": "110.00", "energy": "90.00",
                 "adaptations": []},
    "household": {"members": [{"role": "applicant", "age": 34},
                              {"role": "partner", "age": 33},
                              {"role": "child", "age": 16},
                              {"role": "child", "age": 10}],
                  "monthly_resources": "2400.00", "resources_stable": True,
                  "housing_aid": "0", "reference_tax_income": 31000,
                  "reference_tax_income_year": 2024,  # n-2 of the examination
                  "payment_guarantee": False, "dalo": False,
                  "application_date": "2024-01-15", "department": "57"},
}


def command() -> list[str]:
    installed = shutil.which("caleol") or shutil.which(
        "caleol", path=os.path.dirname(sys.executable)
    )
    return [installed, "evaluate"] if installed else [sys.executable, "-m", "caleol", "evaluate"]


def run(raw: bytes, *args: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [*command(), *args], input=raw, capture_output=True, timeout=60, check=False
    )


def run_json(doc: Any) -> subprocess.CompletedProcess[bytes]:
    return run(json.dumps(doc, ensure_ascii=False).encode("utf-8"))


def assert_french_usage_error(result: subprocess.CompletedProcess[bytes]) -> str:
    stderr = result.stderr.decode("utf-8")
    assert result.returncode == 2, stderr
    assert result.stdout == b""
    assert "Traceback" not in stderr
    assert stderr.startswith("Erreur : ")
    return stderr


def test_issue_example() -> None:
    result = run_json(EXAMPLE)
    assert result.returncode == 0, result.stderr.decode()
    assert result.stderr == b""
    checks = json.loads(result.stdout)["checks"]
    assert set(checks) == {"ceiling", "solvency", "typology", "waiting_time"}
    # 4 persons, couple 34 + 33 = 67 > 55 (not a jeune ménage) + 2 children → category 4;
    # PLUS 2026 autres régions category 4 = 45 374 ≥ 31 000
    ceiling = checks["ceiling"]
    assert (ceiling["status"], ceiling["category"], ceiling["ceiling"], ceiling["income"]) == (
        "pass", 4, 45374, 31000
    )
    # UC = 1 + 0.5 + 0.5 (16) + 0.3 (10) = 2.3; TE = 720 / 2400 = 30 % → floor 20;
    # RàV = (2400 − 720) / 2.3 / 30 = 24.35 ≥ 20
    solvency = checks["solvency"]
    assert solvency["status"] == "pass"
    assert solvency["consumption_units"] == "2.3"
    assert solvency["effort_rate"] == "0.3000"
    assert solvency["remaining_per_day_per_unit"] == "24.35"
    assert solvency["floor"] == "20.00"
    assert "30 jours" in solvency["explanation"]
    assert checks["typology"]["status"] == "pass"
    assert checks["typology"]["allowed"] == ["T3", "T4"]
    # 2024-01-15 → 2026-03-10 = 25 completed months ≥ 18 (Moselle)
    waiting = checks["waiting_time"]
    assert (waiting["months"], waiting["threshold_months"], waiting["abnormally_long"]) == (
        25, 18, True
    )
    for check in checks.values():
        assert check["status"] in {"pass", "fail", "unknown"}
        assert check["explanation"] and check["reference"]


def test_money_as_json_numbers() -> None:
    raw = json.dumps(EXAMPLE).replace('"520.00"', "520.00").replace('"2400.00"', "2400")
    result = run(raw.encode())
    assert result.returncode == 0
    assert json.loads(result.stdout)["checks"]["solvency"]["effort_rate"] == "0.3000"


def test_energy_null_is_not_estimated() -> None:
    # Hors énergie TE = 630 / 2400 = 26,25 %: a pass without the energy bills → unknown
    doc = copy.deepcopy(EXAMPLE)
    doc["dwelling"]["energy"] = None
    result = run_json(doc)
    assert result.returncode == 0, result.stderr.decode()
    solvency = json.loads(result.stdout)["checks"]["solvency"]
    assert (solvency["status"], solvency["energy"]) == ("unknown", None)
    assert "énergie incluse" in solvency["explanation"]


def test_imported_ceiling_table(tmp_path: Path) -> None:
    doc = copy.deepcopy(EXAMPLE)
    doc["dwelling"]["financing"] = "PLAI"
    unknown = json.loads(run_json(doc).stdout)["checks"]["ceiling"]
    assert unknown["status"] == "unknown"
    assert "la table des plafonds PLAI 2026" in unknown["explanation"]
    table = tmp_path / "plai-2026.csv"
    table.write_text(
        "financing,zone,effective_from,cat1,cat2,cat3,cat4,cat5,cat6,per_extra_person\n"
        "PLAI,autres_regions,2026-01-01,12000,17000,21000,23000,27000,30000,3400\n",
        encoding="utf-8",
    )
    result = run(json.dumps(doc).encode(), "--plafonds", str(table))
    ceiling = json.loads(result.stdout)["checks"]["ceiling"]
    assert (ceiling["status"], ceiling["ceiling"]) == ("fail", 23000)  # 31 000 > 23 000


def mutated(path: str, value: Any) -> dict[str, Any]:
    doc = copy.deepcopy(EXAMPLE)
    *parents, last = path.split(".")
    target: Any = doc
    for key in parents:
        target = target[key]
    if value is DELETE:
        del target[last]
    else:
        target[last] = value
    return doc


DELETE = object()


@pytest.mark.parametrize(
    ("path", "value", "fragment"),
    [
        ("dwelling.rent", DELETE, "dwelling.rent : champ obligatoire manquant"),
        ("dwelling.rent", "-520", "montant négatif"),
        ("dwelling.rent", True, "booléen"),
        ("household.monthly_resources", [], "montant attendu"),
        ("dwelling.typology", "T12", "Typologie inconnue"),
        ("dwelling.financing", "PLUSS", "Financement inconnu"),
        ("dwelling.zone", "corse", "Zone inconnue"),
        ("household.members", [], "aucun membre"),
        ("household.members", [{"role": "roi", "age": 40}], "rôle inconnu"),
        ("household.members", [{"role": "applicant", "age": 40},
                               {"role": "applicant", "age": 41}], "un seul demandeur"),
        ("household.application_date", "2024-13-01", "date inexistante"),
        ("date", "10/03/2026", "AAAA-MM-JJ"),
        ("household.dalo", "non", "booléen attendu"),
        ("household.reference_tax_income", 10**40, "démesuré"),
    ],
)
def test_malformed_documents_exit_2_in_french(path: str, value: Any, fragment: str) -> None:
    stderr = assert_french_usage_error(run_json(mutated(path, value)))
    assert fragment in stderr


@pytest.mark.parametrize(
    "raw",
    [
        b"",
        b"not json",
        b"{\"date\": NaN}",
        b"{\"date\": -Infinity}",
        b"\xc3\x28",  # invalid UTF-8
        b"[" * 50_000,
        b"1" * 10_000,
        b"[]",
        b"null",
    ],
)
def test_undecodable_input_exit_2(raw: bytes) -> None:
    assert_french_usage_error(run(raw))


def test_nan_money_from_a_json_encoder() -> None:
    doc = mutated("dwelling.rent", math.nan)
    stderr = assert_french_usage_error(run(json.dumps(doc).encode()))
    assert "NaN" in stderr


bad_values = st.one_of(
    st.none(), st.booleans(), st.integers(max_value=-1), st.just(float("inf")),
    st.just(float("nan")), st.text(alphabet="xyzé%-", max_size=5),
    st.lists(st.integers(), max_size=2), st.dictionaries(st.text(max_size=3), st.none()),
    st.just(DELETE),
)
MONEY_OR_TYPED = [
    "date", "dwelling", "household", "dwelling.typology", "dwelling.financing",
    "dwelling.zone", "dwelling.rent", "dwelling.charges", "dwelling.energy",
    "household.members", "household.monthly_resources", "household.resources_stable",
    "household.reference_tax_income", "household.application_date",
]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(path=st.sampled_from(MONEY_OR_TYPED), value=bad_values)
def test_family_of_malformed_documents(path: str, value: Any) -> None:
    assume(not (path == "household.resources_stable" and isinstance(value, bool)))
    assume(not (path == "dwelling.energy" and value is None))  # null: not estimated
    doc = mutated(path, value)
    result = run(json.dumps(doc).encode())
    stderr = assert_french_usage_error(result)
    assert path.split(".")[-1] in stderr or "JSON" in stderr or "Valeur" in stderr


def test_help_is_french() -> None:
    result = run(b"", "--help")
    assert result.returncode == 0
    assert "entrée standard" in result.stdout.decode()
