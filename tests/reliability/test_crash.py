"""SIGKILL in the middle of a write never leaves a damaged or half-written database.

A warm driver process (workers/crash_driver.py serve) forks one child per attempt;
the child performs a real write operation on its own copy of a prepared database
and is killed with SIGKILL after a random delay drawn from a seeded RNG (measured
from the child's "started" line) or right after it announces its commit. Then:
* `PRAGMA integrity_check` is "ok" and no foreign key is broken;
* the operation (CSV import, decisions, closing, signed PV storage, retention
  purge) is all or nothing: the rows are those of before or of after,
  never in between; the séance status agrees with its decisions and documents;
* the hash-chained audit log verifies (`caleol.services.audit.verify_chain`):
  every row is the one the log recorded.
"""

from __future__ import annotations

import hashlib
import random
import shutil
import sqlite3
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from datetime import time as clock_time
from pathlib import Path

import pytest
from db.factories import make_commission, make_demande, make_dwelling
from proc import Worker, worker_command
from sqlmodel import select

from caleol.db.engine import open_database, session_scope
from caleol.db.models import Candidacy
from caleol.services import sessions
from caleol.services.audit import verify_chain

SEED = 20261123
IMPORT_COUNT = 5000
PV_BYTES = 2_000_000
CANDIDATES = 9  # 3 dwellings x 3 candidates
PURGE_COUNT = 300
PURGE_DAY = "2025-06-15"  # 12 months before: 15/06/2024, the radiations are older


@dataclass(frozen=True)
class Templates:
    """Databases in the state just before each operation (WAL folded in, closed)."""

    held: Path  # séance held, no decision
    decided: Path  # séance held, every candidate decided
    closed: Path  # séance closed, minutes not signed
    session_id: int
    csv: Path  # IMPORT_COUNT demandes, each of 2 persons and 1 resource
    ended: Path  # closed, plus PURGE_COUNT demandes radiated long ago


