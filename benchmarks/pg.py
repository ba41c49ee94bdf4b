"""PostgreSQL for the measures that apply to it (filter, text search, import, checks).

`python -m benchmarks --pg postgresql+psycopg://user@host:port/db` runs them on that
server as well and reports them alongside, with « PostgreSQL » in their names: the
large demo is built once in the given database (a marker file in the benchmark
folder names the server database, seed and schema; `--rebuild` builds it again), the
import and the checks each get fresh databases created on the same server.
"""

from __future__ import annotations

import time
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url


def fresh_database_url(server_url: str, name: str) -> str:
    """`name` on the server of `server_url`, dropped if it existed, created empty."""
    admin = create_engine(make_url(server_url).set(database="postgres"),
                          isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    finally:
        admin.dispose()
    return make_url(server_url).set(database=name).render_as_string(hide_password=False)


def demo_database(server_url: str, folder: Path, *, say=print) -> str:  # type: ignore[no-untyped-def]
    """The server's database holding the large demo, built the first time."""
    from benchmarks.demo_db import SEED, TODAY, _stamp
    from caleol.services.demo import create_demo_database

    url = make_url(server_url)
    name = url.database or "caleol_bench"
    marker = folder / "demo-large.pg.ok"
    stamp = f"{url.set(database=name).render_as_string()} {_stamp('large')}"
    if marker.exists() and marker.read_text() == stamp:
        return url.set(database=name).render_as_string(hide_password=False)
    marker.unlink(missing_ok=True)
    built = fresh_database_url(server_url, name)
    say(f"building the large demo database on PostgreSQL ({name}, once)…")
    start = time.perf_counter()
    create_demo_database(built, seed=SEED, size="large", today=TODAY, certificate=False)
    # The planner's statistics now, not whenever autovacuum gets to it: measured right
    # after a build, the text search ran 49 ms instead of 11 (a sequential plan).
    analyze = create_engine(make_url(built), isolation_level="AUTOCOMMIT")
    try:
        with analyze.connect() as connection:
            connection.execute(text("ANALYZE"))
    finally:
        analyze.dispose()
    say(f"  built in {time.perf_counter() - start:.0f} s")
    marker.write_text(stamp)
    return built
