"""Bad input everywhere: a French error, no traceback, nothing half-written.

Cross-cutting, through the `caleol` command: `caleol import` (dwellings, demandes)
on a database that already holds data, and `caleol evaluate`. The importers' and
evaluate's own authors test each field in depth (tests/services/test_imports*.py,
tests/cli/test_evaluate.py); here every kind of bad input of issue 9 goes through
the same door as the user's: huge numbers, negative money, NaN, dates in the
future, empty and 30-person households, unknown values, invalid UTF-8, binary
files, 100 MB files. After each refusal the database is byte-for-byte the same in
content (every row of every table, the audit log included).
"""

from __future__ import annotations

import copy
import hashlib
import io
import json
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from services.import_fixtures import with_references

from caleol.cli import main
from caleol.db.engine import open_database

DEMANDES_HEADER = "NUR;Date dépôt;Nom;Prénoms;Membres;Ressources;Revenu fiscal référence;Statut"
GOOD_DEMANDE = ("057240300001V5701;12/03/2024;Durand;Élodie;demandeur:02/03/1985 | "
                "enfant:01/06/2012;salaire:1850,50;19000;active")
DWELLINGS_HEADER = ("Référence;Code INSEE;Typologie;Financement;Loyer (€);Charges (€);"
                    "Surface (m²);Agence;Statut")
GOOD_DWELLING = "MET-1;57463;T3;PLUS;412,50;85;66,5;METZ;vacant"
HUNDRED_MB = 100 * 1024 * 1024


