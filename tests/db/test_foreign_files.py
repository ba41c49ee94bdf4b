"""Files that are not caleol databases, given to `--db` (issue 16, finding 8).

Each is identified read-only before anything writes to it: an unrelated SQLite file,
another application's Alembic database (even one whose revision looks like caleol's),
a caleol database of a newer version, an empty file: every command refuses it in
French with exit code 2 and leaves it byte for byte as it was (opening it the usual
way used to switch it to WAL, header bytes 18-19). A missing file is an error for
every command not meant to create a database.
"""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from caleol.cli import main
from caleol.db.engine import open_database
from caleol.db.identify import Kind, identify_sqlite
from caleol.db.revisions import packaged_head


def _plain(path: Path) -> None:
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE clients (id INTEGER PRIMARY KEY, nom TEXT)")
        connection.execute("INSERT INTO clients (nom) VALUES ('Durand')")
    connection.close()


def _alembic(revision: str) -> Callable[[Path], None]:
    def make(path: Path) -> None:
        with sqlite3.connect(path) as connection:
            connection.execute("CREATE TABLE alembic_version (version_num VARCHAR(32) "
                               "NOT NULL PRIMARY KEY)")
            connection.execute("INSERT INTO alembic_version VALUES (?)", (revision,))
            connection.execute("CREATE TABLE users (id INTEGER PRIMARY KEY)")
            connection.execute("CREATE TABLE demande (id INTEGER PRIMARY KEY)")  # a homonym
        connection.close()
    return make


def _empty(path: Path) -> None:
    path.write_bytes(b"")


def _text(path: Path) -> None:
    path.write_text("nom;prénom\nDurand;Élodie\n", encoding="utf-8")


FOREIGN: dict[str, tuple[Callable[[Path], None], str]] = {
    "sqlite": (_plain, "base d'une autre application (tables clients)"),
    "alembic": (_alembic("4f2a9c1b7e3d"), "base d'une autre application (tables demande, users"),
    "alembic-0003": (_alembic("0003"), "révision Alembic « 0003 »"),
    "empty": (_empty, "ne contient aucune base caleol"),
    "text": (_text, "n'est pas une base de données SQLite"),
}


def _commands(database: Path, tmp_path: Path) -> list[list[str]]:
    csv_file = tmp_path / "demandes.csv"
    csv_file.write_text("NUR;Date dépôt\n057240300123G5701;12/03/2024\n", encoding="utf-8")
    db = ["--db", str(database)]
    return [
        ["session", "list", *db],
        ["verify-db", *db],
        ["export", "demandes", "-o", str(tmp_path / "export.csv"), *db],
        ["import", "demandes", str(csv_file), *db],
        ["db-upgrade", *db],
        ["purge", "--preview", *db],
        ["report", "annuel", "--year", "2026", "-o", str(tmp_path / "r.pdf"), *db],
        ["backup", "-o", str(tmp_path / "sauvegardes"), *db],  # audit16: was « vérifiée »
    ]


@pytest.mark.parametrize("kind", list(FOREIGN))
def test_every_command_refuses_a_foreign_file_without_changing_a_byte(
        kind: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    make, reason = FOREIGN[kind]
    database = tmp_path / "autre.sqlite3"
    make(database)
    content = database.read_bytes()
    for argv in _commands(database, tmp_path):
        code = main(argv)
        err = capsys.readouterr().err
        assert code == 2, (argv, err)
        assert reason in err, (argv, err)
        assert "ne l'a pas modifié" in err, (argv, err)
        assert "plus récente de caleol" not in err  # another application's, not ours
        assert "Traceback" not in err
        assert database.read_bytes() == content, argv  # header bytes 18-19 included
        assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("autre")) == [
            "autre.sqlite3"], argv  # no -wal, -shm or -journal left beside it
    assert not (tmp_path / "export.csv").exists()
    assert not any((tmp_path / "sauvegardes").glob("*.sqlite3"))


