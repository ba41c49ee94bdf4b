"""Requirements the downloaded Windows wheels do not satisfy yet, markers read for Windows.

`pip download --platform win_amd64` picks Windows wheels but evaluates environment
markers for the machine it runs on: on Linux, psycopg's `tzdata; sys_platform ==
"win32"` and PyInstaller's `pefile` and `pywin32-ctypes` are never fetched. build.sh
runs this script with the Linux python3, downloads what it prints, and runs it again
until it prints nothing:

    python wheel_closure.py WHEEL_FOLDER REQUIREMENT...

Plain Python plus `packaging` (or pip's copy of it); the markers are evaluated for
CPython 3.13 on 64-bit Windows wherever it runs, so `tests/test_packaging.py` checks
it on Linux.
"""

from __future__ import annotations

import sys
import zipfile
from collections.abc import Iterable, Mapping
from email.parser import HeaderParser
from pathlib import Path

try:
    from packaging.requirements import Requirement
    from packaging.utils import canonicalize_name, parse_wheel_filename
    from packaging.version import Version
except ImportError:  # a bare python3: the copy of `packaging` inside pip
    from pip._vendor.packaging.requirements import Requirement  # type: ignore[no-redef]
    from pip._vendor.packaging.utils import (  # type: ignore[no-redef]
        canonicalize_name,
        parse_wheel_filename,
    )
    from pip._vendor.packaging.version import Version  # type: ignore[no-redef]

# The marker environment of CPython 3.13 on 64-bit Windows (what `packaging` computes
# when run there), for running this script elsewhere.
WINDOWS_CP313: dict[str, str] = {
    "implementation_name": "cpython",
    "implementation_version": "3.13.2",
    "os_name": "nt",
    "platform_machine": "AMD64",
    "platform_python_implementation": "CPython",
    "platform_release": "10",
    "platform_system": "Windows",
    "platform_version": "10.0.19045",
    "python_full_version": "3.13.2",
    "python_version": "3.13",
    "sys_platform": "win32",
}


def wheels_in(folder: Path) -> dict[str, list[tuple[Version, Path]]]:
    """Wheel files by canonical project name, newest version first."""
    found: dict[str, list[tuple[Version, Path]]] = {}
    for path in sorted(folder.glob("*.whl")):
        name, version, _build, _tags = parse_wheel_filename(path.name)
        found.setdefault(canonicalize_name(name), []).append((version, path))
    for versions in found.values():
        versions.sort(key=lambda item: item[0], reverse=True)
    return found


def requires_dist(wheel: Path) -> list[Requirement]:
    """The `Requires-Dist` lines of a wheel's METADATA."""
    with zipfile.ZipFile(wheel) as archive:
        name = next(n for n in archive.namelist()
                    if n.count("/") == 1 and n.endswith(".dist-info/METADATA"))
        metadata = HeaderParser().parsestr(archive.read(name).decode("utf-8"))
    return [Requirement(line) for line in metadata.get_all("Requires-Dist") or []]


def _applies(requirement: Requirement, environment: Mapping[str, str],
             extras: Iterable[str]) -> bool:
    if requirement.marker is None:
        return True
    return any(requirement.marker.evaluate({**environment, "extra": extra})
               for extra in ("", *extras))


def missing_requirements(folder: Path, roots: Iterable[str],
                         environment: Mapping[str, str] | None = None) -> list[str]:
    """Requirements reachable from `roots` that no wheel of `folder` satisfies.

    The newest wheel satisfying a requirement is followed (as pip would pick it);
    prereleases are ignored unless nothing else fits.
    """
    env = dict(environment) if environment is not None else dict(WINDOWS_CP313)
    wheels = wheels_in(folder)
    missing: dict[str, None] = {}
    seen: set[tuple[Path, frozenset[str]]] = set()
    pending = [(Requirement(text), frozenset[str]()) for text in roots]
    while pending:
        requirement, parent_extras = pending.pop()
        if not _applies(requirement, env, parent_extras):
            continue
        candidates = [path for version, path in wheels.get(canonicalize_name(requirement.name), [])
                      if requirement.specifier.contains(version, prereleases=True)]
        if not candidates:
            shown = Requirement(str(requirement))
            shown.marker = None
            missing[str(shown)] = None
            continue
        key = (candidates[0], frozenset(requirement.extras))
        if key in seen:
            continue
        seen.add(key)
        pending.extend((child, key[1]) for child in requires_dist(candidates[0]))
    return sorted(missing)


def main(argv: list[str]) -> int:
    if len(argv) < 2:
        sys.stderr.write("usage: wheel_closure.py WHEEL_FOLDER REQUIREMENT...\n")
        return 2
    for line in missing_requirements(Path(argv[0]), argv[1:]):
        print(line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
