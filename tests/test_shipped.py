"""`caleol/shipped.py` names everything caleol ships that it did not write, with its licence.

« À propos » lacked tzdata, tomli-w, pillow, cryptography, pyhanko-certvalidator, the
territory dataset and the sRGB profile. The list is now checked against what the
project's dependencies really install: the requirements of pyproject.toml, followed
through the installed distributions' metadata (extras and markers as pip applies
them), each with the licence its metadata states; the README's tables are the ones
generated from the list, and the data's versions are the shipped files' own.
"""

from __future__ import annotations

import gzip
import importlib.metadata
import importlib.util
import json
import re
import tomllib
from pathlib import Path
from types import ModuleType

from packaging.requirements import Requirement

from caleol import shipped

ROOT = Path(__file__).resolve().parent.parent
RESOURCES = ROOT / "caleol" / "resources"


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _listed() -> dict[str, shipped.Library]:
    return {_norm(d): lib for lib in shipped.LIBRARIES for d in lib.distributions}


def _pyproject_requirements() -> list[Requirement]:
    data = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return [Requirement(r) for r in data["project"]["dependencies"]]


def _applies(req: Requirement, extras: frozenset[str]) -> bool:
    return req.marker is None or any(req.marker.evaluate({"extra": e})
                                     for e in ("", *extras))


def installed_closure() -> dict[str, str]:
    """Every installed distribution the program's requirements pull in, by normalised
    name → the name of who requires it (pyproject.toml for the direct ones)."""
    found: dict[str, str] = {}
    pending: list[tuple[Requirement, str]] = [(r, "pyproject.toml")
                                              for r in _pyproject_requirements()
                                              if _applies(r, frozenset())]
    while pending:
        req, parent = pending.pop()
        if _norm(req.name) in found:
            continue
        try:
            requires = importlib.metadata.requires(req.name) or []
        except importlib.metadata.PackageNotFoundError:
            continue  # a platform's own (not installed here): nothing to ship here
        found[_norm(req.name)] = parent
        pending += [(sub, req.name) for sub in map(Requirement, requires)
                    if _applies(sub, frozenset(req.extras))]
    return found


def test_every_installed_dependency_is_listed() -> None:
    closure = installed_closure()
    # the check sees what the libraries install in turn (aiohttp under certvalidator…)
    assert {"pyhanko-certvalidator", "aiohttp", "tzdata", "tomli-w", "psycopg-binary",
            "shiboken6"} <= set(closure)
    missing = sorted(f"{name} (requis par {parent})" for name, parent in closure.items()
                     if name not in _listed())
    assert not missing, f"absents de caleol/shipped.py : {', '.join(missing)}"


def test_direct_dependencies_say_what_they_are_for() -> None:
    listed = _listed()
    direct = {_norm(r.name) for r in _pyproject_requirements()}
    direct |= {f"{_norm(r.name)}-{extra}" for r in _pyproject_requirements()
               for extra in r.extras}  # psycopg[binary] → psycopg-binary
    assert {name for name in direct if name in listed} == direct
    for name in direct:
        assert listed[name].direct, f"{name} : dépendance directe sans rôle"
    indirect = {name for name, lib in listed.items() if not lib.direct}
    assert not indirect & direct


def test_licences_are_those_the_metadata_states() -> None:
    checked = 0
    for library in shipped.LIBRARIES:
        for dist in library.distributions:
            try:
                meta = importlib.metadata.metadata(dist)
            except importlib.metadata.PackageNotFoundError:
                continue
            expression = (meta.get_all("License-Expression") or [""])[0]
            text = (meta.get_all("License") or [""])[0].strip()
            stated = expression or (text if len(text) <= 40 and "\n" not in text else "")
            if stated:
                assert _norm(stated.replace(" ", "-")) == _norm(
                    library.licence.replace(" ", "-")), (library.label, stated, library.licence)
                checked += 1
            break
    assert checked >= 30


def _readme_tool() -> ModuleType:
    spec = importlib.util.spec_from_file_location("readme_licences",
                                                  ROOT / "tools" / "readme_licences.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_readme_tables_are_generated_from_the_list() -> None:
    tool = _readme_tool()
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert tool.blocks(readme) == ["libraries", "data"]
    assert readme == tool.with_tables(readme), (
        "README.md ne suit pas caleol/shipped.py : lancez tools/readme_licences.py")
    for library in shipped.LIBRARIES:
        assert f"| {library.label} | {library.licence} |" in readme


def test_the_data_versions_are_the_shipped_files_own() -> None:
    with gzip.open(RESOURCES / "territory" / "territoire.json.gz") as stream:
        dataset = json.load(stream)["dataset"]
    assert (dataset["name"], dataset["version"], dataset["date"]) == (
        shipped.TERRITORY_PACKAGE, shipped.TERRITORY_VERSION, shipped.TERRITORY_DATE)
    assert "Licence Ouverte" in dataset["licence"]
    [territory] = [d for d in shipped.DATA if shipped.TERRITORY_PACKAGE in d.label]
    assert territory.licence == "Licence Ouverte 2.0 (Etalab)"
    assert territory.version.startswith(shipped.TERRITORY_VERSION)
    icc_licence = (RESOURCES / "icc" / "LICENSE-sRGB.txt").read_text(encoding="utf-8")
    [icc] = [d for d in shipped.DATA if "sRGB" in d.label]
    assert f"icc-profiles-free {icc.version}" in icc_licence
    assert f"License: {icc.licence}" in icc_licence
    fonts = (RESOURCES / "fonts" / "LICENSE-DejaVu.txt").read_text(encoding="utf-8")
    assert "Bitstream Vera" in fonts
    assert "CC0" in (RESOURCES / "icons" / "LICENSE").read_text(encoding="utf-8")
    for data in shipped.DATA:  # each names its file, and the file is there
        for path in re.findall(r"`(caleol/[^`]+)`", data.description):
            assert (ROOT / path).exists(), path


def test_every_shipped_data_file_is_named() -> None:
    """Each data file under caleol/resources/territory (the départements' list beside the
    communes') and each table at the resources' root is named in the data table."""
    named = " ".join(item.description for item in shipped.DATA)
    files = [*(RESOURCES / "territory").iterdir(),
             *(p for p in RESOURCES.iterdir() if p.is_file() and p.suffix in (".csv", ".json"))]
    assert files
    for path in files:
        assert f"`{path.relative_to(ROOT).as_posix()}`" in named, path.name
