"""What goes into the PyInstaller bundle, kept out of the spec so tests can check it.

PyInstaller follows `import` statements only. caleol also reads files next to its
modules (`paths.resources_dir()`, the Alembic scripts loaded by file path, the user
guide shown by the « Aide » dialog) and imports some modules by name (the CLI
sub-commands, SQLAlchemy dialects): they are declared here. Plain Python, no
PyInstaller import, so `tests/test_packaging.py` can load it.
"""

from __future__ import annotations

import importlib.util
import posixpath
import sys
from collections.abc import Callable, Iterable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Folders copied file by file, as (source folder relative to the project, destination
# folder in the bundle). The destination mirrors the package, so `Path(__file__)`
# based look-ups work unchanged in the frozen application.
DATA_TREES: tuple[tuple[str, str], ...] = (
    ("caleol/resources", "caleol/resources"),       # ceilings, templates, fonts, icons
    ("caleol/db/migrations", "caleol/db/migrations"),  # Alembic loads these .py by path
    ("docs/screenshots", "docs/screenshots"),       # images of the user guide
)
# Single files, as (source file, destination folder).
DATA_FILES: tuple[tuple[str, str], ...] = (
    ("caleol/db/alembic.ini", "caleol/db"),
    ("docs/guide.md", "docs"),            # found by caleol.ui.dialogs.help (parents[3]/docs)
    ("docs/csv-columns.md", "docs"),      # linked from the guide (opened in « Aide »)
    ("docs/organisation-toml.md", "docs"),
    ("docs/exemple-organisation.toml", "docs"),
    ("CHANGELOG.md", "docs"),
)
# Never shipped: caches and editor leftovers.
SKIPPED_PARTS = frozenset({"__pycache__", ".pytest_cache", ".mypy_cache"})
SKIPPED_SUFFIXES = frozenset({".pyc", ".pyo", ".orig", ".rej", ".swp"})

# Modules imported by name at run time (importlib, entry points, Alembic scripts).
HIDDEN_IMPORTS: tuple[str, ...] = (
    # Alembic scripts import these; the scripts themselves are data, not analysed.
    "alembic.op",
    "alembic.context",
    "alembic.runtime.migration",
    "alembic.runtime.environment",
    "alembic.ddl.sqlite",
    "alembic.ddl.postgresql",
    "sqlmodel",
    "sqlalchemy.ext.baked",
    # SQLAlchemy resolves dialects from the URL by name.
    "sqlalchemy.dialects.sqlite",
    "sqlalchemy.dialects.sqlite.pysqlite",
    "sqlalchemy.dialects.postgresql",
    "sqlalchemy.dialects.postgresql.psycopg",
    # psycopg picks its C implementation by import name.
    "psycopg_binary",
    "psycopg_binary.pq",
    "psycopg_binary._psycopg",
    # pyHanko: validation back-ends and stamp styles are looked up lazily.
    "pyhanko.sign.validation",
    "pyhanko.sign.validation.pdf_embedded",
    "pyhanko.stamp",
    "pyhanko_certvalidator",
    "tzlocal",
)
# Packages whose every submodule is bundled because they are looked up by name
# (caleol.cli.COMMAND_MODULES, pages built lazily in caleol.app).
COLLECT_SUBMODULES: tuple[str, ...] = ("caleol",)
# caleol.db.migrations is data (loaded by Alembic from files), not a package to import.
SUBMODULES_SKIPPED_PREFIXES: tuple[str, ...] = ("caleol.db.migrations",)

# Packages shipping data files they open themselves.
COLLECT_DATA_PACKAGES: tuple[str, ...] = ("pyhanko", "pyhanko_certvalidator", "certifi")

# Distributions whose metadata the « À propos » dialog reads (importlib.metadata): caleol
# and every library of the one list, caleol/shipped.py (read as a file: no caleol import).
def _shipped_distributions() -> tuple[str, ...]:
    name = "caleol_shipped_list"
    spec = importlib.util.spec_from_file_location(name, ROOT / "caleol" / "shipped.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return tuple(module.distributions())


METADATA_DISTRIBUTIONS: tuple[str, ...] = ("caleol", *_shipped_distributions())

# The Qt modules caleol uses. Everything else of PySide6 is excluded so PyInstaller
# never pulls its libraries, plugins and QML files (hundreds of MB for WebEngine).
USED_QT_MODULES: frozenset[str] = frozenset({
    "QtCore", "QtGui", "QtWidgets", "QtCharts", "QtPrintSupport", "QtSvg",
    "QtPdf", "QtPdfWidgets",  # documents shown and printed inside caleol (pdf_viewer)
    "QtSvgWidgets", "QtOpenGL", "QtOpenGLWidgets",  # QtCharts links to the OpenGL ones
    "QtNetwork",  # QtGui's hook may need it on some platforms; no socket is opened
    "QtDBus",     # Linux desktop integration (portals, themes)
})
EXCLUDED_QT_MODULES: tuple[str, ...] = (
    "Qt3DAnimation", "Qt3DCore", "Qt3DExtras", "Qt3DInput", "Qt3DLogic", "Qt3DRender",
    "QtAxContainer", "QtBluetooth", "QtConcurrent", "QtDataVisualization", "QtDesigner",
    "QtGraphs", "QtGraphsWidgets", "QtHelp", "QtHttpServer", "QtLocation",
    "QtMultimedia", "QtMultimediaWidgets", "QtNetworkAuth", "QtNfc",
    "QtPositioning", "QtQml", "QtQuick", "QtQuick3D",
    "QtQuickControls2", "QtQuickTest", "QtQuickWidgets", "QtRemoteObjects", "QtScxml",
    "QtSensors", "QtSerialBus", "QtSerialPort", "QtSpatialAudio", "QtSql",
    "QtStateMachine", "QtTest", "QtTextToSpeech", "QtUiTools", "QtWebChannel",
    "QtWebEngineCore", "QtWebEngineQuick", "QtWebEngineWidgets", "QtWebSockets",
    "QtWebView", "QtXml",
)
# Other modules that must not end up in the bundle (tests and developer tools).
EXCLUDED_MODULES: tuple[str, ...] = (
    "tkinter", "_tkinter", "pytest", "_pytest", "pytestqt", "hypothesis", "IPython",
    "matplotlib", "numpy", "pandas", "alembic.testing", "sqlalchemy.testing",
    "caleol.db.migrations", "PySide6.scripts",
)
# Qt files dropped after analysis: the virtual keyboard input plugin drags in QtQuick
# and QtQml (~20 MB), eglfs/vnc/linuxfb are for embedded screens. Matched against the
# file name without its "lib" prefix, under PySide6/ only (Linux: PySide6/Qt/lib and
# PySide6/Qt/plugins; Windows: PySide6/*.dll and PySide6/plugins). build.sh checks
# that no remaining library needs a dropped one.
UNWANTED_QT_FILE_PREFIXES: tuple[str, ...] = (
    "qtvirtualkeyboardplugin", "qt6virtualkeyboard", "qt6qml", "qt6quick",
    "qt6eglfs", "qeglfs", "qvnc", "qlinuxfb", "qvkkhrdisplay",
    # The GTK 3 theme plugin would bring the build machine's cairo, pango, atk and
    # gdk-pixbuf, which then clash with the user's GTK; Qt falls back to its own
    # style and to the XDG desktop portal for file dialogs.
    "qgtk3",
)
UNWANTED_QT_PLUGIN_DIRS: frozenset[str] = frozenset({"egldeviceintegrations"})
# Qt translations kept (the UI is French; others are hundreds of files).
KEPT_TRANSLATION_MARKERS: tuple[str, ...] = ("_fr.",)


def excluded_modules() -> list[str]:
    """Every module name given to PyInstaller's `excludes`."""
    return [f"PySide6.{name}" for name in EXCLUDED_QT_MODULES] + list(EXCLUDED_MODULES)


def _shipped(path: Path) -> bool:
    return (
        path.is_file()
        and not SKIPPED_PARTS.intersection(path.parts)
        and path.suffix not in SKIPPED_SUFFIXES
    )


def data_files(root: Path = ROOT) -> list[tuple[str, str]]:
    """(source file, destination folder) pairs for PyInstaller's `datas`.

    A declared folder or file that does not exist is skipped (the screenshots and
    the CSV reference arrive with other work); `tests/test_packaging.py` checks that
    the ones the application needs at run time are there.
    """
    pairs: list[tuple[str, str]] = []
    for source, destination in DATA_TREES:
        folder = root / source
        if not folder.is_dir():
            continue
        for path in sorted(folder.rglob("*")):
            if _shipped(path):
                relative = path.parent.relative_to(folder)
                pairs.append((str(path), str(Path(destination) / relative)))
    for source, destination in DATA_FILES:
        path = root / source
        if path.is_file():
            pairs.append((str(path), destination))
    return pairs


def is_unwanted_translation(destination: str) -> bool:
    """A Qt translation file in another language than French."""
    normalized = destination.replace("\\", "/")
    if "/translations/" not in normalized or not normalized.endswith(".qm"):
        return False
    name = normalized.rsplit("/", 1)[-1]
    return not any(marker in name for marker in KEPT_TRANSLATION_MARKERS)


def is_unwanted_qt_binary(destination: str) -> bool:
    """A Qt plugin or library the application never loads (see UNWANTED_QT_FILE_PREFIXES)."""
    parts = destination.replace("\\", "/").split("/")
    name = parts[-1].lower().removeprefix("lib")
    if "PySide6" not in parts and not (len(parts) == 1 and name.startswith("qt6")):
        return False  # not Qt (top-level libQt6* entries are links into PySide6/)
    return (
        name.startswith(UNWANTED_QT_FILE_PREFIXES)
        or not UNWANTED_QT_PLUGIN_DIRS.isdisjoint(parts[:-1])
    )


TocEntry = tuple[str, str, str]  # PyInstaller TOC: (destination, source, type code)
LINKED_TYPES = frozenset({"BINARY", "EXTENSION"})


def _base(path: str) -> str:
    return path.replace("\\", "/").rsplit("/", 1)[-1].lower()


def prune_binaries(
    binaries: Iterable[TocEntry], imports_of: Callable[[str], Iterable[tuple[str, str | None]]]
) -> tuple[list[TocEntry], list[str]]:
    """Drop the unwanted Qt binaries and the libraries that only they needed.

    PyInstaller collects a plugin's dependencies before the spec can drop the plugin
    (the GTK theme plugin alone brings cairo, pango, atk...), so a library is removed
    too when every path to it starts at a dropped binary.

    Args:
        binaries: `Analysis.binaries`.
        imports_of: a binary's source path → its (linked name, resolved path) pairs
            (`PyInstaller.depend.bindepend.get_imports`).

    Returns:
        The kept entries and the sorted destinations removed.
    """
    entries = list(binaries)
    by_base: dict[str, list[TocEntry]] = {}
    for entry in entries:
        by_base.setdefault(_base(entry[0]), []).append(entry)
    by_destination = {entry[0].replace("\\", "/"): entry for entry in entries}
    dropped = {entry[0] for entry in entries if is_unwanted_qt_binary(entry[0])}
    for entry in entries:  # links to a dropped file go with it
        if entry[2] == "SYMLINK":
            target = by_destination.get(entry[1].replace("\\", "/"))
            if target is not None and target[0] in dropped:
                dropped.add(entry[0])

    def needs(entry: TocEntry) -> set[str]:
        if entry[2] not in LINKED_TYPES:
            return set()
        return {_base(name) for name, _ in imports_of(entry[1])}

    def closure(start: Iterable[TocEntry], within: Callable[[str], bool]) -> set[str]:
        reached: set[str] = set()
        frontier = list(start)
        while frontier:
            for name in needs(frontier.pop()):
                if name not in reached and within(name):
                    reached.add(name)
                    frontier.extend(by_base[name])
        return reached

    kept_libraries = {
        _base(entry[0]) for entry in entries
        if entry[0] not in dropped and entry[2] == "BINARY"
    }
    candidates = closure(
        (entry for entry in entries if entry[0] in dropped), kept_libraries.__contains__
    )
    roots = [
        entry for entry in entries
        if entry[0] not in dropped and entry[2] != "SYMLINK"
        and _base(entry[0]) not in candidates
    ]
    still_needed = closure(roots, candidates.__contains__)
    orphans = candidates - still_needed
    for entry in entries:
        if entry[0] not in dropped and (
            _base(entry[0]) in orphans
            or (entry[2] == "SYMLINK" and _base(entry[1]) in orphans)
        ):
            dropped.add(entry[0])
    kept = [entry for entry in entries if entry[0] not in dropped]
    return kept, sorted(dropped)


def drop_dangling_links(
    datas: Iterable[TocEntry], binaries: Iterable[TocEntry]
) -> tuple[list[TocEntry], list[str]]:
    """Remove the symbolic links whose target is no longer collected.

    PyInstaller files its top-level links to libraries (`libQt6Qml.so.6` →
    `PySide6/Qt/lib/libQt6Qml.so.6`) under `datas`, with the target relative to the
    link's folder; `prune_binaries` only sees `binaries`.
    """
    entries = list(datas)
    collected = {entry[0].replace("\\", "/") for entry in [*entries, *binaries]}
    kept: list[TocEntry] = []
    removed: list[str] = []
    for entry in entries:
        if entry[2] == "SYMLINK":
            folder = posixpath.dirname(entry[0].replace("\\", "/"))
            target = posixpath.normpath(posixpath.join(folder, entry[1].replace("\\", "/")))
            if target not in collected:
                removed.append(entry[0])
                continue
        kept.append(entry)
    return kept, removed
