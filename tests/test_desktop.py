"""Windows code paths of caleol.desktop, simulated on Linux (sys.platform, os.startfile,
GetDriveTypeW replaced). The same functions run for real under Wine in
packaging/windows/build.sh (shell open/print through a registered PDF handler, a
database on a drive Wine reports as remote)."""

from __future__ import annotations

import argparse
import io
import os
import sys
from pathlib import Path

import pytest

from caleol import desktop
from caleol.errors import CaleolError

DRIVE_FIXED = 3


@pytest.fixture
def windows(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "platform", "win32")


@pytest.fixture
def started(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, ...]]:
    """os.startfile, recorded (it does not exist on Linux)."""
    calls: list[tuple[str, ...]] = []
    monkeypatch.setattr(os, "startfile", lambda *args: calls.append(args), raising=False)
    return calls


@pytest.fixture
def pdf(tmp_path: Path) -> Path:
    folder = tmp_path / "Élodie Test" / "Documents"
    folder.mkdir(parents=True)
    path = folder / "PV séance 12.pdf"
    path.write_bytes(b"%PDF-1.7\n")
    return path


def test_is_windows_reads_sys_platform(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "platform", "linux")
    assert not desktop.is_windows()
    monkeypatch.setattr(sys, "platform", "win32")
    assert desktop.is_windows()


# --- shell open and print ----------------------------------------------------------


def test_shell_open_hands_the_path_to_startfile(
        started: list[tuple[str, ...]], pdf: Path) -> None:
    desktop.shell_open(pdf)
    assert started == [(str(pdf),)]  # no verb: the default action, « open »


def test_shell_print_uses_the_print_verb(started: list[tuple[str, ...]], pdf: Path) -> None:
    desktop.shell_print(pdf)
    assert started == [(str(pdf), "print")]


def test_missing_document_is_refused_before_the_shell(
        started: list[tuple[str, ...]], tmp_path: Path) -> None:
    for action in (desktop.shell_open, desktop.shell_print):
        with pytest.raises(CaleolError, match="introuvable"):
            action(tmp_path / "absent.pdf")
    assert started == []


def test_no_associated_application_is_a_french_error(
        monkeypatch: pytest.MonkeyPatch, pdf: Path) -> None:
    def no_association(*args: str) -> None:
        raise OSError(1155, "No application is associated with the specified file")

    monkeypatch.setattr(os, "startfile", no_association, raising=False)
    with pytest.raises(CaleolError) as opened:
        desktop.shell_open(pdf)
    assert "Aucune application" in opened.value.message
    assert str(pdf) in opened.value.message  # where the document is, to find it by hand
    with pytest.raises(CaleolError) as printed:
        desktop.shell_print(pdf)
    assert "imprimez-le depuis votre lecteur PDF" in printed.value.message


