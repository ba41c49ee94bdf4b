"""A fresh Linux without Qt's xcb libraries gets a French message naming the packages,
not Qt's English abort (issue 17). Checked with the loader replaced: no library is
really removed from this machine."""

from __future__ import annotations

import builtins

import pytest

from caleol import app
from caleol.ui import platform_check


def without(*missing: str):
    return lambda name: name not in missing


def test_missing_xcb_libraries_are_named_with_their_packages() -> None:
    text = platform_check.problem(
        {"DISPLAY": ":0"}, "linux", without("libxcb-cursor.so.0", "libxkbcommon-x11.so.0"))
    assert text.startswith("caleol ne peut pas ouvrir sa fenêtre")
    assert "libxcb-cursor.so.0 (paquet libxcb-cursor0)" in text
    assert "libxkbcommon-x11.so.0 (paquet libxkbcommon-x11-0)" in text
    assert platform_check.APT_COMMAND in text
    assert "Paquets manquants ici : libxcb-cursor0, libxkbcommon-x11-0." in text


def test_everything_present_means_no_message() -> None:
    assert platform_check.problem({"DISPLAY": ":0"}, "linux", lambda name: True) == ""


@pytest.mark.parametrize(("environ", "platform"), [
    ({"QT_QPA_PLATFORM": "offscreen"}, "linux"),  # tests, screenshots: no xcb needed
    ({"QT_QPA_PLATFORM": "wayland"}, "linux"),
    ({}, "win32"),
])
def test_no_check_when_xcb_is_not_used(environ, platform) -> None:
    assert platform_check.problem(environ, platform, lambda name: False) == ""


def test_no_display_is_said_in_french() -> None:
    text = platform_check.problem({"QT_QPA_PLATFORM": "xcb"}, "linux", lambda name: True)
    assert "aucun affichage graphique" in text


def test_the_apt_line_names_every_package_the_check_can_report() -> None:
    reported = {package for _library, package in platform_check.LIBRARIES}
    assert reported <= set(platform_check.APT_PACKAGES)


def test_the_readme_gives_the_same_apt_line() -> None:
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    assert "apt-get install python3-venv " + " ".join(platform_check.APT_PACKAGES) in readme


def test_run_gui_prints_the_message_and_stops_before_qt(monkeypatch, capsys) -> None:
    monkeypatch.setattr(platform_check, "problem", lambda: "caleol ne peut pas ouvrir…\n")
    real_import = builtins.__import__
    imported: list[str] = []

    def watching(name, globals_=None, locals_=None, fromlist=(), level=0):
        imported.extend([name] + [f"{name}.{item}" for item in fromlist or ()])
        return real_import(name, globals_, locals_, fromlist, level)

    monkeypatch.setattr(builtins, "__import__", watching)
    assert app.run_gui() == 1
    monkeypatch.setattr(builtins, "__import__", real_import)
    assert capsys.readouterr().err == "caleol ne peut pas ouvrir…\n"
    assert "caleol.ui.messages" not in imported  # nothing of the GUI was loaded
    assert not any(name.startswith("PySide6") for name in imported)


def test_a_qt_import_failure_is_explained(monkeypatch) -> None:
    text = platform_check.import_problem(
        ImportError("libglib-2.0.so.0: cannot open shared object file"))
    assert "Qt n'a pas pu être chargé (libglib-2.0.so.0" in text
    assert platform_check.APT_COMMAND in text
