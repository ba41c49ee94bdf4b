"""Issue 21, « done when »: a landlord's first real séance, from a database file that does
not exist, through the `caleol` command only (no demo code):

setup apply of a file exported from another database → dwellings and demandes imported
with their communes given by INSEE code only → a séance created, prepared with three
candidates, held (attendance, president, decisions) and closed → its PV signed with a
PKCS#12 made by the `openssl` command line → `caleol verify PV.pdf --trust cert.pem`.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from datetime import date, timedelta
from pathlib import Path

import pytest
from services.organisation_factory import build_organisation
from sqlalchemy import Engine

from caleol.cli import main
from caleol.fr import paris_today
from caleol.rules.calendar import is_working_day

PASSPHRASE = "phrase secrète de test"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    code = main(list(argv))
    out, err = capsys.readouterr()
    assert code == 0, f"caleol {' '.join(argv)} → {code}\n{out}\n{err}"
    return out


def openssl_organisation_certificate(folder: Path) -> tuple[Path, Path, Path]:
    """The landlord's seal as an issuing authority would hand it over: made by openssl,
    an organisation (O=) and no person's name."""
    key, cert, p12 = folder / "cle.pem", folder / "cachet.pem", folder / "cachet.p12"
    secret = folder / "phrase.txt"
    secret.write_text(PASSPHRASE + "\n", encoding="utf-8")
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:3072", "-sha256", "-nodes",
         "-keyout", str(key), "-out", str(cert), "-days", "30",
         "-subj", "/C=FR/O=Habitat Lorrain/CN=Habitat Lorrain - cachet des CALEOL",
         "-addext", "keyUsage=critical,digitalSignature,nonRepudiation",
         "-addext", "basicConstraints=critical,CA:FALSE"],
        check=True, capture_output=True)
    subprocess.run(
        ["openssl", "pkcs12", "-export", "-inkey", str(key), "-in", str(cert),
         "-out", str(p12), "-name", "Habitat Lorrain", "-passout", f"file:{secret}"],
        check=True, capture_output=True)
    return p12, cert, secret


def last_working_day() -> date:
    day = paris_today() - timedelta(days=1)
    while not is_working_day(day, "57"):
        day -= timedelta(days=1)
    return day


DWELLINGS = """\
Référence;Code INSEE;Adresse;Typologie;Financement;Loyer (€);Charges (€);Énergie (€);QPV;Agence
HL-00001;57463;12 rue Serpenoise;T3;PLUS;450,00;80,00;60,00;non;METZ
"""


def demandes_csv(today: date) -> str:
    """Three couples with a child, wishing Metz (INSEE 57463) only; resources checked
    against the séance year's ceilings on the revenu fiscal of year n-2."""
    lines = ["NUR;Date dépôt;Nom;Prénoms;Membres;Ressources;Revenu fiscal référence;"
             "Année revenu fiscal;Communes souhaitées;Typologies souhaitées"]
    filed = date(today.year - 1, 6, 3)
    for number, (surname, first) in enumerate(
            (("Muller", "Anne"), ("Schmitt", "Karim"), ("Weber", "Julie")), start=1):
        nur = f"057 {filed:%y%m} {number:05d} G5701"
        lines.append(f"{nur};{filed:%d/%m/%Y};{surname};{first};"
                     "demandeur:02/03/1988 | conjoint:10/01/1990 | enfant:01/06/2019;"
                     f"salaire:{2300 + 100 * number},00:1;{19000 + number};{today.year - 2};"
                     "57463;T3")
    return "\n".join(lines) + "\n"


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("openssl") is None, reason="la commande openssl est absente")
def test_first_seance_at_a_real_landlord(capsys: pytest.CaptureFixture[str],
                                         sqlite_engine: Engine, tmp_path: Path) -> None:
    # the organisation, entered in another database, exported as a file
    build_organisation(sqlite_engine)
    other = sqlite_engine.url.database
    assert other
    setup = tmp_path / "organisation.toml"
    run(capsys, "setup", "export", "-o", str(setup), "--db", other)

    base = tmp_path / "bailleur" / "caleol.sqlite3"
    base.parent.mkdir()
    db = str(base)
    assert "Base créée" in run(capsys, "setup", "apply", str(setup), "--db", db)

    today = paris_today()
    (tmp_path / "logements.csv").write_text(DWELLINGS, encoding="utf-8")
    (tmp_path / "demandes.csv").write_text(demandes_csv(today), encoding="utf-8")
    run(capsys, "import", "dwellings", str(tmp_path / "logements.csv"), "--db", db)
    run(capsys, "import", "demandes", str(tmp_path / "demandes.csv"), "--db", db)
    exported = tmp_path / "export-logements.csv"
    run(capsys, "export", "dwellings", "-o", str(exported), "--db", db)
    listing = exported.read_text(encoding="utf-8-sig")
    assert "Metz" in listing and "200039865" in listing  # commune and EPCI from the INSEE code

    day = last_working_day()
    created = run(capsys, "session", "create", "--commission", "CALEOL-METZ", "--date",
                  day.isoformat(), "--time", "14:00", "--place", "Agence de Metz",
                  "--secretary", "Mme Sophie Lambert", "--json", "--db", db)
    seance = str(json.loads(created)["id"])
    run(capsys, "session", "add-dwelling", seance, "HL-00001", "--db", db)
    nurs = [line.split(";")[0] for line in demandes_csv(today).splitlines()[1:]]
    for nur in nurs:
        run(capsys, "session", "add-candidate", seance, "HL-00001", nur, "--db", db)
    run(capsys, "session", "ready", seance, "--db", db)
    run(capsys, "session", "start", seance, "--db", db)
    run(capsys, "session", "attend", seance, "--all-present", "--db", db)
    detail = json.loads(run(capsys, "session", "show", seance, "--json", "--db", db))
    president = next(a["member_id"] for a in detail["attendance"]
                     if a["name"] == "Mme Claire Martin")
    run(capsys, "session", "president", seance, str(president), "--db", db)
    candidacies = [c["id"] for c in detail["agenda"][0]["candidacies"]]
    assert len(candidacies) == 3
    for rank, candidacy in enumerate(candidacies, start=1):
        run(capsys, "session", "decide", str(candidacy), "attribution_rang", "--rank",
            str(rank), "--unanimous", "--db", db)
    run(capsys, "session", "close", seance, "--start", "14:00", "--end", "15:10", "--db", db)

    p12, cert, secret = openssl_organisation_certificate(tmp_path)
    pv = tmp_path / "PV.pdf"
    run(capsys, "minutes", seance, "-o", str(pv), "--sign", str(p12), "--passphrase-file",
        str(secret), "--db", db)
    assert pv.read_bytes().startswith(b"%PDF")
    shown = json.loads(run(capsys, "session", "show", seance, "--json", "--db", db))
    assert shown["summary"]["status"] == "signed"
    assert main(["verify", str(pv)]) != 0  # the seal is unknown until trusted
    capsys.readouterr()
    report = run(capsys, "verify", str(pv), "--trust", str(cert))
    assert "Habitat Lorrain" in report
    run(capsys, "verify", str(pv), "--trust", str(cert), "--db", db)  # and it is the one kept
