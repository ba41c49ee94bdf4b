"""`caleol rectificatif SEANCE --point … --candidature LOGEMENT NUR`: a rectification
recorded from the command line, linked to the candidacy it corrects, then printed on
that candidate's extract of the PV."""

from __future__ import annotations

from pathlib import Path

import pytest
from services.documents.pdf_probe import text_of
from services.sessions_factory import CLOSING, held
from sqlalchemy import Engine

from caleol.cli import main
from caleol.services import sessions
from caleol.services.documents.session_minutes import SigningKey, produce_minutes
from caleol.services.signing import create_demo_certificate

POINT = ["--point", "Logement, candidat classé 2, décision",
         "--initiale", "Attribution par ordre de priorité — rang 2",
         "--rectifiee", "Attribution par ordre de priorité — rang 3",
         "--motif", "Erreur matérielle de saisie"]


def test_a_rectification_of_a_candidacy_goes_onto_its_extract(
        engine: Engine, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    sitting = held(engine)
    for rank, candidacy in enumerate(sitting.candidacies, start=1):
        sessions.record_decision(engine, candidacy, "attribution_rang", rank=rank,
                                 unanimous=True)
    sessions.close_session(engine, sitting.session_id, **CLOSING)
    create_demo_certificate(tmp_path / "c.p12", b"pw")
    produce_minutes(engine, sitting.session_id, key=SigningKey(tmp_path / "c.p12", b"pw"))
    (item,) = sessions.session_detail(engine, sitting.session_id).agenda
    second = item.candidacies[1]
    sid, db = str(sitting.session_id), engine.url.render_as_string(hide_password=False)
    out = tmp_path / "rectificatif.pdf"
    # a candidacy that is not the séance's: refused in French, nothing recorded
    assert main(["rectificatif", sid, "-o", str(out), "--db", db, *POINT,
                 "--candidature", item.reference, "057 99 99 99999 X0000"]) == 2
    assert "n'est pas candidate pour le logement" in capsys.readouterr().err
    assert sessions.session_detail(engine, sitting.session_id).rectifications == ()
    assert not out.exists()
    # a wrong passphrase: refused before the rectification is recorded (it was recorded,
    # then the rectificatif failed to sign)
    wrong = tmp_path / "mauvaise.txt"
    wrong.write_text("mauvaise\n", encoding="utf-8")
    assert main(["rectificatif", sid, "-o", str(out), "--db", db, *POINT,
                 "--sign", str(tmp_path / "c.p12"), "--passphrase-file", str(wrong)]) == 2
    assert "phrase secrète incorrecte" in capsys.readouterr().err
    assert sessions.session_detail(engine, sitting.session_id).rectifications == ()
    assert main(["rectificatif", sid, "-o", str(out), "--db", db, *POINT,
                 "--candidature", item.reference, second.nur]) == 0
    (recorded,) = sessions.session_detail(engine, sitting.session_id).rectifications
    assert recorded.candidacy_id == second.id
    assert "rang 3" in text_of(out.read_bytes())
    extract = tmp_path / "extrait.pdf"
    assert main(["extract", sid, second.nur, "-o", str(extract), "--db", db]) == 0
    content = " ".join(text_of(extract.read_bytes()).split())
    assert ("Mention initiale : « Attribution par ordre de priorité — rang 2 » "
            "Mention rectifiée : « Attribution par ordre de priorité — rang 3 »") in content
