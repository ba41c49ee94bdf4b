"""Signing on the demo: its certificate's passphrase (random, written beside it) is
offered; any other certificate's is typed, never filled in."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QInputDialog, QLineEdit

from caleol.services.demo import demo_certificate_path
from caleol.ui.dialogs import sign_dialog


@pytest.fixture
def asked(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    """The question and the text the passphrase field opens with."""
    seen: list[tuple[str, str]] = []

    def get_text(parent, title, label, echo=QLineEdit.EchoMode.Normal, text="", *a, **k):
        assert echo == QLineEdit.EchoMode.Password
        seen.append((label, text))
        return text, True

    monkeypatch.setattr(QInputDialog, "getText", get_text)
    return seen


def test_the_demo_certificate_passphrase_is_offered(qtbot, asked) -> None:
    p12 = demo_certificate_path()
    p12.parent.mkdir(parents=True, exist_ok=True)
    p12.write_bytes(b"certificat")
    (p12.parent / "vivest-demo.phrase-secrete.txt").write_text("tirée-au-sort\n",
                                                               encoding="utf-8")
    assert sign_dialog.ask_passphrase(None, str(p12)) == "tirée-au-sort"
    label, text = asked[0]
    assert text == "tirée-au-sort" and "certificat de démonstration" in label


def test_another_certificate_is_never_filled_in(qtbot, asked, tmp_path: Path) -> None:
    p12 = demo_certificate_path()
    p12.parent.mkdir(parents=True, exist_ok=True)
    (p12.parent / "vivest-demo.phrase-secrete.txt").write_text("tirée-au-sort\n",
                                                               encoding="utf-8")
    own = tmp_path / "organisme.p12"
    own.write_bytes(b"certificat")
    assert sign_dialog.ask_passphrase(None, str(own)) == ""
    label, text = asked[0]
    assert text == "" and "démonstration" not in label
    assert sign_dialog.demo_passphrase_of("") == ""
