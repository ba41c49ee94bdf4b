"""A séance held, decided, closed, signed and verified through the `caleol` command.

Usage: cli_flow.py DB SESSION_ID WORKDIR

Each step is `caleol.cli.main([...])` in this one process (one start-up instead of
a dozen); the test runs it with the network guard installed at start-up, so any
socket opened by the command-line code paths is caught. Prints "$ caleol ..." before
each command and "flow ok" at the end; exits 1 at the first command that fails.
"""

from __future__ import annotations

import sys
from pathlib import Path

from sqlmodel import select

from caleol.cli import main
from caleol.db.engine import open_database, session_scope
from caleol.db.models import Reason
from caleol.services import sessions


def caleol(*args: str) -> None:
    print("$ caleol " + " ".join(args), flush=True)
    code = main(list(args))
    if code != 0:
        print(f"failed with code {code}", flush=True)
        raise SystemExit(1)


# A PLAI dwelling's ceiling check is « indéterminé »: an attribution states why.
JUSTIFICATION = "Plafond PLAI de l'année vérifié sur l'arrêté par le service."


def decisions(db_path: str, session_id: int) -> list[list[str]]:
    """`session decide` arguments: ranks if every check passes, a reasoned refusal else."""
    engine = open_database(db_path, upgrade=False)
    try:
        with session_scope(engine) as db:
            known = set(db.exec(select(Reason.code)).all())
        detail = sessions.session_detail(engine, session_id)
    finally:
        engine.dispose()
    commands = []
    for item in detail.agenda:
        passing = [c.id for c in item.candidacies if not c.failed_checks]
        for candidacy in item.candidacies:
            failed = candidacy.failed_checks
            args = ["session", "decide", str(candidacy.id)]
            if "ceiling" in failed:
                args += ["irrecevabilite", "--reason", "PLAFOND"]
            elif failed:
                code = "INADAPTE" if "typology" in failed else "SOLVABILITE"
                assert code in known, known
                args += ["non_attribution", "--reason", code]
            elif len(passing) == 1:
                args += ["attribution", "--justification", JUSTIFICATION]
            else:
                args += ["attribution_rang", "--rank", str(passing.index(candidacy.id) + 1),
                         "--justification", JUSTIFICATION]
            commands.append([*args, "--unanimous"])
    return commands


def run(db_path: str, session_id: int, work: Path) -> None:
    db = ["--db", db_path]
    sid = str(session_id)
    cert, phrase = work / "demo.p12", work / "phrase.txt"
    phrase.write_text("phrase secrète de démonstration\n", encoding="utf-8")
    caleol("demo-certificate", "-o", str(cert), "--passphrase-file", str(phrase))
    caleol("session", "attend", sid, "--all-present", *db)
    engine = open_database(db_path, upgrade=False)
    try:
        detail = sessions.session_detail(engine, session_id)
    finally:
        engine.dispose()
    president = next(a.member_id for a in detail.attendance if a.deliberative)
    caleol("session", "president", sid, str(president), *db)
    caleol("session", "start", sid, *db)
    for args in decisions(db_path, session_id):
        caleol(*args, *db)
    caleol("session", "close", sid, "--start", "14:00", "--end", "16:05", *db)
    pv = work / "pv.pdf"
    caleol("minutes", sid, "-o", str(pv), "--sign", str(cert), "--passphrase-file", str(phrase),
           *db)
    caleol("verify", str(pv), "--trust", str(cert.with_suffix(".pem")), *db)
    caleol("verify-db", *db)
    nur = detail.agenda[0].candidacies[0].nur
    caleol("access-request", nur, "-o", str(work / "acces.pdf"), *db)
    caleol("purge", "--preview", *db)
    caleol("backup", "-o", str(work / "sauvegardes"), *db)
    print("flow ok", flush=True)


if __name__ == "__main__":
    run(sys.argv[1], int(sys.argv[2]), Path(sys.argv[3]))
