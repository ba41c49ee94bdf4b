"""Database URLs: from the `--db` value to a SQLAlchemy URL, and back to a file.

Kept apart from `caleol.db.engine` so that the application can decide which database
to open, and say it in the window, before SQLAlchemy is imported (a third of the
start-up time): SQLite URLs are written and read here with the same quoting as
`sqlalchemy.engine.URL` (database part quoted with `safe=" +/"`), server URLs are
checked by SQLAlchemy itself, imported only then.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote, unquote

from caleol import paths
from caleol.errors import CaleolError

if TYPE_CHECKING:
    from sqlalchemy.engine import URL

PG_SCHEMES = ("postgresql", "postgres")
SQLITE_PREFIX = "sqlite:///"


def with_psycopg(url: str) -> str:
    """`postgresql://` and `postgres://` name psycopg 3, our driver, explicitly.

    SQLAlchemy 2.0 reads a bare `postgresql://` as psycopg2, which caleol does not
    ship; `postgres://` (the Heroku/libpq spelling) it does not know at all.
    """
    scheme, sep, rest = url.partition("://")
    if sep and scheme.strip().lower() in PG_SCHEMES:
        return f"postgresql+psycopg://{rest}"
    return url


def database_url(db: str | Path | None) -> str:
    """A SQLAlchemy URL from the `--db` value: a URL as is, a path as SQLite, None = default."""
    if db is None or str(db).strip() == "":
        path = paths.default_database_path()
    elif "://" in str(db):
        from sqlalchemy import exc as sa_exc
        from sqlalchemy.engine import make_url

        try:
            make_url(str(db))
        except (sa_exc.ArgumentError, ValueError) as exc:  # ValueError: a bad port
            raise CaleolError(f"Adresse de base de données invalide : « {db} ».") from exc
        return with_psycopg(str(db))
    else:
        path = Path(db).expanduser()
    return SQLITE_PREFIX + quote(str(path.resolve()), safe=" +/")


def sqlite_path(url: str | URL) -> Path | None:
    """The file of a SQLite URL, None for other databases and in-memory ones."""
    if isinstance(url, str) and url.startswith(SQLITE_PREFIX) and "?" not in url:
        database = unquote(url[len(SQLITE_PREFIX):])
    else:
        from sqlalchemy.engine import make_url

        parsed = make_url(url) if isinstance(url, str) else url
        if parsed.get_backend_name() != "sqlite":
            return None
        database = parsed.database or ""
    if not database or database == ":memory:" or database.startswith("file::memory:"):
        return None
    return Path(database)
