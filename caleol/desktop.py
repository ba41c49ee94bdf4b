"""What caleol asks of Windows itself: the shell's open and print, and network drives.

Everything Windows-specific lives here, small and typed, so the rest of the code asks
one question (`is_windows()`) and calls one function. Standard library only (ctypes
for `GetDriveTypeW`): the CLI, the database checks and the GUI may all use it.

* `shell_open(path)`: the document in the application Windows associates with it
  (`os.startfile`), what « Ouvrir avec le lecteur PDF » does on Windows.
* `shell_print(path)`: the associated application's « print » verb
  (`os.startfile(path, "print")`), which sends the PDF itself, vector pages, to the
  default printer.
* `utf8_redirected_output()`: the command line's output, redirected to a file or a
  pipe, in UTF-8 rather than the ANSI code page.
* `network_database_warning(path)`: a SQLite file on a UNC path (`\\\\serveur\\partage`)
  or on a mapped network drive (`GetDriveTypeW` = `DRIVE_REMOTE`) is not safe: file
  locking over SMB is unreliable and two PCs opening it can corrupt it. caleol warns
  (it does not refuse: a single user on a home share is legitimate) and points to
  PostgreSQL.
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Callable
from pathlib import Path, PureWindowsPath

from caleol.errors import CaleolError

log = logging.getLogger(__name__)

DRIVE_REMOTE = 4  # GetDriveTypeW's value for a network drive (winbase.h)

POSTGRESQL_HINT = (
    "Pour travailler à plusieurs postes, utilisez une base PostgreSQL partagée, "
    "installée par votre service informatique (guide de l'utilisateur, « Base "
    "partagée entre plusieurs postes »)."
)


def is_windows() -> bool:
    return sys.platform == "win32"


def _startfile(path: Path, operation: str | None) -> None:
    """`os.startfile`, which exists on Windows only (kept apart for the tests)."""
    start = getattr(os, "startfile")  # noqa: B009 - absent from os on Linux (and mypy)
    if operation is None:
        start(str(path))
    else:
        start(str(path), operation)


def shell_open(path: Path) -> None:
    """Open `path` in the application Windows associates with its type.

    Raises:
        CaleolError: the file is missing, or no application can open it.
    """
    if not path.is_file():
        raise CaleolError(f"Le document {path} est introuvable.")
    log.info("shell open: %s", path)
    try:
        _startfile(path, None)
    except OSError as exc:
        log.warning("shell open failed for %s: %s", path, exc)
        raise CaleolError(
            "Aucune application n'est installée pour ouvrir ce type de document "
            f"({path.suffix or 'sans extension'}). Le document est enregistré dans {path}."
        ) from None


def shell_print(path: Path) -> None:
    """Send `path` to the default printer through its application's « print » verb.

    Raises:
        CaleolError: the file is missing, or its application cannot print (no PDF
            reader installed, or one without a « print » command).
    """
    if not path.is_file():
        raise CaleolError(f"Le document {path} est introuvable.")
    log.info("shell print: %s", path)
    try:
        _startfile(path, "print")
    except OSError as exc:
        log.warning("shell print failed for %s: %s", path, exc)
        raise CaleolError(
            "Windows ne sait pas imprimer ce document directement (aucun lecteur PDF "
            f"n'est associé à l'impression). Ouvrez {path.name} et imprimez-le depuis "
            "votre lecteur PDF."
        ) from None


def utf8_redirected_output() -> None:
    """On Windows, write UTF-8 when stdout/stderr go to a file or a pipe.

    Python encodes redirected output in the ANSI code page (cp1252 on a French
    Windows), which has no « → » or « ≤ »: `caleol-console.exe verify PV.pdf > r.txt`
    died with UnicodeEncodeError (found by the smoke test under Wine). The console
    itself is already Unicode and is left alone; UTF-8 files open in Notepad and Excel.
    """
    if not is_windows():
        return
    for stream in (sys.stdout, sys.stderr):
        encoding = str(getattr(stream, "encoding", "") or "").lower().replace("-", "")
        if stream is not None and encoding != "utf8" and hasattr(stream, "reconfigure"):
            stream.reconfigure(encoding="utf-8", errors="replace")


def _drive_type(root: str) -> int:
    """`GetDriveTypeW` of a drive root such as `N:\\`."""
    import ctypes

    windll = getattr(ctypes, "windll")  # noqa: B009 - Windows only
    return int(windll.kernel32.GetDriveTypeW(root))


def network_location(path: Path | str,
                     drive_type: Callable[[str], int] | None = None) -> str | None:
    """How `path` reaches the network, or None for a local file (always None off Windows).

    Args:
        drive_type: `GetDriveTypeW` (replaced in tests).

    Returns:
        « partage réseau \\\\serveur\\partage » for a UNC path, « lecteur réseau N: »
        for a drive letter Windows reports as remote.
    """
    if not is_windows():
        return None
    windows_path = PureWindowsPath(str(path))
    drive = windows_path.drive
    if drive.startswith(("\\\\?\\UNC\\", "\\\\?\\unc\\")):
        return f"partage réseau \\\\{drive[8:]}"
    if drive.startswith("\\\\?\\"):  # long-path prefix before a drive letter
        return network_location(str(path)[4:], drive_type)
    if drive.startswith("\\\\"):
        return f"partage réseau {drive}"
    if len(drive) == 2 and drive[1] == ":":
        try:
            kind = (drive_type or _drive_type)(drive.upper() + "\\")
        except OSError as exc:  # never block opening a base on this check
            log.warning("GetDriveTypeW(%s) failed: %s", drive, exc)
            return None
        if kind == DRIVE_REMOTE:
            return f"lecteur réseau {drive.upper()}"
    return None


def network_database_warning(path: Path | str | None,
                             drive_type: Callable[[str], int] | None = None) -> str | None:
    """The French warning for a SQLite database on a network share, or None."""
    if path is None:
        return None
    where = network_location(path, drive_type)
    if where is None:
        return None
    log.info("SQLite database on a network drive (%s): %s", where, path)
    return (
        f"La base de données {path} est sur un {where}. Une base SQLite ne doit pas "
        "être ouverte à travers le réseau : le verrouillage des fichiers n'y est pas "
        "fiable et la base peut être endommagée, surtout si deux postes l'ouvrent. "
        + POSTGRESQL_HINT
    )
