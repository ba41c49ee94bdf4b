"""A second caleol instance writing to the same database, driven line by line.

Usage: concurrent_writer.py MODE DB [ARGS...]

Modes:
  increment DB DEMANDE_ID N   print "started", wait for "go", then N times: reload
                              the demande, add 1 to its score, save;
                              a save refused as "modifié par ailleurs" is reloaded and
                              redone (what the secretary does on that message).
  stepwise DB DEMANDE_ID VALUE
                              read the demande, print "read <version>", wait for "go",
                              save VALUE with the version read: "saved" or
                              "refused <French message>".
  hold DB                     open a write transaction (insert a demande), print
                              "locked", wait for "commit", commit, print "committed".
  update-session DB SESSION_ID PLACE [pause]
                              change the séance's place with the session service
                              `update_session_info`; with "pause", stop right after
                              the service has loaded the séance: print "loaded", wait
                              for "go", then let it write. Prints "saved" or
                              "refused <French message>".
  insert DB NUR BUSY_MS       insert a demande with a short busy timeout; prints
                              "trying", then "inserted <seconds waited>" or
                              "error <French message>".

Every expected failure is printed as its French message; anything else is a
traceback on stderr and a non-zero exit, which the tests treat as a failure.
"""

from __future__ import annotations

import sys
import time
from datetime import date

from sqlmodel import Session

from caleol.db.engine import open_database, run_transaction, session_scope
from caleol.db.models import Demande
from caleol.errors import CaleolError, ConcurrentModificationError


def say(text: str) -> None:
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


def wait_for(command: str) -> None:
    line = sys.stdin.readline().strip()
    if line != command:
        raise SystemExit(f"expected {command!r}, got {line!r}")


def save_score(engine: object, demande_id: int, expected_version: int, value: int) -> None:
    """The save of an edit form: refused when the row changed since it was read."""

    def work(db: Session) -> None:
        demande = db.get(Demande, demande_id)
        assert demande is not None
        if demande.version != expected_version:
            raise ConcurrentModificationError()
        demande.cotation_score = value
        db.add(demande)

    run_transaction(engine, work)  # type: ignore[arg-type]


def read(engine: object, demande_id: int) -> tuple[int, int]:
    with session_scope(engine) as db:  # type: ignore[arg-type]
        demande = db.get(Demande, demande_id)
        assert demande is not None and demande.version is not None
        return demande.version, demande.cotation_score or 0


def increment(db_path: str, demande_id: int, count: int) -> None:
    engine = open_database(db_path)
    say("started")
    wait_for("go")
    conflicts = 0
    for _ in range(count):
        while True:
            version, score = read(engine, demande_id)
            try:
                save_score(engine, demande_id, version, score + 1)
                break
            except ConcurrentModificationError:
                conflicts += 1
    say(f"done conflicts={conflicts}")


def stepwise(db_path: str, demande_id: int, value: int) -> None:
    engine = open_database(db_path)
    version, _ = read(engine, demande_id)
    say(f"read {version}")
    wait_for("go")
    try:
        save_score(engine, demande_id, version, value)
    except ConcurrentModificationError as exc:
        say(f"refused {exc}")
        return
    say("saved")


def new_demande(nur: str) -> Demande:
    return Demande(nur=nur, filing_date=date(2025, 1, 6), applicant_surname="Concurrence",
                   department_code="57")


def hold(db_path: str) -> None:
    engine = open_database(db_path)
    with session_scope(engine) as db:
        db.add(new_demande("HOLD-0001"))
        db.flush()  # the INSERT takes SQLite's write lock until commit
        say("locked")
        wait_for("commit")
    say("committed")


def insert(db_path: str, nur: str, busy_ms: int) -> None:
    engine = open_database(db_path, busy_timeout_ms=busy_ms)
    say("trying")
    start = time.monotonic()

    def work(db: Session) -> None:
        db.add(new_demande(nur))

    try:
        run_transaction(engine, work)
    except CaleolError as exc:
        say(f"error {exc}")
        return
    say(f"inserted {time.monotonic() - start:.3f}")


def update_session(db_path: str, session_id: int, place: str, pause: bool) -> None:
    from caleol.services.sessions import convening

    engine = open_database(db_path)
    if pause:
        load = convening.writable_session

        def load_then_wait(*args: object, **kwargs: object) -> object:
            row = load(*args, **kwargs)  # type: ignore[arg-type]
            say("loaded")
            wait_for("go")
            return row

        convening.writable_session = load_then_wait  # type: ignore[assignment]
    try:
        convening.update_session_info(engine, session_id, place=place)
    except ConcurrentModificationError as exc:
        say(f"refused {exc}")
        return
    say("saved")


def main(argv: list[str]) -> None:
    mode, db_path, *rest = argv
    if mode == "increment":
        increment(db_path, int(rest[0]), int(rest[1]))
    elif mode == "stepwise":
        stepwise(db_path, int(rest[0]), int(rest[1]))
    elif mode == "hold":
        hold(db_path)
    elif mode == "update-session":
        update_session(db_path, int(rest[0]), rest[1], rest[2:3] == ["pause"])
    elif mode == "insert":
        insert(db_path, rest[0], int(rest[1]))
    else:
        raise SystemExit(f"unknown mode {mode}")


if __name__ == "__main__":
    main(sys.argv[1:])
