"""Backups: consistent, checked, rotated; restore checks first and keeps the old file."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from db.factories import decide_all, make_demande, make_session_with_agenda
from sqlalchemy import Engine, select

from caleol.db.audit import audited_tables
from caleol.db.engine import open_database, session_scope, sqlite_path
from caleol.db.models import AuditEntry, Demande
from caleol.errors import CaleolError
from caleol.services.audit import verify_chain
from caleol.services.backup import (
    backup_before_close,
    backup_database,
    backup_sqlite,
    backups_of,
    restore,
)
from caleol.settings import Settings


def _dump(engine: Engine) -> dict[str, list[Any]]:
    tables = [*audited_tables(), AuditEntry.__table__]
    with engine.connect() as connection:
        return {
            t.name: [tuple(r) for r in connection.execute(select(t).order_by(t.c.id))]
            for t in tables
        }


def _path(engine: Engine) -> Path:
    path = sqlite_path(str(engine.url))
    assert path is not None
    return path


def test_restore_round_trip_gives_identical_data(sqlite_engine: Engine, tmp_path: Path) -> None:
    with session_scope(sqlite_engine) as s:
        sitting = make_session_with_agenda(s, dwellings=2, candidates=3)
        decide_all(s, sitting)
    before = _dump(sqlite_engine)
    backup = backup_sqlite(sqlite_engine, tmp_path / "sauvegardes", keep=5)

    with session_scope(sqlite_engine) as s:  # life goes on after the backup
        make_demande(s, applicant_surname="APRES")
        s.exec(select(Demande).order_by(Demande.id)).scalars().first().cotation_score = 7
    assert _dump(sqlite_engine) != before
    database = _path(sqlite_engine)
    sqlite_engine.dispose()

    aside = restore(backup, database)
    restored = open_database(str(database), upgrade=False)
    assert _dump(restored) == before
    assert verify_chain(restored).ok
    restored.dispose()
    assert aside is not None and aside.exists()
    with sqlite3.connect(aside) as old:
        assert old.execute("SELECT count(*) FROM demande WHERE applicant_surname = 'APRES'"
                           ).fetchone() == (1,)


def test_backup_is_a_single_checked_file(sqlite_engine: Engine, tmp_path: Path) -> None:
    with session_scope(sqlite_engine) as s:
        make_demande(s)
    backup = backup_sqlite(sqlite_engine, tmp_path / "b", keep=2, label="manuelle")
    assert backup.name.startswith(f"caleol-{_path(sqlite_engine).stem}-")
    assert backup.name.endswith("-manuelle.sqlite3")
    with sqlite3.connect(backup) as copy:
        assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert copy.execute("PRAGMA journal_mode").fetchone() == ("delete",)
        assert copy.execute("SELECT count(*) FROM demande").fetchone() == (1,)
    assert sorted(p.name for p in (tmp_path / "b").iterdir()) == [backup.name]


def test_rotation_keeps_the_newest(sqlite_engine: Engine, tmp_path: Path) -> None:
    made = [backup_sqlite(sqlite_engine, tmp_path / "b", keep=3) for _ in range(5)]
    assert backups_of(_path(sqlite_engine), tmp_path / "b") == made[2:]
    assert len(list((tmp_path / "b").iterdir())) == 3


def test_rotation_ignores_the_backups_of_a_database_with_a_longer_name(
    sqlite_engine: Engine, tmp_path: Path
) -> None:
    """`caleol.sqlite3` and `caleol-demo.sqlite3` share a folder (both start `caleol-caleol-`)."""
    database = _path(sqlite_engine)
    demo = tmp_path / "ailleurs" / f"{database.stem}-demo.sqlite3"
    demo.parent.mkdir()
    shutil.copyfile(database, demo)
    demo_backups = [backup_sqlite(demo, tmp_path / "b", keep=3) for _ in range(3)]
    mine = backup_sqlite(sqlite_engine, tmp_path / "b", keep=2)
    assert mine.exists()  # not sorted after the demo's copies and rotated out at once
    assert backups_of(database, tmp_path / "b") == [mine]
    assert backups_of(demo, tmp_path / "b") == demo_backups
    assert all(p.exists() for p in demo_backups)


def test_settings_choose_folder_and_count(sqlite_engine: Engine, tmp_path: Path) -> None:
    settings = Settings(backup_folder=str(tmp_path / "ici"), backups_kept=1)
    backup_database(sqlite_engine, settings)
    last = backup_database(sqlite_engine, settings)
    assert list((tmp_path / "ici").iterdir()) == [last]


def test_backup_on_close_goes_to_the_default_folder(sqlite_engine: Engine,
                                                    caleol_home: Path) -> None:
    saved = backup_before_close(sqlite_engine, Settings())
    assert saved is not None and saved.parent == caleol_home / "data" / "sauvegardes"
    assert saved.name.endswith("-cloture.sqlite3")


def test_damaged_backup_is_refused_and_nothing_replaced(sqlite_engine: Engine,
                                                       tmp_path: Path) -> None:
    with session_scope(sqlite_engine) as s:
        make_demande(s)
    database = _path(sqlite_engine)
    sqlite_engine.dispose()
    content = database.read_bytes()
    backup = backup_sqlite(database, tmp_path, keep=2)
    data = bytearray(backup.read_bytes())
    data[4096:8192] = b"\xff" * 4096  # smash a page in the middle
    backup.write_bytes(bytes(data))
    with pytest.raises(CaleolError, match="endommagée"):
        restore(backup, database)
    assert database.read_bytes() == content
    not_sqlite = tmp_path / "note.sqlite3"
    not_sqlite.write_text("bonjour", encoding="utf-8")
    with pytest.raises(CaleolError, match="endommagée"):
        restore(not_sqlite, database)


def test_foreign_sqlite_file_is_not_restored(sqlite_engine: Engine, tmp_path: Path) -> None:
    other = tmp_path / "autre.sqlite3"
    with sqlite3.connect(other) as connection:
        connection.execute("CREATE TABLE t (x)")
    with pytest.raises(CaleolError, match="pas une sauvegarde caleol"):
        restore(other, _path(sqlite_engine))


def test_restore_refuses_a_database_in_use(sqlite_engine: Engine, tmp_path: Path) -> None:
    backup = backup_sqlite(sqlite_engine, tmp_path, keep=2)
    with session_scope(sqlite_engine) as s:
        make_demande(s)
    with sqlite_engine.connect() as reader:  # another window is reading
        reader.exec_driver_sql("BEGIN")
        reader.exec_driver_sql("SELECT count(*) FROM demande").all()
        with pytest.raises(CaleolError, match="en cours d'utilisation"):
            restore(backup, _path(sqlite_engine), busy_timeout=0.05)
        reader.rollback()
    with session_scope(sqlite_engine) as s:
        assert len(s.exec(select(Demande)).all()) == 1


def test_restore_into_a_missing_database(sqlite_engine: Engine, tmp_path: Path) -> None:
    backup = backup_sqlite(sqlite_engine, tmp_path / "b", keep=2)
    target = tmp_path / "nouveau" / "caleol.sqlite3"
    assert restore(backup, target) is None
    open_database(str(target), upgrade=False).dispose()


def test_postgresql_is_not_backed_up_here(tmp_path: Path) -> None:
    from caleol.db.engine import create_db_engine

    engine = create_db_engine("postgresql+psycopg://u@127.0.0.1:1/x")
    with pytest.raises(CaleolError, match="pg_dump"):
        backup_sqlite(engine, tmp_path)
    assert backup_before_close(engine, Settings()) is None
