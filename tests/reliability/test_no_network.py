"""caleol opens no network socket: personal data never leaves the machine.

A full séance is run with every network entry point of the `socket` module refused
and recorded (tests/reliability/netguard.py): demo database, suggestions, checks,
attendance, decisions, closing, minutes signed and stored, verification of the
signature and of the database, access request and purge preview. The same flow is
then run through the `caleol` command in subprocesses whose start-up installs the
same guard (a sitecustomize on PYTHONPATH).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from datetime import date, datetime, time
from pathlib import Path

import netguard
import pytest
from proc import worker_command
from sqlalchemy import Engine
from sqlmodel import select

from caleol.db.engine import open_database, session_scope
from caleol.db.models import Reason
from caleol.services import sessions
from caleol.services.audit import verify_chain
from caleol.services.demo import create_demo_database
from caleol.services.documents.session_minutes import (
    SigningKey,
    produce_minutes,
    verify_with_database,
)
from caleol.services.privacy import collect_person_data, plan_purge
from caleol.services.signing import create_demo_certificate, read_passphrase_file

GUARD_DIR = Path(__file__).resolve().parent


@pytest.fixture
def no_network() -> Iterator[list[str]]:
    attempts: list[str] = []
    restore = netguard.install(attempts.append)
    yield attempts
    restore()


def test_the_guard_refuses_and_records(no_network: list[str]) -> None:
    import socket

    with pytest.raises(OSError, match="accès réseau interdit"):
        socket.create_connection(("example.org", 443))
    with pytest.raises(OSError, match="accès réseau interdit"):
        socket.getaddrinfo("localhost", 80)
    with pytest.raises(OSError, match="accès réseau interdit"):
        socket.socket()
    left, right = socket.socketpair()  # local, allowed
    left.close()
    right.close()
    assert len(no_network) == 3
    no_network.clear()


def _decide_everyone(engine: Engine, session_id: int) -> None:
    """Ranks for the candidates passing every check, a reasoned refusal otherwise."""
    with session_scope(engine) as db:
        reasons = {r.code: r.id for r in db.exec(select(Reason)).all()}
    detail = sessions.session_detail(engine, session_id)
    for item in detail.agenda:
        passing = [c.id for c in item.candidacies if not c.failed_checks]
        for candidacy in item.candidacies:
            failed = candidacy.failed_checks
            if "ceiling" in failed:
                sessions.record_decision(engine, candidacy.id, "irrecevabilite",
                                         reason_id=reasons["PLAFOND"], unanimous=True)
            elif failed:
                code = "INADAPTE" if "typology" in failed else "SOLVABILITE"
                sessions.record_decision(engine, candidacy.id, "non_attribution",
                                         reason_id=reasons[code], unanimous=True)
            elif len(passing) == 1:
                sessions.record_decision(engine, candidacy.id, "attribution", unanimous=True,
                                         justification=JUSTIFICATION)
            else:
                sessions.record_decision(engine, candidacy.id, "attribution_rang",
                                         rank=passing.index(candidacy.id) + 1, unanimous=True,
                                         justification=JUSTIFICATION)


DEMO_TODAY = date(2026, 11, 20)
# A PLAI dwelling's ceiling check is « indéterminé » (no PLAI table after 2022 shipped).
JUSTIFICATION = "Plafond PLAI de l'année vérifié sur l'arrêté par le service."


def _hold(engine: Engine, session_id: int) -> None:
    detail = sessions.session_detail(engine, session_id)
    members = [a for a in detail.attendance]
    sessions.record_attendance(
        engine, session_id, [sessions.AttendanceChange(a.member_id, "present") for a in members]
    )
    president = next(a for a in members if a.deliberative)
    sessions.set_president(engine, session_id, president.member_id)
    sessions.start_session(engine, session_id, now=_at(detail, time(14, 0)))


def _at(detail: sessions.SessionDetail, at: time) -> datetime:
    """On the séance's day (the demo's ready séance is this week's)."""
    return datetime.combine(detail.summary.date, at)


