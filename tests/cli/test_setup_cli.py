"""`caleol setup export | apply` from the shell: a new database created by apply, a bad
file refused with exit 2 and its French report, nothing left behind."""

from __future__ import annotations

from pathlib import Path

import pytest
from services.organisation_factory import build_organisation
from sqlalchemy import Engine

from caleol.cli import main


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_export_then_apply_to_a_database_that_does_not_exist(
    capsys: pytest.CaptureFixture[str], sqlite_engine: Engine, tmp_path: Path,
) -> None:
    build_organisation(sqlite_engine)
    source = sqlite_engine.url.database
    assert source
    exported = tmp_path / "organisation.toml"
    code, out, err = run(capsys, "setup", "export", "-o", str(exported), "--db", source)
    assert code == 0, err
    assert f"Organisation exportée : {exported}" in out and "logo-bailleur.png" in out
    new = tmp_path / "nouvelle" / "caleol.sqlite3"
    new.parent.mkdir()
    code, out, err = run(capsys, "setup", "apply", str(exported), "--db", str(new))
    assert code == 0, err
    assert f"Base créée : {new}" in out and "agences : 2 ajouts" in out
    code, out, _ = run(capsys, "setup", "apply", str(exported), "--db", str(new))
    assert (code, out.strip()) == (0, f"Aucun changement : {new} correspond déjà à "
                                      "organisation.toml.")
    again = tmp_path / "encore.toml"
    run(capsys, "setup", "export", "-o", str(again), "--db", str(new))
    assert again.read_bytes() == exported.read_bytes()


def test_a_refused_file_leaves_no_new_database(capsys: pytest.CaptureFixture[str],
                                               tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text('[bailleur]\nnom = "Bailleur"\nsiren = "123456789"\n', encoding="utf-8")
    target = tmp_path / "neuve.sqlite3"
    code, out, err = run(capsys, "setup", "apply", str(bad), "--db", str(target))
    assert code == 2 and out == ""
    assert err.splitlines() == [
        "Erreur : Fichier d'organisation refusé : 1 erreur ; rien n'a été modifié.",
        "- Ligne 3 : bailleur : SIREN « 123456789 » invalide : la clé de contrôle ne "
        "correspond pas (vérifiez chaque chiffre)."]
    assert not any(tmp_path.glob("neuve.sqlite3*"))


@pytest.mark.parametrize(("argv", "message"), [
    (["setup", "apply", "{tmp}/absent.toml", "--db", "{tmp}/x.sqlite3"],
     "Fichier introuvable : {tmp}/absent.toml"),
    (["setup", "export", "-o", "{tmp}/o.toml", "--db", "{tmp}/absente.sqlite3"],
     "Base de données introuvable"),
    (["setup", "export", "-o", "{tmp}/nulle/part/o.toml", "--db", "{tmp}/absente.sqlite3"],
     "introuvable"),
])
def test_missing_files_are_french_errors(capsys: pytest.CaptureFixture[str], tmp_path: Path,
                                         argv: list[str], message: str) -> None:
    code, _, err = run(capsys, *[a.format(tmp=tmp_path) for a in argv])
    assert code == 2 and message.format(tmp=tmp_path) in err


def test_export_needs_an_output(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["setup", "export"])
    assert caught.value.code == 2 and "-o/--output" in capsys.readouterr().err


@pytest.mark.postgres
def test_apply_creates_the_base_on_an_empty_postgresql_database(
        capsys: pytest.CaptureFixture[str]) -> None:
    """The guide's `caleol setup apply organisation.toml --db postgresql://…` on the
    empty database the IT service created: it said « doit être mise à jour (caleol
    db-upgrade) », and db-upgrade refuses an empty database (audit16)."""
    import uuid

    from db.backends import pg_admin_url
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    admin = pg_admin_url()
    if not admin:
        pytest.skip("CALEOL_TEST_PG_URL non défini")
    name = f"caleol_vide_{uuid.uuid4().hex[:10]}"
    server = create_engine(admin, isolation_level="AUTOCOMMIT")
    with server.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(admin).set(database=name).render_as_string(hide_password=False)
    example = Path(__file__).parents[2] / "docs" / "exemple-organisation.toml"
    try:
        code, out, err = run(capsys, "setup", "apply", str(example), "--db", url)
        assert code == 0, err
        assert "commissions : 1 ajout" in out
        code, out, err = run(capsys, "session", "list", "--db", url)
        assert code == 0, err
    finally:
        with server.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        server.dispose()
