"""Two caleol instances on one SQLite file: no lost update, waits instead of failing.

Each instance is a real process (tests/reliability/workers/concurrent_writer.py)
with its own connection, as on two secretaries' workstations sharing a file.
Synchronisation is by lines on pipes; the only timers hold a lock on purpose so
that the other process has to wait.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from db.factories import make_demande, make_session
from proc import Worker, worker_command
from sqlalchemy import Engine, func, select

from caleol.db.engine import check_sqlite_integrity, session_scope
from caleol.db.models import CommissionSession, Demande
from caleol.services.audit import verify_chain

REFUSED = "Enregistrement modifié par ailleurs entre-temps ; rechargez avant d'enregistrer."
BUSY = (
    "La base de données est occupée par un autre poste depuis trop longtemps ; "
    "réessayez dans un instant."
)


@pytest.fixture
def shared(sqlite_engine: Engine) -> Iterator[tuple[Engine, Path, int]]:
    """The database file both instances open, with one demande (score 0)."""
    with session_scope(sqlite_engine) as db:
        demande_id = make_demande(db, cotation_score=0).id
    assert sqlite_engine.url.database is not None
    yield sqlite_engine, Path(sqlite_engine.url.database), int(demande_id)  # type: ignore[arg-type]


def _score(engine: Engine, demande_id: int) -> int:
    with session_scope(engine) as db:
        demande = db.get(Demande, demande_id)
        assert demande is not None
        return int(demande.cotation_score or 0)


def _no_raw_lock_error(*workers: Worker) -> None:
    for worker in workers:
        output = "\n".join(worker.seen) + worker.stderr()
        assert "database is locked" not in output
        assert "Traceback" not in output


def _after_timer(seconds: float, worker: Worker, command: str) -> threading.Timer:
    timer = threading.Timer(seconds, worker.send, args=(command,))
    timer.start()
    return timer


@pytest.mark.slow
def test_two_processes_incrementing_lose_no_update(shared: tuple[Engine, Path, int]) -> None:
    engine, path, demande_id = shared
    per_process = 40
    workers = [
        Worker(worker_command("concurrent_writer.py", "increment", str(path),
                              str(demande_id), str(per_process)))
        for _ in range(2)
    ]
    for worker in workers:
        worker.expect("started")
    for worker in workers:
        worker.send("go")
    reports = [worker.expect("done") for worker in workers]
    assert [worker.finish() for worker in workers] == [0, 0]
    _no_raw_lock_error(*workers)

    # 2 processes x 40 saves of "score + 1" each: 0 + 80 = 80 if no save was lost.
    assert _score(engine, demande_id) == 2 * per_process
    conflicts = sum(int(r.split("=")[1]) for r in reports)
    print(f"save conflicts reloaded and redone: {conflicts}")
    report = verify_chain(engine)
    assert report.ok, report.text()
    # 1 insert of the demande (+ its members/resources) then exactly 80 updates of it.
    with session_scope(engine) as db:
        from caleol.db.models import AuditEntry

        updates = db.exec(
            select(func.count()).select_from(AuditEntry).where(
                AuditEntry.entity == "demande", AuditEntry.action == "update")
        ).one()
    assert updates[0] == 2 * per_process
    assert check_sqlite_integrity(engine) == []


def test_conflicting_save_is_refused_with_french_message(
    shared: tuple[Engine, Path, int],
) -> None:
    engine, path, demande_id = shared
    first = Worker(worker_command("concurrent_writer.py", "stepwise", str(path),
                                  str(demande_id), "11"))
    second = Worker(worker_command("concurrent_writer.py", "stepwise", str(path),
                                   str(demande_id), "22"))
    # Both secretaries open the same demande (version 1) before either saves.
    assert first.expect("read") == "read 1"
    assert second.expect("read") == "read 1"
    first.send("go")
    second.send("go")
    outcomes = {first.expect(""): 11, second.expect(""): 22}
    assert [first.finish(), second.finish()] == [0, 0]
    _no_raw_lock_error(first, second)

    assert sorted(outcomes) == ["refused " + REFUSED, "saved"]
    winner = outcomes["saved"]
    assert _score(engine, demande_id) == winner
    assert verify_chain(engine).ok


def test_session_service_refuses_a_save_based_on_a_stale_read(
    shared: tuple[Engine, Path, int],
) -> None:
    """Through `sessions.update_session_info`, in two processes, interleaved by pipes.

    The first instance has read the séance (version 1) when the second one saves it
    (version 2); the first one's UPDATE ... WHERE version = 1 then matches no row.
    """
    engine, path, _ = shared
    with session_scope(engine) as db:
        session_id = make_session(db, place="Metz").id
    first = Worker(worker_command("concurrent_writer.py", "update-session", str(path),
                                  str(session_id), "Thionville", "pause"))
    first.expect("loaded")
    second = Worker(worker_command("concurrent_writer.py", "update-session", str(path),
                                   str(session_id), "Forbach"))
    assert second.expect("") == "saved"
    first.send("go")
    assert first.expect("") == "refused " + REFUSED
    assert [first.finish(), second.finish()] == [0, 0]
    _no_raw_lock_error(first, second)
    with session_scope(engine) as db:
        sitting = db.get(CommissionSession, session_id)
        assert sitting is not None and (sitting.place, sitting.version) == ("Forbach", 2)
    assert verify_chain(engine).ok


def test_writer_waits_for_another_instance_transaction(shared: tuple[Engine, Path, int]) -> None:
    engine, path, _ = shared
    holder = Worker(worker_command("concurrent_writer.py", "hold", str(path)))
    holder.expect("locked")
    writer = Worker(worker_command("concurrent_writer.py", "insert", str(path),
                                   "WAIT-0001", "10000"))
    writer.expect("trying")
    timer = _after_timer(0.5, holder, "commit")
    waited = float(writer.expect("inserted").split()[1])
    timer.join()
    holder.expect("committed")
    assert [holder.finish(), writer.finish()] == [0, 0]
    _no_raw_lock_error(holder, writer)

    assert waited >= 0.45  # it waited for the other instance instead of failing
    with session_scope(engine) as db:
        nurs = set(db.exec(select(Demande.nur)).scalars())
    assert {"HOLD-0001", "WAIT-0001"} <= nurs
    assert verify_chain(engine).ok


def test_busy_longer_than_timeout_is_retried(shared: tuple[Engine, Path, int]) -> None:
    """Busy timeout 200 ms, lock held 700 ms: run_transaction's retries get through.

    Attempts: 0.2 s wait, pause 0.2 s, 0.2 s wait, pause 0.4 s, third attempt at
    about 1.0 s > 0.7 s.
    """
    engine, path, _ = shared
    holder = Worker(worker_command("concurrent_writer.py", "hold", str(path)))
    holder.expect("locked")
    writer = Worker(worker_command("concurrent_writer.py", "insert", str(path),
                                   "RETRY-0001", "200"))
    writer.expect("trying")
    timer = _after_timer(0.7, holder, "commit")
    line = writer.expect("")
    timer.join()
    assert line.startswith("inserted"), line
    assert float(line.split()[1]) >= 0.65
    assert [holder.finish(), writer.finish()] == [0, 0]
    _no_raw_lock_error(holder, writer)
    with session_scope(engine) as db:
        assert db.exec(select(Demande).where(Demande.nur == "RETRY-0001")).first()


def test_database_held_too_long_gives_french_message(shared: tuple[Engine, Path, int]) -> None:
    engine, path, _ = shared
    holder = Worker(worker_command("concurrent_writer.py", "hold", str(path)))
    holder.expect("locked")
    writer = Worker(worker_command("concurrent_writer.py", "insert", str(path),
                                   "LATE-0001", "100"))
    writer.expect("trying")
    assert writer.expect("") == "error " + BUSY
    holder.send("commit")
    holder.expect("committed")
    assert [holder.finish(), writer.finish()] == [0, 0]
    _no_raw_lock_error(holder, writer)
    with session_scope(engine) as db:
        assert db.exec(select(Demande).where(Demande.nur == "LATE-0001")).first() is None
        assert db.exec(select(Demande).where(Demande.nur == "HOLD-0001")).first()
