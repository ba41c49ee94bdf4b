"""Write operations to be killed with SIGKILL at random points (crash-safety tests).

One-shot:  crash_driver.py OP DB [ARGS...]
Server:    crash_driver.py serve
    Imports caleol once, then on each stdin command:
      run OP DB [ARGS...]  fork a child that performs OP and prints its progress;
                           the server prints "forked <pid>", then "reaped <pid> <how>"
                           (how = "killed" or "exit <code>") once the child is gone;
      kill                 SIGKILL the current child (no effect if it already ended);
      warm OP DB [ARGS...] perform OP here once (on a scratch copy), so that mapper
                           configuration and lazy imports are done before forking.
    The child is killed through a pidfd opened before it can be reaped, so a
    recycled pid can never be hit. Forking from a warm server makes each attempt
    cost milliseconds instead of a Python start-up.

Operations (each prints "started", progress lines, "committed" after its commit):
  import DB CSV              import the demandes CSV with the import service (one
                             transaction): "progress N" after each batch of
                             demande rows sent, "committing" just before COMMIT
  decide DB SESSION_ID       record a decision on every undecided candidacy of the
                             held séance, one transaction each ("decided <id>" after
                             each commit)
  close DB SESSION_ID        close (freeze) the séance
  sign DB SESSION_ID BYTES   store a signed PV of BYTES bytes; the séance becomes signed
  purge DB TODAY             retention purge (12 months, reference day TODAY) of the
                             demandes the preview lists, in one transaction
"""

from __future__ import annotations

import hashlib
import os
import re
import signal
import sys
import threading
import traceback
from datetime import date, time
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, event
from sqlmodel import col, select

from caleol.db.engine import open_database, session_scope
from caleol.db.models import AgendaItem, Candidacy, Decision
from caleol.services import privacy, sessions
from caleol.services.imports import import_demandes

_DEMANDE_INSERT = re.compile(r'^\s*INSERT INTO "?demande"?\s*\(', re.IGNORECASE)


def say(text: str) -> None:
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


def pdf_bytes(size: int) -> bytes:
    """Deterministic PDF-looking bytes (the store keeps bytes, it does not parse them)."""
    head = b"%PDF-1.7\n"
    block = hashlib.sha256(b"caleol").digest() * 2048
    body = (block * (size // len(block) + 1))[: max(size - len(head), 0)]
    return head + body


def op_import(db_path: str, csv_path: str) -> Engine:
    """`caleol import demandes` on a prepared CSV, through the import service."""
    engine = open_database(db_path, upgrade=False)
    batches = 0

    @event.listens_for(engine, "before_cursor_execute")
    def progress(conn: Any, cursor: Any, statement: str, parameters: Any, context: Any,
                 executemany: bool) -> None:
        nonlocal batches
        # one statement per batch: executemany, or many rows per INSERT (bulk.py, 9cd7b15)
        if _DEMANDE_INSERT.match(statement):
            batches += 1
            say(f"progress {batches}")

    @event.listens_for(engine, "commit")
    def committing(conn: Any) -> None:
        say("committing")

    say("started")
    import_demandes(engine, Path(csv_path))
    say("committed")
    return engine


def op_decide(db_path: str, session_id: str) -> Engine:
    engine = open_database(db_path, upgrade=False)
    say("started")
    with session_scope(engine) as db:
        undecided = db.exec(
            select(Candidacy.id, Candidacy.proposed_rank)
            .join(AgendaItem, col(AgendaItem.id) == Candidacy.agenda_item_id)
            .outerjoin(Decision, col(Decision.candidacy_id) == Candidacy.id)
            .where(AgendaItem.session_id == int(session_id), col(Decision.id).is_(None))
            .order_by(col(Candidacy.id))
        ).all()
    for candidacy_id, rank in undecided:
        assert candidacy_id is not None
        sessions.record_decision(engine, candidacy_id, "attribution_rang", rank=rank,
                                 justification="Décision de la commission.", unanimous=True)
        say(f"decided {candidacy_id}")
    say("committed")
    return engine


def op_close(db_path: str, session_id: str) -> Engine:
    engine = open_database(db_path, upgrade=False)
    say("started")
    sessions.close_session(engine, int(session_id), start_time=time(14, 0),
                           end_time=time(16, 0))
    say("committed")
    return engine


def op_sign(db_path: str, session_id: str, size: str) -> Engine:
    engine = open_database(db_path, upgrade=False)
    content = pdf_bytes(int(size))
    say("started")
    sessions.record_signed_minutes(engine, int(session_id), content, "Présidence de séance",
                                   filename="pv-signe.pdf")
    say("committed")
    return engine


def op_purge(db_path: str, today: str) -> Engine:
    """`caleol purge --apply` without its backup: plan, then apply in one transaction."""
    engine = open_database(db_path, upgrade=False)
    plan = privacy.plan_purge(engine, retention_months=12, today=date.fromisoformat(today))
    say(f"planned {len(plan.deletions)}")
    say("started")

    @event.listens_for(engine, "commit")
    def committing(conn: Any) -> None:
        say("committing")

    privacy.apply_purge(engine, plan)
    say("committed")
    return engine


OPERATIONS = {"import": op_import, "decide": op_decide, "close": op_close, "sign": op_sign,
              "purge": op_purge}


def run(args: list[str]) -> Engine:
    op, *rest = args
    return OPERATIONS[op](*rest)  # type: ignore[operator]


class Child:
    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.fd = os.pidfd_open(pid)
        self.lock = threading.Lock()
        self.done = False

    def kill(self) -> None:
        with self.lock:
            if not self.done:
                signal.pidfd_send_signal(self.fd, signal.SIGKILL)

    def reap(self) -> None:
        _, status = os.waitpid(self.pid, 0)
        with self.lock:
            self.done = True
            os.close(self.fd)
        if os.WIFSIGNALED(status):
            how = "killed" if os.WTERMSIG(status) == signal.SIGKILL else f"signal {status}"
        else:
            how = f"exit {os.waitstatus_to_exitcode(status)}"
        say(f"reaped {self.pid} {how}")


def serve() -> None:
    child: Child | None = None
    say("ready")
    for line in sys.stdin:
        command, *args = line.split()
        if command == "run":
            sys.stdout.flush()
            pid = os.fork()
            if pid == 0:
                code = 0
                try:
                    run(args)
                except BaseException:
                    traceback.print_exc()
                    sys.stderr.flush()
                    code = 1
                finally:
                    os._exit(code)
            child = Child(pid)
            say(f"forked {pid}")
            threading.Thread(target=child.reap, daemon=True).start()
        elif command == "warm":
            run(args).dispose()  # in this process: the children start warm
            say("warmed")
        elif command == "kill":
            if child is not None:
                child.kill()
        elif command == "quit":
            break


if __name__ == "__main__":
    if sys.argv[1:2] == ["serve"]:
        serve()
    else:
        run(sys.argv[1:])