def write_demandes_csv(path: Path) -> Path:
    """A valid demandes file: NUR 057 24 03 <n> V5701 filed on 12/03/2024."""
    lines = ["NUR;Date dépôt;Nom;Prénoms;Membres;Ressources;Revenu fiscal référence"]
    lines += [
        f"0572403{n:05d}V5701;12/03/2024;Importé{n};Alex;"
        f"demandeur:02/03/1985 | enfant:01/06/2012;salaire:1850,50;{18_000 + n}"
        for n in range(1, IMPORT_COUNT + 1)
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _freeze(engine_path: Path, target: Path) -> Path:
    shutil.copyfile(engine_path, target)
    return target


@pytest.fixture(scope="module")
def templates(tmp_path_factory: pytest.TempPathFactory) -> Templates:
    folder = tmp_path_factory.mktemp("crash_templates")
    work = folder / "work.sqlite3"
    engine = open_database(str(work), create=True, backup_dir=folder / "backups")
    with session_scope(engine) as db:
        commission = make_commission(db, members=3)
        members = [m.id for m in commission.members]
        dwellings = [make_dwelling(db).id for _ in range(3)]
        demandes = [make_demande(db).id for _ in range(CANDIDATES)]
        commission_id = commission.id
    assert commission_id is not None
    session_id = sessions.create_session(engine, commission_id, date(2025, 3, 12),
                                         place="Agence de Metz")
    for i, dwelling_id in enumerate(dwellings):
        assert dwelling_id is not None
        item_id = sessions.add_dwelling(engine, session_id, dwelling_id)
        for demande_id in demandes[3 * i : 3 * i + 3]:
            assert demande_id is not None
            sessions.add_candidate(engine, item_id, demande_id)
    sessions.mark_ready(engine, session_id)
    sessions.record_attendance(
        engine, session_id,
        [sessions.AttendanceChange(m, "present") for m in members if m is not None],
    )
    sessions.set_president(engine, session_id, members[0])
    sessions.start_session(engine, session_id)
    engine.dispose()
    held = _freeze(work, folder / "held.sqlite3")

    engine = open_database(str(work), upgrade=False)
    with session_scope(engine) as db:
        candidacies = db.exec(select(Candidacy.id, Candidacy.proposed_rank)).all()
    for candidacy_id, rank in candidacies:
        assert candidacy_id is not None
        sessions.record_decision(engine, candidacy_id, "attribution_rang", rank=rank,
                                 justification="Décision de la commission.", unanimous=True)
    engine.dispose()
    decided = _freeze(work, folder / "decided.sqlite3")

    engine = open_database(str(work), upgrade=False)
    sessions.close_session(engine, session_id, start_time=clock_time(14, 0),
                           end_time=clock_time(16, 0))
    engine.dispose()
    closed = _freeze(work, folder / "closed.sqlite3")

    engine = open_database(str(work), upgrade=False)
    with session_scope(engine) as db:
        for _ in range(PURGE_COUNT):
            make_demande(db, status="radiated", status_date=date(2023, 1, 10))
    engine.dispose()
    ended = _freeze(work, folder / "ended.sqlite3")
    return Templates(held, decided, closed, session_id,
                     write_demandes_csv(folder / "demandes.csv"), ended)


@pytest.fixture(scope="module")
def driver() -> Iterator[Worker]:
    worker = Worker(worker_command("crash_driver.py", "serve"))
    worker.expect("ready")
    yield worker
    worker.send("quit")
    assert worker.finish() == 0


# --- looking at a database after the kill ----------------------------------------------


def _scalar(connection: sqlite3.Connection, sql: str, *params: object) -> object:
    return connection.execute(sql, params).fetchone()[0]


@dataclass(frozen=True)
class State:
    demandes: int
    members: int
    resources: int
    decisions: int
    complete_decisions: int
    status: str
    closed_at: str | None
    signed_at: str | None
    documents: int
    document_hashes_ok: bool


def inspect(path: Path, session_id: int) -> State:
    """Integrity first (raw SQLite, read-only), then the figures of the operations."""
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        assert [r[0] for r in connection.execute("PRAGMA integrity_check")] == ["ok"]
        assert connection.execute("PRAGMA foreign_key_check").fetchall() == []
        documents = connection.execute("SELECT sha256, content FROM signed_document").fetchall()
        session = connection.execute(
            "SELECT status, closed_at, signed_at FROM commission_session WHERE id = ?",
            (session_id,),
        ).fetchone()
        return State(
            demandes=int(_scalar(connection, "SELECT count(*) FROM demande")),  # type: ignore[arg-type]
            members=int(_scalar(connection, "SELECT count(*) FROM household_member")),  # type: ignore[arg-type]
            resources=int(_scalar(connection, "SELECT count(*) FROM resource")),  # type: ignore[arg-type]
            decisions=int(_scalar(connection, "SELECT count(*) FROM decision")),  # type: ignore[arg-type]
            complete_decisions=int(_scalar(  # type: ignore[arg-type]
                connection,
                "SELECT count(*) FROM decision WHERE kind = 'attribution_rang' AND rank IS NOT "
                "NULL AND decided_at IS NOT NULL AND justification <> ''",
            )),
            status=session[0],
            closed_at=session[1],
            signed_at=session[2],
            documents=len(documents),
            document_hashes_ok=all(hashlib.sha256(c).hexdigest() == h for h, c in documents),
        )
    finally:
        connection.close()


def assert_audit_chain(path: Path) -> None:
    engine = open_database(str(path), upgrade=False)
    try:
        report = verify_chain(engine)
    finally:
        engine.dispose()
    assert report.ok, report.text()


# --- killing -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Kill:
    """When to kill: `delay` seconds after the child prints the line `after`."""

    after: str = "started"
    delay: float = 0.0

    def describe(self) -> str:
        return f"{self.delay * 1000:.0f} ms après « {self.after} »"


NEVER = Kill(after="(jamais)")


@dataclass
class Attempt:
    lines: list[str]
    killed: bool
    seconds: float  # from "started" to the end of the child


def attempt(driver: Worker, command: str, kill: Kill) -> Attempt:
    """Run one operation in a forked child and kill it as `kill` says."""
    driver.send(f"run {command}")
    driver.expect("forked")
    lines: list[str] = []
    timer: threading.Timer | None = None
    started = time.monotonic()
    while True:
        line = driver.next_line()
        assert line is not None, f"driver ended; stderr:\n{driver.stderr()}"
        if line.startswith("reaped"):
            break
        lines.append(line)
        if line == "started":
            started = time.monotonic()
        if line == kill.after and timer is None:
            timer = threading.Timer(kill.delay, driver.send, args=("kill",))
            timer.start()
    seconds = time.monotonic() - started
    if timer is not None:
        timer.cancel()
        timer.join()
    how = line.split(maxsplit=2)[2]
    assert how in ("killed", "exit 0"), f"{command}: {how}\n{driver.stderr()[-3000:]}"
    return Attempt(lines, how == "killed", seconds)


def fresh_copy(template: Path, folder: Path, n: int) -> Path:
    target = folder / f"attempt-{n}.sqlite3"
    shutil.copyfile(template, target)
    return target


def run_kills(
    driver: Worker,
    template: Path,
    folder: Path,
    command: Callable[[Path], str],
    plan: Callable[[int, Attempt], Kill],
    kills: int,
    check: Callable[[Path, Attempt], str],
    *,
    calibrations: int = 2,
) -> Counter[str]:
    """Warm up, calibrate with complete runs, then kill `kills` runs as `plan` says.

    `plan(n, calibration)` gives the n-th kill from the fastest complete run (its
    lines and duration); `check` asserts the database after it and names the
    outcome ("before", "after"...). Returns how many attempts ended each way.
    """
    driver.send("warm " + command(fresh_copy(template, folder, -1)))
    driver.expect("warmed")
    complete = []
    for n in range(-2, -2 - calibrations, -1):
        path = fresh_copy(template, folder, n)
        full = attempt(driver, command(path), NEVER)
        assert not full.killed and full.lines[-1] == "committed", full.lines
        assert check(path, full) == "after"
        assert_audit_chain(path)
        complete.append(full)
    calibration = min(complete, key=lambda a: a.seconds)
    outcomes: Counter[str] = Counter()
    for n in range(1, kills + 1):
        path = fresh_copy(template, folder, n)
        kill = plan(n, calibration)
        result = attempt(driver, command(path), kill)
        outcome = check(path, result)
        outcomes[outcome] += 1
        outcomes["killed" if result.killed else "finished"] += 1
        if n % 3 == 0 or outcome != "before":
            assert_audit_chain(path)
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    return outcomes


def anywhere(rng: random.Random) -> Callable[[int, Attempt], Kill]:
    """Odd attempts anywhere in the run, even ones in its last third (the commit)."""

    def plan(n: int, calibration: Attempt) -> Kill:
        share = rng.uniform(0, 1.0) if n % 2 else rng.uniform(0.67, 1.0)
        return Kill("started", share * calibration.seconds)

    return plan


# --- the operations ----------------------------------------------------------------------


@pytest.mark.slow
def test_sigkill_during_import_is_all_or_nothing(
    driver: Worker, templates: Templates, tmp_path: Path
) -> None:
    before = inspect(templates.closed, templates.session_id)
    rng = random.Random(SEED)

    def plan(n: int, calibration: Attempt) -> Kill:
        if n % 3 == 1:  # after a batch of rows went in, inside the transaction
            batches = [line for line in calibration.lines if line.startswith("progress")]
            return Kill(rng.choice(batches), rng.uniform(0, 0.05))
        if n % 3 == 2:  # during the commit itself
            return Kill("committing", rng.uniform(0, 0.01))
        return Kill("started", rng.uniform(0, calibration.seconds))

    def check(path: Path, result: Attempt) -> str:
        state = inspect(path, templates.session_id)
        if state.demandes == before.demandes:
            assert (state.members, state.resources) == (before.members, before.resources)
            assert "committed" not in result.lines
            return "before"
        # each imported demande brings 2 members and 1 resource
        assert state.demandes == before.demandes + IMPORT_COUNT
        assert state.members == before.members + 2 * IMPORT_COUNT
        assert state.resources == before.resources + IMPORT_COUNT
        assert "committing" in result.lines
        return "after"

    outcomes = run_kills(driver, templates.closed, tmp_path,
                         lambda p: f"import {p} {templates.csv}", plan, 6, check,
                         calibrations=1)
    print(f"import kills: {dict(outcomes)}")
    assert outcomes["killed"] >= 3  # at least the kills inside the transaction


@pytest.mark.slow
def test_sigkill_while_recording_decisions_loses_at_most_the_current_one(
    driver: Worker, templates: Templates, tmp_path: Path
) -> None:
    rng = random.Random(SEED + 1)
    with session_scope(engine := open_database(str(templates.held), upgrade=False)) as db:
        candidacy_ids = list(db.exec(select(Candidacy.id).order_by(Candidacy.id)).all())
    engine.dispose()

    def plan(n: int, calibration: Attempt) -> Kill:
        if n % 2:  # after a decision, inside one of the next ones
            return Kill(f"decided {rng.choice(candidacy_ids[:-1])}",
                        rng.uniform(0, 2 * calibration.seconds / CANDIDATES))
        return anywhere(rng)(n, calibration)

    def check(path: Path, result: Attempt) -> str:
        state = inspect(path, templates.session_id)
        announced = sum(1 for line in result.lines if line.startswith("decided"))
        # one decision per transaction: the ones announced, plus perhaps the one
        # committed just before the kill; each of them complete, never a partial row
        assert state.decisions in (announced, announced + 1), (state, announced)
        assert state.complete_decisions == state.decisions
        assert state.status == "held"
        return "after" if state.decisions == CANDIDATES else (
            "before" if state.decisions == 0 else "partway"
        )

    outcomes = run_kills(driver, templates.held, tmp_path,
                         lambda p: f"decide {p} {templates.session_id}", plan, 10, check)
    print(f"decision kills: {dict(outcomes)}")
    assert outcomes["killed"] >= 3


@pytest.mark.slow
def test_sigkill_while_closing_leaves_it_open_or_closed(
    driver: Worker, templates: Templates, tmp_path: Path
) -> None:
    def check(path: Path, result: Attempt) -> str:
        state = inspect(path, templates.session_id)
        assert state.decisions == state.complete_decisions == CANDIDATES
        if state.status == "held":
            assert state.closed_at is None
            return "before"
        assert state.status == "closed" and state.closed_at is not None
        return "after"

    outcomes = run_kills(driver, templates.decided, tmp_path,
                         lambda p: f"close {p} {templates.session_id}",
                         anywhere(random.Random(SEED + 2)), 8, check)
    print(f"closing kills: {dict(outcomes)}")
    assert outcomes["killed"] >= 2


@pytest.mark.slow
def test_sigkill_while_storing_signed_minutes_is_all_or_nothing(
    driver: Worker, templates: Templates, tmp_path: Path
) -> None:
    def check(path: Path, result: Attempt) -> str:
        state = inspect(path, templates.session_id)
        assert state.document_hashes_ok
        if state.status == "closed":
            assert (state.documents, state.signed_at) == (0, None)
            return "before"
        assert state.status == "signed" and state.signed_at is not None
        assert state.documents == 1
        return "after"

    outcomes = run_kills(driver, templates.closed, tmp_path,
                         lambda p: f"sign {p} {templates.session_id} {PV_BYTES}",
                         anywhere(random.Random(SEED + 3)), 8, check)
    print(f"signing kills: {dict(outcomes)}")
    assert outcomes["killed"] >= 2


@pytest.mark.slow
def test_sigkill_during_a_purge_is_all_or_nothing(
    driver: Worker, templates: Templates, tmp_path: Path
) -> None:
    before = inspect(templates.ended, templates.session_id)
    rng = random.Random(SEED + 4)

    def plan(n: int, calibration: Attempt) -> Kill:
        if n % 3 == 2:  # during the commit itself
            return Kill("committing", rng.uniform(0, 0.01))
        return anywhere(rng)(n, calibration)

    def check(path: Path, result: Attempt) -> str:
        assert f"planned {PURGE_COUNT}" in result.lines
        state = inspect(path, templates.session_id)
        if state.demandes == before.demandes:
            assert (state.members, state.resources) == (before.members, before.resources)
            return "before"
        # each purged demande took its 2 members and 1 resource with it
        assert state.demandes == before.demandes - PURGE_COUNT
        assert state.members == before.members - 2 * PURGE_COUNT
        assert state.resources == before.resources - PURGE_COUNT
        assert state.decisions == CANDIDATES and state.status == "closed"
        return "after"

    outcomes = run_kills(driver, templates.ended, tmp_path,
                         lambda p: f"purge {p} {PURGE_DAY}", plan, 6, check, calibrations=1)
    print(f"purge kills: {dict(outcomes)}")
    assert outcomes["killed"] >= 2
