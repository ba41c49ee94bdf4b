"""The `caleol` command speaks French and never shows a traceback for an expected failure.

Issue 16, finding 9: argparse's own messages were English (« the following arguments
are required »), `caleol session list | head -1` printed a BrokenPipeError
traceback, and a backup to a place that cannot be written said « unable to open
database file » (or crashed with a traceback).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from db.factories import make_demande

from caleol.cli import main
from caleol.db.engine import open_database, session_scope


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    try:
        code = main(list(argv))
    except SystemExit as exc:  # argparse's own exits (usage errors, --help)
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


# One case per kind of message argparse can give (Python 3.11's argparse.py), with the
# French words expected and the English ones that must be gone.
USAGE_ERRORS = [
    pytest.param(["session"], "arguments obligatoires manquants : ACTION",
                 "the following arguments are required", id="required"),
    pytest.param(["export", "foo", "-o", "x.csv"],
                 "argument TABLE : choix invalide : « foo » (choisir parmi : decisions, "
                 "dwellings, demandes)", "invalid choice", id="choice"),
    pytest.param(["nimporte"], "argument COMMANDE : choix invalide : « nimporte »",
                 "invalid choice", id="command"),
    pytest.param(["export", "demandes", "-o"], "argument -o/--output : une valeur attendue",
                 "expected one argument", id="one-argument"),
    pytest.param(["session", "show", "abc"],
                 "argument ID : valeur invalide « abc » (nombre entier attendu)",
                 "invalid int value", id="type"),
    pytest.param(["--inconnue", "session", "list"], "arguments non reconnus : --inconnue",
                 "unrecognized arguments", id="unrecognized"),
    pytest.param(["export", "demandes", "-o", "x.csv", "--ye", "2020", "--yeah"],
                 "arguments non reconnus : --yeah", "unrecognized", id="unrecognized-sub"),
    pytest.param(["demo", "--date", "hier"], "argument --date : date invalide « hier »",
                 "argument --date:", id="custom-type-error"),
]


@pytest.mark.parametrize(("argv", "french", "english"), USAGE_ERRORS)
def test_usage_errors_are_in_french(capsys: pytest.CaptureFixture[str], argv: list[str],
                                    french: str, english: str) -> None:
    code, _out, err = run(capsys, *argv)
    assert code == 2
    assert french in err, err
    assert english not in err, err
    assert err.startswith("Utilisation : caleol"), err
    assert "usage:" not in err and "error:" not in err
    assert "Traceback" not in err


def test_ambiguous_and_exclusive_options_are_in_french() -> None:
    """The kinds no caleol command triggers today, on a parser of the same class."""
    from caleol.cli import FrenchArgumentParser

    parser = FrenchArgumentParser(prog="caleol essai")
    parser.add_argument("--annee")
    parser.add_argument("--annexe")
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("--oui", action="store_true")
    group.add_argument("--non", action="store_true")
    parser.add_argument("--liste", nargs="+")
    parser.add_argument("--paire", nargs=2)
    parser.add_argument("--peut-etre", nargs="?")
    parser.add_argument("--drapeau", action="store_true")
    cases = [
        (["--ann", "1", "--oui"], "option ambiguë : --ann peut désigner --annee, --annexe"),
        (["--oui", "--non"], "argument --non : incompatible avec l'argument --oui"),
        ([], "l'un des arguments --oui --non est obligatoire"),
        (["--oui", "--liste"], "argument --liste : au moins une valeur attendue"),
        (["--oui", "--paire", "a"], "argument --paire : 2 valeurs attendues"),
        (["--oui", "--drapeau=1"], "argument --drapeau : valeur « 1 » inattendue"),
    ]
    for argv, french in cases:
        with pytest.raises(SystemExit) as caught:
            parser.parse_args(argv)
        assert caught.value.code == 2
        assert french in parser.last_error, (argv, parser.last_error)


def test_help_is_in_french(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--help")
    assert code == 0
    assert out.startswith("Utilisation : caleol")
    assert "afficher cette aide et quitter" in out and "show this help" not in out
    assert "afficher le numéro de version" in out
    assert "positional arguments" not in out and "options :" in out
    code, out, _ = run(capsys, "session", "--help")  # RawDescriptionHelpFormatter
    assert code == 0 and out.startswith("Utilisation : caleol session")
    assert "arguments positionnels" in out


def _caleol(*argv: str, stdout: int | None = None, **kwargs: object
            ) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "caleol", *argv], stdout=stdout,
                          stderr=subprocess.PIPE, text=True, timeout=120, check=False,
                          **kwargs)  # type: ignore[call-overload]


@pytest.mark.parametrize("argv", [["session", "list"], ["--help"], ["--version"]])
def test_a_closed_pipe_is_not_a_traceback(tmp_path: Path, argv: list[str]) -> None:
    """`caleol session list | head -1`: the reader is gone before caleol writes (the
    write end of a pipe whose read end is closed), as when `head` has had its line."""
    database = tmp_path / "caleol.sqlite3"
    open_database(str(database), create=True).dispose()
    read, write = os.pipe()
    os.close(read)
    try:
        result = _caleol(*argv, "--db", str(database), stdout=write) if argv[0] == "session" \
            else _caleol(*argv, stdout=write)
    finally:
        os.close(write)
    assert "Traceback" not in result.stderr and "BrokenPipeError" not in result.stderr, (
        result.stderr)
    assert result.stderr == ""
    # argparse swallows the failed write of --help/--version itself (exit 0); a command
    # whose output could not be written says so by its exit code
    assert result.returncode == (1 if argv[0] == "session" else 0)


def _database_with_a_demande(tmp_path: Path) -> Path:
    database = tmp_path / "caleol.sqlite3"
    engine = open_database(str(database), create=True)
    with session_scope(engine) as s:
        make_demande(s)
    engine.dispose()
    return database


def test_backup_into_a_file_path_is_a_french_error(tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    database = _database_with_a_demande(tmp_path)
    code, _, err = run(capsys, "backup", "--db", str(database), "-o", "/dev/null/sauvegardes")
    assert code == 2
    assert "Impossible d'écrire la sauvegarde dans « /dev/null/sauvegardes »" in err, err
    assert "Traceback" not in err and "Errno" not in err


def test_backup_to_a_read_only_folder_says_so_in_french(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A folder nothing can be written to: read-only permissions, or for root (who may
    write anywhere) procfs, where SQLite answers « unable to open database file »."""
    database = _database_with_a_demande(tmp_path)
    if os.geteuid() == 0:
        if not sys.platform.startswith("linux"):
            pytest.skip("pas de dossier en lecture seule pour root sur ce système")
        folder = Path("/proc/self")
    else:
        folder = tmp_path / "lecture-seule"
        folder.mkdir()
        folder.chmod(0o555)
    owned = folder.name != "self"
    before = sorted(folder.iterdir()) if owned else None
    try:
        code, _, err = run(capsys, "backup", "--db", str(database), "-o", str(folder))
    finally:
        if owned:
            folder.chmod(0o755)
    assert code == 2, err
    assert f"Impossible d'écrire la sauvegarde dans « {folder} »" in err, err
    assert "lecture seule ou droits insuffisants" in err, err
    assert "unable to open database file" not in err and "Traceback" not in err
    if before is not None:
        assert sorted(folder.iterdir()) == before
