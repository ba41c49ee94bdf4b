"""`caleol verify`, `sample-minutes`, `demo-certificate` end to end (in-process)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from caleol import settings
from caleol.cli import main
from caleol.services.signing import sha256_hex


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A demo certificate and a signed sample PV, made once through the CLI."""
    folder = tmp_path_factory.mktemp("cli")
    passfile = folder / "phrase.txt"
    passfile.write_text("une phrase secrète\n", encoding="utf-8")
    p12 = folder / "demo.p12"
    assert main(["demo-certificate", "-o", str(p12), "--passphrase-file", str(passfile)]) == 0
    signed = folder / "pv-signe.pdf"
    assert main(["sample-minutes", "-o", str(signed), "--dwellings", "2",
                 "--sign", str(p12), "--passphrase-file", str(passfile)]) == 0
    return {"p12": p12, "pem": folder / "demo.pem", "pass": passfile, "signed": signed}


def test_verify_accepts_a_signed_sample_with_its_certificate(workspace, capsys) -> None:
    capsys.readouterr()
    code = main(["verify", str(workspace["signed"]), "--trust", str(workspace["pem"])])
    out = capsys.readouterr().out
    assert code == 0, out
    assert out.count("→ signature valide") == 2
    assert "Résultat : document signé, intègre et authentique." in out
    assert "Cachet électronique de Vivest, pour Mme Brigitte Kieffer, présidente de séance" in out


def test_verify_uses_the_configured_trusted_certificates(workspace, capsys) -> None:
    settings.save(settings.Settings(trusted_certificates=(str(workspace["pem"]),)))
    assert main(["verify", str(workspace["signed"])]) == 0
    assert "Résultat : document signé" in capsys.readouterr().out


def test_verify_fails_without_trust(workspace, capsys) -> None:
    assert main(["verify", str(workspace["signed"])]) == 1
    out = capsys.readouterr().out
    assert "Aucun certificat de confiance" in out
    assert "ÉCHEC" in out


def test_verify_fails_on_a_tampered_byte(workspace, tmp_path, capsys) -> None:
    data = bytearray(workspace["signed"].read_bytes())
    end = int(re.search(rb"/ByteRange\s*\[\s*0\s+(\d+)", bytes(data))[1])
    data[end // 3] ^= 0x20
    tampered = tmp_path / "altere.pdf"
    tampered.write_bytes(bytes(data))
    assert main(["verify", str(tampered), "--trust", str(workspace["pem"])]) == 1
    assert "ALTÉRÉE" in capsys.readouterr().out
    pdfsig = subprocess.run(["pdfsig", str(tampered)], capture_output=True, text=True)
    assert "Signature is Valid" not in pdfsig.stdout


def test_verify_compares_the_expected_hash(workspace, capsys) -> None:
    good = sha256_hex(workspace["signed"].read_bytes())
    args = ["verify", str(workspace["signed"]), "--trust", str(workspace["pem"])]
    assert main([*args, "--sha256", good]) == 0
    assert main([*args, "--sha256", "f" * 64]) == 1
    assert "EMPREINTE DIFFÉRENTE" in capsys.readouterr().out


def test_unsigned_sample_and_usage_errors(workspace, tmp_path, capsys) -> None:
    out_pdf = tmp_path / "pv.pdf"
    assert main(["sample-minutes", "-o", str(out_pdf), "--dwellings", "1"]) == 0
    assert out_pdf.read_bytes().startswith(b"%PDF")
    assert "non signé" in capsys.readouterr().out
    assert main(["sample-minutes", "-o", str(out_pdf), "--sign", str(workspace["p12"])]) == 2
    assert "--passphrase-file" in capsys.readouterr().err
    bad = tmp_path / "mauvaise.txt"
    bad.write_text("pas la bonne\n", encoding="utf-8")
    assert main(["sample-minutes", "-o", str(out_pdf), "--sign", str(workspace["p12"]),
                 "--passphrase-file", str(bad)]) == 2
    assert "phrase secrète incorrecte" in capsys.readouterr().err
    assert main(["verify", str(tmp_path / "absent.pdf")]) == 2
    assert "Impossible de lire" in capsys.readouterr().err


def test_passphrase_never_lands_in_the_outputs(workspace) -> None:
    secret = "une phrase secrète".encode()
    for path in (workspace["p12"], workspace["pem"], workspace["signed"]):
        assert secret not in path.read_bytes()


def test_minutes_command_on_a_closed_session(engine, workspace, tmp_path, capsys) -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "services"))
    from sessions_factory import CLOSING, held

    from caleol.services import sessions

    sitting = held(engine)
    for rank, candidacy in enumerate(sitting.candidacies, start=1):
        sessions.record_decision(engine, candidacy, "attribution_rang", rank=rank,
                                 unanimous=True)
    sessions.close_session(engine, sitting.session_id, **CLOSING)
    db = engine.url.render_as_string(hide_password=False)
    sid = str(sitting.session_id)
    out_pdf = tmp_path / "pv.pdf"
    signing = ["--sign", str(workspace["p12"]), "--passphrase-file", str(workspace["pass"])]
    assert main(["minutes", sid, "-o", str(out_pdf), "--db", db, *signing]) == 0
    assert "signé et enregistré" in capsys.readouterr().out
    assert sessions.session_detail(engine, sitting.session_id).status == "signed"
    trust = ["--trust", str(workspace["pem"])]
    assert main(["verify", str(out_pdf), "--db", db, *trust]) == 0
    assert "Document enregistré : procès-verbal" in capsys.readouterr().out
    again = tmp_path / "copie.pdf"
    assert main(["--db", db, "minutes", sid, "-o", str(again)]) == 0
    assert again.read_bytes() == out_pdf.read_bytes()
    assert main(["verify", str(workspace["signed"]), "--db", db, *trust]) == 1
    assert "Aucun document signé enregistré" in capsys.readouterr().out
    assert main(["minutes", sid, "-o", str(again), "--db", db, *signing]) == 2
    assert "déjà signé" in capsys.readouterr().err