def test_printing_module_routes_windows_through_the_shell(
        windows: None, started: list[tuple[str, ...]], pdf: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    from caleol.ui import printing

    def no_qt(*args: object) -> None:
        raise AssertionError("Qt's viewer or print dialog used on Windows")

    monkeypatch.setattr(printing.QDesktopServices, "openUrl", no_qt)
    monkeypatch.setattr(printing, "QPrintDialog", no_qt)
    printing.open_document(pdf)
    assert printing.print_document(None, pdf) is True
    assert started == [(str(pdf),), (str(pdf), "print")]


def test_windows_without_a_print_verb_falls_back_to_the_print_dialog(
        windows: None, pdf: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from caleol.ui import printing

    def no_print_verb(*args: str) -> None:
        raise OSError(1155, "No application is associated with the specified file")

    class FallbackReachedError(Exception):
        pass

    def page_count(path: Path) -> int:
        raise FallbackReachedError(path)

    monkeypatch.setattr(os, "startfile", no_print_verb, raising=False)
    monkeypatch.setattr(printing, "page_count", page_count)
    with pytest.raises(FallbackReachedError):  # reached the QPrintDialog path, which counts pages
        printing.print_document(None, pdf)


def test_linux_keeps_qt_viewer(started: list[tuple[str, ...]], pdf: Path,
                               monkeypatch: pytest.MonkeyPatch) -> None:
    from caleol.ui import printing

    monkeypatch.setattr(sys, "platform", "linux")
    opened: list[str] = []
    monkeypatch.setattr(printing.QDesktopServices, "openUrl",
                        lambda url: opened.append(url.toLocalFile()) or True)
    printing.open_document(pdf)
    assert opened == [str(pdf)] and started == []


# --- redirected output ------------------------------------------------------------


def test_redirected_output_is_utf8_on_windows(windows: None,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    # What Python gives a Windows program whose output goes to a file: the ANSI code page.
    raw = io.BytesIO()
    redirected = io.TextIOWrapper(raw, encoding="cp1252")
    monkeypatch.setattr(sys, "stdout", redirected)
    with pytest.raises(UnicodeEncodeError):
        print("Signature valide → PV n° 12", file=redirected)
    desktop.utf8_redirected_output()
    print("Signature valide → PV n° 12 ≤ 3 %", file=redirected)
    redirected.flush()
    assert raw.getvalue().decode("utf-8").endswith("Signature valide → PV n° 12 ≤ 3 %\n")


def test_redirected_output_untouched_off_windows_and_without_streams(
        monkeypatch: pytest.MonkeyPatch) -> None:
    redirected = io.TextIOWrapper(io.BytesIO(), encoding="cp1252")
    monkeypatch.setattr(sys, "stdout", redirected)
    monkeypatch.setattr(sys, "stderr", None)  # caleol.exe (windowed) has no streams
    monkeypatch.setattr(sys, "platform", "linux")
    desktop.utf8_redirected_output()
    assert redirected.encoding == "cp1252"
    monkeypatch.setattr(sys, "platform", "win32")
    desktop.utf8_redirected_output()
    assert redirected.encoding == "utf-8"


def test_cli_main_sets_the_output_up_first(monkeypatch: pytest.MonkeyPatch) -> None:
    from caleol import cli

    calls: list[str] = []
    monkeypatch.setattr(desktop, "utf8_redirected_output", lambda: calls.append("utf8"))
    with pytest.raises(SystemExit):
        cli.main(["--version"])
    assert calls == ["utf8"]


# --- network drives ---------------------------------------------------------------


def drive_types(**types: int) -> tuple[list[str], object]:
    asked: list[str] = []

    def drive_type(root: str) -> int:
        asked.append(root)
        return types.get(root[0], DRIVE_FIXED)

    return asked, drive_type


@pytest.mark.parametrize(("path", "where"), [
    (r"\\serveur\partage\caleol.sqlite3", r"partage réseau \\serveur\partage"),
    (r"\\SRV-AGENCE\Données\CALEOL\caleol base.sqlite3", r"partage réseau \\SRV-AGENCE\Données"),
    (r"\\?\UNC\serveur\partage\caleol.sqlite3", r"partage réseau \\serveur\partage"),
    ("//serveur/partage/caleol.sqlite3", r"partage réseau \\serveur\partage"),
])
def test_unc_paths_are_network(windows: None, path: str, where: str) -> None:
    asked, drive_type = drive_types()
    assert desktop.network_location(path, drive_type) == where
    assert asked == []  # a UNC path needs no drive look-up


def test_mapped_drive_is_found_by_its_drive_type(windows: None) -> None:
    asked, drive_type = drive_types(N=desktop.DRIVE_REMOTE)
    assert desktop.network_location(r"n:\CALEOL\caleol.sqlite3", drive_type) == (
        "lecteur réseau N:")
    assert desktop.network_location(r"\\?\N:\caleol.sqlite3", drive_type) == (
        "lecteur réseau N:")
    assert asked == ["N:\\", "N:\\"]


def test_local_paths_with_accents_and_spaces_are_not_network(windows: None) -> None:
    asked, drive_type = drive_types(N=desktop.DRIVE_REMOTE)
    local = r"C:\Users\Élodie Test\Documents\caleol base.sqlite3"
    assert desktop.network_location(local, drive_type) is None
    assert desktop.network_database_warning(local, drive_type) is None
    assert asked == ["C:\\", "C:\\"]


def test_drive_type_failure_never_blocks(windows: None) -> None:
    def broken(root: str) -> int:
        raise OSError("GetDriveTypeW")

    assert desktop.network_location(r"N:\caleol.sqlite3", broken) is None


def test_off_windows_nothing_is_network(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "platform", "linux")
    asked, drive_type = drive_types(N=desktop.DRIVE_REMOTE)
    assert desktop.network_location(r"\\serveur\partage\x.sqlite3", drive_type) is None
    assert desktop.network_location(r"N:\x.sqlite3", drive_type) is None
    assert asked == []


def test_network_warning_is_french_and_points_to_postgresql(windows: None) -> None:
    _, drive_type = drive_types(N=desktop.DRIVE_REMOTE)
    warning = desktop.network_database_warning(Path(r"N:\caleol.sqlite3"), drive_type)
    assert warning is not None
    assert warning.startswith(r"La base de données N:\caleol.sqlite3 est sur un lecteur réseau N:")
    assert "PostgreSQL" in warning and "endommagée" in warning
    assert desktop.network_database_warning(None, drive_type) is None  # PostgreSQL URL


def test_guide_has_the_section_the_warning_names() -> None:
    guide = (Path(__file__).resolve().parent.parent / "docs" / "guide.md").read_text("utf-8")
    section = desktop.POSTGRESQL_HINT.split("« ")[1].split(" »")[0]
    assert any(line.startswith("#") and section in line for line in guide.splitlines())


def test_cli_warns_on_stderr_and_goes_on(windows: None, monkeypatch: pytest.MonkeyPatch,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    from caleol.cli import dbtools

    monkeypatch.setattr(desktop, "_drive_type", lambda root: desktop.DRIVE_REMOTE)
    dbtools.warn_network_database("sqlite:///N:/CALEOL/caleol.sqlite3")
    err = capsys.readouterr().err
    assert err.startswith("Attention : La base de données N:")
    assert "PostgreSQL" in err
    dbtools.warn_network_database("postgresql+psycopg://caleol@serveur/caleol")
    assert capsys.readouterr().err == ""


def test_cli_database_from_args_checks_the_database(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from caleol.cli import dbtools

    seen: list[str] = []
    monkeypatch.setattr(dbtools, "warn_network_database", seen.append)
    url = dbtools.database_from_args(argparse.Namespace(db=str(tmp_path / "b.sqlite3")))
    assert seen == [url]


def test_gui_shows_the_warning_once_the_database_is_open(
        windows: None, monkeypatch: pytest.MonkeyPatch) -> None:
    from caleol.app import database
    from caleol.ui import messages

    shown: list[tuple[object, str, str]] = []
    monkeypatch.setattr(messages, "show_info", lambda *args: shown.append(args))
    monkeypatch.setattr(desktop, "_drive_type", lambda root: desktop.DRIVE_REMOTE)
    window = object()
    database.warn_network_database(database.DatabaseTarget("sqlite:///N:/caleol.sqlite3"), window)
    assert len(shown) == 1
    parent, text, title = shown[0]
    assert parent is window and "PostgreSQL" in text and title == "Base de données sur le réseau"
    monkeypatch.setattr(desktop, "_drive_type", lambda root: DRIVE_FIXED)
    database.warn_network_database(database.DatabaseTarget("sqlite:///C:/caleol.sqlite3"), window)
    assert len(shown) == 1
