"""A file that cannot be read is said in French, whatever the machine's locale: under
Xvfb `caleol verify PV.pdf` on a missing file printed « (No such file or directory) »,
the C library's English text."""

from __future__ import annotations

from pathlib import Path

import pytest

from caleol.cli import main
from caleol.errors import ValidationError
from caleol.rules.ceilings import load_ceiling_table


def test_verify_a_missing_or_wrong_file(capsys: pytest.CaptureFixture[str],
                                        tmp_path: Path) -> None:
    absent = tmp_path / "PV.pdf"
    assert main(["verify", str(absent)]) == 2
    err = capsys.readouterr().err
    assert f"Impossible de lire {absent} : fichier ou dossier introuvable." in err
    assert "No such file" not in err
    assert main(["verify", str(tmp_path)]) == 2  # a folder given for the PDF
    assert f"Impossible de lire {tmp_path} : c'est un dossier, pas un fichier." in (
        capsys.readouterr().err)


def test_a_ceiling_table_that_is_not_there(tmp_path: Path) -> None:
    with pytest.raises(ValidationError) as info:
        load_ceiling_table(tmp_path / "absent.csv")
    assert info.value.message == (
        f"Impossible de lire {tmp_path / 'absent.csv'} : fichier ou dossier introuvable.")
