"""SQLite URLs written and read without SQLAlchemy must be exactly SQLAlchemy's."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy.engine import URL, make_url

from caleol.db.urls import database_url, sqlite_path, with_psycopg
from caleol.errors import CaleolError

NAMES = ["agence.sqlite3", "Agence Nancy #2.sqlite3", "é@x?y#z%20.db", "a+b c.db",
         "données:2026.db"]


@pytest.mark.parametrize("name", NAMES)
def test_sqlite_url_is_sqlalchemys(tmp_path: Path, name: str) -> None:
    path = tmp_path / "dossier partagé" / name
    url = database_url(str(path))
    assert url == URL.create("sqlite", database=str(path.resolve())).render_as_string(
        hide_password=False)
    assert make_url(url).database == str(path.resolve())
    assert sqlite_path(url) == path.resolve()


@given(st.text(st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="/\\"),
               min_size=1, max_size=30).filter(lambda n: n not in (".", "..")))
def test_any_file_name_round_trips(name: str) -> None:
    path = Path("/srv/caleol") / name
    url = database_url(str(path))
    assert make_url(url).database == str(path)
    assert sqlite_path(url) == path


def test_server_urls_name_psycopg_and_have_no_file() -> None:
    assert with_psycopg("postgres://u@h/db") == "postgresql+psycopg://u@h/db"
    assert database_url("postgresql://u:p@serveur/caleol") == (
        "postgresql+psycopg://u:p@serveur/caleol")
    assert sqlite_path("postgresql+psycopg://u@h/db") is None


def test_memory_and_query_urls() -> None:
    assert sqlite_path("sqlite://") is None
    assert sqlite_path("sqlite:///:memory:") is None
    assert sqlite_path("sqlite:////data/caleol.sqlite3?timeout=5") == Path(
        "/data/caleol.sqlite3")


def test_malformed_server_url_is_refused_in_french() -> None:
    with pytest.raises(CaleolError, match="Adresse de base de données invalide"):
        database_url("postgresql://u@h:notaport/db")


def test_choosing_a_database_does_not_import_sqlalchemy(tmp_path: Path) -> None:
    """The window shows before SQLAlchemy loads (start-up time): keep it that way."""
    import subprocess
    import sys

    code = ("import sys; from caleol.db.urls import database_url, sqlite_path; "
            f"sqlite_path(database_url({str(tmp_path / 'x.db')!r})); "
            "import caleol.app; "
            "print('sqlalchemy' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "False"
