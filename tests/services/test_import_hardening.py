"""Hostile files (issue 16, findings 5 and 6): a NIR inside a sentence, a NUL byte far
into the file, a file larger than the 100 Mo docs/securite.md promises to refuse."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlmodel import select

from caleol.cli import main
from caleol.db.engine import session_scope
from caleol.errors import FormError
from caleol.services.editing import save_demande, save_dwelling
from caleol.services.imports import ImportRejectedError, csvfile, import_demandes
from caleol.services.imports.csvfile import MAX_FILE_BYTES, UnreadableFileError
from tests.services.import_fixtures import TODAY, counts, csv_bytes, with_references
from tests.services.test_editing import a_demande, a_dwelling

HEADER = "NUR;Date dépôt;Nom;Prénoms;Membres;Notes\n"


def _line(index: int, notes: str = "") -> str:
    return f"0572403{index:05d}G5701;12/03/2024;Durand;Élodie;demandeur:02/03/1985;{notes}\n"


@pytest.fixture
def db(engine: Engine) -> Iterator[Engine]:
    yield with_references(engine)


# --- finding 5: a NIR inside a sentence -------------------------------------------------


@pytest.mark.parametrize("nir", [
    "185057800608436",  # the hostile test's value (its key is wrong: still a NIR)
    "1 85 05 78 006 084 91",
    "2 90 03 2A 004 012 34",  # Corsica
])
def test_import_refuses_a_nir_inside_a_sentence_without_echoing_it(db: Engine,
                                                                   nir: str) -> None:
    before = counts(db)
    text = HEADER + _line(1) + _line(2, f"NIR du demandeur : {nir} (à vérifier)")
    with pytest.raises(ImportRejectedError) as caught:
        import_demandes(db, csv_bytes(text), today=TODAY)
    errors = caught.value.report.errors
    assert [(e.line, e.column) for e in errors] == [(3, "Notes")]  # the line and the field
    message = str(caught.value)
    assert "sécurité sociale" in message and "NIR" in message
    assert "retirez-le du fichier" in message  # the number, not the whole Notes column
    assert "retirez cette colonne" not in message
    digits = nir.replace(" ", "")
    assert nir not in message and digits not in message and digits[:13] not in message
    assert counts(db) == before


def test_editors_and_import_apply_the_same_rule(db: Engine) -> None:
    """The Corsican NIR the editors' old search missed (letters in it) is refused by both."""
    sentence = "Née en Corse, NIR 2 90 03 2A 004 012 34."
    with pytest.raises(FormError) as caught:
        save_demande(db, a_demande(notes=sentence), today=TODAY)
    assert set(caught.value.fields) == {"notes"}
    assert "NIR" in caught.value.fields["notes"] and "2A" not in str(caught.value)
    with pytest.raises(FormError) as caught:
        save_dwelling(db, a_dwelling(address=f"12 rue des Lilas ({sentence})"), today=TODAY)
    assert set(caught.value.fields) == {"address"}
    with pytest.raises(ImportRejectedError):
        import_demandes(db, csv_bytes(HEADER + _line(3, sentence)), today=TODAY)


# --- finding 6: NUL bytes anywhere, files over 100 Mo -----------------------------------


def test_a_nul_byte_after_the_first_64_kb_refuses_the_file(db: Engine) -> None:
    before = counts(db)
    lines = [_line(i, "x" * 200) for i in range(1, 1_000)]  # about 240 Ko
    poisoned = 600  # far past the 64 Ko sample
    lines[poisoned] = lines[poisoned].replace("Durand", "Dur\x00and")
    data = (HEADER + "".join(lines)).encode("utf-8")
    assert data.index(b"\x00") > csvfile.SAMPLE
    with pytest.raises(ImportRejectedError) as caught:
        import_demandes(db, io.BytesIO(data), today=TODAY)
    message = str(caught.value)
    assert "caractères nuls" in message, message
    assert "pas en UTF-8" not in message and "))" not in message  # a NUL is valid UTF-8
    assert counts(db) == before