@pytest.mark.parametrize("kind", ["sqlite", "alembic", "alembic-0003"])
def test_restore_does_not_replace_another_applications_database(
        kind: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A caleol backup restored « into » another application's file would have swapped
    that file for a caleol base (kept aside, but gone from where its application looks
    for it) (audit16)."""
    backup = tmp_path / "sauvegarde.sqlite3"
    open_database(str(backup), create=True).dispose()
    target = tmp_path / "autre.sqlite3"
    FOREIGN[kind][0](target)
    content = target.read_bytes()
    assert main(["restore", str(backup), "--db", str(target)]) == 2
    err = capsys.readouterr().err
    assert f"Restauration refusée : {target} n'est pas la base de caleol" in err
    assert FOREIGN[kind][1] in err and "Traceback" not in err
    assert target.read_bytes() == content
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("autre")) == [
        "autre.sqlite3"]


def test_a_newer_caleol_database_is_refused_unchanged(tmp_path: Path,
                                                      capsys: pytest.CaptureFixture[str]
                                                      ) -> None:
    database = tmp_path / "caleol.sqlite3"
    open_database(str(database), create=True).dispose()
    with sqlite3.connect(database) as connection:
        connection.execute("UPDATE alembic_version SET version_num = '0042_futur'")
    connection.close()
    assert identify_sqlite(database).kind is Kind.NEWER
    content = database.read_bytes()
    for argv in _commands(database, tmp_path):
        assert main(argv) == 2
        err = capsys.readouterr().err
        assert "version plus récente de caleol (révision « 0042_futur »)" in err, argv
        assert database.read_bytes() == content
        assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("caleol")
                      ) == ["caleol.sqlite3"], argv  # read as immutable: no -wal, -shm


@pytest.mark.parametrize("argv", [
    ["export", "demandes", "-o", "{tmp}/x.csv"],
    ["import", "demandes", "{tmp}/x.csv"],
    ["db-upgrade"],
    ["verify-db"],
    ["session", "list"],
])
def test_a_missing_file_is_an_error_not_a_new_base(argv: list[str], tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "faute-de-frappe.sqlite3"
    (tmp_path / "x.csv").write_text("NUR\n", encoding="utf-8")
    code = main([a.replace("{tmp}", str(tmp_path)) for a in argv] + ["--db", str(missing)])
    assert code == 2
    assert f"Base de données introuvable : {missing}" in capsys.readouterr().err
    assert not missing.exists()


def test_only_the_commands_meant_to_create_a_database_create_one(tmp_path: Path) -> None:
    new = tmp_path / "nouvelle" / "caleol.sqlite3"
    with pytest.raises(Exception, match="introuvable"):
        open_database(str(new))
    assert not new.exists()
    engine = open_database(str(new), create=True)
    engine.dispose()
    identity = identify_sqlite(new)
    assert (identity.kind, identity.revision) == (Kind.CALEOL, packaged_head())
    empty = tmp_path / "vide.sqlite3"
    empty.write_bytes(b"")
    open_database(str(empty), create=True).dispose()  # an empty file may be set up
    assert identify_sqlite(empty).kind is Kind.CALEOL


def test_the_demo_command_still_creates_its_base(tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "demo.sqlite3"
    assert main(["demo", "--db", str(target), "--date", "2026-11-23"]) == 0
    assert identify_sqlite(target).kind is Kind.CALEOL


def test_a_caleol_database_is_opened_as_before(tmp_path: Path) -> None:
    database = tmp_path / "caleol.sqlite3"
    open_database(str(database), create=True).dispose()
    copy = tmp_path / "copie.sqlite3"
    shutil.copyfile(database, copy)
    assert identify_sqlite(copy).kind is Kind.CALEOL
    open_database(str(copy)).dispose()


def test_a_windows_share_gets_a_uri_sqlite_accepts() -> None:
    from pathlib import PurePosixPath, PureWindowsPath

    from caleol.db.identify import uri_for_sqlite

    share = PureWindowsPath(r"\\serveur\caleol\base caleol.sqlite3").as_uri()
    assert share == "file://serveur/caleol/base%20caleol.sqlite3"
    assert uri_for_sqlite(share) == "file:////serveur/caleol/base%20caleol.sqlite3"
    local = PureWindowsPath(r"C:\Données\caleol.sqlite3").as_uri()
    assert uri_for_sqlite(local) == local == "file:///C:/Donn%C3%A9es/caleol.sqlite3"
    posix = PurePosixPath("/srv/caleol #1.sqlite3").as_uri()
    assert uri_for_sqlite(posix) == posix == "file:///srv/caleol%20%231.sqlite3"