def fingerprint(path: Path) -> str:
    """SHA-256 over every row of every table, rows sorted (read-only)."""
    digest = hashlib.sha256()
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        tables = [r[0] for r in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
        for table in tables:
            digest.update(table.encode())
            # sorted here: the text index's shadow tables (0009) have no rowid
            for row in sorted(repr(r) for r in connection.execute(f'SELECT * FROM "{table}"')):
                digest.update(row.encode())
    finally:
        connection.close()
    return digest.hexdigest()


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """References, one dwelling and one demande already imported (updates must not leak)."""
    folder = tmp_path_factory.mktemp("bad_input")
    path = folder / "template.sqlite3"
    engine = with_references(open_database(str(path), create=True, backup_dir=folder / "backups"))
    engine.dispose()
    for kind, text in (("dwellings", f"{DWELLINGS_HEADER}\n{GOOD_DWELLING}\n"),
                       ("demandes", f"{DEMANDES_HEADER}\n{GOOD_DEMANDE}\n")):
        source = folder / f"{kind}.csv"
        source.write_text(text, encoding="utf-8")
        assert main(["import", kind, str(source), "--db", str(path)]) == 0
    return path


@pytest.fixture
def database(template: Path, tmp_path: Path) -> Path:
    path = tmp_path / "caleol.sqlite3"
    shutil.copyfile(template, path)
    return path


def assert_french_refusal(code: int, err: str, out: str = "") -> None:
    assert code == 2, (out, err)
    assert err.startswith("Erreur : "), err
    assert "Traceback" not in err + out
    assert "Error" not in err  # no English exception name leaking


def run_import(kind: str, data: bytes, database: Path, folder: Path,
               capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    source = folder / f"{kind}-input.csv"
    source.write_bytes(data)
    code = main(["import", kind, str(source), "--db", str(database)])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def demande_row(**cells: str) -> str:
    names = ["nur", "date", "nom", "prenoms", "membres", "ressources", "rfr", "statut"]
    values = dict(zip(names, GOOD_DEMANDE.split(";"), strict=True))
    values.update(cells)
    return ";".join(values[n] for n in names)


def dwelling_row(**cells: str) -> str:
    names = ["ref", "insee", "typo", "fin", "loyer", "charges", "surface", "agence", "statut"]
    values = dict(zip(names, GOOD_DWELLING.split(";"), strict=True))
    values.update(cells)
    return ";".join(values[n] for n in names)


THIRTY = "demandeur:02/03/1985" + " | enfant:01/06/2012" * 29

BAD_DEMANDES: dict[str, str] = {
    "revenu énorme": demande_row(rfr="9" * 400),
    "revenu NaN": demande_row(rfr="NaN"),
    "revenu infini": demande_row(rfr="inf"),
    "ressource négative": demande_row(ressources="salaire:-1850"),
    "ressource énorme": demande_row(ressources="salaire:1e400"),
    "ressource NaN": demande_row(ressources="salaire:nan"),
    "dépôt dans le futur": demande_row(date="12/03/2099"),
    "naissance dans le futur": demande_row(membres="demandeur:02/03/2199"),
    "ménage vide": demande_row(membres=""),
    "ménage de 30 personnes": demande_row(membres=THIRTY),
    "rôle inconnu": demande_row(membres="demandeur:02/03/1985 | martien:01/01/2000"),
    "statut inconnu": demande_row(statut="peut-être"),
    "NUR invalide": demande_row(nur="pas-un-nur"),
    "NUR en double": GOOD_DEMANDE.replace("Élodie", "Autre") + "\n" + demande_row(),
    "date impossible": demande_row(date="31/02/2024"),
    "texte géant": demande_row(nom="A" * 70_000),
}


@pytest.mark.parametrize("case", list(BAD_DEMANDES), ids=list(BAD_DEMANDES))
def test_bad_demandes_file_is_refused_and_changes_nothing(
    case: str, database: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = fingerprint(database)
    # the good row changes an existing demande: a refusal must not apply even that
    data = f"{DEMANDES_HEADER}\n{GOOD_DEMANDE.replace('Durand', 'Martin')}\n" \
           f"{BAD_DEMANDES[case]}\n"
    code, out, err = run_import("demandes", data.encode("utf-8"), database, tmp_path, capsys)
    assert_french_refusal(code, err, out)
    assert "rien n'a été enregistré" in err
    assert fingerprint(database) == before


def test_hopeless_demandes_file_is_not_read_to_the_end(
    database: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """3 000 bad rows (every one-line kind above, in turn) after a good one: reading stops
    at the 1 000th refused row, line 1 (header) + 1 (good row) + 1 000 = 1 002."""
    kinds = [row for case, row in BAD_DEMANDES.items()
             if "\n" not in row and case != "texte géant"]  # a giant cell ends the file
    bad_rows = [kinds[n % len(kinds)] for n in range(3000)]
    data = "\n".join([DEMANDES_HEADER, GOOD_DEMANDE.replace("Durand", "Martin"), *bad_rows])
    before = fingerprint(database)
    code, out, err = run_import("demandes", (data + "\n").encode("utf-8"), database, tmp_path,
                                capsys)
    assert_french_refusal(code, err, out)
    assert "rien n'a été enregistré" in err
    assert ("Le fichier n'a pas été lu jusqu'au bout : trop d'erreurs (1\u00a0000 lignes "
            "refusées), lecture arrêtée à la ligne 1002.") in err
    assert fingerprint(database) == before


BAD_DWELLINGS: dict[str, str] = {
    "loyer énorme": dwelling_row(loyer="1" * 300),
    "loyer NaN": dwelling_row(loyer="NaN"),
    "loyer négatif": dwelling_row(loyer="-412,50"),
    "surface infinie": dwelling_row(surface="Infinity"),
    "typologie inconnue": dwelling_row(typo="T99"),
    "financement inconnu": dwelling_row(fin="PLZ"),
    "commune inconnue": dwelling_row(insee="99999"),
    "statut inconnu": dwelling_row(statut="démoli"),
    "référence vide": dwelling_row(ref=""),
}


@pytest.mark.parametrize("case", list(BAD_DWELLINGS), ids=list(BAD_DWELLINGS))
def test_bad_dwellings_file_is_refused_and_changes_nothing(
    case: str, database: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = fingerprint(database)
    data = f"{DWELLINGS_HEADER}\n{GOOD_DWELLING.replace('412,50', '999')}\n" \
           f"{BAD_DWELLINGS[case]}\n"
    code, out, err = run_import("dwellings", data.encode("utf-8"), database, tmp_path, capsys)
    assert_french_refusal(code, err, out)
    assert fingerprint(database) == before


BAD_FILES: dict[str, bytes] = {
    "vide": b"",
    "en-tête seul": DEMANDES_HEADER.encode(),
    "UTF-8 invalide": f"{DEMANDES_HEADER}\n{GOOD_DEMANDE}\n".encode() + b"\xff\xfe\xc3(\n",
    "caractère nul": f"{DEMANDES_HEADER}\n{GOOD_DEMANDE}\n".encode().replace(b"Durand",
                                                                             b"Dur\x00and"),
    "binaire": bytes(range(256)) * 64,
    "colonnes obligatoires absentes": b"Nom;Prenoms\nDurand;Elodie\n",
    "guillemet non ferme": f'{DEMANDES_HEADER}\n"{GOOD_DEMANDE}\n'.encode() * 3,
    "PDF renomme": b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n",
}


@pytest.mark.parametrize("case", list(BAD_FILES), ids=list(BAD_FILES))
@pytest.mark.parametrize("kind", ["demandes", "dwellings"])
def test_unreadable_files_are_refused_and_change_nothing(
    kind: str, case: str, database: Path, tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    before = fingerprint(database)
    code, out, err = run_import(kind, BAD_FILES[case], database, tmp_path, capsys)
    assert_french_refusal(code, err, out)
    assert fingerprint(database) == before


def test_missing_file_and_directory(database: Path, tmp_path: Path,
                                    capsys: pytest.CaptureFixture[str]) -> None:
    before = fingerprint(database)
    for target in (tmp_path / "absent.csv", tmp_path):
        code = main(["import", "demandes", str(target), "--db", str(database)])
        captured = capsys.readouterr()
        assert_french_refusal(code, captured.err, captured.out)
    assert fingerprint(database) == before


_cells = st.one_of(
    st.sampled_from(["NaN", "-inf", "1e999", "-1", "9" * 50, "", "0", "31/13/2024",
                     "2099-01-01", "oui", "☃", "\u202e", "=cmd|' /C calc'!A0", "'; DROP TABLE"]),
    st.text(max_size=30),
)


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(st.lists(_cells, min_size=1, max_size=10), min_size=1, max_size=5))
def test_random_rows_with_one_sure_error_change_nothing(
    rows: list[list[str]], database: Path, tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Whatever else is in the file, one bad NUR makes the import refuse it whole."""
    before = fingerprint(database)
    lines = [";".join(c.replace("\n", " ").replace("\r", " ") for c in row) for row in rows]
    data = "\n".join([DEMANDES_HEADER, demande_row(nur="0000"), *lines]) + "\n"
    code, out, err = run_import("demandes", data.encode("utf-8", "surrogatepass"), database,
                                tmp_path, capsys)
    assert_french_refusal(code, err, out)
    assert fingerprint(database) == before


# --- caleol evaluate ----------------------------------------------------------------------

EVALUATE: dict[str, Any] = {
    "date": "2026-03-10",
    "dwelling": {"typology": "T3", "financing": "PLUS", "zone": "autres_regions",
                 "rent": "520.00", "charges": "110.00", "energy": "90.00", "adaptations": []},
    "household": {"members": [{"role": "applicant", "age": 34}, {"role": "child", "age": 10}],
                  "monthly_resources": "2400.00", "resources_stable": True,
                  "housing_aid": "0", "reference_tax_income": 31000,
                  "payment_guarantee": False, "dalo": False,
                  "application_date": "2024-01-15", "department": "57"},
}


def evaluate(raw: bytes, monkeypatch: pytest.MonkeyPatch,
             capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(raw), encoding="utf-8"))
    code = main(["evaluate"])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def changed(path: tuple[str, ...], value: Any) -> bytes:
    document = copy.deepcopy(EVALUATE)
    target = document
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return json.dumps(document, ensure_ascii=False).encode("utf-8")


BAD_EVALUATE: dict[str, bytes] = {
    "loyer énorme": changed(("dwelling", "rent"), "9" * 400),
    "loyer NaN (texte)": changed(("dwelling", "rent"), "NaN"),
    "loyer NaN (JSON)": changed(("dwelling", "rent"), 0).replace(b'"rent": 0', b'"rent": NaN'),
    "loyer Infinity": changed(("dwelling", "rent"), 0).replace(b'"rent": 0',
                                                              b'"rent": Infinity'),
    "entier géant": changed(("household", "reference_tax_income"), 0).replace(
        b'"reference_tax_income": 0', b'"reference_tax_income": ' + b"9" * 5000),
    "ressources négatives": changed(("household", "monthly_resources"), "-2400"),
    "ménage vide": changed(("household", "members"), []),
    "31 personnes": changed(
        ("household", "members"),
        [{"role": "applicant", "age": 40}, *[{"role": "child", "age": 5}] * 30],
    ),
    "rôle inconnu": changed(("household", "members"), [{"role": "martien", "age": 40}]),
    "typologie inconnue": changed(("dwelling", "typology"), "T99"),
    "zone inconnue": changed(("dwelling", "zone"), "lune"),
    "âge négatif": changed(("household", "members"), [{"role": "applicant", "age": -3}]),
    "UTF-8 invalide": b'{"date": "\xff\xfe"}',
    "vide": b"",
    "imbrication profonde": b"[" * 100_000 + b"]" * 100_000,
    "clé en double": b'{"date": "2026-03-10", "date": "2026-03-11"}',
    "pas un objet": b"[1, 2, 3]",
    "binaire": bytes(range(256)),
}


@pytest.mark.parametrize("case", list(BAD_EVALUATE), ids=list(BAD_EVALUATE))
def test_bad_evaluate_documents_get_a_french_error(
    case: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = evaluate(BAD_EVALUATE[case], monkeypatch, capsys)
    assert_french_refusal(code, err, out)
    assert out == ""


@pytest.mark.parametrize(
    ("path", "value", "check", "explained"),
    [
        # an exam date beyond the ceiling tables: the ceiling cannot be checked
        (("date",), "9999-12-31", "ceiling", "unknown"),
        # a filing date after the exam: the waiting time is reported as inconsistent
        (("household", "application_date"), "2099-01-01", "waiting_time", "postérieure"),
    ],
)
def test_dates_out_of_range_are_reported_not_crashed(
    path: tuple[str, ...], value: str, check: str, explained: str,
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, err = evaluate(changed(path, value), monkeypatch, capsys)
    assert code == 0, err
    result = json.loads(out)["checks"][check]
    assert result["status"] == "unknown"
    assert explained in result["explanation"] or explained == "unknown"


def test_thirty_person_household_is_evaluated(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """30 persons is the documented maximum: a large family, evaluated, not refused."""
    members = [{"role": "applicant", "age": 40}, {"role": "partner", "age": 38}]
    members += [{"role": "child", "age": 1 + i % 17} for i in range(28)]
    code, out, err = evaluate(changed(("household", "members"), members), monkeypatch, capsys)
    assert code == 0, err
    checks = json.loads(out)["checks"]
    # 30 persons: category 6 plus 30 - 6 = 24 extra persons on the ceiling
    assert checks["ceiling"]["category"] == 6
    assert checks["ceiling"]["extra_persons"] == 24
    assert checks["typology"]["status"] == "fail"  # no T3 for 30 persons


# --- 100 MB, in real processes ------------------------------------------------------------


def _caleol(args: list[str], stdin: Path | None = None) -> subprocess.CompletedProcess[str]:
    with open(stdin, "rb") if stdin else open("/dev/null", "rb") as source:
        return subprocess.run(
            [sys.executable, "-m", "caleol", *args], stdin=source, capture_output=True,
            text=True, encoding="utf-8", errors="replace", timeout=600,
        )


def _hundred_mb(path: Path, head: bytes, filler: bytes) -> Path:
    with open(path, "wb") as out:
        out.write(head)
        block = filler * (1024 * 1024 // len(filler))
        for _ in range(HUNDRED_MB // len(block)):
            out.write(block)
    return path


@pytest.mark.slow
@pytest.mark.parametrize(
    ("name", "head", "filler"),
    [
        pytest.param("une-seule-ligne", f"{DEMANDES_HEADER}\n".encode(), b"A", id="une-ligne"),
        pytest.param("binaire", b"", bytes(range(256)), id="binaire"),
        pytest.param("zeros", b"", b"\x00", id="zeros"),
    ],
)
def test_hundred_megabyte_files_are_refused_quickly(
    name: str, head: bytes, filler: bytes, database: Path, tmp_path: Path
) -> None:
    big = _hundred_mb(tmp_path / f"{name}.csv", head, filler)
    before = fingerprint(database)
    result = _caleol(["import", "demandes", str(big), "--db", str(database)])
    assert_french_refusal(result.returncode, result.stderr, result.stdout)
    assert fingerprint(database) == before


@pytest.mark.slow
def test_hundred_megabytes_of_bad_rows_stop_at_the_cap(database: Path, tmp_path: Path) -> None:
    """Measured: read to the end, such a file (1 140 000 rows) took 84 s; stopped at the
    cap, 0,15 s plus the start of the process. 30 s leaves room for a slow machine."""
    row = f"{demande_row(rfr='NaN')}\n".encode()
    big = _hundred_mb(tmp_path / "lignes-fausses.csv", f"{DEMANDES_HEADER}\n".encode(), row)
    before = fingerprint(database)
    started = time.perf_counter()
    result = _caleol(["import", "demandes", str(big), "--db", str(database)])
    elapsed = time.perf_counter() - started
    assert_french_refusal(result.returncode, result.stderr, result.stdout)
    assert "lecture arrêtée à la ligne 1001" in result.stderr  # header + 1 000 refused rows
    assert elapsed < 30, elapsed
    assert fingerprint(database) == before


@pytest.mark.slow
def test_hundred_megabytes_on_evaluate_stdin(tmp_path: Path) -> None:
    big = _hundred_mb(tmp_path / "stdin.json", b'{"date": "', b"9")
    result = _caleol(["evaluate"], stdin=big)
    assert_french_refusal(result.returncode, result.stderr, result.stdout)
    assert "trop volumineux" in result.stderr