def test_a_file_over_100_mo_is_refused_before_it_is_read(db: Engine, tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch
                                                        ) -> None:
    before = counts(db)
    path = tmp_path / "enorme.csv"
    with path.open("wb") as handle:  # sparse: 100 Mo + 1 octet without writing them
        handle.write(HEADER.encode())
        handle.truncate(MAX_FILE_BYTES + 1)
    opened: list[str] = []
    real_open = Path.open

    def spy(self: Path, *args: object, **kwargs: object) -> object:
        opened.append(self.name)
        return real_open(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Path, "open", spy)
    with pytest.raises(UnreadableFileError) as caught:
        import_demandes(db, path, today=TODAY)
    assert str(caught.value).startswith(
        "Le fichier enorme.csv dépasse la taille maximale de 100 Mo")  # not « (100 Mo) »
    assert opened == []  # refused on its size, not a byte read
    assert counts(db) == before


def test_a_stream_over_the_limit_is_refused_while_reading(db: Engine,
                                                          monkeypatch: pytest.MonkeyPatch
                                                          ) -> None:
    """A stream has no size to ask: the bytes are counted as they come."""
    monkeypatch.setattr(csvfile, "MAX_FILE_BYTES", 100_000)
    data = (HEADER + "".join(_line(i) for i in range(1, 2_000))).encode("utf-8")
    assert len(data) > 100_000
    before = counts(db)
    with pytest.raises(ImportRejectedError) as caught:
        import_demandes(db, io.BytesIO(data), today=TODAY)
    assert "100 Mo" not in str(caught.value) and "0,1 Mo" in str(caught.value)
    assert counts(db) == before


# --- the reference tables' CSV (QPV, quartiles, ceilings): the same two rules -----------


def test_a_nul_byte_in_a_reference_csv_is_refused_and_nothing_stored(db: Engine) -> None:
    """A QPV list with « Quartier Du\\0pont » far into the file was imported and the NUL
    stored in the quartier's name (audit16)."""
    from caleol.db.models import Qpv
    from caleol.errors import ValidationError
    from caleol.services.territory import updates, yearly

    with session_scope(db) as s:
        before = len(s.exec(select(Qpv)).all())
    lines = [f"QN0579{i:03d}D;Quartier {i} {'x' * 60};57463;test\n" for i in range(1, 1_000)]
    lines[900] = lines[900].replace("Quartier", "Quartier Du\x00pont")
    data = ("code_qp;nom_qp;insee_com;source\n" + "".join(lines)).encode()
    assert data.index(b"\x00") > csvfile.SAMPLE
    with pytest.raises(ValidationError, match="caractères nuls"):
        updates.import_qpv(db, data)
    with pytest.raises(ValidationError, match="caractères nuls"):
        yearly.import_quartile_file(db, b"siren_epci;annee;seuil;source\n\x00\n")
    with pytest.raises(ValidationError, match="caractères nuls"):
        yearly.import_ceiling_file(db, b"financement;zone\n\x00\n")
    with session_scope(db) as s:
        assert len(s.exec(select(Qpv)).all()) == before


def test_a_reference_file_over_100_mo_is_refused_before_it_is_read(
        db: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    """`caleol reference import` and the window read the whole file first (audit16)."""
    path = tmp_path / "qpv.csv"
    with path.open("wb") as handle:
        handle.write(b"code_qp;nom_qp;insee_com;source\n")
        handle.truncate(MAX_FILE_BYTES + 1)
    read: list[str] = []
    real = Path.read_bytes
    monkeypatch.setattr(Path, "read_bytes", lambda self: read.append(self.name) or real(self))
    database = db.url.database
    if db.dialect.name != "sqlite" or not database:
        pytest.skip("la commande vise ici un fichier SQLite")
    assert main(["reference", "import", "qpv", str(path), "--db", database]) == 2
    err = capsys.readouterr().err
    assert "qpv.csv dépasse la taille maximale de 100 Mo" in err and "Traceback" not in err
    assert read == []
