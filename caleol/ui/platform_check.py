"""Can Qt open a window here? Checked before PySide6 is imported, standard library only.

On a fresh Debian or Ubuntu machine the Qt wheels find no X11/xcb libraries and Qt
aborts with an English message about the « xcb » platform plugin (or PySide6 fails to
import for want of GLib). caleol checks first, by loading those libraries with ctypes,
and says in French which system packages to install (the README's one line).
"""

from __future__ import annotations

import ctypes
import os
import sys
from collections.abc import Callable

# The one line of the README: what the Qt xcb platform needs on Debian 12 / Ubuntu,
# found by starting caleol in a bare Debian 12 (debootstrap minbase, python3-venv)
# and adding only what was missing.
APT_PACKAGES = (
    "libegl1", "libgl1", "libglib2.0-0", "libdbus-1-3", "libfontconfig1", "libx11-xcb1",
    "libxkbcommon-x11-0", "libxcb-cursor0", "libxcb-icccm4", "libxcb-image0",
    "libxcb-keysyms1", "libxcb-randr0", "libxcb-render-util0", "libxcb-shape0",
)
APT_COMMAND = "sudo apt-get install " + " ".join(APT_PACKAGES)

# Library loaded by QtCore, QtGui, QtWidgets or the xcb plugin → its Debian package.
LIBRARIES: tuple[tuple[str, str], ...] = (
    ("libglib-2.0.so.0", "libglib2.0-0"),
    ("libgthread-2.0.so.0", "libglib2.0-0"),
    ("libdbus-1.so.3", "libdbus-1-3"),
    ("libfontconfig.so.1", "libfontconfig1"),
    ("libEGL.so.1", "libegl1"),
    ("libGL.so.1", "libgl1"),
    ("libX11-xcb.so.1", "libx11-xcb1"),
    ("libxkbcommon-x11.so.0", "libxkbcommon-x11-0"),
    ("libxcb-cursor.so.0", "libxcb-cursor0"),
    ("libxcb-icccm.so.4", "libxcb-icccm4"),
    ("libxcb-image.so.0", "libxcb-image0"),
    ("libxcb-keysyms.so.1", "libxcb-keysyms1"),
    ("libxcb-randr.so.0", "libxcb-randr0"),
    ("libxcb-render-util.so.0", "libxcb-render-util0"),
    ("libxcb-shape.so.0", "libxcb-shape0"),
)


def _loads(name: str) -> bool:
    """Whether the dynamic loader finds `name` (in the built program, its own copy too)."""
    candidates = [name]
    bundle = getattr(sys, "_MEIPASS", None)  # PyInstaller: libraries shipped beside Qt
    if bundle:
        candidates += [os.path.join(bundle, name),
                       os.path.join(bundle, "PySide6", "Qt", "lib", name)]
    for candidate in candidates:
        try:
            ctypes.CDLL(candidate)
        except OSError:
            continue
        return True
    return False


def uses_xcb(environ: dict[str, str] | None = None, platform: str | None = None) -> bool:
    """Qt will use its xcb plugin: Linux with no other platform asked for."""
    environ = dict(os.environ) if environ is None else environ
    platform = sys.platform if platform is None else platform
    if not platform.startswith("linux"):
        return False
    wanted = environ.get("QT_QPA_PLATFORM", "").split(";")[0].split(":")[0].strip()
    return wanted in ("", "xcb")


def missing_libraries(loads: Callable[[str], bool] = _loads) -> list[tuple[str, str]]:
    """(library, Debian package) of each library Qt needs that cannot be loaded."""
    return [(library, package) for library, package in LIBRARIES if not loads(library)]


def problem(environ: dict[str, str] | None = None, platform: str | None = None,
            loads: Callable[[str], bool] = _loads) -> str:
    """The French explanation of why no window can open ("" when one can)."""
    environ = dict(os.environ) if environ is None else environ
    if not uses_xcb(environ, platform):
        return ""
    missing = missing_libraries(loads)
    if missing:
        packages = sorted({package for _library, package in missing})
        return (
            "caleol ne peut pas ouvrir sa fenêtre : des bibliothèques système manquent "
            "pour l'affichage Qt (« xcb ») :\n"
            + "".join(f"  • {library} (paquet {package})\n" for library, package in missing)
            + "\nSous Debian ou Ubuntu, installez en une fois tout ce dont l'affichage "
            "Qt a besoin :\n"
            f"  {APT_COMMAND}\n\n"
            f"Paquets manquants ici : {', '.join(packages)}. La ligne de commande "
            "(caleol --help) fonctionne sans eux.\n"
        )
    if not environ.get("DISPLAY") and not environ.get("WAYLAND_DISPLAY"):
        return (
            "caleol ne peut pas ouvrir sa fenêtre : aucun affichage graphique (la "
            "variable DISPLAY est vide). Lancez caleol depuis votre session de bureau ; "
            "sans écran, utilisez la ligne de commande (caleol --help).\n"
        )
    return ""


def import_problem(error: ImportError) -> str:
    """PySide6 itself failed to load (a missing system library, named by the loader)."""
    return (
        f"caleol ne peut pas ouvrir sa fenêtre : Qt n'a pas pu être chargé ({error}).\n"
        "Sous Debian ou Ubuntu, installez les bibliothèques de l'affichage Qt :\n"
        f"  {APT_COMMAND}\n"
    )