@pytest.fixture(scope="module")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, int, int]]:
    """A demo database made under the guard (module-wide: it takes seconds)."""
    folder = tmp_path_factory.mktemp("demo_template")
    attempts: list[str] = []
    restore = netguard.install(attempts.append)
    home = os.environ.get("CALEOL_HOME")
    os.environ["CALEOL_HOME"] = str(folder / "home")
    try:
        # a past week: its ready séance is held and closed afterwards, times given
        summary = create_demo_database(folder / "demo.sqlite3", certificate=False,
                                       today=DEMO_TODAY)
    finally:
        restore()
        if home is None:
            os.environ.pop("CALEOL_HOME", None)
        else:
            os.environ["CALEOL_HOME"] = home
    assert attempts == [], attempts[0]
    assert summary.ready_session_id and summary.preparing_session_id
    yield folder / "demo.sqlite3", summary.ready_session_id, summary.preparing_session_id


def _certificate(folder: Path) -> tuple[Path, Path, Path]:
    """A demo organisation certificate: PKCS#12, passphrase file, PEM to trust."""
    folder.mkdir(parents=True, exist_ok=True)
    p12, phrase = folder / "demo.p12", folder / "phrase.txt"
    phrase.write_text("phrase secrète de démonstration\n", encoding="utf-8")
    pem = create_demo_certificate(p12, read_passphrase_file(phrase))
    return p12, phrase, pem


@pytest.mark.slow
def test_full_session_flow_opens_no_socket(
    no_network: list[str], demo_template: tuple[Path, int, int], tmp_path: Path
) -> None:
    template, ready_id, preparing_id = demo_template
    db_path = tmp_path / "demo.sqlite3"
    shutil.copyfile(template, db_path)
    p12, phrase, pem = _certificate(tmp_path / "cert")
    engine = open_database(str(db_path), upgrade=False)
    try:
        preparing = sessions.session_detail(engine, preparing_id)
        sessions.suggest_candidates(engine, agenda_item_id=preparing.agenda[0].id)
        _hold(engine, ready_id)
        _decide_everyone(engine, ready_id)
        sessions.close_session(engine, ready_id, now=_at(
            sessions.session_detail(engine, ready_id), time(16, 5)))
        produced = produce_minutes(
            engine, ready_id, key=SigningKey(p12, read_passphrase_file(phrase)))
        assert produced.signed and produced.stored is not None

        report = verify_with_database(engine, produced.pdf, [pem])
        assert report.ok, report.text()
        assert verify_chain(engine).ok
        nur = sessions.session_detail(engine, ready_id).agenda[0].candidacies[0].nur
        assert collect_person_data(engine, nur)["demandes"]
        plan_purge(engine, retention_months=12)
    finally:
        engine.dispose()
    assert no_network == [], no_network[0]


@pytest.mark.slow
def test_cli_flow_in_a_guarded_subprocess(
    demo_template: tuple[Path, int, int], tmp_path: Path
) -> None:
    template, ready_id, _ = demo_template
    db_path = tmp_path / "demo.sqlite3"
    shutil.copyfile(template, db_path)
    log = tmp_path / "network-attempts.log"
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(
        p for p in (str(GUARD_DIR / "no_network"), str(GUARD_DIR), env.get("PYTHONPATH")) if p
    )
    env[netguard.LOG_ENV] = str(log)

    probe = subprocess.run(
        [sys.executable, "-c", "import socket; socket.getaddrinfo('example.org', 443)"],
        env=env, capture_output=True, text=True, timeout=60,
    )
    assert probe.returncode != 0 and log.exists(), "the guard is not installed"
    log.unlink()

    work = tmp_path / "travail"
    work.mkdir()
    result = subprocess.run(
        worker_command("cli_flow.py", str(db_path), str(ready_id), str(work)),
        env=env, capture_output=True, text=True, encoding="utf-8", timeout=600,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert result.stdout.rstrip().endswith("flow ok")
    assert "Signature" in result.stdout or "signature" in result.stdout
    assert "Traceback" not in result.stderr
    assert not log.exists(), log.read_text("utf-8")
