"""`caleol minutes --sign … [--sign-secretary …]`: the seal or two personal
certificates, and the timestamp server of Paramètres, end to end."""

from __future__ import annotations

from pathlib import Path

import pytest
from cryptography import x509
from cryptography.x509.oid import NameOID
from services.sessions_factory import CLOSING, held
from services.tsa_server import TSA_NAME, local_tsa
from sqlalchemy import Engine

from caleol import settings
from caleol.cli import main
from caleol.services import sessions
from caleol.services.certificates import write_self_signed
from caleol.services.signing import create_demo_certificate


def person(folder: Path, given: str, surname: str) -> tuple[Path, Path, Path]:
    """A personal certificate (PKCS#12, PEM) and its passphrase file."""
    p12 = folder / f"{surname.lower()}.p12"
    pem = write_self_signed(p12, b"secret", x509.Name([
        x509.NameAttribute(NameOID.GIVEN_NAME, given),
        x509.NameAttribute(NameOID.SURNAME, surname),
        x509.NameAttribute(NameOID.COMMON_NAME, f"{given} {surname}")]),
        friendly_name=surname)
    passfile = folder / f"{surname.lower()}.txt"
    passfile.write_text("secret\n", encoding="utf-8")
    return p12, pem, passfile


def closed(engine: Engine, secretary: str | None = None) -> str:
    sitting = held(engine)
    if secretary:
        sessions.update_session_info(engine, sitting.session_id, secretary_name=secretary)
    for rank, candidacy in enumerate(sitting.candidacies, start=1):
        sessions.record_decision(engine, candidacy, "attribution_rang", rank=rank,
                                 unanimous=True)
    sessions.close_session(engine, sitting.session_id, **CLOSING)
    return str(sitting.session_id)


def test_two_personal_certificates(engine: Engine, tmp_path: Path,
                                   capsys: pytest.CaptureFixture[str]) -> None:
    sid = closed(engine, secretary="M. Sacha Greffe")
    db = engine.url.render_as_string(hide_password=False)
    president = person(tmp_path, "Administrateur", "1")  # the factory's president
    secretary = person(tmp_path, "Sacha", "GREFFE")
    out = tmp_path / "pv.pdf"
    # anyone else's certificate cannot sign the secretary's box (seen in the audit:
    # Mme Claire Martin's certificate signed for M. Paul Weber), nothing is written
    intruder = person(tmp_path, "Paule", "ADMIN")
    assert main(["minutes", sid, "-o", str(out), "--db", db,
                 "--sign", str(president[0]), "--passphrase-file", str(president[2]),
                 "--sign-secretary", str(intruder[0]),
                 "--secretary-passphrase-file", str(intruder[2])]) == 2
    assert ("Le certificat de Paule ADMIN ne peut pas signer pour M. Sacha Greffe, "
            "secrétaire de séance") in capsys.readouterr().err
    assert not out.exists()
    assert sessions.session_detail(engine, int(sid)).status == "closed"  # nothing stored
    assert main(["minutes", sid, "-o", str(out), "--db", db,
                 "--sign", str(president[0]), "--passphrase-file", str(president[2]),
                 "--sign-secretary", str(secretary[0]),
                 "--secretary-passphrase-file", str(secretary[2])]) == 0
    assert "signé et enregistré" in capsys.readouterr().out
    assert main(["verify", str(out), "--db", db, "--trust", str(president[1]),
                 "--trust", str(secretary[1])]) == 0
    report = capsys.readouterr().out
    # the séance's president is « Administrateur 1 », with no civility
    assert "champ « Président » : Administrateur 1, président de séance" in report
    assert "champ « Secrétaire » : Sacha GREFFE, secrétaire de séance" in report


def test_usage_errors_are_french(engine: Engine, tmp_path: Path,
                                 capsys: pytest.CaptureFixture[str]) -> None:
    sid = closed(engine)
    db = engine.url.render_as_string(hide_password=False)
    secretary = person(tmp_path, "Sacha", "GREFFE")
    out = tmp_path / "pv.pdf"
    assert main(["minutes", sid, "-o", str(out), "--db", db,
                 "--sign-secretary", str(secretary[0]),
                 "--secretary-passphrase-file", str(secretary[2])]) == 2
    assert "--sign-secretary demande aussi --sign" in capsys.readouterr().err
    assert main(["minutes", sid, "-o", str(out), "--db", db,
                 "--sign", str(secretary[0]), "--passphrase-file", str(secretary[2])]) == 2
    assert "celui d'une personne" in capsys.readouterr().err
    assert not out.exists()
    assert sessions.session_detail(engine, int(sid)).status == "closed"  # nothing stored


def test_the_timestamp_server_of_the_settings(engine: Engine, tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    sid = closed(engine, secretary="M. Sacha Greffe")  # both boxes sealed, two tokens
    db = engine.url.render_as_string(hide_password=False)
    p12 = tmp_path / "vivest.p12"
    pem = create_demo_certificate(p12, b"secret")
    passfile = tmp_path / "mdp.txt"
    passfile.write_text("secret\n", encoding="utf-8")
    out = tmp_path / "pv.pdf"
    with local_tsa(tmp_path) as tsa:
        settings.save(settings.Settings(timestamp_server=tsa.url))
        assert main(["minutes", sid, "-o", str(out), "--db", db, "--sign", str(p12),
                     "--passphrase-file", str(passfile)]) == 0
    capsys.readouterr()
    assert main(["verify", str(out), "--db", db, "--trust", str(pem),
                 "--trust", str(tsa.certificate)]) == 0
    report = capsys.readouterr().out
    assert report.count(f"par {TSA_NAME} — valide, autorité de confiance") == 2
